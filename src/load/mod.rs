//! Stage 1, load: the site's files → a valid [`Site`], with a diagnostic for every problem.
//!
//! Only this stage reads the site's files. It reads them in parallel, then resolves references
//! (units, metrics, campaigns, article slugs) so that later stages can trust the model.

pub mod assets;
pub mod config;
pub mod doc;
pub mod records;
pub mod text;
pub mod yaml;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

pub use self::doc::parse_date;
use self::doc::Doc;
use self::records::Lookup;
use self::yaml::{Value, YPath};
use crate::diag::{did_you_mean, Diagnostic, Diagnostics, Pos};
use crate::model::*;

/// Where a file under `content/` belongs, by its place in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    CampaignFile(String),
    Records(String),
    Article(Option<String>),
    Issue,
    Page,
    Static,
}

struct SourceFile {
    kind: Kind,
    abs: PathBuf,
    /// Relative to the site root, for messages.
    rel: PathBuf,
}

/// The campaign of records and articles whose campaign.yaml has errors.
const STAND_IN: CampaignId = CampaignId(u32::MAX);

/// An article left out with its broken campaign, as issues refer to it.
const WITHHELD: ArticleId = ArticleId(u32::MAX);

/// Loads the site at `root`. Problems go to `diags`; the site comes back only if there was no
/// error.
pub fn load(root: &Path, diags: &Diagnostics) -> Option<Site> {
    load_partial(root, diags).filter(|_| !diags.has_errors())
}

