//! A print page (HTML) read back into the blocks of a Word document.
//!
//! The print page is what a document is made from, so a document changes exactly when its
//! page does. The built-in print templates' classes (`jb-…` for the 简报, `np-…` for the
//! newspaper pages) say which block is the masthead, the headline or the 版记; any other
//! markup (a site's own print template) still reads as headings, paragraphs, tables and
//! charts.

use html5ever::tendril::TendrilSink;
use html5ever::{local_name, ns, QualName};

use super::dom::{Dom, Handle, NodeKind};
use super::{Block, Document, Run, Style};

/// Bound on the depth of the tree walked: a page nested deeper is cut there, never a
/// stack overflow (print pages are a few levels deep).
const MAX_DEPTH: usize = 200;

/// Reads a print page into a document.
pub(super) fn read(html: &str) -> Document {
    let dom = html5ever::parse_document(Dom::default(), Default::default()).one(html);
    let mut r = Reader::default();
    r.walk(&dom.document, 0);
    Document {
        title: r.title.trim().to_string(),
        blocks: r.blocks,
    }
}

#[derive(Default)]
struct Reader {
    title: String,
    blocks: Vec<Block>,
}

fn name(h: &Handle) -> Option<&str> {
    match &h.kind {
        NodeKind::Element => Some(&h.name.local),
        _ => None,
    }
}

fn attr(h: &Handle, key: &str) -> Option<String> {
    h.attrs
        .borrow()
        .iter()
        .find(|a| &*a.name.local == key)
        .map(|a| a.value.to_string())
}

fn has_class(h: &Handle, class: &str) -> bool {
    attr(h, "class").is_some_and(|c| c.split_ascii_whitespace().any(|x| x == class))
}

fn is_svg(h: &Handle) -> bool {
    matches!(h.kind, NodeKind::Element)
        && h.name.ns == ns!(svg)
        && h.name.local == local_name!("svg")
}

/// The text of a node and everything in it, whitespace collapsed.
fn text_of(h: &Handle) -> String {
    let mut runs = Vec::new();
    inline(h, Run::default(), &mut runs, 0);
    runs.into_iter()
        .map(|r| r.text)
        .collect::<String>()
        .trim()
        .to_string()
}

/// Whether `c` is a CJK character (or full-width punctuation), next to which a line break of
/// the source is no space.
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Collapses HTML whitespace: a run becomes one space, or nothing when it holds a line break
/// between two CJK characters (a Markdown line break inside a Chinese sentence; a space typed
/// between two names stays).
fn collapse(runs: Vec<Run>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    // Whitespace seen since the last character: none, spaces, or a line break among them.
    let mut pending: Option<bool> = None;
    let mut last: Option<char> = None;
    for r in runs {
        if r.is_break {
            out.push(r);
            pending = None;
            last = None;
            continue;
        }
        let mut text = String::new();
        for c in r.text.chars() {
            if c.is_ascii_whitespace() {
                pending = Some(pending.unwrap_or(false) || c == '\n');
                continue;
            }
            if let (Some(newline), Some(l)) = (pending, last) {
                // A space at the paragraph's start goes.
                if !(newline && is_cjk(l) && is_cjk(c)) {
                    text.push(' ');
                }
            }
            pending = None;
            text.push(c);
            last = Some(c);
        }
        if !text.is_empty() {
            out.push(Run { text, ..r });
        }
    }
    out
}

/// The inline content of `h` as runs, with the formatting of the elements around them.
fn inline(h: &Handle, fmt: Run, out: &mut Vec<Run>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match &h.kind {
        NodeKind::Text(contents) => out.push(Run {
            text: contents.borrow().to_string(),
            ..fmt.clone()
        }),
        NodeKind::Element => {
            let mut f = fmt.clone();
            match name(h).unwrap_or("") {
                "br" => {
                    out.push(Run {
                        text: "\n".into(),
                        is_break: true,
                        ..fmt
                    });
                    return;
                }
                "script" | "style" | "svg" | "img" => return,
                "strong" | "b" => f.bold = true,
                // Chinese has no italics: emphasis is set in 楷体.
                "em" | "i" | "cite" => f.kai = true,
                "span" if has_class(h, "dateline") => f.hei = true,
                // The second line of a two-line subhead goes on its own line.
                "span"
                    if has_class(h, "subhead-line")
                        && out.iter().any(|r| !r.text.trim().is_empty()) =>
                {
                    out.push(Run {
                        text: "\n".into(),
                        is_break: true,
                        ..fmt.clone()
                    });
                }
                "sup" => f.superscript = true,
                _ => {}
            }
            for c in h.children.borrow().iter() {
                inline(c, f.clone(), out, depth + 1);
            }
        }
        _ => {}
    }
}

