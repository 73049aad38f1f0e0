//! The words a theme prints around the figures (首页, 第12期, 来源：…), in the site's language
//! (`language: zh-CN` or `en` in site.yaml). They are theme data: the built-in theme's
//! `labels.yaml`, with a site theme's own `labels.yaml` over it key by key (read by load).
//! Templates write `{{ "home" | t }}` or, with a value, `{{ "issue_no" | t(n=issue.number) }}`;
//! `{n}` in a label is where the value goes.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use crate::model::Labels;
use crate::numfmt::Language;

/// The built-in theme's words, embedded like its templates.
const BUILTIN: &str = include_str!("../../themes/newspaper/labels.yaml");

/// The built-in labels, read once. The file ships with jianbao and is tested to read cleanly.
fn builtin() -> &'static Labels {
    static LABELS: OnceLock<Labels> = OnceLock::new();
    LABELS
        .get_or_init(|| crate::load::labels::parse(BUILTIN, Path::new("<built-in>/labels.yaml")).0)
}

/// A site's words in its language: every key of the built-in labels and of the site theme's.
#[derive(Debug, Clone)]
pub struct Words {
    texts: BTreeMap<String, String>,
}

impl Words {
    /// The words of a site in `lang`, its theme's `own` labels over the built-in ones. A key
    /// the site gives in the other language only keeps the built-in text in `lang`; a key of
    /// the site's own with no text in `lang` uses the one it has.
    pub fn new(own: &Labels, lang: Language) -> Self {
        let slot = Labels::slot(lang);
        let mut texts = BTreeMap::new();
        for labels in [builtin(), own] {
            for (key, pair) in &labels.texts {
                let text = pair[slot].as_ref().or(pair[1 - slot].as_ref());
                let fills_gap = pair[slot].is_some() || !texts.contains_key(key);
                if let Some(t) = text.filter(|_| fills_gap) {
                    texts.insert(key.clone(), t.clone());
                }
            }
        }
        Words { texts }
    }

    /// The label `key`, with `{n}` replaced by `n`; `None` for an unknown key.
    pub fn get(&self, key: &str, n: Option<&str>) -> Option<String> {
        let text = self.texts.get(key)?;
        Some(match n {
            Some(n) => text.replace("{n}", n),
            None => text.clone(),
        })
    }

    /// The keys, for the error a theme gets when it asks for an unknown one.
    pub fn keys(&self) -> impl Iterator<Item = &str> + Clone {
        self.texts.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_labels_read_cleanly_in_both_languages() {
        let (labels, diags) =
            crate::load::labels::parse(BUILTIN, Path::new("<built-in>/labels.yaml"));
        assert!(diags.is_empty(), "{diags:?}");
        assert!(labels.texts.len() > 50, "{}", labels.texts.len());
        for (k, [zh, en]) in &labels.texts {
            let (zh, en) = (zh.as_deref().unwrap_or(""), en.as_deref().unwrap_or(""));
            assert!(!zh.is_empty() && !en.is_empty(), "{k}");
            assert_eq!(zh.contains("{n}"), en.contains("{n}"), "{k}");
        }
    }

    #[test]
    fn labels_follow_the_language() {
        let zh = Words::new(&Labels::default(), Language::ZhCn);
        let en = Words::new(&Labels::default(), Language::En);
        assert_eq!(zh.get("issue_no", Some("12")).unwrap(), "第12期");
        assert_eq!(en.get("issue_no", Some("12")).unwrap(), "Issue 12");
        assert_eq!(en.get("home", None).unwrap(), "Home");
        assert!(zh.get("nope", None).is_none());
    }

    #[test]
    fn a_site_theme_changes_what_it_gives_and_adds_its_own() {
        let (own, diags) = crate::load::labels::parse(
            "home: 本站首页\nfeed:\n  en: RSS\nhotline:\n  zh-CN: 服务热线{n}\n",
            Path::new("themes/t/labels.yaml"),
        );
        assert!(diags.is_empty(), "{diags:?}");
        let zh = Words::new(&own, Language::ZhCn);
        assert_eq!(zh.get("home", None).unwrap(), "本站首页");
        // Given in English only: the Chinese site keeps the built-in word.
        assert_eq!(zh.get("feed", None).unwrap(), "订阅");
        assert_eq!(zh.get("hotline", Some("12348")).unwrap(), "服务热线12348");
        let en = Words::new(&own, Language::En);
        assert_eq!(en.get("feed", None).unwrap(), "RSS");
        assert_eq!(en.get("home", None).unwrap(), "本站首页");
        // A key of the site's own in one language only is used in the other too.
        assert_eq!(en.get("hotline", Some("1")).unwrap(), "服务热线1");
        assert_eq!(en.get("archive", None).unwrap(), "Archive");
    }
}
