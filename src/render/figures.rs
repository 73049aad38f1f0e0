//! Figures made ready to print: key figure cards, per-unit tables, and the bridge from a chart
//! query (`chart(kind="bar", metric="households", by="unit")`) to the data the chart module
//! draws. The numbers come from [`crate::aggregate`]; here they are only laid out.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use super::context::Kpi;
use super::labels::Words;
use super::narrative::fnv1a;
use crate::aggregate::{completion, target, Figures, KeyFigure, Period, Query};
use crate::chart::{ChartData, ChartKind, Series};
use crate::model::{CampaignId, MetricId, Site, UnitId};
use crate::numfmt::{self, Language};

/// HTML-escapes text for element content and attribute values (one escaper for the site).
pub use crate::chart::escape as esc;

/// A key figure as a card: the total as printed (in 万 from 100,000), its measure word,
/// and its target's completion. Pages and narratives show the same cards.
pub fn kpi(site: &Site, words: &Words, k: &KeyFigure) -> Kpi {
    let metric = site.metric(k.metric);
    let completion = k.target.and_then(|t| numfmt::percent(k.value, t, 0));
    let target_line = match (k.target, &completion) {
        (Some(t), Some(pct)) => Some(target_line(
            words,
            site.config.language,
            &metric.measure_word,
            t,
            pct,
        )),
        _ => None,
    };
    Kpi {
        label: metric.label.clone(),
        value: k.value,
        value_text: numfmt::format_count(
            k.value,
            numfmt::Style {
                approx: None,
                wan: k.value >= 100_000,
            },
        ),
        unit: metric.measure_word.clone(),
        target: k.target,
        completion,
        target_line,
    }
}

/// The line under a card that has a target, in the theme's words (`target`, `completed`):
/// 目标1800户 · 完成95%. The theme's `kpi_row` and narratives' `kpis()` print this one line.
fn target_line(words: &Words, lang: Language, unit: &str, target: u64, pct: &str) -> String {
    let amount = format!("{target}{}{unit}", lang.pick("", " "));
    let target = words
        .get("target", Some(amount.trim_end()))
        .unwrap_or_default();
    let done = words.get("completed", Some(pct)).unwrap_or_default();
    format!("{target} · {done}")
}

/// A unit's total of one metric across campaigns, as a card: digits as they are, no target.
pub fn unit_total(site: &Site, m: MetricId, value: u64) -> Kpi {
    let metric = site.metric(m);
    Kpi {
        label: metric.label.clone(),
        value,
        value_text: value.to_string(),
        unit: metric.measure_word.clone(),
        target: None,
        completion: None,
        target_line: None,
    }
}

/// A row of key figure cards, as narratives show them (`kpis()`): the markup of the theme's
/// `kpi_row` component (a test holds the two together).
pub fn kpis_html(cards: &[Kpi]) -> String {
    let mut s = String::from("<div class=\"kpis\">");
    for k in cards {
        let _ = write!(
            s,
            "<div class=\"kpi\"><span class=\"kpi-value\">{}</span><span class=\"kpi-unit\">{}</span><span class=\"kpi-label\">{}</span>",
            esc(&k.value_text),
            esc(&k.unit),
            esc(&k.label)
        );
        if let Some(line) = &k.target_line {
            let _ = write!(s, "<span class=\"kpi-target\">{}</span>", esc(line));
        }
        s.push_str("</div>");
    }
    s.push_str("</div>");
    s
}

