//! A reporting unit's page: what it reported, across campaigns.

use std::sync::atomic::Ordering;

use super::super::context::{Kpi, Link, UnitRow};
use super::super::figures;
use super::super::jobs::Renderer;
use super::super::OutFile;
use super::campaign_link;
use crate::diag::Diagnostic;
use crate::model::{CampaignId, MetricId, UnitId};
use crate::paths;

impl Renderer<'_> {
    /// `units/<key>/index.html`.
    pub(in crate::render) fn unit(&self, id: UnitId) -> Result<OutFile, Diagnostic> {
        let site = self.site;
        let u = site.unit(id);
        let path = paths::unit(&u.key);
        let description = self.words("unit_about", &u.name);
        let mut ctx = self.base_context(&path, &u.name, &description);
        ctx.insert(
            "unit",
            &Link {
                title: u.name.clone(),
                url: path.clone(),
            },
        );
        let metrics: Vec<MetricId> = (0..site.metrics.len() as u32)
            .map(MetricId)
            .filter(|&m| self.figures.unit_total(id, m).records > 0)
            .collect();
        let totals: Vec<Kpi> = metrics
            .iter()
            .map(|&m| figures::unit_total(site, m, self.figures.unit_total(id, m).value))
            .collect();
        ctx.insert("totals", &totals);
        let header: Vec<String> = metrics
            .iter()
            .map(|&m| {
                format!(
                    "{}（{}）",
                    site.metric(m).label,
                    site.metric(m).measure_word
                )
            })
            .collect();
        ctx.insert("metric_headers", &header);
        let rows: Vec<UnitRow> = (0..site.campaigns.len() as u32)
            .map(CampaignId)
            .filter_map(|c| {
                let cells: Vec<Option<u64>> = metrics
                    .iter()
                    .map(|&m| self.figures.unit_in_campaign(id, c, m))
                    .collect();
                cells.iter().any(Option::is_some).then(|| UnitRow {
                    campaign: campaign_link(site.campaign(c)),
                    cells,
                })
            })
            .collect();
        ctx.insert("rows", &rows);
        // The site's first metric this unit reported: site.yaml lists the headline one first.
        let chart = metrics.first().and_then(|&m| {
            let data = figures::unit_chart(site, self.figures, id, m);
            self.charts.fetch_add(1, Ordering::Relaxed);
            crate::chart::render(&data).ok()
        });
        ctx.insert("chart", &chart);
        let records = site.records.iter().filter(|r| r.unit == id).count();
        ctx.insert("record_count", &records);
        self.render_template("unit.html", &ctx, path)
    }
}
