//! The line chart: a cumulative total over time, with the target as a dashed line.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{
    begin_group, draw_err, end_group, line, text, ticks, value_axis, Area, Title, ACCENT, HEIGHT,
    INK, PAD, TICK, VALUE, WIDTH,
};
use super::text::fmt_num;
use super::{canvas, ChartData, ChartError, Drawn};

/// Points are marked while there are at most this many.
const MAX_MARKED_POINTS: usize = 40;
const HEADROOM: i32 = 18;

/// Draws the line chart. Categories that are all ISO dates (2017-11-02),
/// in order, are spaced by time; any others evenly.
pub(super) fn draw(data: &ChartData) -> Result<Drawn, ChartError> {
    let values = data
        .series
        .first()
        .map(|s| s.values.as_slice())
        .unwrap_or_default();
    let n = values.len().min(data.categories.len());
    let xs = positions(&data.categories[..n]);
    let (mut x_min, mut x_max) = (
        xs.first().copied().unwrap_or(0.0),
        xs.last().copied().unwrap_or(0.0),
    );
    if x_max <= x_min {
        x_min -= 1.0;
        x_max += 1.0;
    }
    let target = data.target.filter(|t| t.is_finite() && *t >= 0.0);
    let whole = values.iter().all(|v| v.fract() == 0.0);
    let top_value = values.iter().copied().chain(target).fold(0.0, f64::max);
    let ticks = ticks(top_value, whole);
    let upper = ticks.last().copied().unwrap_or(1.0);

    let title = Title::new(&data.title);
    let tick_w = ticks
        .iter()
        .map(|t| TICK.width(&fmt_num(*t)))
        .fold(0.0, f64::max);
    let half_first = data.categories.first().map_or(0.0, |c| TICK.width(c) / 2.0);
    let half_last = data
        .categories
        .get(n.saturating_sub(1))
        .map_or(0.0, |c| TICK.width(c) / 2.0);
    let y_label_w = (tick_w + 8.0).max(half_first - f64::from(PAD)).ceil() as i32;
    let size = (WIDTH, HEIGHT);

    let raw = canvas(size, |root| {
        title.draw(root)?;
        let chart = ChartBuilder::on(root)
            .margin_top(title.height() + HEADROOM)
            .margin_bottom(PAD)
            .margin_left(PAD)
            .margin_right(PAD + half_last.ceil() as i32)
            .x_label_area_size(24)
            .y_label_area_size(y_label_w)
            .build_cartesian_2d(x_min..x_max, 0f64..upper)
            .map_err(draw_err)?;
        let at = |x: f64, y: f64| chart.backend_coord(&(x, y));
        let (left, bottom) = at(x_min, 0.0);
        let right = at(x_max, 0.0).0;

        value_axis(root, &ticks, (left, right), |t| at(x_min, t).1)?;
        line(root, (left, bottom), (right, bottom), INK, 1)?;
        end_group(root)?;

        if let Some(t) = target {
            target_line(root, data, t, at(x_min, t).1, (left, right))?;
        }

        let points: Vec<(i32, i32)> = xs.iter().zip(values).map(|(&x, &v)| at(x, v)).collect();
        series(root, &points)?;
        if let Some(v) = values.last() {
            last_value(root, data, *v, &points)?;
        }
        x_labels(root, data, &points, bottom)
    })?;
    Ok(Drawn { raw, size })
}

/// The target as a dashed line across the plot at height `y`, labelled at its left end.
fn target_line(
    root: &Area,
    data: &ChartData,
    target: f64,
    y: i32,
    (left, right): (i32, i32),
) -> Result<(), ChartError> {
    begin_group(root, "target")?;
    root.draw(&DashedPathElement::new(
        vec![(left, y), (right, y)],
        6,
        4,
        INK.stroke_width(1),
    ))
    .map_err(draw_err)?;
    let label = format!(
        "{} {}{}",
        data.lang.pick("目标", "Target"),
        fmt_num(target),
        data.unit_word
    );
    text(
        root,
        &label,
        (left + 4, y - 4),
        VALUE,
        HPos::Left,
        VPos::Bottom,
    )?;
    end_group(root)
}

/// The line through the points, each marked while there are few enough.
fn series(root: &Area, points: &[(i32, i32)]) -> Result<(), ChartError> {
    begin_group(root, "line series-0")?;
    root.draw(&PathElement::new(points.to_vec(), ACCENT.stroke_width(2)))
        .map_err(draw_err)?;
    if points.len() <= MAX_MARKED_POINTS {
        for &p in points {
            root.draw(&Circle::new(p, 3, ACCENT.filled()))
                .map_err(draw_err)?;
        }
    }
    end_group(root)
}

