//! Chinese number and date style (SPEC §3): `approx`, `wan`, measure words, `cn_date`, `weekday`.
//!
//! Pure functions on whole numbers, shared by the narrative functions (`stat()`) and the theme
//! filters, so a figure reads the same wherever it is printed.

use chrono::{Datelike, NaiveDate};

/// How a count is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Keep this many significant digits, rounding down, and add 余 when something was cut.
    pub approx: Option<u32>,
    /// Write values of 10000 and more in 万.
    pub wan: bool,
}

/// Formats `n` in `style`, without a measure word.
pub fn format_count(n: u64, style: Style) -> String {
    match (style.approx, style.wan) {
        (None, false) => n.to_string(),
        (Some(d), false) => approx(n, d),
        (None, true) => wan(n),
        (Some(d), true) => wan_approx(n, d),
    }
}

/// Formats `n` in `style`, followed by the measure word (`1800余户`).
pub fn format_with_unit(n: u64, style: Style, unit: &str) -> String {
    let mut s = format_count(n, style);
    s.push_str(unit);
    s
}

/// Number of decimal digits of `n` (1 for 0).
fn digit_count(n: u64) -> u32 {
    n.checked_ilog10().map_or(1, |l| l + 1)
}

/// `n` rounded down to `digits` significant digits (at least 1).
fn truncate_significant(n: u64, digits: u32) -> u64 {
    let digits = digits.max(1);
    let len = digit_count(n);
    if len <= digits {
        return n;
    }
    let p = 10u64.pow(len - digits);
    n / p * p
}

/// Keeps the first `digits` significant digits and adds 余 when something was cut:
/// 1834 → `1800余` (digits 2), `1830余` (digits 3); 2000 → `2000`; under 10 unchanged.
pub fn approx(n: u64, digits: u32) -> String {
    if n < 10 {
        return n.to_string();
    }
    let cut = truncate_significant(n, digits);
    if cut == n {
        n.to_string()
    } else {
        format!("{cut}余")
    }
}

/// Values of 10000 and more in 万 with up to 2 decimals (rounded half up), trailing zeros
/// dropped: 11716 → `1.17万`, 20000 → `2万`; smaller values unchanged.
///
/// Only 万 is used, never 亿, as SPEC §3 specifies: 10^9 → `100000万`.
pub fn wan(n: u64) -> String {
    if n < 10_000 {
        return n.to_string();
    }
    // Work in hundredths of 万 (= hundreds) in integers, so no float noise reaches the page.
    let hundredths = n / 100 + u64::from(n % 100 >= 50);
    decimal_wan(hundredths, 2)
}

/// 万 with the significant digits of the 万 figure kept, rounded down, 余 when cut:
/// 11716 with 2 digits → `1.1万余`; under 10000 it is plain [`approx`].
pub fn wan_approx(n: u64, digits: u32) -> String {
    if n < 10_000 {
        return approx(n, digits);
    }
    let cut = truncate_significant(n, digits);
    let mut s = decimal_wan(cut, 4);
    if cut != n {
        s.push('余');
    }
    s
}

/// Writes `value / 10^scale` 万 with trailing zeros dropped, where `value` counts units of
/// 10^(4 - scale).
fn decimal_wan(value: u64, scale: u32) -> String {
    let div = 10u64.pow(scale);
    let (int, frac) = (value / div, value % div);
    let mut s = int.to_string();
    if frac != 0 {
        let frac = format!("{frac:0width$}", width = scale as usize);
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    s.push('万');
    s
}

/// A share as a percentage: whole by default (`84%`), or with `decimals` places (`83.8%`),
/// rounded half away from zero.
pub fn percent(numerator: u64, denominator: u64, decimals: u32) -> Option<String> {
    if denominator == 0 {
        return None;
    }
    // Integer arithmetic: scaled = round(num * 100 * 10^dec / den).
    let scale = 10u128.pow(decimals.min(6));
    let num = u128::from(numerator) * 100 * scale;
    let den = u128::from(denominator);
    let scaled = (num * 2 + den) / (den * 2);
    let (int, frac) = (scaled / scale, scaled % scale);
    Some(if decimals == 0 {
        format!("{int}%")
    } else {
        format!("{int}.{frac:0width$}%", width = decimals.min(6) as usize)
    })
}

/// The language of labels, dates and weekdays.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub enum Language {
    /// Simplified Chinese, the default.
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English labels and dates.
    #[serde(rename = "en")]
    En,
}

impl Language {
    /// `zh` or `en`, as the language says (for words of generated text).
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Language::En => en,
            Language::ZhCn => zh,
        }
    }
}

impl Language {
    /// Parses `zh-CN` (also `zh`, `zh-Hans`) or `en`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "zh-CN" | "zh-cn" | "zh" | "zh-Hans" => Some(Language::ZhCn),
            "en" | "en-US" | "en-GB" => Some(Language::En),
            _ => None,
        }
    }

    /// The `lang` attribute value.
    pub fn tag(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }
}

/// `2019年4月26日` (zh-CN) or `April 26, 2019` (en).
pub fn cn_date(date: NaiveDate, lang: Language) -> String {
    match lang {
        Language::ZhCn => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        Language::En => date.format("%B %-d, %Y").to_string(),
    }
}