/// Loads what can be loaded of the site at `root`: a file with errors is left out (and
/// reported), so the rest can still be checked in the same run (`check` reports the figure
/// errors of the articles that loaded beside the YAML errors of those that did not). `None`
/// only when nothing can be resolved (no usable `site.yaml`).
pub fn load_partial(root: &Path, diags: &Diagnostics) -> Option<Site> {
    let site_yaml = root.join("site.yaml");
    let rel_site = PathBuf::from("site.yaml");
    if !site_yaml.is_file() {
        diags.push(
            Diagnostic::error(&rel_site, Pos::new(0, 0), format!("no site.yaml in {}", root.display()))
                .with_hint("run jianbao in a site folder, give the folder (jianbao check path/to/site), or create one with `jianbao init DIR`"),
        );
        return None;
    }
    let cfg = match text::read_text(&site_yaml, &rel_site) {
        Ok(src) => {
            let mut doc = Doc::new(&rel_site, &src, 0);
            let cfg = config::read(&mut doc);
            diags.extend(doc.diags);
            cfg
        }
        Err(d) => {
            diags.push(d);
            None
        }
    };

    let span = crate::trace::span("load: discover");
    let files = discover(root, diags);
    drop(span);
    let span = crate::trace::span("load: read");
    // Read every file once, in parallel; decoding problems are reported here.
    let texts: Vec<(usize, String)> = files
        .par_iter()
        .enumerate()
        .filter(|(_, f)| !matches!(f.kind, Kind::Static) && !is_spreadsheet(&f.abs))
        .filter_map(|(i, f)| match text::read_text(&f.abs, &f.rel) {
            Ok(t) => Some((i, t)),
            Err(d) => {
                diags.push(d);
                None
            }
        })
        .collect();
    let text_of: HashMap<usize, &str> = texts.iter().map(|(i, t)| (*i, t.as_str())).collect();
    drop(span);

    // Without a readable site.yaml nothing can be resolved; stop after the syntax checks.
    let Some(cfg) = cfg else {
        files.par_iter().enumerate().for_each(|(i, f)| {
            if let (Some(src), Some(ext)) = (text_of.get(&i), f.abs.extension()) {
                if ext == "yaml" || ext == "yml" {
                    let mut doc = Doc::new(&f.rel, src, 0);
                    doc.parse();
                    diags.extend(doc.diags);
                }
            }
        });
        return None;
    };

    let campaigns = load_campaigns(&files, &text_of, &cfg, diags);
    let lookup = Lookup {
        units: cfg
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.key.as_str(), UnitId(i as u32)))
            .collect(),
        metrics: cfg
            .metrics
            .iter()
            .enumerate()
            .map(|(i, m)| (m.key.as_str(), MetricId(i as u32)))
            .collect(),
        metric_labels: cfg
            .metrics
            .iter()
            .enumerate()
            .map(|(i, m)| (m.label.as_str(), MetricId(i as u32)))
            .collect(),
        campaigns: campaigns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.as_str(), (CampaignId(i as u32), c.start, c.end)))
            .chain(
                // A campaign whose campaign.yaml has errors still names its folder: its records
                // and articles are checked against a stand-in, not reported as "unknown
                // campaign" on top of the real error (the build fails anyway).
                broken_campaigns(&files, &campaigns)
                    .map(|slug| (slug, (STAND_IN, NaiveDate::MIN, NaiveDate::MAX))),
            )
            .collect(),
    };

    let span = crate::trace::span("load: records");
    let records: Vec<Record> = files
        .par_iter()
        .enumerate()
        .filter_map(|(i, f)| match &f.kind {
            Kind::Records(folder) => Some((i, f, folder)),
            _ => None,
        })
        .flat_map_iter(|(i, f, folder)| {
            let mut out = Vec::new();
            let mut ds = Vec::new();
            let ext = f
                .abs
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            match ext.as_str() {
                "yaml" | "yml" => {
                    if let Some(src) = text_of.get(&i) {
                        let mut doc = Doc::new(&f.rel, src, 0);
                        records::from_yaml(&mut doc, src, folder, &lookup, &mut out);
                        ds = doc.diags;
                    }
                }
                "csv" => {
                    if let Some(src) = text_of.get(&i) {
                        records::from_csv(src, &f.rel, folder, &lookup, &mut ds, &mut out);
                    }
                }
                _ => records::from_xlsx(&f.abs, &f.rel, folder, &lookup, &mut ds, &mut out),
            }
            diags.extend(ds);
            out
        })
        .collect();

    drop(span);
    let span = crate::trace::span("load: articles");
    // Records of a campaign whose campaign.yaml failed cannot be counted (the build fails
    // anyway); leaving them out keeps a partial site consistent.
    let records: Vec<Record> = records
        .into_iter()
        .filter(|r| r.campaign != STAND_IN)
        .collect();
    let campaign_slugs: HashMap<&str, CampaignId> =
        lookup.campaigns.iter().map(|(k, v)| (*k, v.0)).collect();
    let articles: Vec<Article> = files
        .par_iter()
        .enumerate()
        .filter_map(|(i, f)| match &f.kind {
            Kind::Article(folder) => Some((f, folder, text_of.get(&i)?)),
            _ => None,
        })
        .filter_map(|(f, folder, src)| {
            let mut ds = Vec::new();
            let a = load_article(
                src,
                &f.rel,
                &f.abs,
                folder.as_deref(),
                &campaign_slugs,
                &campaigns,
                &mut ds,
            );
            diags.extend(ds);
            a
        })
        .collect();
    // Articles of a broken campaign are left out too, but their slugs stay known, so issues
    // that carry them raise no "unknown article".
    let (withheld, mut articles): (Vec<Article>, Vec<Article>) = articles
        .into_iter()
        .partition(|a| a.campaign == Some(STAND_IN));
    articles.sort_by(|a, b| a.origin.path.cmp(&b.origin.path));
    check_unique(
        articles.iter().map(|a| (a.slug.as_str(), &a.origin)),
        "article",
        "articles/",
        diags,
    );

    drop(span);
    let span = crate::trace::span("load: pages, issues");
    let pages: Vec<Page> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind == Kind::Page)
        .filter_map(|(i, f)| {
            let mut ds = Vec::new();
            let p = load_page(text_of.get(&i)?, &f.rel, &f.abs, &mut ds);
            diags.extend(ds);
            p
        })
        .collect();
    check_unique(
        pages.iter().map(|p| (p.slug.as_str(), &p.origin)),
        "page",
        "",
        diags,
    );

    let article_ids: HashMap<&str, ArticleId> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.slug.as_str(), ArticleId(i as u32)))
        .chain(withheld.iter().map(|a| (a.slug.as_str(), WITHHELD)))
        .collect();
    let mut issues: Vec<Issue> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind == Kind::Issue)
        .filter_map(|(i, f)| {
            let mut doc = Doc::new(&f.rel, text_of.get(&i)?, 0);
            let issue = load_issue(&mut doc, &f.abs, &article_ids);
            diags.extend(doc.diags);
            issue
        })
        .collect();
    issues.retain(|i| !i.pages.iter().any(|p| p.articles.contains(&WITHHELD)));
    issues.sort_by_key(|i| i.number);
    for w in issues.windows(2) {
        if w[0].number == w[1].number {
            diags.push(
                Diagnostic::error(
                    &w[1].origin.path,
                    w[1].origin.pos,
                    format!(
                        "issue number {} is used twice: two pages with one URL (issues/{}/)",
                        w[1].number, w[1].number
                    ),
                )
                .with_hint(format!("the other is {}", w[0].origin.path.display())),
            );
        }
    }

    drop(span);
    let static_files: Vec<PathBuf> = files
        .iter()
        .filter(|f| f.kind == Kind::Static)
        .filter_map(|f| {
            f.abs
                .strip_prefix(root.join("content").join("static"))
                .ok()
                .map(Path::to_path_buf)
        })
        .collect();

    let files = assets::read(root, &cfg.config.theme, &static_files, diags);
    Some(Site {
        root: root.to_path_buf(),
        config: cfg.config,
        units: cfg.units,
        metrics: cfg.metrics,
        ratios: cfg.ratios,
        campaigns,
        records,
        articles,
        issues,
        pages,
        static_files,
        files,
        incomplete: diags.has_errors(),
    })
}

