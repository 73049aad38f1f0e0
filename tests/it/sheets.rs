//! Records as units send them: workbooks with title rows, 填报单位 lines, Chinese headers with
//! measure words, text and serial dates, formulas and 合计 rows; `.xls`; GB18030 CSV; monthly
//! tallies. Each is checked against the same records written in YAML, and each bad case
//! against its message and cell.

use std::io::{Read, Write};

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};

use crate::common::*;

const RECORDS: &str = "content/campaigns/xiajiceng/records";

/// The fixture site with aliases and one more metric, and none of its records.
fn site() -> Fixture {
    let f = Fixture::new();
    let site_yaml = SITE_YAML
        .replace(
            "fayuan: { name: 区法院 }",
            "fayuan: { name: 区法院, aliases: [市法院, 法院] }",
        )
        .replace(
            "metrics:\n",
            "metrics:\n  meetings: { label: 召开座谈会, unit: 场次, aliases: [座谈会] }\n",
        );
    f.write("site.yaml", &site_yaml);
    f.remove(&format!("{RECORDS}/gongan.yaml"));
    f.remove(&format!("{RECORDS}/fayuan.yaml"));
    // Its article and issue ask for figures these records need not have.
    f.remove("content/campaigns/xiajiceng/articles/huimou.md");
    f.remove("content/issues/12.yaml");
    f
}

/// The campaign's totals and per-unit totals, as `data/summary.json` gives them.
fn figures(f: &Fixture) -> (serde_json::Value, serde_json::Value) {
    let r = f.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.out().join("data/summary.json")).unwrap()).unwrap();
    let c = &s["campaigns"][0];
    (c["totals"].clone(), c["by_unit"].clone())
}

/// What `check` reports (it must fail).
fn errors(f: &Fixture) -> String {
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "check should fail:\n{}", r.stderr);
    r.stderr
}

fn date_format() -> Format {
    Format::new().set_num_format("yyyy-mm-dd")
}

