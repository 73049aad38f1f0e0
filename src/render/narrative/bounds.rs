//! Bounds on the work and output of one narrative body.
//!
//! Tera 2 has no fuel or limit setting (its own `range()` caps one call at 100,000 items, not
//! the product of nested loops), so the bounds are built around it:
//! - the body is rewritten before Tera sees it: every `{% for … in EXPR %}` iterates over
//!   `bound_loop(v=(EXPR))`, which charges the loop's length to the narrative's budget, and every
//!   `{% set x = EXPR %}` stores `bound_value(v=(EXPR))`, which refuses a value over
//!   [`MAX_VALUE_BYTES`] (string doubling stops there). `range()` and `replace` are ours, bounded;
//! - constructs whose work cannot be metered from outside Tera are refused: list
//!   comprehensions (`[x for x in …]`), block `set`, `filter` sections and components;
//! - the Markdown goes into a writer that stops at [`MAX_MARKDOWN_BYTES`];
//! - `chart()`, `kpis()` and `table()` count against [`MAX_FRAGMENTS`].
//!
//! The budget is per thread: a narrative renders on one thread from start to end.

use std::cell::RefCell;
use std::io;
use std::time::{Duration, Instant};

use tera::{Kwargs, State, Value};

/// Loop iterations and `range()` items one narrative may use in all.
pub(super) const MAX_ITERATIONS: usize = 100_000;
/// The largest value (text bytes, or list/map items) a narrative may store with `set`.
pub(super) const MAX_VALUE_BYTES: usize = 256 * 1024;
/// The most Markdown one narrative may produce.
pub(super) const MAX_MARKDOWN_BYTES: usize = 2 * 1024 * 1024;
/// The most `chart()`, `kpis()` and `table()` calls in one narrative.
pub(super) const MAX_FRAGMENTS: usize = 200;
/// The longest one narrative may render.
pub(super) const MAX_TIME: Duration = Duration::from_secs(5);

/// What one narrative has used so far.
struct Budget {
    start: Instant,
    iterations: usize,
    fragments: usize,
}

thread_local! {
    static BUDGET: RefCell<Option<Budget>> = const { RefCell::new(None) };
}

/// Starts the budget of a narrative on this thread; it ends when the guard drops.
pub(super) fn start() -> Guard {
    BUDGET.with(|b| {
        *b.borrow_mut() = Some(Budget {
            start: Instant::now(),
            iterations: 0,
            fragments: 0,
        })
    });
    Guard
}

/// Ends the budget on drop.
pub(super) struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        BUDGET.with(|b| *b.borrow_mut() = None);
    }
}

/// Charges `n` iterations, and checks the time.
fn charge(n: usize) -> Result<(), String> {
    BUDGET.with(|b| {
        let mut b = b.borrow_mut();
        let Some(b) = b.as_mut() else { return Ok(()) };
        b.iterations = b.iterations.saturating_add(n);
        if b.iterations > MAX_ITERATIONS {
            return Err(format!(
                "the narrative's loops run more than {MAX_ITERATIONS} times in all"
            ));
        }
        if b.start.elapsed() > MAX_TIME {
            return Err(format!(
                "the narrative takes longer than {} s to render",
                MAX_TIME.as_secs()
            ));
        }
        Ok(())
    })
}

/// Counts one chart, KPI block or table.
pub(super) fn charge_fragment() -> Result<(), String> {
    BUDGET.with(|b| {
        let mut b = b.borrow_mut();
        let Some(b) = b.as_mut() else { return Ok(()) };
        b.fragments += 1;
        if b.fragments > MAX_FRAGMENTS {
            return Err(format!(
                "more than {MAX_FRAGMENTS} chart(), kpis() and table() calls in one narrative"
            ));
        }
        Ok(())
    })?;
    charge(0)
}

/// The size a value counts for: text bytes, or list and map items.
fn size(v: &Value) -> usize {
    match v.as_str() {
        Some(s) => s.len(),
        None => v.len().unwrap_or(0),
    }
}

