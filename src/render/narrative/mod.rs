//! Narrative bodies: Tera (figures from the records) → Markdown → sanitized HTML.
//!
//! `stat()`, `ratio()`, `chart()`, `kpis()` and `table()` are Tera functions over the figures.
//! Text figures go into the Markdown as text. HTML fragments (charts, KPI cards, tables) must
//! not pass through Markdown or the sanitizer, which would mangle or strip their SVG: the
//! functions return a placeholder token of private-use characters, and the finished HTML gets
//! the fragment in its place. Fragments are cached by their arguments, so a chart asked for by
//! many articles is drawn once.

mod args;
mod bounds;
mod chart;
mod kpis;
pub mod links;
mod ratio;
mod stat;
mod table;

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};
use tera::{Context, Kwargs, State, Tera};

use self::args::{to_tera, FnError, HINT_SEP};
use super::figures;
use super::labels::Words;
use crate::aggregate::Figures;
use crate::diag::{Diagnostic, Pos};
use crate::model::{CampaignId, Site};

const TOKEN_OPEN: char = '\u{E000}';
const TOKEN_CLOSE: char = '\u{E001}';

/// HTML fragments made by narrative functions, shared by all pages of a build.
#[derive(Default)]
struct Fragments {
    by_key: HashMap<String, usize>,
    html: Vec<Arc<str>>,
}

/// What the narrative functions share: the site, its figures, the fragments made so far.
struct Shared {
    site: Arc<Site>,
    figures: Arc<Figures>,
    /// The theme's words, for what narratives print around the figures.
    words: Arc<Words>,
    fragments: Mutex<Fragments>,
    /// Narrative file (path under `content/`) → its page, for links between narratives.
    narratives: HashMap<String, String>,
    /// The photos and attachments the narratives point at, by key of [`Site::media`].
    used: Mutex<BTreeSet<String>>,
    /// Warnings of the narratives rendered (raw HTML pointing at a missing file).
    warnings: Mutex<Vec<Diagnostic>>,
}

/// Renders narrative bodies of one site.
pub struct Narratives {
    tera: Tera,
    shared: Arc<Shared>,
    sanitizer: ammonia::Builder<'static>,
    /// How many narratives were rendered: each is rendered once a build (a test holds it).
    rendered: std::sync::atomic::AtomicUsize,
}

/// Rendered HTML of a narrative, or the diagnostics that stopped it.
pub type Rendered = Result<String, Vec<Diagnostic>>;

