//! Stage 3, render: the site model + figures + theme → pages (path, bytes), in memory.
//!
//! A pure function of its inputs: iteration is sorted and no clock is read (the build time is
//! an input), so two builds of the same site give the same bytes. Pages render in parallel.

pub mod feeds;
pub mod figures;
pub mod labels;
pub mod narrative;
pub mod theme;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Datelike, FixedOffset};
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use self::figures::{By, ChartRequest};
use self::narrative::Narratives;
use crate::aggregate::{Figures, Query};
use crate::chart::ChartKind;
use crate::diag::Diagnostic;
use crate::model::*;
use crate::numfmt;
use crate::paths;

/// Pages rendered so far, for a progress display; updated from the render threads.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: std::sync::atomic::AtomicUsize,
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
}

/// One file of the output, relative to the output folder with `/` separators.
#[derive(Debug, Clone)]
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Counts for the build summary.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub pages: usize,
    pub articles: usize,
    pub charts: usize,
}

/// One page job: renders one or a few files.
type Job<'a> = Box<dyn Fn() -> Result<Vec<OutFile>, Diagnostic> + Send + Sync + 'a>;

/// A page (or group of pages) of the site, for rendering only some of them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageRef {
    Index,
    Article(ArticleId),
    Campaign(CampaignId),
    Unit(UnitId),
    /// By position in [`Site::issues`].
    Issue(usize),
    /// By position in [`Site::pages`].
    Page(usize),
    Archive,
    /// Every tag page and the tag list.
    Tags,
    Feed,
    /// `sitemap.xml`, `data/records.csv` and `data/summary.json`.
    Data,
}

/// Which pages to render.
#[derive(Debug, Clone)]
pub enum Selection {
    All,
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

/// Rendered narrative bodies, kept between rebuilds under `serve`.
#[derive(Debug, Default, Clone)]
pub struct Bodies {
    articles: HashMap<ArticleId, Arc<str>>,
    /// Plain-text openings for lists, from the rendered bodies (so figures are in them).
    excerpts: HashMap<ArticleId, String>,
    pages: Vec<Arc<str>>,
    campaigns: Vec<Option<String>>,
}

impl Bodies {
    fn set_article(&mut self, id: ArticleId, html: String) {
        self.excerpts.insert(id, excerpt(&html, 90));
        self.articles.insert(id, html.into());
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

/// A site with its theme compiled and its narratives rendered, kept between rebuilds by
/// `serve` so that an edit re-renders only the pages it touches.
pub struct Session {
    pub site: Arc<Site>,
    figures: Arc<Figures>,
    theme: theme::Theme,
    narratives: Narratives,
    opts: Options,
    /// Order, lists, tags and issue places of the published articles, made once.
    index: Index,
    bodies: Bodies,
}

fn no_sink(_: OutFile) -> Result<(), Diagnostic> {
    Ok(())
}

impl Session {
    /// Compiles the theme and renders every narrative (all figure errors come out here).
    pub fn new(
        site: Arc<Site>,
        figures: Arc<Figures>,
        opts: Options,
    ) -> Result<Self, Vec<Diagnostic>> {
        let span = crate::trace::span("render: theme");
        let mut theme = theme::load(&site.root, &site.config.theme, site.config.language)?;
        set_globals(&mut theme.tera, &site, &opts);
        drop(span);
        let span = crate::trace::span("render: narratives");
        let narratives = Narratives::new(site.clone(), figures.clone());
        let index = Index::new(&site, &opts);
        let empty = Bodies::default();
        let bodies = Renderer {
            sink: &no_sink,
            site: &site,
            figures: &figures,
            theme: &theme,
            narratives: &narratives,
            opts: &opts,
            index: &index,
            bodies: &empty,
            charts: Default::default(),
        }
        .narrate()?;
        drop(span);
        Ok(Session {
            site,
            figures,
            theme,
            narratives,
            opts,
            index,
            bodies,
        })
    }

    fn renderer<'a>(&'a self, sink: &'a Sink<'a>) -> Renderer<'a> {
        Renderer {
            sink,
            site: &self.site,
            figures: &self.figures,
            theme: &self.theme,
            narratives: &self.narratives,
            opts: &self.opts,
            index: &self.index,
            bodies: &self.bodies,
            charts: Default::default(),
        }
    }

    /// Every page, then the feeds, data and assets.
    pub fn render_all(&self, sink: &Sink) -> Result<(Vec<String>, Stats), Vec<Diagnostic>> {
        let _span = crate::trace::span("render: pages");
        self.renderer(sink).run()
    }

    /// For rendering pages on demand (`serve`): hands over the theme's assets and the static
    /// files, and returns the path of every other file (pages, feed, data) with the page it
    /// belongs to.
    pub fn render_data(&self, sink: &Sink) -> Result<Vec<(String, PageRef)>, Vec<Diagnostic>> {
        let r = self.renderer(sink);
        let routes = r.routes();
        r.rest(routes.iter().map(|(p, _)| p.clone()).collect())?;
        Ok(routes)
    }

    /// Only the pages of `sel`; returns their paths.
    pub fn render(&self, sel: &Selection, sink: &Sink) -> Result<Vec<String>, Vec<Diagnostic>> {
        self.renderer(sink).run_jobs(sel)
    }

