//! A line scanner for records files in the layout people and tools write them, the first step
//! of the fast path.
//!
//! Why by hand: a million records is 160 MB of YAML, and a YAML library parses it at about
//! 40 MB/s a core, building every event of a file before serde sees the first one. This reads
//! only a strict subset — block lists of `key: value` lines, plain scalars, metrics as a flow
//! mapping `{ a: 1, b: 2 }` or an indented block, full-line comments — at memory speed, and
//! answers `None` at the first thing outside it (quotes, anchors, tags, block scalars, inline
//! comments, tabs, null words, a duplicate key …). Such files go through serde_norway as before,
//! so the subset decides only speed, never meaning. Tests hold the two paths together.

use crate::diag::Pos;

/// The fields of one record (or a file's defaults), as written.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Fields<'s> {
    pub(super) date: Option<&'s str>,
    pub(super) unit: Option<&'s str>,
    pub(super) activity: Option<&'s str>,
    pub(super) place: Option<&'s str>,
    pub(super) note: Option<&'s str>,
    pub(super) campaign: Option<&'s str>,
    pub(super) metrics: Vec<(&'s str, u64)>,
    /// Whether `metrics:` was written (twice is an error serde reports).
    pub(super) metrics_given: bool,
}

/// A scanned file: its defaults (`records:` form) and its items with their positions.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Scanned<'s> {
    pub(super) defaults: Fields<'s>,
    pub(super) items: Vec<(Pos, Fields<'s>)>,
}

/// Scans `src`, or `None` when it is not in the subset.
pub(super) fn scan(src: &str) -> Option<Scanned<'_>> {
    if has_special_bytes(src) {
        return None;
    }
    let mut scanner = Scanner::default();
    for (n, line) in src.split('\n').enumerate() {
        let line = line.trim_end_matches(' ');
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        scanner.line(n + 1, indent, rest)?;
    }
    scanner.list_col.is_some().then_some(scanner.out)
}

/// What the scanner knows between lines.
#[derive(Default)]
struct Scanner<'s> {
    out: Scanned<'s>,
    /// `None` until the first line that says something decides: a list, or a mapping.
    is_list: Option<bool>,
    /// Whether `- ` lines are items here: always in a list file; after `records:` until the
    /// next key of the file's mapping.
    in_list: bool,
    records_seen: bool,
    /// The column of the list's dashes, fixed by its first item.
    list_col: Option<usize>,
    /// The column of the current item's keys.
    item_col: usize,
    /// After a bare `metrics:`: the column of its block lines, once the first is read.
    metrics_block: Option<Option<usize>>,
    /// Which of the file's defaults (unit, activity, campaign, place) were given.
    seen_default: [bool; 4],
}

impl<'s> Scanner<'s> {
    /// Reads line `line` (1-based), `rest` after `indent` spaces; `None` when it is outside the
    /// subset.
    fn line(&mut self, line: usize, indent: usize, rest: &'s str) -> Option<()> {
        if self.is_list.is_none() {
            if rest == "---" && indent == 0 {
                return Some(());
            }
            let list = indent == 0 && rest.starts_with("- ");
            self.is_list = Some(list);
            self.in_list = list;
        }
        // Lines of a block `metrics:` mapping, indented deeper than the item's keys.
        if let Some(block) = self.metrics_block {
            if indent > self.item_col {
                return self.metric_line(block, indent, rest);
            }
            self.metrics_block = None;
        }
        if let Some(after) = rest.strip_prefix("- ") {
            return self.item(line, indent, after);
        }
        if self.in_list && self.list_col.is_some() && indent == self.item_col {
            let (_, item) = self.out.items.last_mut()?;
            let block = field(item, rest)?;
            self.metrics_block = block.then_some(None);
            return Some(());
        }
        self.file_key(indent, rest)
    }

    /// A `key: count` line of a block `metrics:` mapping whose lines sit at column `block`
    /// (`None`: this is its first line).
    fn metric_line(&mut self, block: Option<usize>, indent: usize, rest: &'s str) -> Option<()> {
        if block.is_some_and(|c| c != indent) {
            return None;
        }
        self.metrics_block = Some(Some(indent));
        let (k, v) = key_value(rest)?;
        let (_, item) = self.out.items.last_mut()?;
        push_metric(&mut item.metrics, k, v)
    }

