//! Images inside print pages, which must need no other file.

use std::collections::HashMap;
use std::sync::Arc;

use base64::Engine;

use crate::model::Site;
use crate::paths;

/// Makes a print page self-contained: every `<img src>` that names a photo's web copy gets
/// the photo's print copy as a data URI (and loses its `srcset`), one that names a file of
/// `content/static/` or an attachment becomes a data URI; one that names anything else is
/// dropped (keeping its alt text), so the page never reaches for another file.
pub(super) fn inline_images(html: &str, site: &Site, print: &HashMap<String, Arc<[u8]>>) -> String {
    if !html.contains("<img") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<img") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + len + 1];
        rest = &rest[start + len + 1..];
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            let i = tag.find(&key)? + key.len();
            Some(&tag[i..i + tag[i..].find('"')?])
        };
        let src = attr("src").unwrap_or("");
        if src.starts_with("data:") {
            out.push_str(tag);
            continue;
        }
        let mut rel = src.trim_start_matches("./").trim_start_matches('/');
        while let Some(r) = rel.strip_prefix("../") {
            rel = r;
        }
        if let Some(b) = print.get(rel) {
            let data = format!(
                "data:image/jpeg;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(b)
            );
            let mut tag = tag.replacen(src, &data, 1);
            for name in ["srcset", "sizes", "loading"] {
                tag = drop_attr(&tag, name);
            }
            // Print CSS is the theme's; a photo must fit the column whatever it says.
            tag = tag.replacen("<img ", "<img style=\"max-width:100%;height:auto\" ", 1);
            out.push_str(&tag);
            continue;
        }
        let bytes = site
            .files
            .statics
            .iter()
            .find(|(f, _)| paths::static_file(f) == rel)
            .map(|(_, bytes)| bytes.as_slice())
            .or_else(|| {
                let key = rel.strip_prefix("files/")?;
                site.media.get(key)?.bytes.as_deref()
            });
        match bytes {
            Some(b) => {
                let data = format!(
                    "data:{};base64,{}",
                    image_mime(rel),
                    base64::engine::general_purpose::STANDARD.encode(b)
                );
                out.push_str(&tag.replacen(src, &data, 1));
            }
            None => out.push_str(attr("alt").unwrap_or("")),
        }
    }
    out.push_str(rest);
    out
}

/// `tag` without its attribute `name="…"`.
fn drop_attr(tag: &str, name: &str) -> String {
    let key = format!(" {name}=\"");
    let Some(i) = tag.find(&key) else {
        return tag.to_string();
    };
    match tag[i + key.len()..].find('"') {
        Some(len) => format!("{}{}", &tag[..i], &tag[i + key.len() + len + 1..]),
        None => tag.to_string(),
    }
}

/// The MIME type of an image file, by its extension.
fn image_mime(path: &str) -> &'static str {
    match path
        .rsplit('.')
        .next()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png") => "image/png",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("webp") => "image/webp",
        _ => "application/octet-stream",
    }
}