    /// Takes a new body for article `id` whose front matter did not change; returns the
    /// pages that show it (its own, and the lists, issues and feed that quote it).
    pub fn update_body(
        &mut self,
        id: ArticleId,
        body: &str,
        body_line: usize,
    ) -> Result<Selection, Vec<Diagnostic>> {
        let a = self.site.article(id);
        let html = self.narratives.render(
            body,
            &a.origin.path,
            body_line,
            a.campaign,
            a.dateline.as_deref(),
        )?;
        let mut sel = std::collections::HashSet::new();
        let published = published(a, &self.opts);
        if published {
            self.bodies.set_article(id, html);
            sel.extend([PageRef::Article(id), PageRef::Index, PageRef::Feed]);
            if let Some(c) = a.campaign {
                sel.insert(PageRef::Campaign(c));
            }
            for (i, issue) in self.site.issues.iter().enumerate() {
                if issue.pages.iter().any(|p| p.articles.contains(&id)) {
                    sel.insert(PageRef::Issue(i));
                }
            }
        }
        Ok(Selection::Some(sel))
    }
}

/// Context every page shares, set once rather than copied into each page's context.
fn set_globals(tera: &mut tera::Tera, site: &Site, opts: &Options) {
    let c = &site.config;
    let g = tera.global_context();
    g.insert(
        "site",
        &SiteCtx {
            title: &c.title,
            publisher: c.publisher.as_deref(),
            description: c.description.as_deref(),
            language: c.language.tag(),
            base_url: opts.base_url.clone().unwrap_or_else(|| c.base_url.clone()),
        },
    );
    let campaigns: Vec<Link> = site.campaigns.iter().map(campaign_link).collect();
    g.insert("nav_campaigns", &campaigns);
    let pages: Vec<Link> = site
        .pages
        .iter()
        .map(|p| Link {
            title: p.title.clone(),
            url: paths::single_page(&p.slug),
        })
        .collect();
    g.insert("nav_pages", &pages);
}

/// Which articles are published in this build.
fn published(a: &Article, opts: &Options) -> bool {
    opts.drafts || (!a.draft && a.date.to_datetime() <= opts.now)
}

/// An ASCII slug for a tag: its pinyin (平安建设 → pingan-jianshe), ASCII kept as is.
pub fn tag_slug(tag: &str) -> String {
    use pinyin::ToPinyin;
    let mut words: Vec<String> = Vec::new();
    let mut ascii = String::new();
    for (c, py) in tag.chars().zip(tag.to_pinyin()) {
        match py {
            Some(p) => {
                if !ascii.is_empty() {
                    words.push(std::mem::take(&mut ascii));
                }
                words.push(p.plain().to_string());
            }
            None if c.is_ascii_alphanumeric() => ascii.push(c.to_ascii_lowercase()),
            None => {
                if !ascii.is_empty() {
                    words.push(std::mem::take(&mut ascii));
                }
            }
        }
    }
    if !ascii.is_empty() {
        words.push(ascii);
    }
    // Pinyin syllables of one word are joined; words are the runs between separators.
    let s = words.join("");
    if s.is_empty() {
        format!("tag-{:08x}", narrative::fnv1a(tag) as u32)
    } else {
        s
    }
}

#[derive(Serialize, Clone)]
struct SiteCtx<'a> {
    title: &'a str,
    publisher: Option<&'a str>,
    description: Option<&'a str>,
    language: &'a str,
    base_url: String,
}

#[derive(Serialize, Clone)]
struct Link {
    title: String,
    url: String,
}

#[derive(Serialize, Clone)]
struct ArticleSummary {
    slug: String,
    title: String,
    kicker: Option<String>,
    subtitle: Option<String>,
    url: String,
    date: String,
    date_cn: String,
    excerpt: String,
    campaign: Option<Link>,
}

#[derive(Serialize)]
struct ArticleCtx {
    #[serde(flatten)]
    summary: ArticleSummary,
    weekday: String,
    byline: Vec<String>,
    reporter: Vec<String>,
    source: Option<String>,
    author_note: Option<String>,
    body: String,
    tags: Vec<Link>,
    issues: Vec<IssueRef>,
    draft: bool,
}

#[derive(Serialize, Clone)]
struct IssueRef {
    number: u32,
    url: String,
    page: String,
    page_name: String,
}

#[derive(Serialize, Clone)]
struct Kpi {
    label: String,
    value: u64,
    value_text: String,
    unit: String,
    target: Option<u64>,
    completion: Option<String>,
}

#[derive(Serialize)]
struct CampaignSummary {
    slug: String,
    title: String,
    url: String,
    organizer: Option<String>,
    start_cn: String,
    end_cn: String,
    records: usize,
    kpis: Vec<Kpi>,
    running: bool,
}

#[derive(Serialize)]
struct IssueSummary {
    number: u32,
    title: Option<String>,
    url: String,
    date: String,
    date_cn: String,
    articles: usize,
}

struct Renderer<'a> {
    /// Where finished files go.
    sink: &'a Sink<'a>,
    site: &'a Site,
    figures: &'a Figures,
    theme: &'a theme::Theme,
    narratives: &'a Narratives,
    opts: &'a Options,
    index: &'a Index,
    /// Rendered narrative bodies (empty while they are being made).
    bodies: &'a Bodies,
    /// Charts drawn for pages (narrative charts are counted by [`Narratives`]).
    charts: std::sync::atomic::AtomicUsize,
}

/// What the pages of a build share about the published articles, made once a session.
struct Index {
    /// Published articles, newest first.
    order: Vec<ArticleId>,
    summaries: HashMap<ArticleId, ArticleSummary>,
    tags: BTreeMap<String, (String, Vec<ArticleId>)>,
    /// Where each article appears in the issues (第N期 第A01版).
    issue_refs: HashMap<ArticleId, Vec<IssueRef>>,
    /// Tag name → its URL slug.
    tag_slugs: HashMap<String, String>,
}

