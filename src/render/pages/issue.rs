//! An issue (期) as an e-paper, page (版) by page, and as a 简报 for print.

use super::super::context::{DistributionLine, IssuePageCtx, IssuePrintPage};
use super::super::jobs::Renderer;
use super::super::OutFile;
use crate::diag::Diagnostic;
use crate::model::Issue;
use crate::paths;

impl Renderer<'_> {
    /// `issues/<number>/index.html` and its `print.html`, for the issue at `index` of
    /// [`Site::issues`](crate::model::Site::issues).
    pub(in crate::render) fn issue(&self, index: usize) -> Result<Vec<OutFile>, Diagnostic> {
        let site = self.site;
        let i = &site.issues[index];
        let number = self
            .theme
            .words
            .get("issue_no", Some(&i.number.to_string()))
            .unwrap_or_default();
        let title = match &i.title {
            Some(t) => format!("{number} {t}"),
            None => number,
        };
        let path = paths::issue(i.number);
        let pages = self.issue_pages(i);
        let description = self.titled_list(
            format!("{} {title}", site.config.title),
            pages
                .iter()
                .flat_map(|p| &p.articles)
                .map(|a| a.title.as_str()),
        );
        let mut ctx = self.base_context(&path, &title, &description);
        ctx.insert("issue", &self.issue_summary(i));
        ctx.insert("print_url", &Some(paths::PRINT_FILE));
        ctx.insert("pages", &pages);
        // Who the issue goes to (报/送/发).
        let distribution: Vec<DistributionLine> = i
            .distribution
            .iter()
            .map(|(k, v)| DistributionLine {
                heading: k.clone(),
                recipients: v.join("，"),
            })
            .collect();
        ctx.insert("distribution", &distribution);
        ctx.insert("copies", &i.copies);
        let prev = index
            .checked_sub(1)
            .map(|p| self.issue_summary(&site.issues[p]));
        let next = site.issues.get(index + 1).map(|n| self.issue_summary(n));
        ctx.insert("prev", &prev);
        ctx.insert("next", &next);
        let web = self.render_template("issue.html", &ctx, path)?;
        ctx.insert("pages", &self.issue_print_pages(i));
        let print = self.print_page("print_issue.html", &mut ctx, paths::issue_print(i.number))?;
        Ok(vec![web, print])
    }

    /// The issue's pages (版) with their lists of published articles.
    fn issue_pages(&self, i: &Issue) -> Vec<IssuePageCtx> {
        i.pages
            .iter()
            .map(|p| IssuePageCtx {
                page: p.page.clone(),
                name: p.name.clone(),
                anchor: format!(
                    "page-{}",
                    p.page
                        .to_ascii_lowercase()
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric())
                        .collect::<String>()
                ),
                articles: p
                    .articles
                    .iter()
                    .filter(|a| self.articles.summaries.contains_key(a))
                    .map(|&a| self.summary_with_excerpt(a))
                    .collect(),
            })
            .collect()
    }

    /// The 简报 prints every article of the issue in full, in page order.
    fn issue_print_pages(&self, i: &Issue) -> Vec<IssuePrintPage> {
        i.pages
            .iter()
            .map(|p| IssuePrintPage {
                page: p.page.clone(),
                name: p.name.clone(),
                articles: p
                    .articles
                    .iter()
                    .filter(|a| self.articles.summaries.contains_key(a))
                    .map(|&a| self.article_ctx(a, &self.body(a)))
                    .collect(),
            })
            .collect()
    }
}
