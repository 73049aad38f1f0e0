//! Spreadsheet records files — XLSX, XLS and CSV (UTF-8 or GB18030) — read into sheets of
//! rows of cells for [`super::columns`], within bounds of rows and unpacked size.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Pos};

/// One cell of a spreadsheet row: text, or a value as the spreadsheet stored it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    /// Nothing, or only spaces.
    Empty,
    /// Text, trimmed.
    Text(String),
    /// A number (CSV holds none: its numbers are text).
    Number(f64),
    /// A cell formatted as a date.
    Date(NaiveDate),
    /// A formula whose result was never saved (a file written by a program, not an office
    /// suite): there is no value to read.
    Unsaved,
}

impl Cell {
    /// The cell as text, as a person reads it; `None` when empty.
    pub(super) fn text(&self) -> Option<String> {
        match self {
            Cell::Text(s) => Some(s.clone()),
            Cell::Number(n) => Some(format_number(*n)),
            Cell::Date(d) => Some(d.to_string()),
            Cell::Empty | Cell::Unsaved => None,
        }
    }
}

/// A row of a sheet: its number, and its cells that are not empty.
#[derive(Debug, Clone)]
pub(super) struct Row {
    /// The row number, from 1 (a CSV file's record number, which is its line unless a
    /// quoted cell spans lines).
    pub(super) line: usize,
    /// Each cell with its column, from 1, left to right.
    pub(super) cells: Vec<(usize, Cell)>,
}

impl Row {
    /// The cell in column `col`, if the row has it.
    pub(super) fn cell(&self, col: usize) -> Option<&Cell> {
        self.cells.iter().find(|(c, _)| *c == col).map(|(_, c)| c)
    }
}

/// A merged region of cells, 1-based and inclusive: only its first cell holds the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Merge {
    pub(super) first_row: usize,
    pub(super) first_col: usize,
    pub(super) last_row: usize,
    pub(super) last_col: usize,
}

/// One sheet of a workbook (a CSV file is one sheet, named as Excel names it: after the file).
#[derive(Debug, Clone)]
pub(super) struct Sheet {
    /// The sheet's name, as its tab shows it.
    pub(super) name: String,
    /// Its rows that hold something, top to bottom.
    pub(super) rows: Vec<Row>,
    /// Its merged regions.
    pub(super) merges: Vec<Merge>,
}

/// How much of a spreadsheet jianbao reads before it stops with an error (SPEC §7): a
/// workbook is a zip that may unpack to far more than its size.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bounds {
    /// Rows holding something, over all sheets.
    pub(super) rows: usize,
    /// Unpacked bytes (a workbook's declared sizes, a CSV file's size).
    pub(super) bytes: u64,
}

/// The bounds of SPEC §7: a million rows, 200 MB unpacked.
pub(super) const BOUNDS: Bounds = Bounds {
    rows: 1_000_000,
    bytes: 200 * 1024 * 1024,
};

/// A workbook's sheets and how it counts days.
#[derive(Debug, Default)]
pub(super) struct Workbook {
    /// Every worksheet, in tab order.
    pub(super) sheets: Vec<Sheet>,
    /// Whether serial day numbers count from 1904 (old Mac workbooks) rather than 1900.
    pub(super) is_1904: bool,
}

/// What a spreadsheet file holds, by its first bytes: the extension may lie (WPS saves
/// `.xls` files that are XLSX inside, and web systems export HTML named `.xls`).
enum Format {
    Xlsx,
    Xls,
    Csv,
    Other,
}

/// Reads the spreadsheet at `abs`, or `None` after reporting why not.
pub(super) fn read(
    abs: &Path,
    rel: &Path,
    bounds: Bounds,
    diags: &mut Vec<Diagnostic>,
) -> Option<Workbook> {
    let file_error = |msg: String| Diagnostic::error(rel, None, msg);
    let mut head = [0u8; 8];
    let mut file = match File::open(abs) {
        Ok(f) => f,
        Err(e) => {
            diags.push(file_error(format!("cannot read file: {e}")));
            return None;
        }
    };
    let n = read_up_to(&mut file, &mut head);
    let format = match &head[..n] {
        [b'P', b'K', 3, 4, ..] => Format::Xlsx,
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] => Format::Xls,
        _ if super::super::discover::extension(abs) == "csv" => Format::Csv,
        _ => Format::Other,
    };
    let result = match format {
        Format::Xlsx => xlsx(abs, file, bounds),
        Format::Xls => xls(abs, file, bounds),
        Format::Csv => csv(file, rel, bounds),
        Format::Other => Err(
            Problem::new("this file is not an Excel workbook").with_hint(
                "open it in Excel or WPS and save it as an Excel workbook (.xlsx) or as CSV",
            ),
        ),
    };
    match result {
        Ok(book) => Some(book),
        Err(p) => {
            diags.push(file_error(p.message).with_hint_opt(p.hint));
            None
        }
    }
}

