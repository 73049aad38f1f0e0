//! Workbooks jianbao writes for offices: the [`template`](template::template) units fill in
//! (`jianbao template`), and the [`campaign_workbook`](archive::campaign_workbook) archived as
//! `data/<campaign>.xlsx`.
//!
//! Both take the loaded [`Site`] (and, for the archive, its [`Figures`](crate::aggregate::Figures))
//! and give the bytes of an `.xlsx` file. Same input, same bytes: the document's creation time
//! is a date of the campaign, never the clock, and the zip entries carry no time.

pub mod archive;
pub mod template;

#[cfg(test)]
mod office_tests;

pub use archive::campaign_workbook;
pub use template::template;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, XlsxError,
};

use crate::diag::Diagnostic;
use crate::model::{Campaign, Site};

/// A date as Excel stores it (days since 1900), for date cells.
fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    // The loader keeps dates within 1900..=2100, which ExcelDateTime accepts.
    let year = u16::try_from(d.year()).unwrap_or(1900);
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

/// Document properties whose creation time is `when`, so the bytes do not depend on the clock.
fn properties(site: &Site, title: &str, when: NaiveDate) -> Result<DocProperties, XlsxError> {
    let mut p = DocProperties::new()
        .set_title(title)
        .set_creation_datetime(&excel_date(when)?);
    if let Some(publisher) = &site.config.publisher {
        p = p.set_author(publisher).set_company(publisher);
    }
    Ok(p)
}

/// A failure of the workbook writer (a limit of the file format), reported at the campaign.
fn failed(campaign: &Campaign, what: &str, e: XlsxError) -> Diagnostic {
    Diagnostic::error(
        &campaign.origin.path,
        campaign.origin.pos,
        format!(
            "cannot write the {what} of campaign \"{}\": {e}",
            campaign.slug
        ),
    )
}

/// Column width (in Excel's character units) that shows `text` whole: Chinese characters take
/// two units, as they do on screen.
fn width_of(text: &str) -> f64 {
    let w: usize = text
        .chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
        .sum();
    w as f64 + 2.0
}

/// `label（measure word）`, the header office forms use for a count column.
fn metric_header(label: &str, unit: &str) -> String {
    if unit.is_empty() {
        label.to_string()
    } else {
        format!("{label}（{unit}）")
    }
}

/// The formats both workbooks share.
struct Formats {
    title: Format,
    header: Format,
    text: Format,
    date: Format,
    count: Format,
    total_label: Format,
    total: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        let bold = cell.clone().set_bold();
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: bold
                .clone()
                .set_align(FormatAlign::Center)
                .set_text_wrap()
                .set_background_color(Color::RGB(0xD9E1F2)),
            text: cell.clone(),
            date: cell.clone().set_num_format("yyyy-mm-dd"),
            count: cell.clone().set_num_format("0"),
            total_label: bold.clone().set_align(FormatAlign::Center),
            total: bold.set_num_format("0"),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    //! Reading produced workbooks back, as the records reader will.

    use std::io::Cursor;
    use std::path::Path;
    use std::sync::OnceLock;

    use calamine::{Data, Range, Reader, Xlsx};

    use crate::diag::Diagnostics;
    use crate::model::Site;

    /// The repository's sample site, loaded once.
    pub(crate) fn sample_site() -> &'static Site {
        static SITE: OnceLock<Site> = OnceLock::new();
        SITE.get_or_init(|| {
            let ds = Diagnostics::new();
            let site = crate::load::load(Path::new(env!("CARGO_MANIFEST_DIR")), &ds);
            site.unwrap_or_else(|| panic!("sample site: {:?}", ds.sorted()))
        })
    }

    /// The workbook in `bytes`, opened with calamine.
    pub(crate) fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
        Xlsx::new(Cursor::new(bytes.to_vec())).unwrap()
    }

    /// A sheet's values and formulas.
    pub(crate) fn sheet(bytes: &[u8], name: &str) -> (Range<Data>, Range<String>) {
        let mut wb = open(bytes);
        let values = wb.worksheet_range(name).unwrap();
        let formulas = wb.worksheet_formula(name).unwrap();
        (values, formulas)
    }

    /// The value at a 0-based row and column of the sheet (empty when outside the used range).
    pub(crate) fn cell(range: &Range<Data>, row: u32, col: u32) -> Data {
        range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_takes_two_columns() {
        assert_eq!(width_of("日期"), 6.0);
        assert_eq!(width_of("ab"), 4.0);
        assert_eq!(metric_header("走访群众", "户"), "走访群众（户）");
        assert_eq!(metric_header("x", ""), "x");
    }
}
