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
use std::sync::OnceLock;

use super::doc::{control_char, scalar_text, YamlDoc};
use super::yaml::{Value, YPath};
use crate::diag::Diagnostic;
use crate::model::Labels;
use crate::numfmt::Language;

/// The built-in theme's words, embedded like its templates.
const BUILTIN: &str = include_str!("../../themes/newspaper/labels.yaml");

/// The built-in labels, read once. The file ships with jianbao and is tested to read cleanly.
pub fn builtin() -> &'static Labels {
    static LABELS: OnceLock<Labels> = OnceLock::new();
    LABELS.get_or_init(|| parse(BUILTIN, Path::new("<built-in>/labels.yaml")).0)
}

/// The built-in labels with a site theme's `own` over them: each text `own` gives replaces
/// the built-in one in its language; keys of its own are added as they are.
pub fn over_builtin(own: &Labels) -> Labels {
    let mut all = builtin().clone();
    for (key, pair) in &own.texts {
        let slot = all.texts.entry(key.clone()).or_default();
        for (mine, theirs) in slot.iter_mut().zip(pair) {
            if theirs.is_some() {
                mine.clone_from(theirs);
            }
        }
    }
    all
}

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
    fn the_builtin_labels_read_cleanly_in_both_languages() {
        let (labels, diags) = parse(BUILTIN, Path::new("<built-in>/labels.yaml"));
        assert!(diags.is_empty(), "{diags:?}");
        assert!(labels.texts.len() > 50, "{}", labels.texts.len());
        for (k, [zh, en]) in &labels.texts {
            let (zh, en) = (zh.as_deref().unwrap_or(""), en.as_deref().unwrap_or(""));
            assert!(!zh.is_empty() && !en.is_empty(), "{k}");
            assert_eq!(zh.contains("{n}"), en.contains("{n}"), "{k}");
        }
    }

    #[test]
    fn a_site_s_labels_go_over_the_builtin_ones_text_by_text() {
        let own = read_ok("home: 本站首页\nfeed:\n  en: RSS\nhotline:\n  zh-CN: 热线{n}\n");
        let all = over_builtin(&own);
        assert_eq!(
            all.texts["home"],
            [Some("本站首页".into()), Some("本站首页".into())]
        );
        assert_eq!(all.texts["feed"], [Some("订阅".into()), Some("RSS".into())]);
        assert_eq!(all.texts["hotline"], [Some("热线{n}".into()), None]);
        assert_eq!(all.texts["archive"], builtin().texts["archive"]);
    }

    fn read_ok(src: &str) -> Labels {
        let (l, d) = read(src);
        assert!(d.is_empty(), "{d:?}");
        l
    }

    #[test]
    fn a_syntax_error_is_an_error_with_its_position() {
        let (l, d) = read("home：首页\n  x: [\n");
        assert!(l.texts.is_empty());
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].starts_with("error: themes/t/labels.yaml:"), "{d:?}");
    }
}
