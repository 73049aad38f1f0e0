//! `jianbao template`: the workbook a committee sends its units to fill in.
//!
//! Sheet `统计表`: a merged title row, a `填报单位：` line, a header of labels with measure words,
//! [`BLANK_ROWS`] rows to fill (dates formatted as dates, a dropdown of unit names, whole
//! numbers ≥ 0 in count columns) and a `合计` row of SUM formulas. Sheet `填表说明`: how to fill
//! it in, in Chinese, and the list of unit names the dropdown offers. Filled in and saved by
//! Excel, WPS or LibreOffice, it loads as the records reader expects (SPEC §3).

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign, Formula,
    Workbook, Worksheet, XlsxError,
};

use super::{excel_date, failed, metric_header, properties, width_of, Formats};
use crate::diag::Diagnostic;
use crate::model::{Campaign, CampaignId, MetricId, Site, UnitId};

/// Name of the sheet units fill in; messages about its cells name it (`[统计表!D12]`).
pub const DATA_SHEET: &str = "统计表";
/// Name of the sheet of instructions.
pub const HELP_SHEET: &str = "填表说明";
/// How many blank rows the template offers before its `合计` row.
pub const BLANK_ROWS: u32 = 200;

/// Row of the header (0-based): below the title and the `填报单位` line.
const HEADER_ROW: u32 = 2;
const FIRST_DATA_ROW: u32 = HEADER_ROW + 1;
const TOTAL_ROW: u32 = FIRST_DATA_ROW + BLANK_ROWS;
/// A4 in Excel's paper numbering.
const PAPER_A4: u8 = 9;

/// A column of the form, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Date,
    Unit,
    Activity,
    Place,
    Metric(MetricId),
    Note,
}

/// The workbook units fill in for `campaign`: for one `unit` (named in the `填报单位` line, no
/// unit column), or for any (a unit column with a dropdown of names).
pub fn template(
    site: &Site,
    campaign: CampaignId,
    unit: Option<UnitId>,
) -> Result<Vec<u8>, Diagnostic> {
    let c = site.campaign(campaign);
    build(site, campaign, unit).map_err(|e| failed(c, "template", e))
}

fn build(site: &Site, campaign: CampaignId, unit: Option<UnitId>) -> Result<Vec<u8>, XlsxError> {
    let c = site.campaign(campaign);
    let title = format!("{}统计表", c.title);
    let mut columns = vec![Column::Date];
    if unit.is_none() {
        columns.push(Column::Unit);
    }
    columns.extend([Column::Activity, Column::Place]);
    columns.extend(metrics_of(site, campaign).into_iter().map(Column::Metric));
    columns.push(Column::Note);

    let mut wb = Workbook::new();
    wb.set_properties(&properties(site, &title, c.start)?);
    let (help, unit_list) = help_sheet(site, c, unit, &columns)?;
    wb.push_worksheet(data_sheet(site, c, unit, &title, &columns, unit_list)?);
    wb.push_worksheet(help);
    wb.save_to_buffer()
}

/// The metrics a campaign counts: those it has targets or records for, in `site.yaml` order;
/// every metric of the site when it has neither yet.
fn metrics_of(site: &Site, campaign: CampaignId) -> Vec<MetricId> {
    let mut used = vec![false; site.metrics.len()];
    for (m, _) in &site.campaign(campaign).targets {
        used[m.0 as usize] = true;
    }
    for r in site.records.iter().filter(|r| r.campaign == campaign) {
        for (m, _) in &r.metrics {
            used[m.0 as usize] = true;
        }
    }
    let any = used.contains(&true);
    (0..site.metrics.len())
        .filter(|&i| used[i] || !any)
        .map(|i| MetricId(i as u32))
        .collect()
}

fn header_of(site: &Site, col: Column) -> String {
    match col {
        Column::Date => "日期".into(),
        Column::Unit => "单位".into(),
        Column::Activity => "活动".into(),
        Column::Place => "地点".into(),
        Column::Metric(m) => {
            let m = site.metric(m);
            metric_header(&m.label, &m.measure_word)
        }
        Column::Note => "备注".into(),
    }
}

/// A1-style name of a 0-based column (0 → A, 26 → AA).
fn col_name(mut col: u16) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
}

