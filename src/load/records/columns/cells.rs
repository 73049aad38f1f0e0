//! One cell of a data row: a date or month, a unit, a campaign, a count.

use super::*;

/// A date or month cell: a date cell, an Excel serial day number, or text; a month (text
/// such as `2021-05`, or anything in a 月份 column) gives its first day and `true`.
pub(super) fn date_of(
    cell: &Cell,
    month_column: bool,
    is_1904: bool,
) -> Result<(NaiveDate, bool), String> {
    let unreadable = || {
        format!(
            "cannot read \"{}\" as a date",
            cell.text().unwrap_or_default()
        )
    };
    let (date, monthly) = match cell {
        Cell::Date(d) => (*d, false),
        Cell::Number(n) => (serial_date(*n, is_1904).ok_or_else(unreadable)?, false),
        Cell::Text(t) => {
            // `2021/5/6 0:00`, as some programs export a date cell: the day is what counts.
            let t = t.split_whitespace().next().unwrap_or("");
            parse_any_record_date(t).ok_or_else(unreadable)?
        }
        Cell::Unsaved => return Err(UNSAVED.to_string()),
        Cell::Empty => return Err("missing date".to_string()),
    };
    if !(1900..=2100).contains(&date.year()) {
        return Err(format!(
            "the date {date} is before 1900 or after 2100: check the year"
        ));
    }
    if month_column || monthly {
        return Ok((date.with_day(1).unwrap_or(date), true));
    }
    Ok((date, false))
}

/// The day an Excel serial number stands for (a plain number in a date column).
pub(super) fn serial_date(n: f64, is_1904: bool) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    // Day 0 is 1899-12-30 in the 1900 system: Excel counts the 29th of February 1900 that
    // never was, so serials from March 1900 on land right from this base.
    let base = if is_1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)
    }?;
    base.checked_add_days(chrono::Days::new(n.floor() as u64))
}

/// A unit cell: a unit's key, name or alias.
pub(super) fn unit_of(keys: &Keys, cell: &Cell) -> Result<UnitId, Unknown> {
    keys.unit_by_any_name(&cell.text().unwrap_or_default())
}

/// A campaign cell: a campaign slug; `None` when empty (the folder's campaign).
pub(super) fn campaign_of(keys: &Keys, cell: &Cell) -> Result<Option<CampaignSpan>, Unknown> {
    match cell.text() {
        None => Ok(None),
        Some(c) => keys.campaigns.resolve(&c).map(Some),
    }
}

/// A count cell: a number, or text as offices type numbers (`1,350`, full-width `１３５０`);
/// `None` when empty (not reported, not zero). The error is the whole message and a hint.
pub(super) fn count_of(cell: &Cell) -> Option<Result<u64, (String, Option<String>)>> {
    let value = match cell {
        Cell::Empty => return None,
        Cell::Unsaved => return Some(Err((UNSAVED.to_string(), Some(UNSAVED_HINT.to_string())))),
        Cell::Number(n) => number_value(*n),
        Cell::Text(s) => match office_number(s) {
            Some(n) => n,
            None => Value::String(s.clone()),
        },
        Cell::Date(d) => Value::String(d.to_string()),
    };
    Some(check_count(&value).map_err(|(msg, hint)| (format!("count {msg}"), hint)))
}

/// A spreadsheet number as YAML would hold it: whole numbers as integers, so a message shows
/// `-4`, not `-4.0`.
pub(super) fn number_value(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Value::Number((n as i64).into())
    } else {
        Value::Number(n.into())
    }
}

/// A number typed as text: full-width digits and signs made ASCII, thousands separators
/// (`1,350`, `1，350`) dropped when they group by three. `None` when it is not a number.
pub(super) fn office_number(s: &str) -> Option<Value> {
    let ascii: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '－' => '-',
            '．' => '.',
            '，' => ',',
            _ => c,
        })
        .collect();
    let plain = if ascii.contains(',') {
        let (int, frac) = ascii
            .split_once('.')
            .map_or((ascii.as_str(), None), |(i, f)| (i, Some(f)));
        let digits = int.trim_start_matches('-');
        let mut groups = digits.split(',');
        let first = groups.next()?;
        let grouped = (1..=3).contains(&first.len())
            && groups.all(|g| g.len() == 3)
            && digits.bytes().all(|b| b.is_ascii_digit() || b == b',');
        if !grouped {
            return None;
        }
        let int = int.replace(',', "");
        match frac {
            Some(f) => format!("{int}.{f}"),
            None => int,
        }
    } else {
        ascii
    };
    let looks_numeric = !plain.is_empty()
        && plain
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'-' || b == b'.' || b == b'+');
    if !looks_numeric {
        return None;
    }
    if let Ok(i) = plain.parse::<i64>() {
        return Some(Value::Number(i.into()));
    }
    if let Ok(u) = plain.parse::<u64>() {
        return Some(Value::Number(u.into()));
    }
    plain
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(number_value)
}
