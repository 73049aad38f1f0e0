//! Bar, stacked bar and progress charts.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{
    begin_group, draw_err, end_group, ink_on, line, rect, text, ticks, value_axis, Area, Font,
    Legend, Title, ACCENT, GRID, HEIGHT, INK, LABEL, PAD, PALETTE, TICK, TRACK, VALUE, WIDTH,
};
use super::text::{fmt_num, fmt_pct, label_lines, truncate};
use super::{canvas, ChartData, ChartError, ChartKind, Drawn};

/// Most categories drawn as upright columns; more become horizontal bars.
const MAX_COLUMNS: usize = 12;
/// Up to this many columns a label may take two lines.
const MAX_TWO_LINE_COLUMNS: usize = 8;
/// Row height of horizontal bars once there are many of them.
const ROW: i32 = 28;
const LABEL_LINE: i32 = 16;
/// Room above the tallest column for its value label.
const HEADROOM: i32 = 18;
/// Least height of the plot area of upright columns.
const MIN_PLOT: i32 = 160;

/// How the categories are laid out.
enum Orientation {
    /// Upright columns; each label set in these lines.
    Columns(Vec<Vec<String>>),
    /// Horizontal bars, labels on the left.
    Rows,
}

/// Draws a bar chart (one series) or a stacked bar chart (several).
pub(super) fn draw(data: &ChartData) -> Result<Drawn, ChartError> {
    let stacked = matches!(data.kind, ChartKind::Stacked);
    let n = data.categories.len();
    let totals: Vec<f64> = (0..n)
        .map(|i| data.series.iter().map(|s| s.values[i]).sum())
        .collect();
    let whole = data
        .series
        .iter()
        .all(|s| s.values.iter().all(|v| v.fract() == 0.0));
    let ticks = ticks(totals.iter().copied().fold(0.0, f64::max), whole);
    let title = Title::new(&data.title);
    let legend = stacked.then(|| {
        Legend::new(
            &data
                .series
                .iter()
                .map(|s| s.name.clone())
                .collect::<Vec<_>>(),
        )
    });
    let top = title.height() + legend.as_ref().map_or(0, Legend::height);

    let tick_w = ticks
        .iter()
        .map(|t| TICK.width(&fmt_num(*t)))
        .fold(0.0, f64::max)
        .ceil() as i32;
    let layout = Layout {
        data,
        totals: &totals,
        ticks: &ticks,
        stacked,
        top,
    };
    match orientation(data, tick_w) {
        Orientation::Columns(labels) => {
            // Taller than usual only when a long legend would squeeze the plot.
            let label_h = 8 + LABEL_LINE * labels.iter().map(Vec::len).max().unwrap_or(1) as i32;
            let height = (top + HEADROOM + MIN_PLOT + label_h + PAD).max(HEIGHT as i32);
            let size = (WIDTH, height as u32);
            let raw = canvas(size, |root| {
                title.draw(root)?;
                if let Some(legend) = &legend {
                    legend.draw(root, title.height())?;
                }
                layout.columns(root, &labels, tick_w)
            })?;
            Ok(Drawn { raw, size })
        }
        Orientation::Rows => {
            let axis_h = 22;
            let room = HEIGHT as i32 - top - 4 - axis_h - PAD;
            let row = if ROW * n as i32 >= room {
                ROW
            } else {
                (room / n as i32).min(40)
            };
            let size = (WIDTH, (top + 4 + row * n as i32 + axis_h + PAD) as u32);
            let raw = canvas(size, |root| {
                title.draw(root)?;
                if let Some(legend) = &legend {
                    legend.draw(root, title.height())?;
                }
                layout.rows(root, row, axis_h)
            })?;
            Ok(Drawn { raw, size })
        }
    }
}

