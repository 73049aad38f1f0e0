//! Spreadsheet rows → records: a header row names the columns, then a record a row.

use std::path::Path;

use chrono::NaiveDate;

use super::record::RecordDraft;
use super::sheets::{Cell, Row};
use crate::diag::{did_you_mean, Diagnostic, Pos};
use crate::load::doc::{check_count, parse_date};
use crate::load::keys::{CampaignSpan, Keys, Unknown};
use crate::load::yaml::Value;
use crate::model::{MetricId, Record, UnitId};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// The names a header may give each record field.
const FIELD_NAMES: &[(&str, Column)] = &[
    ("date", Column::Date),
    ("日期", Column::Date),
    ("unit", Column::Unit),
    ("单位", Column::Unit),
    ("activity", Column::Activity),
    ("活动", Column::Activity),
    ("place", Column::Place),
    ("地点", Column::Place),
    ("note", Column::Note),
    ("备注", Column::Note),
    ("campaign", Column::Campaign),
];

/// One spreadsheet being read: where it is, and what it is checked against.
struct Sheet<'a> {
    rel: &'a Path,
    folder: &'a str,
    keys: &'a Keys<'a>,
}

impl Sheet<'_> {
    fn error(&self, line: usize, col: usize, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.rel, Pos::new(line, col), msg)
    }
}

/// Reads the records of a spreadsheet's rows into `out`.
pub(super) fn records(
    rows: Vec<Row>,
    rel: &Path,
    folder: &str,
    keys: &Keys,
    diags: &mut Vec<Diagnostic>,
    out: &mut Vec<Record>,
) {
    let sheet = Sheet { rel, folder, keys };
    let mut rows = rows.into_iter().filter(|r| !r.is_empty());
    let Some(header) = header_row(&mut rows) else {
        return;
    };
    let Some(columns) = columns(&sheet, &header, diags) else {
        return;
    };
    for row in rows {
        if let Some(draft) = record(&sheet, &row, &columns, diags) {
            let pos = Pos::new(row.line, 1);
            let (record, warning) = draft.finish(rel, pos, || pos);
            diags.extend(warning);
            out.push(record);
        }
    }
}

/// The row that names the columns: the first that is not empty.
fn header_row(rows: &mut impl Iterator<Item = Row>) -> Option<Row> {
    rows.next()
}

/// What each column of the header holds, or `None` without a `date` column.
fn columns(sheet: &Sheet, header: &Row, diags: &mut Vec<Diagnostic>) -> Option<Vec<Column>> {
    let mut columns = Vec::new();
    for (col, cell) in &header.cells {
        let name = match cell {
            Cell::Text(s) => s.trim().trim_start_matches('\u{feff}').to_string(),
            _ => String::new(),
        };
        let column = column_named(&name, sheet.keys).unwrap_or_else(|| {
            let keys = sheet.keys;
            let mut known = keys.metrics.sorted();
            known.extend(keys.metric_labels.sorted());
            let hint = did_you_mean(&name, known.iter().copied());
            let msg =
                format!("unknown column \"{name}\": not a record field nor a metric key or label");
            diags.push(sheet.error(header.line, *col, msg).with_hint_opt(hint));
            Column::Ignored
        });
        columns.push(column);
    }
    if !columns.contains(&Column::Date) {
        diags.push(
            sheet
                .error(
                    header.line,
                    1,
                    "the first row must name the columns, including `date`",
                )
                .with_hint(
                    "columns: date, unit, activity, place, note, then one per metric (key or label)",
                ),
        );
        return None;
    }
    Some(columns)
}

/// The column a header cell names: a record field, or a metric by key or label.
fn column_named(name: &str, keys: &Keys) -> Option<Column> {
    if name.is_empty() {
        return Some(Column::Ignored);
    }
    if let Some((_, c)) = FIELD_NAMES.iter().find(|(n, _)| *n == name) {
        return Some(*c);
    }
    let metric = keys
        .metrics
        .get(name)
        .or_else(|| keys.metric_labels.get(name));
    metric.map(Column::Metric)
}

