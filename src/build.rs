//! The pipeline in one place: load → aggregate → render, with every problem collected.
//! `check` runs it and stops; `build` hands the pages to [`crate::write`].

use std::path::Path;
use std::sync::Arc;

use crate::aggregate::Figures;
use crate::diag::Diagnostics;
use crate::model::Site;
use crate::render::{self, Options, OutFile, Stats};

/// A site rendered in memory.
pub struct Built {
    pub site: Arc<Site>,
    pub files: Vec<OutFile>,
    pub stats: Stats,
}

/// Loads, aggregates and renders the site at `root`. `None` if anything failed; the reasons
/// are in `diags`.
pub fn run(root: &Path, opts: &Options, diags: &Diagnostics) -> Option<Built> {
    let site = Arc::new(crate::load::load(root, diags)?);
    let figures = Arc::new(Figures::new(&site));
    match render::render(site.clone(), figures, opts) {
        Ok((files, stats)) => Some(Built { site, files, stats }),
        Err(ds) => {
            diags.extend(ds);
            None
        }
    }
}
