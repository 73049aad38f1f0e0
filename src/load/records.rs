//! Activity records: YAML (a list, or `records:` with defaults), CSV and XLSX (a row each).

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::doc::{check_count, parse_date, Doc, Obj};
use super::yaml::{Value, YPath};
use crate::diag::{did_you_mean, Diagnostic, Pos};
use crate::model::{CampaignId, MetricId, Origin, Record, UnitId};

/// What records are checked against: the site's keys and the campaigns' slugs and dates.
pub struct Lookup<'a> {
    pub units: HashMap<&'a str, UnitId>,
    pub metrics: HashMap<&'a str, MetricId>,
    /// Metric labels (走访群众) → metric, for spreadsheet headers.
    pub metric_labels: HashMap<&'a str, MetricId>,
    pub campaigns: HashMap<&'a str, (CampaignId, NaiveDate, NaiveDate)>,
}

impl Lookup<'_> {
    fn unit_hint(&self, key: &str) -> Option<String> {
        did_you_mean(key, sorted_keys(&self.units))
    }

    fn metric_hint(&self, key: &str) -> Option<String> {
        did_you_mean(key, sorted_keys(&self.metrics))
    }

    fn campaign_hint(&self, key: &str) -> Option<String> {
        did_you_mean(key, sorted_keys(&self.campaigns))
    }
}

fn sorted_keys<'a, V>(m: &HashMap<&'a str, V>) -> Vec<&'a str> {
    let mut v: Vec<&str> = m.keys().copied().collect();
    v.sort_unstable();
    v
}

const RECORD_FIELDS: &[&str] = &[
    "date", "unit", "activity", "place", "note", "metrics", "campaign",
];

/// Reads a YAML records file of the campaign `folder`.
///
/// Most files are valid, and archives hold a million records, so a valid file takes a fast
/// path: typed deserialization straight into records, positions from a scan of the lines.
/// Anything unusual (an error, a warning, a layout the scan can't follow) goes the careful
/// way instead, which reads the file as a YAML tree and reports every problem at its line.
pub fn from_yaml(doc: &mut Doc, src: &str, folder: &str, lookup: &Lookup, out: &mut Vec<Record>) {
    if let Some(records) = fast::records(src, doc.rel, folder, lookup) {
        out.extend(records);
        return;
    }
    let before = out.len();
    careful(doc, folder, lookup, out);
    for r in &mut out[before..] {
        r.metrics.sort_by_key(|(m, _)| *m);
    }
}

fn careful(doc: &mut Doc, folder: &str, lookup: &Lookup, out: &mut Vec<Record>) {
    let Some(value) = doc.parse() else { return };
    let root = YPath::root();
    let (items, list_path, defaults) = match &value {
        Value::Sequence(items) => (items, root.clone(), None),
        Value::Mapping(_) => {
            let Some(obj) = doc.mapping(&value, &root, "a records file") else {
                return;
            };
            doc.check_known(
                &obj,
                &["unit", "activity", "campaign", "place", "records"],
                "a records file",
            );
            let defaults = Defaults {
                unit: doc.text(&obj, "unit", false),
                activity: doc.text(&obj, "activity", false),
                campaign: doc.text(&obj, "campaign", false),
                place: doc.text(&obj, "place", false),
                path: root.clone(),
            };
            match obj.get("records") {
                Some(Value::Sequence(items)) => (items, root.key("records"), Some(defaults)),
                Some(Value::Null) | None => {
                    doc.error(
                        &root,
                        "a records file needs a `records:` list",
                        Some("write `records:` followed by items starting with `- date: …`".into()),
                    );
                    return;
                }
                Some(_) => {
                    doc.error(
                        &root.key("records"),
                        "`records` must be a list of records",
                        None,
                    );
                    return;
                }
            }
        }
        Value::Null => return,
        _ => {
            doc.error(
                &root,
                "a records file must be a list of records, or a mapping with `records:`",
                None,
            );
            return;
        }
    };
    for (i, item) in items.iter().enumerate() {
        let path = list_path.index(i);
        let Some(obj) = doc.mapping(item, &path, "a record") else {
            continue;
        };
        if let Some(r) = yaml_record(doc, &obj, defaults.as_ref(), folder, lookup) {
            out.push(r);
        }
    }
}

