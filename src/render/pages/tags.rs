//! The tag pages, the tag list, and the ASCII slugs tags are found under.

use super::super::context::{ArticleSummary, Link, TagCount};
use super::super::jobs::Renderer;
use super::super::{narrative, OutFile};
use crate::diag::Diagnostic;
use crate::paths;

impl Renderer<'_> {
    /// `tags/<slug>/index.html` for every tag, then `tags/index.html`.
    pub(in crate::render) fn tag_pages(&self) -> Result<Vec<OutFile>, Diagnostic> {
        let mut out = Vec::new();
        let mut all = Vec::new();
        for (slug, (name, ids)) in &self.articles.tags {
            let path = paths::tag(slug);
            let articles: Vec<ArticleSummary> = ids
                .iter()
                .map(|&id| self.articles.summaries[&id].clone())
                .collect();
            let description = self.titled_list(
                self.words("tag_about", name),
                articles.iter().map(|a| a.title.as_str()),
            );
            let mut ctx = self.base_context(&path, name, &description);
            ctx.insert(
                "tag",
                &Link {
                    title: name.clone(),
                    url: path.clone(),
                },
            );
            ctx.insert("articles", &articles);
            out.push(self.render_template("tag.html", &ctx, path.clone())?);
            all.push(TagCount {
                title: name.clone(),
                url: path,
                count: ids.len(),
            });
        }
        let title = self.site.config.language.pick("标签", "Tags");
        let description = self.words("tags_about", &self.site.config.title);
        let mut ctx = self.base_context(paths::TAGS, title, &description);
        ctx.insert("tags", &all);
        out.push(self.render_template("tags.html", &ctx, paths::TAGS.into())?);
        Ok(out)
    }
}

/// An ASCII slug for a tag: its pinyin syllables and ASCII letters and digits, lowercased and
/// run together (平安建设 → pinganjianshe, Law Week → lawweek); `tag-` and a hash when nothing
/// is left.
pub fn tag_slug(tag: &str) -> String {
    use pinyin::ToPinyin;
    let mut words: Vec<String> = Vec::new();
    let mut ascii = String::new();
    for (c, py) in tag.chars().zip(tag.to_pinyin()) {
        match py {
            Some(p) => {
                if !ascii.is_empty() {
                    words.push(std::mem::take(&mut ascii));
                }
                words.push(p.plain().to_string());
            }
            None if c.is_ascii_alphanumeric() => ascii.push(c.to_ascii_lowercase()),
            None => {
                if !ascii.is_empty() {
                    words.push(std::mem::take(&mut ascii));
                }
            }
        }
    }
    if !ascii.is_empty() {
        words.push(ascii);
    }
    let s = words.join("");
    if s.is_empty() {
        format!("tag-{:08x}", narrative::fnv1a(tag) as u32)
    } else {
        s
    }
}

/// The order in which tags sharing a slug claim it: Chinese tags before those with other
/// letters, then by toned pinyin (走访 zou3fang3 before 奏放 zou4fang4), then by text.
pub(crate) fn slug_rank(tag: &str) -> (bool, String, String) {
    use pinyin::ToPinyin;
    let mut toned = String::new();
    let mut all_chinese = true;
    for (c, py) in tag.chars().zip(tag.to_pinyin()) {
        match py {
            Some(p) => toned.push_str(p.with_tone_num_end()),
            None => {
                all_chinese = false;
                toned.push(c);
            }
        }
    }
    (!all_chinese, toned, tag.to_string())
}

/// `base` with a short hash of `tag`: the slug of a tag that lost `base` to another.
pub(crate) fn suffixed(base: &str, tag: &str) -> String {
    format!("{base}-{:06x}", narrative::fnv1a(tag) & 0xff_ffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_tags_rank_by_their_own_text() {
        let mut tags = vec!["ZouFang", "奏放", "走访"];
        tags.sort_by_cached_key(|t| slug_rank(t));
        assert_eq!(tags, ["走访", "奏放", "ZouFang"]);
        assert_eq!(suffixed("zoufang", "奏放"), suffixed("zoufang", "奏放"));
        assert_ne!(suffixed("zoufang", "奏放"), suffixed("zoufang", "ZouFang"));
    }

    #[test]
    fn tag_slugs_are_pinyin() {
        assert_eq!(tag_slug("平安建设"), "pinganjianshe");
        assert_eq!(tag_slug("走访"), "zoufang");
        assert_eq!(tag_slug("12345热线"), "12345rexian");
        assert_eq!(tag_slug("Law Week"), "lawweek");
        assert!(tag_slug("★").starts_with("tag-"));
    }
}
