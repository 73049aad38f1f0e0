//! Issues (期): `issues/<n>.yaml`, the articles of each page of one printed issue.

use std::path::Path;

use super::discover::{FileKind, SourceFile};
use super::doc::{YamlDoc, YamlMap};
use super::keys::KeyIndex;
use super::yaml::{Value, YPath};
use crate::diag::{Diagnostics, Pos};
use crate::model::{Article, ArticleId, Issue, IssuePage, Origin, Slug};

/// An article left out with its broken campaign, as issues refer to it.
const WITHHELD: ArticleId = ArticleId(u32::MAX);

/// Reads every issue, sorted by number. `withheld` are the slugs of articles left out with
/// their broken campaign: an issue carrying one is left out too, without an error of its own.
pub(super) fn load(
    files: &[SourceFile],
    articles: &[Article],
    withheld: &[Slug],
    diags: &Diagnostics,
) -> Vec<Issue> {
    let article_ids = KeyIndex::new(
        "article",
        (articles.iter().enumerate())
            .map(|(i, a)| (a.slug.as_str(), ArticleId(i as u32)))
            .chain(withheld.iter().map(|s| (s.as_str(), WITHHELD))),
    );
    let mut issues: Vec<Issue> = files
        .iter()
        .filter(|f| f.kind == FileKind::Issue)
        .filter_map(|f| {
            let mut doc = YamlDoc::new(&f.rel, f.text.as_deref()?, 0);
            let issue = read(&mut doc, &f.abs, &article_ids);
            diags.extend(doc.diags);
            issue
        })
        .collect();
    issues.retain(|i| !i.pages.iter().any(|p| p.articles.contains(&WITHHELD)));
    issues.sort_by_key(|i| i.number);
    issues
}

/// One issue file, or `None` after reporting why not.
fn read(doc: &mut YamlDoc, abs: &Path, article_ids: &KeyIndex<ArticleId>) -> Option<Issue> {
    let value = doc.parse()?;
    let obj = doc.mapping(&value, &YPath::root(), "an issue file")?;
    doc.check_known(
        &obj,
        &["number", "date", "title", "pages", "distribution", "copies"],
        "an issue file",
    );
    let number = number(doc, &obj, abs);
    let date = doc.date(&obj, "date", true);
    let title = doc.text(&obj, "title", false);
    let copies = doc
        .count(&obj, "copies", false)
        .map(|c| c.min(u64::from(u32::MAX)) as u32);
    let pages = pages(doc, &obj, article_ids);
    let distribution = distribution(doc, &obj);
    if doc.has_errors() {
        return None;
    }
    Some(Issue {
        number: number?,
        date: date?,
        title,
        pages,
        distribution,
        copies,
        origin: Origin {
            path: doc.rel.to_path_buf(),
            pos: Pos::new(1, 1),
        },
    })
}

/// The issue's number; a file named for another number is a warning.
fn number(doc: &mut YamlDoc, obj: &YamlMap, abs: &Path) -> Option<u32> {
    let number = match obj.get("number") {
        // A missing number: reported as any missing required field.
        None | Some(Value::Null) => {
            doc.text(obj, "number", true);
            None
        }
        Some(v) => doc.whole_value(
            v,
            &obj.path.key("number"),
            "issue `number`",
            "issue numbers are whole numbers from 1",
        ),
    }
    .and_then(|n| {
        if n == 0 || n > u64::from(u32::MAX) {
            doc.error(
                &obj.path.key("number"),
                format!("issue number {n} is out of range"),
                Some("issue numbers start at 1".into()),
            );
            None
        } else {
            Some(n as u32)
        }
    });
    if let (Some(n), Some(stem)) = (number, abs.file_stem().and_then(|s| s.to_str())) {
        if stem.parse::<u32>().is_ok_and(|s| s != n) {
            doc.warn(&obj.path.key("number"), format!("file {stem}.yaml holds issue number {n}"), Some(format!("the URL follows `number:` (issues/{n}/); rename the file to {n}.yaml to avoid confusion")));
        }
    }
    number
}

/// The printed pages (版面) of the issue, each with its articles.
fn pages(doc: &mut YamlDoc, obj: &YamlMap, article_ids: &KeyIndex<ArticleId>) -> Vec<IssuePage> {
    let mut pages = Vec::new();
    let ppath = obj.path.key("pages");
    match obj.get("pages") {
        Some(Value::Sequence(items)) => {
            for (i, item) in items.iter().enumerate() {
                let p = ppath.index(i);
                let Some(po) = doc.mapping(item, &p, "a page of the issue") else {
                    continue;
                };
                doc.check_known(&po, &["page", "name", "articles"], "a page of the issue");
                let page = doc.text(&po, "page", true);
                let name = doc.text(&po, "name", false).unwrap_or_default();
                let mut ids = Vec::new();
                let slugs = doc.text_list(&po, "articles");
                for (j, s) in slugs.iter().enumerate() {
                    match article_ids.resolve(s) {
                        Ok(id) => ids.push(id),
                        Err(unknown) => doc.error(
                            &po.path.key("articles").index(j),
                            unknown.message,
                            unknown.hint,
                        ),
                    }
                }
                if let Some(page) = page {
                    pages.push(IssuePage {
                        page,
                        name,
                        articles: ids,
                    });
                }
            }
        }
        None | Some(Value::Null) => doc.error(
            &obj.path,
            "missing required field `pages`",
            Some("list the pages: `pages: [ { page: A01, name: 要闻, articles: [slug] } ]`".into()),
        ),
        Some(_) => doc.error(&ppath, "`pages` must be a list", None),
    }
    pages
}

/// Who receives the issue (报送, 发送): a list of recipients under each label.
fn distribution(doc: &mut YamlDoc, obj: &YamlMap) -> Vec<(String, Vec<String>)> {
    let mut distribution = Vec::new();
    if let Some(v) = obj.get("distribution").filter(|v| !v.is_null()) {
        let path = obj.path.key("distribution");
        if let Some(d) = doc.mapping(v, &path, "`distribution`") {
            for (label, _) in d.entries() {
                let who = doc.text_list(&d, &label);
                distribution.push((label, who));
            }
        }
    }
    distribution
}
