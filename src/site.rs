//! The orchestrator: the only caller of every stage. load → check → aggregate → render
//! (narrative bodies) → photos → render (pages) → search index → write (→ pdf), with every
//! problem collected in one [`Diagnostics`]. The commands in [`crate::cli`]
//! and [`crate::serve`] come here and nowhere else for a site.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::aggregate::Figures;
use crate::diag::Diagnostics;
use crate::model::Site;
use crate::render::{self, Options, Sink, Stats};

/// A rendered site: the model, and the paths of the files handed to the sink.
pub struct Built {
    /// The site as loaded.
    pub site: Arc<Site>,
    /// Every output path, relative to the output folder.
    pub paths: Vec<String>,
    /// What was rendered, for the summary line.
    pub stats: Stats,
    /// How long each stage took, for `-v`.
    pub timings: Timings,
    /// How many files the write stage changed (a build only).
    pub written: usize,
    /// The documents made and kept (a build with `--pdf` or `--docx` only).
    pub docs: crate::documents::DocStats,
    /// What the search step did (a build with search only).
    pub search: Option<crate::search::SearchStats>,
}

/// `jianbao check`: everything a build validates, writing nothing.
pub fn check(root: &Path, opts: &Options, diags: &Diagnostics) -> Option<Built> {
    run(root, opts, diags, &|_| Ok(()), None)
}

/// `jianbao build`: renders the site into the spare generation of `out` and swaps it in only
/// when the whole build succeeded; with `docs`, makes the PDFs and Word documents of the print
/// pages before the swap. `None` if the site has errors (the previous output is untouched); a
/// document failure still publishes the pages and is reported in `diags`.
pub fn build(
    root: &Path,
    out: &Path,
    opts: &Options,
    docs: crate::documents::Kinds,
    diags: &Diagnostics,
) -> Option<Built> {
    // Not a site: say so before anything is made (a mistyped folder must not gain an output).
    crate::load::find_site_yaml(root, diags)?;
    if let Err(d) = crate::write::check_target(out, root) {
        diags.push(d);
        return None;
    }
    let staging = match crate::write::Staging::new(out) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    // Pages go to the spare output folder as they are rendered; it becomes the output only
    // if the whole build succeeds. The search index is made while the pages render: Pagefind
    // indexes on one thread, the pages render on all of them.
    let index =
        |records: &[crate::search::Record], lang| crate::search::write(&staging, records, lang);
    let mut built = run(
        root,
        opts,
        diags,
        &|f| staging.put(&f),
        opts.search.then_some(&index as &Indexer),
    )?;
    let t = Instant::now();
    // Documents are made in the new folder before it goes live, and before `finish`, which
    // keeps the ones handed to the staging; if they fail, the pages are still good, so they
    // go live and the error is reported.
    let docs_result = if docs.any() {
        crate::documents::make(&staging, docs).map(|s| built.docs = s)
    } else {
        Ok(())
    };
    let done = staging.finish(&built.paths).and_then(|()| {
        built.written = staging.written();
        staging.commit()?;
        docs_result
    });
    built.timings.push(("write", t.elapsed()));
    match done {
        Ok(()) => Some(built),
        Err(d) => {
            diags.push(d);
            // The pages may have gone live without their PDFs; the build still failed.
            None
        }
    }
}

