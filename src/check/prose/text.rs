//! The text around a figure: what follows a label, where a sentence ends, and the parts of a
//! narrative that are not prose (Tera tags, code, HTML) masked out.

use super::*;

/// Reads what follows a label ending at byte `at`: a figure, a missing one, or nothing to
/// check. `own` is a metric's measure word; `None` for a ratio (`%`).
pub(super) fn after_label(text: &str, at: usize, own: Option<&str>) -> After {
    let rest = |i: usize| &text[i..];
    let mut i = skip_spaces(text, at);
    for _ in 0..3 {
        match LINKING.iter().find(|w| rest(i).starts_with(*w)) {
            Some(w) => i = skip_spaces(text, i + w.len()),
            None => break,
        }
    }
    if let Some(len) = measure_at(rest(i), own) {
        let next = rest(i + len).chars().next();
        if next.is_none_or(|c| !is_word_char(c)) {
            return After::Missing(i, i + len);
        }
        return After::Nothing;
    }
    let start = i;
    let mut approx = Approx::Plain;
    if let Some((w, a)) = PREFIXES.iter().find(|(w, _)| rest(i).starts_with(*w)) {
        approx = *a;
        i = skip_spaces(text, i + w.len());
    }
    let Some((digits, decimals, len)) = read_number(rest(i)) else {
        return After::Nothing;
    };
    i = skip_spaces(text, i + len);
    let wan = rest(i).starts_with('万');
    if wan {
        i = skip_spaces(text, i + '万'.len_utf8());
    }
    let mut suffix = None;
    for (w, a) in [
        ("余", Approx::Over),
        ("多", Approx::Over),
        ("左右", Approx::About),
    ] {
        if rest(i).starts_with(w) {
            suffix = Some(a);
            i = skip_spaces(text, i + w.len());
            break;
        }
    }
    let Some(len) = measure_at(rest(i), own) else {
        return After::Nothing;
    };
    let measure = &rest(i)[..len];
    let fits = match own {
        Some(own) => measure == own,
        None => true,
    };
    if !fits || (own.is_none() && wan) {
        return After::Nothing;
    }
    i += len;
    let j = skip_spaces(text, i);
    if suffix.is_none() && rest(j).starts_with("左右") {
        suffix = Some(Approx::About);
        i = j + "左右".len();
    }
    match (approx, suffix) {
        (Approx::Plain, Some(a)) => approx = a,
        (_, None) => {}
        // 约1800余户: two readings at once; leave it to the writer.
        (_, Some(_)) => return After::Nothing,
    }
    After::Figure(Typed {
        start,
        end: i,
        digits,
        decimals,
        wan,
        approx,
    })
}

/// Length of the measure word at the start of `s`: the longest of the metric's own and the
/// common ones (so 人次 is not read as 人), or `%` for a ratio.
pub(super) fn measure_at(s: &str, own: Option<&str>) -> Option<usize> {
    let Some(own) = own else {
        return ["%", "％"]
            .iter()
            .find(|p| s.starts_with(*p))
            .map(|p| p.len());
    };
    let common = COMMON_MEASURES.iter().copied().filter(|w| s.starts_with(w));
    std::iter::once(own)
        .filter(|w| !w.is_empty() && s.starts_with(w))
        .chain(common)
        .map(str::len)
        .max()
}