struct Defaults {
    unit: Option<String>,
    activity: Option<String>,
    campaign: Option<String>,
    place: Option<String>,
    path: YPath,
}

fn yaml_record(
    doc: &mut Doc,
    obj: &Obj,
    defaults: Option<&Defaults>,
    folder: &str,
    lookup: &Lookup,
) -> Option<Record> {
    // Metric keys written straight on the record are a common slip: say where they belong.
    for (key, _) in obj.entries() {
        if !RECORD_FIELDS.contains(&key.as_str()) && lookup.metrics.contains_key(key.as_str()) {
            doc.error(
                &obj.path.key(&key),
                format!("`{key}` is a metric, but it is not under `metrics:`"),
                Some(format!("write `metrics: {{ {key}: … }}`")),
            );
        }
    }
    let unknown: Vec<String> = obj
        .entries()
        .map(|(k, _)| k)
        .filter(|k| {
            !RECORD_FIELDS.contains(&k.as_str()) && !lookup.metrics.contains_key(k.as_str())
        })
        .collect();
    if !unknown.is_empty() {
        doc.check_known(obj, RECORD_FIELDS, "a record");
    }
    let date = doc.date(obj, "date", true);
    let unit_text = doc.text(obj, "unit", false);
    let (unit_text, unit_path) = match (
        unit_text,
        defaults.and_then(|d| d.unit.clone().map(|u| (u, d.path.key("unit")))),
    ) {
        (Some(u), _) => (Some(u), obj.path.key("unit")),
        (None, Some((u, p))) => (Some(u), p),
        (None, None) => (None, obj.path.clone()),
    };
    let unit = match unit_text {
        None => {
            doc.error(
                &obj.path,
                "missing required field `unit`",
                Some("give each record a `unit:`, or put `unit:` once above `records:`".into()),
            );
            None
        }
        Some(u) => resolve(doc, &unit_path, &u, &lookup.units, "unit", || {
            lookup.unit_hint(&u)
        }),
    };
    let campaign_text = doc
        .text(obj, "campaign", false)
        .map(|c| (c, obj.path.key("campaign")))
        .or_else(|| defaults.and_then(|d| d.campaign.clone().map(|c| (c, d.path.key("campaign")))));
    let campaign = match campaign_text {
        Some((c, p)) => resolve(doc, &p, &c, &lookup.campaigns, "campaign", || {
            lookup.campaign_hint(&c)
        }),
        None => lookup.campaigns.get(folder).copied(),
    };
    let activity = doc
        .text(obj, "activity", false)
        .or_else(|| defaults.and_then(|d| d.activity.clone()))
        .unwrap_or_default();
    let place = doc
        .text(obj, "place", false)
        .or_else(|| defaults.and_then(|d| d.place.clone()))
        .unwrap_or_default();
    let note = doc.text(obj, "note", false).unwrap_or_default();
    let mut metrics = Vec::new();
    match obj.get("metrics") {
        None | Some(Value::Null) => {}
        Some(v) => {
            let mpath = obj.path.key("metrics");
            if let Some(m) = doc.mapping(v, &mpath, "`metrics`") {
                for (key, v) in m.entries() {
                    let p = mpath.key(&key);
                    let id = resolve(doc, &p, &key, &lookup.metrics, "metric", || {
                        lookup.metric_hint(&key)
                    });
                    let n = doc.count_value(v, &p, &format!("count of `{key}`"));
                    if let (Some(id), Some(n)) = (id, n) {
                        metrics.push((id, n));
                    }
                }
            }
        }
    }
    let (date, unit, (campaign, start, end)) = (date?, unit?, campaign?);
    let pos = doc.pos(&obj.path);
    if date < start || date > end {
        doc.warn(
            &obj.path.key("date"),
            format!("record dated {date} is outside its campaign ({start} to {end})"),
            Some("check the year and month, or the campaign's start/end".into()),
        );
    }
    Some(Record {
        campaign,
        date,
        unit,
        activity,
        place,
        note,
        metrics,
        origin: Origin {
            path: doc.rel.to_path_buf(),
            pos,
        },
    })
}

