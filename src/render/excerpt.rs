//! Plain text made from rendered HTML and from record notes, for lists and timelines.

/// The first `n` characters of the paragraphs of a rendered body, as plain text: headings,
/// figures and tables left out, figures of the text kept as printed.
pub(super) fn excerpt(html: &str, n: usize) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<p>") {
        let Some(len) = rest[start..].find("</p>") else {
            break;
        };
        let para = &rest[start + 3..start + len];
        rest = &rest[start + len + 4..];
        let mut in_tag = false;
        for c in para.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        if out.chars().count() >= n {
            break;
        }
    }
    let text = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let cut: String = text.chars().take(n).collect();
    if cut.chars().count() < text.chars().count() {
        format!("{cut}……")
    } else {
        cut
    }
}

/// A note as a sentence: ends with 。 unless it already ends with punctuation.
pub(super) fn sentence(note: &str) -> String {
    let note = note.trim();
    match note.chars().last() {
        None => String::new(),
        Some(c) if "。！？；…".contains(c) || c.is_ascii_punctuation() => note.to_string(),
        Some(_) => format!("{note}。"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_keeps_figures_and_skips_headings_and_figures() {
        let html = "<h2>标题</h2><p><span class=\"dateline\">本报讯</span>共走访1836户，<strong>成效</strong>明显。</p><figure><svg></svg></figure><p>A &amp; B</p>";
        assert_eq!(excerpt(html, 90), "本报讯共走访1836户，成效明显。A & B");
        assert_eq!(excerpt("<p>一二三四五</p>", 3), "一二三……");
    }

    #[test]
    fn notes_end_as_sentences() {
        assert_eq!(sentence("分片包村"), "分片包村。");
        assert_eq!(sentence("好！"), "好！");
        assert_eq!(sentence(""), "");
    }
}