/// Why a spreadsheet could not be read, said of the file as a whole.
struct Problem {
    message: String,
    hint: Option<String>,
}

impl Problem {
    fn new(message: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            hint: None,
        }
    }

    fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    fn unreadable(e: impl std::fmt::Display) -> Self {
        Problem::new(format!("cannot read spreadsheet: {e}"))
            .with_hint("open it in Excel or WPS and save it again as an Excel workbook (.xlsx)")
    }

    fn too_many_rows(bounds: Bounds) -> Self {
        Problem::new(format!(
            "more than {} rows: jianbao reads at most {} rows of a spreadsheet",
            bounds.rows, bounds.rows
        ))
        .with_hint("split the records into several files")
    }

    fn too_large(bounds: Bounds, size: u64) -> Self {
        Problem::new(format!(
            "unpacks to {} MB: jianbao reads spreadsheets of at most {} MB",
            size.div_ceil(1024 * 1024),
            bounds.bytes / (1024 * 1024)
        ))
        .with_hint("split the records into several files")
    }
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> usize {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    n
}

/// Counts the rows read so far against the bound.
struct RowCount {
    seen: usize,
    bounds: Bounds,
}

impl RowCount {
    fn one_more(&mut self) -> Result<(), Problem> {
        self.seen += 1;
        if self.seen > self.bounds.rows {
            return Err(Problem::too_many_rows(self.bounds));
        }
        Ok(())
    }
}

/// An XLSX workbook, every worksheet read cell by cell (never as a dense grid: one cell at
/// A1 and one at XFD1048576 would be seventeen billion).
fn xlsx(abs: &Path, file: File, bounds: Bounds) -> Result<Workbook, Problem> {
    use calamine::{Reader, SheetType, Xlsx};
    // The zip's central directory declares every part's unpacked size, and the zip reader
    // never unpacks past it: checked before calamine unpacks anything.
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(Problem::unreadable)?;
    let mut unpacked = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(Problem::unreadable)?;
        unpacked = unpacked.saturating_add(part.size());
    }
    if unpacked > bounds.bytes {
        return Err(Problem::too_large(bounds, unpacked));
    }
    drop(zip);

    let mut book: Xlsx<_> = calamine::open_workbook(abs).map_err(Problem::unreadable)?;
    let names: Vec<String> = (book.sheets_metadata().iter())
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let mut out = Workbook {
        sheets: Vec::new(),
        is_1904: book.has_1904_epoch(),
    };
    let mut count = RowCount { seen: 0, bounds };
    for name in names {
        let mut rows: Vec<Row> = Vec::new();
        {
            let mut reader = book
                .worksheet_cells_reader(&name)
                .map_err(Problem::unreadable)?;
            while let Some(c) = reader
                .next_cell_with_formula()
                .map_err(Problem::unreadable)?
            {
                let cell = match (c.value, &c.formula) {
                    (calamine::DataRef::Empty, Some(f)) if !f.is_empty() => Cell::Unsaved,
                    (calamine::DataRef::SharedString(s), _) => text_cell(s),
                    (calamine::DataRef::String(s), _) => text_cell(&s),
                    (value, _) => data_cell(&calamine::Data::from(value)),
                };
                push_cell(&mut rows, &mut count, c.pos, cell)?;
            }
        }
        let merges = (book.merge_cells_by_sheet_name(&name))
            .map(|dims| dims.iter().map(merge).collect())
            .unwrap_or_default();
        out.sheets.push(sheet(name, rows, merges));
    }
    Ok(out)
}