/// The fields of one row, or `None` after reporting what is wrong with it.
fn record(
    sheet: &Sheet,
    row: &Row,
    columns: &[Column],
    diags: &mut Vec<Diagnostic>,
) -> Option<RecordDraft> {
    let mut date = None;
    let mut unit = None;
    let mut campaign = sheet.keys.campaigns.get(sheet.folder);
    let (mut activity, mut place, mut note) = (String::new(), String::new(), String::new());
    let mut metrics = Vec::new();
    let before = diags.len();
    for ((col, cell), column) in row.cells.iter().zip(columns) {
        let fail = |diags: &mut Vec<Diagnostic>, msg: String, hint: Option<String>| {
            diags.push(sheet.error(row.line, *col, msg).with_hint_opt(hint));
        };
        match column {
            Column::Ignored => {}
            Column::Date => match date_cell(cell) {
                Ok(d) => date = Some(d),
                Err(msg) => fail(diags, msg, Some("write dates as 2019-06-09".into())),
            },
            Column::Unit => match unit_cell(sheet, cell) {
                Ok(u) => unit = Some(u),
                Err(e) => {
                    unit = None;
                    fail(diags, e.message, e.hint);
                }
            },
            Column::Campaign => match campaign_cell(sheet, cell) {
                Ok(Some(c)) => campaign = Some(c),
                Ok(None) => {}
                Err(e) => {
                    campaign = None;
                    fail(diags, e.message, e.hint);
                }
            },
            Column::Activity => activity = cell.text().unwrap_or_default(),
            Column::Place => place = cell.text().unwrap_or_default(),
            Column::Note => note = cell.text().unwrap_or_default(),
            Column::Metric(id) => match count_cell(cell) {
                None => {}
                Some(Ok(n)) => metrics.push((*id, n)),
                Some(Err((msg, hint))) => fail(diags, format!("count {msg}"), hint),
            },
        }
    }
    let ok = diags.len() == before;
    if date.is_none() && ok {
        diags.push(sheet.error(row.line, 1, "missing date"));
    }
    if unit.is_none() && ok {
        diags.push(
            sheet
                .error(row.line, 1, "missing unit")
                .with_hint("add a `unit` column"),
        );
    }
    if !ok {
        return None;
    }
    Some(RecordDraft {
        date: date?,
        unit: unit?,
        campaign: campaign?,
        activity,
        place,
        note,
        metrics,
    })
}

/// A date cell: a date, or text such as `2019-06-09`.
fn date_cell(cell: &Cell) -> Result<NaiveDate, String> {
    if let Cell::Date(d) = cell {
        return Ok(*d);
    }
    let text = cell.text();
    text.as_deref()
        .and_then(parse_date)
        .ok_or_else(|| format!("cannot read \"{}\" as a date", text.unwrap_or_default()))
}

/// A unit cell: a unit key.
fn unit_cell(sheet: &Sheet, cell: &Cell) -> Result<UnitId, Unknown> {
    sheet.keys.units.resolve(&cell.text().unwrap_or_default())
}

/// A campaign cell: a campaign slug; `None` when empty (the folder's campaign).
fn campaign_cell(sheet: &Sheet, cell: &Cell) -> Result<Option<CampaignSpan>, Unknown> {
    match cell.text() {
        None => Ok(None),
        Some(c) => sheet.keys.campaigns.resolve(&c).map(Some),
    }
}

/// A count cell, read as YAML would read it; `None` when empty (not reported, not zero).
fn count_cell(cell: &Cell) -> Option<Result<u64, (String, Option<String>)>> {
    let value = match cell {
        Cell::Empty => return None,
        Cell::Number(n) => serde_norway::to_value(n).unwrap_or(Value::Null),
        Cell::Text(s) => serde_norway::from_str::<Value>(s)
            .ok()
            .filter(|v| matches!(v, Value::Number(_)))
            .unwrap_or_else(|| Value::String(s.clone())),
        Cell::Date(d) => Value::String(d.to_string()),
    };
    Some(check_count(&value))
}
