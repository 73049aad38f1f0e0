//! Reading typed fields out of a parsed YAML document, with a diagnostic at the right line for
//! every field that is missing, mistyped or unknown.

use std::cell::OnceCell;
use std::path::Path;

use chrono::NaiveDate;

use super::yaml::{self, Locator, Mapping, Value, YPath};
use crate::dates::{
    in_years, parse_any_date, parse_any_published, parse_any_record_date, parse_published, YEARS,
};
use crate::diag::{did_you_mean, Diagnostic, Pos};
use crate::model::Published;

/// One YAML document being read: its text, where it sits in its file, and its problems.
pub struct YamlDoc<'a> {
    /// The file, relative to the site root, for messages.
    pub rel: &'a Path,
    /// The YAML text.
    pub src: &'a str,
    /// Lines before the YAML starts in its file (front matter: 1 for the opening `---`).
    line_offset: usize,
    locator: OnceCell<Locator>,
    /// The problems found so far.
    pub diags: Vec<Diagnostic>,
}

impl<'a> YamlDoc<'a> {
    /// A document read from `src`, which starts after `line_offset` lines of `rel`.
    pub fn new(rel: &'a Path, src: &'a str, line_offset: usize) -> Self {
        YamlDoc {
            rel,
            src,
            line_offset,
            locator: OnceCell::new(),
            diags: Vec::new(),
        }
    }

    /// Parses the text; a syntax error is recorded and gives `None`.
    pub fn parse(&mut self) -> Option<Value> {
        match yaml::parse(self.src) {
            Ok(v) => Some(v),
            Err(e) => {
                let pos = Pos::new(e.pos.line + self.line_offset, e.pos.col);
                self.diags
                    .push(Diagnostic::error(self.rel, pos, e.message).with_hint_opt(e.hint));
                None
            }
        }
    }

    /// The position of the node at `path` in the file.
    pub fn pos(&self, path: &YPath) -> Pos {
        let p = self
            .locator
            .get_or_init(|| Locator::new(self.src))
            .pos(path);
        Pos::new(p.line + self.line_offset, p.col)
    }

    /// Records an error at `path`.
    pub fn error(&mut self, path: &YPath, msg: impl Into<String>, hint: Option<String>) {
        let d = Diagnostic::error(self.rel, self.pos(path), msg).with_hint_opt(hint);
        self.diags.push(d);
    }

    /// Records a warning at `path`.
    pub fn warn(&mut self, path: &YPath, msg: impl Into<String>, hint: Option<String>) {
        let d = Diagnostic::warning(self.rel, self.pos(path), msg).with_hint_opt(hint);
        self.diags.push(d);
    }

    /// Whether this document has recorded an error.
    pub fn has_errors(&self) -> bool {
        self.diags
            .iter()
            .any(|d| d.severity == crate::diag::Severity::Error)
    }