/// The id of `key`, or an error with a "did you mean" hint, computed only on failure: it is
/// an edit-distance search, far too slow to run for every valid record.
fn resolve<T: Copy>(
    doc: &mut Doc,
    path: &YPath,
    key: &str,
    map: &HashMap<&str, T>,
    what: &str,
    hint: impl FnOnce() -> Option<String>,
) -> Option<T> {
    match map.get(key) {
        Some(v) => Some(*v),
        None => {
            doc.error(path, format!("unknown {what} \"{key}\""), hint());
            None
        }
    }
}

mod fast {
    //! The fast path of [`super::from_yaml`]: all or nothing.

    use std::collections::HashMap;
    use std::path::Path;

    use serde::Deserialize;

    use super::Lookup;
    use crate::diag::Pos;
    use crate::load::doc::parse_date;
    use crate::model::{Origin, Record};

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
    pub fn records(src: &str, rel: &Path, folder: &str, lookup: &Lookup) -> Option<Vec<Record>> {
        // The shape is decided from the first line that says something: a list item, or a
        // mapping. (An untagged serde enum would buffer the whole file to try both: 5× slower.)
        let first = src
            .lines()
            .map(str::trim_start)
            .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---")?;
        let (items, defaults) = if first.starts_with("- ") || first == "-" {
            (serde_norway::from_str::<Vec<Item>>(src).ok()?, None)
        } else {
            let f: File = serde_norway::from_str(src).ok()?;
            (f.records, Some((f.unit, f.activity, f.campaign, f.place)))
        };
        let (d_unit, d_activity, d_campaign, d_place) = defaults.unwrap_or_default();
        let lines = item_lines(src);
        if lines.len() != items.len() {
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        for (item, pos) in items.into_iter().zip(lines) {
            let date = parse_date(&item.date)?;
            let unit = *lookup
                .units
                .get(item.unit.as_deref().or(d_unit.as_deref())?.trim())?;
            let campaign_key = item
                .campaign
                .as_deref()
                .or(d_campaign.as_deref())
                .unwrap_or(folder);
            let &(campaign, start, end) = lookup.campaigns.get(campaign_key.trim())?;
            if date < start || date > end {
                return None; // a warning to report: the careful path does it
            }
            let mut metrics = Vec::new();
            for (k, n) in item.metrics.unwrap_or_default() {
                metrics.push((*lookup.metrics.get(k.as_str())?, n));
            }
            metrics.sort_by_key(|(m, _)| *m);
            let text = |v: Option<String>, d: &Option<String>| {
                v.or_else(|| d.clone())
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default()
            };
            out.push(Record {
                campaign,
                date,
                unit,
                activity: text(item.activity, &d_activity),
                place: text(item.place, &d_place),
                note: text(item.note, &None),
                metrics,
                origin: Origin {
                    path: rel.to_path_buf(),
                    pos,
                },
            });
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
}

/// One cell of a spreadsheet row: text, or a number as the spreadsheet stored it.
#[derive(Debug, Clone)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

/// A row of a spreadsheet with its line (CSV) or row number (XLSX), and the column start of
/// each cell for diagnostics.
pub struct Row {
    pub line: usize,
    pub cells: Vec<(usize, Cell)>,
}

enum Column {
    Date,
    Unit,
    Activity,
    Place,
    Note,
    Campaign,
    Metric(MetricId),
    Ignored,
}

/// Reads a CSV records file.
pub fn from_csv(
    text: &str,
    rel: &Path,
    folder: &str,
    lookup: &Lookup,
    diags: &mut Vec<Diagnostic>,
    out: &mut Vec<Record>,
) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for result in reader.records() {
        match result {
            Ok(rec) => {
                let line = rec.position().map_or(0, |p| p.line() as usize);
                let mut col = 1;
                let mut cells = Vec::new();
                for field in rec.iter() {
                    let cell = if field.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(field.trim().to_string())
                    };
                    cells.push((col, cell));
                    // Column of the next field: this one's width plus the comma (quotes aside).
                    col += field.chars().count() + 1;
                }
                rows.push(Row { line, cells });
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                diags.push(Diagnostic::error(
                    rel,
                    Pos::new(line, 1),
                    format!("CSV error: {e}"),
                ));
                return;
            }
        }
    }
    from_rows(rows, rel, folder, lookup, diags, out);
}

/// Reads an XLSX records file: the first worksheet, a header row, then a record a row.
pub fn from_xlsx(
    path: &Path,
    rel: &Path,
    folder: &str,
    lookup: &Lookup,
    diags: &mut Vec<Diagnostic>,
    out: &mut Vec<Record>,
) {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut book: Xlsx<_> = match open_workbook(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(
                Diagnostic::error(rel, Pos::new(0, 0), format!("cannot read spreadsheet: {e}"))
                    .with_hint("save it as an Excel workbook (.xlsx) or as CSV UTF-8"),
            );
            return;
        }
    };
    let Some(Ok(range)) = book.worksheet_range_at(0) else {
        diags.push(Diagnostic::error(
            rel,
            Pos::new(0, 0),
            "the workbook has no worksheet",
        ));
        return;
    };
    let (row0, col0) = range
        .start()
        .map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let mut rows = Vec::new();
    for (i, r) in range.rows().enumerate() {
        let cells = r
            .iter()
            .enumerate()
            .map(|(j, c)| {
                let cell = match c {
                    Data::Empty => Cell::Empty,
                    Data::String(s) if s.trim().is_empty() => Cell::Empty,
                    Data::String(s) => Cell::Text(s.trim().to_string()),
                    Data::Float(f) => Cell::Number(*f),
                    Data::Int(n) => Cell::Number(*n as f64),
                    Data::Bool(b) => Cell::Text(b.to_string()),
                    Data::DateTime(dt) => match dt.as_datetime() {
                        Some(d) => Cell::Date(d.date()),
                        None => Cell::Number(dt.as_f64()),
                    },
                    Data::DateTimeIso(s) => Cell::Text(s.chars().take(10).collect()),
                    Data::DurationIso(s) => Cell::Text(s.clone()),
                    Data::Error(e) => Cell::Text(format!("#{e:?}")),
                    #[allow(unreachable_patterns)]
                    _ => Cell::Empty,
                };
                (col0 + j + 1, cell)
            })
            .collect();
        rows.push(Row {
            line: row0 + i + 1,
            cells,
        });
    }
    from_rows(rows, rel, folder, lookup, diags, out);
}

