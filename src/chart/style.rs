//! The newspaper look shared by every chart: palette, type sizes, title,
//! legend, axis ticks, and the small drawing helpers around plotters.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::svg::MARK;
use super::text::{text_width, truncate, wrap};
use super::ChartError;

/// The drawing surface every chart draws on.
pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Width of every chart's viewBox: a newspaper column, and A4 text width at 96 dpi.
pub(super) const WIDTH: u32 = 640;
/// Height of the vertical charts' viewBox.
pub(super) const HEIGHT: u32 = 360;
/// Outer padding.
pub(super) const PAD: i32 = 8;

/// Fills in lightness order chosen so that neighbours stay apart when
/// printed in grayscale (luma ≈ 60, 208, 112, 167, 38, 218): the common
/// two to four series never pair dark red with black. Each takes a label in
/// white or ink at WCAG AA contrast (4.5:1) or more.
pub(super) const PALETTE: [RGBColor; 6] = [
    RGBColor(0x8B, 0x1A, 0x1A), // dark red
    RGBColor(0xD0, 0xD0, 0xD0), // light gray
    RGBColor(0x70, 0x70, 0x70), // mid gray
    RGBColor(0xE0, 0x90, 0x8F), // light red
    RGBColor(0x26, 0x26, 0x26), // near black
    RGBColor(0xF4, 0xCF, 0xCF), // pale red
];
/// Fill of single-series bars and the line.
pub(super) const ACCENT: RGBColor = PALETTE[0];
pub(super) const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
pub(super) const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub(super) const GRID: RGBColor = RGBColor(0xE0, 0xE0, 0xE0);
pub(super) const TRACK: RGBColor = RGBColor(0xEB, 0xEB, 0xEB);

/// A type size and colour; sizes are in viewBox px.
#[derive(Clone, Copy)]
pub(super) struct Font {
    pub px: f64,
    pub color: RGBColor,
    pub bold: bool,
}

pub(super) const TITLE: Font = Font {
    px: 16.0,
    color: INK,
    bold: true,
};
pub(super) const LABEL: Font = Font {
    px: 13.0,
    color: INK,
    bold: false,
};
pub(super) const TICK: Font = Font {
    px: 12.0,
    color: MUTED,
    bold: false,
};
pub(super) const VALUE: Font = Font {
    px: 12.0,
    color: INK,
    bold: false,
};

impl Font {
    pub(super) fn with_color(self, color: RGBColor) -> Font {
        Font { color, ..self }
    }

    pub(super) fn width(&self, s: &str) -> f64 {
        text_width(s, self.px)
    }

    fn style(&self, h: HPos, v: VPos) -> TextStyle<'static> {
        let weight = if self.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        // The SVG backend writes font-size as size / 1.24 (its pt-to-px guess).
        FontDesc::new(FontFamily::Serif, self.px * 1.24, weight)
            .color(&self.color)
            .pos(Pos::new(h, v))
    }
}

/// Maps any plotters error into ours.
pub(super) fn draw_err(e: impl std::fmt::Display) -> ChartError {
    ChartError(format!("drawing failed: {e}"))
}

/// Draws one line of text anchored at `at`.
pub(super) fn text(
    area: &Area,
    s: &str,
    at: (i32, i32),
    font: Font,
    h: HPos,
    v: VPos,
) -> Result<(), ChartError> {
    area.draw(&Text::new(s, at, font.style(h, v)))
        .map_err(draw_err)
}

/// Draws a filled rectangle between two pixel corners.
pub(super) fn rect(
    area: &Area,
    a: (i32, i32),
    b: (i32, i32),
    color: RGBColor,
) -> Result<(), ChartError> {
    area.draw(&Rectangle::new([a, b], color.filled()))
        .map_err(draw_err)
}

/// Draws a straight line between two pixel points.
pub(super) fn line(
    area: &Area,
    a: (i32, i32),
    b: (i32, i32),
    color: RGBColor,
    width: u32,
) -> Result<(), ChartError> {
    area.draw(&PathElement::new(vec![a, b], color.stroke_width(width)))
        .map_err(draw_err)
}

/// The value axis of bar and line charts: a light grid line at each tick above zero and the
/// tick's number at the left, in an `axis` group (left open for the caller's base line).
pub(super) fn value_axis(
    area: &Area,
    ticks: &[f64],
    (left, right): (i32, i32),
    y_of: impl Fn(f64) -> i32,
) -> Result<(), ChartError> {
    begin_group(area, "axis")?;
    for &t in ticks {
        let y = y_of(t);
        if t > 0.0 {
            line(area, (left, y), (right, y), GRID, 1)?;
        }
        text(
            area,
            &super::text::fmt_num(t),
            (left - 6, y),
            TICK,
            HPos::Right,
            VPos::Center,
        )?;
    }
    Ok(())
}

/// Opens an SVG group `<g class="…">` (see `svg::finish`); close with [`end_group`].
pub(super) fn begin_group(area: &Area, class: &str) -> Result<(), ChartError> {
    text(
        area,
        &format!("{MARK}{class}"),
        (0, 0),
        TICK,
        HPos::Left,
        VPos::Top,
    )
}

