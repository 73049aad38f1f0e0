//! Activity records: YAML (a list, or `records:` with defaults), CSV and XLSX (a row each).

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::doc::{check_count, parse_date, Doc, Obj};
use super::yaml::{Value, YPath};
use crate::diag::{did_you_mean, Diagnostic, Pos};
use crate::model::{CampaignId, MetricId, Origin, Record, UnitId};

mod scan;

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
    //! The fast path of [`super::from_yaml`]: all or nothing. Files in the usual layout are
    //! read by [`super::scan`]; others by typed serde, with positions from a scan of the lines.

    use std::collections::HashMap;
    use std::path::Path;

    use serde::Deserialize;

    use super::scan::{self, Fields, Scanned};
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
        match scan::scan(src) {
            Some(scanned) => convert(scanned, rel, folder, lookup),
            None => with_serde(src, rel, folder, lookup),
        }
    }

    /// The fast path for files outside the scanner's subset: typed serde.
    pub fn with_serde(src: &str, rel: &Path, folder: &str, lookup: &Lookup) -> Option<Vec<Record>> {
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
        convert(scanned, rel, folder, lookup)
    }

    /// Resolves scanned fields against the site; `None` at anything to report.
    fn convert(s: Scanned, rel: &Path, folder: &str, lookup: &Lookup) -> Option<Vec<Record>> {
        let d = &s.defaults;
        let mut out = Vec::with_capacity(s.items.len());
        for (pos, item) in s.items {
            let date = parse_date(item.date?)?;
            let unit = *lookup.units.get(item.unit.or(d.unit)?.trim())?;
            let campaign_key = item.campaign.or(d.campaign).unwrap_or(folder);
            let &(campaign, start, end) = lookup.campaigns.get(campaign_key.trim())?;
            if date < start || date > end {
                return None; // a warning to report: the careful path does it
            }
            let mut metrics = Vec::with_capacity(item.metrics.len());
            for (k, n) in item.metrics {
                metrics.push((*lookup.metrics.get(k)?, n));
            }
            metrics.sort_by_key(|(m, _)| *m);
            let text = |v: Option<&str>| v.map(|s| s.trim().to_string()).unwrap_or_default();
            out.push(Record {
                campaign,
                date,
                unit,
                activity: text(item.activity.or(d.activity)),
                place: text(item.place.or(d.place)),
                note: text(item.note),
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

    pub(super) fn lookup() -> Lookup<'static> {
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

#[cfg(test)]
mod scan_tests {
    //! The scanner decides only speed: wherever it reads a file, serde reads the same records.

    use super::tests::lookup;
    use super::*;

    /// A small deterministic generator (xorshift), so a failure names its seed.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[(self.next() % xs.len() as u64) as usize]
        }
        fn chance(&mut self, percent: u64) -> bool {
            self.next() % 100 < percent
        }
        /// Mostly one of the first `usual` values, now and then any.
        fn value<'a>(&mut self, xs: &[&'a str], usual: usize) -> &'a str {
            if self.chance(85) {
                self.pick(&xs[..usual])
            } else {
                self.pick(xs)
            }
        }
    }

    const TEXTS: &[&str] = &[
        "城区",
        "走访",
        "ok",
        "123",
        "a:b",
        "yes",
        "null",
        "~",
        "'q'",
        "\"q\"",
        "-x",
        "x #c",
        "a: b",
        "&a",
        "*a",
        "!t",
        "[x]",
        "{x}",
        "x,y",
        "多 空格",
        "尾:",
        "% x",
        "@x",
        "|",
        ">",
        "a\tb",
        "x # y",
        "#x",
        "2019-03-05",
    ];
    const DATES: &[&str] = &[
        "2019-03-05",
        "2019/03/06",
        "2020-01-01",
        "2019-3-7",
        "2019-13-01",
        "'2019-03-05'",
        "x",
    ];
    const COUNTS: &[&str] = &[
        "0",
        "9",
        "320",
        "012",
        "+3",
        "0x1f",
        "1_000",
        "-3",
        "18446744073709551616",
        "3.0",
        "~",
    ];
    const METRICS: &[&str] = &["households", "leaflets", "households", "leaflets", "visits"];

    fn metrics(r: &mut Rng, key_indent: usize) -> String {
        let n = r.next() % 3;
        let entries: Vec<String> = (0..n)
            .map(|_| format!("{}: {}", r.pick(METRICS), r.value(COUNTS, 3)))
            .collect();
        if r.chance(70) {
            format!("metrics: {{ {} }}\n", entries.join(", "))
        } else {
            let pad = " ".repeat(key_indent + 2);
            let lines: String = entries.iter().map(|e| format!("{pad}{e}\n")).collect();
            format!("metrics:\n{lines}")
        }
    }

    fn item(r: &mut Rng, dash: usize) -> String {
        let pad = if r.chance(90) { 1 } else { 3 };
        let key_indent = dash + 1 + pad;
        let mut fields = vec![format!("date: {}\n", r.value(DATES, 2))];
        for key in ["unit", "activity", "place", "note", "campaign"] {
            if r.chance(40) {
                let v = match key {
                    "unit" => r.pick(&["gongan", "fayuan", "nobody", "gongan #x"]),
                    "campaign" => r.pick(&["c", "d"]),
                    _ => r.value(TEXTS, 4),
                };
                fields.push(format!("{key}: {v}\n"));
            }
        }
        if r.chance(80) {
            fields.push(metrics(r, key_indent));
        }
        if r.chance(5) {
            let dup = fields[(r.next() % fields.len() as u64) as usize].clone();
            fields.push(dup);
        }
        let k = (r.next() % fields.len() as u64) as usize;
        fields.swap(0, k);
        let mut out = format!("{}-{}{}", " ".repeat(dash), " ".repeat(pad), fields[0]);
        for f in &fields[1..] {
            // Block metrics lines carry their own indentation after the first line.
            let mut lines = f.lines();
            if let Some(first) = lines.next() {
                out.push_str(&format!("{}{first}\n", " ".repeat(key_indent)));
            }
            for l in lines {
                out.push_str(&format!("{l}\n"));
            }
            if r.chance(5) {
                out.push_str(r.pick(&["# 注释\n", "\n", "   # indented comment\n"]));
            }
        }
        out
    }

    fn file(r: &mut Rng) -> String {
        let mut out = String::new();
        if r.chance(10) {
            out.push_str("---\n");
        }
        if r.chance(10) {
            out.push_str("# 记录\n");
        }
        let n = 1 + r.next() % 4;
        if r.chance(40) {
            let items: String = (0..n).map(|_| item(r, 0)).collect();
            out.push_str(&items);
        } else {
            let dash = if r.chance(50) { 0 } else { 2 };
            let mut keys: Vec<String> = Vec::new();
            for key in ["unit", "activity", "place", "campaign"] {
                if r.chance(50) {
                    let v = match key {
                        "unit" => r.pick(&["gongan", "fayuan", "nobody"]),
                        "campaign" => "c",
                        _ => r.value(TEXTS, 4),
                    };
                    keys.push(format!("{key}: {v}\n"));
                }
            }
            let items: String = (0..n).map(|_| item(r, dash)).collect();
            let at = (r.next() % (keys.len() as u64 + 1)) as usize;
            keys.insert(at, format!("records:\n{items}"));
            out.push_str(&keys.concat());
        }
        if r.chance(10) {
            out = out.replace('\n', "  \n");
        }
        out
    }

    #[test]
    fn scanner_and_serde_read_the_same_records() {
        let rel = Path::new("r.yaml");
        let lookup = lookup();
        let (mut scanned, mut valid) = (0, 0);
        for seed in 1..=4000u64 {
            let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let src = file(&mut r);
            let Some(s) = scan::scan(&src) else { continue };
            scanned += 1;
            // The careful path is the reference: it reads the YAML tree and reports.
            let mut doc = Doc::new(rel, &src, 0);
            let mut careful_out = Vec::new();
            careful(&mut doc, "c", &lookup, &mut careful_out);
            for r in &mut careful_out {
                r.metrics.sort_by_key(|(m, _)| *m);
            }
            match fast::records(&src, rel, "c", &lookup) {
                Some(fast) => {
                    valid += 1;
                    assert!(doc.diags.is_empty(), "seed {seed}:\n{src}\n{:?}", doc.diags);
                    assert_eq!(fast, careful_out, "seed {seed}:\n{src}\n{s:?}");
                }
                // The fast path gives up only on something the careful path reports.
                None => assert!(!doc.diags.is_empty(), "seed {seed}:\n{src}"),
            }
        }
        // The generator reaches both sides: files the scanner reads, and ones it leaves.
        assert!(
            scanned > 1000 && scanned < 3900,
            "{scanned} of 4000 scanned"
        );
        assert!(valid > 100, "{valid} of 4000 valid");
    }

    #[test]
    fn the_usual_layouts_are_scanned() {
        let list = "- date: 2019-08-14\n  unit: gongan\n  activity: 调解\n  place: 品机镇\n  metrics: { households: 59, leaflets: 36 }\n";
        let file = "unit: gongan\nrecords:\n  - date: 2019-08-14\n    activity: 调解\n    metrics:\n      households: 59\n";
        for src in [list, file] {
            let s = scan::scan(src).expect("scanned");
            assert_eq!(s.items.len(), 1);
            assert_eq!(s.items[0].1.metrics[0], ("households", 59));
        }
        assert_eq!(scan::scan(file).unwrap().items[0].0, Pos::new(3, 5));
    }
}