/// Columns while there are few categories and their labels fit under them
/// (in two lines at most, one line beyond eight columns); bars otherwise.
fn orientation(data: &ChartData, tick_w: i32) -> Orientation {
    let n = data.categories.len();
    if n > MAX_COLUMNS {
        return Orientation::Rows;
    }
    let plot_w = f64::from(WIDTH as i32 - 2 * PAD - tick_w - 8);
    let slot = plot_w / n as f64;
    let mut labels = Vec::with_capacity(n);
    for c in &data.categories {
        match label_lines(c, LABEL.px, slot - 6.0) {
            Some(lines) if lines.len() == 1 || n <= MAX_TWO_LINE_COLUMNS => labels.push(lines),
            _ => return Orientation::Rows,
        }
    }
    Orientation::Columns(labels)
}

struct Layout<'a> {
    data: &'a ChartData,
    totals: &'a [f64],
    ticks: &'a [f64],
    stacked: bool,
    top: i32,
}

impl Layout<'_> {
    fn series_color(&self, s: usize) -> RGBColor {
        if self.stacked {
            PALETTE[s % PALETTE.len()]
        } else {
            ACCENT
        }
    }

    fn upper(&self) -> f64 {
        self.ticks.last().copied().unwrap_or(1.0)
    }

    fn columns(&self, root: &Area, labels: &[Vec<String>], tick_w: i32) -> Result<(), ChartError> {
        let n = self.data.categories.len();
        let label_h = 8 + LABEL_LINE * labels.iter().map(Vec::len).max().unwrap_or(1) as i32;
        let chart = ChartBuilder::on(root)
            .margin_top(self.top + HEADROOM)
            .margin_bottom(PAD)
            .margin_left(PAD)
            .margin_right(PAD)
            .x_label_area_size(label_h)
            .y_label_area_size(tick_w + 8)
            .build_cartesian_2d(0f64..n as f64, 0f64..self.upper())
            .map_err(draw_err)?;
        let at = |x: f64, y: f64| chart.backend_coord(&(x, y));
        let (left, bottom) = at(0.0, 0.0);
        let right = at(n as f64, 0.0).0;

        value_axis(root, self.ticks, (left, right), |t| at(0.0, t).1)?;
        end_group(root)?;

        let slot = f64::from(right - left) / n as f64;
        let bar_w = (slot * 0.6).clamp(2.0, 56.0).round() as i32;
        let x_of = |i: usize| at(i as f64 + 0.5, 0.0).0 - bar_w / 2;
        for (s, series) in self.data.series.iter().enumerate() {
            begin_group(root, &format!("bars series-{s}"))?;
            for (i, &v) in series.values.iter().enumerate() {
                if v <= 0.0 {
                    continue;
                }
                let below: f64 = self.data.series[..s].iter().map(|p| p.values[i]).sum();
                let (y0, y1) = (at(0.0, below).1, at(0.0, below + v).1);
                // A hairline of white between stacked segments keeps them apart in grayscale.
                let y0 = if below > 0.0 && y0 - y1 >= 3 {
                    y0 - 1
                } else {
                    y0
                };
                rect(
                    root,
                    (x_of(i), y1),
                    (x_of(i) + bar_w, y0),
                    self.series_color(s),
                )?;
            }
            end_group(root)?;
        }
        line(root, (left, bottom), (right, bottom), INK, 1)?;

        let y_of = |v: f64| at(0.0, v).1;
        let x_mid = |i: usize| x_of(i) + bar_w / 2;
        self.column_values(root, &y_of, &x_mid, bar_w, slot)?;
        column_labels(root, labels, &x_mid, bottom)
    }

    /// Each column's total above it, when every total fits its slot; in a stacked chart, each
    /// segment's value on it where it fits.
    fn column_values(
        &self,
        root: &Area,
        y_of: &dyn Fn(f64) -> i32,
        x_mid: &dyn Fn(usize) -> i32,
        bar_w: i32,
        slot: f64,
    ) -> Result<(), ChartError> {
        begin_group(root, "values")?;
        let value_labels: Vec<String> = self.totals.iter().map(|v| fmt_num(*v)).collect();
        if let Some(font) = fitting_font(&value_labels, slot - 2.0) {
            for (i, label) in value_labels.iter().enumerate() {
                let y = y_of(self.totals[i]);
                text(
                    root,
                    label,
                    (x_mid(i), y - 4),
                    font,
                    HPos::Center,
                    VPos::Bottom,
                )?;
            }
        }
        if self.stacked {
            for (s, series) in self.data.series.iter().enumerate() {
                for (i, &v) in series.values.iter().enumerate() {
                    let below: f64 = self.data.series[..s].iter().map(|p| p.values[i]).sum();
                    let (y0, y1) = (y_of(below), y_of(below + v));
                    let label = fmt_num(v);
                    if v > 0.0 && y0 - y1 >= 16 && VALUE.width(&label) <= f64::from(bar_w - 4) {
                        let font = VALUE.with_color(ink_on(self.series_color(s)));
                        text(
                            root,
                            &label,
                            (x_mid(i), (y0 + y1) / 2),
                            font,
                            HPos::Center,
                            VPos::Center,
                        )?;
                    }
                }
            }
        }
        end_group(root)
    }

    fn rows(&self, root: &Area, row: i32, axis_h: i32) -> Result<(), ChartError> {
        let n = self.data.categories.len();
        let (label_w, labels) = row_labels(&self.data.categories);
        let value_labels: Vec<String> = self.totals.iter().map(|v| fmt_num(*v)).collect();
        let value_w = value_labels
            .iter()
            .map(|l| VALUE.width(l))
            .fold(0.0, f64::max);
        let last_tick_w = TICK.width(&fmt_num(self.upper())) / 2.0;
        let right = PAD + (value_w + 6.0).max(last_tick_w).ceil() as i32;
        let chart = ChartBuilder::on(root)
            .margin_top(self.top + 4)
            .margin_bottom(PAD)
            .margin_left(PAD)
            .margin_right(right)
            .x_label_area_size(axis_h)
            .y_label_area_size(label_w + 10)
            .build_cartesian_2d(0f64..self.upper(), 0f64..n as f64)
            .map_err(draw_err)?;
        let at = |x: f64, y: f64| chart.backend_coord(&(x, y));
        // Category i sits in the i-th row from the top.
        let mid = |i: usize| at(0.0, n as f64 - i as f64 - 0.5).1;
        let (left, bottom) = at(0.0, 0.0);
        let top = at(0.0, n as f64).1;

        let x_of = |v: f64| at(v, 0.0).0;
        self.row_axis(root, &x_of, (top, bottom))?;

        let thick = (f64::from(row) * 0.6).min(20.0).round() as i32;
        for (s, series) in self.data.series.iter().enumerate() {
            begin_group(root, &format!("bars series-{s}"))?;
            for (i, &v) in series.values.iter().enumerate() {
                if v <= 0.0 {
                    continue;
                }
                let before: f64 = self.data.series[..s].iter().map(|p| p.values[i]).sum();
                let (x0, x1) = (at(before, 0.0).0, at(before + v, 0.0).0);
                let x0 = if before > 0.0 && x1 - x0 >= 3 {
                    x0 + 1
                } else {
                    x0
                };
                let y = mid(i) - thick / 2;
                rect(root, (x0, y), (x1, y + thick), self.series_color(s))?;
            }
            end_group(root)?;
        }
        line(root, (left, top), (left, bottom), INK, 1)?;

        self.row_values(root, &value_labels, &x_of, &mid)?;
        row_labels_drawn(root, &labels, left, &mid)
    }

    /// The value axis under horizontal bars: ticks, and a grid line at each but zero.
    fn row_axis(
        &self,
        root: &Area,
        x_of: &dyn Fn(f64) -> i32,
        (top, bottom): (i32, i32),
    ) -> Result<(), ChartError> {
        begin_group(root, "axis")?;
        for &t in self.ticks {
            let x = x_of(t);
            if t > 0.0 {
                line(root, (x, top), (x, bottom), GRID, 1)?;
            }
            text(
                root,
                &fmt_num(t),
                (x, bottom + 5),
                TICK,
                HPos::Center,
                VPos::Top,
            )?;
        }
        end_group(root)
    }

    /// Each bar's total after it; in a stacked chart, each segment's value on it where it fits.
    fn row_values(
        &self,
        root: &Area,
        value_labels: &[String],
        x_of: &dyn Fn(f64) -> i32,
        mid: &dyn Fn(usize) -> i32,
    ) -> Result<(), ChartError> {
        begin_group(root, "values")?;
        for (i, label) in value_labels.iter().enumerate() {
            let x = x_of(self.totals[i]);
            text(
                root,
                label,
                (x + 4, mid(i)),
                VALUE,
                HPos::Left,
                VPos::Center,
            )?;
        }
        if self.stacked {
            for (s, series) in self.data.series.iter().enumerate() {
                for (i, &v) in series.values.iter().enumerate() {
                    let before: f64 = self.data.series[..s].iter().map(|p| p.values[i]).sum();
                    let (x0, x1) = (x_of(before), x_of(before + v));
                    let label = fmt_num(v);
                    if v > 0.0 && VALUE.width(&label) <= f64::from(x1 - x0 - 6) {
                        let font = VALUE.with_color(ink_on(self.series_color(s)));
                        text(
                            root,
                            &label,
                            ((x0 + x1) / 2, mid(i)),
                            font,
                            HPos::Center,
                            VPos::Center,
                        )?;
                    }
                }
            }
        }
        end_group(root)
    }
}