impl Reader {
    fn para(&mut self, style: Style, h: &Handle) {
        let mut runs = Vec::new();
        inline(h, Run::default(), &mut runs, 0);
        self.para_runs(style, runs);
    }

    fn para_runs(&mut self, style: Style, runs: Vec<Run>) {
        let mut runs = collapse(runs);
        // Trim the paragraph's ends (collapse keeps inner spaces only).
        while runs.last().is_some_and(|r| r.is_break) {
            runs.pop();
        }
        if runs.iter().all(|r| r.text.trim().is_empty()) {
            return;
        }
        self.blocks.push(Block::Para { style, runs });
    }

    fn text_para(&mut self, style: Style, text: String) {
        self.para_runs(
            style,
            vec![Run {
                text,
                ..Run::default()
            }],
        );
    }

    fn walk(&mut self, h: &Handle, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(tag) = name(h) else {
            if matches!(h.kind, NodeKind::Document) {
                self.children(h, depth);
            }
            return;
        };
        let class = |c: &str| has_class(h, c);
        match tag {
            "title" => self.title = text_of(h),
            "style" | "script" | "template" | "nav" => {}
            "h1" if class("jb-title") => self.para(Style::Masthead, h),
            "div" if class("np-title") => self.para(Style::SiteName, h),
            "p" if class("jb-number") => self.para(Style::IssueNo, h),
            "div" if class("jb-meta") || class("np-meta") => {
                let spans: Vec<String> = h
                    .children
                    .borrow()
                    .iter()
                    .map(text_of)
                    .filter(|t| !t.is_empty())
                    .collect();
                let (left, right) = match spans.split_first() {
                    Some((l, rest)) if !rest.is_empty() => (l.clone(), rest.join("　")),
                    Some((l, _)) => (l.clone(), String::new()),
                    None => (String::new(), String::new()),
                };
                self.blocks.push(Block::Meta { left, right });
            }
            "p" if class("jb-subject") => self.para(Style::Subject, h),
            "p" if class("jb-kicker") || class("np-kicker") => self.para(Style::Kicker, h),
            "h1" | "h2" if class("jb-headline") || class("np-headline") => {
                self.para(Style::Title, h)
            }
            "p" if class("jb-subtitle") || class("np-subtitle") => self.para(Style::Subtitle, h),
            "p" if class("jb-byline") || class("np-byline") || class("np-source") => {
                self.para(Style::Byline, h)
            }
            "p" if class("author-note") => self.para(Style::AuthorNote, h),
            "footer" if class("jb-tail") => self.tail(h),
            "h1" => self.para(Style::Title, h),
            "h2" => self.para(Style::Heading1, h),
            "h3" => self.para(Style::Heading2, h),
            "h4" | "h5" | "h6" => self.para(Style::Heading3, h),
            "p" | "dt" | "dd" => self.para(Style::Body, h),
            "blockquote" => self.children(h, depth),
            "figcaption" => self.para(Style::Caption, h),
            "figure" => self.children(h, depth),
            // The chart's numbers, for screen readers: the picture shows them.
            "table" if class("chart-data") => {}
            "table" => self.table(h),
            "ul" | "ol" => self.list(h, tag == "ol", depth),
            "div" if class("kpis") => self.kpis(h),
            "svg" if is_svg(h) => self.blocks.push(Block::Chart {
                svg: svg_markup(h),
                alt: svg_title(h),
            }),
            "img" => {
                if let Some(b) = image(h) {
                    self.blocks.push(b);
                }
            }
            "hr" => {}
            _ => self.children(h, depth),
        }
    }

    fn children(&mut self, h: &Handle, depth: usize) {
        for c in h.children.borrow().iter() {
            match &c.kind {
                NodeKind::Text(contents) if !contents.borrow().trim().is_empty() => {
                    // Loose text at block level (a bare `<div>text</div>`).
                    let t = contents.borrow().to_string();
                    self.text_para(Style::Body, t);
                }
                _ => self.walk(c, depth + 1),
            }
        }
    }