    /// `v` as a mapping, or an error saying what was expected.
    pub fn mapping<'v>(&mut self, v: &'v Value, path: &YPath, what: &str) -> Option<YamlMap<'v>> {
        match v {
            Value::Mapping(m) => Some(YamlMap {
                map: m,
                path: path.clone(),
            }),
            Value::Tagged(t) => self.mapping(&t.value, path, what),
            other => {
                let found = yaml::type_name(other);
                let hint = (matches!(other, Value::String(s) if s.contains('：')))
                    .then(|| "a full-width colon (：) was used where YAML needs `: `".to_string());
                self.error(
                    path,
                    format!("{what} must be a mapping of `key: value` lines, found {found}"),
                    hint,
                );
                None
            }
        }
    }

    /// Warns about every key of `obj` not in `known`, naming the nearest known one.
    pub fn check_known(&mut self, obj: &YamlMap, known: &[&str], what: &str) {
        for k in obj.map.keys() {
            let key = scalar_text(k).unwrap_or_default();
            if known.contains(&key.as_str()) {
                continue;
            }
            let path = obj.path.key(&key);
            if key.contains('：') {
                self.error(
                    &path,
                    format!("`{key}` is not a field"),
                    Some(
                        "a full-width colon (：) was used where YAML needs an ASCII colon `: `"
                            .into(),
                    ),
                );
            } else {
                let hint = did_you_mean(&key, known.iter().copied());
                self.warn(
                    &path,
                    format!("unknown field `{key}` in {what} (ignored)"),
                    hint,
                );
            }
        }
    }

    /// A text field; numbers and booleans read as their text. Missing or empty gives `None`,
    /// and an error if `required`.
    pub fn text(&mut self, obj: &YamlMap, key: &str, required: bool) -> Option<String> {
        let path = obj.path.key(key);
        match obj.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.missing(obj, key);
                }
                None
            }
            Some(v) => match scalar_text(v) {
                Some(s) if s.trim().is_empty() && required => {
                    self.error(&path, format!("`{key}` is empty"), None);
                    None
                }
                Some(s) if s.trim().is_empty() => None,
                Some(s) if control_char(&s).is_some() => {
                    self.control_error(&path, key, &s);
                    None
                }
                Some(s) => Some(s.trim().to_string()),
                None => {
                    let found = yaml::type_name(v);
                    self.error(&path, format!("`{key}` must be text, found {found}"), None);
                    None
                }
            },
        }
    }

    /// A list of texts; a single text is a list of one. Missing gives an empty list.
    pub fn text_list(&mut self, obj: &YamlMap, key: &str) -> Vec<String> {
        let path = obj.path.key(key);
        match obj.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Sequence(items)) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match scalar_text(item) {
                        Some(s) if control_char(&s).is_some() => {
                            self.control_error(&path.index(i), key, &s)
                        }
                        Some(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                        Some(_) => {}
                        None => self.error(
                            &path.index(i),
                            format!("items of `{key}` must be text"),
                            None,
                        ),
                    }
                }
                out
            }
            Some(v) => match scalar_text(v) {
                Some(s) if control_char(&s).is_some() => {
                    self.control_error(&path, key, &s);
                    Vec::new()
                }
                // "杜鹏 杨平" or "杜鹏、杨平": people are listed with spaces or 、 in Chinese.
                Some(s) => s
                    .split(|c: char| c.is_whitespace() || c == '、' || c == ',' || c == '，')
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect(),
                None => {
                    self.error(
                        &path,
                        format!("`{key}` must be text or a list of texts"),
                        None,
                    );
                    Vec::new()
                }
            },
        }
    }

    /// A whole number ≥ 0 that fits `u64`.
    pub fn count_value(&mut self, v: &Value, path: &YPath, what: &str) -> Option<u64> {
        self.whole_value(v, path, what, COUNT_RULE)
    }

    /// A whole number ≥ 0 that fits `u64`; `rule` (e.g. "issue numbers start at 1") ends the
    /// message when it is not one.
    pub fn whole_value(&mut self, v: &Value, path: &YPath, what: &str, rule: &str) -> Option<u64> {
        match check_whole(v, rule) {
            Ok(n) => Some(n),
            Err((msg, hint)) => {
                self.error(path, format!("{what} {msg}"), hint);
                None
            }
        }
    }

    /// An optional field holding a whole number ≥ 0.
    pub fn count(&mut self, obj: &YamlMap, key: &str, required: bool) -> Option<u64> {
        match obj.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.missing(obj, key);
                }
                None
            }
            Some(v) => self.count_value(v, &obj.path.key(key), &format!("`{key}`")),
        }
    }

    /// A true/false field (default false).
    pub fn flag(&mut self, obj: &YamlMap, key: &str) -> bool {
        match obj.get(key) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.error(
                    &obj.path.key(key),
                    format!("`{key}` must be true or false"),
                    None,
                );
                false
            }
        }
    }

    /// A date field (`2019-06-09`).
    pub fn date(&mut self, obj: &YamlMap, key: &str, required: bool) -> Option<NaiveDate> {
        let s = self.text(obj, key, required)?;
        let parsed = parse_any_date(&s);
        self.in_years(obj, key, &s, parsed, |d| *d, date_hint())
    }

    /// A record's `date`: a day, or a month (`2019-06`) for a record covering the whole
    /// month (then `true`).
    pub fn record_date(&mut self, obj: &YamlMap, key: &str) -> Option<(NaiveDate, bool)> {
        let s = self.text(obj, key, true)?;
        let parsed = parse_any_record_date(&s);
        let hint = format!("{}; a monthly tally gives the month: 2019-06", date_hint());
        self.in_years(obj, key, &s, parsed, |(d, _)| *d, hint)
    }

    /// A parsed date kept only inside [`YEARS`]; an error at `key` otherwise, saying whether
    /// the text was no date at all (with `hint`) or a date outside the years.
    fn in_years<T>(
        &mut self,
        obj: &YamlMap,
        key: &str,
        s: &str,
        parsed: Option<T>,
        day: impl Fn(&T) -> NaiveDate,
        hint: String,
    ) -> Option<T> {
        match parsed {
            Some(v) if in_years(day(&v)) => Some(v),
            Some(_) => {
                self.error(&obj.path.key(key), out_of_years(key, s), None);
                None
            }
            None => {
                let msg = format!("`{key}`: cannot read \"{s}\" as a date");
                self.error(&obj.path.key(key), msg, Some(hint));
                None
            }
        }
    }

    /// A publication date, with or without a time and zone.
    pub fn published(&mut self, obj: &YamlMap, key: &str, required: bool) -> Option<Published> {
        let s = self.text(obj, key, required)?;
        match parse_published(&s) {
            Some(p) => Some(p),
            None if parse_any_published(&s).is_some() => {
                self.error(&obj.path.key(key), out_of_years(key, &s), None);
                None
            }
            None => {
                self.error(
                    &obj.path.key(key),
                    format!("`{key}`: cannot read \"{s}\" as a date"),
                    Some("write 2018-02-13, or with a time 2018-02-13T09:53:00+08:00".into()),
                );
                None
            }
        }
    }

    /// A control character in a text field (SPEC §7): it would break the feed's XML and
    /// could drive the terminal when echoed.
    fn control_error(&mut self, path: &YPath, key: &str, s: &str) {
        let c = control_char(s).unwrap_or('\u{0}');
        self.error(
            path,
            format!(
                "`{key}` contains the control character U+{:04X}",
                u32::from(c)
            ),
            Some(
                "delete it; it is invisible in most editors (often pasted from a PDF or Word)"
                    .into(),
            ),
        );
    }

    fn missing(&mut self, obj: &YamlMap, key: &str) {
        let path = obj.path.clone();
        self.error(&path, format!("missing required field `{key}`"), None);
    }
}

