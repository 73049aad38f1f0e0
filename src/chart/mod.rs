//! Charts (SPEC §4): aggregated figures in, an HTML `<figure>` out, holding
//! an inline SVG drawn with plotters, a caption, and the same numbers as a
//! table for screen readers and print.
//!
//! Charts are pure functions of their [`ChartData`]: the same data gives the
//! same bytes. Text in the SVG carries no font family, so it is set in the
//! page's font stack; the theme styles `.chart-svg`, `.chart-table` (hidden on screen) and
//! `table.chart-data`.

mod bars;
mod line;
mod pie;
mod style;
mod svg;
mod text;

#[cfg(test)]
mod tests;

use std::fmt;

use plotters::prelude::*;

pub use text::{escape, text_width};

use style::Area;
use text::{clean, fmt_num, fmt_pct};

/// What kind of chart (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChartKind {
    /// One metric by unit, month, week or activity.
    #[default]
    Bar,
    /// Several metrics stacked per category, with a legend.
    Stacked,
    /// A cumulative total over time, with the target as a dashed line.
    Line,
    /// Each category's share.
    Pie,
    /// Each target's completion in percent, against a 100% mark.
    Progress,
}

impl ChartKind {
    /// The kind's name in SPEC §4 and in the figure's CSS class (`chart-bar` …).
    pub fn as_str(self) -> &'static str {
        match self {
            ChartKind::Bar => "bar",
            ChartKind::Stacked => "stacked",
            ChartKind::Line => "line",
            ChartKind::Pie => "pie",
            ChartKind::Progress => "progress",
        }
    }

    fn describe(self, lang: crate::numfmt::Language) -> &'static str {
        match self {
            ChartKind::Bar => lang.pick("柱状图", "Bar chart"),
            ChartKind::Stacked => lang.pick("堆积柱状图", "Stacked bar chart"),
            ChartKind::Line => lang.pick("折线图", "Line chart"),
            ChartKind::Pie => lang.pick("饼图", "Pie chart"),
            ChartKind::Progress => lang.pick("完成进度图", "Progress chart"),
        }
    }
}

/// One named series of values, one value per category.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    /// The metric's label, e.g. "走访群众"; names the legend entry and table column.
    pub name: String,
    /// One value per category, each between 0 and 10¹⁵.
    pub values: Vec<f64>,
}

/// Everything a chart shows; built by the caller from aggregated figures.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartData {
    /// Which chart to draw.
    pub kind: ChartKind,
    /// Drawn above the chart and read out as its name, e.g. "各单位走访群众（户）".
    pub title: String,
    /// The figcaption text; the title stands in when empty.
    pub caption: String,
    /// X labels: unit names, months "2019年3月", ISO weeks "第12周",
    /// activities; for Line, dates (ISO dates are spaced by time).
    pub categories: Vec<String>,
    /// Bar, Pie, Line, Progress: one series; Stacked: one or more.
    /// Progress values are percentages (100 = done; more is allowed).
    pub series: Vec<Series>,
    /// Measure word, e.g. "户" ("%" for progress).
    pub unit_word: String,
    /// Line: the target, drawn as a dashed horizontal line with a label.
    pub target: Option<f64>,
    /// Unique, stable ASCII id (`[A-Za-z0-9_-]+`) for ids inside the SVG.
    pub id: String,
    /// The language of the words the chart adds (目标, 合计 …).
    pub lang: crate::numfmt::Language,
}

/// Why a chart could not be drawn (empty data, mismatched lengths …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartError(pub String);

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ChartError {}

/// Largest value a chart accepts; far beyond any count, and small enough
/// that every figure prints as an exact integer.
const MAX_VALUE: f64 = 1e15;

/// Draw the chart: returns a complete `<figure class="chart chart-{kind}">`
/// HTML fragment with the inline `<svg>` (role="img", aria-labelledby,
/// `<title>` and `<desc>`), a `<table class="chart-data">` (in a `<div class="chart-table">`)
/// holding the same numbers for screen readers and print, and last a `<figcaption>`.
pub fn render(data: &ChartData) -> Result<String, ChartError> {
    let data = &checked(data)?;
    let drawn = match data.kind {
        ChartKind::Bar | ChartKind::Stacked => bars::draw(data)?,
        ChartKind::Progress => bars::draw_progress(data)?,
        ChartKind::Line => line::draw(data)?,
        ChartKind::Pie => pie::draw(data)?,
    };
    let title = if data.title.is_empty() {
        data.kind.describe(data.lang)
    } else {
        data.title.as_str()
    };
    let meta = svg::Meta {
        id: &data.id,
        title,
        desc: &describe(data),
        size: drawn.size,
    };
    let caption = if data.caption.is_empty() {
        title
    } else {
        data.caption.as_str()
    };

    // The caption is the figure's last child (HTML allows it only first or last); the table
    // sits in a wrapper because a table cannot be shrunk to the 1 px of a visually hidden box
    // and would widen the page on a phone.
    let mut html = format!("<figure class=\"chart chart-{}\">\n", data.kind.as_str());
    html.push_str(&svg::finish(&drawn.raw, &meta));
    html.push_str("\n<div class=\"chart-table\">\n");
    html.push_str(&table(data));
    html.push_str(&format!(
        "</div>\n<figcaption>{}</figcaption>\n",
        escape(caption)
    ));
    html.push_str("</figure>\n");
    Ok(html)
}

