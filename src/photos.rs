//! The photo stage: the photos narratives show → processed copies for the web and for print.
//!
//! Takes the loaded [`Site`] (which knows each photo's upright size from its header) and the
//! photos the rendered narratives use; gives the web sizes as output files and the
//! print-quality copy of each. A copy is turned upright by the EXIF orientation, resized
//! (never up), and encoded anew as JPEG, which keeps no metadata at all: GPS position, camera
//! and time stay behind with the original, which is never published.
//!
//! Copies are cached in `.jianbao-cache/photos/` under the hash of the original's content and
//! of the settings below, so a rebuild processes nothing that did not change; the originals are
//! read here, and only on a cache miss (reading every original in load would cost a rebuild
//! the time the cache saves). Photos are processed in parallel.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::time::{Duration, Instant};

use fast_image_resize as fir;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, RgbImage};
use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::load::media::{decoder, probe, swaps_sides, CACHE_DIR};
use crate::model::{MediaFile, PhotoInfo, Site};
use crate::paths;
use crate::write::OutFile;

/// The widths of the web copies, in pixels: phone, column, wide screen (and print).
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
/// No copy is larger than this on either side.
pub const MAX_SIDE: u32 = 2400;
/// JPEG quality of the copies: a 12-megapixel photo's 1600 px copy stays well under 400 KB.
pub const QUALITY: u8 = 80;
/// Changes whenever a setting or the processing changes, so old cached copies are not used.
const SETTINGS: &str = "v2|480,960,1600|2400|q80 4:2:0 jpeg-encoder|fir bilinear|white";

/// The sizes (width, height) of the web copies of a photo of upright size `w`×`h`, smallest
/// first: each of [`WIDTHS`] the photo is wider than, or the photo's own width when it is
/// narrower than the largest; none above [`MAX_SIDE`] on either side, none upscaled.
pub fn sizes(w: u32, h: u32) -> Vec<(u32, u32)> {
    let (w, h) = (w.max(1), h.max(1));
    // The width at which the height reaches MAX_SIDE (a tall panorama).
    let cap = (u64::from(MAX_SIDE) * u64::from(w) / u64::from(h)).max(1) as u32;
    let mut out: Vec<(u32, u32)> = Vec::new();
    for target in WIDTHS.iter().copied().chain([w]) {
        let tw = target.min(w).min(cap).min(MAX_SIDE);
        let th = ((u64::from(h) * u64::from(tw) + u64::from(w) / 2) / u64::from(w)).max(1) as u32;
        if !out.iter().any(|&(x, _)| x == tw) {
            out.push((tw, th));
        }
    }
    out.sort_unstable();
    // The photo's own width is a size only when it is below the largest width.
    while out.len() > WIDTHS.len() {
        out.pop();
    }
    out
}

/// The output path of the copy `width` px wide of the photo at `key` (its path under
/// `content/`): `photos/<folder>/<name>-<width>.jpg`.
pub fn copy_path(key: &str, width: u32) -> String {
    paths::photo_copy(key, width)
}

/// One photo's copies: its key, the web copies, the print copy, whether it was made (not
/// found in the cache).
type Copies = (String, Vec<OutFile>, Arc<[u8]>, bool);

/// The processed copies of the photos of a build.
#[derive(Debug, Default, Clone)]
pub struct Processed {
    /// The web copies, as output files.
    pub files: Vec<OutFile>,
    /// The path of each web copy → the photo's print-quality copy (JPEG bytes), for print
    /// pages, which embed it instead.
    pub print: HashMap<String, Arc<[u8]>>,
    /// How many photos were processed (not found in the cache).
    pub made: usize,
}