fn is_spreadsheet(p: &Path) -> bool {
    p.extension().is_some_and(|e| {
        e.eq_ignore_ascii_case("xlsx")
            || e.eq_ignore_ascii_case("xls")
            || e.eq_ignore_ascii_case("ods")
    })
}

/// Finds every file under `content/`, sorted, and sorts it by its place in the tree.
fn discover(root: &Path, diags: &Diagnostics) -> Vec<SourceFile> {
    let content = root.join("content");
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .follow_links(false)
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                if content.exists() {
                    let rel = e
                        .path()
                        .and_then(|p| p.strip_prefix(root).ok())
                        .unwrap_or(Path::new("content"));
                    diags.push(Diagnostic::error(
                        rel,
                        Pos::new(0, 0),
                        format!("cannot read: {e}"),
                    ));
                }
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let abs = entry.path().to_path_buf();
        let rel = abs.strip_prefix(root).unwrap_or(&abs).to_path_buf();
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || name.starts_with('~') || name.ends_with('~') {
            continue; // editor and OS droppings (.DS_Store, ~$book.xlsx, file~)
        }
        let parts: Vec<String> = abs
            .strip_prefix(&content)
            .unwrap_or(&abs)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let ext = abs
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let kind = match (parts.as_slice(), ext.as_str()) {
            (["static", ..], _) => Some(Kind::Static),
            (["campaigns", c, "campaign.yaml" | "campaign.yml"], _) => {
                Some(Kind::CampaignFile(c.to_string()))
            }
            (["campaigns", c, "records", ..], "yaml" | "yml" | "csv" | "xlsx") => {
                Some(Kind::Records(c.to_string()))
            }
            (["campaigns", c, "articles", ..], "md") => Some(Kind::Article(Some(c.to_string()))),
            (["articles", ..], "md") => Some(Kind::Article(None)),
            (["issues", _], "yaml" | "yml") => Some(Kind::Issue),
            (["pages", _], "md") => Some(Kind::Page),
            _ => None,
        };
        match kind {
            Some(kind) => files.push(SourceFile { kind, abs, rel }),
            None => {
                let hint = match ext.as_str() {
                    "xls" => Some("old .xls workbooks are not read: save as .xlsx or CSV UTF-8".to_string()),
                    "md" | "yaml" | "yml" | "csv" | "xlsx" => Some(
                        "articles go in content/articles/ or content/campaigns/<slug>/articles/, records in content/campaigns/<slug>/records/, issues in content/issues/, pages in content/pages/, files to copy in content/static/".to_string(),
                    ),
                    _ => None,
                };
                if hint.is_some() {
                    diags.push(
                        Diagnostic::warning(
                            &rel,
                            Pos::new(0, 0),
                            "file is not in a place jianbao reads; ignored",
                        )
                        .with_hint_opt(hint),
                    );
                }
            }
        }
    }
    files
}