/// Closes the group opened last.
pub(super) fn end_group(area: &Area) -> Result<(), ChartError> {
    text(area, &MARK.to_string(), (0, 0), TICK, HPos::Left, VPos::Top)
}

/// Text on a fill: white or ink, whichever stands out more.
pub(super) fn ink_on(fill: RGBColor) -> RGBColor {
    if contrast(WHITE, fill) >= contrast(INK, fill) {
        WHITE
    } else {
        INK
    }
}

/// The WCAG contrast ratio of two colours (1 to 21).
pub(super) fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// WCAG relative luminance.
fn luminance(c: RGBColor) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// The chart title, at most two lines across the full width.
pub(super) struct Title {
    lines: Vec<String>,
}

const TITLE_LINE: i32 = 22;

impl Title {
    pub(super) fn new(title: &str) -> Title {
        let max_w = f64::from(WIDTH as i32 - 2 * PAD);
        let lines = if title.is_empty() {
            Vec::new()
        } else {
            wrap(title, TITLE.px, max_w, 2)
        };
        Title { lines }
    }

    /// Height taken from the top of the chart, padding included.
    pub(super) fn height(&self) -> i32 {
        PAD + TITLE_LINE * self.lines.len() as i32 + 6
    }

    pub(super) fn draw(&self, area: &Area) -> Result<(), ChartError> {
        for (i, l) in self.lines.iter().enumerate() {
            text(
                area,
                l,
                (PAD, PAD + TITLE_LINE * i as i32),
                TITLE,
                HPos::Left,
                VPos::Top,
            )?;
        }
        Ok(())
    }
}

/// A legend laid out in rows across the chart: swatch, then name.
pub(super) struct Legend {
    items: Vec<(i32, i32, String, RGBColor)>, // x, row, name, colour
    rows: i32,
}

const SWATCH: i32 = 12;
const LEGEND_ROW: i32 = 20;

impl Legend {
    pub(super) fn new(names: &[String]) -> Legend {
        let max_x = WIDTH as i32 - PAD;
        let max_name = f64::from(max_x - PAD - SWATCH - 5);
        let mut items = Vec::new();
        let (mut x, mut row) = (PAD, 0);
        for (i, name) in names.iter().enumerate() {
            let name = truncate(name, LABEL.px, max_name);
            let w = SWATCH + 5 + LABEL.width(&name).ceil() as i32;
            if x > PAD && x + w > max_x {
                x = PAD;
                row += 1;
            }
            items.push((x, row, name, PALETTE[i % PALETTE.len()]));
            x += w + 16;
        }
        let rows = if items.is_empty() { 0 } else { row + 1 };
        Legend { items, rows }
    }

    pub(super) fn height(&self) -> i32 {
        LEGEND_ROW * self.rows + if self.rows > 0 { 4 } else { 0 }
    }

    pub(super) fn draw(&self, area: &Area, top: i32) -> Result<(), ChartError> {
        begin_group(area, "legend")?;
        for (x, row, name, color) in &self.items {
            let mid = top + row * LEGEND_ROW + LEGEND_ROW / 2;
            rect(
                area,
                (*x, mid - SWATCH / 2),
                (x + SWATCH, mid + SWATCH / 2),
                *color,
            )?;
            text(
                area,
                name,
                (x + SWATCH + 5, mid),
                LABEL,
                HPos::Left,
                VPos::Center,
            )?;
        }
        end_group(area)
    }
}

/// Axis ticks from 0 to at least `max` in steps of 1, 2, 2.5 or 5 × 10ⁿ,
/// about five of them; whole steps only when the data are whole numbers.
pub(super) fn ticks(max: f64, whole: bool) -> Vec<f64> {
    let max = if max > 0.0 { max } else { 1.0 };
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let mut steps = vec![1.0, 2.0, 5.0, 10.0];
    if mag >= 10.0 {
        steps.insert(2, 2.5); // 25, 250 … read well; 2.5 does not for counts
    }
    let mut step = steps
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    if whole {
        step = step.max(1.0);
    }
    let n = ((max / step) - 1e-9).ceil().max(1.0) as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_data() {
        assert_eq!(
            ticks(11716.0, true),
            vec![0.0, 2500.0, 5000.0, 7500.0, 10000.0, 12500.0]
        );
        assert_eq!(ticks(5.0, true), vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(ticks(3.0, true), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(ticks(0.0, true), vec![0.0, 1.0]);
        assert_eq!(ticks(1e15, true).len(), 6);
    }

    #[test]
    fn labels_on_every_fill_pass_aa() {
        for c in PALETTE {
            let ratio = contrast(ink_on(c), c);
            assert!(ratio >= 4.5, "{c:?}: {ratio:.2}");
        }
        for fg in [INK, MUTED] {
            assert!(contrast(fg, WHITE) >= 4.5);
        }
        assert!((contrast(WHITE, RGBColor(0x7A, 0x7A, 0x7A)) - 4.29).abs() < 0.01);
    }

    #[test]
    fn palette_is_apart_in_grayscale() {
        let luma =
            |c: RGBColor| 0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2);
        for i in 0..PALETTE.len() {
            let (a, b) = (PALETTE[i], PALETTE[(i + 1) % PALETTE.len()]);
            assert!((luma(a) - luma(b)).abs() > 40.0, "{i}");
        }
    }
}