/// A unit's tally as offices make it: a merged title row, a 填报单位 line, a header with
/// measure words, dates as a date cell, an Excel serial number and text, counts as text with
/// a separator and in full-width digits, a formula with its stored result, a 合计 row of SUM
/// formulas; then a 填表说明 sheet.
fn tally(total_households: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("统计表").unwrap();
    ws.merge_range(0, 0, 0, 5, "XX活动统计表", &Format::new())
        .unwrap();
    ws.write_string(1, 0, "填报单位：区公安分局").unwrap();
    ws.write_string(1, 4, "填报日期：2019年4月1日").unwrap();
    for (c, h) in [
        "日期",
        "活动",
        "地点",
        "走访群众（户）",
        "召开座谈会(场次)",
        "排查矛盾纠纷",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let date = ExcelDateTime::from_ymd(2019, 1, 8).unwrap();
    ws.write_datetime_with_format(3, 0, &date, &date_format())
        .unwrap();
    ws.write_string(3, 1, "走访").unwrap();
    ws.write_string(3, 2, "城东村").unwrap();
    ws.write_string(3, 3, "1,350").unwrap();
    ws.write_number(3, 4, 2).unwrap();
    // 2019-01-15 as Excel counts days, in a cell not formatted as a date.
    ws.write_number(4, 0, 43480).unwrap();
    ws.write_string(4, 1, "座谈").unwrap();
    ws.write_string(4, 3, "１２").unwrap();
    ws.write_formula(4, 4, Formula::new("=1+2").set_result("3"))
        .unwrap();
    ws.write_number(4, 5, 7).unwrap();
    ws.write_string(5, 0, "2019/2/6").unwrap();
    ws.write_number(5, 3, 200.0).unwrap();
    ws.write_string(6, 0, "2019年3月2日").unwrap();
    ws.write_string(6, 1, "宣传").unwrap();
    ws.write_number(6, 3, 8).unwrap();
    ws.write_number(6, 5, 3).unwrap();
    ws.write_string(7, 0, "合  计").unwrap();
    ws.write_formula(
        7,
        3,
        Formula::new("=SUM(D4:D7)").set_result(total_households),
    )
    .unwrap();
    ws.write_formula(7, 4, Formula::new("=SUM(E4:E7)").set_result("5"))
        .unwrap();
    ws.write_formula(7, 5, Formula::new("=SUM(F4:F7)").set_result("10"))
        .unwrap();
    ws.write_string(8, 0, "填表人：张三").unwrap();
    let help = book.add_worksheet();
    help.set_name("填表说明").unwrap();
    help.write_string(0, 0, "1. 每次活动填一行；日期写成 2019-01-08。")
        .unwrap();
    help.write_string(1, 0, "2. 合计行不要删除。").unwrap();
    book.save_to_buffer().unwrap()
}

/// The same records as [`tally`], in YAML.
const TALLY_YAML: &str = "\
unit: gongan
records:
  - { date: 2019-01-08, activity: 走访, place: 城东村, metrics: { households: 1350, meetings: 2 } }
  - { date: 2019-01-15, activity: 座谈, metrics: { households: 12, meetings: 3, disputes_found: 7 } }
  - { date: 2019-02-06, metrics: { households: 200 } }
  - { date: 2019-03-02, activity: 宣传, metrics: { households: 8, disputes_found: 3 } }
";

#[test]
fn a_workbook_as_a_unit_fills_it_in_counts_as_its_yaml() {
    let sheet = site();
    sheet.write_bytes(&format!("{RECORDS}/市公安局统计表.xlsx"), &tally("1570"));
    let yaml = site();
    yaml.write(&format!("{RECORDS}/gongan.yaml"), TALLY_YAML);
    let (totals, by_unit) = figures(&sheet);
    assert_eq!(totals["households"], 1570);
    assert_eq!(totals["meetings"], 5);
    assert_eq!((totals, by_unit), figures(&yaml));
    // The title, 填报单位 and 填表人 lines and the 合计 row are no records.
    let csv = sheet.page("data/records.csv");
    assert_eq!(csv.lines().count(), 1 + 4, "{csv}");
}

#[test]
fn a_wrong_total_is_an_error_at_its_cell_with_both_figures() {
    let f = site();
    f.write_bytes(&format!("{RECORDS}/市公安局统计表.xlsx"), &tally("1571"));
    let e = errors(&f);
    assert!(
        e.contains("error: content/campaigns/xiajiceng/records/市公安局统计表.xlsx:8:4: [统计表!D8] 合计 is 1571 but the rows above add up to 1570"),
        "{e}"
    );
    assert_eq!(e.matches("error:").count(), 1, "{e}");
}

/// A sheet of the given rows (text, or numbers for cells that parse as one), as `统计表`.
fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("统计表").unwrap();
    write_rows(ws, rows);
    book.save_to_buffer().unwrap()
}

fn write_rows(ws: &mut Worksheet, rows: &[&[&str]]) {
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if cell.is_empty() {
                continue;
            } else if let Ok(n) = cell.parse::<f64>() {
                ws.write_number(r, c, n).unwrap();
            } else {
                ws.write_string(r, c, *cell).unwrap();
            }
        }
    }
}

const HEADER: &[&str] = &["日期", "单位", "活动", "走访群众（户）"];

#[test]
fn units_by_key_name_or_alias_and_an_unknown_one_with_the_nearest() {
    let f = site();
    let rows: &[&[&str]] = &[
        &["填报说明：每次活动一行"],
        HEADER,
        &["2019-01-05", "fayuan", "走访", "10"],
        &["2019-01-06", "区法院", "走访", "20"],
        &["2019-01-07", "市法院", "走访", "30"],
        &["2019-01-08", "区法完", "走访", "40"],
    ];
    f.write_bytes(&format!("{RECORDS}/fy.xlsx"), &workbook(rows));
    let e = errors(&f);
    assert!(
        e.contains("records/fy.xlsx:6:2: [统计表!B6] unknown unit \"区法完\"\n  hint: did you mean \"区法院\"?"),
        "{e}"
    );
    f.write_bytes(&format!("{RECORDS}/fy.xlsx"), &workbook(&rows[..5]));
    let (_, by_unit) = figures(&f);
    assert_eq!(by_unit["fayuan"]["households"], 60);
}