fn from_rows(
    rows: Vec<Row>,
    rel: &Path,
    folder: &str,
    lookup: &Lookup,
    diags: &mut Vec<Diagnostic>,
    out: &mut Vec<Record>,
) {
    let mut rows = rows
        .into_iter()
        .filter(|r| r.cells.iter().any(|(_, c)| !matches!(c, Cell::Empty)));
    let Some(header) = rows.next() else { return };
    let err =
        |line: usize, col: usize, msg: String| Diagnostic::error(rel, Pos::new(line, col), msg);
    let mut columns = Vec::new();
    let mut seen_date = false;
    for (col, cell) in &header.cells {
        let name = match cell {
            Cell::Text(s) => s.trim().trim_start_matches('\u{feff}').to_string(),
            _ => String::new(),
        };
        let c = match name.as_str() {
            "" => Column::Ignored,
            "date" | "日期" => {
                seen_date = true;
                Column::Date
            }
            "unit" | "单位" => Column::Unit,
            "activity" | "活动" => Column::Activity,
            "place" | "地点" => Column::Place,
            "note" | "备注" => Column::Note,
            "campaign" => Column::Campaign,
            other => match lookup
                .metrics
                .get(other)
                .or_else(|| lookup.metric_labels.get(other))
            {
                Some(id) => Column::Metric(*id),
                None => {
                    let mut known: Vec<&str> = sorted_keys(&lookup.metrics);
                    known.extend(sorted_keys(&lookup.metric_labels));
                    let hint = did_you_mean(other, known.iter().copied());
                    diags.push(err(header.line, *col, format!("unknown column \"{other}\": not a record field nor a metric key or label")).with_hint_opt(hint));
                    Column::Ignored
                }
            },
        };
        columns.push(c);
    }
    if !seen_date {
        diags.push(
            err(
                header.line,
                1,
                "the first row must name the columns, including `date`".into(),
            )
            .with_hint(
                "columns: date, unit, activity, place, note, then one per metric (key or label)",
            ),
        );
        return;
    }
    for row in rows {
        let mut date = None;
        let mut unit = None;
        let mut campaign = lookup.campaigns.get(folder).copied();
        let (mut activity, mut place, mut note) = (String::new(), String::new(), String::new());
        let mut metrics = Vec::new();
        let mut ok = true;
        for ((col, cell), column) in row.cells.iter().zip(&columns) {
            let text = match cell {
                Cell::Text(s) => Some(s.clone()),
                Cell::Number(n) => Some(format_number(*n)),
                Cell::Date(d) => Some(d.to_string()),
                Cell::Empty => None,
            };
            match column {
                Column::Ignored => {}
                Column::Date => match cell {
                    Cell::Date(d) => date = Some(*d),
                    _ => match text.as_deref().and_then(parse_date) {
                        Some(d) => date = Some(d),
                        None => {
                            ok = false;
                            diags.push(
                                err(
                                    row.line,
                                    *col,
                                    format!(
                                        "cannot read \"{}\" as a date",
                                        text.unwrap_or_default()
                                    ),
                                )
                                .with_hint("write dates as 2019-06-09"),
                            );
                        }
                    },
                },
                Column::Unit => {
                    let u = text.unwrap_or_default();
                    unit = lookup.units.get(u.as_str()).copied();
                    if unit.is_none() {
                        ok = false;
                        diags.push(
                            err(row.line, *col, format!("unknown unit \"{u}\""))
                                .with_hint_opt(lookup.unit_hint(&u)),
                        );
                    }
                }
                Column::Campaign => {
                    if let Some(c) = text {
                        campaign = lookup.campaigns.get(c.as_str()).copied();
                        if campaign.is_none() {
                            ok = false;
                            diags.push(
                                err(row.line, *col, format!("unknown campaign \"{c}\""))
                                    .with_hint_opt(lookup.campaign_hint(&c)),
                            );
                        }
                    }
                }
                Column::Activity => activity = text.unwrap_or_default(),
                Column::Place => place = text.unwrap_or_default(),
                Column::Note => note = text.unwrap_or_default(),
                Column::Metric(id) => {
                    let value = match cell {
                        Cell::Empty => continue,
                        Cell::Number(n) => serde_norway::to_value(n).unwrap_or(Value::Null),
                        Cell::Text(s) => serde_norway::from_str::<Value>(s)
                            .ok()
                            .filter(|v| matches!(v, Value::Number(_)))
                            .unwrap_or_else(|| Value::String(s.clone())),
                        Cell::Date(d) => Value::String(d.to_string()),
                    };
                    match check_count(&value) {
                        Ok(n) => metrics.push((*id, n)),
                        Err((msg, hint)) => {
                            ok = false;
                            diags.push(
                                err(row.line, *col, format!("count {msg}")).with_hint_opt(hint),
                            );
                        }
                    }
                }
            }
        }
        if date.is_none() && ok {
            diags.push(err(row.line, 1, "missing date".into()));
        }
        if unit.is_none() && ok {
            diags.push(err(row.line, 1, "missing unit".into()).with_hint("add a `unit` column"));
        }
        let (Some(date), Some(unit), Some((campaign, start, end)), true) =
            (date, unit, campaign, ok)
        else {
            continue;
        };
        if date < start || date > end {
            diags.push(Diagnostic::warning(
                rel,
                Pos::new(row.line, 1),
                format!("record dated {date} is outside its campaign ({start} to {end})"),
            ));
        }
        out.push(Record {
            campaign,
            date,
            unit,
            activity,
            place,
            note,
            metrics,
            origin: Origin {
                path: rel.to_path_buf(),
                pos: Pos::new(row.line, 1),
            },
        });
    }
}

