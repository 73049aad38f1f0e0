//! Figures as HTML fragments: KPI cards, per-unit tables, and the bridge from a chart query
//! (`chart(kind="bar", metric="households", by="unit")`) to the data the chart module draws.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use crate::aggregate::{completion, Figures, Period, Query};
use crate::chart::{ChartData, ChartKind, Series};
use crate::model::{CampaignId, MetricId, Site, UnitId};
use crate::numfmt::{self, Language};

/// HTML-escapes text for element content and attribute values (one escaper for the site).
pub use crate::chart::escape as esc;

/// A row of big figures (KPI cards) for `metrics` of a campaign.
pub fn kpis(site: &Site, figures: &Figures, campaign: CampaignId, metrics: &[MetricId]) -> String {
    let mut s = String::from("<div class=\"kpis\">");
    for &m in metrics {
        let metric = site.metric(m);
        let value = figures.total(campaign, m);
        let target = site
            .campaign(campaign)
            .targets
            .iter()
            .find(|(t, _)| *t == m)
            .map(|(_, t)| *t);
        let _ = write!(
            s,
            "<div class=\"kpi\"><span class=\"kpi-value\">{}</span><span class=\"kpi-unit\">{}</span><span class=\"kpi-label\">{}</span>",
            numfmt::format_count(value, numfmt::Style { approx: None, wan: value >= 100_000 }),
            esc(&metric.unit),
            esc(&metric.label)
        );
        if let Some(pct) = target.and_then(|t| numfmt::percent(value, t, 0)) {
            let text = match site.config.language {
                Language::En => format!("{pct} of target"),
                Language::ZhCn => format!("目标完成 {pct}"),
            };
            let _ = write!(s, "<span class=\"kpi-target\">{text}</span>");
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
            esc(&metric.unit)
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

/// How a chart groups its categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Unit,
    Month,
    Week,
    Activity,
}

impl By {
    /// Parses the `by=` argument.
    pub fn parse(s: &str) -> Option<By> {
        Some(match s {
            "unit" => By::Unit,
            "month" => By::Month,
            "week" => By::Week,
            "activity" => By::Activity,
            _ => return None,
        })
    }
}

/// A chart request after its arguments were checked.
#[derive(Debug, Clone)]
pub struct ChartRequest {
    pub kind: ChartKind,
    pub campaign: CampaignId,
    pub metrics: Vec<MetricId>,
    pub by: By,
    pub unit: Option<UnitId>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub title: Option<String>,
}

/// The data a chart shows, from the figures. `None` when there is nothing to draw.
pub fn chart_data(
    site: &Site,
    figures: &Figures,
    req: &ChartRequest,
    id: String,
) -> Option<ChartData> {
    let lang = site.config.language;
    let campaign = site.campaign(req.campaign);
    let metric = site.metric(*req.metrics.first()?);
    let q = |m: MetricId, unit: Option<UnitId>| Query {
        campaign: req.campaign,
        metric: m,
        unit,
        from: req.from,
        to: req.to,
    };
    let scope = match req.unit {
        Some(u) if lang == Language::En => format!("{}: ", site.unit(u).name),
        Some(u) => site.unit(u).name.clone(),
        None => String::new(),
    };
    let (categories, series, unit_word, target, default_title) = match req.kind {
        ChartKind::Bar => {
            let (cats, values): (Vec<String>, Vec<f64>) = match req.by {
                By::Unit => per_unit(site, figures, |u| q(req.metrics[0], Some(u))),
                By::Month | By::Week => figures
                    .series(
                        &q(req.metrics[0], req.unit),
                        if req.by == By::Month {
                            Period::Month
                        } else {
                            Period::Week
                        },
                    )
                    .into_iter()
                    .map(|(d, v)| (period_label(d, req.by, lang), v as f64))
                    .unzip(),
                By::Activity => figures
                    .by_activity(req.campaign, req.metrics[0])
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
                        By::Unit => "各单位",
                        By::Month => "各月",
                        By::Week => "各周",
                        By::Activity => "各类活动",
                    };
                    format!("{scope}{by}{}（{}）", metric.label, metric.unit)
                }
                Language::En => {
                    let by = match req.by {
                        By::Unit => "by unit",
                        By::Month => "by month",
                        By::Week => "by week",
                        By::Activity => "by activity",
                    };
                    format!("{scope}{} ({}) {by}", metric.label, metric.unit)
                }
            };
            (
                cats,
                vec![Series {
                    name: metric.label.clone(),
                    values,
                }],
                metric.unit.clone(),
                None,
                title,
            )
        }
        ChartKind::Stacked => {
            let units: Vec<UnitId> = (0..site.units.len() as u32).map(UnitId).collect();
            let units: Vec<UnitId> = units
                .into_iter()
                .filter(|&u| {
                    req.metrics
                        .iter()
                        .any(|&m| figures.query(&q(m, Some(u))).records > 0)
                })
                .collect();
            let series = req
                .metrics
                .iter()
                .map(|&m| Series {
                    name: site.metric(m).label.clone(),
                    values: units
                        .iter()
                        .map(|&u| figures.query(&q(m, Some(u))).value as f64)
                        .collect(),
                })
                .collect();
            let cats = units.iter().map(|&u| site.unit(u).name.clone()).collect();
            let labels: Vec<&str> = req
                .metrics
                .iter()
                .map(|&m| site.metric(m).label.as_str())
                .collect();
            (
                cats,
                series,
                metric.unit.clone(),
                None,
                match lang {
                    Language::ZhCn => format!("各单位{}", labels.join("、")),
                    Language::En => format!("{} by unit", labels.join(", ")),
                },
            )
        }
        ChartKind::Line => {
            let points = figures.cumulative(&q(req.metrics[0], req.unit));
            let (cats, values): (Vec<String>, Vec<f64>) = points
                .into_iter()
                .map(|(d, v)| (d.to_string(), v as f64))
                .unzip();
            let target = if req.unit.is_none() {
                campaign
                    .targets
                    .iter()
                    .find(|(m, _)| *m == req.metrics[0])
                    .map(|(_, t)| *t as f64)
            } else {
                None
            };
            let title = match lang {
                Language::ZhCn => format!("{scope}{}累计（{}）", metric.label, metric.unit),
                Language::En => format!("{scope}{} ({}), running total", metric.label, metric.unit),
            };
            (
                cats,
                vec![Series {
                    name: metric.label.clone(),
                    values,
                }],
                metric.unit.clone(),
                target,
                title,
            )
        }
        ChartKind::Pie => {
            let (cats, values) = per_unit(site, figures, |u| q(req.metrics[0], Some(u)));
            let (cats, values): (Vec<String>, Vec<f64>) = cats
                .into_iter()
                .zip(values)
                .filter(|(_, v)| *v > 0.0)
                .unzip();
            let title = match lang {
                Language::ZhCn => format!("{}各单位占比", metric.label),
                Language::En => format!("{}: share by unit", metric.label),
            };
            (
                cats,
                vec![Series {
                    name: metric.label.clone(),
                    values,
                }],
                metric.unit.clone(),
                None,
                title,
            )
        }
        ChartKind::Progress => {
            let (cats, values): (Vec<String>, Vec<f64>) = campaign
                .targets
                .iter()
                .filter(|(m, _)| req.metrics.len() <= 1 || req.metrics.contains(m))
                .filter_map(|&(m, t)| {
                    let v = figures.query(&q(m, req.unit)).value;
                    Some((
                        match lang {
                            Language::ZhCn => format!(
                                "{}（目标{}{}）",
                                site.metric(m).label,
                                t,
                                site.metric(m).unit
                            ),
                            Language::En => format!(
                                "{} (target {}{})",
                                site.metric(m).label,
                                t,
                                site.metric(m).unit
                            ),
                        },
                        completion(v, t)?,
                    ))
                })
                .unzip();
            (
                cats,
                vec![Series {
                    name: lang.pick("完成率", "Completion").into(),
                    values,
                }],
                "%".into(),
                None,
                lang.pick("目标完成情况", "Progress towards the targets")
                    .to_string(),
            )
        }
    };
    if categories.is_empty() {
        return None;
    }
    let title = req.title.clone().unwrap_or(default_title);
    let caption = caption(site, req, &title);
    Some(ChartData {
        kind: req.kind,
        title,
        caption,
        categories,
        series,
        unit_word,
        target,
        id,
        lang,
    })
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

fn period_label(d: NaiveDate, by: By, lang: Language) -> String {
    match by {
        By::Week if lang == Language::En => format!("Week {}", d.iso_week().week()),
        By::Week => format!("第{}周", d.iso_week().week()),
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