/// A mapping inside a document, with its path.
pub struct YamlMap<'v> {
    /// The entries.
    pub map: &'v Mapping,
    /// Where the mapping is in the document.
    pub path: YPath,
}

impl<'v> YamlMap<'v> {
    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&'v Value> {
        self.map.get(key)
    }

    /// Entries with text keys, in the order written.
    pub fn entries(&self) -> impl Iterator<Item = (String, &'v Value)> + '_ {
        self.map
            .iter()
            .map(|(k, v)| (scalar_text(k).unwrap_or_default(), v))
    }
}

/// The text of a scalar (numbers and booleans as written), `None` for lists and mappings.
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Tagged(t) => scalar_text(&t.value),
        _ => None,
    }
}

/// The first control character of `s` other than the line break, tab and carriage return a
/// multi-line YAML text may hold.
pub fn control_char(s: &str) -> Option<char> {
    s.chars()
        .find(|&c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
}

/// What a count is, said when a value is not one.
const COUNT_RULE: &str = "counts are whole numbers ≥ 0";

/// The largest count a record may hold (SPEC §7): far above any real tally, and low enough
/// that a million records of it still add up inside a `u64`.
pub const MAX_COUNT: u64 = 1_000_000_000_000;

/// Checks a count: a whole number ≥ 0 and at most [`MAX_COUNT`]. Gives the message tail and
/// a hint on failure.
pub fn check_count(v: &Value) -> Result<u64, (String, Option<String>)> {
    check_whole(v, COUNT_RULE)
}

/// Checks a whole number ≥ 0 and at most [`MAX_COUNT`]; `rule` ends the message on failure.
fn check_whole(v: &Value, rule: &str) -> Result<u64, (String, Option<String>)> {
    let too_large = |n: &dyn std::fmt::Display| {
        Err((
            format!("is too large ({n}); counts are at most 10^12"),
            Some("a count is one tally of one activity: check for a typo".to_string()),
        ))
    };
    match v {
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                if u > MAX_COUNT {
                    return too_large(n);
                }
                Ok(u)
            } else if n.as_i64().is_some() {
                Err((format!("is negative ({n}); {rule}"), None))
            } else {
                match n.as_f64() {
                    Some(f) if f < 0.0 => Err((format!("is negative ({n}); {rule}"), None)),
                    Some(f) if f.fract() == 0.0 && f > MAX_COUNT as f64 => too_large(n),
                    Some(f) if f.fract() == 0.0 => Ok(f as u64),
                    _ => Err((format!("is not a whole number ({n}); {rule}"), None)),
                }
            }
        }
        Value::String(s) => {
            let hint = if s.contains('余') || s.contains('多') || s.contains('近') {
                Some(
                    "write the exact count; jianbao writes 余 itself with stat(..., approx=2)"
                        .to_string(),
                )
            } else if s.trim().parse::<u64>().is_ok() {
                Some("remove the quotes around the number".to_string())
            } else {
                None
            };
            Err((format!("must be a number, found text \"{s}\""), hint))
        }
        other => Err((
            format!("must be a number, found {}", yaml::type_name(other)),
            None,
        )),
    }
}

