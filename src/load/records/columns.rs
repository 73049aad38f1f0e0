//! Spreadsheet sheets → records, read as offices fill them in: the header row found below
//! title and `填报单位` lines, columns named in English or Chinese (metrics by key, label or
//! alias, with a measure word in brackets or not), a record a row, and `合计`/`小计` rows
//! checked against the rows above instead of counted.
//!
//! Every diagnostic is at `path:row:col` and names its cell as the spreadsheet does
//! (`[统计表!D12]`).

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::record::RecordDraft;
use super::sheets::{cell_name, pos, Cell, Merge, Row, Sheet, Workbook};
use crate::dates::parse_any_record_date;
use crate::diag::{did_you_mean, Diagnostic};
use crate::load::doc::check_count;
use crate::load::keys::{CampaignSpan, Keys, Unknown};
use crate::load::yaml::Value;
use crate::model::{MetricId, Record, UnitId};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Date,
    /// 月份: a monthly tally's month.
    Month,
    Unit,
    Activity,
    Place,
    Note,
    Campaign,
    Metric(MetricId),
    Ignored,
}

/// The names a header may give each record field (English names in any case).
const FIELD_NAMES: &[(&str, Column)] = &[
    ("date", Column::Date),
    ("日期", Column::Date),
    ("时间", Column::Date),
    ("month", Column::Month),
    ("月份", Column::Month),
    ("unit", Column::Unit),
    ("单位", Column::Unit),
    ("activity", Column::Activity),
    ("活动", Column::Activity),
    ("活动类型", Column::Activity),
    ("place", Column::Place),
    ("地点", Column::Place),
    ("note", Column::Note),
    ("备注", Column::Note),
    ("campaign", Column::Campaign),
    // The row number nearly every office table starts with: nothing to read, nothing to warn.
    ("序号", Column::Ignored),
];

/// The first text cell of a totals row.
const TOTALS: &[&str] = &["合计", "总计", "小计"];

/// The message of a formula cell without a stored result.
const UNSAVED: &str = "formula without a stored value: save the file in Excel or WPS once";
const UNSAVED_HINT: &str = "jianbao reads the results an office suite saves with its formulas; a file written by another program may have none";

/// One sheet being read: where it is, and what it is checked against.
struct Ctx<'a> {
    rel: &'a Path,
    sheet: &'a str,
    folder: &'a str,
    keys: &'a Keys<'a>,
    is_1904: bool,
}

impl Ctx<'_> {
    /// An error at a cell, naming it.
    fn error(&self, row: usize, col: usize, msg: impl std::fmt::Display) -> Diagnostic {
        let cell = cell_name(self.sheet, row, col);
        Diagnostic::error(self.rel, pos(row, col), format!("[{cell}] {msg}"))
    }

    /// A warning at a cell, naming it.
    fn warning(&self, row: usize, col: usize, msg: impl std::fmt::Display) -> Diagnostic {
        let cell = cell_name(self.sheet, row, col);
        Diagnostic::warning(self.rel, pos(row, col), format!("[{cell}] {msg}"))
    }
}

/// Reads the records of every sheet of a workbook into `out`. A sheet without a header row
/// (a 填表说明 sheet) is skipped; a workbook where no sheet has one is an error.
pub(super) fn records(
    book: Workbook,
    rel: &Path,
    folder: &str,
    keys: &Keys,
    diags: &mut Vec<Diagnostic>,
    out: &mut Vec<Record>,
) {
    let mut any_header = false;
    for sheet in &book.sheets {
        let ctx = Ctx {
            rel,
            sheet: &sheet.name,
            folder,
            keys,
            is_1904: book.is_1904,
        };
        any_header |= read_sheet(&ctx, sheet, diags, out);
    }
    if !any_header {
        let hint = near_header(&book, keys).unwrap_or_else(|| {
            "the header row is the row of column names: 日期 (or 月份 for a monthly tally), 单位, 活动, 地点, 备注, then one column per metric by its label, key or alias, e.g. 走访群众（户）".to_string()
        });
        diags.push(
            Diagnostic::error(
                rel,
                None,
                "no header row found: a header row names a date column (日期 or date, 月份 or month) and at least one metric (by key, label or alias)",
            )
            .with_hint(hint),
        );
    }
}