/// The first byte at or after `i` that is not a space (ASCII, tab or full-width) or a
/// Markdown emphasis mark (走访群众**1830余户**).
pub(super) fn skip_spaces(text: &str, mut i: usize) -> usize {
    while let Some(c) = text[i..].chars().next() {
        if matches!(c, ' ' | '\t' | '\u{3000}' | '*') {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

/// A character that continues a word: after a measure word it makes a noun (户数, 人员).
pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == FILL as char
}

/// Whether `s` names a date or span with digits or numerals: `5月`, `2018年`, `3天`, `三月`.
pub(super) fn has_date(s: &str) -> bool {
    // The last character before this one, spaces skipped (`于 3 月 3 日`).
    let mut prev = ' ';
    for c in s.chars() {
        if matches!(c, ' ' | '\u{3000}') {
            continue;
        }
        if digit(prev).is_some() && matches!(c, '月' | '年' | '周' | '天' | '日') {
            return true;
        }
        if c == '月' && "一二三四五六七八九十正腊冬".contains(prev) {
            return true;
        }
        prev = c;
    }
    false
}

/// A sentence longer than this (in bytes, either side of a figure) is cut there: prose has no
/// such sentences, and the bound keeps a body with no punctuation from costing its square.
pub(super) const SENTENCE_REACH: usize = 1500;

/// Where the sentence holding byte `at` starts: after a sentence end (。！？；, a table cell's
/// `|`, a line break that ends a paragraph, heading, list item or table row).
pub(super) fn sentence_start(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let floor = at.saturating_sub(SENTENCE_REACH);
    for (i, c) in text[..at].char_indices().rev() {
        if i < floor {
            return i + c.len_utf8();
        }
        if is_boundary(text, bytes, i, c) {
            return i + c.len_utf8();
        }
    }
    0
}

/// Where the sentence holding byte `at` ends (see [`sentence_start`]).
pub(super) fn sentence_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    for (i, c) in text[at..].char_indices() {
        if i > SENTENCE_REACH || is_boundary(text, bytes, at + i, c) {
            return at + i;
        }
    }
    text.len()
}

pub(super) fn is_boundary(text: &str, bytes: &[u8], i: usize, c: char) -> bool {
    match c {
        '。' | '！' | '？' | '；' | '!' | '?' | ';' | '|' => true,
        '\n' => {
            // A soft line break inside a paragraph joins the sentence; any other ends it. Lines
            // are looked at within reach only, so a huge line costs no more than a short one.
            let floor = floor_char_boundary(text, i.saturating_sub(SENTENCE_REACH));
            let prev_start =
                memchr::memrchr(b'\n', &bytes[floor..i]).map_or(floor, |p| floor + p + 1);
            let ceil = ceil_char_boundary(text, (i + 1 + SENTENCE_REACH).min(bytes.len()));
            let next_end = memchr::memchr(b'\n', &bytes[i + 1..ceil]).map_or(ceil, |p| i + 1 + p);
            !(is_plain_line(&text[prev_start..i]) && is_plain_line(&text[i + 1..next_end]))
        }
        _ => false,
    }
}

pub(super) fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(super) fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A line of paragraph text: not blank, not a heading, list item, quote or table row.
pub(super) fn is_plain_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.bytes().all(|b| b == FILL) {
        return false;
    }
    if t.starts_with(['#', '>', '|', '-', '*', '+']) {
        return false;
    }
    // An ordered list item: `1.` or `1)`.
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    !(digits > 0 && matches!(t.as_bytes().get(digits), Some(b'.' | b')')))
}

/// `body` with everything that is not prose replaced by [`FILL`] (line breaks kept), byte for
/// byte, so offsets in the result are offsets in `body`.
pub(super) fn mask(body: &str) -> String {
    let mut b = body.as_bytes().to_vec();
    mask_tera(&mut b);
    mask_markdown(&mut b);
    // Every masked range starts and ends at an ASCII byte, so whole characters are replaced.
    String::from_utf8(b).unwrap_or_default()
}

pub(super) fn fill(b: &mut [u8], from: usize, to: usize) {
    let to = to.min(b.len());
    for x in &mut b[from..to] {
        if *x != b'\n' {
            *x = FILL;
        }
    }
}

pub(super) fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(b.get(from..)?, needle).map(|p| from + p)
}

/// Masks `{{ … }}`, `{% … %}`, `{# … #}` and whatever `{% raw %}` holds.
pub(super) fn mask_tera(b: &mut [u8]) {
    let mut i = 0;
    while let Some(open) = find(b, i, b"{") {
        let Some(&kind) = b.get(open + 1) else { break };
        let end = match kind {
            b'{' | b'%' => tag_end(b, open + 2, kind),
            b'#' => find(b, open + 2, b"#}").map_or(b.len(), |p| p + 2),
            _ => {
                i = open + 1;
                continue;
            }
        };
        let mut to = end;
        if kind == b'%' && tag_word(&b[open + 2..end]) == b"raw" {
            // Everything up to the closing tag is literal output, not prose to check.
            let mut j = end;
            to = b.len();
            while let Some(p) = find(b, j, b"{%") {
                let e = tag_end(b, p + 2, b'%');
                if tag_word(&b[p + 2..e]) == b"endraw" {
                    to = e;
                    break;
                }
                j = e;
            }
        }
        fill(b, open, to);
        i = to;
    }
}

