//! Stage 1, load: the site's files → a valid [`Site`], with a diagnostic for every problem.
//!
//! Only this stage reads the site's files. It finds them ([`discover`]) and reads them in
//! parallel, then reads each kind in turn — `site.yaml` ([`config`]), campaigns, records,
//! articles, free pages, issues — resolving references (units, metrics, campaigns, article
//! slugs) against what came before ([`keys`]), so that later stages can trust the model.

mod articles;
pub mod assets;
mod campaigns;
pub mod config;
mod discover;
pub mod doc;
mod front_matter;
mod issues;
pub mod keys;
pub mod labels;
pub mod media;
mod pages;
pub mod records;
pub mod text;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use self::articles::reload_article;
use self::discover::{FileKind, SourceFile};
use self::doc::YamlDoc;
pub use self::front_matter::split_front_matter;
use self::keys::{Keys, STAND_IN};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;

/// Loads the site at `root`. Problems go to `diags`; the site comes back only if there was no
/// error.
pub fn load(root: &Path, diags: &Diagnostics) -> Option<Site> {
    load_partial(root, diags).filter(|_| !diags.has_errors())
}

/// Loads what can be loaded of the site at `root`: a file with errors is left out (and
/// reported), so the rest can still be checked in the same run (`check` reports the figure
/// errors of the articles that loaded beside the YAML errors of those that did not). `None`
/// only when nothing can be resolved (no usable `site.yaml`).
pub fn load_partial(root: &Path, diags: &Diagnostics) -> Option<Site> {
    let site_yaml = find_site_yaml(root, diags)?;
    let cfg = read_site_yaml(&site_yaml, diags);

    let span = crate::trace::span("load: discover");
    let mut files = discover::discover(root, diags);
    drop(span);
    let span = crate::trace::span("load: read");
    discover::read_texts(&mut files, diags);
    drop(span);

    // Without a readable site.yaml nothing can be resolved; stop after the syntax checks.
    let Some(cfg) = cfg else {
        check_yaml_syntax(&files, diags);
        return None;
    };

    let campaigns = campaigns::load(&files, &cfg, diags);
    let keys = Keys::new(&cfg, &campaigns, campaigns::broken(&files, &campaigns));

    let span = crate::trace::span("load: records");
    let records = load_records(&files, &keys, diags);
    drop(span);

    let span = crate::trace::span("load: media");
    let media = media::load(root, &files, diags);
    drop(span);

    let span = crate::trace::span("load: articles");
    let (articles, withheld) = articles::load(&files, &keys.campaigns, &campaigns, &media, diags);
    drop(span);

    let span = crate::trace::span("load: pages, issues");
    let pages = pages::load(&files, diags);
    let issues = issues::load(&files, &articles, &withheld, diags);
    drop(span);

    let static_files = discover::static_files(root, &files);
    let files = assets::read(root, &cfg.config.theme, &static_files, diags);
    Some(Site {
        root: root.to_path_buf(),
        config: cfg.config,
        units: cfg.units,
        metrics: cfg.metrics,
        ratios: cfg.ratios,
        campaigns,
        records,
        articles,
        issues,
        pages,
        static_files,
        files,
        media,
        incomplete: diags.has_errors(),
    })
}

/// The path of `site.yaml`, or `None` (reported) when `root` has none.
pub fn find_site_yaml(root: &Path, diags: &Diagnostics) -> Option<PathBuf> {
    let site_yaml = root.join("site.yaml");
    if !site_yaml.is_file() {
        diags.push(
            Diagnostic::error("site.yaml", None, format!("no site.yaml in {}", root.display()))
                .with_hint("run jianbao in a site folder, give the folder (jianbao check path/to/site), or create one with `jianbao init DIR`"),
        );
        return None;
    }
    Some(site_yaml)
}

/// Reads `site.yaml`; `None` when it cannot be read or has errors (reported).
fn read_site_yaml(site_yaml: &Path, diags: &Diagnostics) -> Option<config::Config> {
    let rel = Path::new("site.yaml");
    match text::read_text(site_yaml, rel) {
        Ok(src) => {
            let mut doc = YamlDoc::new(rel, &src, 0);
            let cfg = config::read(&mut doc);
            diags.extend(doc.diags);
            cfg
        }
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Reports the YAML syntax errors of every YAML file (when nothing else can be checked).
fn check_yaml_syntax(files: &[SourceFile], diags: &Diagnostics) {
    files.par_iter().for_each(|f| {
        if let (Some(src), Some(ext)) = (&f.text, f.abs.extension()) {
            if ext == "yaml" || ext == "yml" {
                let mut doc = YamlDoc::new(&f.rel, src, 0);
                doc.parse();
                diags.extend(doc.diags);
            }
        }
    });
}

/// Reads every records file, in parallel, in the order of the files.
fn load_records(files: &[SourceFile], keys: &Keys, diags: &Diagnostics) -> Vec<Record> {
    files
        .par_iter()
        .filter_map(|f| match &f.kind {
            FileKind::Records(folder) => Some((f, folder)),
            _ => None,
        })
        .flat_map_iter(|(f, folder)| {
            let mut ds = Vec::new();
            // The records reader's fast path deserializes directly; the depth bound every
            // YAML file gets must come first (a file nested 100,000 deep took minutes).
            let yaml = matches!(
                f.abs
                    .extension()
                    .and_then(|e| e.to_str())
                    .map(str::to_ascii_lowercase)
                    .as_deref(),
                Some("yaml" | "yml")
            );
            if let (true, Some(Err(e))) = (yaml, f.text.as_deref().map(yaml::check_depth)) {
                diags.push(Diagnostic::error(&f.rel, e.pos, e.message).with_hint_opt(e.hint));
                return Vec::new();
            }
            let out = records::from_file(&f.abs, &f.rel, f.text.as_deref(), folder, keys, &mut ds);
            diags.extend(ds);
            out
        })
        // Records of a campaign whose campaign.yaml failed cannot be counted (the build fails
        // anyway); leaving them out keeps a partial site consistent.
        .filter(|r| r.campaign != STAND_IN)
        .collect()
}