/// For a workbook without a header row: the first row naming a date column, and what its
/// other columns are nearest to (the likely typo).
fn near_header(book: &Workbook, keys: &Keys) -> Option<String> {
    for sheet in &book.sheets {
        for row in &sheet.rows {
            let names: Vec<String> = (row.cells.iter())
                .filter_map(|(_, c)| c.text())
                .map(|t| header_name(&t))
                .collect();
            let dated = names
                .iter()
                .any(|n| matches!(field_named(n), Some(Column::Date | Column::Month)));
            if !dated {
                continue;
            }
            let known = known_metric_names(keys);
            let guesses: Vec<String> = (names.iter())
                .filter(|n| field_named(n).is_none())
                .filter_map(|n| {
                    crate::diag::nearest(n, known.iter().copied())
                        .map(|k| format!("\"{n}\" → \"{k}\"?"))
                })
                .collect();
            let cell = cell_name(&sheet.name, row.line, 1);
            return Some(if guesses.is_empty() {
                format!("row {cell} names a date column but no metric of site.yaml")
            } else {
                format!(
                    "row {cell} names a date column but no metric of site.yaml: {}",
                    guesses.join(", ")
                )
            });
        }
    }
    None
}

/// Every name a metric column may have, sorted (keys, labels, aliases).
fn known_metric_names<'k>(keys: &Keys<'k>) -> Vec<&'k str> {
    let mut known = keys.metric_labels.sorted();
    known.extend(keys.metrics.sorted());
    known
}

/// A header cell's name, as compared: no spaces or line breaks (`走访\n群众`), no measure
/// word in brackets at the end (`走访群众（户）`, `走访群众(户)`).
fn header_name(text: &str) -> String {
    let mut s: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .collect();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if s.ends_with(close) {
            if let Some(i) = s.rfind(open) {
                if i > 0 {
                    s.truncate(i);
                    break;
                }
            }
        }
    }
    s
}

/// The record field a header name stands for.
fn field_named(name: &str) -> Option<Column> {
    FIELD_NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, c)| *c)
}

/// What a header name stands for: a record field, or a metric by key, label or alias.
fn column_named(name: &str, keys: &Keys) -> Option<Column> {
    if name.is_empty() {
        return Some(Column::Ignored);
    }
    field_named(name).or_else(|| keys.metric_by_any_name(name).map(Column::Metric))
}

/// Whether `row` is the header row: it names a date column and at least one metric.
fn is_header(row: &Row, keys: &Keys) -> bool {
    let (mut dated, mut metric) = (false, false);
    for (_, cell) in &row.cells {
        if let Cell::Text(t) = cell {
            match column_named(&header_name(t), keys) {
                Some(Column::Date | Column::Month) => dated = true,
                Some(Column::Metric(_)) => metric = true,
                _ => {}
            }
        }
    }
    dated && metric
}

/// Reads one sheet; whether it has a header row.
fn read_sheet(
    ctx: &Ctx,
    sheet: &Sheet,
    diags: &mut Vec<Diagnostic>,
    out: &mut Vec<Record>,
) -> bool {
    let Some(h) = sheet.rows.iter().position(|r| is_header(r, ctx.keys)) else {
        return false;
    };
    let header = &sheet.rows[h];
    let columns = columns(ctx, header, diags);
    let has_unit_column = columns.iter().any(|(_, c)| *c == Column::Unit);
    // `Some(None)`: the line names an unknown unit, reported once here, not at every row.
    let sheet_unit = (sheet.rows[..h].iter())
        .find_map(unit_line)
        .and_then(|(text, row, col)| match ctx.keys.unit_by_any_name(&text) {
            Ok(u) => Some(Some(u)),
            // With a unit column the line is only a fallback for empty cells; those are
            // reported as missing a unit.
            Err(_) if has_unit_column => None,
            Err(e) => {
                diags.push(ctx.error(row, col, e.message).with_hint_opt(e.hint));
                Some(None)
            }
        });
    let rows = &sheet.rows[h + 1..];
    let fills = merged_fills(&sheet.merges, rows, &columns);
    let mut totals = Totals::default();
    for row in rows {
        if let Some(label) = totals_label(row) {
            totals.check(ctx, row, label, &columns, diags);
            continue;
        }
        let draft = record(ctx, row, &columns, &fills, sheet_unit, &mut totals, diags);
        if let Some((draft, date_col)) = draft {
            let date_pos = pos(row.line, date_col);
            let pos = pos(row.line, 1);
            let (record, warning) = draft.finish(ctx.rel, pos, || date_pos);
            diags.extend(warning.map(|w| name_cell(ctx, w, row.line, date_col)));
            out.push(record);
        }
    }
    true
}

