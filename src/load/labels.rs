//! A theme's `labels.yaml`: the words its templates print around the figures, by key, in
//! each site language.
//!
//! ```yaml
//! issue_no:
//!   zh-CN: 第{n}期
//!   en: Issue {n}
//! home: 首页        # one text for every language
//! ```

use std::path::Path;

use super::doc::{control_char, scalar_text, YamlDoc};
use super::yaml::{Value, YPath};
use crate::diag::Diagnostic;
use crate::model::Labels;
use crate::numfmt::Language;

/// The language keys of an entry, in the order of [`Labels::slot`].
const LANGUAGES: [(&str, Language); 2] = [("zh-CN", Language::ZhCn), ("en", Language::En)];

/// Reads the labels in `src` (the file `rel`, for messages). Entries with a problem are left
/// out and reported; the others are kept.
pub fn parse(src: &str, rel: &Path) -> (Labels, Vec<Diagnostic>) {
    let mut doc = YamlDoc::new(rel, src, 0);
    let mut labels = Labels::default();
    let Some(value) = doc.parse() else {
        return (labels, doc.diags);
    };
    if value.is_null() {
        return (labels, doc.diags);
    }
    let Some(obj) = doc.mapping(&value, &YPath::root(), "labels.yaml") else {
        return (labels, doc.diags);
    };
    for (key, v) in obj.entries() {
        let path = obj.path.key(&key);
        if let Some(texts) = entry(&mut doc, &key, v, &path) {
            labels.texts.insert(key, texts);
        }
    }
    (labels, doc.diags)
}

/// One entry: a text for every language, or a mapping of language → text.
fn entry(doc: &mut YamlDoc, key: &str, v: &Value, path: &YPath) -> Option<[Option<String>; 2]> {
    if let Some(text) = scalar_text(v).filter(|_| !matches!(v, Value::Null)) {
        let text = checked(doc, text, path)?;
        return Some([Some(text.clone()), Some(text)]);
    }
    let what = format!("the label `{key}`");
    let obj = doc.mapping(v, path, &what)?;
    for (name, _) in obj.entries() {
        if !LANGUAGES.iter().any(|(k, _)| *k == name) {
            doc.warn(
                &obj.path.key(&name),
                format!("unknown language `{name}` in {what} (ignored)"),
                Some("the languages are `zh-CN` and `en`".into()),
            );
        }
    }
    let mut texts: [Option<String>; 2] = [None, None];
    for (name, lang) in LANGUAGES {
        let Some(v) = obj.get(name) else { continue };
        let p = obj.path.key(name);
        match scalar_text(v).filter(|_| !matches!(v, Value::Null)) {
            Some(t) => texts[Labels::slot(lang)] = checked(doc, t, &p),
            None => doc.error(&p, format!("{what} in {name} must be text"), None),
        }
    }
    if texts.iter().all(Option::is_none) {
        doc.error(
            path,
            format!("{what} gives no text"),
            Some(
                "write `zh-CN: 第{n}期` and `en: Issue {n}` under it, or one text for both".into(),
            ),
        );
        return None;
    }
    if let [Some(zh), Some(en)] = &texts {
        if zh.contains("{n}") != en.contains("{n}") {
            doc.warn(
                path,
                format!("{what} has `{{n}}` (where the value goes) in one language only"),
                Some("the value is left out of the text that has no `{n}`".into()),
            );
        }
    }
    Some(texts)
}

/// `text`, unless it holds a control character (an error at `path`).
fn checked(doc: &mut YamlDoc, text: String, path: &YPath) -> Option<String> {
    match control_char(&text) {
        Some(c) => {
            doc.error(
                path,
                format!("a label holds the control character U+{:04X}", c as u32),
                None,
            );
            None
        }
        None => Some(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(src: &str) -> (Labels, Vec<String>) {
        let (labels, diags) = parse(src, Path::new("themes/t/labels.yaml"));
        (labels, diags.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn entries_give_either_language_or_one_text_for_both() {
        let (l, d) =
            read("issue_no:\n  zh-CN: 第{n}期\n  en: Issue {n}\nhome: 首页\nfeed:\n  en: RSS\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            l.texts["issue_no"],
            [Some("第{n}期".into()), Some("Issue {n}".into())]
        );
        assert_eq!(l.texts["home"], [Some("首页".into()), Some("首页".into())]);
        assert_eq!(l.texts["feed"], [None, Some("RSS".into())]);
    }

    #[test]
    fn bad_entries_are_reported_at_their_line_and_left_out() {
        let (l, d) = read("home: 首页\nfeed:\n  zh: 订阅\nlist: [1, 2]\nsource:\n  zh-CN: 来源：{n}\n  en: Source\n");
        assert_eq!(l.texts.len(), 2, "{l:?}");
        assert!(!l.texts.contains_key("list") && !l.texts.contains_key("feed"));
        let all = d.join("\n");
        assert!(
            all.contains("labels.yaml:3:3") && all.contains("`zh`"),
            "{all}"
        );
        assert!(
            all.contains("unknown language `zh`") && all.contains("`zh-CN` and `en`"),
            "{all}"
        );
        assert!(
            all.contains("labels.yaml:2:1") && all.contains("gives no text"),
            "{all}"
        );
        assert!(
            all.contains("labels.yaml:4:") && all.contains("must be a mapping"),
            "{all}"
        );
        assert!(
            all.contains("labels.yaml:5:1") && all.contains("one language only"),
            "{all}"
        );
    }

    #[test]
    fn a_syntax_error_is_an_error_with_its_position() {
        let (l, d) = read("home：首页\n  x: [\n");
        assert!(l.texts.is_empty());
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].starts_with("error: themes/t/labels.yaml:"), "{d:?}");
    }
}
