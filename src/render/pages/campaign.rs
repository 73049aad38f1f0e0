//! A campaign's summary page and its print page: key figures, targets, charts, the per-unit
//! table, the timeline and its articles.

use std::collections::BTreeMap;

use chrono::Datelike;

use super::super::context::{ArticleSummary, Kpi, RatioCtx, TimelineItem, TimelineMonth};
use super::super::excerpt::sentence;
use super::super::figures::{self, Grouping};
use super::super::jobs::Renderer;
use super::super::OutFile;
use crate::chart::ChartKind;
use crate::diag::Diagnostic;
use crate::model::{CampaignId, MetricId, Record, Site};
use crate::numfmt::{self, Language};
use crate::paths;

/// Campaigns with more records than this show their timeline month by month.
const TIMELINE_LIMIT: usize = 300;

impl Renderer<'_> {
    /// `campaigns/<slug>/index.html` and its `print.html`.
    pub(in crate::render) fn campaign(
        &self,
        id: CampaignId,
        summary_html: Option<&str>,
    ) -> Result<Vec<OutFile>, Diagnostic> {
        let site = self.site;
        let c = site.campaign(id);
        let path = paths::campaign(&c.slug);
        let description = match summary_html {
            Some(html) => self.lead(html),
            None => self.words("campaign_about", &c.title),
        };
        let mut ctx = self.base_context(&path, &c.title, &description);
        ctx.insert("campaign", &self.campaign_summary(id));
        ctx.insert("print_url", &Some(paths::PRINT_FILE));
        ctx.insert("summary", &summary_html);
        let kpis = self.kpis(id);
        ctx.insert("kpis", &kpis);
        let targets: Vec<Kpi> = kpis.into_iter().filter(|k| k.target.is_some()).collect();
        ctx.insert("targets", &targets);
        let has_records = self.figures.record_count(id) > 0;
        let charts = if has_records {
            self.campaign_charts(id)
        } else {
            Vec::new()
        };
        ctx.insert("charts", &charts);
        let table = has_records.then(|| figures::unit_table(site, self.figures, id));
        ctx.insert("table", &table);
        ctx.insert("ratios", &self.ratios(id));
        ctx.insert("timeline", &self.timeline(id));
        let articles: Vec<ArticleSummary> = self
            .articles
            .order
            .iter()
            .filter(|&&a| site.article(a).campaign == Some(id))
            .map(|&a| self.summary_with_excerpt(a))
            .collect();
        ctx.insert("articles", &articles);
        let web = self.render_template("campaign.html", &ctx, path)?;
        let print = self.print_page(
            "print_campaign.html",
            &mut ctx,
            paths::campaign_print(&c.slug),
        )?;
        Ok(vec![web, print])
    }

    /// `data/<campaign>.xlsx`: the campaign's figures as a workbook, numbers as number cells.
    pub(in crate::render) fn campaign_workbook(
        &self,
        id: CampaignId,
    ) -> Result<OutFile, Diagnostic> {
        let bytes = crate::workbook::campaign_workbook(self.site, self.figures, id)?;
        Ok(OutFile {
            path: paths::campaign_workbook(&self.site.campaign(id).slug),
            bytes,
        })
    }

    /// Progress against the targets, then the main metric over time, by unit and by month.
    fn campaign_charts(&self, id: CampaignId) -> Vec<String> {
        let mut charts: Vec<String> = Vec::new();
        charts.extend(self.progress_chart(id));
        if let Some(m) = self.main_metric(id) {
            charts.extend(self.chart(id, ChartKind::Line, vec![m], Grouping::Unit));
            charts.extend(self.chart(id, ChartKind::Bar, vec![m], Grouping::Unit));
            charts.extend(self.chart(id, ChartKind::Pie, vec![m], Grouping::Unit));
            charts.extend(self.chart(id, ChartKind::Bar, vec![m], Grouping::Month));
        }
        charts
    }

    /// The site's ratios that can be computed for the campaign.
    fn ratios(&self, id: CampaignId) -> Vec<RatioCtx> {
        self.site
            .ratios
            .iter()
            .filter_map(|r| {
                let n = self.figures.total(id, r.numerator);
                let d = self.figures.total(id, r.denominator);
                numfmt::percent(n, d, 1).map(|percent| RatioCtx {
                    label: r.label.clone(),
                    percent,
                })
            })
            .collect()
    }

    /// The campaign's records by month, with what happened. A long campaign's timeline
    /// would be thousands of lines nobody reads: past [`TIMELINE_LIMIT`] records it shows
    /// each month's totals instead (every record stays in data/records.csv).
    fn timeline(&self, id: CampaignId) -> Vec<TimelineMonth> {
        let site = self.site;
        let lang = site.config.language;
        let mut months: BTreeMap<(i32, u32), Vec<TimelineItem>> = BTreeMap::new();
        for r in site.records.iter().filter(|r| r.campaign == id) {
            months
                .entry((r.date.year(), r.date.month()))
                .or_default()
                .push(timeline_item(site, r));
        }
        let detailed = months.values().map(Vec::len).sum::<usize>() <= TIMELINE_LIMIT;
        months
            .into_iter()
            .map(|((y, m), mut items)| {
                let label = numfmt::cn_month(y, m, lang);
                if detailed {
                    items.sort_by(|a, b| a.date.cmp(&b.date).then(a.unit.cmp(&b.unit)));
                    return TimelineMonth {
                        label,
                        summary: None,
                        items,
                    };
                }
                let totals = self.figures.month_totals(id, y, m);
                TimelineMonth {
                    label,
                    summary: Some(month_summary(site, items.len(), &totals)),
                    items: Vec::new(),
                }
            })
            .collect()
    }
}

/// One record on the timeline.
fn timeline_item(site: &Site, r: &Record) -> TimelineItem {
    let lang = site.config.language;
    TimelineItem {
        date_cn: if r.monthly {
            numfmt::cn_month(r.date.year(), r.date.month(), lang)
        } else {
            numfmt::cn_date(r.date, lang)
        },
        date: if r.monthly {
            r.date.format("%Y-%m").to_string()
        } else {
            r.date.to_string()
        },
        unit: site.unit(r.unit).name.clone(),
        unit_url: paths::unit(&site.unit(r.unit).key),
        activity: r.activity.clone(),
        place: r.place.clone(),
        note: sentence(&r.note),
        figures: r
            .metrics
            .iter()
            .map(|&(m, n)| figure_text(site, m, n))
            .collect::<Vec<_>>()
            .join(lang.pick("，", ", ")),
    }
}

/// A month's totals in a sentence: 活动记录12条：走访群众1836户，……。
fn month_summary(site: &Site, records: usize, totals: &[(MetricId, u64)]) -> String {
    let totals: Vec<String> = totals
        .iter()
        .map(|&(m, n)| figure_text(site, m, n))
        .collect();
    match site.config.language {
        Language::ZhCn => format!("活动记录{records}条：{}。", totals.join("，")),
        Language::En => format!("{records} activity records: {}.", totals.join(", ")),
    }
}

/// A metric's figure with its label and measure word: 走访群众1836户.
fn figure_text(site: &Site, metric: MetricId, n: u64) -> String {
    let m = site.metric(metric);
    let sep = site.config.language.pick("", " ");
    format!("{}{sep}{}{}", m.label, n, m.measure_word)
}