/// A diagnostic made elsewhere, with the cell named in front of its message.
fn name_cell(ctx: &Ctx, mut d: Diagnostic, row: usize, col: usize) -> Diagnostic {
    d.message = format!("[{}] {}", cell_name(ctx.sheet, row, col), d.message);
    d
}

/// What each column of the header holds, with its column number. An unknown column is a
/// warning naming the nearest metric; a metric named twice is an error (it would count
/// twice).
fn columns(ctx: &Ctx, header: &Row, diags: &mut Vec<Diagnostic>) -> Vec<(usize, Column)> {
    let mut columns: Vec<(usize, Column)> = Vec::new();
    for (col, cell) in &header.cells {
        let raw = cell.text().unwrap_or_default();
        let name = header_name(&raw);
        let column = match column_named(&name, ctx.keys) {
            Some(c) => c,
            None => {
                let known = known_metric_names(ctx.keys);
                let hint = did_you_mean(&name, known.iter().copied());
                let msg = format!(
                    "unknown column \"{raw}\": not a record field nor a metric key or label"
                );
                diags.push(ctx.warning(header.line, *col, msg).with_hint_opt(hint));
                Column::Ignored
            }
        };
        if column != Column::Ignored {
            if let Some((first, _)) = columns.iter().find(|(_, c)| *c == column) {
                let first = cell_name(ctx.sheet, header.line, *first);
                diags.push(
                    ctx.error(
                        header.line,
                        *col,
                        format!("column \"{raw}\" is given twice"),
                    )
                    .with_hint(format!("the other is {first}: keep one of them")),
                );
                continue;
            }
        }
        columns.push((*col, column));
    }
    columns
}

/// A `填报单位：X` / `单位：X` line above the header: the unit's text and its cell. The name
/// may be in the same cell or the next one; anything after a space (`填报日期：…`) is not
/// part of it.
fn unit_line(row: &Row) -> Option<(String, usize, usize)> {
    let texts: Vec<(usize, String)> = (row.cells.iter())
        .filter_map(|(c, cell)| cell.text().map(|t| (*c, t)))
        .collect();
    for (i, (col, text)) in texts.iter().enumerate() {
        let Some(rest) = text
            .trim()
            .strip_prefix("填报单位")
            .or_else(|| text.trim().strip_prefix("单位"))
        else {
            continue;
        };
        // 填报单位（盖章）：…
        let rest = match rest.strip_prefix(['（', '(']) {
            Some(r) => r.split_once(['）', ')']).map_or(r, |(_, after)| after),
            None => rest,
        };
        let Some(rest) = rest.trim_start().strip_prefix([':', '：']) else {
            continue;
        };
        let name = rest.split_whitespace().next().unwrap_or("");
        if !name.is_empty() {
            return Some((name.to_string(), row.line, *col));
        }
        if let Some((next_col, next)) = texts.get(i + 1) {
            let name = next.split_whitespace().next().unwrap_or("");
            if !name.is_empty() {
                return Some((name.to_string(), row.line, *next_col));
            }
        }
    }
    None
}

/// The values merged regions spread down their field columns (a unit or date cell merged
/// over the rows it stands for), keyed by row and column. Metric columns are never filled:
/// a merged count is one count.
fn merged_fills(
    merges: &[Merge],
    rows: &[Row],
    columns: &[(usize, Column)],
) -> HashMap<(usize, usize), Cell> {
    let mut fills = HashMap::new();
    let Some(first) = rows.first() else {
        return fills;
    };
    for m in merges
        .iter()
        .filter(|m| m.last_row > m.first_row && m.last_row > first.line)
    {
        let Some(top) = row_at(rows, m.first_row).and_then(|r| r.cell(m.first_col)) else {
            continue;
        };
        let start = rows.partition_point(|r| r.line <= m.first_row);
        let end = rows.partition_point(|r| r.line <= m.last_row);
        for (col, column) in columns {
            if matches!(column, Column::Metric(_) | Column::Ignored)
                || !(m.first_col..=m.last_col).contains(col)
            {
                continue;
            }
            for row in &rows[start..end] {
                fills.insert((row.line, *col), top.clone());
            }
        }
    }
    fills
}

