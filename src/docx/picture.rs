//! Charts as pictures: the chart's SVG drawn to PNG by resvg, with the system's fonts so its
//! Chinese labels come out as on the page.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

/// The picture's width in pixels: the type area (156 mm) at about 200 dpi, sharp in print.
const WIDTH_PX: f32 = 1240.0;

/// A PNG of a chart, with its size in pixels.
pub(super) struct Png {
    pub(super) bytes: Vec<u8>,
    pub(super) width: u32,
    pub(super) height: u32,
}

/// The system's fonts, loaded once a run and only when a chart is drawn (mapped, not read:
/// a machine with Noto CJK has hundreds of megabytes of them).
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let _span = crate::trace::span("docx: fonts");
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            // Generic families as a Chinese reader's browser resolves them.
            db.set_sans_serif_family("Noto Sans CJK SC");
            db.set_serif_family("Noto Serif CJK SC");
            Arc::new(db)
        })
        .clone()
}

/// Draws `svg` to a PNG about [`WIDTH_PX`] wide on white.
pub(super) fn chart_png(svg: &str) -> Result<Png, String> {
    let opt = usvg::Options {
        fontdb: fonts(),
        font_family: "Noto Sans CJK SC".into(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| e.to_string())?;
    let size = tree.size();
    if !(size.width() > 0.0 && size.height() > 0.0) {
        return Err("the chart has no size".into());
    }
    let scale = WIDTH_PX / size.width();
    let width = WIDTH_PX.round() as u32;
    // Bounded: a chart is wider than tall, and the height is at most 4 widths.
    let height = ((size.height() * scale).round() as u32).clamp(1, 4 * width);
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or("cannot make the picture")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let bytes = pixmap.encode_png().map_err(|e| e.to_string())?;
    Ok(Png {
        bytes,
        width,
        height,
    })
}

/// The pixel size of a PNG or JPEG, from its header.
pub(super) fn image_size(b: &[u8]) -> Option<(u32, u32)> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") && b.len() >= 24 {
        let w = u32::from_be_bytes(b[16..20].try_into().ok()?);
        let h = u32::from_be_bytes(b[20..24].try_into().ok()?);
        return (w > 0 && h > 0).then_some((w, h));
    }
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    // JPEG: walk the segments to the frame header (SOF0..SOF15 but DHT, JPG, DAC).
    let mut i = 2;
    while i + 9 < b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            let h = u16::from_be_bytes([b[i + 5], b[i + 6]]) as u32;
            let w = u16::from_be_bytes([b[i + 7], b[i + 8]]) as u32;
            return (w > 0 && h > 0).then_some((w, h));
        }
        i += 2 + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_with_chinese_text_is_drawn() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100"><rect x="10" y="10" width="50" height="80" fill="#c00"/><text x="80" y="50" font-size="20">走访群众</text></svg>"##;
        let png = chart_png(svg).unwrap();
        assert_eq!(png.width, WIDTH_PX as u32);
        assert_eq!(png.height, 620);
        assert_eq!(image_size(&png.bytes), Some((png.width, png.height)));
        assert_eq!(chart_png(svg).unwrap().bytes, png.bytes, "same bytes");
    }

    #[test]
    fn bad_svg_is_an_error() {
        assert!(chart_png("<svg").is_err());
        assert!(image_size(b"GIF89a").is_none());
    }
}
