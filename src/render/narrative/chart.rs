//! `chart()`: a chart of a campaign's figures, drawn once however many narratives ask.

use tera::{Kwargs, State};

use super::args::{
    campaign_arg, check_args, date_arg, err, figure, metric_arg, str_arg, unit_arg, FnError,
};
use super::{fnv1a, fragment, Shared};
use crate::aggregate::Query;
use crate::chart::{self as draw, ChartKind};
use crate::diag::did_you_mean;
use crate::model::{CampaignId, MetricId};
use crate::render::figures::{self, ChartRequest, Grouping};

/// A chart as an HTML fragment token.
pub(super) fn chart(sh: &Shared, kw: &Kwargs, st: &State) -> Result<String, FnError> {
    check_args(
        kw,
        "chart",
        &[
            "kind", "metric", "metrics", "by", "campaign", "unit", "from", "to", "title",
        ],
    )?;
    let site = &sh.site;
    let (kind, kind_s) = kind_arg(kw)?;
    let campaign = campaign_arg(sh, kw, st)?;
    let metrics = metrics_arg(sh, kw, (kind, &kind_s), campaign)?;
    let by_s = str_arg(kw, "by")?.unwrap_or_else(|| "unit".into());
    let by = Grouping::parse(&by_s).ok_or_else(|| {
        FnError(
            format!("unknown grouping by=\"{by_s}\""),
            did_you_mean(&by_s, ["unit", "month", "week", "activity"]),
        )
    })?;
    let req = ChartRequest {
        kind,
        campaign,
        metrics,
        by,
        unit: unit_arg(site, kw)?,
        from: date_arg(kw, "from")?,
        to: date_arg(kw, "to")?,
        title: str_arg(kw, "title")?,
    };
    if by == Grouping::Week && sh.figures.has_monthly(campaign) {
        return Err(FnError(
            "this campaign has monthly records, which cannot be drawn week by week".into(),
            Some("draw it by=\"month\"".into()),
        ));
    }
    if kind != ChartKind::Progress {
        for &m in &req.metrics {
            figure(
                sh,
                &Query {
                    campaign,
                    metric: m,
                    unit: req.unit,
                    from: req.from,
                    to: req.to,
                },
            )?;
        }
    }
    let key = format!("chart|{req:?}");
    let id = format!("c{:016x}", fnv1a(&key));
    fragment(sh, key, || {
        let data = figures::chart_data(site, &sh.figures, &req, id)
            .ok_or_else(|| err("the chart has nothing to show"))?;
        draw::render(&data).map_err(|e| err(format!("chart: {e}")))
    })
}

/// The `kind=` argument (a bar chart when it is left out).
fn kind_arg(kw: &Kwargs) -> Result<(ChartKind, String), FnError> {
    let kind_s = str_arg(kw, "kind")?.unwrap_or_else(|| "bar".into());
    let kinds = ["bar", "stacked", "line", "pie", "progress"];
    let kind = match kind_s.as_str() {
        "bar" => ChartKind::Bar,
        "stacked" => ChartKind::Stacked,
        "line" => ChartKind::Line,
        "pie" => ChartKind::Pie,
        "progress" => ChartKind::Progress,
        other => {
            return Err(FnError(
                format!("unknown chart kind \"{other}\""),
                did_you_mean(other, kinds),
            ))
        }
    };
    Ok((kind, kind_s))
}

/// The `metric=` and `metrics=` arguments; when both are left out, a progress chart shows
/// every target and a stacked one every metric the campaign has figures of.
fn metrics_arg(
    sh: &Shared,
    kw: &Kwargs,
    (kind, kind_s): (ChartKind, &str),
    campaign: CampaignId,
) -> Result<Vec<MetricId>, FnError> {
    let site = &sh.site;
    let mut metrics = Vec::new();
    if let Some(m) = str_arg(kw, "metric")? {
        metrics.push(metric_arg(site, &m)?);
    }
    if let Some(list) = kw
        .get::<Vec<String>>("metrics")
        .map_err(|e| err(format!("`metrics` must be a list of metric keys: {e}")))?
    {
        for m in list {
            metrics.push(metric_arg(site, &m)?);
        }
    }
    if metrics.is_empty() {
        match kind {
            ChartKind::Progress => {
                metrics.extend(site.campaign(campaign).targets.iter().map(|(m, _)| *m))
            }
            ChartKind::Stacked => metrics.extend(
                (0..site.metrics.len() as u32)
                    .map(MetricId)
                    .filter(|&m| sh.figures.total(campaign, m) > 0),
            ),
            _ => {
                return Err(FnError(
                    format!("chart(kind=\"{kind_s}\") needs `metric`"),
                    Some("e.g. chart(kind=\"bar\", metric=\"households\", by=\"unit\")".into()),
                ))
            }
        }
    }
    if metrics.is_empty() {
        return Err(err(format!(
            "campaign {} has no targets to show progress against",
            site.campaign(campaign).slug
        )));
    }
    Ok(metrics)
}
