//! The fast path of [`super::from_yaml`]: all or nothing. Files in the usual layout are
//! read by [`super::scan`]; others by typed serde, with positions from a scan of the lines.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::record::RecordDraft;
use super::scan::{self, Fields, Scanned};
use crate::dates::parse_record_date;
use crate::diag::Pos;
use crate::load::doc::MAX_COUNT;
use crate::load::keys::Keys;
use crate::model::Record;

/// One record as serde reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Item {
    date: String,
    unit: Option<String>,
    activity: Option<String>,
    place: Option<String>,
    note: Option<String>,
    campaign: Option<String>,
    metrics: Option<HashMap<String, u64>>,
}

impl Item {
    fn fields(&self) -> Fields<'_> {
        Fields {
            date: Some(&self.date),
            unit: self.unit.as_deref(),
            activity: self.activity.as_deref(),
            place: self.place.as_deref(),
            note: self.note.as_deref(),
            campaign: self.campaign.as_deref(),
            metrics: self
                .metrics
                .iter()
                .flatten()
                .map(|(k, v)| (k.as_str(), *v))
                .collect(),
            ..Fields::default()
        }
    }
}

/// A file of the `records:` form, as serde reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    unit: Option<String>,
    activity: Option<String>,
    campaign: Option<String>,
    place: Option<String>,
    records: Vec<Item>,
}

/// The records of a valid file, or `None` to take the careful path.
pub(super) fn records(src: &str, rel: &Path, folder: &str, keys: &Keys) -> Option<Vec<Record>> {
    match scan::scan(src) {
        Some(scanned) => convert(scanned, rel, folder, keys),
        None => with_serde(src, rel, folder, keys),
    }
}

/// The fast path for files outside the scanner's subset: typed serde.
pub(super) fn with_serde(src: &str, rel: &Path, folder: &str, keys: &Keys) -> Option<Vec<Record>> {
    // The shape is decided from the first line that says something: a list item, or a
    // mapping. (An untagged serde enum would buffer the whole file to try both: 5× slower.)
    let first = src
        .lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---")?;
    let (items, file) = if first.starts_with("- ") || first == "-" {
        (serde_norway::from_str::<Vec<Item>>(src).ok()?, None)
    } else {
        let mut f: File = serde_norway::from_str(src).ok()?;
        (std::mem::take(&mut f.records), Some(f))
    };
    let lines = item_lines(src);
    if lines.len() != items.len() {
        return None;
    }
    let defaults = file.as_ref().map_or_else(Fields::default, |f| Fields {
        unit: f.unit.as_deref(),
        activity: f.activity.as_deref(),
        campaign: f.campaign.as_deref(),
        place: f.place.as_deref(),
        ..Fields::default()
    });
    let scanned = Scanned {
        defaults,
        items: lines
            .into_iter()
            .zip(items.iter().map(Item::fields))
            .collect(),
    };
    convert(scanned, rel, folder, keys)
}

/// Resolves scanned fields against the site; `None` at anything to report.
fn convert(s: Scanned, rel: &Path, folder: &str, keys: &Keys) -> Option<Vec<Record>> {
    let d = &s.defaults;
    let mut out = Vec::with_capacity(s.items.len());
    for (pos, item) in s.items {
        let unit = keys.units.get(item.unit.or(d.unit)?.trim())?;
        let campaign_key = item.campaign.or(d.campaign).unwrap_or(folder);
        let mut metrics = Vec::with_capacity(item.metrics.len());
        for (k, n) in item.metrics {
            if n > MAX_COUNT {
                return None;
            }
            metrics.push((keys.metrics.get(k)?, n));
        }
        metrics.sort_by_key(|(m, _)| *m);
        let text = |v: Option<&str>| v.map(|s| s.trim().to_string()).unwrap_or_default();
        let (date, monthly) = parse_record_date(item.date?)?;
        let draft = RecordDraft {
            date,
            monthly,
            unit,
            campaign: keys.campaigns.get(campaign_key.trim())?,
            activity: text(item.activity.or(d.activity)),
            place: text(item.place.or(d.place)),
            note: text(item.note),
            metrics,
        };
        match draft.finish(rel, pos, || pos) {
            (record, None) => out.push(record),
            (_, Some(_)) => return None, // a warning to report: the careful path does it
        }
    }
    Some(out)
}

/// Where each item of the records list starts: the lines opening with `- ` at the
/// shallowest indentation that has any (block style, as written by people and tools).
fn item_lines(src: &str) -> Vec<Pos> {
    let starts: Vec<(usize, usize)> = src
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let indent = l.len() - l.trim_start_matches(' ').len();
            let rest = &l[indent..];
            (rest.starts_with("- ") || rest == "-").then_some((i + 1, indent))
        })
        .collect();
    let Some(min) = starts.iter().map(|&(_, ind)| ind).min() else {
        return Vec::new();
    };
    starts
        .into_iter()
        .filter(|&(_, ind)| ind == min)
        .map(|(line, ind)| Pos::new(line, ind + 3))
        .collect()
}
