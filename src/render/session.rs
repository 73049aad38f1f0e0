//! A render session: the theme compiled, the narratives rendered, and what the pages share
//! about the published articles, made once and kept between rebuilds by `serve`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::context::{ArticleSummary, IssueRef, Link, SiteCtx};
use super::excerpt::excerpt;
use super::jobs::Renderer;
use super::narrative::Narratives;
use super::pages::{campaign_link, tags, tags::tag_slug};
use super::{published, theme, Options, OutFile, PageRef, Selection, Sink, Stats};
use crate::aggregate::Figures;
use crate::diag::Diagnostic;
use crate::model::{ArticleId, Site};
use crate::{numfmt, paths};

/// Rendered narrative bodies, kept between rebuilds under `serve`.
#[derive(Debug, Default, Clone)]
pub(super) struct Bodies {
    pub(super) articles: HashMap<ArticleId, Arc<str>>,
    /// Plain-text openings for lists, from the rendered bodies (so figures are in them).
    pub(super) excerpts: HashMap<ArticleId, String>,
    pub(super) single_pages: Vec<Arc<str>>,
    pub(super) campaigns: Vec<Option<String>>,
}

impl Bodies {
    fn set_article(&mut self, id: ArticleId, html: String) {
        self.excerpts.insert(id, excerpt(&html, 90));
        self.articles.insert(id, html.into());
    }
}

/// A site with its theme compiled and its narratives rendered, kept between rebuilds by
/// `serve` so that an edit re-renders only the pages it touches.
pub struct Session {
    /// The site being rendered.
    pub site: Arc<Site>,
    figures: Arc<Figures>,
    pub(super) theme: theme::Theme,
    pub(super) narratives: Narratives,
    opts: Options,
    /// Order, lists, tags and issue places of the published articles, made once.
    pub(super) articles: ArticleIndex,
    pub(super) bodies: Bodies,
    /// The processed copies of the photos the pages show (none in a check).
    photos: crate::photos::Processed,
}

