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
            let _ = write!(s, "<span class=\"kpi-target\">目标完成 {pct}</span>");
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
    let mut s =
        String::from("<table class=\"figures-table\"><thead><tr><th scope=\"col\">单位</th>");
    for &m in &metrics {
        let metric = site.metric(m);
        let _ = write!(
            s,
            "<th scope=\"col\">{}<small>（{}）</small></th>",
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
    row("合计", None, " class=\"total\"");
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
                                "其他".to_string()
                            } else {
                                a.to_string()
                            },
                            v as f64,
                        )
                    })
                    .unzip(),
            };
            let by = match req.by {
                By::Unit => "各单位",
                By::Month => "各月",
                By::Week => "各周",
                By::Activity => "各类活动",
            };
            let title = format!("{scope}{by}{}（{}）", metric.label, metric.unit);
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
                format!("各单位{}", labels.join("、")),
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
            let title = format!("{scope}{}累计（{}）", metric.label, metric.unit);
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
            let title = format!("{}各单位占比", metric.label);
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
                        format!(
                            "{}（目标{}{}）",
                            site.metric(m).label,
                            t,
                            site.metric(m).unit
                        ),
                        completion(v, t)?,
                    ))
                })
                .unzip();
            (
                cats,
                vec![Series {
                    name: "完成率".into(),
                    values,
                }],
                "%".into(),
                None,
                "目标完成情况".to_string(),
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
        By::Week => format!("第{}周", d.iso_week().week()),
        _ => numfmt::cn_month(d.year(), d.month(), lang),
    }
}

fn caption(site: &Site, req: &ChartRequest, title: &str) -> String {
    let c = site.campaign(req.campaign);
    let lang = site.config.language;
    let from = req.from.unwrap_or(c.start).max(c.start);
    let to = req.to.unwrap_or(c.end).min(c.end);
    format!(
        "{title}。数据来源：{}活动记录，{}至{}。",
        c.title,
        numfmt::cn_date(from, lang),
        numfmt::cn_date(to, lang)
    )
}
