//! The pages of a build as jobs: which pages there are (their paths, for `check` and `serve`),
//! rendering them in parallel, then the feeds, data, assets and static files.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::narrative::Narratives;
use super::session::{ArticleIndex, Bodies};
use super::{feeds, theme, Options, OutFile, PageRef, Selection, Sink, Stats};
use crate::aggregate::Figures;
use crate::diag::Diagnostic;
use crate::model::{Article, CampaignId, Site, UnitId};
use crate::paths;

/// One page job: renders one or a few files.
type Job<'a> = Box<dyn Fn() -> Result<Vec<OutFile>, Diagnostic> + Send + Sync + 'a>;

/// One run over a session's pages, handing files to `sink`.
pub(super) struct Renderer<'a> {
    /// Where finished files go.
    pub(super) sink: &'a Sink<'a>,
    pub(super) site: &'a Site,
    pub(super) figures: &'a Figures,
    pub(super) theme: &'a theme::Theme,
    pub(super) narratives: &'a Narratives,
    pub(super) opts: &'a Options,
    pub(super) articles: &'a ArticleIndex,
    /// Rendered narrative bodies (empty while they are being made).
    pub(super) bodies: &'a Bodies,
    /// The processed photos: copies to publish, print copies to embed.
    pub(super) photos: &'a crate::photos::Processed,
    /// Charts drawn for pages (narrative charts are counted by [`Narratives`]).
    pub(super) charts: AtomicUsize,
}

