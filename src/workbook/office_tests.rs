//! A real office suite round trip: LibreOffice, headless, opens the template, fills a few rows
//! (a date typed into the date column, a unit picked from the dropdown list, counts),
//! recalculates and saves as .xlsx; calamine then reads what LibreOffice saved.
//!
//! Needs `soffice` (Debian: libreoffice-calc-nogui) and `/usr/bin/python3` with the `uno`
//! module (python3-uno). Without them the test is skipped with a note, unless `CI` is set:
//! there it fails, so a CI that lost its office suite does not pass quietly.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use calamine::Data;
use chrono::Duration;

use super::template::{template, BLANK_ROWS, DATA_SHEET};
use super::tests_support::{cell, sample_site, sheet};
use crate::model::CampaignId;

/// Debian's python, which has `uno`; a pyenv python3 earlier on PATH does not.
const PYTHON: &str = "/usr/bin/python3";

/// The office suite and the python that drives it, or why they are not usable.
fn office() -> Result<(), String> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join("soffice").is_file()))
        .unwrap_or(false);
    if !on_path {
        return Err("soffice is not on PATH".into());
    }
    let uno = Command::new(PYTHON)
        .args(["-c", "import uno"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !uno {
        return Err(format!("{PYTHON} cannot import uno"));
    }
    Ok(())
}

/// Whether to go on: a missing office suite skips the test, except on CI.
fn office_or_skip(test: &str) -> bool {
    match office() {
        Ok(()) => true,
        Err(why) if std::env::var_os("CI").is_some() => panic!(
            "{test}: {why}; CI must install the Debian packages libreoffice-calc-nogui and python3-uno"
        ),
        Err(why) => {
            eprintln!("note: {test} skipped: {why} (apt-get install libreoffice-calc-nogui python3-uno)");
            false
        }
    }
}

/// Runs `tests/office/fill.py` and returns its report.
fn fill(input: &Path, output: &Path, spec: &serde_json::Value) -> serde_json::Value {
    let dir = input.parent().unwrap();
    let spec_path = dir.join("spec.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/office/fill.py");
    let t = Instant::now();
    let out = Command::new(PYTHON)
        .arg(&script)
        .arg(input)
        .arg(output)
        .arg(&spec_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "fill.py failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    eprintln!(
        "LibreOffice fill-and-save took {:.1} s: {}",
        t.elapsed().as_secs_f64(),
        report["times"]
    );
    report
}

#[test]
fn libreoffice_fills_and_saves_the_template() {
    if !office_or_skip("libreoffice_fills_and_saves_the_template") {
        return;
    }
    let site = sample_site();
    let id = CampaignId(0);
    let c = site.campaign(id);
    let bytes = template(site, id, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (input, output) = (dir.path().join("模板.xlsx"), dir.path().join("已填.xlsx"));
    std::fs::write(&input, &bytes).unwrap();

    // Columns: A 日期, B 单位, C 活动, D 地点, E… the campaign's metrics, then 备注.
    let (read_back, _) = sheet(&bytes, DATA_SHEET);
    let metric_cols = (4..)
        .take_while(|&col| cell(&read_back, 2, col).to_string().ends_with('）'))
        .count() as u32;
    assert!(
        metric_cols >= 2,
        "the sample campaign counts at least two metrics"
    );
    let days = [
        c.start,
        c.start + Duration::days(3),
        c.start + Duration::days(9),
    ];
    let counts: [[u32; 2]; 3] = [[320, 12], [1500, 0], [7, 3]];
    let picks = [3usize, 0, 3];
    let total_row = 3 + BLANK_ROWS; // 0-based; Excel row 204
    let mut cells = serde_json::Map::new();
    for (i, day) in days.iter().enumerate() {
        let r = 4 + i; // Excel rows 4, 5, 6
        cells.insert(format!("A{r}"), day.format("%Y-%m-%d").to_string().into());
        cells.insert(format!("B{r}"), serde_json::json!({ "list": picks[i] }));
        cells.insert(format!("C{r}"), "走访".into());
        cells.insert(format!("D{r}"), format!("第{}村", i + 1).into());
        cells.insert(format!("E{r}"), counts[i][0].into());
        if counts[i][1] > 0 {
            cells.insert(format!("F{r}"), counts[i][1].into());
        }
    }
    let spec = serde_json::json!({
        "sheet": DATA_SHEET,
        "cells": cells,
        "inspect": ["A4", "B4", "E4", "F4"],
    });
    let report = fill(&input, &output, &spec);

    // What LibreOffice saw in the template: the validations survive its import.
    let v = &report["validation"];
    assert_eq!(v["A4"]["type"], "DATE");
    assert_eq!(v["A4"]["alert"], "WARNING");
    assert_eq!(v["B4"]["type"], "LIST");
    assert_eq!(v["B4"]["alert"], "STOP");
    let names: Vec<&str> = site.units.iter().map(|u| u.name.as_str()).collect();
    let entries: Vec<&str> = v["B4"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert_eq!(entries, names, "the dropdown offers the unit names");
    for addr in ["E4", "F4"] {
        assert_eq!(v[addr]["type"], "WHOLE", "{addr}");
        assert_eq!(v[addr]["operator"], "GREATER_EQUAL", "{addr}");
        assert_eq!(v[addr]["formula1"], "0", "{addr}");
    }

    // What LibreOffice saved.
    let saved = std::fs::read(&output).unwrap();
    let (range, formulas) = sheet(&saved, DATA_SHEET);
    assert_eq!(
        cell(&range, 0, 0),
        Data::String(format!("{}统计表", c.title))
    );
    for (i, day) in days.iter().enumerate() {
        let row = 3 + i as u32;
        match cell(&range, row, 0) {
            Data::DateTime(dt) => assert_eq!(dt.as_datetime().map(|d| d.date()), Some(*day)),
            other => panic!("row {row}: date cell expected, got {other:?}"),
        }
        assert_eq!(cell(&range, row, 1), Data::String(names[picks[i]].into()));
        assert_eq!(cell(&range, row, 2), Data::String("走访".into()));
        assert_eq!(cell(&range, row, 4), Data::Float(counts[i][0].into()));
    }
    assert_eq!(
        cell(&range, 4, 5),
        Data::Empty,
        "a count left blank stays blank"
    );
    assert_eq!(
        cell(&range, 6, 0),
        Data::Empty,
        "rows not filled stay empty"
    );
    assert_eq!(cell(&range, total_row, 0), Data::String("合计".into()));
    let sums = [
        counts.iter().map(|c| c[0]).sum::<u32>(),
        counts.iter().map(|c| c[1]).sum::<u32>(),
    ];
    for (i, want) in sums.iter().enumerate() {
        let col = 4 + i as u32;
        assert_eq!(
            cell(&range, total_row, col),
            Data::Float(f64::from(*want)),
            "合计 of column {col} as LibreOffice computed it"
        );
        let f = formulas
            .get_value((total_row, col))
            .cloned()
            .unwrap_or_default();
        assert!(f.starts_with("SUM("), "合计 stays a formula: {f}");
    }
}

/// `tests/fixtures/legacy.xls` (made by `make_legacy_xls.py` beside it) holds what the records
/// reader's tests assert on.
#[test]
fn legacy_xls_fixture_holds_a_units_tally() {
    use calamine::{Reader, Xls};
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/legacy.xls");
    let bytes = std::fs::read(path).unwrap();
    let mut wb = Xls::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), vec!["统计表".to_string()]);
    let merged = wb.merge_cells_by_sheet_name("统计表").unwrap();
    assert!(merged.iter().any(|d| d.start == (0, 0) && d.end == (0, 4)));
    let range = wb.worksheet_range("统计表").unwrap();
    let s = |t: &str| Data::String(t.into());
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    assert_eq!(range.start(), Some((0, 0)));
    assert_eq!(rows.len(), 7);
    assert_eq!(rows[0][0], s("XX活动统计表"));
    assert_eq!(rows[1][0], s("填报单位：区公安分局"));
    assert_eq!(
        rows[2],
        [
            "日期",
            "活动",
            "地点",
            "走访群众（户）",
            "召开座谈会（场次）"
        ]
        .map(s)
    );
    assert_eq!(
        rows[3],
        [
            s("2019/1/8"),
            s("走访"),
            s("城东村"),
            Data::Int(120),
            Data::Int(2)
        ]
    );
    assert_eq!(
        rows[4],
        [
            s("2019年1月15日"),
            s("座谈"),
            s("城西社区"),
            Data::Int(35),
            Data::Int(3)
        ]
    );
    match &rows[5][0] {
        Data::DateTime(d) => assert_eq!(
            d.as_datetime().map(|d| d.date()),
            chrono::NaiveDate::from_ymd_opt(2019, 1, 22)
        ),
        other => panic!("a date cell expected, got {other:?}"),
    }
    assert_eq!(
        rows[5][1..],
        [s("走访"), s("南闸镇"), Data::Int(210), Data::Int(1)]
    );
    assert_eq!(
        rows[6],
        [
            s("合计"),
            Data::Empty,
            Data::Empty,
            Data::Float(365.0),
            Data::Float(6.0)
        ]
    );
    let formulas = wb.worksheet_formula("统计表").unwrap();
    assert_eq!(
        formulas.get_value((6, 3)).map(String::as_str),
        Some("SUM(D4:D6)")
    );
    assert_eq!(
        formulas.get_value((6, 4)).map(String::as_str),
        Some("SUM(E4:E6)")
    );
}