/// The categories under upright columns, a line each.
fn column_labels(
    root: &Area,
    labels: &[Vec<String>],
    x_mid: &dyn Fn(usize) -> i32,
    bottom: i32,
) -> Result<(), ChartError> {
    begin_group(root, "labels")?;
    for (i, lines) in labels.iter().enumerate() {
        for (k, l) in lines.iter().enumerate() {
            let y = bottom + 6 + LABEL_LINE * k as i32;
            text(root, l, (x_mid(i), y), LABEL, HPos::Center, VPos::Top)?;
        }
    }
    end_group(root)
}

/// The categories left of horizontal bars (rows, progress), right-aligned to the axis at `left`.
fn row_labels_drawn(
    root: &Area,
    labels: &[String],
    left: i32,
    mid: &dyn Fn(usize) -> i32,
) -> Result<(), ChartError> {
    begin_group(root, "labels")?;
    for (i, l) in labels.iter().enumerate() {
        text(
            root,
            l,
            (left - 8, mid(i)),
            LABEL,
            HPos::Right,
            VPos::Center,
        )?;
    }
    end_group(root)
}

/// Labels for the left of horizontal rows: cut to at most 40% of the width;
/// returns the width they need.
fn row_labels(categories: &[String]) -> (i32, Vec<String>) {
    let max_w = f64::from(WIDTH) * 0.4;
    let labels: Vec<String> = categories
        .iter()
        .map(|c| truncate(c, LABEL.px, max_w))
        .collect();
    let w = labels
        .iter()
        .map(|l| LABEL.width(l))
        .fold(0.0, f64::max)
        .ceil() as i32;
    (w, labels)
}