/// The end (exclusive) of a `{{` or `{%` tag whose inside starts at `from`; strings inside
/// may hold the closing pair. Unclosed: the end of the text.
pub(super) fn tag_end(b: &[u8], from: usize, kind: u8) -> usize {
    let close = if kind == b'{' { b'}' } else { b'%' };
    let mut i = from;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'' | b'`') => {
                i = b[i + 1..]
                    .iter()
                    .position(|&x| x == q)
                    .map_or(b.len(), |p| i + 1 + p + 1);
            }
            c if c == close && b.get(i + 1) == Some(&b'}') => return i + 2,
            _ => i += 1,
        }
    }
    b.len()
}

/// The first word inside a `{% … %}` tag (`raw`, `endraw`).
pub(super) fn tag_word(tag: &[u8]) -> &[u8] {
    let inner = tag.strip_suffix(b"%}").unwrap_or(tag);
    let start = inner
        .iter()
        .position(|&c| c != b'-' && !c.is_ascii_whitespace())
        .unwrap_or(inner.len());
    let len = inner[start..]
        .iter()
        .position(|&c| !c.is_ascii_alphanumeric() && c != b'_')
        .unwrap_or(inner.len() - start);
    &inner[start..start + len]
}

/// Masks code blocks (fenced and indented), code spans, HTML comments and tags, and link
/// targets.
pub(super) fn mask_markdown(b: &mut [u8]) {
    let mut i = 0;
    while let Some(p) = find(b, i, b"<!--") {
        let end = find(b, p + 4, b"-->").map_or(b.len(), |e| e + 3);
        fill(b, p, end);
        i = end;
    }
    let mut fence: Option<(u8, usize)> = None;
    let mut after_blank = true;
    let mut indented = false;
    let mut start = 0;
    while start < b.len() {
        let end = memchr::memchr(b'\n', &b[start..]).map_or(b.len(), |p| start + p);
        let line = &b[start..end];
        let indent = line.iter().take_while(|&&c| c == b' ').count();
        let tab = line.first() == Some(&b'\t');
        let blank = line.iter().all(|c| c.is_ascii_whitespace());
        let marker = line
            .get(indent)
            .copied()
            .filter(|c| *c == b'`' || *c == b'~');
        let run = marker.map_or(0, |m| {
            line[indent..].iter().take_while(|&&c| c == m).count()
        });
        if let Some((m, len)) = fence {
            let closes = marker == Some(m)
                && indent <= 3
                && run >= len
                && line[indent + run..].iter().all(|c| c.is_ascii_whitespace());
            fill(b, start, end);
            if closes {
                fence = None;
            }
        } else if indent <= 3 && run >= 3 {
            fence = marker.map(|m| (m, run));
            fill(b, start, end);
        } else if !blank && (indent >= 4 || tab) && (after_blank || indented) {
            indented = true;
            fill(b, start, end);
        } else {
            if !blank {
                indented = false;
                mask_inline(b, start, end);
            }
            after_blank = blank;
        }
        start = end + 1;
    }
}

/// Masks code spans, HTML tags and link targets on one line.
pub(super) fn mask_inline(b: &mut [u8], start: usize, end: usize) {
    let mut i = start;
    while i < end {
        match b[i] {
            b'`' => {
                let run = b[i..end].iter().take_while(|&&c| c == b'`').count();
                let mut j = i + run;
                let mut close = None;
                while let Some(p) = b[j..end].iter().position(|&c| c == b'`') {
                    let r = b[j + p..end].iter().take_while(|&&c| c == b'`').count();
                    if r == run {
                        close = Some(j + p + r);
                        break;
                    }
                    j += p + r;
                }
                match close {
                    Some(c) => {
                        fill(b, i, c);
                        i = c;
                    }
                    // An unmatched run is literal backticks.
                    None => i += run,
                }
            }
            b'<' if b
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'/') =>
            {
                match b[i..end].iter().position(|&c| c == b'>') {
                    Some(p) => {
                        fill(b, i, i + p + 1);
                        i += p + 1;
                    }
                    None => i += 1,
                }
            }
            b']' if b.get(i + 1) == Some(&b'(') => {
                match b[i..end].iter().position(|&c| c == b')') {
                    Some(p) => {
                        fill(b, i + 2, i + p);
                        i += p + 1;
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
}

/// Input text shown in a message, with control characters escaped (SPEC §7).
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}
