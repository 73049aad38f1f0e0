//! Reading a source file as text: UTF-8 only, with a BOM and CRLF line ends accepted.

use std::path::Path;

use crate::diag::{Diagnostic, Pos};

/// Reads `path` as UTF-8 text with the BOM removed and line ends normalized to `\n`.
/// `rel` is the path printed in diagnostics.
pub fn read_text(path: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(rel, None, format!("cannot read file: {e}")))?;
    decode(&bytes, rel)
}

/// Decodes file bytes; see [`read_text`].
pub fn decode(bytes: &[u8], rel: &Path) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(normalize_newlines(s)),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            let hint = if looks_like_gb18030(bytes) {
                "this file looks like GBK/GB18030 (common for files saved by Chinese Windows \
                 programs): re-save it as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)"
            } else {
                "re-save the file as UTF-8"
            };
            Err(
                Diagnostic::error(rel, Pos::new(line, col), "file is not valid UTF-8")
                    .with_hint(hint),
            )
        }
    }
}

/// Whether the bytes decode cleanly as GB18030 and hold Chinese text.
fn looks_like_gb18030(bytes: &[u8]) -> bool {
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    !had_errors && text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn normalize_newlines(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_accepted() {
        let s = decode(b"\xEF\xBB\xBFtitle: a\r\nx: b\r\n", Path::new("a.yaml")).unwrap();
        assert_eq!(s, "title: a\nx: b\n");
    }

    #[test]
    fn gbk_gets_the_gbk_hint_with_position() {
        let (gbk, _, _) = encoding_rs::GBK.encode("title: ok\nname: 区法院\n");
        let d = decode(&gbk, Path::new("site.yaml")).unwrap_err();
        assert_eq!(d.pos, Some(Pos::new(2, 7)));
        assert!(d.message.contains("not valid UTF-8"));
        assert!(d.hint.unwrap().contains("GBK/GB18030"));
    }

    #[test]
    fn random_bytes_get_the_plain_hint() {
        let d = decode(b"ok\n\xff\xfe\xfd", Path::new("x.md")).unwrap_err();
        assert!(!d.hint.unwrap().contains("GBK"));
    }
}