/// An XLS (Excel 97–2003) workbook. The format holds at most 65,536 rows a sheet; the file
/// is bounded by its size, as calamine reads it whole.
fn xls(abs: &Path, file: File, bounds: Bounds) -> Result<Workbook, Problem> {
    use calamine::{Reader, SheetType, Xls};
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > bounds.bytes {
        return Err(Problem::too_large(bounds, size));
    }
    drop(file);
    let mut book: Xls<_> = calamine::open_workbook(abs).map_err(Problem::unreadable)?;
    let names: Vec<String> = (book.sheets_metadata().iter())
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let mut out = Workbook {
        sheets: Vec::new(),
        is_1904: book.has_1904_epoch(),
    };
    let mut count = RowCount { seen: 0, bounds };
    for name in names {
        let values = book.worksheet_range(&name).map_err(Problem::unreadable)?;
        let formulas = book.worksheet_formula(&name).ok();
        let mut cells: Vec<((u32, u32), Cell)> = Vec::new();
        let (r0, c0) = values.start().unwrap_or((0, 0));
        for (r, c, v) in values.used_cells() {
            cells.push(((r0 + r as u32, c0 + c as u32), data_cell(v)));
        }
        if let Some(formulas) = &formulas {
            let (f0, g0) = formulas.start().unwrap_or((0, 0));
            for (r, c, f) in formulas.used_cells() {
                let pos = (f0 + r as u32, g0 + c as u32);
                let stored = values
                    .get_value(pos)
                    .is_some_and(|v| *v != calamine::Data::Empty);
                if !f.is_empty() && !stored {
                    cells.push((pos, Cell::Unsaved));
                }
            }
        }
        cells.sort_by_key(|(pos, _)| *pos);
        let mut rows = Vec::new();
        for (pos, cell) in cells {
            push_cell(&mut rows, &mut count, pos, cell)?;
        }
        let merges = (book.merge_cells_by_sheet_name(&name))
            .map(|dims| dims.iter().map(merge).collect())
            .unwrap_or_default();
        out.sheets.push(sheet(name, rows, merges));
    }
    Ok(out)
}

/// Adds a cell at a 0-based `(row, column)` to `rows`; cells come row by row.
fn push_cell(
    rows: &mut Vec<Row>,
    count: &mut RowCount,
    (r, c): (u32, u32),
    cell: Cell,
) -> Result<(), Problem> {
    if cell == Cell::Empty {
        return Ok(());
    }
    let line = r as usize + 1;
    if rows.last().is_none_or(|row| row.line != line) {
        count.one_more()?;
        rows.push(Row {
            line,
            cells: Vec::new(),
        });
    }
    if let Some(row) = rows.last_mut() {
        row.cells.push((c as usize + 1, cell));
    }
    Ok(())
}

/// A sheet from its rows, put in order (a file may store cells out of order).
fn sheet(name: String, mut rows: Vec<Row>, merges: Vec<Merge>) -> Sheet {
    if !rows.windows(2).all(|w| w[0].line < w[1].line) {
        rows.sort_by_key(|r| r.line);
        let mut merged: Vec<Row> = Vec::with_capacity(rows.len());
        for row in rows {
            match merged.last_mut() {
                Some(last) if last.line == row.line => last.cells.extend(row.cells),
                _ => merged.push(row),
            }
        }
        rows = merged;
    }
    for row in &mut rows {
        row.cells.sort_by_key(|(c, _)| *c);
    }
    Sheet { name, rows, merges }
}

fn merge(d: &calamine::Dimensions) -> Merge {
    Merge {
        first_row: d.start.0 as usize + 1,
        first_col: d.start.1 as usize + 1,
        last_row: d.end.0 as usize + 1,
        last_col: d.end.1 as usize + 1,
    }
}

/// A text cell, trimmed; only spaces is empty.
fn text_cell(s: &str) -> Cell {
    match s.trim() {
        "" => Cell::Empty,
        t => Cell::Text(t.to_string()),
    }
}

/// A workbook cell as jianbao reads it.
fn data_cell(c: &calamine::Data) -> Cell {
    use calamine::Data;
    match c {
        Data::Empty => Cell::Empty,
        Data::String(s) => text_cell(s),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) if !dt.is_duration() => Cell::Date(d.date()),
            _ => Cell::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => Cell::Text(s.chars().take(10).collect()),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(e.to_string()),
    }
}

