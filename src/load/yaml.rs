//! YAML, behind one small module: parsing through serde_norway, and positions of nodes.
//!
//! serde_norway reports where a *syntax* error is, but gives deserialized values no positions.
//! To point a semantic error ("unknown metric") at its line, [`Locator`] re-reads the same text
//! with saphyr-parser's event stream, which carries a marker per node. It is built only for a
//! file that has such an error, so valid files pay nothing.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};
pub use serde_norway::{Mapping, Value};

use crate::diag::Pos;

/// A YAML syntax error, with the parser's position (1-based) and a hint where one helps.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    /// Where the parser stopped.
    pub pos: Pos,
    /// What it found, in one line.
    pub message: String,
    /// What to do about it, when something helps.
    pub hint: Option<String>,
}

/// How deep YAML may nest (SPEC §7): far beyond any site file, far below what makes a parser slow.
pub const MAX_DEPTH: usize = 64;

/// Refuses YAML nested deeper than [`MAX_DEPTH`] before any parser sees it: flow collections
/// (`[[[…`) cost the parsers time and memory per level, and a hostile file nests thousands deep.
/// A linear scan of the text; quoted strings and comments do not count.
pub fn check_depth(src: &str) -> Result<(), SyntaxError> {
    let mut flow = 0usize;
    let mut indents: Vec<usize> = Vec::new();
    for (i, line) in src.lines().enumerate() {
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        if flow == 0 && !body.is_empty() && !body.starts_with('#') {
            while indents.last().is_some_and(|&d| d >= indent) {
                indents.pop();
            }
            indents.push(indent);
        }
        let (mut quote, mut col) = (None::<char>, 0usize);
        for c in line.chars() {
            col += 1;
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '#') => break,
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => flow += 1,
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                _ => {}
            }
            if flow + indents.len() > MAX_DEPTH {
                return Err(SyntaxError {
                    pos: Pos::new(i + 1, col),
                    message: format!("YAML nested deeper than {MAX_DEPTH} levels"),
                    hint: Some(
                        "a site file needs a few levels; this one looks generated or damaged"
                            .into(),
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Parses one YAML document. An empty document is `Value::Null`.
pub fn parse(src: &str) -> Result<Value, SyntaxError> {
    check_depth(src)?;
    serde_norway::from_str::<Value>(src).map_err(|e| {
        let pos = e
            .location()
            .map(|l| Pos::new(l.line(), l.column()))
            .unwrap_or_default();
        let message = too_large(&e.to_string()).unwrap_or_else(|| clean_message(&e.to_string()));
        let hint = full_width_hint(src, pos.line);
        SyntaxError { pos, message, hint }
    })
}

/// A whole number too large for any field reads as a type error about `u128`/`i128` in
/// serde_norway; say what it is instead.
fn too_large(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("invalid type: integer `").or_else(|| {
        msg.find(": invalid type: integer `")
            .map(|i| &msg[i + ": invalid type: integer `".len()..])
    })?;
    let (n, tail) = rest.split_once('`')?;
    (tail.starts_with(" as u128") || tail.starts_with(" as i128"))
        .then(|| format!("the number {n} is too large (counts go up to 10^12)"))
}

/// serde_norway appends " at line X column Y" to its messages; the position is printed
/// separately, so drop it.
fn clean_message(msg: &str) -> String {
    let msg = match msg.find(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    };
    format!("YAML syntax error: {msg}")
}

/// If the lines around `line` use a full-width colon or space where YAML needs ASCII, say so.
pub fn full_width_hint(src: &str, line: usize) -> Option<String> {
    let lo = line.saturating_sub(2);
    let suspects = src
        .lines()
        .enumerate()
        .skip(lo)
        .take(3)
        .any(|(_, l)| has_full_width_syntax(l));
    (suspects || (line == 0 && src.lines().any(has_full_width_syntax))).then(|| {
        "YAML needs ASCII: write `key: value`, not the full-width colon (`key：value`), and \
         indent with ordinary spaces, not the full-width space (　)"
            .to_string()
    })
}

/// A line that uses `：` as a key separator, or indents with U+3000.
pub fn has_full_width_syntax(line: &str) -> bool {
    let trimmed = line.trim_start_matches([' ', '-']);
    if line.starts_with('\u{3000}') || trimmed.starts_with('\u{3000}') {
        return true;
    }
    // `key：value` with no ASCII colon before the full-width one: meant as a key.
    match (trimmed.find('：'), trimmed.find(':')) {
        (Some(fw), Some(ascii)) => fw < ascii && !trimmed[..fw].contains(' '),
        (Some(fw), None) => !trimmed[..fw].contains(' ') && fw > 0,
        _ => false,
    }
}

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    /// A key of a mapping.
    Key(String),
    /// An item of a list, from 0.
    Index(usize),
}

/// A path into a document (`records[3].metrics.households`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct YPath(Vec<Seg>);

impl YPath {
    /// The document root.
    pub fn root() -> Self {
        YPath(Vec::new())
    }

    /// This path, one key deeper.
    pub fn key(&self, k: &str) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Key(k.to_string()));
        YPath(v)
    }

    /// This path, one item deeper.
    pub fn index(&self, i: usize) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Index(i));
        YPath(v)
    }
}

/// Positions of the nodes of one document: a mapping entry's key, or a sequence item.
#[derive(Debug, Default)]
pub struct Locator {
    positions: HashMap<YPath, Pos>,
}

