//! A single page (关于, 联系我们): a narrative of its own, outside the campaigns.

use std::sync::Arc;

use super::super::context::Link;
use super::super::jobs::Renderer;
use super::super::OutFile;
use crate::diag::Diagnostic;
use crate::paths;

impl Renderer<'_> {
    /// `pages/<slug>/index.html`, for the single page at `index` of [`Site::pages`].
    ///
    /// [`Site::pages`]: crate::model::Site::pages
    pub(in crate::render) fn single_page(&self, index: usize) -> Result<OutFile, Diagnostic> {
        let p = &self.site.pages[index];
        let body = self
            .bodies
            .single_pages
            .get(index)
            .cloned()
            .unwrap_or_else(|| Arc::from(""));
        let path = paths::single_page(&p.slug);
        let mut ctx = self.base_context(&path, &p.title, &self.lead(&body));
        ctx.insert(
            "page",
            &Link {
                title: p.title.clone(),
                url: path.clone(),
            },
        );
        ctx.insert("body", &*body);
        self.render_template("page.html", &ctx, path)
    }
}