/// `bound_loop(v=…)`: the value, once its length is charged as iterations.
fn bound_loop(kw: Kwargs, _: &State) -> Result<Value, tera::Error> {
    let v: Value = kw.must_get("v")?;
    charge(v.len().unwrap_or(0)).map_err(tera::Error::message)?;
    Ok(v)
}

/// `bound_value(v=…)`: the value, if it is not too large to keep.
fn bound_value(kw: Kwargs, _: &State) -> Result<Value, tera::Error> {
    let v: Value = kw.must_get("v")?;
    if size(&v) > MAX_VALUE_BYTES {
        return Err(tera::Error::message(format!(
            "a value set in the narrative is larger than {} KB",
            MAX_VALUE_BYTES / 1024
        )));
    }
    charge(0).map_err(tera::Error::message)?;
    Ok(v)
}

/// `range(start=, end=, step_by=)`, as Tera's, at most [`MAX_ITERATIONS`] items.
fn range(kw: Kwargs, _: &State) -> Result<Vec<i64>, tera::Error> {
    let start = kw.get::<i64>("start")?.unwrap_or(0);
    let end = kw.must_get::<i64>("end")?;
    let step = kw.get::<i64>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message("range(): `step_by` is 0"));
    }
    let span = i128::from(end) - i128::from(start);
    let len = if (span > 0) == (step > 0) && span != 0 {
        span.unsigned_abs()
            .div_ceil(u128::from(step.unsigned_abs()))
    } else {
        0
    };
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    if len > MAX_ITERATIONS {
        return Err(tera::Error::message(format!(
            "range() of {len} items; a narrative's loops run at most {MAX_ITERATIONS} times"
        )));
    }
    // Not charged here: a list costs when a loop runs over it (bound_loop), and charging both
    // would count `for i in range(end=n)` twice.
    charge(0).map_err(tera::Error::message)?;
    // Every item lies between start and end, so none overflows.
    Ok((0..len as i64).map(|i| start + i * step).collect())
}

/// `replace(from=, to=)`, as Tera's, refusing a result over [`MAX_VALUE_BYTES`]: a chain of
/// replacements grows text geometrically within one expression.
fn replace(s: String, kw: Kwargs, _: &State) -> Result<String, tera::Error> {
    let from = kw.must_get::<String>("from")?;
    let to = kw.must_get::<String>("to")?;
    if from.is_empty() {
        return Ok(s);
    }
    let grows = to.len().saturating_sub(from.len());
    let count = if grows > 0 {
        s.matches(&from).count()
    } else {
        0
    };
    if s.len().saturating_add(count.saturating_mul(grows)) > MAX_VALUE_BYTES {
        return Err(tera::Error::message(format!(
            "replace() would make text larger than {} KB",
            MAX_VALUE_BYTES / 1024
        )));
    }
    Ok(s.replace(&from, &to))
}

/// Puts the bounded functions and filters in `tera`, over Tera's own.
pub(super) fn register(tera: &mut tera::Tera) {
    tera.register_function("bound_loop", bound_loop);
    tera.register_function("bound_value", bound_value);
    tera.register_function("range", range);
    tera.register_filter("replace", replace);
}

/// A writer that takes at most [`MAX_MARKDOWN_BYTES`].
#[derive(Default)]
pub(super) struct Capped {
    /// What was written.
    pub(super) buf: Vec<u8>,
    /// Whether a write went over the bound.
    pub(super) over: bool,
}