/// The value-label font if every label fits `room`, stepping down once.
fn fitting_font(labels: &[String], room: f64) -> Option<Font> {
    [VALUE, Font { px: 10.0, ..VALUE }]
        .into_iter()
        .find(|f| labels.iter().all(|l| f.width(l) <= room))
}

/// Draws a progress chart: one bar per target against a 100% mark, drawn
/// up to 120% at most while the label gives the real figure.
pub(super) fn draw_progress(data: &ChartData) -> Result<Drawn, ChartError> {
    const CAP: f64 = 120.0;
    const PROGRESS_ROW: i32 = 32;
    let values = data
        .series
        .first()
        .map(|s| s.values.as_slice())
        .unwrap_or_default();
    let n = data.categories.len();
    let scale = if values.iter().any(|&v| v > 100.0) {
        CAP
    } else {
        100.0
    };
    let title = Title::new(&data.title);
    let mark_room = 20;
    let top = title.height() + mark_room;
    let size = (WIDTH, (top + PROGRESS_ROW * n as i32 + PAD) as u32);
    let (label_w, labels) = row_labels(&data.categories);
    let pct: Vec<String> = values.iter().map(|v| fmt_pct(*v)).collect();
    let pct_w = pct
        .iter()
        .map(|l| VALUE.width(l))
        .fold(0.0, f64::max)
        .ceil() as i32;

    let raw = canvas(size, |root| {
        title.draw(root)?;
        let chart = ChartBuilder::on(root)
            .margin_top(top)
            .margin_bottom(PAD)
            .margin_left(PAD)
            .margin_right(PAD + pct_w + 6)
            .y_label_area_size(label_w + 10)
            .build_cartesian_2d(0f64..scale, 0f64..n as f64)
            .map_err(draw_err)?;
        let at = |x: f64, y: f64| chart.backend_coord(&(x, y));
        let mid = |i: usize| at(0.0, n as f64 - i as f64 - 0.5).1;

        let x_of = |v: f64| at(v, 0.0).0;
        progress_bars(root, values, scale, &x_of, &mid)?;

        let (mark_x, plot_top) = at(100.0, n as f64);
        let plot_bottom = at(0.0, 0.0).1;
        begin_group(root, "target")?;
        line(root, (mark_x, plot_top - 4), (mark_x, plot_bottom), INK, 1)?;
        text(
            root,
            "100%",
            (mark_x, plot_top - 6),
            TICK,
            HPos::Center,
            VPos::Bottom,
        )?;
        end_group(root)?;

        begin_group(root, "values")?;
        for (i, (&v, label)) in values.iter().zip(&pct).enumerate() {
            let x = at(v.min(scale), 0.0).0;
            text(
                root,
                label,
                (x + 5, mid(i)),
                VALUE,
                HPos::Left,
                VPos::Center,
            )?;
        }
        end_group(root)?;

        row_labels_drawn(root, &labels, at(0.0, 0.0).0, &mid)
    })?;
    Ok(Drawn { raw, size })
}