impl Index {
    fn new(site: &Site, opts: &Options) -> Self {
        let mut order: Vec<ArticleId> = (0..site.articles.len() as u32)
            .map(ArticleId)
            .filter(|&id| published(site.article(id), opts))
            .collect();
        order.sort_by_key(|&id| {
            let a = site.article(id);
            (std::cmp::Reverse(a.date.sort_key()), a.slug.clone())
        });
        let lang = site.config.language;
        let summaries = order
            .iter()
            .map(|&id| {
                let a = site.article(id);
                let s = ArticleSummary {
                    slug: a.slug.to_string(),
                    title: a.title.clone(),
                    kicker: a.kicker.clone(),
                    subtitle: a.subtitle.clone(),
                    url: paths::article(&a.slug),
                    date: a.date.date.to_string(),
                    date_cn: numfmt::cn_date(a.date.date, lang),
                    excerpt: String::new(),
                    campaign: a.campaign.map(|c| campaign_link(site.campaign(c))),
                };
                (id, s)
            })
            .collect();
        // Tags by slug; two tags with one pinyin get -2, -3 in sorted order.
        let mut by_name: BTreeMap<&str, Vec<ArticleId>> = BTreeMap::new();
        for &id in &order {
            for t in &site.article(id).tags {
                let v = by_name.entry(t.as_str()).or_default();
                // An article's tags come together: a tag written twice is the last one seen
                // (a scan of the whole list was quadratic in a tag's articles).
                if v.last() != Some(&id) {
                    v.push(id);
                }
            }
        }
        let mut tags: BTreeMap<String, (String, Vec<ArticleId>)> = BTreeMap::new();
        for (name, ids) in by_name {
            let base = tag_slug(name);
            let mut slug = base.clone();
            let mut n = 2;
            while tags.contains_key(&slug) {
                slug = format!("{base}-{n}");
                n += 1;
            }
            tags.insert(slug, (name.to_string(), ids));
        }
        let mut issue_refs: HashMap<ArticleId, Vec<IssueRef>> = HashMap::new();
        for i in &site.issues {
            for p in &i.pages {
                for &a in &p.articles {
                    issue_refs.entry(a).or_default().push(IssueRef {
                        number: i.number,
                        url: paths::issue(i.number),
                        page: p.page.clone(),
                        page_name: p.name.clone(),
                    });
                }
            }
        }
        let tag_slugs = tags
            .iter()
            .map(|(slug, (name, _))| (name.clone(), slug.clone()))
            .collect();
        Index {
            order,
            summaries,
            tags,
            issue_refs,
            tag_slugs,
        }
    }
}

impl<'a> Renderer<'a> {
    /// What every page gets besides the globals set once in [`render`] (`site`,
    /// `nav_campaigns`, `nav_pages`).
    fn base_context(&self, depth: usize, title: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert("root", &"../".repeat(depth));
        ctx.insert("page_title", title);
        ctx.insert("print_url", &None::<String>);
        ctx
    }

    fn page(&self, template: &str, ctx: &Context, path: String) -> Result<OutFile, Diagnostic> {
        // Straight into bytes, sized for a typical page: no re-validation of the UTF-8 that
        // Tera wrote, and few reallocations (both showed in profiles of 10,000-page builds).
        let mut bytes = Vec::with_capacity(32 * 1024);
        self.theme
            .tera
            .render_to(template, ctx, &mut bytes)
            .map_err(|e| theme::template_error(&e, &self.theme.sources))?;
        Ok(OutFile { path, bytes })
    }

    /// Renders every narrative body (published articles, unpublished ones to check them, free
    /// pages, campaign summaries): every figure error of the site, together.
    fn narrate(&self) -> Result<Bodies, Vec<Diagnostic>> {
        let site = self.site;
        let keep = !self.dry();
        let bodies: Vec<(ArticleId, Result<String, Vec<Diagnostic>>)> = self
            .index
            .order
            .par_iter()
            .map(|&id| {
                let a = site.article(id);
                let html = self.narratives.render(
                    &a.body,
                    &a.origin.path,
                    a.body_line,
                    a.campaign,
                    a.dateline.as_deref(),
                );
                // A check that lays out no pages needs only the errors, not the HTML (at
                // 100,000 articles, a gigabyte less to hold).
                (id, html.map(|h| if keep { h } else { String::new() }))
            })
            .collect();
        // Unpublished articles are checked too, so `check` and a later build agree.
        let hidden: Vec<Diagnostic> = (0..site.articles.len() as u32)
            .map(ArticleId)
            .filter(|id| !self.index.summaries.contains_key(id))
            .collect::<Vec<_>>()
            .par_iter()
            .flat_map_iter(|&id| {
                let a = site.article(id);
                self.narratives
                    .render(&a.body, &a.origin.path, a.body_line, a.campaign, None)
                    .err()
                    .unwrap_or_default()
            })
            .collect();
        let pages: Vec<Result<String, Vec<Diagnostic>>> = site
            .pages
            .par_iter()
            .map(|p| {
                self.narratives
                    .render(&p.body, &p.origin.path, p.body_line, None, None)
            })
            .collect();
        let mut out = Bodies {
            campaigns: site
                .campaigns
                .iter()
                .map(|c| c.summary.as_ref().map(|s| self.narratives.markdown(s)))
                .collect(),
            ..Bodies::default()
        };
        let mut diags: Vec<Diagnostic> = hidden;
        for (id, r) in bodies {
            match r {
                Ok(b) if keep => out.set_article(id, b),
                Ok(_) => {}
                Err(d) => diags.extend(d),
            }
        }
        for r in pages {
            match r {
                Ok(b) => out.pages.push(b.into()),
                Err(d) => diags.extend(d),
            }
        }
        if diags.is_empty() {
            Ok(out)
        } else {
            Err(diags)
        }
    }

    fn body(&self, id: ArticleId) -> Arc<str> {
        self.bodies
            .articles
            .get(&id)
            .cloned()
            .unwrap_or_else(|| Arc::from(""))
    }

