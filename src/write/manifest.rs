//! The manifest a build leaves in its output (`.jianbao-output`): each file's hash and length,
//! the documents' and the kept folders' keys; and [`BuiltOutput`], an output read back through it.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::{is_safe_relative, OutFile, MARKER};

/// The manifest's first lines.
pub(super) const MANIFEST_HEADER: &str =
    "# written by jianbao build; the folder is replaced as a whole on every build\n# xxh3 length path\n";

/// Starts a manifest line of a document made from a page (a PDF, a Word file): `doc key
/// path`, the key being the hash of what it was made from.
pub(super) const DOC_LINE: &str = "doc ";

/// Starts a manifest line of a folder whose files were made together from one input (the
/// search index): `key folder`, the key being the hash of that input.
pub(super) const KEY_LINE: &str = "key ";

/// Reads the manifest lines of a marker file (`hash length path`).
pub(super) fn parse_manifest(text: &str) -> HashMap<String, (u64, u64)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(DOC_LINE) && !l.starts_with(KEY_LINE))
        .filter_map(|l| {
            let mut it = l.splitn(3, ' ');
            let hash = u64::from_str_radix(it.next()?, 16).ok()?;
            let len = it.next()?.parse().ok()?;
            Some((it.next()?.to_string(), (len, hash)))
        })
        .collect()
}

/// Reads the document lines of a marker file (`doc key path`): path → key.
pub(super) fn parse_docs(text: &str) -> HashMap<String, u64> {
    text.lines()
        .filter_map(|l| {
            let (key, path) = l.strip_prefix(DOC_LINE)?.split_once(' ')?;
            Some((path.to_string(), u64::from_str_radix(key, 16).ok()?))
        })
        .collect()
}

/// A finished output folder, read through the manifest its build wrote: what one build
/// leaves for the next, or for `serve`, to take over instead of making it again.
pub struct BuiltOutput {
    out: PathBuf,
    /// Each file: path → (length, xxh3).
    files: HashMap<String, (u64, u64)>,
    /// Each kept folder: folder → the key its files were made from.
    keys: HashMap<String, u64>,
}

impl BuiltOutput {
    /// The output folder `out` as its last build finished it; `None` when it has no manifest
    /// (never built, or not by jianbao).
    pub fn open(out: &Path) -> Option<BuiltOutput> {
        let manifest = fs::read_to_string(out.join(MARKER)).ok()?;
        let keys = manifest
            .lines()
            .filter_map(|l| {
                let (k, folder) = l.strip_prefix(KEY_LINE)?.split_once(' ')?;
                Some((folder.to_string(), u64::from_str_radix(k, 16).ok()?))
            })
            .collect();
        Some(BuiltOutput {
            out: out.to_path_buf(),
            files: parse_manifest(&manifest),
            keys,
        })
    }

    /// The files under `folder` if they were made from what `key` hashes and one of them is
    /// `needs` (the file a whole folder has), each read back and checked against the length
    /// and hash the manifest gives: a file changed or removed since (by hand, or by a build
    /// swapping the folder meanwhile) makes it `None`, and the caller makes the folder anew.
    pub fn folder_files(&self, folder: &str, key: u64, needs: &str) -> Option<Vec<OutFile>> {
        let prefix = format!("{folder}/");
        if self.keys.get(folder) != Some(&key)
            || !needs.starts_with(&prefix)
            || !self.files.contains_key(needs)
        {
            return None;
        }
        let mut paths: Vec<&String> = self
            .files
            .keys()
            .filter(|p| p.starts_with(&prefix))
            .collect();
        paths.sort();
        paths
            .into_iter()
            .map(|path| {
                let (len, hash) = self.files[path];
                if !is_safe_relative(path) {
                    return None;
                }
                let bytes = fs::read(self.out.join(path)).ok()?;
                (bytes.len() as u64 == len && xxhash_rust::xxh3::xxh3_64(&bytes) == hash).then(
                    || OutFile {
                        path: path.clone(),
                        bytes,
                    },
                )
            })
            .collect()
    }
}