#[test]
fn an_unknown_column_is_a_warning_naming_the_nearest_metric() {
    let f = site();
    let rows: &[&[&str]] = &[
        &["日期", "单位", "走访群众（户）", "排查矛盾纠纷数（起）"],
        &["2019-01-05", "gongan", "10", "3"],
    ];
    f.write_bytes(&format!("{RECORDS}/gongan.xlsx"), &workbook(rows));
    let r = f.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("warning: content/campaigns/xiajiceng/records/gongan.xlsx:1:4: [统计表!D1] unknown column \"排查矛盾纠纷数（起）\": not a record field nor a metric key or label\n  hint: did you mean \"排查矛盾纠纷\"?"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_bad_date_is_an_error_at_its_cell() {
    let f = site();
    let rows: &[&[&str]] = &[HEADER, &["2019-02-30", "gongan", "走访", "10"]];
    f.write_bytes(&format!("{RECORDS}/gongan.xlsx"), &workbook(rows));
    let e = errors(&f);
    assert!(
        e.contains("records/gongan.xlsx:2:1: [统计表!A2] cannot read \"2019-02-30\" as a date"),
        "{e}"
    );
}

#[test]
fn a_negative_count_is_an_error_at_its_cell() {
    let f = site();
    let rows: &[&[&str]] = &[HEADER, &["2019-02-03", "gongan", "走访", "-5"]];
    f.write_bytes(&format!("{RECORDS}/gongan.xlsx"), &workbook(rows));
    let e = errors(&f);
    assert!(
        e.contains("records/gongan.xlsx:2:4: [统计表!D2] count is negative (-5); counts are whole numbers ≥ 0"),
        "{e}"
    );
}

#[test]
fn a_count_above_ten_to_the_twelfth_is_an_error_in_sheets_and_yaml() {
    let f = site();
    let rows: &[&[&str]] = &[HEADER, &["2019-02-03", "gongan", "走访", "2000000000000"]];
    f.write_bytes(&format!("{RECORDS}/gongan.xlsx"), &workbook(rows));
    f.write(
        &format!("{RECORDS}/fayuan.yaml"),
        "- { date: 2019-02-03, unit: fayuan, metrics: { households: 1000000000001 } }\n",
    );
    let e = errors(&f);
    assert!(
        e.contains("records/gongan.xlsx:2:4: [统计表!D2] count is too large (2000000000000); counts are at most 10^12"),
        "{e}"
    );
    assert!(e.contains("records/fayuan.yaml:1:"), "{e}");
    assert!(
        e.contains("count of `households` is too large (1000000000001); counts are at most 10^12"),
        "{e}"
    );
}

/// A workbook written by a program that does not calculate: the formula has no `<v>`.
#[test]
fn a_formula_without_a_stored_value_is_an_error_asking_to_save_once() {
    let f = site();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("统计表").unwrap();
    write_rows(ws, &[HEADER, &["2019-02-03", "gongan", "走访", ""]]);
    ws.write_formula(1, 3, Formula::new("=2*5").set_result("NORESULT"))
        .unwrap();
    let bytes = without_result(&book.save_to_buffer().unwrap(), "NORESULT");
    f.write_bytes(&format!("{RECORDS}/gongan.xlsx"), &bytes);
    let e = errors(&f);
    assert!(
        e.contains("records/gongan.xlsx:2:4: [统计表!D2] formula without a stored value: save the file in Excel or WPS once"),
        "{e}"
    );
}

/// The workbook with the stored formula result `marker` taken out, as a program that does
/// not calculate writes it.
fn without_result(xlsx: &[u8], marker: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        if text.contains(marker) {
            let v = format!("<v>{marker}</v>");
            bytes = text.replace(&v, "").replace(" t=\"str\"", "").into_bytes();
        }
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        out.start_file(name, options).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn every_problem_of_every_sheet_in_one_run() {
    let f = site();
    let mut book = Workbook::new();
    for name in ["一月", "二月"] {
        let ws = book.add_worksheet();
        ws.set_name(name).unwrap();
        write_rows(
            ws,
            &[
                HEADER,
                &["2019-01-05", "gongan", "走访", "x"],
                &["昨天", "gongan", "", "3"],
            ],
        );
    }
    f.write_bytes(
        &format!("{RECORDS}/gongan.xlsx"),
        &book.save_to_buffer().unwrap(),
    );
    let e = errors(&f);
    for sheet in ["一月", "二月"] {
        assert!(
            e.contains(&format!("[{sheet}!D2] count must be a number")),
            "{e}"
        );
        assert!(
            e.contains(&format!("[{sheet}!A3] cannot read \"昨天\" as a date")),
            "{e}"
        );
    }
}

#[test]
fn a_workbook_without_a_header_row_says_what_a_header_needs() {
    let f = site();
    let rows: &[&[&str]] = &[
        &["XX活动统计表"],
        &["日期", "单位", "走访人数"],
        &["2019-01-05", "gongan", "3"],
    ];
    f.write_bytes(&format!("{RECORDS}/gongan.xlsx"), &workbook(rows));
    let e = errors(&f);
    assert!(
        e.contains("error: content/campaigns/xiajiceng/records/gongan.xlsx: no header row found: a header row names a date column (日期 or date, 月份 or month) and at least one metric (by key, label or alias)"),
        "{e}"
    );
}

/// `tests/fixtures/legacy.xls`, made by LibreOffice as Excel 97–2003 (see
/// `make_legacy_xls.py`).
#[test]
fn a_legacy_xls_counts_as_its_yaml() {
    let sheet = site();
    let xls = std::fs::read(repo().join("tests/fixtures/legacy.xls")).unwrap();
    sheet.write_bytes(&format!("{RECORDS}/legacy.xls"), &xls);
    let yaml = site();
    yaml.write(
        &format!("{RECORDS}/gongan.yaml"),
        "unit: gongan\nrecords:\n  - { date: 2019-01-08, activity: 走访, place: 城东村, metrics: { households: 120, meetings: 2 } }\n  - { date: 2019-01-15, activity: 座谈, place: 城西社区, metrics: { households: 35, meetings: 3 } }\n  - { date: 2019-01-22, activity: 走访, place: 南闸镇, metrics: { households: 210, meetings: 1 } }\n",
    );
    let (totals, by_unit) = figures(&sheet);
    assert_eq!(totals["households"], 365);
    assert_eq!(totals["meetings"], 6);
    assert_eq!((totals, by_unit), figures(&yaml));
}

/// A CSV saved by Excel on Chinese Windows (GB18030), with units by alias; `-v` says how it
/// was read.
#[test]
fn a_gb18030_csv_counts_as_its_yaml() {
    let sheet = site();
    let text = "填报单位：区法院\r\n日期,活动,走访群众（户）,座谈会（场次）\r\n2019/1/5,走访,\"1,200\",2\r\n2019年1月9日,座谈,36,\r\n合计,,1236,2\r\n";
    let (gbk, _, _) = encoding_rs::GB18030.encode(text);
    assert!(std::str::from_utf8(&gbk).is_err());
    sheet.write_bytes(&format!("{RECORDS}/法院.csv"), &gbk);
    let yaml = site();
    yaml.write(
        &format!("{RECORDS}/fayuan.yaml"),
        "- { date: 2019-01-05, unit: fayuan, activity: 走访, metrics: { households: 1200, meetings: 2 } }\n- { date: 2019-01-09, unit: fayuan, activity: 座谈, metrics: { households: 36 } }\n",
    );
    assert_eq!(figures(&sheet), figures(&yaml));
    let r = sheet.run(&["-v", "check"]);
    assert!(r.stderr.contains("法院.csv (GB18030)"), "{}", r.stderr);
}

/// A monthly tally (月份 column, and a month typed as 2019年2月 in a date column) counts as
/// the same months in YAML.
#[test]
fn monthly_tallies_count_as_their_yaml() {
    let sheet = site();
    sheet.write(
        &format!("{RECORDS}/monthly.csv"),
        "月份,单位,走访群众（户）\n2019年1月,市法院,30\n2019-02,gongan,20\n",
    );
    sheet.write(
        &format!("{RECORDS}/more.csv"),
        "日期,单位,走访群众\n2019年3月,gongan,5\n",
    );
    let yaml = site();
    yaml.write(
        &format!("{RECORDS}/monthly.yaml"),
        "- { date: 2019-01, unit: fayuan, metrics: { households: 30 } }\n- date: 2019-02\n  unit: gongan\n  metrics: { households: 20 }\n- date: 2019年3月\n  unit: gongan\n  metrics:\n    households: 5\n",
    );
    let (totals, by_unit) = figures(&sheet);
    assert_eq!(totals["households"], 55);
    assert_eq!((totals, by_unit), figures(&yaml));
}

#[test]
fn a_monthly_record_is_outside_its_campaign_only_when_its_month_is() {
    let f = site();
    f.write(
        &format!("{RECORDS}/monthly.yaml"),
        "- { date: 2019-03, unit: gongan, metrics: { households: 5 } }\n- { date: 2019-04, unit: gongan, metrics: { households: 5 } }\n",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "record for the month 2019-04 is outside its campaign (2019-01-01 to 2019-03-31)"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(
        r.stderr.matches("outside its campaign").count(),
        1,
        "{}",
        r.stderr
    );
}

#[test]
fn a_sheet_past_a_million_rows_is_an_error_naming_the_file() {
    let f = site();
    let mut csv = String::from("日期,单位,走访群众\n");
    for _ in 0..1_000_000 {
        csv.push_str("2019-01-05,gongan,1\n");
    }
    f.write(&format!("{RECORDS}/big.csv"), &csv);
    let e = errors(&f);
    assert!(
        e.contains("error: content/campaigns/xiajiceng/records/big.csv: more than 1000000 rows"),
        "{e}"
    );
}

/// A zip whose one part declares 300 MB unpacked: refused from its directory, before
/// anything is unpacked.
#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked() {
    let f = site();
    f.write_bytes(
        &format!("{RECORDS}/bomb.xlsx"),
        &declared_zip(300 * 1024 * 1024),
    );
    let started = std::time::Instant::now();
    let e = errors(&f);
    assert!(started.elapsed().as_secs() < 10);
    assert!(
        e.contains("error: content/campaigns/xiajiceng/records/bomb.xlsx: unpacks to 300 MB: jianbao reads spreadsheets of at most 200 MB"),
        "{e}"
    );
}

/// A zip of one deflated part, `xl/worksheets/sheet1.xml`, that declares `size` bytes.
fn declared_zip(size: u32) -> Vec<u8> {
    let name = b"xl/worksheets/sheet1.xml";
    let data = [0x03, 0x00]; // an empty deflate stream
    let le16 = |v: u16| v.to_le_bytes();
    let le32 = |v: u32| v.to_le_bytes();
    let mut out = Vec::new();
    let local = [
        &le32(0x0403_4b50)[..],
        &le16(20),
        &le16(0),
        &le16(8),
        &le16(0),
        &le16(0x21),
        &le32(0),
        &le32(data.len() as u32),
        &le32(size),
        &le16(name.len() as u16),
        &le16(0),
    ]
    .concat();
    out.extend_from_slice(&local);
    out.extend_from_slice(name);
    out.extend_from_slice(&data);
    let cd_start = out.len() as u32;
    let central = [
        &le32(0x0201_4b50)[..],
        &le16(20),
        &le16(20),
        &le16(0),
        &le16(8),
        &le16(0),
        &le16(0x21),
        &le32(0),
        &le32(data.len() as u32),
        &le32(size),
        &le16(name.len() as u16),
        &le16(0),
        &le16(0),
        &le16(0),
        &le16(0),
        &le32(0),
        &le32(0),
    ]
    .concat();
    out.extend_from_slice(&central);
    out.extend_from_slice(name);
    let cd_len = out.len() as u32 - cd_start;
    let end = [
        &le32(0x0605_4b50)[..],
        &le16(0),
        &le16(0),
        &le16(1),
        &le16(1),
        &le32(cd_len),
        &le32(cd_start),
        &le16(0),
    ]
    .concat();
    out.extend_from_slice(&end);
    out
}

#[test]
fn an_alias_belongs_to_one_unit_or_metric_only() {
    let f = site();
    let site_yaml = std::fs::read_to_string(f.root().join("site.yaml")).unwrap();
    f.write(
        "site.yaml",
        &site_yaml
            .replace(
                "gongan: { name: 区公安分局 }",
                "gongan: { name: 区公安分局, aliases: [法院, 公安] }",
            )
            .replace("aliases: [座谈会]", "aliases: [座谈会, 区法院]"),
    );
    let e = errors(&f);
    assert!(
        e.contains("alias \"法院\" belongs to both unit \"fayuan\" and unit \"gongan\""),
        "{e}"
    );
    assert!(
        e.contains("alias \"区法院\" of metric \"meetings\" is the name of unit \"fayuan\""),
        "{e}"
    );
}

/// The office round trip: `jianbao template` writes the workbook, LibreOffice fills it in (as a
/// unit's clerk would, typing dates and counts) and saves it, and the saved file loads as it is.
#[test]
fn a_template_filled_in_by_an_office_suite_loads_as_it_is() {
    let python = "/usr/bin/python3";
    let has_office = std::process::Command::new(python)
        .args(["-c", "import uno"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !has_office {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install libreoffice-calc-nogui and python3-uno"
        );
        eprintln!("note: LibreOffice with UNO missing; the round trip is skipped");
        return;
    }
    let f = Fixture::new();
    f.remove("content/campaigns/xiajiceng/records/fayuan.yaml");
    let blank = f.root().join("blank.xlsx");
    let r = f.run(&[
        "template",
        "xiajiceng",
        ".",
        "--unit",
        "fayuan",
        "-o",
        blank.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let spec = f.root().join("spec.json");
    std::fs::write(
        &spec,
        r#"{"sheet": "统计表", "cells": {"A4": "2019/2/3", "B4": "走访", "C4": "顺河镇", "D4": 150,
            "A5": "2019年3月1日", "B5": "宣传", "D5": 86}}"#,
    )
    .unwrap();
    let filled = f
        .root()
        .join("content/campaigns/xiajiceng/records/法院统计表.xlsx");
    let out = std::process::Command::new(python)
        .arg(repo().join("tests/office/fill.py"))
        .args([&blank, &filled, &spec])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_file(&blank).unwrap();
    std::fs::remove_file(&spec).unwrap();
    let r = f.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let csv = std::fs::read_to_string(f.out().join("data/records.csv")).unwrap();
    let rows: Vec<&str> = csv
        .lines()
        .filter(|l| l.contains("法院统计表.xlsx"))
        .collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(
        rows[0].contains("2019-02-03") && rows[1].contains("2019-03-01"),
        "{rows:?}"
    );
    // 1600 from the police records, 150 + 86 from the court's filled-in workbook.
    assert!(
        f.page("articles/huimou/index.html")
            .contains("共走访群众1836户"),
        "the court's 236 households come from the workbook now"
    );
}