impl io::Write for Capped {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.len() + data.len() > MAX_MARKDOWN_BYTES {
            self.over = true;
            return Err(io::Error::other("narrative output bound"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The message when the Markdown went over its bound.
pub(super) fn too_much_markdown() -> String {
    format!(
        "the narrative produces more than {} MB of Markdown",
        MAX_MARKDOWN_BYTES / (1024 * 1024)
    )
}

/// Rewrites a narrative body so its loops and stored values are metered (see the module doc),
/// or says which construct is refused and on which line. No line breaks are added, so Tera's
/// line numbers stay those of the file (columns after an inserted call move right).
pub(super) fn instrument(src: &str) -> Result<String, (usize, String)> {
    let mut out = String::with_capacity(src.len() + 64);
    let mut i = 0;
    while let Some(off) = src[i..].find('{') {
        let at = i + off;
        let line = || src[..at].matches('\n').count() + 1;
        match src.as_bytes().get(at + 1) {
            Some(b'#') => {
                let end = src[at..].find("#}").map_or(src.len(), |e| at + e + 2);
                out.push_str(&src[i..end]);
                i = end;
            }
            Some(b'{') => {
                let end = tag_end(src, at + 2, "}}");
                let inner = inner_of(src, at + 2, end);
                if has_word(inner, "for") {
                    return Err((line(), comprehension()));
                }
                out.push_str(&src[i..end]);
                i = end;
            }
            Some(b'%') => {
                let end = tag_end(src, at + 2, "%}");
                out.push_str(&src[i..at]);
                i = statement(src, at, end, &mut out).map_err(|m| (line(), m))?;
            }
            _ => {
                out.push_str(&src[i..at + 1]);
                i = at + 1;
            }
        }
    }
    out.push_str(&src[i..]);
    Ok(out)
}

/// Writes the statement tag `{% … %}` at `src[at..end]` to `out`, metered if it loops or stores
/// a value, or says why it is refused. Returns where reading goes on (past `{% endraw %}` for a
/// raw block).
fn statement(src: &str, at: usize, end: usize, out: &mut String) -> Result<usize, String> {
    let inner = inner_of(src, at + 2, end);
    let body = inner.trim_start_matches('-').trim_start();
    let word: &str = body
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    let head = &inner[..inner.len() - body.len()];
    match word {
        "raw" => {
            let stop = endraw(src, end);
            out.push_str(&src[at..stop]);
            return Ok(stop);
        }
        "for" => {
            let rest = &body[3..];
            let Some(k) = find_word(rest, "in") else {
                out.push_str(&src[at..end]);
                return Ok(end);
            };
            let (expr, tail) = split_tail(&rest[k + 2..]);
            if has_word(expr, "for") {
                return Err(comprehension());
            }
            out.push_str(&format!(
                "{{%{head}for{} in bound_loop(v=({})){tail}%}}",
                &rest[..k].trim_end(),
                expr.trim()
            ));
        }
        "set" | "set_global" => {
            let rest = &body[word.len()..];
            let Some(eq) = assignment(rest) else {
                return Err(format!(
                    "a block `{word}` (without `=`) is not supported in narratives"
                ));
            };
            let (expr, tail) = split_tail(&rest[eq + 1..]);
            if has_word(expr, "for") {
                return Err(comprehension());
            }
            out.push_str(&format!(
                "{{%{head}{word}{}= bound_value(v=({})){tail}%}}",
                &rest[..eq],
                expr.trim()
            ));
        }
        "filter" | "component" | "include" | "extends" | "block" | "macro" => {
            return Err(format!("`{{% {word} %}}` is not supported in narratives"));
        }
        _ => {
            if word != "endfor" && has_word(&body[word.len()..], "for") {
                return Err(comprehension());
            }
            out.push_str(&src[at..end]);
        }
    }
    Ok(end)
}

fn comprehension() -> String {
    "list comprehensions (`[x for x in …]`) are not supported in narratives; use a {% for %} loop"
        .to_string()
}

/// The index just after `close` from `from`, skipping quoted strings; the end of `src` when
/// the tag is not closed (Tera then reports it).
fn tag_end(src: &str, from: usize, close: &str) -> usize {
    let b = src.as_bytes();
    let mut quote: Option<u8> = None;
    let mut j = from;
    while j < b.len() {
        match quote {
            Some(q) if b[j] == q => quote = None,
            Some(_) => {}
            None if matches!(b[j], b'"' | b'\'' | b'`') => quote = Some(b[j]),
            None if b[j..].starts_with(close.as_bytes()) => return j + close.len(),
            None => {}
        }
        j += 1;
    }
    src.len()
}

/// The text between a tag's delimiters: from `from` to two bytes before `end`, or to the end
/// of `src` when the tag is not closed (the last bytes may then be inside a character).
fn inner_of(src: &str, from: usize, end: usize) -> &str {
    match src.get(from..end.saturating_sub(2).max(from)) {
        Some(s) if end < src.len() || src.ends_with("}}") || src.ends_with("%}") => s,
        _ => src.get(from..).unwrap_or(""),
    }
}

/// The index just after the `{% endraw %}` that closes a raw block starting at `from`.
fn endraw(src: &str, from: usize) -> usize {
    let mut j = from;
    while let Some(off) = src[j..].find("{%") {
        let at = j + off;
        let end = tag_end(src, at + 2, "%}");
        let inner =
            inner_of(src, at + 2, end).trim_matches(|c: char| c == '-' || c.is_whitespace());
        if inner == "endraw" {
            return end;
        }
        j = at + 2;
    }
    src.len()
}

/// Splits the whitespace-control tail (`-` and spaces before `%}`) off an expression.
fn split_tail(s: &str) -> (&str, &str) {
    let core = s.trim_end_matches(|c: char| c == '-' || c.is_whitespace());
    (core, &s[core.len()..])
}

/// Where `word` stands alone in `s` outside strings.
fn find_word(s: &str, word: &str) -> Option<usize> {
    let b = s.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut quote: Option<u8> = None;
    for j in 0..b.len() {
        match quote {
            Some(q) if b[j] == q => quote = None,
            Some(_) => {}
            None if matches!(b[j], b'"' | b'\'' | b'`') => quote = Some(b[j]),
            None if b[j..].starts_with(word.as_bytes())
                && (j == 0 || !ident(b[j - 1]))
                && b.get(j + word.len()).is_none_or(|&c| !ident(c)) =>
            {
                return Some(j)
            }
            None => {}
        }
    }
    None
}

fn has_word(s: &str, word: &str) -> bool {
    find_word(s, word).is_some()
}

/// The `=` of `name = expr` (not `==`, `!=`, `<=`, `>=`), outside strings.
fn assignment(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut quote: Option<u8> = None;
    for j in 0..b.len() {
        match quote {
            Some(q) if b[j] == q => quote = None,
            Some(_) => {}
            None if matches!(b[j], b'"' | b'\'' | b'`') => quote = Some(b[j]),
            None if b[j] == b'='
                && b.get(j + 1) != Some(&b'=')
                && (j == 0 || !matches!(b[j - 1], b'=' | b'!' | b'<' | b'>')) =>
            {
                return Some(j)
            }
            None => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loops_and_sets_are_metered() {
        let src = "a {%- for i in range(end=3) -%}{{ i }}{% endfor %}\n{% set_global s = s ~ s %}";
        let out = instrument(src).unwrap();
        assert_eq!(
            out,
            "a {%- for i in bound_loop(v=(range(end=3))) -%}{{ i }}{% endfor %}\n{% set_global s = bound_value(v=(s ~ s)) %}"
        );
        let raw = "{% raw %}{% for x in y %}{% endraw %}{{ \"{% for\" }}";
        assert_eq!(instrument(raw).unwrap(), raw);
        assert_eq!(
            instrument("x\n{{ [i for i in range(end=9)] }}")
                .unwrap_err()
                .0,
            2
        );
        assert!(instrument("{% set x %}a{% endset %}").is_err());
        assert!(instrument("{% if a == b %}{% endif %}").is_ok());
        // Byte positions inside characters (the scan is by bytes) must not panic.
        assert!(instrument("共走访{{ stat(met\u{FFFD}ic=\"户\") }}。{% for 走 in x %}").is_ok());
        assert!(instrument("{{ \"走").is_ok() && instrument("{% set 走 = \"访").is_ok());
    }
}
