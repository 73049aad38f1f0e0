//! Diagnostics: every problem a run finds, as data, printed in one place.
//!
//! User mistakes never panic; each becomes a [`Diagnostic`] with the file, line and column it
//! points at, and all of them are collected so the user sees every problem at once.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How bad a problem is: errors fail the build (exit 1), warnings only print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The site has an error: nothing is written, exit status 1.
    Error,
    /// Worth a look; the build goes on.
    Warning,
}

/// A position in a source file: 1-based line, and 1-based column (0 when only the line is known).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters; 0 when only the line is known.
    pub col: usize,
}

impl Pos {
    /// A position at `line`, `col` (both 1-based).
    pub fn new(line: usize, col: usize) -> Self {
        Pos { line, col }
    }
}

/// One problem in the user's site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site root where possible; empty for a problem of the whole run.
    pub path: PathBuf,
    /// Where in the file, when known: a message without a line says so instead of a made-up `0:0`.
    pub pos: Option<Pos>,
    /// What is wrong, in one line.
    pub message: String,
    /// What to do about it, when something helps (nearest known name, encoding…).
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `path:pos` (`pos` is a [`Pos`], or `None` for the file as a whole).
    pub fn error(
        path: impl Into<PathBuf>,
        pos: impl Into<Option<Pos>>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            pos: pos.into().filter(|p| p.line > 0),
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `path:pos` (`pos` is a [`Pos`], or `None` for the file as a whole).
    pub fn warning(
        path: impl Into<PathBuf>,
        pos: impl Into<Option<Pos>>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, pos, message)
        }
    }

    /// The same diagnostic with a hint line.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a hint only when there is one.
    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        if hint.is_some() {
            self.hint = hint;
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: ")?;
        if !self.path.as_os_str().is_empty() {
            write!(f, "{}", escape_controls(&display_path(&self.path)))?;
            match self.pos {
                Some(Pos { line, col: 0 }) => write!(f, ":{line}")?,
                Some(Pos { line, col }) => write!(f, ":{line}:{col}")?,
                None => {}
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", escape_controls(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {}", escape_controls(hint))?;
        }
        Ok(())
    }
}

/// Text from the input may hold control characters (a slug with an escape sequence in it):
/// they are shown escaped, so a message never moves the terminal's cursor or changes its colours.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Paths print with forward slashes on every platform, so messages read the same everywhere.
fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Every diagnostic of a run. Shared across threads while loading in parallel.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one problem.
    pub fn push(&self, d: Diagnostic) {
        self.lock().push(d);
    }

    /// Records many problems.
    pub fn extend(&self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.lock().extend(ds);
    }

    /// Whether any error (not warning) was recorded.
    pub fn has_errors(&self) -> bool {
        self.lock().iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.lock()
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// All diagnostics, sorted by file and position so output is stable across runs.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut v = self.lock().clone();
        v.sort_by(|a, b| {
            (&a.path, a.pos, a.severity, &a.message).cmp(&(&b.path, b.pos, b.severity, &b.message))
        });
        v.dedup();
        v
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Diagnostic>> {
        // A poisoned lock only means another thread panicked mid-push; the Vec is still valid.
        self.items.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Prints diagnostics to standard error in the one format every command uses (`cli` and
/// `serve` both come here); warnings only when `warnings` is set. Returns the number of errors.
pub fn print(all: &[Diagnostic], warnings: bool) -> usize {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let mut errors = 0;
    for d in all {
        let is_error = d.severity == Severity::Error;
        errors += usize::from(is_error);
        if is_error || warnings {
            // A closed stderr leaves nothing to tell: the exit status still says it.
            let _ = writeln!(err, "{d}");
        }
    }
    errors
}

/// Prints a progress or summary line to standard error ("built 72 pages …", "serving …"):
/// not a problem of the site, so no path and no severity. Like [`print`], it never fails: a
/// closed or broken stderr (`jianbao build 2>&1 | head -1`) must not stop a build.
pub fn status_line(line: std::fmt::Arguments) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// `status!("built {n} pages")`: [`status_line`] with `format!` arguments.
macro_rules! status {
    ($($arg:tt)*) => {
        $crate::diag::status_line(format_args!($($arg)*))
    };
}
pub(crate) use status;

/// The known name nearest to `wanted`, for "did you mean" hints.
pub fn nearest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(wanted, k), k))
        .filter(|(d, k)| *d <= (k.chars().count().max(wanted.chars().count()) / 2).max(2))
        .min()
        .map(|(_, k)| k)
}

/// `did you mean "x"?` when a near name exists, else a list of the known ones (up to 8).
pub fn did_you_mean<'a>(
    wanted: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<String> {
    if let Some(n) = nearest(wanted, known.clone()) {
        return Some(format!("did you mean \"{n}\"?"));
    }
    let all: Vec<&str> = known.into_iter().take(9).collect();
    match all.len() {
        0 => None,
        1..=8 => Some(format!("known: {}", all.join(", "))),
        _ => Some(format!("known: {}, …", all[..8].join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_error_with_position_and_hint() {
        let d = Diagnostic::error(
            "content/a.yaml",
            Pos::new(12, 5),
            "unknown metric \"househlds\"",
        )
        .with_hint("did you mean \"households\"?");
        assert_eq!(
            d.to_string(),
            "error: content/a.yaml:12:5: unknown metric \"househlds\"\n  hint: did you mean \"households\"?"
        );
    }

    #[test]
    fn prints_only_the_position_it_knows() {
        let file = Diagnostic::error("pdf/a.pdf", None, "cannot write");
        assert_eq!(file.to_string(), "error: pdf/a.pdf: cannot write");
        let line = Diagnostic::warning("a.md", Pos::new(7, 0), "w");
        assert_eq!(line.to_string(), "warning: a.md:7: w");
        let unknown = Diagnostic::error("a.yaml", None, "x");
        assert_eq!(unknown.pos, None);
        let run = Diagnostic::error("", None, "no Chromium found");
        assert_eq!(run.to_string(), "error: no Chromium found");
    }

    #[test]
    fn control_characters_from_input_are_escaped() {
        let d = Diagnostic::error("content/a\u{1b}[31m.md", Pos::new(1, 2), "slug \"x\u{7}\"");
        assert_eq!(
            d.to_string(),
            "error: content/a\\u{1b}[31m.md:1:2: slug \"x\\u{7}\""
        );
    }

    #[test]
    fn nearest_finds_typos_but_not_strangers() {
        let known = ["households", "meetings", "leaflets"];
        assert_eq!(nearest("househlds", known), Some("households"));
        assert_eq!(nearest("meeting", known), Some("meetings"));
        assert_eq!(nearest("zzzzzzzzzzzz", known), None);
    }

    #[test]
    fn sorted_is_stable_and_deduplicated() {
        let ds = Diagnostics::new();
        ds.push(Diagnostic::error("b.yaml", Pos::new(1, 1), "x"));
        ds.push(Diagnostic::error("a.yaml", Pos::new(3, 1), "y"));
        ds.push(Diagnostic::error("a.yaml", Pos::new(3, 1), "y"));
        ds.push(Diagnostic::warning("a.yaml", Pos::new(1, 1), "w"));
        let v = ds.sorted();
        assert_eq!(v.len(), 3);
        assert_eq!(v[0].message, "w");
        assert_eq!(v[2].path, PathBuf::from("b.yaml"));
        assert!(ds.has_errors());
        assert_eq!(ds.error_count(), 3);
    }
}
