//! The search page: the theme's `search.html`, which searches every bundle of the index made
//! after the pages with Pagefind's search ([`crate::search`]).

use super::super::jobs::Renderer;
use super::super::OutFile;
use crate::diag::Diagnostic;
use crate::paths;

impl Renderer<'_> {
    /// `search/index.html`.
    pub(in crate::render) fn search_page(&self) -> Result<OutFile, Diagnostic> {
        let path = paths::SEARCH.to_string();
        let title = self.words("search_title", "");
        let ctx = self.base_context(
            &path,
            &title,
            &self.words("search_about", &self.site.config.title),
        );
        self.render_template("search.html", &ctx, path)
    }
}