/// A chart's SVG document as plotters wrote it, and its size.
struct Drawn {
    raw: String,
    size: (u32, u32),
}

/// Runs `draw` on a fresh SVG canvas of `size` and returns the document.
fn canvas(
    size: (u32, u32),
    draw: impl FnOnce(&Area) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let mut raw = String::new();
    {
        let root = SVGBackend::with_string(&mut raw, size).into_drawing_area();
        draw(&root)?;
        root.present().map_err(style::draw_err)?;
    }
    Ok(raw)
}

/// Validates `data` and returns a copy with its text made safe to draw.
fn checked(data: &ChartData) -> Result<ChartData, ChartError> {
    let name = if data.title.is_empty() {
        data.kind.as_str()
    } else {
        data.title.as_str()
    };
    let fail = |what: String| Err(ChartError(format!("chart \"{name}\": {what}")));
    if data.id.is_empty()
        || !data
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return fail(format!(
            "id \"{}\" must be ASCII letters, digits, - or _",
            data.id
        ));
    }
    if data.categories.is_empty() {
        return fail("no categories to draw".into());
    }
    match (data.kind, data.series.len()) {
        (_, 0) => return fail("no series to draw".into()),
        (ChartKind::Stacked, _) | (_, 1) => {}
        (kind, n) => {
            return fail(format!(
                "a {} chart takes one series, got {n}",
                kind.as_str()
            ))
        }
    }
    for s in &data.series {
        if s.values.len() != data.categories.len() {
            return fail(format!(
                "series \"{}\" has {} values for {} categories",
                s.name,
                s.values.len(),
                data.categories.len()
            ));
        }
        if let Some(v) = s.values.iter().find(|v| !(0.0..=MAX_VALUE).contains(*v)) {
            return fail(format!(
                "series \"{}\" has value {v}; values must be between 0 and {MAX_VALUE}",
                s.name
            ));
        }
    }
    if let Some(t) = data.target.filter(|t| !(0.0..=MAX_VALUE).contains(t)) {
        return fail(format!("target {t} must be between 0 and {MAX_VALUE}"));
    }
    Ok(ChartData {
        kind: data.kind,
        title: clean(&data.title),
        caption: clean(&data.caption),
        categories: data.categories.iter().map(|c| clean(c)).collect(),
        series: data
            .series
            .iter()
            .map(|s| Series {
                name: clean(&s.name),
                values: s.values.clone(),
            })
            .collect(),
        unit_word: clean(&data.unit_word),
        target: data.target,
        id: data.id.clone(),
        lang: data.lang,
    })
}

