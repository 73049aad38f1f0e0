//! What readers search for: one [`Record`] per article, campaign, issue and single page, made
//! from the session's rendered bodies. Only a page's own text goes in: not its print twin,
//! not the lists (tags, archive, units), navigation or the tables under charts.

use std::collections::BTreeSet;

use chrono::Datelike;

use super::session::Session;
use crate::model::{Article, ArticleId, Campaign, Issue, Site};
use crate::paths;
use crate::search::Record;

/// Filter names, as the search page shows them.
const FILTER_CAMPAIGN: &str = "search_filter_campaign";
const FILTER_UNIT: &str = "search_filter_unit";
const FILTER_YEAR: &str = "search_filter_year";

impl Session {
    /// One record per published article, campaign, issue and single page, in that order.
    pub fn search_records(&self) -> Vec<Record> {
        let site = &*self.site;
        let mut out = Vec::new();
        out.extend(
            self.articles
                .order
                .iter()
                .map(|&id| self.article_record(id)),
        );
        out.extend(
            site.campaigns
                .iter()
                .enumerate()
                .map(|(i, c)| self.campaign_record(i, c)),
        );
        out.extend(site.issues.iter().map(|issue| self.issue_record(issue)));
        for (i, p) in site.pages.iter().enumerate() {
            let body = self.bodies.single_pages.get(i).map(|b| &**b).unwrap_or("");
            let mut r = Record {
                url: paths::single_page(&p.slug),
                title: p.title.clone(),
                ..Default::default()
            };
            r.set_text(&main_text(body));
            out.push(r);
        }
        out
    }

    /// The theme's word for `key` (with `n` in it), or nothing.
    fn word(&self, key: &str, n: Option<&str>) -> String {
        self.theme.words.get(key, n).unwrap_or_default()
    }

    /// A year as the year filter shows it (2019年).
    fn year(&self, y: i32) -> String {
        self.word("year", Some(&y.to_string()))
    }

    /// An article: its kicker, subtitle, photo caption, body and author note; filtered by its
    /// campaign, the units it names and its year.
    fn article_record(&self, id: ArticleId) -> Record {
        let site = &*self.site;
        let a = site.article(id);
        let body = self.bodies.articles.get(&id).map(|b| &**b).unwrap_or("");
        let source = source_line(a, &self.word("reporter", None));
        let mut text = String::new();
        for part in [&a.kicker, &a.subtitle, &a.image_caption]
            .into_iter()
            .flatten()
        {
            push_line(&mut text, part);
        }
        push_line(&mut text, &main_text(body));
        if let Some(note) = &a.author_note {
            push_line(&mut text, note);
        }
        let mut r = Record {
            url: paths::article(&a.slug),
            title: a.title.clone(),
            date: Some(a.date.date.to_string()),
            source: (!source.is_empty()).then(|| source.clone()),
            image: self
                .articles
                .summaries
                .get(&id)
                .and_then(|s| s.image.as_ref())
                .and_then(|p| p.sizes.first())
                .map(|s| s.url.clone()),
            ..Default::default()
        };
        r.set_text(&text);
        if let Some(c) = a.campaign {
            r.filters.insert(
                self.word(FILTER_CAMPAIGN, None),
                vec![site.campaign(c).title.clone()],
            );
        }
        let haystack = format!("{}\n{source}\n{}", a.title, r.text);
        let units = units_named(site, &haystack);
        if !units.is_empty() {
            r.filters.insert(self.word(FILTER_UNIT, None), units);
        }
        r.filters.insert(
            self.word(FILTER_YEAR, None),
            vec![self.year(a.date.date.year())],
        );
        r
    }

    /// A campaign (the `i`th): its organizer and summary; filtered by itself, the units that
    /// reported in it and the years it ran.
    fn campaign_record(&self, i: usize, c: &Campaign) -> Record {
        let site = &*self.site;
        let mut text = String::new();
        if let Some(o) = &c.organizer {
            push_line(&mut text, o);
        }
        if let Some(Some(summary)) = self.bodies.campaigns.get(i) {
            push_line(&mut text, &main_text(summary));
        }
        let mut r = Record {
            url: paths::campaign(&c.slug),
            title: c.title.clone(),
            date: Some(c.start.to_string()),
            source: c.organizer.clone(),
            ..Default::default()
        };
        r.set_text(&text);
        let units: BTreeSet<&str> = site
            .records
            .iter()
            .filter(|rec| rec.campaign.0 as usize == i)
            .map(|rec| site.unit(rec.unit).name.as_str())
            .collect();
        let years: Vec<String> = (c.start.year()..=c.end.year().max(c.start.year()))
            .map(|y| self.year(y))
            .collect();
        r.filters
            .insert(self.word(FILTER_CAMPAIGN, None), vec![c.title.clone()]);
        if !units.is_empty() {
            r.filters.insert(
                self.word(FILTER_UNIT, None),
                units.into_iter().map(str::to_string).collect(),
            );
        }
        r.filters.insert(self.word(FILTER_YEAR, None), years);
        r
    }

