//! The pie chart: each category's share, with percentages and a legend.

use std::f64::consts::PI;

use plotters::element::Pie;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{
    begin_group, draw_err, end_group, ink_on, line, rect, text, Area, Title, GRID, HEIGHT, LABEL,
    MUTED, PAD, PALETTE, VALUE, WIDTH,
};
use super::text::{fmt_num, fmt_pct, truncate};
use super::{canvas, ChartData, ChartError, Drawn};

/// Shares below this get no label on the slice (the legend has them).
const MIN_LABELLED_SHARE: f64 = 0.05;
const LEGEND_ROW: i32 = 24;

/// What the pie shows: at most one slice per palette colour, the smallest
/// categories folded into 其他 beyond that.
fn slices(categories: &[String], values: &[f64], other: &str) -> Vec<(String, f64)> {
    let all: Vec<(String, f64)> = categories
        .iter()
        .cloned()
        .zip(values.iter().copied())
        .collect();
    if all.len() <= PALETTE.len() {
        return all;
    }
    let mut order: Vec<usize> = (0..all.len()).collect();
    // Stable sort: equal values keep the caller's order.
    order.sort_by(|&a, &b| all[b].1.total_cmp(&all[a].1));
    let keep = &order[..PALETTE.len() - 1];
    let mut shown: Vec<(String, f64)> = (0..all.len())
        .filter(|i| keep.contains(i))
        .map(|i| all[i].clone())
        .collect();
    let rest: f64 = (0..all.len())
        .filter(|i| !keep.contains(i))
        .map(|i| all[i].1)
        .sum();
    shown.push((other.to_string(), rest));
    shown
}

/// Draws the pie chart.
pub(super) fn draw(data: &ChartData) -> Result<Drawn, ChartError> {
    let values = data
        .series
        .first()
        .map(|s| s.values.as_slice())
        .unwrap_or_default();
    let slices = slices(&data.categories, values, data.lang.pick("其他", "Other"));
    let title = Title::new(&data.title);
    let size = (WIDTH, HEIGHT);
    let top = title.height();
    let radius = ((HEIGHT as i32 - top - PAD) / 2 - 8).min(120);
    let pie = Disc {
        center: (PAD + 16 + radius, top + (HEIGHT as i32 - top - PAD) / 2),
        radius,
        total: slices.iter().map(|s| s.1).sum(),
    };
    let legend = Legend::new(data, &slices, &pie);

    let raw = canvas(size, |root| {
        title.draw(root)?;
        begin_group(root, "slices")?;
        pie.draw_slices(root, &slices)?;
        end_group(root)?;
        begin_group(root, "values")?;
        if pie.total > 0.0 {
            pie.draw_shares(root, &slices, &legend.shares)?;
        } else {
            text(
                root,
                data.lang.pick("无数据", "No data"),
                pie.center,
                VALUE.with_color(MUTED),
                HPos::Center,
                VPos::Center,
            )?;
        }
        end_group(root)?;
        begin_group(root, "legend")?;
        legend.draw(root, pie.center.1)?;
        end_group(root)
    })?;
    Ok(Drawn { raw, size })
}

/// Where the pie sits, and what its slices add up to.
struct Disc {
    center: (i32, i32),
    radius: i32,
    total: f64,
}

impl Disc {
    fn share(&self, v: f64) -> f64 {
        if self.total > 0.0 {
            v / self.total
        } else {
            0.0
        }
    }

    /// The point at `angle` (radians, clockwise from 3 o'clock), `at` pixels from the center.
    fn point(&self, angle: f64, at: f64) -> (i32, i32) {
        let (sin, cos) = angle.sin_cos();
        (
            self.center.0 + (at * cos).round() as i32,
            self.center.1 + (at * sin).round() as i32,
        )
    }

    /// The slices from 12 o'clock, clockwise; an empty circle when all are zero.
    fn draw_slices(&self, root: &Area, slices: &[(String, f64)]) -> Result<(), ChartError> {
        if self.total <= 0.0 {
            return root
                .draw(&Circle::new(self.center, self.radius, GRID.stroke_width(1)))
                .map_err(draw_err);
        }
        let drawn: Vec<usize> = (0..slices.len()).filter(|&i| slices[i].1 > 0.0).collect();
        let sizes: Vec<f64> = drawn.iter().map(|&i| slices[i].1).collect();
        let colors: Vec<RGBColor> = drawn.iter().map(|&i| PALETTE[i % PALETTE.len()]).collect();
        let no_labels = vec![""; drawn.len()];
        let r = f64::from(self.radius);
        let mut pie = Pie::new(&self.center, &r, &sizes, &colors, &no_labels);
        pie.start_angle(-90.0);
        pie.label_style(("serif", 1.0).into_font().color(&TRANSPARENT));
        root.draw(&pie).map_err(draw_err)
    }

