//! The pipeline in one place: load → aggregate → render, with every problem collected.
//! `check` runs it and stops; `build` hands the pages to [`crate::write`].

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::aggregate::Figures;
use crate::diag::Diagnostics;
use crate::model::Site;
use crate::render::{self, Options, Sink, Stats};

/// A rendered site: the model, and the paths of the files handed to the sink.
pub struct Built {
    pub site: Arc<Site>,
    pub paths: Vec<String>,
    pub stats: Stats,
    /// How long each stage took, for `-v`.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Loads, aggregates and renders the site at `root`, handing each file to `sink`. `None` if
/// anything failed; the reasons are in `diags`.
pub fn run(root: &Path, opts: &Options, diags: &Diagnostics, sink: &Sink) -> Option<Built> {
    let t = Instant::now();
    let site = Arc::new(crate::load::load_partial(root, diags)?);
    if diags.has_errors() {
        // The build fails; the narratives of the files that loaded are still checked, so one
        // run reports every problem (a YAML slip in one file hides no figure error in another).
        let figures = Arc::new(Figures::new(&site));
        let opts = Options {
            check_only: true,
            ..opts.clone()
        };
        if let Err(ds) = crate::render::Session::new(site, figures, opts) {
            diags.extend(ds);
        }
        return None;
    }
    let loaded = t.elapsed();
    let figures = Arc::new(Figures::new(&site));
    let aggregated = t.elapsed() - loaded;
    match render::render(site.clone(), figures, opts, sink) {
        Ok((paths, stats)) => {
            let rendered = t.elapsed() - loaded - aggregated;
            let timings = vec![
                ("load", loaded),
                ("aggregate", aggregated),
                ("render", rendered),
            ];
            Some(Built {
                site,
                paths,
                stats,
                timings,
            })
        }
        Err(ds) => {
            diags.extend(ds);
            None
        }
    }
}

/// Loads and aggregates the site and prepares a render [`Session`](crate::render::Session)
/// (theme compiled, narratives rendered), for `serve`, which keeps it between edits.
pub fn session(root: &Path, opts: &Options, diags: &Diagnostics) -> Option<crate::render::Session> {
    let site = Arc::new(crate::load::load(root, diags)?);
    let figures = Arc::new(Figures::new(&site));
    match crate::render::Session::new(site, figures, opts.clone()) {
        Ok(s) => Some(s),
        Err(ds) => {
            diags.extend(ds);
            None
        }
    }
}
