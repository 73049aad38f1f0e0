//! The careful reader of YAML records files: reads the file as a YAML tree and reports every
//! problem at its line. Files with something to report come this way.

use crate::load::doc::{YamlDoc, YamlMap};
use crate::load::keys::{KeyIndex, Keys};
use crate::load::yaml::{Value, YPath};
use crate::model::{MetricId, Record, UnitId};

use super::record::RecordDraft;

/// The fields a record may have.
pub(super) const RECORD_FIELDS: &[&str] = &[
    "date", "unit", "activity", "place", "note", "metrics", "campaign",
];

/// What the `records:` form of a file gives every record that does not say otherwise.
struct Defaults {
    unit: Option<String>,
    activity: Option<String>,
    campaign: Option<String>,
    place: Option<String>,
    path: YPath,
}

/// Reads the records of `doc`, a records file of the campaign `folder`, into `out`.
pub(super) fn records(doc: &mut YamlDoc, folder: &str, keys: &Keys, out: &mut Vec<Record>) {
    let Some(value) = doc.parse() else { return };
    let Some((items, list_path, defaults)) = layout(doc, &value) else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let path = list_path.index(i);
        let Some(map) = doc.mapping(item, &path, "a record") else {
            continue;
        };
        if let Some(r) = record(doc, &map, defaults.as_ref(), folder, keys) {
            out.push(r);
        }
    }
}

/// The list of records in the file, where it is, and the defaults of the `records:` form.
fn layout<'v>(
    doc: &mut YamlDoc,
    value: &'v Value,
) -> Option<(&'v Vec<Value>, YPath, Option<Defaults>)> {
    let root = YPath::root();
    match value {
        Value::Sequence(items) => Some((items, root, None)),
        Value::Mapping(_) => {
            let map = doc.mapping(value, &root, "a records file")?;
            doc.check_known(
                &map,
                &["unit", "activity", "campaign", "place", "records"],
                "a records file",
            );
            let defaults = Defaults {
                unit: doc.text(&map, "unit", false),
                activity: doc.text(&map, "activity", false),
                campaign: doc.text(&map, "campaign", false),
                place: doc.text(&map, "place", false),
                path: root.clone(),
            };
            match map.get("records") {
                Some(Value::Sequence(items)) => Some((items, root.key("records"), Some(defaults))),
                Some(Value::Null) | None => {
                    doc.error(
                        &root,
                        "a records file needs a `records:` list",
                        Some("write `records:` followed by items starting with `- date: …`".into()),
                    );
                    None
                }
                Some(_) => {
                    doc.error(
                        &root.key("records"),
                        "`records` must be a list of records",
                        None,
                    );
                    None
                }
            }
        }
        Value::Null => None,
        _ => {
            doc.error(
                &root,
                "a records file must be a list of records, or a mapping with `records:`",
                None,
            );
            None
        }
    }
}

/// One record, or `None` after reporting why not.
fn record(
    doc: &mut YamlDoc,
    map: &YamlMap,
    defaults: Option<&Defaults>,
    folder: &str,
    keys: &Keys,
) -> Option<Record> {
    check_fields(doc, map, keys);
    let date = doc.record_date(map, "date");
    let unit = unit(doc, map, defaults, keys);
    let campaign_text = doc
        .text(map, "campaign", false)
        .map(|c| (c, map.path.key("campaign")))
        .or_else(|| defaults.and_then(|d| d.campaign.clone().map(|c| (c, d.path.key("campaign")))));
    let campaign = match campaign_text {
        Some((c, p)) => resolve(doc, &p, &c, &keys.campaigns),
        None => keys.campaigns.get(folder),
    };
    let activity = doc
        .text(map, "activity", false)
        .or_else(|| defaults.and_then(|d| d.activity.clone()))
        .unwrap_or_default();
    let place = doc
        .text(map, "place", false)
        .or_else(|| defaults.and_then(|d| d.place.clone()))
        .unwrap_or_default();
    let note = doc.text(map, "note", false).unwrap_or_default();
    let mut metrics = metrics(doc, map, keys);
    metrics.sort_by_key(|(m, _)| *m);
    let (date, monthly) = date?;
    let draft = RecordDraft {
        date,
        monthly,
        unit: unit?,
        campaign: campaign?,
        activity,
        place,
        note,
        metrics,
    };
    let (record, warning) = draft.finish(doc.rel, doc.pos(&map.path), || {
        doc.pos(&map.path.key("date"))
    });
    doc.diags.extend(warning);
    Some(record)
}

