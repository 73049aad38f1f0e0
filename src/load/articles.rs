//! Articles: Markdown with front matter, under `articles/` or a campaign's `articles/`.

use std::path::Path;

use rayon::prelude::*;

use super::discover::{kind_of, FileKind, SourceFile};
use super::doc::{YamlDoc, YamlMap};
use super::front_matter::{front_matter, slug_for};
use super::keys::{campaign_spans, CampaignSpan, KeyIndex, STAND_IN};
use super::text;
use super::yaml::YPath;
use crate::diag::{Diagnostic, Diagnostics, Pos, Severity};
use crate::model::{Article, Campaign, CampaignId, Media, Origin, Published, Site, Slug};

/// The fields an article's front matter may have.
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
    "image",
    "image_caption",
];

/// Reads every article, in parallel, sorted by path. Articles of a broken campaign are left
/// out too, but their slugs come back second, so issues that carry them raise no "unknown
/// article".
pub(super) fn load(
    files: &[SourceFile],
    campaign_slugs: &KeyIndex<CampaignSpan>,
    campaigns: &[Campaign],
    media: &Media,
    diags: &Diagnostics,
) -> (Vec<Article>, Vec<Slug>) {
    let articles: Vec<Article> = files
        .par_iter()
        .filter(|f| matches!(f.kind, FileKind::Article(_)))
        .filter_map(|f| {
            let mut ds = Vec::new();
            let a = read(f, campaign_slugs, campaigns, media, &mut ds);
            diags.extend(ds);
            a
        })
        .collect();
    let (withheld, mut articles): (Vec<Article>, Vec<Article>) = articles
        .into_iter()
        .partition(|a| a.campaign == Some(STAND_IN));
    articles.sort_by(|a, b| a.origin.path.cmp(&b.origin.path));
    (articles, withheld.into_iter().map(|a| a.slug).collect())
}

/// Reads one article file again (for `serve`), resolving its campaign against `site`.
pub fn reload_article(site: &Site, abs: &Path) -> Result<Article, Vec<Diagnostic>> {
    let rel = abs.strip_prefix(&site.root).unwrap_or(abs).to_path_buf();
    let folder = match kind_of(&site.root, abs) {
        Some(FileKind::Article(folder)) => folder,
        _ => None,
    };
    let src = text::read_text(abs, &rel).map_err(|d| vec![d])?;
    let file = SourceFile {
        kind: FileKind::Article(folder),
        abs: abs.to_path_buf(),
        rel,
        text: Some(src),
    };
    let slugs = KeyIndex::new("campaign", campaign_spans(&site.campaigns));
    let mut ds = Vec::new();
    match read(&file, &slugs, &site.campaigns, &site.media, &mut ds) {
        Some(a) if !ds.iter().any(|d| d.severity == Severity::Error) => Ok(a),
        _ => Err(ds),
    }
}

/// One article, or `None` after reporting why not.
fn read(
    f: &SourceFile,
    campaign_slugs: &KeyIndex<CampaignSpan>,
    campaigns: &[Campaign],
    media: &Media,
    ds: &mut Vec<Diagnostic>,
) -> Option<Article> {
    let FileKind::Article(folder) = &f.kind else {
        return None;
    };
    let (yaml_src, body, body_line) = front_matter(f.text.as_deref()?, &f.rel, ds)?;
    let mut doc = YamlDoc::new(&f.rel, yaml_src, 1);
    let article = (|| {
        let value = doc.parse()?;
        let obj = doc.mapping(&value, &YPath::root(), "the front matter")?;
        doc.check_known(&obj, ARTICLE_FIELDS, "the front matter");
        let title = doc.text(&obj, "title", true);
        let slug = slug_for(&mut doc, &obj, &f.abs);
        let campaign = campaign_of(&mut doc, &obj, campaign_slugs, folder.as_deref());
        let date = date_of(&mut doc, &obj, campaign, campaigns);
        let image = doc.text(&obj, "image", false).and_then(|target| {
            match super::media::problem(media, &f.rel, &target, true) {
                Some((msg, hint)) => {
                    doc.error(&obj.path.key("image"), msg, hint);
                    None
                }
                None => crate::model::media_key(&f.rel, &target),
            }
        });
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
            image,
            image_caption: doc.text(&obj, "image_caption", false),
            body: body.to_string(),
            body_line,
            origin: Origin {
                path: f.rel.clone(),
                pos: Pos::new(1, 1),
            },
        };
        Some(article)
    })();
    let failed = doc.has_errors();
    ds.extend(doc.diags);
    article.filter(|_| !failed)
}

/// The article's campaign: its `campaign:` field, else the campaign folder it sits in.
fn campaign_of(
    doc: &mut YamlDoc,
    obj: &YamlMap,
    campaign_slugs: &KeyIndex<CampaignSpan>,
    folder: Option<&str>,
) -> Option<CampaignId> {
    match doc.text(obj, "campaign", false) {
        Some(c) => match campaign_slugs.resolve(&c) {
            Ok(span) => Some(span.id),
            Err(unknown) => {
                doc.error(&obj.path.key("campaign"), unknown.message, unknown.hint);
                None
            }
        },
        None => folder
            .and_then(|f| campaign_slugs.get(f))
            .map(|span| span.id),
    }
}

/// The article's `date:`, else its campaign's end; without either, an error.
fn date_of(
    doc: &mut YamlDoc,
    obj: &YamlMap,
    campaign: Option<CampaignId>,
    campaigns: &[Campaign],
) -> Option<Published> {
    match doc.published(obj, "date", false) {
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
    }
}
