//! Finding the site's files under `content/`, knowing each by its place in the tree, and
//! reading their text.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::text;
use crate::diag::{Diagnostic, Diagnostics};

/// What a file under `content/` is, by its place in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum FileKind {
    /// `campaigns/<slug>/campaign.yaml`.
    CampaignFile(String),
    /// `campaigns/<slug>/records/…`: YAML, CSV, XLSX or XLS.
    Records(String),
    /// `articles/…` or `campaigns/<slug>/articles/…`, with the campaign folder.
    Article(Option<String>),
    /// `issues/<n>.yaml`.
    Issue,
    /// `pages/<slug>.md`: a free page.
    FreePage,
    /// `static/…`: copied as it is.
    Static,
    /// Any other file beside the narratives (`articles/…`, `campaigns/<slug>/…` but its
    /// `records/`, `pages/…`): a photo or attachment a narrative or a campaign's summary may
    /// point at.
    Beside,
}

/// A file of the site, and its text once read.
pub(super) struct SourceFile {
    /// What it is.
    pub(super) kind: FileKind,
    /// Where it is.
    pub(super) abs: PathBuf,
    /// Relative to the site root, for messages.
    pub(super) rel: PathBuf,
    /// Its text, once read (not for static files and spreadsheets).
    pub(super) text: Option<String>,
}

/// Finds every file under `content/`, sorted, and knows each by its place in the tree.
pub(super) fn discover(root: &Path, diags: &Diagnostics) -> Vec<SourceFile> {
    let content = root.join("content");
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .follow_links(false)
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                if content.exists() {
                    let rel = e
                        .path()
                        .and_then(|p| p.strip_prefix(root).ok())
                        .unwrap_or(Path::new("content"));
                    diags.push(Diagnostic::error(rel, None, format!("cannot read: {e}")));
                }
                continue;
            }
        };
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        let abs = entry.path().to_path_buf();
        let rel = abs.strip_prefix(root).unwrap_or(&abs).to_path_buf();
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || name.starts_with('~') || name.ends_with('~') {
            continue; // editor and OS droppings (.DS_Store, Emacs' .#lock links, ~$book.xlsx, file~)
        }
        if !ft.is_file() {
            // Links are not followed (one could lead out of the site, or round in a loop), and
            // a pipe or device would block the read: say so, so a file is never missed silently.
            diags.push(
                Diagnostic::warning(
                    &rel,
                    None,
                    format!("{} is not a regular file; ignored", special_kind(&ft)),
                )
                .with_hint("copy the file itself into the site"),
            );
            continue;
        }
        match kind_of(root, &abs) {
            Some(kind) => files.push(SourceFile {
                kind,
                abs,
                rel,
                text: None,
            }),
            None => {
                if let Some(hint) = misplaced_hint(&extension(&abs)) {
                    diags.push(
                        Diagnostic::warning(
                            &rel,
                            None,
                            "file is not in a place jianbao reads; ignored",
                        )
                        .with_hint(hint),
                    );
                }
            }
        }
    }
    files
}

/// What kind of special file `ft` is, for the warning.
fn special_kind(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_symlink() {
        "a symbolic link"
    } else if ft.is_fifo() {
        "a named pipe (FIFO)"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_block_device() || ft.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

/// What the file at `abs` is, by its place under `root`'s `content/`; `None` for a file
/// jianbao does not read.
pub(super) fn kind_of(root: &Path, abs: &Path) -> Option<FileKind> {
    let content = root.join("content");
    let parts: Vec<String> = abs
        .strip_prefix(&content)
        .unwrap_or(abs)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    match (parts.as_slice(), extension(abs).as_str()) {
        (["static", ..], _) => Some(FileKind::Static),
        (["campaigns", c, "campaign.yaml" | "campaign.yml"], _) => {
            Some(FileKind::CampaignFile(c.to_string()))
        }
        (["campaigns", c, "records", ..], "yaml" | "yml" | "csv" | "xlsx" | "xls") => {
            Some(FileKind::Records(c.to_string()))
        }
        (["campaigns", c, "articles", ..], "md") => Some(FileKind::Article(Some(c.to_string()))),
        (["articles", ..], "md") => Some(FileKind::Article(None)),
        (["issues", _], "yaml" | "yml") => Some(FileKind::Issue),
        (["pages", _], "md") => Some(FileKind::FreePage),
        (["campaigns", _, "records", ..], _) => None,
        (["articles", ..] | ["campaigns", _, _, ..] | ["pages", ..], ext)
            if !matches!(ext, "md" | "yaml" | "yml" | "csv" | "xlsx" | "xls") =>
        {
            Some(FileKind::Beside)
        }
        _ => None,
    }
}

/// The hint for a file with extension `ext` in a place jianbao does not read; `None` for a
/// kind of file jianbao never reads (those pass in silence).
fn misplaced_hint(ext: &str) -> Option<&'static str> {
    match ext {
        "md" | "yaml" | "yml" | "csv" | "xlsx" | "xls" => Some(
            "articles go in content/articles/ or content/campaigns/<slug>/articles/, records in content/campaigns/<slug>/records/, issues in content/issues/, pages in content/pages/, files to copy in content/static/",
        ),
        _ => None,
    }
}

/// The extension of `p`, in lowercase.
pub(super) fn extension(p: &Path) -> String {
    p.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Reads the text of every file that has one, in parallel; decoding problems are reported.
/// Spreadsheets are read by the records loader: a CSV file may be in GB18030.
pub(super) fn read_texts(files: &mut [SourceFile], diags: &Diagnostics) {
    files
        .par_iter_mut()
        .filter(|f| {
            !matches!(f.kind, FileKind::Static | FileKind::Beside) && !is_spreadsheet(&f.abs)
        })
        .for_each(|f| match text::read_text(&f.abs, &f.rel) {
            Ok(t) => f.text = Some(t),
            Err(d) => diags.push(d),
        });
}

fn is_spreadsheet(p: &Path) -> bool {
    p.extension().is_some_and(|e| {
        e.eq_ignore_ascii_case("csv")
            || e.eq_ignore_ascii_case("xlsx")
            || e.eq_ignore_ascii_case("xls")
            || e.eq_ignore_ascii_case("ods")
    })
}

/// The static files, relative to `content/static/`, but photos (published only as processed
/// copies, never as they are).
pub(super) fn static_files(root: &Path, files: &[SourceFile]) -> Vec<PathBuf> {
    let dir = root.join("content").join("static");
    files
        .iter()
        .filter(|f| f.kind == FileKind::Static && !super::media::is_photo(&f.abs))
        .filter_map(|f| f.abs.strip_prefix(&dir).ok().map(Path::to_path_buf))
        .collect()
}