/// Per-unit totals of every metric (and every ratio) of a campaign, with a total row.
pub fn unit_table(site: &Site, figures: &Figures, campaign: CampaignId) -> String {
    let metrics: Vec<MetricId> = (0..site.metrics.len() as u32)
        .map(MetricId)
        .filter(|&m| figures.query(&Query::total(campaign, m)).records > 0)
        .collect();
    let lang = site.config.language;
    let mut s = format!(
        "<table class=\"figures-table\"><thead><tr><th scope=\"col\">{}</th>",
        lang.pick("单位", "Unit")
    );
    for &m in &metrics {
        let metric = site.metric(m);
        let (open, close) = (lang.pick("（", " ("), lang.pick("）", ")"));
        let _ = write!(
            s,
            "<th scope=\"col\">{}<small>{open}{}{close}</small></th>",
            esc(&metric.label),
            esc(&metric.measure_word)
        );
    }
    let ratios: Vec<_> = site
        .ratios
        .iter()
        .filter(|r| metrics.contains(&r.numerator) && metrics.contains(&r.denominator))
        .collect();
    for r in &ratios {
        let _ = write!(s, "<th scope=\"col\">{}</th>", esc(&r.label));
    }
    s.push_str("</tr></thead><tbody>");
    let mut row = |name: &str, unit: Option<UnitId>, class: &str| {
        let q = |m: MetricId| {
            figures.query(&Query {
                unit,
                ..Query::total(campaign, m)
            })
        };
        if unit.is_some() && metrics.iter().all(|&m| q(m).records == 0) {
            return;
        }
        let _ = write!(s, "<tr{class}><th scope=\"row\">{}</th>", esc(name));
        for &m in &metrics {
            let f = q(m);
            if f.records == 0 {
                s.push_str("<td>—</td>");
            } else {
                let _ = write!(s, "<td>{}</td>", f.value);
            }
        }
        for r in &ratios {
            let pct = numfmt::percent(q(r.numerator).value, q(r.denominator).value, 1)
                .unwrap_or_else(|| "—".into());
            let _ = write!(s, "<td>{pct}</td>");
        }
        s.push_str("</tr>");
    };
    for (i, u) in site.units.iter().enumerate() {
        row(&u.name, Some(UnitId(i as u32)), "");
    }
    row(lang.pick("合计", "Total"), None, " class=\"total\"");
    s.push_str("</tbody></table>");
    s
}

/// How a chart groups its categories (the `by=` argument).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// One bar per reporting unit.
    Unit,
    /// One bar per calendar month.
    Month,
    /// One bar per ISO week.
    Week,
    /// One bar per kind of activity (走访, 座谈, …).
    Activity,
}

impl Grouping {
    /// Parses the `by=` argument.
    pub fn parse(s: &str) -> Option<Grouping> {
        Some(match s {
            "unit" => Grouping::Unit,
            "month" => Grouping::Month,
            "week" => Grouping::Week,
            "activity" => Grouping::Activity,
            _ => return None,
        })
    }
}

/// A chart request after its arguments were checked.
#[derive(Debug, Clone)]
pub struct ChartRequest {
    /// Which chart (`bar`, `stacked`, `line`, `pie`, `progress`).
    pub kind: ChartKind,
    /// The campaign whose records it draws.
    pub campaign: CampaignId,
    /// The metrics drawn, one series each.
    pub metrics: Vec<MetricId>,
    /// How the categories are grouped (`by=`).
    pub by: Grouping,
    /// Only this unit's records, when given.
    pub unit: Option<UnitId>,
    /// First day drawn (inclusive), when given.
    pub from: Option<NaiveDate>,
    /// Last day drawn (inclusive), when given.
    pub to: Option<NaiveDate>,
    /// The caption, when the narrative gives one.
    pub title: Option<String>,
}

/// What a chart of one kind shows, before its title and caption are settled.
struct Drawing {
    categories: Vec<String>,
    series: Vec<Series>,
    unit_word: String,
    target: Option<f64>,
    title: String,
}

/// The question a chart asks of the figures for `metric`, of one unit or all.
fn query(req: &ChartRequest, metric: MetricId, unit: Option<UnitId>) -> Query {
    Query {
        campaign: req.campaign,
        metric,
        unit,
        from: req.from,
        to: req.to,
    }
}

/// One series named after its metric.
fn single(site: &Site, metric: MetricId, values: Vec<f64>) -> Vec<Series> {
    vec![Series {
        name: site.metric(metric).label.clone(),
        values,
    }]
}

/// The data a chart shows, from the figures. `None` when there is nothing to draw.
pub fn chart_data(
    site: &Site,
    figures: &Figures,
    req: &ChartRequest,
    id: String,
) -> Option<ChartData> {
    let lang = site.config.language;
    let metric = *req.metrics.first()?;
    let scope = match req.unit {
        Some(u) if lang == Language::En => format!("{}: ", site.unit(u).name),
        Some(u) => site.unit(u).name.clone(),
        None => String::new(),
    };
    let drawing = match req.kind {
        ChartKind::Bar => bar(site, figures, req, metric, &scope),
        ChartKind::Stacked => stacked(site, figures, req, metric),
        ChartKind::Line => line(site, figures, req, metric, &scope),
        ChartKind::Pie => pie(site, figures, req, metric),
        ChartKind::Progress => progress(site, figures, req),
    };
    if drawing.categories.is_empty() {
        return None;
    }
    let title = req.title.clone().unwrap_or(drawing.title);
    let caption = caption(site, req, &title);
    Some(ChartData {
        kind: req.kind,
        title,
        caption,
        categories: drawing.categories,
        series: drawing.series,
        unit_word: drawing.unit_word,
        target: drawing.target,
        id,
        lang,
    })
}

