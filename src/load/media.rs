//! The files narratives may point at: photos and attachments in `content/static/` and beside
//! the narratives. A photo is known by its header (upright size), an attachment beside a
//! narrative by its bytes.
//!
//! Reading every photo at every build would cost a rebuild of a site with hundreds of photos
//! far more than its pages: a photo whose length and modification time are those of the index
//! the last build saved (`.jianbao-cache/photos.idx`) is not read at all.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use image::metadata::Orientation;
use image::{ImageDecoder, ImageReader};
use rayon::prelude::*;

use super::discover::{FileKind, SourceFile};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Media, MediaFile, PhotoInfo, Site};

/// The index of photos, in the cache folder.
const INDEX: &str = "photos.idx";

/// Whether `p` names a photo jianbao processes (JPEG, PNG, WebP), by its extension.
pub fn is_photo(p: &Path) -> bool {
    matches!(
        super::discover::extension(p).as_str(),
        "jpg" | "jpeg" | "png" | "webp"
    )
}

/// Every photo and attachment of `files`, by path under `content/`.
pub(super) fn load(root: &Path, files: &[SourceFile], diags: &Diagnostics) -> Media {
    let content = root.join("content");
    let index = read_index(root);
    files
        .par_iter()
        .filter(|f| matches!(f.kind, FileKind::Static | FileKind::Beside))
        .filter_map(|f| {
            let key = f
                .abs
                .strip_prefix(&content)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let mut m = MediaFile {
                rel: f.rel.clone(),
                ..MediaFile::default()
            };
            if is_photo(&f.abs) {
                let meta = std::fs::metadata(&f.abs).ok();
                let stamp = meta.map_or((0, 0), |m| {
                    let t = m
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos());
                    (m.len(), t)
                });
                m.stamp = stamp;
                match index.get(&key).filter(|e| e.0 == stamp) {
                    Some(&(_, hash, info)) => {
                        m.hash = hash;
                        m.photo = Some(info);
                    }
                    None => match std::fs::read(&f.abs) {
                        Ok(bytes) => {
                            m.hash = xxhash_rust::xxh3::xxh3_128(&bytes);
                            match probe(&bytes) {
                                Ok(info) => m.photo = Some(info),
                                Err(e) => m.bad_photo = Some(e),
                            }
                        }
                        Err(e) => {
                            diags.push(Diagnostic::error(
                                &f.rel,
                                None,
                                format!("cannot read: {e}"),
                            ));
                            return None;
                        }
                    },
                }
            } else if f.kind == FileKind::Beside {
                match std::fs::read(&f.abs) {
                    Ok(bytes) => m.bytes = Some(Arc::from(bytes)),
                    Err(e) => {
                        diags.push(Diagnostic::error(&f.rel, None, format!("cannot read: {e}")));
                        return None;
                    }
                }
            }
            Some((key, m))
        })
        .collect()
}

/// A photo's entry in the index: stamp, content hash, header facts.
type Entry = ((u64, u128), u128, PhotoInfo);

/// The index the last build saved; empty when there is none or it cannot be read.
fn read_index(root: &Path) -> HashMap<String, Entry> {
    let Ok(text) = std::fs::read_to_string(root.join(CACHE_DIR).join(INDEX)) else {
        return HashMap::new();
    };
    text.lines()
        .filter_map(|line| {
            let mut it = line.splitn(6, '\t');
            let len = it.next()?.parse().ok()?;
            let mtime = it.next()?.parse().ok()?;
            let hash = u128::from_str_radix(it.next()?, 16).ok()?;
            let width = it.next()?.parse().ok()?;
            let height = it.next()?.parse().ok()?;
            let key = it.next()?.to_string();
            Some((key, ((len, mtime), hash, PhotoInfo { width, height })))
        })
        .collect()
}

/// Saves the index of the site's readable photos, for the next load (a build only; `check`
/// writes nothing). A failure costs the next build time, not correctness.
pub fn save_index(site: &Site) {
    let mut text = String::new();
    for (key, m) in &site.media {
        if let Some(p) = m.photo {
            if key.contains(['\t', '\n', '\r']) {
                continue;
            }
            text.push_str(&format!(
                "{}\t{}\t{:032x}\t{}\t{}\t{}\n",
                m.stamp.0, m.stamp.1, m.hash, p.width, p.height, key
            ));
        }
    }
    let dir = site.root.join(CACHE_DIR);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let tmp = dir.join(format!(".{INDEX}.{}.tmp", std::process::id()));
    if std::fs::write(&tmp, text).is_ok() {
        let _ = std::fs::rename(&tmp, dir.join(INDEX));
    }
}

/// What is wrong with the local target `target` of the narrative at `narrative`, if anything:
/// the message and a hint naming the nearest file that exists. `photo`: it must be a photo.
pub fn problem(
    media: &Media,
    narrative: &Path,
    target: &str,
    photo: bool,
) -> Option<(String, Option<String>)> {
    let Some(key) = crate::model::media_key(narrative, target) else {
        return Some((
            format!("\"{target}\" points outside content/"),
            Some("a path is relative to the narrative's folder, or to content/static/ when it starts with /; a page is @/articles/<slug>, @/campaigns/<slug> or @/issues/<number>".into()),
        ));
    };
    match media.get(&key) {
        Some(m) => {
            if let Some(e) = &m.bad_photo {
                return Some((
                    format!("\"{target}\" is not a photo jianbao can read: {e}"),
                    None,
                ));
            }
            (photo && m.photo.is_none()).then(|| {
                (
                    format!("\"{target}\" is not a photo"),
                    Some("a lead photo is a JPEG, PNG or WebP file".into()),
                )
            })
        }
        None => {
            let shown = format!("content/{key}");
            let known: Vec<String> = media.keys().map(|k| format!("content/{k}")).collect();
            let hint = crate::diag::did_you_mean(&shown, known.iter().map(String::as_str))
                .map(|h| format!("{h} (a path is relative to the narrative's folder, or to content/static/ when it starts with /)"))
                .or_else(|| Some("a path is relative to the narrative's folder, or to content/static/ when it starts with /".into()));
            Some((format!("\"{target}\" not found: no file {shown}"), hint))
        }
    }
}
/// The cache folder, in the site's root (git-ignored: `jianbao init` writes it so).
pub const CACHE_DIR: &str = ".jianbao-cache";

/// The largest original jianbao opens (pixels), against decompression bombs.
pub const MAX_PIXELS: u64 = 100_000_000;

/// A decoder of the photo in `bytes`, its header read; an error for a file that is no photo
/// jianbao reads, or one larger than [`MAX_PIXELS`].
pub fn decoder(bytes: &[u8]) -> Result<impl ImageDecoder + '_, String> {
    let decoder = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .into_decoder()
        .map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(format!(
            "{w}×{h} pixels is more than jianbao opens ({MAX_PIXELS})"
        ));
    }
    Ok(decoder)
}

/// The upright size and orientation of a photo, from its header only (no pixels decoded).
pub fn probe(bytes: &[u8]) -> Result<PhotoInfo, String> {
    let mut decoder = decoder(bytes)?;
    let (w, h) = decoder.dimensions();
    let o = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (width, height) = if swaps_sides(o) { (h, w) } else { (w, h) };
    Ok(PhotoInfo { width, height })
}

/// Whether `o` turns the photo a quarter (its width becomes its height).
pub fn swaps_sides(o: Orientation) -> bool {
    use Orientation::*;
    matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
}