fn data_sheet(
    site: &Site,
    c: &Campaign,
    unit: Option<UnitId>,
    title: &str,
    columns: &[Column],
    unit_list: Option<String>,
) -> Result<Worksheet, XlsxError> {
    let f = Formats::new();
    let mut ws = Worksheet::new();
    ws.set_name(DATA_SHEET)?;
    let last_col = (columns.len() - 1) as u16;

    ws.set_row_height(0, 32)?;
    ws.merge_range(0, 0, 0, last_col, title, &f.title)?;
    let unit_line = match unit {
        Some(u) => format!("填报单位：{}", site.unit(u).name),
        None => "填报单位：".to_string(),
    };
    ws.write_string(1, 0, unit_line)?;
    ws.set_row_height(HEADER_ROW, 30)?;

    let first = FIRST_DATA_ROW;
    let last = TOTAL_ROW - 1;
    for (i, &col) in columns.iter().enumerate() {
        let i = i as u16;
        let header = header_of(site, col);
        ws.write_string_with_format(HEADER_ROW, i, &header, &f.header)?;
        let (width, cell) = match col {
            Column::Date => (12.0, &f.date),
            Column::Unit => (
                site.units
                    .iter()
                    .map(|u| width_of(&u.name))
                    .fold(10.0, f64::max)
                    .min(30.0),
                &f.text,
            ),
            Column::Activity => (10.0, &f.text),
            Column::Place => (16.0, &f.text),
            Column::Metric(_) => (width_of(&header).clamp(8.0, 18.0), &f.count),
            Column::Note => (24.0, &f.text),
        };
        ws.set_column_width(i, width)?;
        for row in first..=last {
            ws.write_blank(row, i, cell)?;
        }
        validate_and_total(&mut ws, &f, c, col, i, unit_list.as_deref())?;
    }
    ws.set_freeze_panes(FIRST_DATA_ROW, 0)?;
    ws.set_landscape();
    ws.set_paper_size(PAPER_A4);
    ws.set_repeat_rows(0, HEADER_ROW)?;
    ws.set_print_fit_to_pages(1, 0);
    ws.set_active(true);
    Ok(ws)
}

/// A column's data validation over the data rows, and its cell in the total row: a sum for a
/// metric, 合计 under the date.
fn validate_and_total(
    ws: &mut Worksheet,
    f: &Formats,
    c: &Campaign,
    col: Column,
    i: u16,
    unit_list: Option<&str>,
) -> Result<(), XlsxError> {
    let (first, last) = (FIRST_DATA_ROW, TOTAL_ROW - 1);
    match col {
        Column::Date => {
            let (start, end) = (excel_date(c.start)?, excel_date(c.end)?);
            let v = DataValidation::new()
                .allow_date(DataValidationRule::Between(start, end))
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_input_title("日期")?
                .set_input_message(format!("如 {}", c.start.format("%Y-%m-%d")))?
                .set_error_title("日期不在活动期间")?
                .set_error_message(format!(
                    "活动期间为 {} 至 {}。请核对日期。",
                    c.start.format("%Y-%m-%d"),
                    c.end.format("%Y-%m-%d")
                ))?;
            ws.add_data_validation(first, i, last, i, &v)?;
            ws.write_string_with_format(TOTAL_ROW, i, "合计", &f.total_label)?;
        }
        Column::Unit => {
            if let Some(list) = unit_list {
                let v = DataValidation::new()
                    .allow_list_formula(Formula::new(list))
                    .set_error_title("单位")?
                    .set_error_message("请从下拉列表中选择单位名称。")?;
                ws.add_data_validation(first, i, last, i, &v)?;
            }
            ws.write_blank(TOTAL_ROW, i, &f.total)?;
        }
        Column::Metric(_) => {
            let v = DataValidation::new()
                .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
                .set_error_title("数量")?
                .set_error_message("请填写不小于 0 的整数，不要加单位或“余”字；没有的留空。")?;
            ws.add_data_validation(first, i, last, i, &v)?;
            let name = col_name(i);
            let sum = format!("=SUM({name}{}:{name}{})", first + 1, last + 1);
            ws.write_formula_with_format(
                TOTAL_ROW,
                i,
                Formula::new(sum).set_result("0"),
                &f.total,
            )?;
        }
        Column::Activity | Column::Place | Column::Note => {
            ws.write_blank(TOTAL_ROW, i, &f.total)?;
        }
    }
    Ok(())
}