/// The last value, written above the last point.
fn last_value(
    root: &Area,
    data: &ChartData,
    value: f64,
    points: &[(i32, i32)],
) -> Result<(), ChartError> {
    let Some(&(x, y)) = points.last() else {
        return Ok(());
    };
    let n = points.len();
    begin_group(root, "values")?;
    let label = format!("{}{}", fmt_num(value), data.unit_word);
    let anchor = if n > 1 { HPos::Right } else { HPos::Center };
    text(
        root,
        &label,
        (x - if n > 1 { 6 } else { 0 }, y - 6),
        VALUE,
        anchor,
        VPos::Bottom,
    )?;
    end_group(root)
}

/// The categories under the points (dates shortened), as many as fit without overlapping.
fn x_labels(
    root: &Area,
    data: &ChartData,
    points: &[(i32, i32)],
    bottom: i32,
) -> Result<(), ChartError> {
    begin_group(root, "labels")?;
    let labels: Vec<String> = data
        .categories
        .iter()
        .map(|c| short_date(c, data.lang))
        .collect();
    let spans: Vec<(i32, i32)> = points
        .iter()
        .zip(&labels)
        .map(|(p, c)| (p.0, TICK.width(c).ceil() as i32))
        .collect();
    for i in spaced_labels(&spans) {
        text(
            root,
            &labels[i],
            (points[i].0, bottom + 8),
            TICK,
            HPos::Center,
            VPos::Top,
        )?;
    }
    end_group(root)
}

/// X positions: days since 1970 when every category is an ISO date and
/// they are in order, else 0, 1, 2 …
fn positions(categories: &[String]) -> Vec<f64> {
    let days: Option<Vec<i64>> = categories.iter().map(|c| day_number(c)).collect();
    match days {
        Some(d) if d.windows(2).all(|w| w[0] <= w[1]) => d.into_iter().map(|d| d as f64).collect(),
        _ => (0..categories.len()).map(|i| i as f64).collect(),
    }
}

/// An axis label for a category: an ISO date reads as a Chinese date without the year
/// (`2017-10-16` → `10月16日`; the caption gives the years), anything else as given.
fn short_date(c: &str, lang: crate::numfmt::Language) -> String {
    let parts: Vec<&str> = c.trim().splitn(3, '-').collect();
    match (parts.as_slice(), day_number(c)) {
        ([_, m, d], Some(_)) => match (m.parse::<u32>(), d.parse::<u32>()) {
            (Ok(m), Ok(d)) if lang == crate::numfmt::Language::En => format!("{m}/{d}"),
            (Ok(m), Ok(d)) => format!("{m}月{d}日"),
            _ => c.to_string(),
        },
        _ => c.to_string(),
    }
}

/// Days since 1970-01-01 of a YYYY-MM-DD date (proleptic Gregorian).
fn day_number(s: &str) -> Option<i64> {
    let mut parts = s.trim().splitn(3, '-');
    let mut next = || parts.next().and_then(|p| p.parse::<i64>().ok());
    let (y, m, d) = (next()?, next()?, next()?);
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Which x labels (centre, width) to print so that none overlap: the last
/// always, the others from the left while they leave a gap.
fn spaced_labels(spans: &[(i32, i32)]) -> Vec<usize> {
    const GAP: i32 = 10;
    let Some((&(last_x, last_w), rest)) = spans.split_last() else {
        return Vec::new();
    };
    let last_left = last_x - last_w / 2;
    let mut chosen = Vec::new();
    let mut edge = i32::MIN / 2;
    for (i, &(x, w)) in rest.iter().enumerate() {
        let (l, r) = (x - w / 2, x + w / 2);
        if l >= edge + GAP && r + GAP <= last_left {
            chosen.push(i);
            edge = r;
        }
    }
    chosen.push(rest.len());
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_label_as_chinese_dates() {
        use crate::numfmt::Language;
        assert_eq!(short_date("2017-10-16", Language::ZhCn), "10月16日");
        assert_eq!(short_date("2017-10-16", Language::En), "10/16");
        assert_eq!(short_date("第12周", Language::ZhCn), "第12周");
        assert_eq!(short_date("2017-13-01", Language::ZhCn), "2017-13-01");
    }

    #[test]
    fn iso_dates_are_spaced_by_time() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2017-11-02"), Some(17472));
        assert_eq!(day_number("2017-11-32"), None);
        assert_eq!(day_number("第12周"), None);
        let cats: Vec<String> = ["2017-11-01", "2017-11-02", "2017-11-12"]
            .map(String::from)
            .into();
        assert_eq!(positions(&cats), vec![17471.0, 17472.0, 17482.0]);
        let unordered: Vec<String> = ["2017-11-02", "2017-11-01"].map(String::from).into();
        assert_eq!(positions(&unordered), vec![0.0, 1.0]);
    }

    #[test]
    fn crowded_labels_are_thinned_and_the_last_kept() {
        let spans: Vec<(i32, i32)> = (0..10).map(|i| (i * 20, 30)).collect();
        let chosen = spaced_labels(&spans);
        assert_eq!(chosen.last(), Some(&9));
        assert!(chosen
            .windows(2)
            .all(|w| spans[w[1]].0 - spans[w[0]].0 >= 40));
        assert!(spaced_labels(&[]).is_empty());
    }
}