    fn list(&mut self, h: &Handle, ordered: bool, depth: usize) {
        let mut n = 0;
        for li in h.children.borrow().iter() {
            if name(li) != Some("li") {
                continue;
            }
            n += 1;
            let marker = if ordered {
                format!("{n}. ")
            } else {
                "· ".to_string()
            };
            let mut runs = vec![Run {
                text: marker,
                ..Run::default()
            }];
            inline(li, Run::default(), &mut runs, depth);
            self.para_runs(Style::ListItem, runs);
        }
    }

    /// Key figure cards as a row of a table: label over value.
    fn kpis(&mut self, h: &Handle) {
        let mut labels = Vec::new();
        let mut values = Vec::new();
        let mut targets = Vec::new();
        for card in h.children.borrow().iter().filter(|c| has_class(c, "kpi")) {
            let part = |cls: &str| {
                card.children
                    .borrow()
                    .iter()
                    .filter(|c| has_class(c, cls))
                    .map(text_of)
                    .collect::<String>()
            };
            labels.push(part("kpi-label"));
            values.push(format!("{}{}", part("kpi-value"), part("kpi-unit")));
            targets.push(part("kpi-target"));
        }
        if labels.is_empty() {
            return;
        }
        let mut rows = vec![labels, values];
        if targets.iter().any(|t| !t.is_empty()) {
            rows.push(targets);
        }
        self.blocks.push(Block::Table {
            rows,
            header_rows: 1,
            row_headers: false,
        });
    }

    fn table(&mut self, h: &Handle) {
        let mut rows: Vec<Vec<(bool, String)>> = Vec::new();
        let mut header_rows = 0;
        let mut in_body = false;
        collect_rows(h, &mut rows, &mut header_rows, &mut in_body, 0);
        let body = &rows[header_rows.min(rows.len())..];
        let row_headers = !body.is_empty() && body.iter().all(|r| r.first().is_some_and(|c| c.0));
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .map(|r| r.into_iter().map(|(_, t)| t).collect())
            .collect();
        if !rows.is_empty() {
            self.blocks.push(Block::Table {
                rows,
                header_rows,
                row_headers,
            });
        }
    }

    /// The 版记: recipients between rules, then 编印单位 and 共印N份.
    fn tail(&mut self, h: &Handle) {
        let mut lines = Vec::new();
        let mut last = String::new();
        for p in h.children.borrow().iter().filter(|c| name(c) == Some("p")) {
            let t = text_of(p);
            if has_class(p, "copies") {
                last = t;
            } else if !t.is_empty() {
                lines.push(t);
            }
        }
        // 编印单位　　共印N份: the unit on the left, the copies on the right.
        let (left, right) = match last.split_once("　　") {
            Some((l, r)) => (l.trim().to_string(), r.trim().to_string()),
            None => (last.trim().to_string(), String::new()),
        };
        self.blocks.push(Block::Tail { lines, left, right });
    }
}

/// Rows of a table (`thead` rows, and leading rows of `th` cells, are header rows).
fn collect_rows(
    h: &Handle,
    rows: &mut Vec<Vec<(bool, String)>>,
    header_rows: &mut usize,
    in_body: &mut bool,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    for c in h.children.borrow().iter() {
        match name(c) {
            Some("tr") => {
                let cells: Vec<(bool, String)> = c
                    .children
                    .borrow()
                    .iter()
                    .filter_map(|td| match name(td) {
                        Some("th") => Some((true, text_of(td))),
                        Some("td") => Some((false, text_of(td))),
                        _ => None,
                    })
                    .collect();
                let parent_is_head = name(h) == Some("thead");
                let all_th = !cells.is_empty() && cells.iter().all(|(th, _)| *th);
                if !*in_body && (parent_is_head || all_th) && *header_rows == rows.len() {
                    *header_rows += 1;
                } else {
                    *in_body = true;
                }
                rows.push(cells);
            }
            Some("table") => {}
            Some(_) => collect_rows(c, rows, header_rows, in_body, depth + 1),
            None => {}
        }
    }
}

/// The `<title>` of a chart, for the picture's description.
fn svg_title(h: &Handle) -> String {
    h.children
        .borrow()
        .iter()
        .find(|c| name(c) == Some("title"))
        .map(text_of)
        .unwrap_or_default()
}