/// `2019年4月` (zh-CN) or `April 2019` (en).
pub fn cn_month(year: i32, month: u32, lang: Language) -> String {
    match lang {
        Language::ZhCn => format!("{year}年{month}月"),
        Language::En => NaiveDate::from_ymd_opt(year, month, 1)
            .map(|d| d.format("%B %Y").to_string())
            .unwrap_or_else(|| format!("{year}-{month:02}")),
    }
}

/// `星期五` (zh-CN) or `Friday` (en).
pub fn weekday(date: NaiveDate, lang: Language) -> &'static str {
    let i = date.weekday().num_days_from_monday() as usize;
    match lang {
        Language::ZhCn => [
            "星期一",
            "星期二",
            "星期三",
            "星期四",
            "星期五",
            "星期六",
            "星期日",
        ][i],
        Language::En => [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ][i],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn approx_matches_the_spec_examples() {
        assert_eq!(approx(1834, 2), "1800余");
        assert_eq!(approx(1834, 3), "1830余");
        assert_eq!(approx(2000, 2), "2000");
        assert_eq!(approx(9, 2), "9");
        assert_eq!(approx(7, 1), "7");
    }

    #[test]
    fn approx_edges() {
        assert_eq!(approx(0, 2), "0");
        assert_eq!(approx(10, 2), "10");
        assert_eq!(approx(10, 1), "10");
        assert_eq!(approx(19, 1), "10余");
        assert_eq!(approx(99, 2), "99");
        assert_eq!(approx(99_999, 2), "99000余");
        assert_eq!(approx(100_000, 2), "100000");
        assert_eq!(approx(1_000_000_000, 2), "1000000000");
        assert_eq!(approx(1_000_000_001, 2), "1000000000余");
        assert_eq!(approx(1834, 0), "1000余", "zero digits keeps one");
        assert_eq!(approx(1834, 9), "1834");
    }

    #[test]
    fn wan_matches_the_spec_examples() {
        assert_eq!(wan(11716), "1.17万");
        assert_eq!(wan(20000), "2万");
        assert_eq!(wan(9999), "9999");
    }

    #[test]
    fn wan_edges() {
        assert_eq!(wan(0), "0");
        assert_eq!(wan(9), "9");
        assert_eq!(wan(10_000), "1万");
        assert_eq!(wan(10_500), "1.05万");
        assert_eq!(wan(11_000), "1.1万");
        assert_eq!(wan(11_760), "1.18万", "rounds half up");
        assert_eq!(wan(99_999), "10万");
        assert_eq!(wan(100_000), "10万");
        assert_eq!(wan(1_000_000_000), "100000万");
    }

    #[test]
    fn wan_with_approx_keeps_digits_of_the_wan_figure() {
        assert_eq!(wan_approx(11716, 2), "1.1万余");
        assert_eq!(wan_approx(20000, 2), "2万");
        assert_eq!(wan_approx(1834, 2), "1800余");
        assert_eq!(wan_approx(123_456, 2), "12万余");
        assert_eq!(wan_approx(123_456, 3), "12.3万余");
        assert_eq!(wan_approx(11716, 5), "1.1716万");
        assert_eq!(wan_approx(99_999, 2), "9.9万余");
        assert_eq!(wan_approx(100_000, 2), "10万");
        assert_eq!(wan_approx(0, 2), "0");
        assert_eq!(wan_approx(1_000_000_000, 2), "100000万");
    }

    #[test]
    fn styles_and_measure_words() {
        let s = Style {
            approx: Some(2),
            wan: false,
        };
        assert_eq!(format_with_unit(1834, s, "户"), "1800余户");
        assert_eq!(format_with_unit(11716, Style::default(), "户"), "11716户");
        let s = Style {
            approx: None,
            wan: true,
        };
        assert_eq!(format_with_unit(11716, s, "户"), "1.17万户");
        let s = Style {
            approx: Some(2),
            wan: true,
        };
        assert_eq!(format_with_unit(11716, s, "户"), "1.1万余户");
    }

    #[test]
    fn percent_rounds_and_refuses_zero_denominator() {
        assert_eq!(percent(838, 1000, 0).as_deref(), Some("84%"));
        assert_eq!(percent(838, 1000, 1).as_deref(), Some("83.8%"));
        assert_eq!(percent(1, 3, 1).as_deref(), Some("33.3%"));
        assert_eq!(percent(2, 3, 0).as_deref(), Some("67%"));
        assert_eq!(percent(0, 5, 0).as_deref(), Some("0%"));
        assert_eq!(percent(5, 4, 0).as_deref(), Some("125%"));
        assert_eq!(percent(1, 0, 0), None);
    }

    #[test]
    fn dates_and_weekdays() {
        assert_eq!(cn_date(d(2019, 4, 26), Language::ZhCn), "2019年4月26日");
        assert_eq!(cn_date(d(2019, 4, 26), Language::En), "April 26, 2019");
        assert_eq!(weekday(d(2019, 4, 26), Language::ZhCn), "星期五");
        assert_eq!(weekday(d(2019, 4, 26), Language::En), "Friday");
        assert_eq!(weekday(d(2018, 2, 11), Language::ZhCn), "星期日");
        assert_eq!(cn_month(2019, 3, Language::ZhCn), "2019年3月");
        assert_eq!(cn_month(2019, 3, Language::En), "March 2019");
    }
}
