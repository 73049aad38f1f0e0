//! One builder per kind of page, each a method of the [`Renderer`]; here what they share:
//! the base context, template rendering, print pages, and the summaries lists show.

mod archive;
mod article;
mod campaign;
mod front;
mod issue;
mod search;
mod single;
pub(super) mod tags;
mod unit;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use tera::Context;

use super::context::{ArticleSummary, CampaignSummary, IssueSummary, Kpi, Link};
use super::excerpt::lead;
use super::figures::{self, ChartRequest, Grouping};
use super::images::inline_images;
use super::jobs::Renderer;
use super::{narrative, theme, OutFile};
use crate::chart::ChartKind;
use crate::diag::Diagnostic;
use crate::model::{ArticleId, Campaign, CampaignId, Issue, MetricId};
use crate::{numfmt, paths};

/// How long a page's description may be, in characters: about what search results show.
const DESCRIPTION_CHARS: usize = 120;

/// A link to a campaign's page.
pub(super) fn campaign_link(c: &Campaign) -> Link {
    Link {
        title: c.title.clone(),
        url: paths::campaign(&c.slug),
    }
}

impl Renderer<'_> {
    /// What every page at `path` gets besides the globals set once a session (`site`,
    /// `nav_campaigns`, `nav_pages`): `description` is what search results show of it.
    fn base_context(&self, path: &str, title: &str, description: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert("root", &paths::root_of(path));
        ctx.insert("page_title", title);
        let description = if description.trim().is_empty() {
            title
        } else {
            description
        };
        ctx.insert("description", description);
        ctx.insert("print_url", &None::<String>);
        ctx
    }

    /// A page's description from its rendered body: the opening sentences.
    fn lead(&self, html: &str) -> String {
        lead(html, DESCRIPTION_CHARS)
    }

    /// A label of the theme's words with `n` in it (`"tag_about"`, 走访 → 标签“走访”下的稿件).
    fn words(&self, key: &str, n: &str) -> String {
        self.theme.words.get(key, Some(n)).unwrap_or_default()
    }

    /// `head` followed by a list of titles, as far as a description holds: 第12期：甲、乙、丙.
    fn titled_list<'t>(&self, head: String, titles: impl Iterator<Item = &'t str>) -> String {
        let lang = self.site.config.language;
        let titles: Vec<&str> = titles.collect();
        if titles.is_empty() {
            return head;
        }
        let text = format!(
            "{head}{}{}",
            lang.pick("：", ": "),
            titles.join(lang.pick("、", "; "))
        );
        if text.chars().count() <= DESCRIPTION_CHARS {
            return text;
        }
        let cut: String = text.chars().take(DESCRIPTION_CHARS).collect();
        format!("{cut}……")
    }

    /// Renders `template` with `ctx` into the file at `path`.
    fn render_template(
        &self,
        template: &str,
        ctx: &Context,
        path: String,
    ) -> Result<OutFile, Diagnostic> {
        // Straight into bytes, sized for a typical page: no re-validation of the UTF-8 that
        // Tera wrote, and few reallocations (both showed in profiles of 10,000-page builds).
        let mut bytes = Vec::with_capacity(32 * 1024);
        self.theme
            .tera
            .render_to(template, ctx, &mut bytes)
            .map_err(|e| theme::template_error(&e, &self.theme.sources))?;
        let bytes = super::photo::put_root(bytes, &paths::root_of(&path));
        Ok(OutFile { path, bytes })
    }

    /// A self-contained print page: the print CSS inline, images as data URIs.
    fn print_page(
        &self,
        template: &str,
        ctx: &mut Context,
        path: String,
    ) -> Result<OutFile, Diagnostic> {
        let mut page = self.render_template(template, ctx, path)?;
        if memchr::memmem::find(&page.bytes, b"<img").is_some() {
            let html = String::from_utf8_lossy(&page.bytes).into_owned();
            page.bytes = inline_images(&html, self.site, &self.photos.print).into_bytes();
        }
        Ok(page)
    }

    /// An article's rendered body (empty in a run that renders none).
    pub(super) fn body(&self, id: ArticleId) -> Arc<str> {
        self.bodies
            .articles
            .get(&id)
            .cloned()
            .unwrap_or_else(|| Arc::from(""))
    }

    fn summary_with_excerpt(&self, id: ArticleId) -> ArticleSummary {
        let mut s = self.articles.summaries[&id].clone();
        s.excerpt = self.bodies.excerpts.get(&id).cloned().unwrap_or_default();
        s
    }

    fn issue_summary(&self, i: &Issue) -> IssueSummary {
        IssueSummary {
            number: i.number,
            title: i.title.clone(),
            url: paths::issue(i.number),
            date: i.date.to_string(),
            date_cn: numfmt::cn_date(i.date, self.site.config.language),
            articles: i
                .pages
                .iter()
                .map(|p| {
                    p.articles
                        .iter()
                        .filter(|a| self.articles.summaries.contains_key(a))
                        .count()
                })
                .sum(),
        }
    }

    /// The key figure cards of every metric a campaign reported.
    fn kpis(&self, id: CampaignId) -> Vec<Kpi> {
        let c = self.site.campaign(id);
        let metrics = self.figures.reported(id);
        self.figures
            .key_figures(c, id, &metrics)
            .iter()
            .map(|k| figures::kpi(self.site, &self.theme.words, k))
            .collect()
    }

    fn campaign_summary(&self, id: CampaignId) -> CampaignSummary {
        let c = self.site.campaign(id);
        let lang = self.site.config.language;
        let today = self.opts.now.date_naive();
        CampaignSummary {
            slug: c.slug.to_string(),
            title: c.title.clone(),
            url: paths::campaign(&c.slug),
            organizer: c.organizer.clone(),
            start_cn: numfmt::cn_date(c.start, lang),
            end_cn: numfmt::cn_date(c.end, lang),
            records: self.figures.record_count(id),
            kpis: self.kpis(id).into_iter().take(4).collect(),
            running: c.start <= today && today <= c.end,
        }
    }

    /// The metric a campaign is mainly about.
    fn main_metric(&self, id: CampaignId) -> Option<MetricId> {
        self.figures.main_metric(self.site.campaign(id), id)
    }

    /// A chart of a campaign's whole figures, as `<figure>` HTML; `None` when there is
    /// nothing to draw.
    fn chart(
        &self,
        campaign: CampaignId,
        kind: ChartKind,
        metrics: Vec<MetricId>,
        by: Grouping,
    ) -> Option<String> {
        let req = ChartRequest {
            kind,
            campaign,
            metrics,
            by,
            unit: None,
            from: None,
            to: None,
            title: None,
        };
        let chart_id = format!("c{:016x}", narrative::fnv1a(&format!("page|{req:?}")));
        let data = figures::chart_data(self.site, self.figures, &req, chart_id)?;
        self.charts.fetch_add(1, Ordering::Relaxed);
        crate::chart::render(&data).ok()
    }

    /// A campaign's progress chart over its targets, if it has any.
    fn progress_chart(&self, id: CampaignId) -> Option<String> {
        let targets: Vec<MetricId> = self
            .site
            .campaign(id)
            .targets
            .iter()
            .map(|(m, _)| *m)
            .collect();
        if targets.is_empty() {
            return None;
        }
        self.chart(id, ChartKind::Progress, targets, Grouping::Unit)
    }
}
