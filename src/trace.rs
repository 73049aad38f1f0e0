//! Timings of the stages inside a run, for `-v`: off by default and then nearly free (one atomic
//! load per stage, a handful of stages per build). Stages nest by name ("load: records").

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

static ON: AtomicBool = AtomicBool::new(false);
static SPANS: Mutex<Vec<(Cow<'static, str>, Duration)>> = Mutex::new(Vec::new());

/// Starts recording stage timings (the CLI does this for `-v`).
pub fn enable() {
    ON.store(true, Ordering::Relaxed);
}

/// Times the stage until the guard is dropped.
pub fn span(name: &'static str) -> Span {
    Span(
        ON.load(Ordering::Relaxed)
            .then(|| (Cow::Borrowed(name), Instant::now())),
    )
}

/// Times a step whose name says something found on the way (`load: x.csv, GB18030`); the
/// name is made only with `-v`.
pub fn span_with(name: impl FnOnce() -> String) -> Span {
    Span(
        ON.load(Ordering::Relaxed)
            .then(|| (Cow::Owned(name()), Instant::now())),
    )
}

/// The recorded stages, in the order they ended, and forgets them.
pub fn take() -> Vec<(Cow<'static, str>, Duration)> {
    std::mem::take(&mut *SPANS.lock().unwrap_or_else(|e| e.into_inner()))
}

/// A stage being timed (see [`span`]).
#[must_use = "the stage is timed until the guard is dropped"]
pub struct Span(Option<(Cow<'static, str>, Instant)>);

impl Drop for Span {
    fn drop(&mut self) {
        if let Some((name, t)) = self.0.take() {
            let d = t.elapsed();
            SPANS
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((name, d));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_only_when_enabled() {
        drop(span("before"));
        assert!(take().iter().all(|(n, _)| *n != "before"));
        enable();
        drop(span("after"));
        assert!(take().iter().any(|(n, _)| *n == "after"));
        drop(span_with(|| "named".to_string()));
        assert!(take().iter().any(|(n, _)| *n == "named"));
    }
}
