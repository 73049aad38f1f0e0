//! Markdown files with YAML front matter (articles, free pages): splitting the two, and the
//! slug a file gets.

use std::path::Path;

use super::doc::{YamlDoc, YamlMap};
use super::yaml::YPath;
use crate::diag::{Diagnostic, Pos};
use crate::model::{is_valid_key, Slug};

/// Splits `---` front matter from the body: (yaml, body, line the body starts on).
pub fn split_front_matter(src: &str) -> Option<(&str, &str, usize)> {
    let rest = src
        .strip_prefix("---\n")
        .or_else(|| src.strip_prefix("---").filter(|r| r.is_empty()))?;
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Some((yaml, body, i + 3));
        }
        offset += line.len();
    }
    None
}

/// [`split_front_matter`], or an error saying what is missing.
pub(super) fn front_matter<'a>(
    src: &'a str,
    rel: &Path,
    ds: &mut Vec<Diagnostic>,
) -> Option<(&'a str, &'a str, usize)> {
    match split_front_matter(src) {
        Some(parts) => Some(parts),
        None => {
            let msg = if src.starts_with("---") {
                "front matter is not closed by a `---` line"
            } else {
                "missing front matter"
            };
            ds.push(Diagnostic::error(rel, Pos::new(1, 1), msg).with_hint(
                "start the file with a `---` line, then `title: …` and other fields, then a `---` line, then the text",
            ));
            None
        }
    }
}

/// The slug a file gets: `slug:` in front matter, else the file name.
pub(super) fn slug_for(doc: &mut YamlDoc, obj: &YamlMap, abs: &Path) -> Option<Slug> {
    match doc.text(obj, "slug", false) {
        Some(s) if is_valid_key(&s) => Some(Slug::new(s)),
        Some(s) => {
            doc.error(&obj.path.key("slug"), format!("slug \"{s}\" is not a valid slug"), Some(
                "a slug becomes part of the URL: lowercase ASCII letters, digits, - and _ (e.g. pinyin)".into(),
            ));
            None
        }
        None => {
            let stem = abs.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if is_valid_key(stem) {
                Some(Slug::new(stem))
            } else {
                doc.error(&YPath::root(), format!("the file name \"{stem}\" cannot be a URL"), Some(
                    "add `slug: …` (lowercase ASCII, e.g. pinyin) to the front matter, or rename the file".into(),
                ));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_splits_and_counts_lines() {
        let (y, b, line) =
            split_front_matter("---\ntitle: a\ndate: 2019-01-01\n---\nbody\n").unwrap();
        assert_eq!(y, "title: a\ndate: 2019-01-01\n");
        assert_eq!(b, "body\n");
        assert_eq!(line, 5);
        assert!(split_front_matter("title: a\n").is_none());
        assert!(split_front_matter("---\ntitle: a\n").is_none());
    }
}
