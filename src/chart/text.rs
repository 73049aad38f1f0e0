//! Text measures, line breaking and number formats for chart labels.
//!
//! The SVG is laid out before any font is known, so widths are estimates: a
//! CJK character is one em in every Chinese font, Latin letters and digits
//! average a little over half an em.

/// Estimated width in px of `s` set at `font_px`: CJK and full-width
/// characters count 1 em, ASCII 0.55 em, other scripts 0.6 em.
pub fn text_width(s: &str, font_px: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * font_px
}

fn char_em(c: char) -> f64 {
    if c.is_ascii() {
        0.55
    } else if is_wide(c) {
        1.0
    } else {
        0.6
    }
}

/// East Asian wide and full-width ranges, plus the general punctuation
/// (“”—…) that Chinese fonts draw full-width.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2010..=0x206F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// Cuts `s` to fit `max_w`, ending in "…" when something was cut.
pub(super) fn truncate(s: &str, font_px: f64, max_w: f64) -> String {
    if text_width(s, font_px) <= max_w {
        return s.to_string();
    }
    let budget = max_w - text_width("…", font_px);
    let mut out = String::new();
    let mut w = 0.0;
    for c in s.chars() {
        w += char_em(c) * font_px;
        if w > budget {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Breaks `s` greedily into at most `max_lines` lines of `max_w`; the last
/// line is truncated if the text still does not fit. Chinese may break
/// between any two characters.
pub(super) fn wrap(s: &str, font_px: f64, max_w: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // The line's width in em, summed in the order text_width sums it (same rounding).
    let mut line_em = 0.0;
    for c in s.chars() {
        let em = char_em(c);
        if !line.is_empty() && (line_em + em) * font_px > max_w {
            lines.push(std::mem::take(&mut line));
            line_em = 0.0;
        }
        line.push(c);
        line_em += em;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines.max(1) {
        let rest: String = lines[max_lines.max(1) - 1..].concat();
        lines.truncate(max_lines.max(1) - 1);
        lines.push(truncate(&rest, font_px, max_w));
    }
    lines
}

/// Sets a category label in one line, or two if it must, breaking where a
/// reader would (after 年/月, at a space or bracket) and otherwise evenly.
/// `None` when two lines are not enough.
pub(super) fn label_lines(s: &str, font_px: f64, max_w: f64) -> Option<Vec<String>> {
    if text_width(s, font_px) <= max_w {
        return Some(vec![s.to_string()]);
    }
    let chars: Vec<char> = s.chars().collect();
    // Widths of every head and tail from running sums: one pass, not one per split.
    let mut head_em = vec![0.0; chars.len() + 1];
    for (i, &c) in chars.iter().enumerate() {
        head_em[i + 1] = head_em[i] + char_em(c);
    }
    let mut tail_em = vec![0.0; chars.len() + 1];
    for (i, &c) in chars.iter().enumerate().rev() {
        tail_em[i] = tail_em[i + 1] + char_em(c);
    }
    let mut best: Option<(bool, f64, usize)> = None; // (natural break, widest line, split)
    for k in 1..chars.len() {
        let widest = (head_em[k] * font_px).max(tail_em[k] * font_px);
        if widest > max_w {
            continue;
        }
        let natural = matches!(chars[k - 1], '年' | '月' | ' ' | '）' | ')' | '、' | '·')
            || matches!(chars[k], '（' | '(' | ' ');
        let better = match best {
            None => true,
            Some((bn, bw, _)) => (natural && !bn) || (natural == bn && widest < bw),
        };
        if better {
            best = Some((natural, widest, k));
        }
    }
    let (_, _, k) = best?;
    let head: String = chars[..k].iter().collect();
    let tail: String = chars[k..].iter().collect();
    Some(vec![
        head.trim_end().to_string(),
        tail.trim_start().to_string(),
    ])
}

/// A number as a reader expects it: whole numbers without decimals, others
/// with at most two, no float noise (0.30000000000000004 → "0.3").
pub(super) fn fmt_num(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        // Inputs are validated to |v| ≤ 1e15, well inside i64.
        format!("{}", r as i64)
    } else {
        let s = format!("{r:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A percentage with at most one decimal: 83.75 → "83.8%", 100 → "100%".
pub(super) fn fmt_pct(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}%", r as i64)
    } else {
        format!("{r:.1}%")
    }
}

/// Escapes text for HTML and XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Makes caller text safe to draw: control characters (which would break
/// the SVG's one-element-a-line layout) become spaces, and the private-use
/// character reserved for group markers is dropped.
/// Text longer than [`MAX_LABEL_CHARS`] is cut there with "…": no chart has room for more.
pub(super) fn clean(s: &str) -> String {
    let mut out: String = s
        .chars()
        .filter(|&c| c != super::svg::MARK)
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_LABEL_CHARS + 1)
        .collect();
    if out.chars().count() > MAX_LABEL_CHARS {
        out = out.chars().take(MAX_LABEL_CHARS).collect::<String>();
        out.push('…');
    }
    out.trim().to_string()
}

/// The most characters of a title, label or name a chart keeps.
pub(super) const MAX_LABEL_CHARS: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_counts_one_em_ascii_about_half() {
        assert_eq!(text_width("区法院", 10.0), 30.0);
        assert!((text_width("2019", 10.0) - 22.0).abs() < 1e-9);
        assert!((text_width("2019年3月", 10.0) - 47.5).abs() < 1e-9);
        // Full-width brackets and Chinese quotes are a full em.
        assert_eq!(text_width("（户）", 10.0), 30.0);
        assert_eq!(text_width("“”", 10.0), 20.0);
        assert_eq!(text_width("", 13.0), 0.0);
        // Plotters' own estimate is by UTF-8 bytes: 3 per Chinese character.
        let cjk = text_width("顺河镇人民调解委员会", 13.0);
        assert!(cjk < "顺河镇人民调解委员会".len() as f64 * 13.0 * 0.5);
    }

    #[test]
    fn truncate_and_wrap_respect_width() {
        assert_eq!(truncate("区法院", 10.0, 30.0), "区法院");
        let t = truncate("顺河镇人民调解委员会", 10.0, 50.0);
        assert!(t.ends_with('…') && text_width(&t, 10.0) <= 50.0, "{t}");
        let lines = wrap("各单位走访群众（户）", 10.0, 50.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| text_width(l, 10.0) <= 50.0));
        assert_eq!(wrap("短", 10.0, 50.0, 2), vec!["短"]);
    }

    #[test]
    fn labels_break_where_a_reader_would() {
        assert_eq!(
            label_lines("区法院", 12.0, 40.0),
            Some(vec!["区法院".to_string()])
        );
        assert_eq!(
            label_lines("2019年3月", 12.0, 45.0),
            Some(vec!["2019年".to_string(), "3月".to_string()])
        );
        assert_eq!(
            label_lines("顺河镇人民调解委员会", 12.0, 60.0),
            Some(vec!["顺河镇人民".to_string(), "调解委员会".to_string()])
        );
        assert_eq!(label_lines("顺河镇人民调解委员会", 12.0, 40.0), None);
    }

    #[test]
    fn numbers_have_no_float_noise() {
        assert_eq!(fmt_num(11716.0), "11716");
        assert_eq!(fmt_num(0.1 + 0.2), "0.3");
        assert_eq!(fmt_num(2.5), "2.5");
        assert_eq!(fmt_num(-0.0), "0");
        assert_eq!(fmt_pct(83.75), "83.8%");
        assert_eq!(fmt_pct(100.0), "100%");
        assert_eq!(fmt_pct(117.16), "117.2%");
    }

    #[test]
    fn escape_and_clean() {
        assert_eq!(
            escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(clean("a\nb\u{E000}c "), "a bc");
        let long = clean(&"县".repeat(100_000));
        assert_eq!(long.chars().count(), MAX_LABEL_CHARS + 1);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn layout_of_huge_text_is_linear() {
        // 100,000 characters took minutes when each break re-measured the line.
        let huge = "走访群众".repeat(25_000);
        let t = std::time::Instant::now();
        let lines = wrap(&huge, 13.0, 300.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert_eq!(label_lines(&huge, 12.0, 60.0), None);
        let many = wrap(&huge, 13.0, 300.0, usize::MAX);
        assert!(many.len() > 1000);
        assert!(t.elapsed().as_secs() < 5, "{:?}", t.elapsed());
    }
}
