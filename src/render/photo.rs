//! Photos and local links in pages: the `<img>` of a processed photo, and the way back to
//! the output root from wherever a body is shown.
//!
//! A narrative body is rendered once and shown on pages at different depths (its article,
//! an issue's print page, the feed). Its local URLs start with [`ROOT`], a private-use
//! character no text holds; each page puts its own way back to the root in its place
//! (`../../` on an article page, the site's absolute URL in the feed), so every link works
//! from `file://` and from a server alike.

use serde::Serialize;

use super::figures::esc;
use crate::model::Site;
use crate::{paths, photos};

/// Stands for the way back to the output root in a rendered body.
pub const ROOT: char = '\u{E002}';
/// [`ROOT`] as it comes out of a link target, which Markdown percent-escapes.
const ROOT_ESCAPED: &str = "%EE%80%82";

/// `sizes` of a photo's `<img>`: the width of the story column, or the screen's on a phone.
const SIZES: &str = "(max-width: 960px) 100vw, 960px";

/// A photo as templates get it (the lead photo, 题图): URLs relative to the output root.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PhotoCtx {
    /// The copy for `src`.
    pub src: String,
    /// Every copy, for `srcset`.
    pub sizes: Vec<PhotoSize>,
    /// Width of the largest copy: `width`/`height` reserve the photo's space.
    pub width: u32,
    /// Height of the largest copy.
    pub height: u32,
    /// Alt text: the caption, else the headline.
    pub alt: String,
    /// 图为…
    pub caption: Option<String>,
}

/// One copy of a photo.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PhotoSize {
    /// Its URL from the output root.
    pub url: String,
    /// Its width in pixels (`480w`).
    pub width: u32,
}

/// The template view of the photo `key` of [`Site::media`]; `None` if it is not a photo.
pub fn ctx(site: &Site, key: &str, alt: &str, caption: Option<&str>) -> Option<PhotoCtx> {
    let p = site.media.get(key)?.photo?;
    let sizes = photos::sizes(p.width, p.height);
    let &(width, height) = sizes.last()?;
    Some(PhotoCtx {
        src: paths::photo_copy(key, src_width(&sizes)),
        sizes: sizes
            .iter()
            .map(|&(w, _)| PhotoSize {
                url: paths::photo_copy(key, w),
                width: w,
            })
            .collect(),
        width,
        height,
        alt: alt.to_string(),
        caption: caption.map(str::to_string),
    })
}

/// The copy for `src` (browsers without `srcset`): the column width, or the largest below it.
fn src_width(sizes: &[(u32, u32)]) -> u32 {
    sizes
        .iter()
        .map(|&(w, _)| w)
        .filter(|&w| w <= 960)
        .max()
        .or_else(|| sizes.first().map(|&(w, _)| w))
        .unwrap_or(0)
}

/// The `<img>` of the photo `key` for a body, its URLs under [`ROOT`]; with `figure`, in a
/// `<figure class="photo">` with `caption` (when not empty) as its `<figcaption>`.
pub fn html(
    site: &Site,
    key: &str,
    alt: &str,
    figure: bool,
    caption: Option<&str>,
) -> Option<String> {
    let c = ctx(site, key, alt, caption)?;
    let srcset: Vec<String> = c
        .sizes
        .iter()
        .map(|s| format!("{ROOT}{} {}w", s.url, s.width))
        .collect();
    let img = format!(
        "<img src=\"{ROOT}{}\" srcset=\"{}\" sizes=\"{SIZES}\" width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
        c.src,
        srcset.join(", "),
        c.width,
        c.height,
        esc(alt)
    );
    Some(match caption.filter(|c| figure && !c.is_empty()) {
        Some(cap) => {
            format!(
                "<figure class=\"photo\">{img}<figcaption>{}</figcaption></figure>",
                esc(cap)
            )
        }
        None if figure => format!("<figure class=\"photo\">{img}</figure>"),
        None => img,
    })
}

/// `bytes` of a page with every [`ROOT`] (as it is, or percent-escaped) replaced by `root`.
pub fn put_root(bytes: Vec<u8>, root: &str) -> Vec<u8> {
    let mut tok = [0u8; 4];
    let tok: &[u8] = ROOT.encode_utf8(&mut tok).as_bytes();
    let mut bytes = bytes;
    for t in [tok, ROOT_ESCAPED.as_bytes()] {
        if memchr::memmem::find(&bytes, t).is_none() {
            continue;
        }
        let mut out = Vec::with_capacity(bytes.len());
        let mut rest = &bytes[..];
        while let Some(i) = memchr::memmem::find(rest, t) {
            out.extend_from_slice(&rest[..i]);
            out.extend_from_slice(root.as_bytes());
            rest = &rest[i + t.len()..];
        }
        out.extend_from_slice(rest);
        bytes = out;
    }
    bytes
}