    /// A `- key: value` line: a new item.
    fn item(&mut self, line: usize, indent: usize, after: &'s str) -> Option<()> {
        if !self.in_list || *self.list_col.get_or_insert(indent) != indent {
            return None;
        }
        let pad = after.len() - after.trim_start_matches(' ').len();
        self.item_col = indent + 2 + pad;
        let mut item = Fields::default();
        let block = field(&mut item, &after[pad..])?;
        self.metrics_block = block.then_some(None);
        self.out
            .items
            .push((Pos::new(line, self.item_col + 1), item));
        Some(())
    }

    /// A key of the file's own mapping (`records:` form): `records:` or one of the defaults.
    fn file_key(&mut self, indent: usize, rest: &'s str) -> Option<()> {
        if self.is_list == Some(true) || indent != 0 {
            return None;
        }
        if self.in_list {
            self.list_col?; // `records:` with nothing in it
            self.in_list = false; // the list has ended
        }
        if rest == "records:" {
            if std::mem::replace(&mut self.records_seen, true) {
                return None;
            }
            self.in_list = true;
            return Some(());
        }
        let (key, value) = key_value(rest)?;
        let slot = match key {
            "unit" => 0,
            "activity" => 1,
            "campaign" => 2,
            "place" => 3,
            _ => return None,
        };
        if std::mem::replace(&mut self.seen_default[slot], true) {
            return None;
        }
        let v = Some(plain(value)?);
        let d = &mut self.out.defaults;
        match slot {
            0 => d.unit = v,
            1 => d.activity = v,
            2 => d.campaign = v,
            _ => d.place = v,
        }
        Some(())
    }
}

/// Reads one `key: value` of an item into `item`; `Some(true)` for a bare `metrics:`, whose
/// block follows.
fn field<'s>(item: &mut Fields<'s>, text: &'s str) -> Option<bool> {
    if let Some(block) = text.strip_prefix("metrics:") {
        if std::mem::replace(&mut item.metrics_given, true) {
            return None;
        }
        if block.is_empty() {
            return Some(true);
        }
        let flow = block.strip_prefix(' ')?.trim_start_matches(' ');
        let inner = flow.strip_prefix('{')?.strip_suffix('}')?;
        if inner.contains(['{', '}']) {
            return None;
        }
        if !inner.trim().is_empty() {
            for entry in inner.split(',') {
                let (k, v) = key_value(entry.trim_matches(' '))?;
                push_metric(&mut item.metrics, k, v)?;
            }
        }
        return Some(false);
    }
    let (key, value) = key_value(text)?;
    let slot = match key {
        "date" => &mut item.date,
        "unit" => &mut item.unit,
        "activity" => &mut item.activity,
        "place" => &mut item.place,
        "note" => &mut item.note,
        "campaign" => &mut item.campaign,
        _ => return None,
    };
    if slot.replace(plain(value)?).is_some() {
        return None; // a duplicate key: serde reports it
    }
    Some(false)
}

/// Splits `key: value` (one space after the colon, as written); `None` for anything else.
fn key_value(text: &str) -> Option<(&str, &str)> {
    let (key, value) = text.split_once(": ")?;
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    Some((key, value.trim_matches(' ')))
}

fn push_metric<'s>(metrics: &mut Vec<(&'s str, u64)>, key: &'s str, value: &str) -> Option<()> {
    let n = count(value)?;
    if metrics.iter().any(|(k, _)| *k == key) {
        return None;
    }
    metrics.push((key, n));
    Some(())
}

/// A whole number written plainly: `0` or digits without a leading zero, sign or separator.
fn count(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || s.len() > 1 && s.starts_with('0') {
        return None;
    }
    s.parse().ok()
}

/// A plain scalar that YAML reads as the same text in every schema, or `None`.
fn plain(s: &str) -> Option<&str> {
    let first = s.chars().next()?;
    if "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || matches!(s, "~" | "null" | "Null" | "NULL")
    {
        return None;
    }
    Some(s)
}

/// Whether `src` holds a byte the scanner leaves to the YAML library: control characters
/// (tabs among them), and the Unicode line breaks and BOM that YAML treats specially.
fn has_special_bytes(src: &str) -> bool {
    let b = src.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b'\n' => false,
        0..=0x1f | 0x7f => true,
        // U+0080–U+009F (C1 controls, NEL among them)
        0xc2 => b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)),
        // U+2028, U+2029
        0xe2 => b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xa8 | 0xa9)),
        // U+FEFF, U+FFFE, U+FFFF
        0xef => matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
        ),
        _ => false,
    })
}
