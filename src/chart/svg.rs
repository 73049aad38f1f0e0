//! Turns plotters' SVG into the inline SVG a page embeds: an accessible,
//! responsive root element, text that takes the page's fonts, and groups.
//!
//! Plotters writes one element a line, and a text element as three lines
//! (open tag, content, close tag); the rewrite relies on that layout, which
//! `text::clean` protects by keeping control characters out of labels.

use super::text::{escape, fmt_num};

/// Marks a text element that stands for a group boundary: content
/// `MARK` + class opens `<g class="…">`, a bare `MARK` closes it.
pub(super) const MARK: char = '\u{E000}';

/// What the root element says about the chart.
pub(super) struct Meta<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
    pub size: (u32, u32),
}

/// Rewrites plotters' SVG document `raw` into the final inline `<svg>`.
pub(super) fn finish(raw: &str, meta: &Meta) -> String {
    let (w, h) = meta.size;
    let id = meta.id;
    let mut out = String::with_capacity(raw.len());
    out.push_str(&format!(
        "<svg class=\"chart-svg\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         style=\"max-width:100%;height:auto\">\n"
    ));
    out.push_str(&format!(
        "<title id=\"{id}-title\">{}</title>\n",
        escape(meta.title)
    ));
    out.push_str(&format!(
        "<desc id=\"{id}-desc\">{}</desc>\n",
        escape(meta.desc)
    ));

    let mut open_groups = 0usize;
    let mut lines = raw.lines().skip(1); // plotters' own <svg …> tag
    while let Some(line) = lines.next() {
        if line.starts_with("<text ") {
            let content = lines.next().unwrap_or_default();
            lines.next(); // </text>
            if let Some(class) = content.strip_prefix(MARK) {
                if class.is_empty() {
                    if open_groups > 0 {
                        open_groups -= 1;
                        out.push_str("</g>\n");
                    }
                } else {
                    open_groups += 1;
                    out.push_str(&format!("<g class=\"{}\">\n", escape(class)));
                }
            } else {
                out.push_str(&text_tag(line));
                out.push_str(content);
                out.push_str("</text>\n");
            }
        } else if line == "</svg>" {
            for _ in 0..open_groups {
                out.push_str("</g>\n");
            }
            open_groups = 0;
            out.push_str("</svg>");
        } else {
            out.push_str(&line.replace(" opacity=\"1\"", ""));
            out.push('\n');
        }
    }
    out
}

/// Cleans a `<text …>` open tag: no font-family (the text inherits the
/// page's font stack), no opacity="1", and font sizes without float noise.
fn text_tag(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len());
    let mut rest = tag;
    while let Some(start) = rest.find(" font-") {
        out.push_str(&rest[..start]);
        let attr = &rest[start..];
        let end = attr
            .find("\" ")
            .or_else(|| attr.find("\">"))
            .map_or(attr.len(), |i| i + 1);
        let (name_value, tail) = attr.split_at(end);
        if let Some(size) = name_value.strip_prefix(" font-size=\"") {
            let size = size.trim_end_matches('"');
            match size.parse::<f64>() {
                Ok(px) => out.push_str(&format!(" font-size=\"{}\"", fmt_num(px))),
                Err(_) => out.push_str(name_value),
            }
        } else if !name_value.starts_with(" font-family=") {
            out.push_str(name_value);
        }
        rest = tail;
    }
    out.push_str(rest);
    out.replace(" opacity=\"1\"", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_tags_lose_family_and_float_noise() {
        let tag = r##"<text x="8" y="8" dy="0.76em" text-anchor="start" font-family="serif" font-size="13.000000000000002" opacity="1" fill="#1A1A1A" font-weight="bold">"##;
        assert_eq!(
            text_tag(tag),
            r##"<text x="8" y="8" dy="0.76em" text-anchor="start" font-size="13" fill="#1A1A1A" font-weight="bold">"##
        );
    }

    #[test]
    fn markers_become_groups_and_are_closed() {
        let raw = format!(
            "<svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\">\n\
             <text x=\"0\" y=\"0\" font-family=\"serif\">\n{MARK}bars\n</text>\n\
             <rect x=\"1\" opacity=\"1\"/>\n\
             <text x=\"0\" y=\"0\" font-family=\"serif\">\n{MARK}\n</text>\n\
             <text x=\"0\" y=\"0\" font-family=\"serif\">\n{MARK}open\n</text>\n\
             </svg>\n"
        );
        let meta = Meta {
            id: "c1",
            title: "T&",
            desc: "D",
            size: (10, 10),
        };
        let svg = finish(&raw, &meta);
        assert!(svg.contains("<title id=\"c1-title\">T&amp;</title>"));
        assert!(
            svg.contains(
                "<g class=\"bars\">\n<rect x=\"1\"/>\n</g>\n<g class=\"open\">\n</g>\n</svg>"
            ),
            "{svg}"
        );
    }
}