/// Folders with a campaign.yaml that did not load.
fn broken_campaigns<'a>(
    files: &'a [SourceFile],
    loaded: &'a [Campaign],
) -> impl Iterator<Item = &'a str> + 'a {
    files.iter().filter_map(move |f| match &f.kind {
        Kind::CampaignFile(slug) if !loaded.iter().any(|c| c.slug.as_str() == slug) => {
            Some(slug.as_str())
        }
        _ => None,
    })
}

fn load_campaigns(
    files: &[SourceFile],
    text_of: &HashMap<usize, &str>,
    cfg: &config::Config,
    diags: &Diagnostics,
) -> Vec<Campaign> {
    let mut out = Vec::new();
    // Folders that hold records or articles but no campaign.yaml.
    let mut folders: BTreeMap<&str, &Path> = BTreeMap::new();
    for f in files {
        if let Kind::Records(c) | Kind::Article(Some(c)) = &f.kind {
            folders.entry(c.as_str()).or_insert(&f.rel);
        }
    }
    for (i, f) in files.iter().enumerate() {
        let Kind::CampaignFile(slug) = &f.kind else {
            continue;
        };
        folders.remove(slug.as_str());
        let Some(src) = text_of.get(&i) else { continue };
        let mut doc = Doc::new(&f.rel, src, 0);
        if !is_valid_key(slug) {
            doc.error(&YPath::root(), format!("campaign folder \"{slug}\" is not a valid slug: it becomes the URL campaigns/{slug}/"), Some(
                "name the folder in lowercase ASCII (pinyin), digits, - and _: e.g. qianming-ganjing".into(),
            ));
        }
        if let Some(c) = read_campaign(&mut doc, slug, cfg) {
            out.push(c);
        }
        diags.extend(doc.diags);
    }
    for (slug, rel) in folders {
        diags.push(
            Diagnostic::error(
                rel,
                Pos::new(0, 0),
                format!("campaign folder \"{slug}\" has no campaign.yaml"),
            )
            .with_hint(format!(
                "create content/campaigns/{slug}/campaign.yaml with title, start and end"
            )),
        );
    }
    out
}

fn read_campaign(doc: &mut Doc, slug: &str, cfg: &config::Config) -> Option<Campaign> {
    let value = doc.parse()?;
    let obj = doc.mapping(&value, &YPath::root(), "campaign.yaml")?;
    doc.check_known(
        &obj,
        &[
            "title",
            "organizer",
            "start",
            "end",
            "targets",
            "summary",
            "units",
        ],
        "campaign.yaml",
    );
    let title = doc.text(&obj, "title", true);
    let organizer = doc.text(&obj, "organizer", false);
    let start = doc.date(&obj, "start", true);
    let end = doc.date(&obj, "end", true);
    let summary = doc.text(&obj, "summary", false);
    let mut targets = Vec::new();
    if let Some(v) = obj.get("targets").filter(|v| !v.is_null()) {
        let path = obj.path.key("targets");
        if let Some(t) = doc.mapping(v, &path, "`targets`") {
            for (key, v) in t.entries() {
                let p = path.key(&key);
                let id = cfg.metrics.iter().position(|m| m.key.as_str() == key);
                if id.is_none() {
                    let hint = did_you_mean(&key, cfg.metrics.iter().map(|m| m.key.as_str()));
                    doc.error(&p, format!("unknown metric \"{key}\""), hint);
                }
                let n = doc.count_value(v, &p, &format!("target of `{key}`"));
                if let (Some(id), Some(n)) = (id, n) {
                    targets.push((MetricId(id as u32), n));
                }
            }
        }
    }
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            doc.error(
                &obj.path.key("end"),
                format!("campaign ends ({e}) before it starts ({s})"),
                None,
            );
        }
    }
    if doc.has_errors() || !is_valid_key(slug) {
        return None;
    }
    Some(Campaign {
        slug: Slug::new(slug),
        title: title?,
        organizer,
        start: start?,
        end: end?,
        targets,
        summary,
        origin: Origin {
            path: doc.rel.to_path_buf(),
            pos: Pos::new(1, 1),
        },
    })
}