    /// A bulletin issue: its own text is its pages' names and the headlines on them; filtered
    /// by its articles' campaigns and its year.
    fn issue_record(&self, issue: &Issue) -> Record {
        let site = &*self.site;
        let number = self.word("issue_no", Some(&issue.number.to_string()));
        let title = match &issue.title {
            Some(t) => format!("{number} {t}"),
            None => number,
        };
        let mut text = String::new();
        let mut campaigns = BTreeSet::new();
        for p in &issue.pages {
            push_line(&mut text, &p.name);
            for &id in &p.articles {
                if !self.articles.summaries.contains_key(&id) {
                    continue;
                }
                let a = site.article(id);
                push_line(&mut text, &a.title);
                if let Some(c) = a.campaign {
                    campaigns.insert(site.campaign(c).title.clone());
                }
            }
        }
        let mut r = Record {
            url: paths::issue(issue.number),
            title,
            date: Some(issue.date.to_string()),
            source: site.config.publisher.clone(),
            ..Default::default()
        };
        r.set_text(&text);
        if !campaigns.is_empty() {
            r.filters.insert(
                self.word(FILTER_CAMPAIGN, None),
                campaigns.into_iter().collect(),
            );
        }
        r.filters.insert(
            self.word(FILTER_YEAR, None),
            vec![self.year(issue.date.year())],
        );
        r
    }
}

/// The author line as the article page shows it: 来源, then ■authors and 本报记者 names.
fn source_line(a: &Article, reporter: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(s) = &a.source {
        parts.push(s.clone());
    }
    if !a.byline.is_empty() {
        parts.push(format!("■{}", a.byline.join(" ")));
    }
    if !a.reporter.is_empty() {
        parts.push(format!("{reporter} {}", a.reporter.join(" ")));
    }
    parts.join(" ")
}

/// The names of the units `text` names (by name or alias), in the order of site.yaml.
fn units_named(site: &Site, text: &str) -> Vec<String> {
    site.units
        .iter()
        .filter(|u| {
            std::iter::once(&u.name)
                .chain(&u.aliases)
                .any(|n| !n.is_empty() && text.contains(n.as_str()))
        })
        .map(|u| u.name.clone())
        .collect()
}