/// A CSV file, as Excel saves it: UTF-8 with or without a BOM, or GB18030 (GBK) on Chinese
/// Windows. Told apart by whether the bytes are valid UTF-8: GB18030 text is almost never
/// valid UTF-8, and UTF-8 text is checked, not guessed.
fn csv(mut file: File, rel: &Path, bounds: Bounds) -> Result<Workbook, Problem> {
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > bounds.bytes {
        return Err(Problem::too_large(bounds, size));
    }
    let mut bytes = Vec::new();
    file.seek(std::io::SeekFrom::Start(0))
        .map_err(|e| Problem::new(format!("cannot read file: {e}")))?;
    (&mut file)
        .take(bounds.bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Problem::new(format!("cannot read file: {e}")))?;
    let (text, encoding) = decode_csv(&bytes, rel)?;
    let _span = crate::trace::span_with(|| format!("load: {} ({encoding})", rel.display()));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut count = RowCount { seen: 0, bounds };
    for (i, result) in reader.records().enumerate() {
        let rec = result.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Problem::new(format!("CSV error at line {line}: {e}"))
        })?;
        let cells: Vec<(usize, Cell)> = (rec.iter().enumerate())
            .filter(|(_, f)| !f.trim().is_empty())
            .map(|(j, f)| (j + 1, Cell::Text(f.trim().to_string())))
            .collect();
        if !cells.is_empty() {
            count.one_more()?;
            rows.push(Row { line: i + 1, cells });
        }
    }
    let name = (rel.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Workbook {
        sheets: vec![sheet(name, rows, Vec::new())],
        is_1904: false,
    })
}

/// The text of a CSV file and the name of its encoding.
fn decode_csv<'b>(
    bytes: &'b [u8],
    rel: &Path,
) -> Result<(std::borrow::Cow<'b, str>, &'static str), Problem> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest).map_err(|_| not_text(bytes, rel))?;
        return Ok((text.into(), "UTF-8 with BOM"));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.into(), "UTF-8"));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(not_text(bytes, rel));
    }
    Ok((text, "GB18030"))
}

fn not_text(bytes: &[u8], rel: &Path) -> Problem {
    let message = match crate::load::text::decode(bytes, rel) {
        Err(d) => d.message,
        Ok(_) => "file is not valid UTF-8".to_string(),
    };
    Problem::new(format!("{message}, nor GB18030 (GBK)"))
        .with_hint("save it from Excel or WPS as CSV UTF-8, or as an Excel workbook (.xlsx)")
}

/// A spreadsheet number as text, without a trailing `.0` for whole numbers.
pub(super) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// The spreadsheet name of the cell in 1-based `row`, `col`, with its sheet: `统计表!D12`
/// (`'Sheet 1'!D12` when the name has spaces, as Excel writes it).
pub(super) fn cell_name(sheet: &str, row: usize, col: usize) -> String {
    let mut letters = Vec::new();
    let mut n = col;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    let letters = String::from_utf8_lossy(&letters);
    if sheet.chars().any(|c| c.is_whitespace() || "!'".contains(c)) {
        format!("'{}'!{letters}{row}", sheet.replace('\'', "''"))
    } else {
        format!("{sheet}!{letters}{row}")
    }
}

/// Where a spreadsheet diagnostic points: `path:row:col`.
pub(super) fn pos(row: usize, col: usize) -> Pos {
    Pos::new(row, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(cell_name("统计表", 12, 4), "统计表!D12");
        assert_eq!(cell_name("S", 1, 26), "S!Z1");
        assert_eq!(cell_name("S", 1, 27), "S!AA1");
        assert_eq!(cell_name("S", 3, 703), "S!AAA3");
        assert_eq!(cell_name("Sheet 1", 2, 1), "'Sheet 1'!A2");
    }

    #[test]
    fn csv_is_utf8_or_gb18030() {
        let rel = Path::new("a.csv");
        let (gbk, _, _) = encoding_rs::GB18030.encode("日期,走访群众\n2021-05-06,3\n");
        let (text, enc) = decode_csv(&gbk, rel).ok().unwrap();
        assert_eq!(
            (text.as_ref(), enc),
            ("日期,走访群众\n2021-05-06,3\n", "GB18030")
        );
        let bom = b"\xEF\xBB\xBF\xE6\x97\xA5";
        assert_eq!(decode_csv(bom, rel).ok().unwrap().1, "UTF-8 with BOM");
        assert_eq!(decode_csv("日".as_bytes(), rel).ok().unwrap().1, "UTF-8");
        let p = decode_csv(b"\xff\xff\xff", rel).err().unwrap();
        assert!(p.message.contains("not valid UTF-8"), "{}", p.message);
    }
}
