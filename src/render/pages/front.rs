//! The front page (头版): the latest articles and issues, and the campaigns' key figures.

use super::super::context::{ArticleSummary, CampaignSummary, IssueSummary};
use super::super::figures::Grouping;
use super::super::jobs::Renderer;
use super::super::OutFile;
use crate::chart::ChartKind;
use crate::diag::Diagnostic;
use crate::model::CampaignId;
use crate::paths;

impl Renderer<'_> {
    /// `index.html`.
    pub(in crate::render) fn front_page(&self) -> Result<OutFile, Diagnostic> {
        let site = self.site;
        let path = paths::FRONT;
        let description = match &site.config.description {
            Some(d) => d.clone(),
            None => self.words("site_about", &site.config.title),
        };
        let mut ctx = self.base_context(path, &site.config.title, &description);
        let latest: Vec<ArticleSummary> = self
            .articles
            .order
            .iter()
            .take(12)
            .map(|&id| self.summary_with_excerpt(id))
            .collect();
        ctx.insert("articles", &latest);
        let issue = site
            .issues
            .iter()
            .rev()
            .find(|i| i.date <= self.opts.now.date_naive() || self.opts.drafts)
            .map(|i| self.issue_summary(i));
        ctx.insert("latest_issue", &issue);
        let issues: Vec<IssueSummary> = site
            .issues
            .iter()
            .rev()
            .take(8)
            .map(|i| self.issue_summary(i))
            .collect();
        ctx.insert("issues", &issues);
        let order = self.campaigns_running_first();
        let campaigns: Vec<CampaignSummary> =
            order.iter().map(|&c| self.campaign_summary(c)).collect();
        let chart = order.first().and_then(|&c| {
            if site.campaign(c).targets.is_empty() {
                self.chart(
                    c,
                    ChartKind::Bar,
                    vec![self.main_metric(c)?],
                    Grouping::Unit,
                )
            } else {
                self.progress_chart(c)
            }
        });
        ctx.insert("chart", &chart);
        ctx.insert("campaigns", &campaigns);
        self.render_template("index.html", &ctx, path.into())
    }

    /// Running campaigns first, then the most recently ended.
    fn campaigns_running_first(&self) -> Vec<CampaignId> {
        let site = self.site;
        let today = self.opts.now.date_naive();
        let mut order: Vec<CampaignId> = (0..site.campaigns.len() as u32).map(CampaignId).collect();
        order.sort_by_key(|&c| {
            let c = site.campaign(c);
            (
                !(c.start <= today && today <= c.end),
                std::cmp::Reverse(c.end),
                c.slug.clone(),
            )
        });
        order
    }
}
