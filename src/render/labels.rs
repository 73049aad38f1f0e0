//! The words a theme prints around the figures (首页, 第12期, 来源：…), in the site's language
//! (`language: zh-CN` or `en` in site.yaml). They are theme data: the built-in theme's
//! `labels.yaml` with a site theme's own over it, read by load into
//! [`ThemeFiles::labels`](crate::model::ThemeFiles::labels). Templates write `{{ "home" | t }}`
//! or, with a value, `{{ "issue_no" | t(n=issue.number) }}`; `{n}` is where the value goes.

use std::collections::BTreeMap;

use crate::model::Labels;
use crate::numfmt::Language;

/// A site's words in its language.
#[derive(Debug, Clone)]
pub struct Words {
    texts: BTreeMap<String, String>,
}

impl Words {
    /// The `labels` in `lang`; a key with no text in `lang` (one a site theme added in the
    /// other language only) uses the text it has.
    pub fn new(labels: &Labels, lang: Language) -> Self {
        let slot = Labels::slot(lang);
        let texts = labels
            .texts
            .iter()
            .filter_map(|(key, pair)| {
                let text = pair[slot].as_ref().or(pair[1 - slot].as_ref())?;
                Some((key.clone(), text.clone()))
            })
            .collect();
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
    use crate::load::labels::{builtin, over_builtin, parse};

    #[test]
    fn labels_follow_the_language() {
        let zh = Words::new(builtin(), Language::ZhCn);
        let en = Words::new(builtin(), Language::En);
        assert_eq!(zh.get("issue_no", Some("12")).unwrap(), "第12期");
        assert_eq!(en.get("issue_no", Some("12")).unwrap(), "Issue 12");
        assert_eq!(en.get("home", None).unwrap(), "Home");
        assert!(zh.get("nope", None).is_none());
    }

    #[test]
    fn a_key_given_in_one_language_only_is_used_in_both() {
        let (own, diags) = parse(
            "hotline:\n  zh-CN: 服务热线{n}\n",
            std::path::Path::new("themes/t/labels.yaml"),
        );
        assert!(diags.is_empty(), "{diags:?}");
        let en = Words::new(&over_builtin(&own), Language::En);
        assert_eq!(en.get("hotline", Some("1")).unwrap(), "服务热线1");
        assert_eq!(en.get("archive", None).unwrap(), "Archive");
    }
}
