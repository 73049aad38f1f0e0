//! Plain text made from rendered HTML and from record notes, for lists and timelines.

/// The first `n` characters of the paragraphs of a rendered body, as plain text: headings,
/// figures and tables left out, figures of the text kept as printed.
pub(super) fn excerpt(html: &str, n: usize) -> String {
    let text = paragraph_text(html, n);
    let cut: String = text.chars().take(n).collect();
    if cut.chars().count() < text.chars().count() {
        format!("{cut}……")
    } else {
        cut
    }
}

/// The opening sentences of a rendered body as plain text, at most `n` characters: whole
/// sentences when the first ones fit, else cut with ……. A page's description.
pub(super) fn lead(html: &str, n: usize) -> String {
    // The dateline (本报讯) says where the piece comes from, not what it is about.
    let html = match html.find("<span class=\"dateline\">") {
        Some(i) => match html[i..].find("</span>") {
            Some(len) => format!("{}{}", &html[..i], &html[i + len + 7..]),
            None => html.to_string(),
        },
        None => html.to_string(),
    };
    let text = paragraph_text(&html, n + 1);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= n {
        return text;
    }
    let cut: String = text.chars().take(n).collect();
    match cut.rfind(['。', '！', '？', '!', '?']) {
        // A sentence end too near the start would leave a stub.
        Some(i) if cut[..i].chars().count() >= n / 3 => {
            let end = i + cut[i..].chars().next().map_or(1, char::len_utf8);
            cut[..end].to_string()
        }
        _ => format!("{cut}……"),
    }
}

/// The text of a rendered body's paragraphs, entities decoded, until at least `n` characters.
fn paragraph_text(html: &str, n: usize) -> String {
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
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
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
    fn leads_end_on_a_sentence() {
        let html = "<h2>标题</h2><p>第一句话说完了。第二句话很长很长很长很长很长很长。</p>";
        assert_eq!(lead(html, 20), "第一句话说完了。");
        assert_eq!(
            lead(html, 100),
            "第一句话说完了。第二句话很长很长很长很长很长很长。"
        );
        assert_eq!(lead("<p>一二三四五六七八九十</p>", 5), "一二三四五……");
        assert_eq!(lead("<p>A  b\nc</p>", 20), "A b c");
        assert_eq!(lead("<h2>只有标题</h2>", 20), "");
        let dated = "<p><span class=\"dateline\">本报讯</span>走访1836户。</p>";
        assert_eq!(lead(dated, 20), "走访1836户。");
    }

    #[test]
    fn notes_end_as_sentences() {
        assert_eq!(sentence("分片包村"), "分片包村。");
        assert_eq!(sentence("好！"), "好！");
        assert_eq!(sentence(""), "");
    }
}