/// Reads one article file again (for `serve`), resolving its campaign against `site`.
pub fn reload_article(site: &Site, abs: &Path) -> Result<Article, Vec<Diagnostic>> {
    let rel = abs.strip_prefix(&site.root).unwrap_or(abs).to_path_buf();
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let folder = match parts
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["content", "campaigns", c, "articles", ..] => Some(c.to_string()),
        _ => None,
    };
    let src = text::read_text(abs, &rel).map_err(|d| vec![d])?;
    let slugs: HashMap<&str, CampaignId> = site
        .campaigns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.slug.as_str(), CampaignId(i as u32)))
        .collect();
    let mut ds = Vec::new();
    let article = load_article(
        &src,
        &rel,
        abs,
        folder.as_deref(),
        &slugs,
        &site.campaigns,
        &mut ds,
    );
    match article {
        Some(a)
            if !ds
                .iter()
                .any(|d| d.severity == crate::diag::Severity::Error) =>
        {
            Ok(a)
        }
        _ => Err(ds),
    }
}

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

fn front_matter<'a>(
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

const ARTICLE_FIELDS: &[&str] = &[
    "title",
    "kicker",
    "subtitle",
    "date",
    "dateline",
    "byline",
    "reporter",
    "source",
    "author_note",
    "campaign",
    "tags",
    "slug",
    "draft",
];

