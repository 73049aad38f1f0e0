//! Spreadsheet records files, CSV and XLSX, read into rows of cells for [`super::columns`].

use std::path::Path;

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Pos};

/// One cell of a spreadsheet row: text, or a number as the spreadsheet stored it.
#[derive(Debug, Clone)]
pub(super) enum Cell {
    /// Nothing, or only spaces.
    Empty,
    /// Text, trimmed.
    Text(String),
    /// A number (CSV holds none: its numbers are text).
    Number(f64),
    /// A cell formatted as a date.
    Date(NaiveDate),
}

impl Cell {
    /// The cell as text, as a person reads it; `None` when empty.
    pub(super) fn text(&self) -> Option<String> {
        match self {
            Cell::Text(s) => Some(s.clone()),
            Cell::Number(n) => Some(format_number(*n)),
            Cell::Date(d) => Some(d.to_string()),
            Cell::Empty => None,
        }
    }
}

/// A row of a spreadsheet with its line (CSV) or row number (XLSX), and the column start of
/// each cell for diagnostics.
pub(super) struct Row {
    /// The line (CSV) or row number (XLSX), from 1.
    pub(super) line: usize,
    /// Each cell with its column, from 1.
    pub(super) cells: Vec<(usize, Cell)>,
}

impl Row {
    /// Whether every cell is empty.
    pub(super) fn is_empty(&self) -> bool {
        self.cells.iter().all(|(_, c)| matches!(c, Cell::Empty))
    }
}

/// The rows of a CSV file, or `None` after reporting a CSV error.
pub(super) fn csv_rows(text: &str, rel: &Path, diags: &mut Vec<Diagnostic>) -> Option<Vec<Row>> {
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
                return None;
            }
        }
    }
    Some(rows)
}

/// The rows of the first worksheet of an XLSX workbook, or `None` after reporting why not.
pub(super) fn xlsx_rows(path: &Path, rel: &Path, diags: &mut Vec<Diagnostic>) -> Option<Vec<Row>> {
    use calamine::{open_workbook, Reader, Xlsx};
    let mut book: Xlsx<_> = match open_workbook(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(
                Diagnostic::error(rel, None, format!("cannot read spreadsheet: {e}"))
                    .with_hint("save it as an Excel workbook (.xlsx) or as CSV UTF-8"),
            );
            return None;
        }
    };
    let Some(Ok(range)) = book.worksheet_range_at(0) else {
        diags.push(Diagnostic::error(
            rel,
            None,
            "the workbook has no worksheet",
        ));
        return None;
    };
    let (row0, col0) = range
        .start()
        .map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, r)| Row {
            line: row0 + i + 1,
            cells: (r.iter().enumerate())
                .map(|(j, c)| (col0 + j + 1, xlsx_cell(c)))
                .collect(),
        })
        .collect();
    Some(rows)
}

/// A workbook cell as jianbao reads it.
fn xlsx_cell(c: &calamine::Data) -> Cell {
    use calamine::Data;
    match c {
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
