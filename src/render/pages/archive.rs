//! The archive: articles by year and month, and every issue.

use std::collections::BTreeMap;

use chrono::Datelike;

use super::super::context::{ArchiveMonth, ArchiveYear, ArticleSummary, IssueSummary};
use super::super::jobs::Renderer;
use super::super::OutFile;
use crate::diag::Diagnostic;
use crate::{numfmt, paths};

impl Renderer<'_> {
    /// `archive/index.html`.
    pub(in crate::render) fn archive(&self) -> Result<OutFile, Diagnostic> {
        let site = self.site;
        let title = site.config.language.pick("归档", "Archive");
        let description = self.words("archive_about", &site.config.title);
        let mut ctx = self.base_context(paths::ARCHIVE, title, &description);
        let mut years: BTreeMap<i32, BTreeMap<u32, Vec<ArticleSummary>>> = BTreeMap::new();
        for &id in &self.articles.order {
            let d = site.article(id).date.date;
            years
                .entry(d.year())
                .or_default()
                .entry(d.month())
                .or_default()
                .push(self.articles.summaries[&id].clone());
        }
        let years: Vec<ArchiveYear> = years
            .into_iter()
            .rev()
            .map(|(y, months)| ArchiveYear {
                year: y,
                months: months
                    .into_iter()
                    .rev()
                    .map(|(m, articles)| ArchiveMonth {
                        label: numfmt::cn_month(y, m, site.config.language),
                        anchor: format!("m{y}-{m:02}"),
                        articles,
                    })
                    .collect(),
            })
            .collect();
        ctx.insert("years", &years);
        let issues: Vec<IssueSummary> = site
            .issues
            .iter()
            .rev()
            .map(|i| self.issue_summary(i))
            .collect();
        ctx.insert("issues", &issues);
        self.render_template("archive.html", &ctx, paths::ARCHIVE.into())
    }
}
