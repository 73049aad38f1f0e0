//! `kpis()`: a row of key figure cards, the same cards the pages show.

use tera::{Kwargs, State};

use super::args::{campaign_arg, check_args, err, figure, metric_arg, FnError};
use super::{fragment, Shared};
use crate::aggregate::Query;
use crate::model::MetricId;
use crate::render::figures;

/// Key figure cards of `metrics` (or every metric the campaign reported).
pub(super) fn kpis(sh: &Shared, kw: &Kwargs, st: &State) -> Result<String, FnError> {
    check_args(kw, "kpis", &["metrics", "campaign"])?;
    let site = &sh.site;
    let campaign = campaign_arg(sh, kw, st)?;
    let metrics = match kw
        .get::<Vec<String>>("metrics")
        .map_err(|e| err(format!("`metrics` must be a list: {e}")))?
    {
        Some(list) => list
            .iter()
            .map(|m| metric_arg(site, m))
            .collect::<Result<Vec<_>, _>>()?,
        None => (0..site.metrics.len() as u32)
            .map(MetricId)
            .filter(|&m| sh.figures.total(campaign, m) > 0)
            .collect(),
    };
    for &m in &metrics {
        figure(sh, &Query::total(campaign, m))?;
    }
    let key = format!("kpis|{campaign:?}|{metrics:?}");
    fragment(sh, key, || {
        let c = site.campaign(campaign);
        let cards: Vec<_> = sh
            .figures
            .key_figures(c, campaign, &metrics)
            .iter()
            .map(|k| figures::kpi(site, &sh.words, k))
            .collect();
        Ok(figures::kpis_html(&cards))
    })
}
