//! `campaigns/<slug>/campaign.yaml`: a campaign's title, dates and targets.

use std::collections::BTreeMap;
use std::path::Path;

use super::config::{self, Config};
use super::discover::{FileKind, SourceFile};
use super::doc::YamlDoc;
use super::yaml::YPath;
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::model::{is_valid_key, Campaign, Origin, Slug};

/// Reads every campaign.yaml; a folder with records or articles but no campaign.yaml is an
/// error.
pub(super) fn load(files: &[SourceFile], cfg: &Config, diags: &Diagnostics) -> Vec<Campaign> {
    let mut out = Vec::new();
    // Folders that hold records or articles but no campaign.yaml.
    let mut folders: BTreeMap<&str, &Path> = BTreeMap::new();
    for f in files {
        if let FileKind::Records(c) | FileKind::Article(Some(c)) = &f.kind {
            folders.entry(c.as_str()).or_insert(&f.rel);
        }
    }
    for f in files {
        let FileKind::CampaignFile(slug) = &f.kind else {
            continue;
        };
        folders.remove(slug.as_str());
        let Some(src) = &f.text else { continue };
        let mut doc = YamlDoc::new(&f.rel, src, 0);
        if !is_valid_key(slug) {
            doc.error(&YPath::root(), format!("campaign folder \"{slug}\" is not a valid slug: it becomes the URL campaigns/{slug}/"), Some(
                "name the folder in lowercase ASCII (pinyin), digits, - and _: e.g. qianming-ganjing".into(),
            ));
        }
        if let Some(c) = read(&mut doc, slug, cfg) {
            out.push(c);
        }
        diags.extend(doc.diags);
    }
    for (slug, rel) in folders {
        diags.push(
            Diagnostic::error(
                rel,
                None,
                format!("campaign folder \"{slug}\" has no campaign.yaml"),
            )
            .with_hint(format!(
                "create content/campaigns/{slug}/campaign.yaml with title, start and end"
            )),
        );
    }
    out
}

/// Folders with a campaign.yaml that did not load.
pub(super) fn broken<'a>(
    files: &'a [SourceFile],
    loaded: &'a [Campaign],
) -> impl Iterator<Item = &'a str> + 'a {
    files.iter().filter_map(move |f| match &f.kind {
        FileKind::CampaignFile(slug) if !loaded.iter().any(|c| c.slug.as_str() == slug) => {
            Some(slug.as_str())
        }
        _ => None,
    })
}

/// One campaign.yaml, of the folder `slug`.
fn read(doc: &mut YamlDoc, slug: &str, cfg: &Config) -> Option<Campaign> {
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
    let summary_pos = summary
        .as_ref()
        .map(|_| text_start(doc.src, doc.pos(&obj.path.key("summary"))))
        .unwrap_or_default();
    let mut targets = Vec::new();
    if let Some(v) = obj.get("targets").filter(|v| !v.is_null()) {
        let path = obj.path.key("targets");
        if let Some(t) = doc.mapping(v, &path, "`targets`") {
            for (key, v) in t.entries() {
                let p = path.key(&key);
                let id = config::metric_id(&cfg.metrics, &key)
                    .map_err(|unknown| doc.error(&p, unknown.message, unknown.hint))
                    .ok();
                let n = doc.count_value(v, &p, &format!("target of `{key}`"));
                if let (Some(id), Some(n)) = (id, n) {
                    targets.push((id, n));
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
        summary_pos,
        origin: Origin {
            path: doc.rel.to_path_buf(),
            pos: Pos::new(1, 1),
        },
    })
}

/// Where the text of the scalar whose key is at `key` starts in `src`: after the key on its
/// line, or, for a block scalar (`summary: |`), on the next line that has text, at its indent.
fn text_start(src: &str, key: Pos) -> Pos {
    let mut lines = src.lines().skip(key.line.saturating_sub(1));
    let Some(first) = lines.next() else {
        return Pos::new(key.line, 0);
    };
    let chars: Vec<char> = first.chars().collect();
    let from = key.col.saturating_sub(1).min(chars.len());
    let colon = (from..chars.len()).find(|&i| chars[i] == ':');
    let start = colon.map_or(chars.len(), |c| {
        (c + 1..chars.len())
            .find(|&i| !chars[i].is_whitespace())
            .unwrap_or(chars.len())
    });
    match chars.get(start) {
        Some('|' | '>') => {}
        Some('"' | '\'') => return Pos::new(key.line, start + 1),
        _ => return Pos::new(key.line, start),
    }
    for (i, l) in lines.enumerate() {
        if !l.trim().is_empty() {
            let indent = l.chars().take_while(|c| *c == ' ').count();
            return Pos::new(key.line + 1 + i, indent);
        }
    }
    Pos::new(key.line + 1, 0)
}
