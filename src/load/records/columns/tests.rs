//! Tests of the parent module.

use super::*;

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

#[test]
fn header_names_lose_spaces_and_measure_words() {
    assert_eq!(header_name("走访群众（户）"), "走访群众");
    assert_eq!(header_name("走访群众(户)"), "走访群众");
    assert_eq!(header_name(" 走访\n群众 "), "走访群众");
    assert_eq!(header_name("（户）"), "（户）");
}

#[test]
fn counts_as_offices_type_them() {
    let n = |c: Cell| count_of(&c).map(|r| r.map_err(|e| e.0));
    assert_eq!(n(text("1,350")), Some(Ok(1350)));
    assert_eq!(n(text("１３５０")), Some(Ok(1350)));
    assert_eq!(n(text("1，350")), Some(Ok(1350)));
    assert_eq!(n(text("3.0")), Some(Ok(3)));
    assert_eq!(n(Cell::Number(3.0)), Some(Ok(3)));
    assert_eq!(n(Cell::Empty), None);
    assert_eq!(
        n(Cell::Number(-4.0)),
        Some(Err(
            "count is negative (-4); counts are whole numbers ≥ 0".into()
        ))
    );
    assert!(n(text("13,50"))
        .unwrap()
        .unwrap_err()
        .contains("must be a number"));
    assert!(n(text("3.5")).unwrap().unwrap_err().contains("whole"));
    assert!(n(Cell::Unsaved)
        .unwrap()
        .unwrap_err()
        .contains("save the file in Excel or WPS once"));
    assert!(n(Cell::Number(2e12))
        .unwrap()
        .unwrap_err()
        .contains("too large"));
}

#[test]
fn dates_as_cells_serials_and_text() {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert_eq!(
        date_of(&Cell::Number(44322.0), false, false),
        Ok((d("2021-05-06"), false))
    );
    assert_eq!(
        date_of(&Cell::Number(42860.0), false, true),
        Ok((d("2021-05-06"), false))
    );
    for t in [
        "2021-05-06",
        "2021/5/6",
        "2021.5.6",
        "2021年5月6日",
        "2021/5/6 0:00",
    ] {
        assert_eq!(
            date_of(&text(t), false, false),
            Ok((d("2021-05-06"), false)),
            "{t}"
        );
    }
    for t in ["2021-05", "2021年5月"] {
        assert_eq!(
            date_of(&text(t), false, false),
            Ok((d("2021-05-01"), true)),
            "{t}"
        );
    }
    assert_eq!(
        date_of(&text("2021-05-06"), true, false),
        Ok((d("2021-05-01"), true))
    );
    assert_eq!(
        date_of(&Cell::Date(d("2021-05-06")), true, false),
        Ok((d("2021-05-01"), true))
    );
    assert_eq!(
        date_of(&text("2021-13-01"), false, false),
        Err("cannot read \"2021-13-01\" as a date".into())
    );
    assert!(date_of(&Cell::Number(-3.0), false, false).is_err());
    assert!(date_of(&text("1899-05-06"), false, false)
        .unwrap_err()
        .contains("before 1900"));
}

#[test]
fn unit_lines_in_one_cell_or_two() {
    let row = |cells: &[&str]| Row {
        line: 2,
        cells: cells
            .iter()
            .enumerate()
            .map(|(i, s)| (i + 1, text(s)))
            .collect(),
    };
    let unit = |r: Row| unit_line(&r).map(|(t, _, c)| (t, c));
    assert_eq!(
        unit(row(&["填报单位：区公安分局"])),
        Some(("区公安分局".into(), 1))
    );
    assert_eq!(
        unit(row(&["单位:区法院　填报日期：2021年5月"])),
        Some(("区法院".into(), 1))
    );
    assert_eq!(
        unit(row(&["填报单位：", "区法院"])),
        Some(("区法院".into(), 2))
    );
    assert_eq!(
        unit(row(&["填报单位（盖章）：区法院"])),
        Some(("区法院".into(), 1))
    );
    assert_eq!(unit(row(&["单位", "区法院"])), None);
    assert_eq!(unit(row(&["XX活动统计表"])), None);
}

#[test]
fn totals_rows_by_their_first_text_cell() {
    let row = |cells: Vec<Cell>| Row {
        line: 9,
        cells: cells
            .into_iter()
            .enumerate()
            .map(|(i, c)| (i + 1, c))
            .collect(),
    };
    assert_eq!(
        totals_label(&row(vec![text("合  计"), Cell::Number(3.0)])),
        Some("合计")
    );
    assert_eq!(
        totals_label(&row(vec![Cell::Number(1.0), text("小计")])),
        Some("小计")
    );
    assert_eq!(
        totals_label(&row(vec![text("2021-05-06"), text("合计")])),
        None
    );
}
