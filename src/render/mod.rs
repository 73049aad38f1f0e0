//! Stage 3, render: the site model + figures + theme → pages (path, bytes), in memory.
//!
//! A pure function of its inputs: iteration is sorted, no clock is read (the build time is
//! an input) and no file is read (load hands over the static files and the theme's files in
//! [`Site::files`]), so two builds of the same site give the same bytes. Pages render in
//! parallel.
//!
//! The parts: [`session`] keeps a compiled theme and the rendered narrative bodies between
//! rebuilds; [`jobs`] lists the pages of a build and runs them; [`pages`] has one builder per
//! kind of page; [`context`] is the theme contract, the values handed to templates.

pub mod context;
mod excerpt;
pub mod feeds;
pub mod figures;
mod images;
mod jobs;
pub mod labels;
pub mod narrative;
mod pages;
pub mod photo;
mod search_records;
mod session;
pub mod theme;

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::aggregate::Figures;
use crate::diag::Diagnostic;
use crate::model::{Article, ArticleId, CampaignId, Site, UnitId};

pub use self::pages::tags::tag_slug;
pub use self::session::Session;

/// Pages rendered so far, for a progress display; updated from the render threads.
#[derive(Debug, Default)]
pub struct Progress {
    /// Pages finished.
    pub done: std::sync::atomic::AtomicUsize,
    /// Pages to render in all.
    pub total: std::sync::atomic::AtomicUsize,
}

/// What a build renders besides the model.
#[derive(Debug, Clone)]
pub struct Options {
    /// Counts rendered pages when someone is watching.
    pub progress: Option<Arc<Progress>>,
    /// `check`: validate everything, write nothing. Pages of built-in templates are then not
    /// rendered (they cannot fail on a loaded site, and rendering is most of a check's time);
    /// their paths are still made, for the duplicate-URL check.
    pub check_only: bool,
    /// Include drafts and pieces dated in the future.
    pub drafts: bool,
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
    /// The moment of the build: pieces dated after it are not published yet.
    pub now: DateTime<FixedOffset>,
    /// Whether the site has search: the search page and the box in the header (the index
    /// itself is made from [`Session::search_records`] after the pages).
    pub search: bool,
}

pub use crate::write::OutFile;

/// Counts for the build summary.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Pages written (print twins included).
    pub pages: usize,
    /// Articles among them.
    pub articles: usize,
    /// Charts drawn.
    pub charts: usize,
}

/// A page (or group of pages) of the site, for rendering only some of them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageRef {
    /// The front page (头版).
    Front,
    /// An article's page and its print twin.
    Article(ArticleId),
    /// A campaign summary and its print twin.
    Campaign(CampaignId),
    /// What one unit reported.
    Unit(UnitId),
    /// By position in [`Site::issues`].
    Issue(usize),
    /// A single page (关于), by position in [`Site::pages`].
    SinglePage(usize),
    /// The archive by year and month.
    Archive,
    /// Every tag page and the tag list.
    Tags,
    /// `feed.xml`.
    Feed,
    /// `sitemap.xml`, `data/records.csv` and `data/summary.json`.
    Data,
    /// The search page (its index is not a page: see [`crate::search`]).
    Search,
}

/// Which pages to render.
#[derive(Debug, Clone)]
pub enum Selection {
    /// Every page of the site.
    All,
    /// Only these pages (a `serve` rebuild after an edit).
    Some(std::collections::HashSet<PageRef>),
}

impl Selection {
    /// Whether `p` is one of the pages selected.
    pub fn includes(&self, p: &PageRef) -> bool {
        match self {
            Selection::All => true,
            Selection::Some(set) => set.contains(p),
        }
    }
}

/// Receives each finished file: writes it, keeps it, or drops it (`check`).
pub type Sink<'a> = dyn Fn(OutFile) -> Result<(), Diagnostic> + Sync + 'a;

/// Renders the whole site, handing every file to `sink` as soon as it is made; returns the
/// paths made. All problems are returned together.
pub fn render(
    site: Arc<Site>,
    figures: Arc<Figures>,
    opts: &Options,
    sink: &Sink,
) -> Result<(Vec<String>, Stats), Vec<Diagnostic>> {
    Session::new(site, figures, opts.clone())?.render_all(sink)
}

/// Which articles are published in this build.
fn published(a: &Article, opts: &Options) -> bool {
    opts.drafts || (!a.draft && a.date.to_datetime() <= opts.now)
}