enum Frame {
    Map {
        path: YPath,
        next_key: Option<String>,
        expecting_key: bool,
    },
    Seq {
        path: YPath,
        next: usize,
    },
}

impl Locator {
    /// Reads `src` once and records the position of every node.
    pub fn new(src: &str) -> Self {
        let mut positions = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        for item in Parser::new_from_str(src) {
            let Ok((event, span)) = item else { break };
            let pos = Pos::new(span.start.line(), span.start.col() + 1);
            // The path of the node this event starts, if it is a value (not a key).
            let mut here: Option<YPath> = None;
            match stack.last_mut() {
                Some(Frame::Map {
                    path,
                    next_key,
                    expecting_key,
                }) => {
                    if matches!(event, Event::MappingEnd) {
                    } else if *expecting_key {
                        if let Event::Scalar(k, ..) = &event {
                            let p = path.key(k);
                            positions.insert(p, pos);
                            *next_key = Some(k.to_string());
                        } else {
                            *next_key = None;
                        }
                        *expecting_key = false;
                    } else {
                        here = next_key.take().map(|k| path.key(&k));
                        *expecting_key = true;
                    }
                }
                Some(Frame::Seq { path, next }) => {
                    if !matches!(event, Event::SequenceEnd) {
                        let p = path.index(*next);
                        positions.insert(p.clone(), pos);
                        here = Some(p);
                        *next += 1;
                    }
                }
                None => here = Some(YPath::root()),
            }
            match event {
                Event::MappingStart(..) => {
                    let path = here.unwrap_or_default();
                    positions.entry(path.clone()).or_insert(pos);
                    stack.push(Frame::Map {
                        path,
                        next_key: None,
                        expecting_key: true,
                    });
                }
                Event::SequenceStart(..) => {
                    let path = here.unwrap_or_default();
                    positions.entry(path.clone()).or_insert(pos);
                    stack.push(Frame::Seq { path, next: 0 });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                Event::StreamEnd => break,
                _ => {}
            }
        }
        Locator { positions }
    }

    /// The position of the node at `path`, or of its nearest ancestor that has one.
    pub fn pos(&self, path: &YPath) -> Pos {
        let mut p = path.0.as_slice();
        loop {
            if let Some(pos) = self.positions.get(&YPath(p.to_vec())) {
                return *pos;
            }
            match p.split_last() {
                Some((_, rest)) => p = rest,
                None => return Pos::new(1, 1),
            }
        }
    }
}

/// The name of a YAML value's type, for messages ("expected a number, found text").
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_huge_number_is_too_large_not_a_syntax_error() {
        let e = parse("number: 99999999999999999999\n").unwrap_err();
        assert!(
            e.message.contains("99999999999999999999 is too large"),
            "{}",
            e.message
        );
    }

    use super::*;

    #[test]
    fn syntax_error_keeps_the_parser_position() {
        let err = parse("title: a\nunits:\n  x: [1, 2\n").unwrap_err();
        assert!(err.pos.line >= 3, "{err:?}");
        assert!(err.message.starts_with("YAML syntax error"));
    }

    #[test]
    fn deep_nesting_is_refused_at_once() {
        let deep = format!("a: {}1{}", "[".repeat(100_000), "]".repeat(100_000));
        let started = std::time::Instant::now();
        let e = parse(&deep).unwrap_err();
        assert!(started.elapsed().as_secs() < 1);
        assert_eq!(e.pos, Pos::new(1, 4 + MAX_DEPTH - 1));
        assert!(e.message.contains("deeper than 64"), "{}", e.message);
        let mut block = String::new();
        for i in 0..70 {
            block.push_str(&format!("{}k{i}:\n", " ".repeat(i)));
        }
        assert!(parse(&block).unwrap_err().message.contains("deeper"));
        // Ordinary files, brackets in quotes and comments do not count.
        assert!(parse("a: \"[[[[\" # {{{{\nb: [1, {c: 2}]\n").is_ok());
    }

    #[test]
    fn full_width_colon_gets_a_hint() {
        let err = parse("title: a\nunits:\n  fayuan：\n    name: 区法院\n").unwrap_err();
        assert!(err.hint.unwrap().contains("full-width colon"));
        assert!(has_full_width_syntax("title：淮安区政法简报"));
        assert!(has_full_width_syntax("\u{3000}name: x"));
        assert!(!has_full_width_syntax("note: 备注：发放联系卡"));
        assert!(!has_full_width_syntax("title: 一线访平安：真心换民心"));
    }

    #[test]
    fn locator_finds_keys_and_items() {
        let src = "unit: gongan\nrecords:\n  - date: 2017-11-02\n    metrics: { households: 320, leaflets: 900 }\n  - date: 2017-11-03\n    metrics:\n      househlds: 5\n";
        let loc = Locator::new(src);
        let root = YPath::root();
        assert_eq!(loc.pos(&root.key("unit")), Pos::new(1, 1));
        assert_eq!(loc.pos(&root.key("records").index(0)), Pos::new(3, 5));
        assert_eq!(
            loc.pos(&root.key("records").index(0).key("metrics").key("leaflets")),
            Pos::new(4, 33)
        );
        assert_eq!(
            loc.pos(&root.key("records").index(1).key("metrics").key("househlds")),
            Pos::new(7, 7)
        );
        // Unknown paths fall back to the nearest ancestor.
        assert_eq!(
            loc.pos(&root.key("records").index(1).key("nope")),
            Pos::new(5, 5)
        );
    }
}