/// The `填表说明` sheet, and (with no `unit`) the range of unit names it lists for the dropdown.
fn help_sheet(
    site: &Site,
    c: &Campaign,
    unit: Option<UnitId>,
    columns: &[Column],
) -> Result<(Worksheet, Option<String>), XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(HELP_SHEET)?;
    ws.set_column_width(0, 100)?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let counts: Vec<String> = columns
        .iter()
        .filter(|c| matches!(c, Column::Metric(_)))
        .map(|&col| format!("“{}”", header_of(site, col)))
        .collect();
    let period = format!(
        "{} 至 {}",
        c.start.format("%Y年%-m月%-d日"),
        c.end.format("%Y年%-m月%-d日")
    );
    let unit_rule = match unit {
        Some(u) => format!(
            "本表由{}填报，“填报单位”一行已写明，各行不必再填单位。",
            site.unit(u).name
        ),
        None => "在“填报单位：”后写上本单位名称；“单位”列从下拉列表中选择（可选的单位名称列在本页下方）。".to_string(),
    };
    let send_to = c.organizer.as_deref().unwrap_or("活动主办单位");
    let lines = [
        format!("本表用于填报“{}”（{period}）的活动情况，每次活动填一行。", c.title),
        unit_rule,
        format!(
            "日期：填写活动当天的日期，如 {}；写成 {} 或 {} 也可以。",
            c.start.format("%Y-%m-%d"),
            c.start.format("%Y/%-m/%-d"),
            c.start.format("%Y年%-m月%-d日")
        ),
        "活动：填写活动类型，如走访、座谈、宣传、调解、帮扶。地点：填写镇（街道）、村（社区）或单位名称。".into(),
        format!(
            "数量：{}各列只填整数，如 320；不要加“户”“场次”等字，也不要写“300余”“约300”。没有的留空。",
            counts.join("、")
        ),
        "合计行由公式自动计算，请勿改动。行数不够时，请在表格中间插入行，合计会自动包含新插入的行。".into(),
        "请不要修改表头文字，不要合并数据区的单元格；需要说明的写在“备注”列。".into(),
        format!("填好后保存为 Excel 工作簿（.xlsx，Excel 或 WPS 均可），报送{send_to}。"),
    ];
    ws.write_string_with_format(0, 0, HELP_SHEET, &bold)?;
    let mut row = 2;
    for (n, line) in lines.iter().enumerate() {
        ws.write_string_with_format(row, 0, format!("{}. {line}", n + 1), &wrap)?;
        row += 1;
    }
    if unit.is_some() || site.units.is_empty() {
        return Ok((ws, None));
    }
    row += 1;
    ws.write_string_with_format(row, 0, "可选单位名称", &bold)?;
    row += 1;
    let first = row;
    for u in &site.units {
        ws.write_string(row, 0, &u.name)?;
        row += 1;
    }
    let list = format!("='{HELP_SHEET}'!$A${}:$A${}", first + 1, row);
    Ok((ws, Some(list)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::tests_support::{cell, open, sample_site, sheet};
    use calamine::Data;

    #[test]
    fn column_names_go_past_z() {
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
        assert_eq!(col_name(27), "AB");
        assert_eq!(col_name(701), "ZZ");
        assert_eq!(col_name(702), "AAA");
    }

    #[test]
    fn title_unit_line_header_and_totals() {
        let site = sample_site();
        let c = CampaignId(0);
        let bytes = template(site, c, None).unwrap();
        let (range, formulas) = sheet(&bytes, DATA_SHEET);
        let title = format!("{}统计表", site.campaign(c).title);
        assert_eq!(cell(&range, 0, 0), Data::String(title));
        assert_eq!(cell(&range, 1, 0), Data::String("填报单位：".into()));

        let metrics = metrics_of(site, c);
        assert!(!metrics.is_empty());
        let mut want = vec!["日期", "单位", "活动", "地点"]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>();
        for &m in &metrics {
            let m = site.metric(m);
            want.push(format!("{}（{}）", m.label, m.measure_word));
        }
        want.push("备注".into());
        let header: Vec<String> = (0..want.len() as u32)
            .map(|col| cell(&range, HEADER_ROW, col).to_string())
            .collect();
        assert_eq!(header, want);
        let mut wb = open(&bytes);
        let last_col = want.len() as u32 - 1;
        assert!(
            wb.merge_cells_by_sheet_name(DATA_SHEET)
                .unwrap()
                .iter()
                .any(|d| d.start == (0, 0) && d.end == (0, last_col)),
            "title merged across the table"
        );

        assert_eq!(cell(&range, TOTAL_ROW, 0), Data::String("合计".into()));
        for (i, _) in metrics.iter().enumerate() {
            let col = 4 + i as u32;
            let name = col_name(col as u16);
            let f = formulas
                .get_value((TOTAL_ROW, col))
                .cloned()
                .unwrap_or_default();
            assert_eq!(f, format!("SUM({name}4:{name}203)"));
            assert_eq!(cell(&range, TOTAL_ROW, col), Data::Float(0.0));
        }
        // Nothing between the header and the totals row: the form is blank.
        for row in FIRST_DATA_ROW..TOTAL_ROW {
            for col in 0..want.len() as u32 {
                assert_eq!(cell(&range, row, col), Data::Empty, "row {row} col {col}");
            }
        }
    }

    #[test]
    fn help_sheet_lists_units_for_the_dropdown() {
        let site = sample_site();
        let bytes = template(site, CampaignId(0), None).unwrap();
        let (help, _) = sheet(&bytes, HELP_SHEET);
        let texts: Vec<String> = help.rows().map(|r| r[0].to_string()).collect();
        assert_eq!(texts[0], HELP_SHEET);
        assert!(texts.iter().any(|t| t.contains("下拉列表")));
        let at = texts.iter().position(|t| t == "可选单位名称").unwrap();
        let names: Vec<&str> = site.units.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(&texts[at + 1..at + 1 + names.len()], names.as_slice());
    }

    #[test]
    fn one_unit_has_its_name_and_no_unit_column() {
        let site = sample_site();
        let u = UnitId(2);
        let bytes = template(site, CampaignId(1), Some(u)).unwrap();
        let (range, _) = sheet(&bytes, DATA_SHEET);
        assert_eq!(
            cell(&range, 1, 0),
            Data::String(format!("填报单位：{}", site.unit(u).name))
        );
        assert_eq!(cell(&range, HEADER_ROW, 1), Data::String("活动".into()));
    }

    #[test]
    fn same_input_same_bytes() {
        let site = sample_site();
        let a = template(site, CampaignId(0), None).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let b = template(site, CampaignId(0), None).unwrap();
        assert!(a == b, "template bytes differ between runs");
    }
}