/// Bars of one metric by unit, month, week or activity.
fn bar(site: &Site, figures: &Figures, req: &ChartRequest, m: MetricId, scope: &str) -> Drawing {
    let lang = site.config.language;
    let metric = site.metric(m);
    let (categories, values): (Vec<String>, Vec<f64>) = match req.by {
        Grouping::Unit => per_unit(site, figures, |u| query(req, m, Some(u))),
        Grouping::Month | Grouping::Week => figures
            .series(
                &query(req, m, req.unit),
                if req.by == Grouping::Month {
                    Period::Month
                } else {
                    Period::Week
                },
            )
            .into_iter()
            .map(|(d, v)| (period_label(d, req.by, lang), v as f64))
            .unzip(),
        Grouping::Activity => figures
            .by_activity(req.campaign, m)
            .into_iter()
            .map(|(a, v)| {
                (
                    if a.is_empty() {
                        lang.pick("其他", "Other").to_string()
                    } else {
                        a.to_string()
                    },
                    v as f64,
                )
            })
            .unzip(),
    };
    let title = match lang {
        Language::ZhCn => {
            let by = match req.by {
                Grouping::Unit => "各单位",
                Grouping::Month => "各月",
                Grouping::Week => "各周",
                Grouping::Activity => "各类活动",
            };
            format!("{scope}{by}{}（{}）", metric.label, metric.measure_word)
        }
        Language::En => {
            let by = match req.by {
                Grouping::Unit => "by unit",
                Grouping::Month => "by month",
                Grouping::Week => "by week",
                Grouping::Activity => "by activity",
            };
            format!("{scope}{} ({}) {by}", metric.label, metric.measure_word)
        }
    };
    Drawing {
        categories,
        series: single(site, m, values),
        unit_word: metric.measure_word.clone(),
        target: None,
        title,
    }
}

/// Stacked bars of several metrics by unit (the units that reported any of them).
fn stacked(site: &Site, figures: &Figures, req: &ChartRequest, first: MetricId) -> Drawing {
    let units: Vec<UnitId> = (0..site.units.len() as u32)
        .map(UnitId)
        .filter(|&u| {
            req.metrics
                .iter()
                .any(|&m| figures.query(&query(req, m, Some(u))).records > 0)
        })
        .collect();
    let series = req
        .metrics
        .iter()
        .map(|&m| Series {
            name: site.metric(m).label.clone(),
            values: units
                .iter()
                .map(|&u| figures.query(&query(req, m, Some(u))).value as f64)
                .collect(),
        })
        .collect();
    let labels: Vec<&str> = req
        .metrics
        .iter()
        .map(|&m| site.metric(m).label.as_str())
        .collect();
    Drawing {
        categories: units.iter().map(|&u| site.unit(u).name.clone()).collect(),
        series,
        unit_word: site.metric(first).measure_word.clone(),
        target: None,
        title: match site.config.language {
            Language::ZhCn => format!("各单位{}", labels.join("、")),
            Language::En => format!("{} by unit", labels.join(", ")),
        },
    }
}

/// The running total of one metric, with the campaign's target as a line when the chart
/// is of all units.
fn line(site: &Site, figures: &Figures, req: &ChartRequest, m: MetricId, scope: &str) -> Drawing {
    let metric = site.metric(m);
    let (categories, values): (Vec<String>, Vec<f64>) = figures
        .cumulative(&query(req, m, req.unit))
        .into_iter()
        .map(|(d, v)| (d.to_string(), v as f64))
        .unzip();
    let target = match req.unit {
        None => target(site.campaign(req.campaign), m).map(|t| t as f64),
        Some(_) => None,
    };
    let title = match site.config.language {
        Language::ZhCn => format!("{scope}{}累计（{}）", metric.label, metric.measure_word),
        Language::En => format!(
            "{scope}{} ({}), running total",
            metric.label, metric.measure_word
        ),
    };
    Drawing {
        categories,
        series: single(site, m, values),
        unit_word: metric.measure_word.clone(),
        target,
        title,
    }
}