/// A sink that drops every file.
pub(super) fn no_sink(_: OutFile) -> Result<(), Diagnostic> {
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
        let mut theme =
            theme::compile(&site.files.theme, &site.config.theme, site.config.language)?;
        set_globals(&mut theme.tera, &site, &opts);
        drop(span);
        let span = crate::trace::span("render: narratives");
        let narratives = Narratives::new(site.clone(), figures.clone(), theme.words.clone());
        let articles = ArticleIndex::new(&site, &opts);
        let empty = Bodies::default();
        let bodies = Renderer {
            sink: &no_sink,
            site: &site,
            figures: &figures,
            theme: &theme,
            narratives: &narratives,
            opts: &opts,
            articles: &articles,
            bodies: &empty,
            photos: &Default::default(),
            charts: Default::default(),
        }
        .render_bodies()?;
        for a in &site.articles {
            if let Some(key) = &a.image {
                narratives.use_media(key);
            }
        }
        drop(span);
        Ok(Session {
            site,
            figures,
            theme,
            narratives,
            opts,
            articles,
            bodies,
            photos: Default::default(),
        })
    }

    /// The photos and attachments the site's narratives point at (keys of
    /// [`Site::media`](crate::model::Site::media)), for the photo stage.
    pub fn used_media(&self) -> Vec<String> {
        self.narratives.used_media()
    }

    /// Takes the warnings of the narratives rendered so far (raw HTML naming no file).
    pub fn take_warnings(&self) -> Vec<crate::diag::Diagnostic> {
        self.narratives.take_warnings()
    }

    /// Hands over the processed photos: their copies are output files, and print pages
    /// embed their print copies.
    pub fn set_photos(&mut self, photos: crate::photos::Processed) {
        self.photos = photos;
    }

    pub(super) fn renderer<'a>(&'a self, sink: &'a Sink<'a>) -> Renderer<'a> {
        Renderer {
            sink,
            site: &self.site,
            figures: &self.figures,
            theme: &self.theme,
            narratives: &self.narratives,
            opts: &self.opts,
            articles: &self.articles,
            bodies: &self.bodies,
            photos: &self.photos,
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
        r.add_files(routes.iter().map(|(p, _)| p.clone()).collect())?;
        Ok(routes)
    }

    /// Only the pages of `sel`; returns their paths.
    pub fn render(&self, sel: &Selection, sink: &Sink) -> Result<Vec<String>, Vec<Diagnostic>> {
        self.renderer(sink).run_jobs(sel)
    }

    /// Takes a new body for article `id` whose front matter did not change; returns the
    /// pages that show it (its own, and the lists, issues and feed that quote it), or `None`
    /// when the body shows a photo or file no page showed before: its copies are made by a
    /// rebuild.
    pub fn update_body(
        &mut self,
        id: ArticleId,
        body: &str,
        body_line: usize,
    ) -> Result<Option<Selection>, Vec<Diagnostic>> {
        let used = self.narratives.used_media().len();
        let a = self.site.article(id);
        let html = self.narratives.render(
            body,
            &a.origin.path,
            body_line,
            a.campaign,
            a.dateline.as_deref(),
        )?;
        if self.narratives.used_media().len() != used {
            return Ok(None);
        }
        let mut sel = HashSet::new();
        if published(a, &self.opts) {
            self.bodies.set_article(id, html);
            sel.extend(self.pages_quoting(id));
        }
        Ok(Some(Selection::Some(sel)))
    }
    /// Takes the new copies of the photo `key`, whose file was replaced by one of the same
    /// upright sizes (so no page's HTML changes, only the copies and the print pages that
    /// embed one); returns the pages that show the photo, in a body or as a lead photo.
    pub fn replace_photo(&mut self, key: &str, copies: crate::photos::Processed) -> Selection {
        let paths: HashSet<&str> = copies.files.iter().map(|f| f.path.as_str()).collect();
        self.photos
            .files
            .retain(|f| !paths.contains(f.path.as_str()));
        self.photos.files.extend(copies.files.iter().cloned());
        self.photos.print.extend(copies.print);
        let largest = self
            .site
            .media
            .get(key)
            .and_then(|m| m.photo)
            .and_then(|p| {
                let sizes = crate::photos::sizes(p.width, p.height);
                sizes.last().map(|&(w, _)| paths::photo_copy(key, w))
            });
        let Some(largest) = largest else {
            return Selection::Some(HashSet::new());
        };
        // Every <img> of a photo lists all its copies in `srcset`, as they are (not escaped).
        let needle = format!("{}{largest}", super::photo::ROOT);
        let shows = |html: &str| html.contains(&needle);
        let mut sel = HashSet::new();
        for &id in &self.articles.order {
            let a = self.site.article(id);
            let body = self.bodies.articles.get(&id).is_some_and(|b| shows(b));
            if body || a.image.as_deref() == Some(key) {
                sel.extend(self.pages_quoting(id));
            }
        }
        for (i, b) in self.bodies.single_pages.iter().enumerate() {
            if shows(b) {
                sel.insert(PageRef::SinglePage(i));
            }
        }
        for (i, b) in self.bodies.campaigns.iter().enumerate() {
            if b.as_deref().is_some_and(shows) {
                sel.insert(PageRef::Campaign(crate::model::CampaignId(i as u32)));
            }
        }
        Selection::Some(sel)
    }

    /// The pages that show article `id` or quote it: its own, the front page, the feed, its
    /// campaign's and its issues'.
    fn pages_quoting(&self, id: ArticleId) -> Vec<PageRef> {
        let a = self.site.article(id);
        let mut out = vec![PageRef::Article(id), PageRef::Front, PageRef::Feed];
        out.extend(a.campaign.map(PageRef::Campaign));
        for (i, issue) in self.site.issues.iter().enumerate() {
            if issue.pages.iter().any(|p| p.articles.contains(&id)) {
                out.push(PageRef::Issue(i));
            }
        }
        out
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
    // The header's search box goes to the search page; none without search (`--no-search`).
    g.insert("search_url", &opts.search.then_some(paths::SEARCH));
}