impl Narratives {
    /// Sets up the functions over `figures`.
    pub fn new(site: Arc<Site>, figures: Arc<Figures>, words: Arc<Words>) -> Self {
        let under_content = |p: &std::path::Path| {
            p.strip_prefix("content")
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/")
        };
        let mut narratives: HashMap<String, String> = site
            .articles
            .iter()
            .map(|a| {
                (
                    under_content(&a.origin.path),
                    crate::paths::article(&a.slug),
                )
            })
            .collect();
        narratives.extend(site.pages.iter().map(|p| {
            (
                under_content(&p.origin.path),
                crate::paths::single_page(&p.slug),
            )
        }));
        let shared = Arc::new(Shared {
            site,
            figures,
            words,
            fragments: Mutex::new(Fragments::default()),
            narratives,
            used: Mutex::default(),
            warnings: Mutex::default(),
        });
        let mut tera = Tera::new();
        type NarrativeFn = fn(&Shared, &Kwargs, &State) -> Result<String, FnError>;
        let functions: [(&'static str, NarrativeFn); 5] = [
            ("stat", stat::stat),
            ("ratio", ratio::ratio),
            ("chart", chart::chart),
            ("kpis", kpis::kpis),
            ("table", table::table),
        ];
        bounds::register(&mut tera);
        for (name, f) in functions {
            let s = shared.clone();
            tera.register_function(name, move |kw: Kwargs, st: &State| {
                f(&s, &kw, st).map_err(to_tera)
            });
        }
        let mut sanitizer = ammonia::Builder::default();
        sanitizer.add_generic_attributes(["class", "id", "align"]);
        Narratives {
            tera,
            shared,
            sanitizer,
            rendered: Default::default(),
        }
    }

    /// How many narratives this has rendered.
    pub fn rendered(&self) -> usize {
        self.rendered.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Renders `body` (starting on line `body_line` of `path`) of a narrative in `campaign`.
    /// `dateline` (电头) leads the first paragraph.
    pub fn render(
        &self,
        body: &str,
        path: &std::path::Path,
        body_line: usize,
        campaign: Option<CampaignId>,
        dateline: Option<&str>,
    ) -> Rendered {
        self.rendered
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut ctx = Context::new();
        if let Some(c) = campaign {
            ctx.insert("__campaign", &c.0);
        }
        let instrumented = bounds::instrument(body).map_err(|(line, msg)| {
            vec![Diagnostic::error(
                path,
                Pos::new(body_line + line - 1, 1),
                msg,
            )]
        })?;
        let mut out = bounds::Capped::default();
        let rendered = {
            let _budget = bounds::start();
            self.tera
                .render_str_to(&instrumented, &ctx, false, &mut out)
        };
        if out.over {
            return Err(vec![Diagnostic::error(
                path,
                Pos::new(body_line, 1),
                bounds::too_much_markdown(),
            )]);
        }
        rendered.map_err(|e| vec![template_diagnostic(&e, path, body_line)])?;
        let markdown = String::from_utf8(out.buf).map_err(|_| {
            vec![Diagnostic::error(
                path,
                Pos::new(body_line, 1),
                "the narrative's output is not UTF-8",
            )]
        })?;
        let at = links::At {
            path,
            body,
            body_line,
            indent: 0,
        };
        let html = self.markdown_at(&markdown, Some(&at))?;
        Ok(self.finish(html, dateline))
    }

    /// The photos and attachments the narratives rendered so far point at, by key of
    /// [`Site::media`], sorted.
    pub fn used_media(&self) -> Vec<String> {
        lock(&self.shared.used).iter().cloned().collect()
    }

    /// Takes the warnings of the narratives rendered so far.
    pub fn take_warnings(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *lock(&self.shared.warnings))
    }

    /// Marks a photo shown outside the bodies (a lead photo) as used.
    pub fn use_media(&self, key: &str) {
        lock(&self.shared.used).insert(key.to_string());
    }

    /// How many distinct charts the narratives drew.
    pub fn chart_count(&self) -> usize {
        lock(&self.shared.fragments)
            .by_key
            .keys()
            .filter(|k| k.starts_with("chart|"))
            .count()
    }

    /// Markdown → HTML of a campaign's summary (text of its campaign.yaml at `path`, starting
    /// at `start`; not a template), its images and links resolved as a narrative's are: against
    /// the campaign's folder, `/…` against `content/static/`.
    pub fn summary(&self, md: &str, path: &std::path::Path, start: Pos) -> Rendered {
        let at = links::At {
            path,
            body: md,
            body_line: start.line,
            indent: start.col,
        };
        let html = self.markdown_at(md, Some(&at))?;
        Ok(self.finish(html, None))
    }

    /// Markdown → HTML, sanitized unless the site trusts raw HTML (text that belongs to no
    /// narrative file: its local links are left as written).
    pub fn markdown(&self, md: &str) -> String {
        self.markdown_at(md, None).unwrap_or_default()
    }

    /// Markdown → HTML of the narrative `at`, its images and links resolved; the errors of
    /// targets that name nothing.
    fn markdown_at(&self, md: &str, at: Option<&links::At>) -> Result<String, Vec<Diagnostic>> {
        let mut opts = Options::empty();
        opts.insert(Options::ENABLE_TABLES);
        opts.insert(Options::ENABLE_FOOTNOTES);
        opts.insert(Options::ENABLE_STRIKETHROUGH);
        let (events, raw_html) = subheads(Parser::new_ext(md, opts).into_offset_iter());
        let mut events = match at {
            Some(at) => {
                let (events, errors) = links::resolve_all(&self.shared, at, md, events);
                if !errors.is_empty() {
                    return Err(errors);
                }
                events
            }
            None => events.into_iter().map(|(e, _)| e).collect(),
        };
        outline(&mut events);
        let trusted = self.shared.site.config.unsafe_html;
        // pulldown-cmark escapes all text; what it passes through unescaped is raw HTML and
        // link targets. Targets are checked here; raw HTML, when present, goes through the
        // sanitizer (ammonia). Bodies without raw HTML — nearly all — skip that costly pass.
        for ev in &mut events {
            match ev {
                Event::Start(Tag::Link { dest_url, .. })
                | Event::Start(Tag::Image { dest_url, .. })
                    if !trusted && !safe_url(dest_url) =>
                {
                    *dest_url = "#".into();
                }
                _ => {}
            }
        }
        let mut out = String::with_capacity(md.len() * 3 / 2);
        html::push_html(&mut out, events.into_iter());
        if trusted || !raw_html {
            Ok(out)
        } else {
            Ok(self.sanitizer.clean(&out).to_string())
        }
    }

    /// Puts fragments in place of their tokens and the dateline into the first paragraph.
    fn finish(&self, mut html: String, dateline: Option<&str>) -> String {
        if html.contains(TOKEN_OPEN) {
            let frags = lock(&self.shared.fragments);
            let mut out = String::with_capacity(html.len());
            let mut rest = html.as_str();
            while let Some(start) = rest.find(TOKEN_OPEN) {
                let Some(len) = rest[start..].find(TOKEN_CLOSE) else {
                    break;
                };
                let id: Option<usize> = rest[start + TOKEN_OPEN.len_utf8()..start + len]
                    .parse()
                    .ok();
                let mut before = &rest[..start];
                let mut after = &rest[start + len + TOKEN_CLOSE.len_utf8()..];
                // A fragment alone in its paragraph replaces the paragraph (no <p><figure>).
                if before.ends_with("<p>") && after.starts_with("</p>") {
                    before = &before[..before.len() - 3];
                    after = &after[4..];
                }
                out.push_str(before);
                if let Some(f) = id.and_then(|i| frags.html.get(i)) {
                    out.push_str(f);
                }
                rest = after;
            }
            out.push_str(rest);
            html = out;
        }
        if let Some(d) = dateline.filter(|d| !d.is_empty()) {
            if let Some(i) = html.find("<p>") {
                let lead = format!("<p><span class=\"dateline\">{}</span>", figures::esc(d));
                html.replace_range(i..i + 3, &lead);
            } else {
                html.insert_str(
                    0,
                    &format!("<p><span class=\"dateline\">{}</span></p>", figures::esc(d)),
                );
            }
        }
        html
    }
}

/// Two-line subheads: `### 大宣传 · 营造浓厚氛围` becomes a heading of two lines, as the
/// seeds' pages print them. Also says whether the source holds raw HTML (ours is not).
fn subheads<'a>(
    parser: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
) -> (Vec<(Event<'a>, std::ops::Range<usize>)>, bool) {
    let mut out = Vec::new();
    let mut in_h3 = false;
    let mut raw_html = false;
    for (ev, range) in parser {
        match &ev {
            Event::Html(_) | Event::InlineHtml(_) => raw_html = true,
            Event::Start(Tag::Heading {
                level: pulldown_cmark::HeadingLevel::H3,
                ..
            }) => in_h3 = true,
            Event::End(TagEnd::Heading(pulldown_cmark::HeadingLevel::H3)) => in_h3 = false,
            Event::Text(t) if in_h3 && t.contains(" · ") => {
                let parts: Vec<String> = t.split(" · ").map(|p| figures::esc(p.trim())).collect();
                out.push((
                    Event::Html(
                        format!(
                            "<span class=\"subhead-line\">{}</span>",
                            parts.join("</span><span class=\"subhead-line\">")
                        )
                        .into(),
                    ),
                    range,
                ));
                continue;
            }
            _ => {}
        }
        out.push((ev, range));
    }
    (out, raw_html)
}

/// Heading levels that continue the page's outline: a body sits under the page's `<h1>`, so
/// its top headings become `<h2>` and each one is at most a level below the one it is under
/// (`###` right after the title would skip a level; `#` would be a second title).
fn outline(events: &mut [Event]) {
    use pulldown_cmark::HeadingLevel;
    const LEVELS: [HeadingLevel; 5] = [
        HeadingLevel::H2,
        HeadingLevel::H3,
        HeadingLevel::H4,
        HeadingLevel::H5,
        HeadingLevel::H6,
    ];
    // The written levels of the headings the next one may sit under.
    let mut open: Vec<HeadingLevel> = Vec::new();
    let mut current = HeadingLevel::H2;
    for ev in events {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                while open.last().is_some_and(|l| *l >= *level) {
                    open.pop();
                }
                current = LEVELS[open.len().min(LEVELS.len() - 1)];
                open.push(*level);
                *level = current;
            }
            Event::End(TagEnd::Heading(level)) => *level = current,
            _ => {}
        }
    }
}

