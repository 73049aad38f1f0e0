//! The files that go into the output as they are: the site's static files and its theme
//! folder. Read here, so that render reads no file (it gets them in [`Site::files`]).
//!
//! [`Site::files`]: crate::model::Site::files

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{SiteFiles, ThemeFiles};

/// Reads `content/static/` (the files `statics` lists, relative to it) and the site's
/// `themes/<theme>/` folder, if there is one. Unreadable files go to `diags`.
pub fn read(root: &Path, theme: &str, statics: &[PathBuf], diags: &Diagnostics) -> SiteFiles {
    let static_dir = root.join("content").join("static");
    let statics = statics
        .iter()
        .filter_map(|rel| match std::fs::read(static_dir.join(rel)) {
            Ok(bytes) => Some((rel.clone(), bytes)),
            Err(e) => {
                diags.push(Diagnostic::error(
                    Path::new("content/static").join(rel),
                    None,
                    format!("cannot read: {e}"),
                ));
                None
            }
        })
        .collect();
    SiteFiles {
        statics,
        theme: read_theme(root, theme, diags),
    }
}

/// The templates, static files and labels of `themes/<name>/`, files in name order.
fn read_theme(root: &Path, name: &str, diags: &Diagnostics) -> ThemeFiles {
    let dir = root.join("themes").join(name);
    let mut files = ThemeFiles {
        found: dir.is_dir(),
        ..ThemeFiles::default()
    };
    for (sub, is_template) in [("templates", true), ("static", false)] {
        let base = dir.join(sub);
        if !base.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&base)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let name = entry
                .path()
                .strip_prefix(&base)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .to_path_buf();
            if is_template {
                match super::text::read_text(entry.path(), &rel) {
                    Ok(text) => files.templates.push((name, text, rel)),
                    Err(d) => diags.push(d),
                }
            } else {
                match std::fs::read(entry.path()) {
                    Ok(bytes) => files.assets.push((name, bytes)),
                    Err(e) => diags.push(Diagnostic::error(rel, None, format!("cannot read: {e}"))),
                }
            }
        }
    }
    let labels = dir.join("labels.yaml");
    files.labels = super::labels::builtin().clone();
    if labels.is_file() {
        let rel = labels.strip_prefix(root).unwrap_or(&labels).to_path_buf();
        match super::text::read_text(&labels, &rel) {
            Ok(text) => {
                let (own, problems) = super::labels::parse(&text, &rel);
                files.labels = super::labels::over_builtin(&own);
                diags.extend(problems);
            }
            Err(d) => diags.push(d),
        }
    }
    files
}