/// A spreadsheet number as text, without a trailing `.0` for whole numbers.
fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn lookup() -> Lookup<'static> {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        Lookup {
            units: [("gongan", UnitId(0)), ("fayuan", UnitId(1))]
                .into_iter()
                .collect(),
            metrics: [("households", MetricId(0)), ("leaflets", MetricId(1))]
                .into_iter()
                .collect(),
            metric_labels: [("走访群众", MetricId(0))].into_iter().collect(),
            campaigns: [("c", (CampaignId(0), d("2019-01-01"), d("2019-12-31")))]
                .into_iter()
                .collect(),
        }
    }

    const FILE: &str = "unit: gongan\nrecords:\n  - date: 2019-03-05\n    activity: 走访\n    place: 城区\n    metrics: { leaflets: 9, households: 320 }\n  - date: 2019-03-06\n    unit: fayuan\n    note: |\n      多行\n      - 备注\n    metrics:\n      households: 5\n";

    #[test]
    fn fast_and_careful_paths_agree() {
        let rel = Path::new("r.yaml");
        let fast =
            fast::records(FILE, rel, "c", &lookup()).expect("valid file takes the fast path");
        let mut doc = Doc::new(rel, FILE, 0);
        let mut careful_out = Vec::new();
        careful(&mut doc, "c", &lookup(), &mut careful_out);
        for r in &mut careful_out {
            r.metrics.sort_by_key(|(m, _)| *m);
        }
        assert!(doc.diags.is_empty());
        assert_eq!(fast.len(), 2);
        for (a, b) in fast.iter().zip(&careful_out) {
            assert_eq!(
                (
                    a.date,
                    a.unit,
                    a.campaign,
                    &a.activity,
                    &a.place,
                    &a.note,
                    &a.metrics
                ),
                (
                    b.date,
                    b.unit,
                    b.campaign,
                    &b.activity,
                    &b.place,
                    &b.note,
                    &b.metrics
                )
            );
            assert_eq!(a.origin.pos, b.origin.pos, "same positions both ways");
        }
        assert_eq!(fast[0].metrics, vec![(MetricId(0), 320), (MetricId(1), 9)]);
    }

    #[test]
    fn anything_unusual_takes_the_careful_path() {
        let rel = Path::new("r.yaml");
        for bad in [
            FILE.replace("households: 320", "househlds: 320"),
            FILE.replace("320", "-3"),
            FILE.replace("2019-03-05", "2020-03-05"),
            FILE.replace("place: 城区", "plcae: 城区"),
            FILE.replace("unit: fayuan", "unit: nobody"),
        ] {
            assert!(fast::records(&bad, rel, "c", &lookup()).is_none(), "{bad}");
        }
    }
}