/// Processes the photos `used` (keys of [`Site::media`]) in parallel, from the cache where it
/// has them, and saves the stat index of every photo so the next load need not read them.
pub fn process(site: &Site, used: &[String]) -> Result<Processed, Vec<Diagnostic>> {
    // A site without photos gets no cache folder: a build writes in its site only for photos.
    if !site.media.values().any(|m| m.photo.is_some()) {
        return Ok(Processed::default());
    }
    let cache = site.root.join(CACHE_DIR).join("photos");
    // A cache that cannot be made costs speed, not correctness.
    let _ = std::fs::create_dir_all(&cache);
    let results: Vec<Result<Copies, Diagnostic>> = used
        .par_iter()
        .filter_map(|key| site.media.get(key).map(|m| (key, m)))
        .filter_map(|(key, m)| m.photo.as_ref().map(|p| (key, m, p)))
        .map(|(key, m, p)| one(site, &cache, key, m, p))
        .collect();
    let mut out = Processed::default();
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok((_, files, print, made)) => {
                for f in &files {
                    out.print.insert(f.path.clone(), print.clone());
                }
                out.files.extend(files);
                out.made += usize::from(made);
            }
            Err(d) => diags.push(d),
        }
    }
    crate::load::media::save_index(site);
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// The photo `key` of `site` read again after its file changed (under `serve`): its new
/// upright size and its copies, from the cache or made. `Err` when it cannot be read or
/// decoded (a full rebuild then reports it).
pub fn reprocess(site: &Site, key: &str) -> Result<(PhotoInfo, Processed), Diagnostic> {
    let old = site
        .media
        .get(key)
        .ok_or_else(|| Diagnostic::error(key, None, "not a photo of the site"))?;
    let bytes = std::fs::read(site.root.join(&old.rel))
        .map_err(|e| Diagnostic::error(&old.rel, None, format!("cannot read: {e}")))?;
    let info = probe(&bytes).map_err(|e| Diagnostic::error(&old.rel, None, e))?;
    let m = MediaFile {
        hash: xxhash_rust::xxh3::xxh3_128(&bytes),
        photo: Some(info),
        ..old.clone()
    };
    let cache = site.root.join(CACHE_DIR).join("photos");
    let _ = std::fs::create_dir_all(&cache);
    let (_, files, print, made) = one(site, &cache, key, &m, &info)?;
    let print = files
        .iter()
        .map(|f| (f.path.clone(), print.clone()))
        .collect();
    Ok((
        info,
        Processed {
            files,
            print,
            made: usize::from(made),
        },
    ))
}

/// The copies of one photo: from the cache, or made and cached.
fn one(
    site: &Site,
    cache: &Path,
    key: &str,
    m: &MediaFile,
    p: &PhotoInfo,
) -> Result<Copies, Diagnostic> {
    let sizes = sizes(p.width, p.height);
    let settings = xxhash_rust::xxh3::xxh3_64(SETTINGS.as_bytes());
    let name =
        |w: u32| -> PathBuf { cache.join(format!("{:032x}-{settings:016x}-{w}.jpg", m.hash)) };
    let cached: Option<Vec<Vec<u8>>> = sizes
        .iter()
        .map(|&(w, _)| std::fs::read(name(w)).ok())
        .collect();
    let (copies, made) = match cached {
        Some(c) => (c, false),
        None => {
            let abs = site.root.join(&m.rel);
            let bytes = std::fs::read(&abs)
                .map_err(|e| Diagnostic::error(&m.rel, None, format!("cannot read: {e}")))?;
            let copies = make_copies(&bytes, &sizes).map_err(|e| {
                Diagnostic::error(&m.rel, None, format!("cannot process this photo: {e}"))
            })?;
            for (&(w, _), c) in sizes.iter().zip(&copies) {
                // Written aside and renamed, so a killed build leaves no half file in the cache.
                let tmp = cache.join(format!(".{:032x}-{w}.{}.tmp", m.hash, std::process::id()));
                if std::fs::write(&tmp, c).is_ok() {
                    let _ = std::fs::rename(&tmp, name(w));
                }
            }
            (copies, true)
        }
    };
    let print: Arc<[u8]> = copies
        .last()
        .map(|c| c.as_slice().into())
        .unwrap_or_else(|| Arc::from(&[][..]));
    let files = sizes
        .iter()
        .zip(copies)
        .map(|(&(w, _), bytes)| OutFile {
            path: copy_path(key, w),
            bytes,
        })
        .collect();
    Ok((key.to_string(), files, print, made))
}

/// How long each step of making a photo's copies took (for the benchmark).
#[derive(Debug, Default, Clone, Copy)]
pub struct Steps {
    /// Reading the file into pixels (RGB, transparency laid over white).
    pub decode: Duration,
    /// Turning the copies upright.
    pub orient: Duration,
    /// Resizing, each copy from the next larger one.
    pub resize: Duration,
    /// Encoding the copies as JPEG.
    pub encode: Duration,
}

/// Decodes a photo, turns it upright and makes one JPEG of each size (as [`sizes`] gives,
/// smallest first).
pub fn make_copies(bytes: &[u8], sizes: &[(u32, u32)]) -> Result<Vec<Vec<u8>>, String> {
    make_copies_timed(bytes, sizes).map(|(copies, _)| copies)
}

/// [`make_copies`], with the time each step took.
///
/// Each copy is resized from the next larger one, which costs a fraction of resizing the
/// original each time and looks the same at these ratios; copies are resized as the photo is
/// stored and turned upright after, so the 12-megapixel original is never turned.
pub fn make_copies_timed(
    bytes: &[u8],
    sizes: &[(u32, u32)],
) -> Result<(Vec<Vec<u8>>, Steps), String> {
    let mut steps = Steps::default();
    let t = Instant::now();
    let mut decoder = decoder(bytes)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    let mut current = flatten(img);
    steps.decode = t.elapsed();
    let turned = swaps_sides(orientation);
    let mut out = Vec::with_capacity(sizes.len());
    for &(tw, th) in sizes.iter().rev() {
        let (sw, sh) = if turned { (th, tw) } else { (tw, th) };
        let t = Instant::now();
        if current.dimensions() != (sw, sh) {
            current = resize(&current, sw, sh, FILTER)?;
        }
        steps.resize += t.elapsed();
        let t = Instant::now();
        let upright = upright(&current, orientation);
        steps.orient += t.elapsed();
        let t = Instant::now();
        out.push(encode(upright.as_ref().unwrap_or(&current))?);
        steps.encode += t.elapsed();
    }
    out.reverse();
    Ok((out, steps))
}

