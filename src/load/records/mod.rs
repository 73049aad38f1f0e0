//! Activity records: YAML (a list, or `records:` with defaults), and spreadsheets — XLSX, XLS
//! and CSV — as units fill them in (a row each).
//!
//! YAML takes one of two paths, [`fast`] or [`careful`]; spreadsheets are read into sheets of
//! rows ([`sheets`]), then into records by their header ([`columns`]). Every path ends in
//! [`record::RecordDraft::finish`], the one place a record is made.

mod careful;
mod columns;
mod fast;
mod record;
mod scan;
mod sheets;
#[cfg(test)]
mod tests;

use std::path::Path;

use super::doc::YamlDoc;
use super::keys::Keys;
use crate::diag::Diagnostic;
use crate::model::Record;

/// Reads one records file of the campaign `folder`, by its extension: `text` is the text of
/// a YAML file (a spreadsheet is read from `abs`, so it has none).
pub fn from_file(
    abs: &Path,
    rel: &Path,
    text: Option<&str>,
    folder: &str,
    keys: &Keys,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Record> {
    let mut out = Vec::new();
    let ext = abs
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match (ext.as_str(), text) {
        ("yaml" | "yml", Some(src)) => {
            let mut doc = YamlDoc::new(rel, src, 0);
            from_yaml(&mut doc, src, folder, keys, &mut out);
            diags.append(&mut doc.diags);
        }
        ("csv" | "xlsx" | "xls", _) => {
            if let Some(book) = sheets::read(abs, rel, sheets::BOUNDS, diags) {
                columns::records(book, rel, folder, keys, diags, &mut out);
            }
        }
        // A text file that could not be read is reported already.
        _ => {}
    }
    out
}

/// Reads a YAML records file of the campaign `folder`.
///
/// Most files are valid, and archives hold a million records, so a valid file takes a fast
/// path: typed deserialization straight into records, positions from a scan of the lines.
/// Anything unusual (an error, a warning, a layout the scan can't follow) goes the careful
/// way instead, which reads the file as a YAML tree and reports every problem at its line.
pub fn from_yaml(doc: &mut YamlDoc, src: &str, folder: &str, keys: &Keys, out: &mut Vec<Record>) {
    if let Some(records) = fast::records(src, doc.rel, folder, keys) {
        out.extend(records);
        return;
    }
    careful::records(doc, folder, keys, out);
}