fn row_at(rows: &[Row], line: usize) -> Option<&Row> {
    rows.binary_search_by_key(&line, |r| r.line)
        .ok()
        .map(|i| &rows[i])
}

/// The label of a totals row (`合计`, `总计`, `小计`: its first text cell), or `None`.
fn totals_label(row: &Row) -> Option<&'static str> {
    let first = row.cells.iter().find_map(|(_, c)| match c {
        Cell::Text(t) => Some(t),
        _ => None,
    })?;
    let name: String = first.chars().filter(|c| !c.is_whitespace()).collect();
    TOTALS.iter().find(|t| **t == name).copied()
}

/// The sums of the data rows read so far, per metric column: over the whole sheet, and since
/// the last `小计`. `None` once a cell of the column could not be read (its sum is unknown).
#[derive(Default)]
struct Totals {
    all: HashMap<usize, Option<u128>>,
    since_subtotal: HashMap<usize, Option<u128>>,
    subtotals_seen: bool,
}

impl Totals {
    /// Adds a data row's cell of a metric column.
    fn add(&mut self, col: usize, n: Option<u64>) {
        for sums in [&mut self.all, &mut self.since_subtotal] {
            let sum = sums.entry(col).or_insert(Some(0));
            *sum = sum.zip(n).map(|(s, n)| s + u128::from(n));
        }
    }

    /// Checks each metric cell of a totals row against the sum of the rows above.
    fn check(
        &mut self,
        ctx: &Ctx,
        row: &Row,
        label: &str,
        columns: &[(usize, Column)],
        diags: &mut Vec<Diagnostic>,
    ) {
        let subtotal = label == "小计";
        for (col, column) in columns {
            if !matches!(column, Column::Metric(_)) {
                continue;
            }
            let typed = match row.cell(*col).map(count_of) {
                None | Some(None) => continue,
                Some(Some(Ok(n))) => n,
                Some(Some(Err((msg, hint)))) => {
                    diags.push(ctx.error(row.line, *col, msg).with_hint_opt(hint));
                    continue;
                }
            };
            let sums = if subtotal {
                &self.since_subtotal
            } else {
                &self.all
            };
            let Some(sum) = sums.get(col).copied().unwrap_or(Some(0)) else {
                continue; // a cell above could not be read, and is reported
            };
            if u128::from(typed) != sum {
                let rows = if subtotal && self.subtotals_seen {
                    "the rows since the previous 小计"
                } else {
                    "the rows above"
                };
                let msg = format!("{label} is {typed} but {rows} add up to {sum}");
                diags.push(ctx.error(row.line, *col, msg).with_hint(
                    "a totals row is checked, never counted: correct the total or the rows above it",
                ));
            }
        }
        if subtotal {
            self.since_subtotal.clear();
            self.subtotals_seen = true;
        }
    }
}

/// What the cells of one data row say, before it is judged a record.
struct RowCells {
    /// The date (and whether it is a month), or the column and message of an unreadable one.
    date: Option<Result<(NaiveDate, bool), (usize, String)>>,
    date_col: usize,
    unit: Option<UnitId>,
    /// A unit cell was there but named no known unit (and is reported).
    unit_failed: bool,
    campaign: Option<CampaignSpan>,
    activity: String,
    place: String,
    note: String,
    metrics: Vec<(MetricId, u64)>,
    /// A metric column had a cell.
    counted: bool,
    problems: Vec<Diagnostic>,
}