    /// The page jobs of `sel`.
    fn jobs(&self, sel: &Selection) -> Vec<Job<'_>> {
        let site = self.site;
        let want = |p: &PageRef| sel.includes(p);
        let mut jobs: Vec<Job<'_>> = Vec::new();
        if want(&PageRef::Index) {
            jobs.push(Box::new(|| self.index().map(|f| vec![f])));
        }
        for &id in &self.index.order {
            if want(&PageRef::Article(id)) {
                jobs.push(Box::new(move || self.article(id, &self.body(id))));
            }
        }
        for i in 0..site.campaigns.len() {
            let c = CampaignId(i as u32);
            if want(&PageRef::Campaign(c)) {
                jobs.push(Box::new(move || {
                    let summary = self.bodies.campaigns.get(i).cloned().flatten();
                    self.campaign(c, summary.as_deref())
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
        for (i, p) in site.pages.iter().enumerate() {
            if !want(&PageRef::Page(i)) {
                continue;
            }
            jobs.push(Box::new(move || {
                let body = self
                    .bodies
                    .pages
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| Arc::from(""));
                let mut ctx = self.base_context(2, &p.title);
                ctx.insert(
                    "page",
                    &Link {
                        title: p.title.clone(),
                        url: paths::single_page(&p.slug),
                    },
                );
                ctx.insert("body", &*body);
                self.page("page.html", &ctx, paths::single_page(&p.slug))
                    .map(|f| vec![f])
            }));
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
            jobs.push(Box::new(|| {
                let published: Vec<&Article> = self
                    .index
                    .order
                    .iter()
                    .map(|&id| self.site.article(id))
                    .collect();
                Ok(vec![feeds::atom(
                    self.site,
                    &published,
                    &self.base_url(),
                    &self.bodies.articles,
                    &self.index.order,
                )])
            }));
        }
        jobs
    }

    /// The sitemap (of every page and static file) and the archive data.
    fn data_files(&self) -> Vec<OutFile> {
        let site = self.site;
        let mut paths = self.page_paths();
        paths.extend(site.static_files.iter().map(|rel| paths::static_file(rel)));
        vec![
            feeds::sitemap(&paths, &self.base_url()),
            feeds::records_csv(site),
            feeds::summary_json(site, self.figures),
        ]
    }

    fn base_url(&self) -> String {
        self.opts
            .base_url
            .clone()
            .unwrap_or_else(|| self.site.config.base_url.clone())
    }

    /// Whether this run only checks, with nothing to check in the pages themselves: built-in
    /// templates cannot fail on a loaded site, so their pages are neither laid out nor
    /// rendered (that is most of a check's time); only their paths are made.
    fn dry(&self) -> bool {
        self.opts.check_only && !self.theme.customized
    }

    /// The paths the pages of a full run write, without rendering them. Must match what the
    /// page functions write (a test holds them together).
    fn page_paths(&self) -> Vec<String> {
        self.routes().into_iter().map(|(path, _)| path).collect()
    }

    /// Every page path of a full run with the page it belongs to (a print page belongs to its
    /// article, campaign or issue; every tag page to [`PageRef::Tags`]).
    fn routes(&self) -> Vec<(String, PageRef)> {
        let site = self.site;
        let mut routes = vec![
            (paths::FRONT.to_string(), PageRef::Index),
            (paths::ARCHIVE.into(), PageRef::Archive),
            (paths::TAGS.into(), PageRef::Tags),
            (paths::FEED.into(), PageRef::Feed),
            (paths::SITEMAP.into(), PageRef::Data),
            (paths::RECORDS_CSV.into(), PageRef::Data),
            (paths::SUMMARY_JSON.into(), PageRef::Data),
        ];
        for &id in &self.index.order {
            let a = site.article(id);
            for path in [paths::article(&a.slug), paths::article_print(&a.slug)] {
                routes.push((path, PageRef::Article(id)));
            }
        }
        for (i, c) in site.campaigns.iter().enumerate() {
            for path in [paths::campaign(&c.slug), paths::campaign_print(&c.slug)] {
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
            routes.push((paths::single_page(&p.slug), PageRef::Page(i)));
        }
        for slug in self.index.tags.keys() {
            routes.push((paths::tag(slug), PageRef::Tags));
        }
        routes
    }

    /// Renders the pages of `sel`, handing them to the sink; returns their paths.
    fn run_jobs(&self, sel: &Selection) -> Result<Vec<String>, Vec<Diagnostic>> {
        if self.dry() && matches!(sel, Selection::All) {
            return Ok(self.page_paths());
        }
        let jobs = self.jobs(sel);
        let mut diags = Vec::new();
        let progress = self.opts.progress.as_deref();
        if let Some(p) = progress {
            p.total
                .store(jobs.len(), std::sync::atomic::Ordering::Relaxed);
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
                    p.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
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

    /// The whole site: narratives, every page, then the feeds, data and assets.
    fn run(&self) -> Result<(Vec<String>, Stats), Vec<Diagnostic>> {
        let paths = self.run_jobs(&Selection::All)?;
        let paths = self.rest(paths)?;
        let stats = Stats {
            pages: paths.iter().filter(|p| p.ends_with(".html")).count(),
            articles: self.index.order.len(),
            charts: self.charts.load(std::sync::atomic::Ordering::Relaxed)
                + self.narratives.chart_count(),
        };
        Ok((paths, stats))
    }

    /// After the pages (`paths`): the theme's assets and the site's static files, handed to the
    /// sink; returns every path, checked for two files on one path.
    fn rest(&self, mut paths: Vec<String>) -> Result<Vec<String>, Vec<Diagnostic>> {
        let _span = crate::trace::span("render: assets");
        let site = self.site;
        let mut diags = Vec::new();
        let mut rest = Vec::new();
        for (name, bytes) in &self.theme.assets {
            rest.push(OutFile {
                path: paths::asset(name),
                bytes: bytes.clone(),
            });
        }
        for rel in &site.static_files {
            let src = site.root.join("content").join("static").join(rel);
            match std::fs::read(&src) {
                Ok(bytes) => rest.push(OutFile {
                    path: paths::static_file(rel),
                    bytes,
                }),
                Err(e) => diags.push(Diagnostic::error(
                    Path::new("content/static").join(rel),
                    crate::diag::Pos::new(0, 0),
                    format!("cannot read: {e}"),
                )),
            }
        }
        for f in rest {
            paths.push(f.path.clone());
            if let Err(d) = (self.sink)(f) {
                diags.push(d);
            }
        }
        // Two sources writing one path (a static file shadowing a page) lose one silently: refuse.
        paths.sort_unstable();
        for w in paths.windows(2) {
            if w[0] == w[1] {
                diags.push(
                    Diagnostic::error(
                        Path::new("content"),
                        crate::diag::Pos::new(0, 0),
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

    fn summary_with_excerpt(&self, id: ArticleId) -> ArticleSummary {
        let mut s = self.index.summaries[&id].clone();
        s.excerpt = self.bodies.excerpts.get(&id).cloned().unwrap_or_default();
        s
    }

    fn index(&self) -> Result<OutFile, Diagnostic> {
        let site = self.site;
        let mut ctx = self.base_context(0, &site.config.title);
        let latest: Vec<ArticleSummary> = self
            .index
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
        // Running campaigns first, then the most recently ended.
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
        let campaigns: Vec<CampaignSummary> =
            order.iter().map(|&c| self.campaign_summary(c)).collect();
        let chart = order.first().and_then(|&c| {
            if site.campaign(c).targets.is_empty() {
                self.chart(c, ChartKind::Bar, vec![self.main_metric(c)?], By::Unit)
            } else {
                self.chart(
                    c,
                    ChartKind::Progress,
                    site.campaign(c).targets.iter().map(|(m, _)| *m).collect(),
                    By::Unit,
                )
            }
        });
        ctx.insert("chart", &chart);
        ctx.insert("campaigns", &campaigns);
        self.page("index.html", &ctx, paths::FRONT.into())
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
                        .filter(|a| self.index.summaries.contains_key(a))
                        .count()
                })
                .sum(),
        }
    }

    fn kpis(&self, c: CampaignId) -> Vec<Kpi> {
        let site = self.site;
        (0..site.metrics.len() as u32)
            .map(MetricId)
            .filter(|&m| self.figures.query(&Query::total(c, m)).records > 0)
            .map(|m| {
                let metric = site.metric(m);
                let value = self.figures.total(c, m);
                let target = site
                    .campaign(c)
                    .targets
                    .iter()
                    .find(|(t, _)| *t == m)
                    .map(|(_, t)| *t);
                Kpi {
                    label: metric.label.clone(),
                    value,
                    value_text: numfmt::format_count(
                        value,
                        numfmt::Style {
                            approx: None,
                            wan: value >= 100_000,
                        },
                    ),
                    unit: metric.unit.clone(),
                    target,
                    completion: target.and_then(|t| numfmt::percent(value, t, 0)),
                }
            })
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

    /// The metric a campaign is mainly about: its first target, else the most reported one.
    fn main_metric(&self, id: CampaignId) -> Option<MetricId> {
        let c = self.site.campaign(id);
        c.targets.first().map(|(m, _)| *m).or_else(|| {
            (0..self.site.metrics.len() as u32)
                .map(MetricId)
                .filter(|&m| self.figures.query(&Query::total(id, m)).records > 0)
                .max_by_key(|&m| {
                    (
                        self.figures.query(&Query::total(id, m)).records,
                        std::cmp::Reverse(m),
                    )
                })
        })
    }

    /// A chart of a campaign's whole figures, as `<figure>` HTML; `None` when there is
    /// nothing to draw.
    fn chart(
        &self,
        campaign: CampaignId,
        kind: ChartKind,
        metrics: Vec<MetricId>,
        by: By,
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
        self.charts
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        crate::chart::render(&data).ok()
    }

    /// Everything the article templates show of one article.
    fn article_ctx(&self, id: ArticleId, body: &str) -> ArticleCtx {
        let site = self.site;
        let a = site.article(id);
        let issues = self.index.issue_refs.get(&id).cloned().unwrap_or_default();
        let tags = a
            .tags
            .iter()
            .filter_map(|t| {
                self.index.tag_slugs.get(t).map(|slug| Link {
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

    fn article(&self, id: ArticleId, body: &str) -> Result<Vec<OutFile>, Diagnostic> {
        let a = self.site.article(id);
        let mut ctx = self.base_context(2, &a.title);
        let actx = self.article_ctx(id, body);
        ctx.insert("article", &actx);
        ctx.insert("print_url", &Some(paths::PRINT_FILE));
        let pos = self.index.order.iter().position(|&x| x == id);
        let newer = pos
            .and_then(|p| p.checked_sub(1))
            .map(|p| self.link_of(self.index.order[p]));
        let older = pos
            .and_then(|p| self.index.order.get(p + 1))
            .map(|&x| self.link_of(x));
        ctx.insert("newer", &newer);
        ctx.insert("older", &older);
        let web = self.page("article.html", &ctx, paths::article(&a.slug))?;
        // Two columns read well for a long piece; a short one stays in one.
        ctx.insert("columns", &(a.body.chars().count() > 1200));
        let print = self.print_page(
            "print_article.html",
            &mut ctx,
            paths::article_print(&a.slug),
        )?;
        Ok(vec![web, print])
    }

    /// A self-contained print page: the print CSS inline, images as data URIs.
    fn print_page(
        &self,
        template: &str,
        ctx: &mut Context,
        path: String,
    ) -> Result<OutFile, Diagnostic> {
        let mut page = self.page(template, ctx, path)?;
        if memchr::memmem::find(&page.bytes, b"<img").is_some() {
            let html = String::from_utf8_lossy(&page.bytes).into_owned();
            page.bytes = inline_images(&html, self.site).into_bytes();
        }
        Ok(page)
    }

    fn link_of(&self, id: ArticleId) -> Link {
        let a = self.site.article(id);
        Link {
            title: a.title.clone(),
            url: paths::article(&a.slug),
        }
    }

    fn campaign(
        &self,
        id: CampaignId,
        summary_html: Option<&str>,
    ) -> Result<Vec<OutFile>, Diagnostic> {
        let site = self.site;
        let c = site.campaign(id);
        let mut ctx = self.base_context(2, &c.title);
        ctx.insert("campaign", &self.campaign_summary(id));
        ctx.insert("print_url", &Some(paths::PRINT_FILE));
        ctx.insert("summary", &summary_html);
        ctx.insert("kpis", &self.kpis(id));
        let targets: Vec<Kpi> = self
            .kpis(id)
            .into_iter()
            .filter(|k| k.target.is_some())
            .collect();
        ctx.insert("targets", &targets);
        let has_records = self.figures.record_count(id) > 0;
        let mut charts: Vec<String> = Vec::new();
        if has_records {
            if !c.targets.is_empty() {
                let targets = c.targets.iter().map(|(m, _)| *m).collect();
                charts.extend(self.chart(id, ChartKind::Progress, targets, By::Unit));
            }
            if let Some(m) = self.main_metric(id) {
                charts.extend(self.chart(id, ChartKind::Line, vec![m], By::Unit));
                charts.extend(self.chart(id, ChartKind::Bar, vec![m], By::Unit));
                charts.extend(self.chart(id, ChartKind::Pie, vec![m], By::Unit));
                charts.extend(self.chart(id, ChartKind::Bar, vec![m], By::Month));
            }
        }
        ctx.insert("charts", &charts);
        let table = has_records.then(|| figures::unit_table(site, self.figures, id));
        ctx.insert("table", &table);
        let ratios: Vec<Link> = site
            .ratios
            .iter()
            .filter_map(|r| {
                let n = self.figures.total(id, r.numerator);
                let d = self.figures.total(id, r.denominator);
                numfmt::percent(n, d, 1).map(|p| Link {
                    title: r.label.clone(),
                    url: p,
                })
            })
            .collect();
        ctx.insert("ratios", &ratios);
        // Timeline: the campaign's records by month, with what happened.
        let mut timeline: BTreeMap<(i32, u32), Vec<TimelineItem>> = BTreeMap::new();
        for r in site.records.iter().filter(|r| r.campaign == id) {
            timeline
                .entry((r.date.year(), r.date.month()))
                .or_default()
                .push(TimelineItem {
                    date_cn: numfmt::cn_date(r.date, site.config.language),
                    date: r.date.to_string(),
                    unit: site.unit(r.unit).name.clone(),
                    unit_url: paths::unit(&site.unit(r.unit).key),
                    activity: r.activity.clone(),
                    place: r.place.clone(),
                    note: sentence(&r.note),
                    figures: r
                        .metrics
                        .iter()
                        .map(|&(m, n)| {
                            let sep = site.config.language.pick("", " ");
                            format!("{}{sep}{}{}", site.metric(m).label, n, site.metric(m).unit)
                        })
                        .collect::<Vec<_>>()
                        .join(site.config.language.pick("，", ", ")),
                });
        }
        // A long campaign's timeline would be thousands of lines nobody reads: past
        // TIMELINE_LIMIT records it shows each month's totals instead (every record stays in
        // data/records.csv).
        let detailed = timeline.values().map(Vec::len).sum::<usize>() <= TIMELINE_LIMIT;
        let lang = site.config.language;
        let timeline: Vec<TimelineMonth> = timeline
            .into_iter()
            .map(|((y, m), mut items)| {
                let label = numfmt::cn_month(y, m, site.config.language);
                if detailed {
                    items.sort_by(|a, b| a.date.cmp(&b.date).then(a.unit.cmp(&b.unit)));
                    return TimelineMonth {
                        label,
                        summary: None,
                        items,
                    };
                }
                let first = chrono::NaiveDate::from_ymd_opt(y, m, 1);
                let last = first
                    .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
                    .and_then(|d| d.pred_opt());
                let totals: Vec<String> = (0..site.metrics.len() as u32)
                    .map(MetricId)
                    .filter_map(|metric| {
                        let f = self.figures.query(&Query {
                            campaign: id,
                            metric,
                            unit: None,
                            from: first,
                            to: last,
                        });
                        let m = site.metric(metric);
                        let sep = lang.pick("", " ");
                        (f.records > 0).then(|| format!("{}{sep}{}{}", m.label, f.value, m.unit))
                    })
                    .collect();
                let summary = match lang {
                    numfmt::Language::ZhCn => {
                        format!("活动记录{}条：{}。", items.len(), totals.join("，"))
                    }
                    numfmt::Language::En => {
                        format!("{} activity records: {}.", items.len(), totals.join(", "))
                    }
                };
                TimelineMonth {
                    label,
                    summary: Some(summary),
                    items: Vec::new(),
                }
            })
            .collect();
        ctx.insert("timeline", &timeline);
        let articles: Vec<ArticleSummary> = self
            .index
            .order
            .iter()
            .filter(|&&a| site.article(a).campaign == Some(id))
            .map(|&a| self.summary_with_excerpt(a))
            .collect();
        ctx.insert("articles", &articles);
        let web = self.page("campaign.html", &ctx, paths::campaign(&c.slug))?;
        let print = self.print_page(
            "print_campaign.html",
            &mut ctx,
            paths::campaign_print(&c.slug),
        )?;
        Ok(vec![web, print])
    }

    fn unit(&self, id: UnitId) -> Result<OutFile, Diagnostic> {
        let site = self.site;
        let u = site.unit(id);
        let mut ctx = self.base_context(2, &u.name);
        ctx.insert(
            "unit",
            &Link {
                title: u.name.clone(),
                url: paths::unit(&u.key),
            },
        );
        let metrics: Vec<MetricId> = (0..site.metrics.len() as u32)
            .map(MetricId)
            .filter(|&m| self.figures.unit_total(id, m).records > 0)
            .collect();
        let totals: Vec<Kpi> = metrics
            .iter()
            .map(|&m| {
                let v = self.figures.unit_total(id, m).value;
                Kpi {
                    label: site.metric(m).label.clone(),
                    value: v,
                    value_text: v.to_string(),
                    unit: site.metric(m).unit.clone(),
                    target: None,
                    completion: None,
                }
            })
            .collect();
        ctx.insert("totals", &totals);
        let header: Vec<String> = metrics
            .iter()
            .map(|&m| format!("{}（{}）", site.metric(m).label, site.metric(m).unit))
            .collect();
        ctx.insert("metric_headers", &header);
        let rows: Vec<UnitRow> = (0..site.campaigns.len() as u32)
            .map(CampaignId)
            .filter_map(|c| {
                let cells: Vec<Option<u64>> = metrics
                    .iter()
                    .map(|&m| {
                        let f = self.figures.query(&Query {
                            unit: Some(id),
                            ..Query::total(c, m)
                        });
                        (f.records > 0).then_some(f.value)
                    })
                    .collect();
                cells.iter().any(Option::is_some).then(|| UnitRow {
                    campaign: campaign_link(site.campaign(c)),
                    cells,
                })
            })
            .collect();
        ctx.insert("rows", &rows);
        // The unit's main metric across the campaigns it reported in.
        // The site's first metric this unit reported: site.yaml lists the headline one first.
        let chart = metrics.first().and_then(|&m| {
            let (categories, values): (Vec<String>, Vec<f64>) = (0..site.campaigns.len() as u32)
                .map(CampaignId)
                .filter_map(|c| {
                    let f = self.figures.query(&Query {
                        unit: Some(id),
                        ..Query::total(c, m)
                    });
                    (f.records > 0).then(|| (site.campaign(c).title.clone(), f.value as f64))
                })
                .unzip();
            let metric = site.metric(m);
            let lang = site.config.language;
            let title = match lang {
                numfmt::Language::ZhCn => {
                    format!("{}各专项活动{}（{}）", u.name, metric.label, metric.unit)
                }
                numfmt::Language::En => {
                    format!("{}: {} ({}) by campaign", u.name, metric.label, metric.unit)
                }
            };
            let data = crate::chart::ChartData {
                kind: ChartKind::Bar,
                lang,
                caption: match lang {
                    numfmt::Language::ZhCn => format!("{title}。数据来源：各专项活动记录。"),
                    numfmt::Language::En => {
                        format!("{title}. Source: the activity records of every campaign.")
                    }
                },
                title,
                categories,
                series: vec![crate::chart::Series {
                    name: metric.label.clone(),
                    values,
                }],
                unit_word: metric.unit.clone(),
                target: None,
                id: format!("u{:016x}", narrative::fnv1a(u.key.as_str())),
            };
            self.charts
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            crate::chart::render(&data).ok()
        });
        ctx.insert("chart", &chart);

        let records = site.records.iter().filter(|r| r.unit == id).count();
        ctx.insert("record_count", &records);
        self.page("unit.html", &ctx, paths::unit(&u.key))
    }

    fn issue(&self, index: usize) -> Result<Vec<OutFile>, Diagnostic> {
        let site = self.site;
        let i = &site.issues[index];
        let number = labels::label(
            site.config.language,
            "issue_no",
            Some(&i.number.to_string()),
        )
        .unwrap_or_default();
        let title = match &i.title {
            Some(t) => format!("{number} {t}"),
            None => number,
        };
        let mut ctx = self.base_context(2, &title);
        ctx.insert("issue", &self.issue_summary(i));
        ctx.insert("print_url", &Some(paths::PRINT_FILE));
        let pages: Vec<IssuePageCtx> = i
            .pages
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
                    .filter(|a| self.index.summaries.contains_key(a))
                    .map(|&a| self.summary_with_excerpt(a))
                    .collect(),
            })
            .collect();
        ctx.insert("pages", &pages);
        let distribution: Vec<Link> = i
            .distribution
            .iter()
            .map(|(k, v)| Link {
                title: k.clone(),
                url: v.join("，"),
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
        let web = self.page("issue.html", &ctx, paths::issue(i.number))?;
        // The 简报 prints every article of the issue in full, in page order.
        let full: Vec<IssuePrintPage> = i
            .pages
            .iter()
            .map(|p| IssuePrintPage {
                page: p.page.clone(),
                name: p.name.clone(),
                articles: p
                    .articles
                    .iter()
                    .filter(|a| self.index.summaries.contains_key(a))
                    .map(|&a| self.article_ctx(a, &self.body(a)))
                    .collect(),
            })
            .collect();
        ctx.insert("pages", &full);
        let print = self.print_page("print_issue.html", &mut ctx, paths::issue_print(i.number))?;
        Ok(vec![web, print])
    }

    fn archive(&self) -> Result<OutFile, Diagnostic> {
        let site = self.site;
        let title = self.site.config.language.pick("归档", "Archive");
        let mut ctx = self.base_context(1, title);
        let mut years: BTreeMap<i32, BTreeMap<u32, Vec<ArticleSummary>>> = BTreeMap::new();
        for &id in &self.index.order {
            let d = site.article(id).date.date;
            years
                .entry(d.year())
                .or_default()
                .entry(d.month())
                .or_default()
                .push(self.index.summaries[&id].clone());
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
        self.page("archive.html", &ctx, paths::ARCHIVE.into())
    }

    fn tag_pages(&self) -> Result<Vec<OutFile>, Diagnostic> {
        let mut out = Vec::new();
        let mut all = Vec::new();
        for (slug, (name, ids)) in &self.index.tags {
            let mut ctx = self.base_context(2, name);
            ctx.insert(
                "tag",
                &Link {
                    title: name.clone(),
                    url: paths::tag(slug),
                },
            );
            let articles: Vec<ArticleSummary> = ids
                .iter()
                .map(|&id| self.index.summaries[&id].clone())
                .collect();
            ctx.insert("articles", &articles);
            out.push(self.page("tag.html", &ctx, paths::tag(slug))?);
            all.push(TagCount {
                title: name.clone(),
                url: paths::tag(slug),
                count: ids.len(),
            });
        }
        let title = self.site.config.language.pick("标签", "Tags");
        let mut ctx = self.base_context(1, title);
        ctx.insert("tags", &all);
        out.push(self.page("tags.html", &ctx, paths::TAGS.into())?);
        Ok(out)
    }
}

#[derive(Serialize)]
struct TagCount {
    title: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct UnitRow {
    campaign: Link,
    cells: Vec<Option<u64>>,
}

#[derive(Serialize)]
struct IssuePrintPage {
    page: String,
    name: String,
    articles: Vec<ArticleCtx>,
}

#[derive(Serialize)]
struct IssuePageCtx {
    page: String,
    name: String,
    anchor: String,
    articles: Vec<ArticleSummary>,
}

#[derive(Serialize)]
struct TimelineItem {
    date: String,
    date_cn: String,
    unit: String,
    unit_url: String,
    activity: String,
    place: String,
    note: String,
    figures: String,
}

#[derive(Serialize)]
struct TimelineMonth {
    label: String,
    /// The month's totals, for campaigns too long to list record by record.
    summary: Option<String>,
    items: Vec<TimelineItem>,
}

/// Campaigns with more records than this show their timeline month by month.
const TIMELINE_LIMIT: usize = 300;

#[derive(Serialize)]
struct ArchiveYear {
    year: i32,
    months: Vec<ArchiveMonth>,
}

#[derive(Serialize)]
struct ArchiveMonth {
    label: String,
    anchor: String,
    articles: Vec<ArticleSummary>,
}

fn campaign_link(c: &Campaign) -> Link {
    Link {
        title: c.title.clone(),
        url: paths::campaign(&c.slug),
    }
}

/// Makes a print page self-contained: every `<img src>` that names a file of
/// `content/static/` becomes a data URI; one that names anything else is dropped (keeping
/// its alt text), so the page never reaches for another file.
fn inline_images(html: &str, site: &Site) -> String {
    use base64::Engine;
    if !html.contains("<img") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<img") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + len + 1];
        rest = &rest[start + len + 1..];
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            let i = tag.find(&key)? + key.len();
            Some(&tag[i..i + tag[i..].find('"')?])
        };
        let src = attr("src").unwrap_or("");
        if src.starts_with("data:") {
            out.push_str(tag);
            continue;
        }
        let rel = src.trim_start_matches("./").trim_start_matches('/');
        let rel = rel.trim_start_matches("../");
        let file = site
            .static_files
            .iter()
            .find(|f| f.to_string_lossy().replace('\\', "/") == rel);
        let bytes =
            file.and_then(|f| std::fs::read(site.root.join("content").join("static").join(f)).ok());
        match bytes {
            Some(b) => {
                let mime = match rel
                    .rsplit('.')
                    .next()
                    .map(str::to_ascii_lowercase)
                    .as_deref()
                {
                    Some("png") => "image/png",
                    Some("jpg") | Some("jpeg") => "image/jpeg",
                    Some("gif") => "image/gif",
                    Some("svg") => "image/svg+xml",
                    Some("webp") => "image/webp",
                    _ => "application/octet-stream",
                };
                let data = format!(
                    "data:{mime};base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(b)
                );
                out.push_str(&tag.replacen(src, &data, 1));
            }
            None => out.push_str(attr("alt").unwrap_or("")),
        }
    }
    out.push_str(rest);
    out
}

/// The first `n` characters of the paragraphs of a rendered body, as plain text: headings,
/// figures and tables left out, figures of the text kept as printed.
fn excerpt(html: &str, n: usize) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<p>") {
        let Some(len) = rest[start..].find("</p>") else {
            break;
        };
        let para = &rest[start + 3..start + len];
        rest = &rest[start + len + 4..];
        let mut in_tag = false;
        for c in para.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        if out.chars().count() >= n {
            break;
        }
    }
    let text = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let cut: String = text.chars().take(n).collect();
    if cut.chars().count() < text.chars().count() {
        format!("{cut}……")
    } else {
        cut
    }
}

/// A note as a sentence: ends with 。 unless it already ends with punctuation.
fn sentence(note: &str) -> String {
    let note = note.trim();
    match note.chars().last() {
        None => String::new(),
        Some(c) if "。！？；…".contains(c) || c.is_ascii_punctuation() => note.to_string(),
        Some(_) => format!("{note}。"),
    }
}

#[cfg(test)]
mod tests {
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
        };
        Session::new(site, figures, opts).unwrap()
    }

    /// The paths a check makes without rendering are the paths a build writes.
    #[test]
    fn dry_paths_match_rendered_paths() {
        let session = sample_session(false);
        let r = session.renderer(&no_sink);
        let mut rendered = r.run_jobs(&Selection::All).unwrap();
        let mut dry = r.page_paths();
        rendered.sort();
        dry.sort();
        assert_eq!(dry, rendered);
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
        assert!(data.contains(&"assets/style.css".to_string()));
        assert!(!data
            .iter()
            .any(|p| p.ends_with("index.html") || p == "sitemap.xml"));
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

    #[test]
    fn tag_slugs_are_pinyin() {
        assert_eq!(tag_slug("平安建设"), "pinganjianshe");
        assert_eq!(tag_slug("走访"), "zoufang");
        assert_eq!(tag_slug("12345热线"), "12345rexian");
        assert_eq!(tag_slug("Law Week"), "lawweek");
        assert!(tag_slug("★").starts_with("tag-"));
    }

    #[test]
    fn excerpt_keeps_figures_and_skips_headings_and_figures() {
        let html = "<h2>标题</h2><p><span class=\"dateline\">本报讯</span>共走访1836户，<strong>成效</strong>明显。</p><figure><svg></svg></figure><p>A &amp; B</p>";
        assert_eq!(excerpt(html, 90), "本报讯共走访1836户，成效明显。A & B");
        assert_eq!(excerpt("<p>一二三四五</p>", 3), "一二三……");
        assert_eq!(sentence("分片包村"), "分片包村。");
        assert_eq!(sentence("好！"), "好！");
        assert_eq!(sentence(""), "");
    }
}