    /// White spokes between slices, and each share large enough on its slice.
    fn draw_shares(
        &self,
        root: &Area,
        slices: &[(String, f64)],
        labels: &[String],
    ) -> Result<(), ChartError> {
        let r = f64::from(self.radius);
        let drawn = slices.iter().filter(|s| s.1 > 0.0).count();
        let mut angle = -PI / 2.0;
        for (i, s) in slices.iter().enumerate().filter(|(_, s)| s.1 > 0.0) {
            let sweep = self.share(s.1) * 2.0 * PI;
            if drawn > 1 {
                line(root, self.center, self.point(angle, r), WHITE, 2)?;
            }
            if self.share(s.1) >= MIN_LABELLED_SHARE {
                let font = VALUE.with_color(ink_on(PALETTE[i % PALETTE.len()]));
                let at = self.point(angle + sweep / 2.0, r * 0.65);
                text(root, &labels[i], at, font, HPos::Center, VPos::Center)?;
            }
            angle += sweep;
        }
        Ok(())
    }
}

/// The legend beside the pie, a row per slice: swatch, name, value (right-aligned), share
/// (right-aligned).
struct Legend {
    x: i32,
    name_x: i32,
    value_right: i32,
    share_right: i32,
    names: Vec<String>,
    values: Vec<String>,
    shares: Vec<String>,
}

impl Legend {
    fn new(data: &ChartData, slices: &[(String, f64)], pie: &Disc) -> Self {
        let values: Vec<String> = slices
            .iter()
            .map(|s| format!("{}{}", fmt_num(s.1), data.unit_word))
            .collect();
        let shares: Vec<String> = slices
            .iter()
            .map(|s| fmt_pct(pie.share(s.1) * 100.0))
            .collect();
        let widest = |labels: &[String]| {
            labels
                .iter()
                .map(|l| LABEL.width(l))
                .fold(0.0, f64::max)
                .ceil() as i32
        };
        let (value_w, share_w) = (widest(&values), widest(&shares));
        let x = pie.center.0 + pie.radius + 36;
        let name_x = x + 18;
        let name_room = f64::from(WIDTH as i32 - PAD - name_x - 16 - value_w - 12 - share_w);
        let names: Vec<String> = slices
            .iter()
            .map(|s| truncate(&s.0, LABEL.px, name_room))
            .collect();
        let value_right = name_x + widest(&names) + 16 + value_w;
        Legend {
            x,
            name_x,
            value_right,
            share_right: value_right + 12 + share_w,
            names,
            values,
            shares,
        }
    }

    /// The rows, centred on `cy`.
    fn draw(&self, root: &Area, cy: i32) -> Result<(), ChartError> {
        let top = cy - LEGEND_ROW * self.names.len() as i32 / 2;
        for (i, name) in self.names.iter().enumerate() {
            let mid = top + LEGEND_ROW * i as i32 + LEGEND_ROW / 2;
            rect(
                root,
                (self.x, mid - 6),
                (self.x + 12, mid + 6),
                PALETTE[i % PALETTE.len()],
            )?;
            text(
                root,
                name,
                (self.name_x, mid),
                LABEL,
                HPos::Left,
                VPos::Center,
            )?;
            text(
                root,
                &self.values[i],
                (self.value_right, mid),
                LABEL,
                HPos::Right,
                VPos::Center,
            )?;
            text(
                root,
                &self.shares[i],
                (self.share_right, mid),
                LABEL.with_color(MUTED),
                HPos::Right,
                VPos::Center,
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_categories_fold_into_other() {
        let cats: Vec<String> = (1..=8).map(|i| format!("单位{i}")).collect();
        let values = [5.0, 80.0, 1.0, 70.0, 60.0, 2.0, 50.0, 40.0];
        let s = slices(&cats, &values, "其他");
        assert_eq!(s.len(), PALETTE.len());
        assert_eq!(s.last(), Some(&("其他".to_string(), 8.0)));
        // The kept ones stay in the caller's order.
        let names: Vec<&str> = s.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(names, ["单位2", "单位4", "单位5", "单位7", "单位8", "其他"]);
    }
}