/// Whether a link target is harmless: relative, or one of the schemes a bulletin links to.
fn safe_url(url: &str) -> bool {
    let u: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match u.find(':') {
        None => true,
        // A colon after the first /, ? or # is not a scheme (`a/b:c`, `?q=a:b`).
        Some(i) if u[..i].contains(['/', '?', '#']) => true,
        Some(i) => matches!(&u[..i], "http" | "https" | "mailto" | "tel" | "ftp"),
    }
}

/// Site text made literal inside Markdown: every ASCII punctuation character backslash-escaped
/// (CommonMark allows that for all of them), so a measure word like `<script>` or `*` is shown
/// as written and never becomes raw HTML or emphasis, whatever `unsafe_html` says.
pub(super) fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Locks `m`, taking it over from a thread that panicked.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A Tera error in a narrative body, as a diagnostic at the body's line in the file.
fn template_diagnostic(e: &tera::Error, path: &std::path::Path, body_line: usize) -> Diagnostic {
    let (msg, span) = match e.kind() {
        tera::ErrorKind::RenderingError(r) | tera::ErrorKind::SyntaxError(r) => {
            (r.message().to_string(), Some(r.span().clone()))
        }
        other => {
            let text = other.to_string();
            // Validation errors (unknown function) come as a report: "--> name:line:col".
            let pos = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("-->"))
                .and_then(|loc| {
                    let mut it = loc.trim().rsplitn(3, ':');
                    let col: usize = it.next()?.parse().ok()?;
                    let line: usize = it.next()?.parse().ok()?;
                    Some((line, col))
                });
            let first = text
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")
                .to_string();
            let span = pos.map(|(l, c)| tera::Span {
                start_line: l,
                start_col: c,
                end_line: l,
                end_col: c,
                ..Default::default()
            });
            (first, span)
        }
    };
    let (line, col) = span.map_or((body_line, 1), |s| {
        (body_line + s.start_line.saturating_sub(1), s.start_col + 1)
    });
    let (msg, hint) = match msg.split_once(HINT_SEP) {
        Some((m, h)) => (m.to_string(), Some(h.to_string())),
        None => (msg, None),
    };
    let hint = hint.or_else(|| {
        msg.contains("Unknown function").then(|| "narrative functions are stat, ratio, chart, kpis and table; write literal {{ }} inside {% raw %}…{% endraw %}".to_string())
    });
    Diagnostic::error(path, Pos::new(line, col), msg).with_hint_opt(hint)
}