impl RowCells {
    /// Reads the row's cells (a merged cell's value from `fills`), adding its counts to `totals`.
    fn read(
        ctx: &Ctx,
        row: &Row,
        columns: &[(usize, Column)],
        fills: &HashMap<(usize, usize), Cell>,
        totals: &mut Totals,
    ) -> Self {
        let mut r = RowCells {
            date: None,
            date_col: 1,
            unit: None,
            unit_failed: false,
            campaign: ctx.keys.campaigns.get(ctx.folder),
            activity: String::new(),
            place: String::new(),
            note: String::new(),
            metrics: Vec::new(),
            counted: false,
            problems: Vec::new(),
        };
        for (col, column) in columns {
            let cell = match row.cell(*col).or_else(|| fills.get(&(row.line, *col))) {
                Some(c) if *c != Cell::Empty => c,
                _ => {
                    if let Column::Metric(_) = column {
                        totals.add(*col, Some(0));
                    }
                    continue;
                }
            };
            let problems = &mut r.problems;
            let mut fail = |msg: String, hint: Option<String>| {
                problems.push(ctx.error(row.line, *col, msg).with_hint_opt(hint));
            };
            match column {
                Column::Ignored => {}
                Column::Date | Column::Month => {
                    r.date_col = *col;
                    r.date = Some(
                        date_of(cell, *column == Column::Month, ctx.is_1904).map_err(|m| (*col, m)),
                    );
                }
                Column::Unit => match unit_of(ctx.keys, cell) {
                    Ok(u) => r.unit = Some(u),
                    Err(e) => {
                        r.unit_failed = true;
                        fail(e.message, e.hint);
                    }
                },
                Column::Campaign => match campaign_of(ctx.keys, cell) {
                    Ok(Some(c)) => r.campaign = Some(c),
                    Ok(None) => {}
                    Err(e) => {
                        r.campaign = None;
                        fail(e.message, e.hint);
                    }
                },
                Column::Activity => r.activity = cell.text().unwrap_or_default(),
                Column::Place => r.place = cell.text().unwrap_or_default(),
                Column::Note => r.note = cell.text().unwrap_or_default(),
                Column::Metric(id) => {
                    r.counted = true;
                    match count_of(cell) {
                        None => totals.add(*col, Some(0)),
                        Some(Ok(n)) => {
                            totals.add(*col, Some(n));
                            r.metrics.push((*id, n));
                        }
                        Some(Err((msg, hint))) => {
                            totals.add(*col, None);
                            fail(msg, hint);
                        }
                    }
                }
            }
        }
        r
    }
}

/// The record of one data row and its date's column, or `None` (after reporting what is
/// wrong with it, or for a row that is no record: a note below the table).
fn record(
    ctx: &Ctx,
    row: &Row,
    columns: &[(usize, Column)],
    fills: &HashMap<(usize, usize), Cell>,
    sheet_unit: Option<Option<UnitId>>,
    totals: &mut Totals,
    diags: &mut Vec<Diagnostic>,
) -> Option<(RecordDraft, usize)> {
    let RowCells {
        date,
        date_col,
        unit,
        unit_failed,
        campaign,
        activity,
        place,
        note,
        metrics,
        counted,
        mut problems,
    } = RowCells::read(ctx, row, columns, fills, totals);
    // A row that counts nothing and has no readable date is a note below the table (填表人：…),
    // not a record.
    if !counted && !matches!(date, Some(Ok(_))) {
        return None;
    }
    let date = match date {
        Some(Ok(d)) => Some(d),
        Some(Err((col, msg))) => {
            let hint = "write dates as 2019-06-09 (also 2019/6/9, 2019.6.9, 2019年6月9日, or a date cell), a month as 2019-06 or 2019年6月";
            problems.push(ctx.error(row.line, col, msg).with_hint(hint));
            None
        }
        None => {
            problems.push(ctx.error(row.line, date_col, "missing date"));
            None
        }
    };
    let unit =
        match (unit, sheet_unit) {
            (Some(u), _) => Some(u),
            (None, Some(Some(u))) => Some(u),
            // An unknown unit in the 填报单位 line is reported once, at it.
            (None, Some(None)) => None,
            (None, None) => {
                // An unknown unit is reported already.
                if !unit_failed {
                    let col = (columns.iter())
                        .find(|(_, c)| *c == Column::Unit)
                        .map_or(1, |(c, _)| *c);
                    problems.push(ctx.error(row.line, col, "missing unit").with_hint(
                        "add a 单位 (unit) column, or a line 填报单位：… above the header",
                    ));
                }
                None
            }
        };
    if !problems.is_empty() {
        diags.append(&mut problems);
        return None;
    }
    let (date, monthly) = date?;
    Some((
        RecordDraft {
            date,
            monthly,
            unit: unit?,
            campaign: campaign?,
            activity,
            place,
            note,
            metrics,
        },
        date_col,
    ))
}

mod cells;

use self::cells::*;

#[cfg(test)]
mod tests;
