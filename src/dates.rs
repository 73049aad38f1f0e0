//! Dates as people write them (2019-06-09, 2019/6/9, 2019年6月9日, a month 2019年6月, a moment
//! with a time and zone), in the years a site may use. Load reads every date of a site file
//! with these; render reads the dates narratives and themes pass to functions and filters.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use crate::model::Published;

/// The years a date may fall in (SPEC §7): a typo like 0201 or 9999 would otherwise stretch
/// a campaign's calendar, and its weekly chart, over millennia.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Whether `d` falls in [`YEARS`].
pub fn in_years(d: NaiveDate) -> bool {
    YEARS.contains(&chrono::Datelike::year(&d))
}

/// Parses `2019-06-09`, `2019/6/9`, `2019.6.9` and `2019年6月9日`, in [`YEARS`] only.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    parse_any_date(s).filter(|d| in_years(*d))
}

/// [`parse_date`] without the bound on years.
pub fn parse_any_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let s = s.strip_suffix('日').unwrap_or(s);
    let parts: Vec<&str> = s.split(['-', '/', '.', '年', '月']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let y: i32 = parts[0].parse().ok()?;
    if parts[0].len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y, parts[1].parse().ok()?, parts[2].parse().ok()?)
}

/// Parses a month: `2019-06`, `2019/6` and `2019年6月`, as its first day. Not `2019.6`: YAML
/// reads `2019.10` as the number 2019.1, which would be January.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    parse_any_month(s).filter(|d| in_years(*d))
}

/// [`parse_month`] without the bound on years.
fn parse_any_month(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let s = s.strip_suffix('月').unwrap_or(s);
    let (y, m) = s.split_once(['-', '/', '年'])?;
    let digits = |p: &str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4 || !digits(y) || !digits(m) || m.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

/// Parses a record's date: a day (see [`parse_date`]), or a month (see [`parse_month`]) for
/// a record that covers the whole month, given as its first day and `true`.
pub fn parse_record_date(s: &str) -> Option<(NaiveDate, bool)> {
    parse_any_record_date(s).filter(|(d, _)| in_years(*d))
}

/// [`parse_record_date`] without the bound on years (the caller says what is wrong).
pub fn parse_any_record_date(s: &str) -> Option<(NaiveDate, bool)> {
    parse_any_date(s)
        .map(|d| (d, false))
        .or_else(|| parse_any_month(s).map(|d| (d, true)))
}

/// Parses a date, a local date and time (`2018-02-13 09:53`), or RFC 3339 with a zone; the
/// date in [`YEARS`] only.
pub fn parse_published(s: &str) -> Option<Published> {
    parse_any_published(s).filter(|p| in_years(p.date))
}

/// [`parse_published`] without the bound on years.
pub fn parse_any_published(s: &str) -> Option<Published> {
    let s = s.trim();
    if let Some(date) = parse_any_date(s) {
        return Some(Published {
            date,
            time: None,
            offset: None,
        });
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(Published {
            date: dt.date_naive(),
            time: Some(dt.time()),
            offset: Some(*dt.offset()),
        });
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Published {
                date: dt.date(),
                time: Some(dt.time()),
                offset: None,
            });
        }
    }
    // `2018-02-13 09:53:00 +08:00` (space before the zone).
    if let Ok(dt) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S %:z") {
        return Some(Published {
            date: dt.date_naive(),
            time: Some(dt.time()),
            offset: Some(*dt.offset()),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Timelike};

    #[test]
    fn dates_in_common_shapes() {
        let d = NaiveDate::from_ymd_opt(2019, 6, 9).unwrap();
        assert_eq!(parse_date("2019-06-09"), Some(d));
        assert_eq!(parse_date("2019/6/9"), Some(d));
        assert_eq!(parse_date("2019年6月9日"), Some(d));
        assert_eq!(parse_date("2019-02-30"), None);
        assert_eq!(parse_date("19-6-9"), None);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn months_in_common_shapes() {
        let d = NaiveDate::from_ymd_opt(2021, 5, 1).unwrap();
        for s in ["2021-05", "2021/5", "2021年5月", " 2021-5 "] {
            assert_eq!(parse_month(s), Some(d), "{s}");
            assert_eq!(parse_record_date(s), Some((d, true)), "{s}");
        }
        assert_eq!(parse_month("2021-13"), None);
        assert_eq!(parse_month("21-05"), None);
        assert_eq!(parse_month("2021.10"), None);
        assert_eq!(parse_month("2021-05-06"), None);
        assert_eq!(
            parse_record_date("2021-05-06"),
            Some((d.with_day(6).unwrap(), false))
        );
    }

    #[test]
    fn published_with_zone_time_or_neither() {
        let p = parse_published("2018-02-13T09:53:00+08:00").unwrap();
        assert_eq!(p.time.unwrap().hour(), 9);
        assert_eq!(p.offset.unwrap().local_minus_utc(), 8 * 3600);
        let p = parse_published("2018-02-13 09:53").unwrap();
        assert_eq!(p.offset, None);
        assert_eq!(p.time.unwrap().minute(), 53);
        let p = parse_published("2018-02-13").unwrap();
        assert_eq!(p.time, None);
        assert!(parse_published("2018-02-13T25:00:00+08:00").is_none());
    }

    #[test]
    fn dates_outside_1900_to_2100_are_refused() {
        assert!(parse_date("1900-01-01").is_some());
        assert!(parse_date("2100-12-31").is_some());
        assert_eq!(parse_date("0001-01-01"), None);
        assert_eq!(parse_date("9999-12-31"), None);
        assert_eq!(parse_date("1899-12-31"), None);
        assert!(parse_published("9999-12-31T00:00:00+08:00").is_none());
        assert!(parse_any_date("0001-01-01").is_some());
    }
}