/// The slug a file gets: `slug:` in front matter, else the file name.
fn slug_for(doc: &mut Doc, obj: &doc::Obj, abs: &Path) -> Option<Slug> {
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

#[allow(clippy::too_many_arguments)]
fn load_article(
    src: &str,
    rel: &Path,
    abs: &Path,
    folder: Option<&str>,
    campaign_slugs: &HashMap<&str, CampaignId>,
    campaigns: &[Campaign],
    ds: &mut Vec<Diagnostic>,
) -> Option<Article> {
    let (yaml_src, body, body_line) = front_matter(src, rel, ds)?;
    let mut doc = Doc::new(rel, yaml_src, 1);
    let article = (|| {
        let value = doc.parse()?;
        let obj = doc.mapping(&value, &YPath::root(), "the front matter")?;
        doc.check_known(&obj, ARTICLE_FIELDS, "the front matter");
        let title = doc.text(&obj, "title", true);
        let slug = slug_for(&mut doc, &obj, abs);
        let campaign = match doc.text(&obj, "campaign", false) {
            Some(c) => match campaign_slugs.get(c.as_str()) {
                Some(id) => Some(*id),
                None => {
                    let mut known: Vec<&str> = campaign_slugs.keys().copied().collect();
                    known.sort_unstable();
                    doc.error(
                        &obj.path.key("campaign"),
                        format!("unknown campaign \"{c}\""),
                        did_you_mean(&c, known),
                    );
                    None
                }
            },
            None => folder.and_then(|f| campaign_slugs.get(f).copied()),
        };
        let date = match doc.published(&obj, "date", false) {
            Some(d) => Some(d),
            None if obj.get("date").is_some_and(|v| !v.is_null()) => None,
            // (A campaign that failed to load has no end date: that error is reported already.)
            None => match campaign.map(|c| campaigns.get(c.0 as usize)) {
                Some(Some(c)) => Some(Published {
                    date: c.end,
                    time: None,
                    offset: None,
                }),
                Some(None) => None,
                None => {
                    doc.error(&obj.path, "missing required field `date`", Some("write `date: 2019-06-09` (an article in a campaign folder defaults to the campaign's end)".into()));
                    None
                }
            },
        };
        let article = Article {
            slug: slug?,
            title: title?,
            kicker: doc.text(&obj, "kicker", false),
            subtitle: doc.text(&obj, "subtitle", false),
            date: date?,
            dateline: doc.text(&obj, "dateline", false),
            byline: doc.text_list(&obj, "byline"),
            reporter: doc.text_list(&obj, "reporter"),
            source: doc.text(&obj, "source", false),
            author_note: doc.text(&obj, "author_note", false),
            campaign,
            tags: doc.text_list(&obj, "tags"),
            draft: doc.flag(&obj, "draft"),
            body: body.to_string(),
            body_line,
            origin: Origin {
                path: rel.to_path_buf(),
                pos: Pos::new(1, 1),
            },
        };
        Some(article)
    })();
    let failed = doc.has_errors();
    ds.extend(doc.diags);
    article.filter(|_| !failed)
}

fn load_page(src: &str, rel: &Path, abs: &Path, ds: &mut Vec<Diagnostic>) -> Option<Page> {
    let (yaml_src, body, body_line) = front_matter(src, rel, ds)?;
    let mut doc = Doc::new(rel, yaml_src, 1);
    let page = (|| {
        let value = doc.parse()?;
        let obj = doc.mapping(&value, &YPath::root(), "the front matter")?;
        doc.check_known(&obj, &["title", "slug"], "a page's front matter");
        let title = doc.text(&obj, "title", true);
        let slug = slug_for(&mut doc, &obj, abs);
        Some(Page {
            slug: slug?,
            title: title?,
            body: body.to_string(),
            body_line,
            origin: Origin {
                path: rel.to_path_buf(),
                pos: Pos::new(1, 1),
            },
        })
    })();
    let failed = doc.has_errors();
    ds.extend(doc.diags);
    page.filter(|_| !failed)
}

fn load_issue(doc: &mut Doc, abs: &Path, article_ids: &HashMap<&str, ArticleId>) -> Option<Issue> {
    let value = doc.parse()?;
    let obj = doc.mapping(&value, &YPath::root(), "an issue file")?;
    doc.check_known(
        &obj,
        &["number", "date", "title", "pages", "distribution", "copies"],
        "an issue file",
    );
    let number = doc.count(&obj, "number", true).and_then(|n| {
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
    let date = doc.date(&obj, "date", true);
    let title = doc.text(&obj, "title", false);
    let copies = doc
        .count(&obj, "copies", false)
        .map(|c| c.min(u64::from(u32::MAX)) as u32);
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
                    match article_ids.get(s.as_str()) {
                        Some(id) => ids.push(*id),
                        None => {
                            let mut known: Vec<&str> = article_ids.keys().copied().collect();
                            known.sort_unstable();
                            doc.error(
                                &po.path.key("articles").index(j),
                                format!("unknown article \"{s}\""),
                                did_you_mean(s, known),
                            );
                        }
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

/// Two items with one slug would write one URL twice: an error at the second, naming the first.
fn check_unique<'a>(
    items: impl Iterator<Item = (&'a str, &'a Origin)>,
    what: &str,
    prefix: &str,
    diags: &Diagnostics,
) {
    let mut seen: HashMap<&str, &Origin> = HashMap::new();
    for (slug, origin) in items {
        if let Some(first) = seen.get(slug) {
            diags.push(
                Diagnostic::error(&origin.path, origin.pos, format!("{what} slug \"{slug}\" is used twice: two pages with one URL ({prefix}{slug}/)"))
                    .with_hint(format!("the other is {}; set a different `slug:`", first.path.display())),
            );
        } else {
            seen.insert(slug, origin);
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