/// What the pages of a build share about the published articles, made once a session.
pub(super) struct ArticleIndex {
    /// Published articles, newest first.
    pub(super) order: Vec<ArticleId>,
    pub(super) summaries: HashMap<ArticleId, ArticleSummary>,
    /// Tag slug → the tag and its articles.
    pub(super) tags: BTreeMap<String, (String, Vec<ArticleId>)>,
    /// Where each article appears in the issues (第N期 第A01版).
    pub(super) issue_refs: HashMap<ArticleId, Vec<IssueRef>>,
    /// Tag name → its URL slug.
    pub(super) tag_slugs: HashMap<String, String>,
}

impl ArticleIndex {
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
                    image: a.image.as_deref().and_then(|key| {
                        let alt = a.image_caption.as_deref().unwrap_or(&a.title);
                        super::photo::ctx(site, key, alt, a.image_caption.as_deref())
                    }),
                };
                (id, s)
            })
            .collect();
        let tags = tags_by_slug(site, &order);
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
        ArticleIndex {
            order,
            summaries,
            tags,
            issue_refs,
            tag_slugs,
        }
    }
}

/// The tags of the articles of `order`, by slug. Tags that share a slug (走访, 奏放, ZouFang →
/// zoufang) are ranked by [`tags::slug_rank`], something of each tag's own: the first keeps the
/// slug, each other gets a short hash of its own text (zoufang-3f2a9c). No count is involved,
/// so adding a tag never moves another tag's URL unless it outranks it.
fn tags_by_slug(site: &Site, order: &[ArticleId]) -> BTreeMap<String, (String, Vec<ArticleId>)> {
    let mut by_name: BTreeMap<&str, Vec<ArticleId>> = BTreeMap::new();
    for &id in order {
        for t in &site.article(id).tags {
            let v = by_name.entry(t.as_str()).or_default();
            // An article's tags come together: a tag written twice is the last one seen
            // (a scan of the whole list was quadratic in a tag's articles).
            if v.last() != Some(&id) {
                v.push(id);
            }
        }
    }
    let mut by_base: BTreeMap<String, Vec<(&str, Vec<ArticleId>)>> = BTreeMap::new();
    for (name, ids) in by_name {
        by_base.entry(tag_slug(name)).or_default().push((name, ids));
    }
    let mut tags: BTreeMap<String, (String, Vec<ArticleId>)> = BTreeMap::new();
    for (base, mut group) in by_base {
        group.sort_by_cached_key(|(name, _)| tags::slug_rank(name));
        for (i, (name, ids)) in group.into_iter().enumerate() {
            let slug = if i == 0 {
                base.clone()
            } else {
                tags::suffixed(&base, name)
            };
            // Two short hashes alike (one chance in 16 million): the whole hash then.
            let slug = if tags.contains_key(&slug) {
                format!("{base}-{:016x}", super::narrative::fnv1a(name))
            } else {
                slug
            };
            tags.insert(slug, (name.to_string(), ids));
        }
    }
    tags
}

impl Renderer<'_> {
    /// Renders every narrative body (published articles, unpublished ones to check them,
    /// single pages, campaign summaries): every figure error of the site, together.
    fn render_bodies(&self) -> Result<Bodies, Vec<Diagnostic>> {
        let site = self.site;
        let keep = !self.paths_only();
        let bodies: Vec<(ArticleId, Result<String, Vec<Diagnostic>>)> = self
            .articles
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
            .filter(|id| !self.articles.summaries.contains_key(id))
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
        let mut diags: Vec<Diagnostic> = hidden;
        let mut out = Bodies {
            campaigns: site
                .campaigns
                .iter()
                .map(|c| {
                    let s = c.summary.as_ref()?;
                    self.narratives
                        .summary(s, &c.origin.path, c.summary_pos)
                        .map_err(|d| diags.extend(d))
                        .ok()
                })
                .collect(),
            ..Bodies::default()
        };
        for (id, r) in bodies {
            match r {
                Ok(b) if keep => out.set_article(id, b),
                Ok(_) => {}
                Err(d) => diags.extend(d),
            }
        }
        for r in pages {
            match r {
                Ok(b) => out.single_pages.push(b.into()),
                Err(d) => diags.extend(d),
            }
        }
        if diags.is_empty() {
            Ok(out)
        } else {
            // The build stops here: the warnings go with the errors.
            diags.extend(self.narratives.take_warnings());
            Err(diags)
        }
    }
}