/// `jianbao template CAMPAIGN`: the workbook units fill in for `campaign` (for one unit, named
/// by key, name or alias, when given), with the file name to save it under by default.
pub fn template(
    root: &Path,
    campaign: &str,
    unit: Option<&str>,
    diags: &Diagnostics,
) -> Option<(Vec<u8>, String)> {
    let site = crate::load::load(root, diags)?;
    let site_yaml = Path::new("site.yaml");
    let Some(c) = site.campaign_id(campaign) else {
        let known = site.campaigns.iter().map(|c| c.slug.as_str());
        diags.push(
            crate::diag::Diagnostic::error("", None, format!("unknown campaign \"{campaign}\""))
                .with_hint_opt(crate::diag::did_you_mean(campaign, known)),
        );
        return None;
    };
    let unit = match unit {
        None => None,
        Some(u) => match site
            .units
            .iter()
            .position(|x| x.key.as_str() == u || x.name == u)
        {
            Some(i) => Some(crate::model::UnitId(i as u32)),
            None => {
                let known = site.units.iter().map(|x| x.key.as_str());
                diags.push(
                    crate::diag::Diagnostic::error(
                        site_yaml,
                        None,
                        format!("unknown unit \"{u}\""),
                    )
                    .with_hint_opt(crate::diag::did_you_mean(u, known)),
                );
                return None;
            }
        },
    };
    match crate::workbook::template(&site, c, unit) {
        Ok(bytes) => {
            let title = &site.campaign(c).title;
            let name = match unit {
                Some(u) => format!("{title}统计表（{}）.xlsx", site.unit(u).name),
                None => format!("{title}统计表.xlsx"),
            };
            Some((bytes, safe_file_name(&name)))
        }
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// A title made safe as a file name on every system (no separators, no reserved characters).
fn safe_file_name(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect()
}

/// Re-reads one article after its file changed, for `serve`'s quick path.
pub fn reload_article(
    site: &Site,
    abs: &Path,
) -> Result<crate::model::Article, Vec<crate::diag::Diagnostic>> {
    crate::load::reload_article(site, abs)
}

/// Makes the search index of the records, in the site's language: the paths written.
type Indexer<'a> = dyn Fn(
        &[crate::search::Record],
        crate::numfmt::Language,
    ) -> Result<(Vec<String>, crate::search::SearchStats), crate::diag::Diagnostic>
    + Sync
    + 'a;

/// Loads, aggregates and renders the site at `root`, handing each file to `sink`, and, with
/// `index`, makes the search index while the pages render. `None` if anything failed; the
/// reasons are in `diags`.
fn run(
    root: &Path,
    opts: &Options,
    diags: &Diagnostics,
    sink: &Sink,
    index: Option<&Indexer>,
) -> Option<Built> {
    let Prepared {
        site,
        session,
        mut timings,
        bodies,
    } = prepare(root, opts, diags)?;
    let t = Instant::now();
    let index = index.filter(|_| !opts.check_only);
    let records = match index {
        Some(_) => {
            let _span = crate::trace::span("search: records");
            session.search_records()
        }
        None => Vec::new(),
    };
    let ((rendered, render_time), searched) = render_and_index(&session, sink, index, &records, t);
    let (search, searched_in) = match searched {
        Some((Ok((paths, stats)), took)) => (Some((paths, stats)), Some(took)),
        Some((Err(d), _)) => {
            diags.push(d);
            if let Err(ds) = rendered {
                diags.extend(ds);
            }
            return None;
        }
        None => (None, None),
    };
    let (mut paths, stats) = rendered.map_err(|ds| diags.extend(ds)).ok()?;
    // The narratives were rendered with the session: their time counts as the render's.
    timings.push(("render", bodies + render_time));
    let search = search.map(|(index_paths, stats)| {
        paths.extend(index_paths);
        stats
    });
    if let Some(took) = searched_in {
        // Made while the pages rendered: not to be added to the render's time.
        timings.push(("search", took));
    }
    Some(Built {
        site,
        paths,
        stats,
        timings,
        written: 0,
        docs: Default::default(),
        search,
    })
}

/// Each stage's name and time, in order.
pub type Timings = Vec<(&'static str, Duration)>;

/// A site ready for its pages to be rendered.
struct Prepared {
    site: Arc<Site>,
    /// The narratives rendered, the photos processed.
    session: render::Session,
    /// The stages so far.
    timings: Timings,
    /// What rendering the narratives took (part of the render stage).
    bodies: Duration,
}

/// Everything before the pages: loads and checks the site, computes its figures, renders its
/// narratives into a session and (unless only checking) processes its photos.
fn prepare(root: &Path, opts: &Options, diags: &Diagnostics) -> Option<Prepared> {
    let t = Instant::now();
    let site = Arc::new(crate::load::load_partial(root, diags)?);
    crate::check::site(&site, diags);
    if diags.has_errors() {
        check_the_rest(site, opts, diags);
        return None;
    }
    let loaded = t.elapsed();
    let figures = Arc::new(Figures::new(&site));
    let aggregated = t.elapsed() - loaded;
    crate::check::typed_figures(&site, &figures, diags);
    let checked = t.elapsed() - loaded - aggregated;
    let t = Instant::now();
    let mut session = render::Session::new(site.clone(), figures, opts.clone())
        .map_err(|ds| diags.extend(ds))
        .ok()?;
    diags.extend(session.take_warnings());
    let bodies = t.elapsed();
    // A check validates every reference (done with the bodies) and processes no photo.
    let t = Instant::now();
    if !opts.check_only {
        let photos = crate::photos::process(&site, &session.used_media())
            .map_err(|ds| diags.extend(ds))
            .ok()?;
        session.set_photos(photos);
    }
    let timings = vec![
        ("load", loaded),
        ("aggregate", aggregated),
        ("check typed figures", checked),
        ("photos", t.elapsed()),
    ];
    Some(Prepared {
        site,
        session,
        timings,
        bodies,
    })
}

/// A site with errors is not built, but the narratives of the files that loaded are still
/// checked, so one run reports every problem (a YAML slip in one file hides no figure error in
/// another).
fn check_the_rest(site: Arc<Site>, opts: &Options, diags: &Diagnostics) {
    let figures = Arc::new(Figures::new(&site));
    crate::check::typed_figures(&site, &figures, diags);
    let opts = Options {
        check_only: true,
        ..opts.clone()
    };
    match crate::render::Session::new(site, figures, opts) {
        Ok(s) => diags.extend(s.take_warnings()),
        Err(ds) => diags.extend(ds),
    }
}

/// What rendering the pages gave, with the time since `started`.
type Rendered = (
    Result<(Vec<String>, Stats), Vec<crate::diag::Diagnostic>>,
    Duration,
);

/// What the search index gave, with the time it took.
type Searched = (
    Result<(Vec<String>, crate::search::SearchStats), crate::diag::Diagnostic>,
    Duration,
);

/// Renders every page of `session` into `sink` and, with `index`, makes the search index of
/// `records` meanwhile on a thread of its own.
fn render_and_index(
    session: &render::Session,
    sink: &Sink,
    index: Option<&Indexer>,
    records: &[crate::search::Record],
    started: Instant,
) -> (Rendered, Option<Searched>) {
    let lang = session.site.config.language;
    std::thread::scope(|s| {
        let searched = index.map(|index| {
            s.spawn(|| {
                let t = Instant::now();
                (index(records, lang), t.elapsed())
            })
        });
        let rendered = (session.render_all(sink), started.elapsed());
        let searched = searched.map(|h| {
            h.join().unwrap_or_else(|_| {
                let d = crate::diag::Diagnostic::error("search", None, "the search index crashed");
                (Err(d), Duration::ZERO)
            })
        });
        (rendered, searched)
    })
}

/// Loads and aggregates the site and prepares a render [`Session`](crate::render::Session)
/// (theme compiled, narratives rendered), for `serve`, which keeps it between edits.
pub fn session(root: &Path, opts: &Options, diags: &Diagnostics) -> Option<crate::render::Session> {
    let site = crate::load::load_partial(root, diags)?;
    crate::check::site(&site, diags);
    if diags.has_errors() {
        return None;
    }
    let site = Arc::new(site);
    let figures = Arc::new(Figures::new(&site));
    crate::check::typed_figures(&site, &figures, diags);
    let mut session = match crate::render::Session::new(site.clone(), figures, opts.clone()) {
        Ok(s) => s,
        Err(ds) => {
            diags.extend(ds);
            return None;
        }
    };
    diags.extend(session.take_warnings());
    match crate::photos::process(&site, &session.used_media()) {
        Ok(p) => session.set_photos(p),
        Err(ds) => {
            diags.extend(ds);
            return None;
        }
    }
    Some(session)
}