/// Progress bars: a track to 100% for each, the bar up to 100%, what is beyond it in a lighter
/// shade, and a break in a bar cut at the cap (`scale`).
fn progress_bars(
    root: &Area,
    values: &[f64],
    scale: f64,
    x_of: &dyn Fn(f64) -> i32,
    mid: &dyn Fn(usize) -> i32,
) -> Result<(), ChartError> {
    const OVER: RGBColor = PALETTE[3]; // light red
    const THICK: i32 = 14;
    let (zero, full) = (x_of(0.0), x_of(100.0));
    begin_group(root, "tracks")?;
    for i in 0..values.len() {
        let y = mid(i) - THICK / 2;
        rect(root, (zero, y), (full, y + THICK), TRACK)?;
    }
    end_group(root)?;
    begin_group(root, "bars series-0")?;
    for (i, &v) in values.iter().enumerate() {
        if v > 0.0 {
            let y = mid(i) - THICK / 2;
            rect(root, (zero, y), (x_of(v.min(100.0)), y + THICK), ACCENT)?;
        }
    }
    end_group(root)?;
    begin_group(root, "bars over")?;
    for (i, &v) in values.iter().enumerate() {
        if v > 100.0 {
            let y = mid(i) - THICK / 2;
            let end = x_of(v.min(scale));
            rect(root, (full, y), (end, y + THICK), OVER)?;
            if v > scale {
                rect(root, (end - 12, y - 2), (end - 9, y + THICK + 2), WHITE)?;
            }
        }
    }
    end_group(root)
}