/// Each unit's share of one metric.
fn pie(site: &Site, figures: &Figures, req: &ChartRequest, m: MetricId) -> Drawing {
    let metric = site.metric(m);
    let (cats, values) = per_unit(site, figures, |u| query(req, m, Some(u)));
    let (categories, values): (Vec<String>, Vec<f64>) = cats
        .into_iter()
        .zip(values)
        .filter(|(_, v)| *v > 0.0)
        .unzip();
    let title = match site.config.language {
        Language::ZhCn => format!("{}各单位占比", metric.label),
        Language::En => format!("{}: share by unit", metric.label),
    };
    Drawing {
        categories,
        series: single(site, m, values),
        unit_word: metric.measure_word.clone(),
        target: None,
        title,
    }
}

/// Completion of the campaign's targets (those of `req.metrics`, or all when it names one
/// or none), in percent.
fn progress(site: &Site, figures: &Figures, req: &ChartRequest) -> Drawing {
    let lang = site.config.language;
    let (categories, values): (Vec<String>, Vec<f64>) = site
        .campaign(req.campaign)
        .targets
        .iter()
        .filter(|(m, _)| req.metrics.len() <= 1 || req.metrics.contains(m))
        .filter_map(|&(m, t)| {
            let v = figures.query(&query(req, m, req.unit)).value;
            let metric = site.metric(m);
            let label = match lang {
                Language::ZhCn => format!("{}（目标{}{}）", metric.label, t, metric.measure_word),
                Language::En => format!("{} (target {}{})", metric.label, t, metric.measure_word),
            };
            Some((label, completion(v, t)?))
        })
        .unzip();
    Drawing {
        categories,
        series: vec![Series {
            name: lang.pick("完成率", "Completion").into(),
            values,
        }],
        unit_word: "%".into(),
        target: None,
        title: lang
            .pick("目标完成情况", "Progress towards the targets")
            .to_string(),
    }
}

/// One unit's figure of `metric` in each campaign it reported it in, as bars.
pub fn unit_chart(site: &Site, figures: &Figures, unit: UnitId, m: MetricId) -> ChartData {
    let u = site.unit(unit);
    let (categories, values): (Vec<String>, Vec<f64>) = figures
        .unit_by_campaign(unit, m)
        .into_iter()
        .map(|(c, v)| (site.campaign(c).title.clone(), v as f64))
        .unzip();
    let metric = site.metric(m);
    let lang = site.config.language;
    let title = match lang {
        Language::ZhCn => format!(
            "{}各专项活动{}（{}）",
            u.name, metric.label, metric.measure_word
        ),
        Language::En => format!(
            "{}: {} ({}) by campaign",
            u.name, metric.label, metric.measure_word
        ),
    };
    ChartData {
        kind: ChartKind::Bar,
        lang,
        caption: match lang {
            Language::ZhCn => format!("{title}。数据来源：各专项活动记录。"),
            Language::En => format!("{title}. Source: the activity records of every campaign."),
        },
        title,
        categories,
        series: single(site, m, values),
        unit_word: metric.measure_word.clone(),
        target: None,
        id: format!("u{:016x}", fnv1a(u.key.as_str())),
    }
}

fn per_unit(
    site: &Site,
    figures: &Figures,
    q: impl Fn(UnitId) -> Query,
) -> (Vec<String>, Vec<f64>) {
    (0..site.units.len() as u32)
        .map(UnitId)
        .filter_map(|u| {
            let f = figures.query(&q(u));
            (f.records > 0).then(|| (site.unit(u).name.clone(), f.value as f64))
        })
        .unzip()
}

fn period_label(d: NaiveDate, by: Grouping, lang: Language) -> String {
    match by {
        Grouping::Week if lang == Language::En => format!("Week {}", d.iso_week().week()),
        Grouping::Week => format!("第{}周", d.iso_week().week()),
        _ => numfmt::cn_month(d.year(), d.month(), lang),
    }
}

fn caption(site: &Site, req: &ChartRequest, title: &str) -> String {
    let c = site.campaign(req.campaign);
    let lang = site.config.language;
    let from = req.from.unwrap_or(c.start).max(c.start);
    let to = req.to.unwrap_or(c.end).min(c.end);
    let (from, to) = (numfmt::cn_date(from, lang), numfmt::cn_date(to, lang));
    match lang {
        Language::ZhCn => format!("{title}。数据来源：{}活动记录，{from}至{to}。", c.title),
        Language::En => format!(
            "{title}. Source: activity records of {}, {from} to {to}.",
            c.title
        ),
    }
}