/// Stores a fragment under `key` (made once), and returns its token.
fn fragment(
    sh: &Shared,
    key: String,
    make: impl FnOnce() -> Result<String, FnError>,
) -> Result<String, FnError> {
    bounds::charge_fragment().map_err(args::err)?;
    if let Some(&i) = lock(&sh.fragments).by_key.get(&key) {
        return Ok(format!("{TOKEN_OPEN}{i}{TOKEN_CLOSE}"));
    }
    let html: Arc<str> = make()?.into();
    let mut f = lock(&sh.fragments);
    let i = match f.by_key.get(&key) {
        Some(&i) => i,
        None => {
            f.html.push(html);
            let i = f.html.len() - 1;
            f.by_key.insert(key, i);
            i
        }
    };
    Ok(format!("{TOKEN_OPEN}{i}{TOKEN_CLOSE}"))
}

/// FNV-1a: a stable hash for chart ids (std's hasher is randomly seeded per process, and ids
/// must be the same in every build).
pub fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(md: &str) -> String {
        let mut events: Vec<Event> = Parser::new(md).collect();
        outline(&mut events);
        let mut html = String::new();
        html::push_html(&mut html, events.into_iter());
        html.lines()
            .filter(|l| l.starts_with("<h"))
            .collect::<Vec<_>>()
            .join("")
    }

    #[test]
    fn headings_continue_the_page_outline() {
        assert_eq!(headings("### a\n\n### b\n"), "<h2>a</h2><h2>b</h2>");
        assert_eq!(
            headings("## a\n\n#### b\n\n### c\n\n## d\n"),
            "<h2>a</h2><h3>b</h3><h3>c</h3><h2>d</h2>"
        );
        assert_eq!(headings("# a\n\n## b\n"), "<h2>a</h2><h3>b</h3>");
    }
}