fn escape(s: &str, attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The SVG element back as XML, for resvg (the HTML parser kept the SVG's own spelling of
/// names, `viewBox`, `clipPath`).
fn svg_markup(h: &Handle) -> String {
    let mut out = String::new();
    svg_node(h, &mut out, true, 0);
    out
}

fn svg_node(h: &Handle, out: &mut String, root: bool, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match &h.kind {
        NodeKind::Text(contents) => out.push_str(&escape(&contents.borrow(), false)),
        NodeKind::Element => {
            let (name, attrs) = (&h.name, &h.attrs);
            out.push('<');
            out.push_str(&name.local);
            if root {
                out.push_str(
                    " xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"",
                );
            }
            for a in attrs.borrow().iter() {
                let QualName { prefix, local, .. } = &a.name;
                if &**local == "xmlns" || prefix.as_deref() == Some("xmlns") {
                    continue;
                }
                out.push(' ');
                if let Some(p) = prefix {
                    out.push_str(&p[..]);
                    out.push(':');
                }
                out.push_str(&local[..]);
                out.push_str("=\"");
                out.push_str(&escape(&a.value, true));
                out.push('"');
            }
            out.push('>');
            for c in h.children.borrow().iter() {
                svg_node(c, out, false, depth + 1);
            }
            out.push_str("</");
            out.push_str(&name.local);
            out.push('>');
        }
        _ => {}
    }
}

/// A photo embedded in the print page as a data URI (PNG or JPEG).
fn image(h: &Handle) -> Option<Block> {
    use base64::Engine;
    let src = attr(h, "src")?;
    let (head, data) = src.strip_prefix("data:")?.split_once(',')?;
    let ext = match head {
        "image/png;base64" => "png",
        "image/jpeg;base64" => "jpeg",
        _ => return None,
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .ok()?;
    let (w, hgt) = super::picture::image_size(&bytes)?;
    Some(Block::Image {
        bytes,
        ext,
        width: w,
        height: hgt,
        alt: attr(h, "alt").unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_line_breaks_are_no_space() {
        let doc = read("<p>走访\n群众 and\nmore</p><p> ■张三 李四</p>");
        match &doc.blocks[..] {
            [Block::Para { runs: a, .. }, Block::Para { runs: b, .. }] => {
                assert_eq!(a[0].text, "走访群众 and more");
                assert_eq!(b[0].text, "■张三 李四");
            }
            b => panic!("{b:?}"),
        }
    }

    #[test]
    fn the_jianbao_furniture_is_recognised() {
        let doc = read(
            r#"<html><head><title>第3期</title></head><body>
            <h1 class="jb-title">简报</h1><p class="jb-number">第3期</p>
            <div class="jb-meta"><span>某委</span><span>2019年6月9日</span></div>
            <table><thead><tr><th>单位</th><th>户</th></tr></thead><tbody><tr><th>法院</th><td>3</td></tr></tbody></table>
            <footer class="jb-tail"><p>报：市委</p><p class="copies">某委　　共印120份</p></footer></body></html>"#,
        );
        assert_eq!(doc.title, "第3期");
        assert!(matches!(
            &doc.blocks[0],
            Block::Para {
                style: Style::Masthead,
                ..
            }
        ));
        assert!(
            matches!(&doc.blocks[2], Block::Meta { left, right } if left == "某委" && right == "2019年6月9日")
        );
        assert!(
            matches!(&doc.blocks[3], Block::Table { header_rows: 1, rows, row_headers: true } if rows.len() == 2)
        );
        assert!(
            matches!(&doc.blocks[4], Block::Tail { lines, left, right } if lines == &["报：市委"] && left == "某委" && right == "共印120份")
        );
    }

    #[test]
    fn svg_comes_back_as_xml() {
        let doc = read(
            r#"<figure><svg viewBox="0 0 10 10"><title>图</title><text x="1">户&amp;</text></svg></figure>"#,
        );
        match &doc.blocks[0] {
            Block::Chart { svg, alt } => {
                assert!(svg.contains("viewBox=\"0 0 10 10\""), "{svg}");
                assert!(svg.contains("户&amp;"), "{svg}");
                assert_eq!(alt, "图");
            }
            b => panic!("{b:?}"),
        }
    }

    #[test]
    fn deep_nesting_is_cut_not_overflowed() {
        let html = "<div>".repeat(5000) + "x";
        let _ = read(&html);
    }
}