impl Renderer<'_> {
    /// The page jobs of `sel`.
    fn jobs(&self, sel: &Selection) -> Vec<Job<'_>> {
        let site = self.site;
        let want = |p: &PageRef| sel.includes(p);
        let mut jobs: Vec<Job<'_>> = Vec::new();
        if want(&PageRef::Front) {
            jobs.push(Box::new(|| self.front_page().map(|f| vec![f])));
        }
        for &id in &self.articles.order {
            if want(&PageRef::Article(id)) {
                jobs.push(Box::new(move || self.article(id, &self.body(id))));
            }
        }
        for i in 0..site.campaigns.len() {
            let c = CampaignId(i as u32);
            if want(&PageRef::Campaign(c)) {
                jobs.push(Box::new(move || {
                    let summary = self.bodies.campaigns.get(i).cloned().flatten();
                    let mut files = self.campaign(c, summary.as_deref())?;
                    files.push(self.campaign_workbook(c)?);
                    Ok(files)
                }));
            }
        }
        for i in 0..site.units.len() {
            if want(&PageRef::Unit(UnitId(i as u32))) {
                jobs.push(Box::new(move || {
                    self.unit(UnitId(i as u32)).map(|f| vec![f])
                }));
            }
        }
        for i in 0..site.issues.len() {
            if want(&PageRef::Issue(i)) {
                jobs.push(Box::new(move || self.issue(i)));
            }
        }
        for i in 0..site.pages.len() {
            if want(&PageRef::SinglePage(i)) {
                jobs.push(Box::new(move || self.single_page(i).map(|f| vec![f])));
            }
        }
        if want(&PageRef::Archive) {
            jobs.push(Box::new(|| self.archive().map(|f| vec![f])));
        }
        if want(&PageRef::Tags) {
            jobs.push(Box::new(|| self.tag_pages()));
        }
        if want(&PageRef::Data) {
            jobs.push(Box::new(|| Ok(self.data_files())));
        }
        if want(&PageRef::Feed) {
            jobs.push(Box::new(|| Ok(vec![self.feed()])));
        }
        if self.opts.search && want(&PageRef::Search) {
            jobs.push(Box::new(|| self.search_page().map(|f| vec![f])));
        }
        jobs
    }

    /// The Atom feed of the published articles.
    fn feed(&self) -> OutFile {
        let published: Vec<&Article> = self
            .articles
            .order
            .iter()
            .map(|&id| self.site.article(id))
            .collect();
        feeds::atom(
            self.site,
            &published,
            &self.base_url(),
            &self.bodies.articles,
            &self.articles.order,
        )
    }

    /// The sitemap (of every page and static file) and the archive data.
    fn data_files(&self) -> Vec<OutFile> {
        let site = self.site;
        let mut paths = self.page_paths();
        paths.extend(site.static_files.iter().map(|rel| paths::static_file(rel)));
        let base = self.base_url();
        let mut files = Vec::with_capacity(3);
        // A sitemap lists absolute URLs only; with a bare path there are none to give.
        if paths::base_has_host(&base) {
            files.push(feeds::sitemap(&paths, &base));
        }
        files.push(feeds::records_csv(site));
        files.push(feeds::summary_json(site, self.figures));
        files
    }

    fn base_url(&self) -> String {
        self.opts
            .base_url
            .clone()
            .unwrap_or_else(|| self.site.config.base_url.clone())
    }

    /// Whether this run makes only the paths of the pages: a check, with nothing to check in
    /// the pages themselves. Built-in templates cannot fail on a loaded site, so their pages
    /// are neither laid out nor rendered (that is most of a check's time).
    pub(super) fn paths_only(&self) -> bool {
        self.opts.check_only && !self.theme.customized
    }

    /// The paths the pages of a full run write, without rendering them. Must match what the
    /// page builders write (a test holds them together).
    fn page_paths(&self) -> Vec<String> {
        self.routes().into_iter().map(|(path, _)| path).collect()
    }

    /// Every page path of a full run with the page it belongs to (a print page belongs to its
    /// article, campaign or issue; every tag page to [`PageRef::Tags`]).
    pub(super) fn routes(&self) -> Vec<(String, PageRef)> {
        let site = self.site;
        let mut routes = vec![
            (paths::FRONT.to_string(), PageRef::Front),
            (paths::ARCHIVE.into(), PageRef::Archive),
            (paths::TAGS.into(), PageRef::Tags),
            (paths::FEED.into(), PageRef::Feed),
            (paths::RECORDS_CSV.into(), PageRef::Data),
            (paths::SUMMARY_JSON.into(), PageRef::Data),
        ];
        if paths::base_has_host(&self.base_url()) {
            routes.push((paths::SITEMAP.into(), PageRef::Data));
        }
        if self.opts.search {
            routes.push((paths::SEARCH.into(), PageRef::Search));
        }
        for &id in &self.articles.order {
            let a = site.article(id);
            for path in [paths::article(&a.slug), paths::article_print(&a.slug)] {
                routes.push((path, PageRef::Article(id)));
            }
        }
        for (i, c) in site.campaigns.iter().enumerate() {
            for path in [
                paths::campaign(&c.slug),
                paths::campaign_print(&c.slug),
                paths::campaign_workbook(&c.slug),
            ] {
                routes.push((path, PageRef::Campaign(CampaignId(i as u32))));
            }
        }
        for (i, u) in site.units.iter().enumerate() {
            routes.push((paths::unit(&u.key), PageRef::Unit(UnitId(i as u32))));
        }
        for (i, issue) in site.issues.iter().enumerate() {
            for path in [paths::issue(issue.number), paths::issue_print(issue.number)] {
                routes.push((path, PageRef::Issue(i)));
            }
        }
        for (i, p) in site.pages.iter().enumerate() {
            routes.push((paths::single_page(&p.slug), PageRef::SinglePage(i)));
        }
        for slug in self.articles.tags.keys() {
            routes.push((paths::tag(slug), PageRef::Tags));
        }
        routes
    }

    /// Renders the pages of `sel`, handing them to the sink; returns their paths.
    pub(super) fn run_jobs(&self, sel: &Selection) -> Result<Vec<String>, Vec<Diagnostic>> {
        if matches!(sel, Selection::All) {
            // Every path a build writes is known before any page is made: a name the file
            // system refuses is found by `check` too, and `build` fails before writing.
            let all = self.page_paths();
            let too_long: Vec<Diagnostic> = all
                .iter()
                .filter_map(|p| {
                    paths::component_problem(p).map(|m| {
                        Diagnostic::error(p, None, m)
                            .with_hint("shorten the slug, tag or file name this path is made from")
                    })
                })
                .collect();
            if !too_long.is_empty() {
                return Err(too_long);
            }
            if self.paths_only() {
                return Ok(all);
            }
        }
        let jobs = self.jobs(sel);
        let mut diags = Vec::new();
        let progress = self.opts.progress.as_deref();
        if let Some(p) = progress {
            p.total.store(jobs.len(), Ordering::Relaxed);
        }
        // Each page goes to the sink as soon as it is made, so the site is never held in
        // memory whole (a 10,000-article site is half a gigabyte of HTML).
        let sink = self.sink;
        let put = |f: OutFile| -> Result<String, Diagnostic> {
            let path = f.path.clone();
            sink(f)?;
            Ok(path)
        };
        let results: Vec<Result<Vec<String>, Diagnostic>> = jobs
            .par_iter()
            .map(|j| {
                let r = j().and_then(|files| files.into_iter().map(put).collect());
                if let Some(p) = progress {
                    p.done.fetch_add(1, Ordering::Relaxed);
                }
                r
            })
            .collect();
        let mut paths: Vec<String> = Vec::new();
        for r in results {
            match r {
                Ok(p) => paths.extend(p),
                Err(d) => diags.push(d),
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        Ok(paths)
    }

    /// The whole site: every page, then the feeds, data and assets.
    pub(super) fn run(&self) -> Result<(Vec<String>, Stats), Vec<Diagnostic>> {
        let paths = self.run_jobs(&Selection::All)?;
        let paths = self.add_files(paths)?;
        let stats = Stats {
            pages: paths.iter().filter(|p| p.ends_with(".html")).count(),
            articles: self.articles.order.len(),
            charts: self.charts.load(Ordering::Relaxed) + self.narratives.chart_count(),
        };
        Ok((paths, stats))
    }

    /// After the pages (`paths`): the theme's assets and the site's static files, handed to the
    /// sink; returns every path, checked for two files on one path.
    pub(super) fn add_files(&self, mut paths: Vec<String>) -> Result<Vec<String>, Vec<Diagnostic>> {
        let _span = crate::trace::span("render: assets");
        let mut diags = Vec::new();
        let assets = self.theme.assets.iter().map(|(name, bytes)| OutFile {
            path: paths::asset(name),
            bytes: bytes.clone(),
        });
        let statics = self.site.files.statics.iter().map(|(rel, bytes)| OutFile {
            path: paths::static_file(rel),
            bytes: bytes.clone(),
        });
        // Attachments beside the narratives that a narrative points at; photos as their copies.
        let used = self.narratives.used_media();
        let attachments = used.iter().filter_map(|key| {
            let bytes = self.site.media.get(key)?.bytes.as_ref()?;
            Some(OutFile {
                path: paths::media_file(key),
                bytes: bytes.to_vec(),
            })
        });
        let photos = self.photos.files.iter().cloned();
        for f in assets.chain(statics).chain(attachments).chain(photos) {
            paths.push(f.path.clone());
            if let Err(d) = (self.sink)(f) {
                diags.push(d);
            }
        }
        // The search index is written after the pages: a static file in its folder would be
        // replaced by it, or stand in it (all of search/ is the index's).
        if self.opts.search {
            let search = format!("{}/", paths::SEARCH_DIR);
            for rel in &self.site.static_files {
                let path = paths::static_file(rel);
                if path.starts_with(&search) {
                    diags.push(
                        Diagnostic::error(
                            Path::new("content/static").join(rel),
                            None,
                            format!("{path} is in search/, which holds the search index"),
                        )
                        .with_hint("move the file out of content/static/search/, or build with --no-search"),
                    );
                }
            }
        }
        // Two sources writing one path (a static file shadowing a page) lose one silently: refuse.
        paths.sort_unstable();
        for w in paths.windows(2) {
            if w[0] == w[1] {
                diags.push(
                    Diagnostic::error(
                        Path::new("content"),
                        None,
                        format!("two pages with one URL: {}", w[0]),
                    )
                    .with_hint("rename the file in content/static/ or change the slug"),
                );
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        Ok(paths)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use super::super::session::no_sink;
    use super::super::Session;
    use super::*;

    /// A session over the sample site, drafts shown or not.
    fn sample_session(drafts: bool) -> Session {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = Arc::new(
            crate::load::load(root, &crate::diag::Diagnostics::new()).expect("sample site loads"),
        );
        let figures = Arc::new(Figures::new(&site));
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-22T12:00:00+08:00").unwrap();
        let opts = Options {
            drafts,
            base_url: None,
            now,
            progress: None,
            check_only: false,
            search: true,
        };
        Session::new(site, figures, opts).unwrap()
    }

    /// The paths a check makes without rendering are the paths a build writes.
    #[test]
    fn routes_are_the_paths_the_page_builders_write() {
        let session = sample_session(false);
        let r = session.renderer(&no_sink);
        let mut rendered = r.run_jobs(&Selection::All).unwrap();
        let mut listed = r.page_paths();
        rendered.sort();
        listed.sort();
        assert_eq!(listed, rendered);
    }

    /// Each route's page, rendered alone (as `serve` does on demand), writes the route's path;
    /// assets come without the pages; all of it with the same bytes as a full build.
    #[test]
    fn every_route_renders_on_its_own() {
        let session = sample_session(false);
        let files = std::sync::Mutex::new(HashMap::new());
        let keep = |f: OutFile| {
            files.lock().unwrap().insert(f.path, f.bytes);
            Ok(())
        };
        let routes = session.render_data(&keep).unwrap();
        let data: Vec<String> = files.lock().unwrap().keys().cloned().collect();
        assert!(data.contains(&paths::asset("style.css")));
        assert!(!data
            .iter()
            .any(|p| paths::is_index(p) || p == paths::SITEMAP));
        for (path, page) in &routes {
            let sel = Selection::Some([page.clone()].into_iter().collect());
            let made = session.render(&sel, &keep).unwrap();
            assert!(made.contains(path), "{page:?} did not write {path}");
        }
        let all = std::sync::Mutex::new(HashMap::new());
        session
            .render_all(&|f: OutFile| {
                all.lock().unwrap().insert(f.path, f.bytes);
                Ok(())
            })
            .unwrap();
        assert_eq!(*files.lock().unwrap(), *all.lock().unwrap());
    }

    /// A build renders each narrative once: the pages take the session's bodies.
    #[test]
    fn narratives_are_rendered_once_a_build() {
        let session = sample_session(true);
        let narratives = session.site.articles.len() + session.site.pages.len();
        assert_eq!(session.narratives.rendered(), narratives);
        session.render_all(&no_sink).unwrap();
        assert_eq!(session.narratives.rendered(), narratives);
    }
}
