//! An article's page and its print page.

use super::super::context::{ArticleCtx, Link};
use super::super::jobs::Renderer;
use super::super::OutFile;
use crate::diag::Diagnostic;
use crate::model::ArticleId;
use crate::{numfmt, paths};

impl Renderer<'_> {
    /// Everything the article templates show of one article.
    pub(super) fn article_ctx(&self, id: ArticleId, body: &str) -> ArticleCtx {
        let site = self.site;
        let a = site.article(id);
        let issues = self
            .articles
            .issue_refs
            .get(&id)
            .cloned()
            .unwrap_or_default();
        let tags = a
            .tags
            .iter()
            .filter_map(|t| {
                self.articles.tag_slugs.get(t).map(|slug| Link {
                    title: t.clone(),
                    url: paths::tag(slug),
                })
            })
            .collect();
        ArticleCtx {
            summary: self.summary_with_excerpt(id),
            weekday: numfmt::weekday(a.date.date, site.config.language).to_string(),
            byline: a.byline.clone(),
            reporter: a.reporter.clone(),
            source: a.source.clone(),
            author_note: a.author_note.clone(),
            body: body.to_string(),
            tags,
            issues,
            draft: a.draft,
        }
    }

    /// `articles/<slug>/index.html` and its `print.html`.
    pub(in crate::render) fn article(
        &self,
        id: ArticleId,
        body: &str,
    ) -> Result<Vec<OutFile>, Diagnostic> {
        let a = self.site.article(id);
        let path = paths::article(&a.slug);
        let mut ctx = self.base_context(&path, &a.title, &self.lead(body));
        let actx = self.article_ctx(id, body);
        ctx.insert("article", &actx);
        ctx.insert("print_url", &Some(paths::PRINT_FILE));
        let order = &self.articles.order;
        let pos = order.iter().position(|&x| x == id);
        let newer = pos
            .and_then(|p| p.checked_sub(1))
            .map(|p| self.link_of(order[p]));
        let older = pos.and_then(|p| order.get(p + 1)).map(|&x| self.link_of(x));
        ctx.insert("newer", &newer);
        ctx.insert("older", &older);
        let web = self.render_template("article.html", &ctx, path)?;
        // Two columns read well for a long piece; a short one stays in one.
        ctx.insert("columns", &(a.body.chars().count() > 1200));
        let print = self.print_page(
            "print_article.html",
            &mut ctx,
            paths::article_print(&a.slug),
        )?;
        Ok(vec![web, print])
    }

    fn link_of(&self, id: ArticleId) -> Link {
        let a = self.site.article(id);
        Link {
            title: a.title.clone(),
            url: paths::article(&a.slug),
        }
    }
}