/// Reports unknown fields, and metric keys written straight on the record (a common slip:
/// says where they belong).
fn check_fields(doc: &mut YamlDoc, map: &YamlMap, keys: &Keys) {
    for (key, _) in map.entries() {
        if !RECORD_FIELDS.contains(&key.as_str()) && keys.metrics.contains(&key) {
            doc.error(
                &map.path.key(&key),
                format!("`{key}` is a metric, but it is not under `metrics:`"),
                Some(format!("write `metrics: {{ {key}: … }}`")),
            );
        }
    }
    let unknown = map
        .entries()
        .any(|(k, _)| !RECORD_FIELDS.contains(&k.as_str()) && !keys.metrics.contains(&k));
    if unknown {
        doc.check_known(map, RECORD_FIELDS, "a record");
    }
}

/// The record's unit, or the file's.
fn unit(
    doc: &mut YamlDoc,
    map: &YamlMap,
    defaults: Option<&Defaults>,
    keys: &Keys,
) -> Option<UnitId> {
    let given = doc.text(map, "unit", false);
    let default = defaults.and_then(|d| d.unit.clone().map(|u| (u, d.path.key("unit"))));
    let (text, path) = match (given, default) {
        (Some(u), _) => (u, map.path.key("unit")),
        (None, Some((u, p))) => (u, p),
        (None, None) => {
            doc.error(
                &map.path,
                "missing required field `unit`",
                Some("give each record a `unit:`, or put `unit:` once above `records:`".into()),
            );
            return None;
        }
    };
    // YAML records name units by key (stable, and what the fast path reads); a name or alias
    // gets a hint saying which key it is.
    match (keys.units.get(&text), keys.unit_names.get(&text)) {
        (None, Some(id)) => {
            let key = (keys.units.sorted().into_iter())
                .find(|k| keys.units.get(k) == Some(id))
                .unwrap_or_default();
            doc.error(
                &path,
                format!("unknown unit \"{text}\""),
                Some(format!("\"{text}\" is a name of unit `{key}`: YAML records give the key, `unit: {key}`")),
            );
            None
        }
        _ => resolve(doc, &path, &text, &keys.units),
    }
}

/// The counts under `metrics:`, in the order written.
fn metrics(doc: &mut YamlDoc, map: &YamlMap, keys: &Keys) -> Vec<(MetricId, u64)> {
    let mut metrics = Vec::new();
    let v = match map.get("metrics") {
        None | Some(Value::Null) => return metrics,
        Some(v) => v,
    };
    let mpath = map.path.key("metrics");
    if let Some(m) = doc.mapping(v, &mpath, "`metrics`") {
        for (key, v) in m.entries() {
            let p = mpath.key(&key);
            let id = resolve(doc, &p, &key, &keys.metrics);
            let n = doc.count_value(v, &p, &format!("count of `{key}`"));
            if let (Some(id), Some(n)) = (id, n) {
                metrics.push((id, n));
            }
        }
    }
    metrics
}

/// What `key` stands for, or an error at `path`.
fn resolve<T: Copy>(doc: &mut YamlDoc, path: &YPath, key: &str, index: &KeyIndex<T>) -> Option<T> {
    match index.resolve(key) {
        Ok(v) => Some(v),
        Err(unknown) => {
            doc.error(path, unknown.message, unknown.hint);
            None
        }
    }
}