fn push_line(text: &mut String, line: &str) {
    let line = line.trim();
    if line.is_empty() || text.len() > crate::search::MAX_TEXT_BYTES {
        return;
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(line);
}

/// Elements whose text is not the page's prose: drawings, data tables, code run by the page.
const SKIPPED: &[&str] = &["svg", "table", "script", "style", "template"];

/// The text of a rendered body, tags dropped and entities decoded: charts (their drawings,
/// captions and data tables) and tables left out; block ends become line ends. Stops once the
/// text passes [`crate::search::MAX_TEXT_BYTES`].
fn main_text(html: &str) -> String {
    let mut out = String::new();
    // The element being skipped, and how deep inside it the scan is.
    let mut skip: Option<(String, usize)> = None;
    let mut rest = html;
    while !rest.is_empty() && out.len() <= crate::search::MAX_TEXT_BYTES {
        let Some(lt) = rest.find('<') else {
            if skip.is_none() {
                out.push_str(rest);
            }
            break;
        };
        if skip.is_none() {
            out.push_str(&rest[..lt]);
        }
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let self_closing = tag.ends_with('/');
        match &mut skip {
            Some((skipped, depth)) if *skipped == name && !self_closing => {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skip = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            Some(_) => {}
            None if closing || self_closing => {
                if matches!(
                    name.as_str(),
                    "p" | "div"
                        | "li"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "blockquote"
                        | "figcaption"
                        | "br"
                ) {
                    out.push('\n');
                }
            }
            None => {
                let chart = name == "figure" && tag.contains("class=\"chart");
                // A footnote's mark (¹) is not a word of the sentence it follows.
                let mark = name == "sup" && tag.contains("footnote-reference");
                if chart || mark || SKIPPED.contains(&name.as_str()) {
                    skip = Some((name, 1));
                } else if name == "br" {
                    out.push('\n');
                }
            }
        }
    }
    let text = decode_entities(&out);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

/// Decodes the entities a rendered body holds (the escapes of `<`, `>`, `&`, quotes, and
/// numeric ones).
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[1..e];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::aggregate::Figures;
    use crate::render::Options;

    fn sample() -> Session {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = Arc::new(
            crate::load::load(root, &crate::diag::Diagnostics::new()).expect("sample site loads"),
        );
        let figures = Arc::new(Figures::new(&site));
        let opts = Options {
            drafts: false,
            base_url: None,
            now: chrono::DateTime::parse_from_rfc3339("2026-11-22T12:00:00+08:00").unwrap(),
            progress: None,
            check_only: false,
            search: true,
        };
        Session::new(site, figures, opts).unwrap()
    }

    #[test]
    fn charts_and_tables_are_not_text() {
        let html = "<h2>标题</h2><p>共走访<strong>1836</strong>户 A &amp; B&#x3002;</p>\
            <figure class=\"chart chart-bar\"><svg><text>图表字</text></svg>\
            <figcaption>图表题</figcaption><div class=\"chart-table\"><table><tr><td>表中字</td></tr></table></div></figure>\
            <figure class=\"photo\"><img src=\"a.jpg\" alt=\"\"><figcaption>图为调解现场</figcaption></figure>\
            <table><tr><td>1</td></tr></table><p>化解率99%<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup>。完</p>";
        assert_eq!(
            main_text(html),
            "标题\n共走访1836户 A & B。\n图为调解现场\n化解率99%。完"
        );
    }

    #[test]
    fn pages_readers_look_for_are_indexed_and_nothing_else() {
        let s = sample();
        let records = s.search_records();
        let urls: Vec<&str> = records.iter().map(|r| r.url.as_str()).collect();
        let site = &s.site;
        let expected =
            s.articles.order.len() + site.campaigns.len() + site.issues.len() + site.pages.len();
        assert_eq!(records.len(), expected);
        for u in &urls {
            assert!(!paths::is_print(u), "print twin {u} indexed");
            assert!(
                u.starts_with("articles/")
                    || u.starts_with("campaigns/")
                    || u.starts_with("issues/")
                    || u.starts_with("pages/"),
                "{u} is not a page readers search"
            );
        }
        // No navigation or footer words (every page's header and footer print them).
        for nav in ["往期归档", "订阅", "版面导航", "本版新闻列表"] {
            assert!(
                records.iter().all(|r| !r.text.contains(nav)),
                "{nav} indexed"
            );
        }
        // Each article's text is its body's: a sentence of it is there.
        let a = site.article(s.articles.order[0]);
        let r = records
            .iter()
            .find(|r| r.url == paths::article(&a.slug))
            .unwrap();
        let first = a
            .body
            .lines()
            .find(|l| !l.trim().is_empty() && !l.contains("{{"))
            .unwrap();
        let words: String = first.chars().take(8).collect();
        assert!(r.text.contains(&words), "{words} not in {}", r.text);
        assert!(records
            .iter()
            .all(|r| r.text.len() <= crate::search::MAX_TEXT_BYTES));
    }

    #[test]
    fn filters_name_the_campaign_unit_and_year() {
        let s = sample();
        let records = s.search_records();
        let site = &s.site;
        for &id in &s.articles.order {
            let a = site.article(id);
            let r = records
                .iter()
                .find(|r| r.url == paths::article(&a.slug))
                .unwrap();
            assert_eq!(
                r.filters.get("年份"),
                Some(&vec![format!("{}年", a.date.date.year())])
            );
            assert_eq!(
                r.filters.get("专项活动").cloned(),
                a.campaign.map(|c| vec![site.campaign(c).title.clone()])
            );
            assert_eq!(r.date.as_deref(), Some(a.date.date.to_string().as_str()));
            if let Some(src) = &a.source {
                assert!(r.source.as_deref().unwrap().contains(src.as_str()));
            }
        }
        // A campaign's units are the ones that reported in it.
        let c = &site.campaigns[0];
        let r = records
            .iter()
            .find(|r| r.url == paths::campaign(&c.slug))
            .unwrap();
        let units = r.filters.get("单位").unwrap();
        for rec in site.records.iter().filter(|x| x.campaign.0 == 0) {
            assert!(units.contains(&site.unit(rec.unit).name));
        }
        // Some article names a unit, and the filter says which.
        assert!(s.articles.order.iter().any(|&id| {
            let a = site.article(id);
            records
                .iter()
                .any(|r| r.url == paths::article(&a.slug) && r.filters.contains_key("单位"))
        }));
    }
}