/// The resize filter of the copies: bilinear (triangle), as the copies were made before, so
/// they look as they did. With SIMD the filter hardly matters to the budget (12 MP, all sizes:
/// bilinear 15 ms, Catmull-Rom 16 ms, Lanczos3 23 ms in `benches/photos.rs`).
pub const FILTER: fir::FilterType = fir::FilterType::Bilinear;

/// `src` resized to `w`×`h` with `filter` (SIMD where the processor has it).
pub fn resize(src: &RgbImage, w: u32, h: u32, filter: fir::FilterType) -> Result<RgbImage, String> {
    let from = fir::images::ImageRef::new(
        src.width(),
        src.height(),
        src.as_raw(),
        fir::PixelType::U8x3,
    )
    .map_err(|e| e.to_string())?;
    let mut to = fir::images::Image::new(w, h, fir::PixelType::U8x3);
    let opts = fir::ResizeOptions::new().resize_alg(fir::ResizeAlg::Convolution(filter));
    fir::Resizer::new()
        .resize(&from, &mut to, &opts)
        .map_err(|e| e.to_string())?;
    RgbImage::from_raw(w, h, to.into_vec()).ok_or_else(|| "resized buffer of a wrong size".into())
}

/// `img` turned upright by `o`; `None` when it already is.
fn upright(img: &RgbImage, o: Orientation) -> Option<RgbImage> {
    if o == Orientation::NoTransforms {
        return None;
    }
    let mut d = DynamicImage::ImageRgb8(img.clone());
    d.apply_orientation(o);
    Some(d.into_rgb8())
}

/// RGB, with any transparency laid over white (a newspaper page's colour).
fn flatten(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    let mut rgb = RgbImage::new(rgba.width(), rgba.height());
    for (d, s) in rgb.pixels_mut().zip(rgba.pixels()) {
        let a = u32::from(s[3]);
        for c in 0..3 {
            d[c] = ((u32::from(s[c]) * a + 255 * (255 - a) + 127) / 255) as u8;
        }
    }
    rgb
}

/// A baseline JPEG of `img` at [`QUALITY`], chroma subsampled 4:2:0 (the encoder's choice
/// below quality 90, as cameras do), with no metadata segment (the encoder writes only JFIF).
pub fn encode(img: &RgbImage) -> Result<Vec<u8>, String> {
    let too_big = || format!("{}×{} is too large for a JPEG", img.width(), img.height());
    let w = u16::try_from(img.width()).map_err(|_| too_big())?;
    let h = u16::try_from(img.height()).map_err(|_| too_big())?;
    let mut buf = Vec::new();
    jpeg_encoder::Encoder::new(&mut buf, QUALITY)
        .encode(img.as_raw(), w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| e.to_string())?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn sizes_never_upscale_nor_pass_the_cap() {
        assert_eq!(
            sizes(4000, 3000),
            vec![(480, 360), (960, 720), (1600, 1200)]
        );
        assert_eq!(sizes(800, 600), vec![(480, 360), (800, 600)]);
        assert_eq!(sizes(300, 200), vec![(300, 200)]);
        // A tall strip: no copy taller than MAX_SIDE.
        for (w, h) in sizes(1000, 8000) {
            assert!(h <= MAX_SIDE && w <= 1000, "{w}×{h}");
        }
        assert_eq!(sizes(3000, 4000).last(), Some(&(1600, 2133)));
    }

    #[test]
    fn copies_are_upright_jpegs_without_metadata() {
        let img = image::RgbImage::from_fn(640, 480, |x, y| {
            image::Rgb([(x / 3) as u8, (y / 2) as u8, 90])
        });
        let mut png = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap(); // ok: an encoder writing into memory
        let info = probe(&png).unwrap(); // ok: the image made above
        assert_eq!((info.width, info.height), (640, 480));
        let s = sizes(640, 480);
        let copies = make_copies(&png, &s).unwrap(); // ok: the image made above
        assert_eq!(copies.len(), 2);
        for (c, &(w, h)) in copies.iter().zip(&s) {
            assert_eq!(&c[..2], b"\xFF\xD8");
            assert!(!c.windows(2).any(|x| x == b"\xFF\xE1"), "an APP1 segment");
            let d = image::load_from_memory(c).unwrap(); // ok: just encoded
            assert_eq!((d.width(), d.height()), (w, h));
        }
    }
}