/// The `<desc>`: what the chart shows, in a sentence a screen reader reads.
fn describe(data: &ChartData) -> String {
    const MAX_ITEMS: usize = 30;
    let unit = &data.unit_word;
    let en = data.lang == crate::numfmt::Language::En;
    let values = &data.series[0].values; // ok: checked() refuses charts without series
    let mut items: Vec<String> = match data.kind {
        ChartKind::Line => {
            let last = data.categories.len() - 1; // ok: checked() refuses empty categories
            let (date, total) = (&data.categories[last], fmt_num(values[last]));
            let mut items = vec![if en {
                format!("{total}{unit} in all by {date}")
            } else {
                format!("截至{date}累计{total}{unit}")
            }];
            if let Some(t) = data.target {
                items.push(format!(
                    "{}{}{unit}",
                    data.lang.pick("目标", "target "),
                    fmt_num(t)
                ));
            }
            items
        }
        ChartKind::Progress => data
            .categories
            .iter()
            .zip(values)
            .map(|(c, v)| {
                let pct = fmt_pct(*v);
                if en {
                    format!("{c}: {pct} done")
                } else {
                    format!("{c}完成{pct}")
                }
            })
            .collect(),
        ChartKind::Pie => {
            let total: f64 = values.iter().sum();
            data.categories
                .iter()
                .zip(values)
                .map(|(c, v)| {
                    let share = if total > 0.0 { v / total * 100.0 } else { 0.0 };
                    if en {
                        format!("{c} {}{unit} ({})", fmt_num(*v), fmt_pct(share))
                    } else {
                        format!("{c}{}{unit}（{}）", fmt_num(*v), fmt_pct(share))
                    }
                })
                .collect()
        }
        ChartKind::Bar => data
            .categories
            .iter()
            .zip(values)
            .map(|(c, v)| format!("{c}{}{}{unit}", data.lang.pick("", " "), fmt_num(*v)))
            .collect(),
        ChartKind::Stacked => data
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let parts: Vec<String> = data
                    .series
                    .iter()
                    .map(|s| {
                        let sep = data.lang.pick("", " ");
                        format!("{}{sep}{}{unit}", s.name, fmt_num(s.values[i]))
                    })
                    .collect();
                let (colon, comma) = (data.lang.pick("：", ": "), data.lang.pick("，", ", "));
                format!("{c}{colon}{}", parts.join(comma))
            })
            .collect(),
    };
    if items.len() > MAX_ITEMS {
        let more = items.len() - MAX_ITEMS;
        items.truncate(MAX_ITEMS);
        items.push(if en {
            format!("and {more} more in the table")
        } else {
            format!("等，另有{more}项见数据表")
        });
    }
    let kind = data.kind.describe(data.lang);
    if en {
        format!("{kind}. {}.", items.join("; "))
    } else {
        format!("{kind}。{}。", items.join("；"))
    }
}

/// The numbers behind the chart as an HTML table: a row per category, a
/// column per series, plus 合计 (stacked), 占比 (pie) or the target (line).
fn table(data: &ChartData) -> String {
    let unit = if matches!(data.kind, ChartKind::Progress) {
        "%"
    } else {
        data.unit_word.as_str()
    };
    let lang = data.lang;
    let head = |name: &str| {
        let name = if name.is_empty() {
            lang.pick("数值", "Value")
        } else {
            name
        };
        if unit.is_empty() {
            escape(name)
        } else if lang == crate::numfmt::Language::En {
            format!("{} ({})", escape(name), escape(unit))
        } else {
            format!("{}（{}）", escape(name), escape(unit))
        }
    };
    let first = match data.kind {
        ChartKind::Line => lang.pick("日期", "Date"),
        ChartKind::Progress => lang.pick("目标", "Target"),
        _ => lang.pick("类别", "Category"),
    };
    let mut html = String::from("<table class=\"chart-data\">\n<thead><tr>");
    html.push_str(&format!("<th scope=\"col\">{first}</th>"));
    for s in &data.series {
        html.push_str(&format!("<th scope=\"col\">{}</th>", head(&s.name)));
    }
    match data.kind {
        ChartKind::Stacked if data.series.len() > 1 => html.push_str(&format!(
            "<th scope=\"col\">{}</th>",
            head(lang.pick("合计", "Total"))
        )),
        ChartKind::Pie => html.push_str(&format!(
            "<th scope=\"col\">{}</th>",
            lang.pick("占比", "Share")
        )),
        _ => {}
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    let pie_total: f64 = data.series[0].values.iter().sum(); // ok: checked() refuses charts without series
    for (i, c) in data.categories.iter().enumerate() {
        html.push_str(&format!("<tr><th scope=\"row\">{}</th>", escape(c)));
        for s in &data.series {
            html.push_str(&format!("<td>{}</td>", fmt_num(s.values[i])));
        }
        match data.kind {
            ChartKind::Stacked if data.series.len() > 1 => {
                let total: f64 = data.series.iter().map(|s| s.values[i]).sum();
                html.push_str(&format!("<td>{}</td>", fmt_num(total)));
            }
            ChartKind::Pie => {
                let share = if pie_total > 0.0 {
                    data.series[0].values[i] / pie_total * 100.0
                } else {
                    0.0
                };
                html.push_str(&format!("<td>{}</td>", fmt_pct(share)));
            }
            _ => {}
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n");
    if let (ChartKind::Line, Some(t)) = (data.kind, data.target) {
        html.push_str(&format!(
            "<tfoot><tr><th scope=\"row\">{}</th><td>{}</td></tr></tfoot>\n",
            lang.pick("目标", "Target"),
            fmt_num(t)
        ));
    }
    html.push_str("</table>\n");
    html
}