fn date_hint() -> String {
    "write dates as 2019-06-09 (also accepted: 2019/6/9, 2019年6月9日)".to_string()
}

/// The message tail for a date that parses but falls outside [`YEARS`].
fn out_of_years(key: &str, s: &str) -> String {
    format!(
        "`{key}`: {s} is outside the years {}–{}",
        YEARS.start(),
        YEARS.end()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found() {
        assert_eq!(control_char("走访\u{7}群众"), Some('\u{7}'));
        assert_eq!(control_char("a\u{1b}[31m"), Some('\u{1b}'));
        assert_eq!(control_char("两行\n文字\t"), None);
        assert_eq!(control_char("\u{85}"), Some('\u{85}'));
    }

    #[test]
    fn counts_must_be_whole_and_not_negative() {
        let n = |s: &str| serde_norway::from_str::<Value>(s).unwrap();
        assert_eq!(check_count(&n("320")), Ok(320));
        assert_eq!(check_count(&n("3.0")), Ok(3));
        assert!(check_count(&n("-4")).unwrap_err().0.contains("negative"));
        assert!(check_count(&n("3.5")).unwrap_err().0.contains("whole"));
        assert_eq!(check_count(&n("1000000000000")), Ok(MAX_COUNT));
        let (msg, _) = check_count(&n("1000000000001")).unwrap_err();
        assert_eq!(
            msg,
            "is too large (1000000000001); counts are at most 10^12"
        );
        assert!(check_count(&n("2.0e13"))
            .unwrap_err()
            .0
            .contains("too large"));
        let (msg, hint) = check_count(&n("'1830余'")).unwrap_err();
        assert!(msg.contains("must be a number"));
        assert!(hint.unwrap().contains("approx"));
    }

    #[test]
    fn the_years_are_named_when_a_date_is_outside_them() {
        assert!(out_of_years("date", "0001-01-01").contains("1900–2100"));
    }
}
