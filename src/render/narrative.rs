//! Narrative bodies: Tera (figures from the records) → Markdown → sanitized HTML.
//!
//! `stat()`, `ratio()`, `chart()`, `kpis()` and `table()` are Tera functions over the figures.
//! Text figures go into the Markdown as text. HTML fragments (charts, KPI cards, tables) must
//! not pass through Markdown or the sanitizer, which would mangle or strip their SVG: the
//! functions return a placeholder token of private-use characters, and the finished HTML gets
//! the fragment in its place. Fragments are cached by their arguments, so a chart asked for by
//! many articles is drawn once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};
use tera::{Context, Kwargs, State, Tera};

use super::figures::{self, By, ChartRequest};
use crate::aggregate::{Figures, Query};
use crate::chart::{self, ChartKind};
use crate::diag::{did_you_mean, Diagnostic, Pos};
use crate::load::doc::parse_date;
use crate::model::{CampaignId, MetricId, Site, UnitId};
use crate::numfmt::{self, Style};

const TOKEN_OPEN: char = '\u{E000}';
const TOKEN_CLOSE: char = '\u{E001}';
/// Separates a message from its hint inside a Tera error string.
const HINT_SEP: &str = "\u{E002}";

/// HTML fragments made by narrative functions, shared by all pages of a build.
#[derive(Default)]
struct Fragments {
    by_key: HashMap<String, usize>,
    html: Vec<Arc<str>>,
}

struct Shared {
    site: Arc<Site>,
    figures: Arc<Figures>,
    fragments: Mutex<Fragments>,
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
    pub fn new(site: Arc<Site>, figures: Arc<Figures>) -> Self {
        let shared = Arc::new(Shared {
            site,
            figures,
            fragments: Mutex::new(Fragments::default()),
        });
        let mut tera = Tera::new();
        type NarrativeFn = fn(&Shared, &Kwargs, &State) -> Result<String, FnError>;
        let functions: [(&'static str, NarrativeFn); 5] = [
            ("stat", stat),
            ("ratio", ratio),
            ("chart", chart_fn),
            ("kpis", kpis_fn),
            ("table", table_fn),
        ];
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
        let markdown = self
            .tera
            .render_str(body, &ctx, false)
            .map_err(|e| vec![template_diagnostic(&e, path, body_line)])?;
        let html = self.markdown(&markdown);
        Ok(self.finish(html, dateline))
    }

    /// How many distinct charts the narratives drew.
    pub fn chart_count(&self) -> usize {
        lock(&self.shared.fragments)
            .by_key
            .keys()
            .filter(|k| k.starts_with("chart|"))
            .count()
    }

    /// Markdown → HTML, sanitized unless the site trusts raw HTML.
    pub fn markdown(&self, md: &str) -> String {
        let mut opts = Options::empty();
        opts.insert(Options::ENABLE_TABLES);
        opts.insert(Options::ENABLE_FOOTNOTES);
        opts.insert(Options::ENABLE_STRIKETHROUGH);
        let (mut events, raw_html) = subheads(Parser::new_ext(md, opts));
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
            out
        } else {
            self.sanitizer.clean(&out).to_string()
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
fn subheads<'a>(parser: Parser<'a>) -> (Vec<Event<'a>>, bool) {
    let mut out = Vec::new();
    let mut in_h3 = false;
    let mut raw_html = false;
    for ev in parser {
        match &ev {
            Event::Html(_) | Event::InlineHtml(_) => raw_html = true,
            Event::Start(Tag::Heading {
                level: pulldown_cmark::HeadingLevel::H3,
                ..
            }) => in_h3 = true,
            Event::End(TagEnd::Heading(pulldown_cmark::HeadingLevel::H3)) => in_h3 = false,
            Event::Text(t) if in_h3 && t.contains(" · ") => {
                let parts: Vec<String> = t.split(" · ").map(|p| figures::esc(p.trim())).collect();
                out.push(Event::Html(
                    format!(
                        "<span class=\"subhead-line\">{}</span>",
                        parts.join("</span><span class=\"subhead-line\">")
                    )
                    .into(),
                ));
                continue;
            }
            _ => {}
        }
        out.push(ev);
    }
    (out, raw_html)
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

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A narrative function's failure: message and optional hint.
struct FnError(String, Option<String>);

fn to_tera(e: FnError) -> tera::Error {
    match e.1 {
        Some(h) => tera::Error::message(format!("{}{HINT_SEP}{h}", e.0)),
        None => tera::Error::message(e.0),
    }
}

fn err(msg: impl Into<String>) -> FnError {
    FnError(msg.into(), None)
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

// ---- argument helpers -------------------------------------------------------------------

fn check_args(kw: &Kwargs, func: &str, known: &[&str]) -> Result<(), FnError> {
    for (k, _) in kw.iter() {
        let k = k.to_string();
        if !known.contains(&k.as_str()) {
            return Err(FnError(
                format!("{func}(): unknown argument `{k}`"),
                did_you_mean(&k, known.iter().copied()),
            ));
        }
    }
    Ok(())
}

fn str_arg(kw: &Kwargs, key: &str) -> Result<Option<String>, FnError> {
    kw.get::<String>(key)
        .map_err(|e| err(format!("argument `{key}`: {e}")))
}

fn bool_arg(kw: &Kwargs, key: &str) -> Result<bool, FnError> {
    Ok(kw
        .get::<bool>(key)
        .map_err(|e| err(format!("argument `{key}`: {e}")))?
        .unwrap_or(false))
}

fn metric_arg(site: &Site, name: &str) -> Result<MetricId, FnError> {
    site.metric_id(name).ok_or_else(|| {
        FnError(
            format!("unknown metric \"{name}\""),
            did_you_mean(name, site.metrics.iter().map(|m| m.key.as_str())),
        )
    })
}

fn unit_arg(site: &Site, kw: &Kwargs) -> Result<Option<UnitId>, FnError> {
    match str_arg(kw, "unit")? {
        None => Ok(None),
        Some(u) => site.unit_id(&u).map(Some).ok_or_else(|| {
            FnError(
                format!("unknown unit \"{u}\""),
                did_you_mean(&u, site.units.iter().map(|x| x.key.as_str())),
            )
        }),
    }
}

fn date_arg(kw: &Kwargs, key: &str) -> Result<Option<NaiveDate>, FnError> {
    match str_arg(kw, key)? {
        None => Ok(None),
        Some(s) => parse_date(&s).map(Some).ok_or_else(|| {
            FnError(
                format!("`{key}`: cannot read \"{s}\" as a date"),
                Some("write dates as 2019-06-09".into()),
            )
        }),
    }
}

fn campaign_arg(sh: &Shared, kw: &Kwargs, st: &State) -> Result<CampaignId, FnError> {
    let site = &sh.site;
    if let Some(c) = str_arg(kw, "campaign")? {
        return site.campaign_id(&c).ok_or_else(|| {
            FnError(
                format!("unknown campaign \"{c}\""),
                did_you_mean(&c, site.campaigns.iter().map(|x| x.slug.as_str())),
            )
        });
    }
    match st.get::<u32>("__campaign") {
        Ok(Some(c)) => Ok(CampaignId(c)),
        _ => Err(FnError(
            "this narrative belongs to no campaign, so the figure has no source".into(),
            Some(
                "name one: campaign=\"slug\", or give the article `campaign:` in its front matter"
                    .into(),
            ),
        )),
    }
}

fn query_args(sh: &Shared, kw: &Kwargs, st: &State, metric: MetricId) -> Result<Query, FnError> {
    let q = Query {
        campaign: campaign_arg(sh, kw, st)?,
        metric,
        unit: unit_arg(&sh.site, kw)?,
        from: date_arg(kw, "from")?,
        to: date_arg(kw, "to")?,
    };
    if let (Some(f), Some(t)) = (q.from, q.to) {
        if t < f {
            return Err(err(format!("`to` ({t}) is before `from` ({f})")));
        }
    }
    Ok(q)
}

/// The figure, or an error when no record carries it ("cannot be computed", SPEC §3).
fn figure(sh: &Shared, q: &Query) -> Result<u64, FnError> {
    let f = sh.figures.query(q);
    // In a site with files left out, the missing records may be in them: that is reported
    // on the run after they are fixed, not guessed at now.
    if f.records == 0 && !sh.site.incomplete {
        let site = &sh.site;
        let mut what = format!(
            "{} ({})",
            site.metric(q.metric).key,
            site.metric(q.metric).label
        );
        if let Some(u) = q.unit {
            what.push_str(&format!(" of unit {}", site.unit(u).key));
        }
        let c = site.campaign(q.campaign);
        let range = match (q.from, q.to) {
            (None, None) => String::new(),
            (f, t) => format!(
                " between {} and {}",
                f.map_or("the start".into(), |d| d.to_string()),
                t.map_or("the end".into(), |d| d.to_string())
            ),
        };
        return Err(FnError(
            format!(
                "no records of {what} in campaign {}{range}: the figure cannot be computed",
                c.slug
            ),
            Some("check the metric, unit and dates, or add the records".into()),
        ));
    }
    Ok(f.value)
}

// ---- the functions ----------------------------------------------------------------------

fn stat(sh: &Shared, kw: &Kwargs, st: &State) -> Result<String, FnError> {
    check_args(
        kw,
        "stat",
        &[
            "metric", "unit", "from", "to", "campaign", "approx", "wan", "bare",
        ],
    )?;
    let name = str_arg(kw, "metric")?.ok_or_else(|| err("stat(): missing argument `metric`"))?;
    let metric = metric_arg(&sh.site, &name)?;
    let q = query_args(sh, kw, st, metric)?;
    let value = figure(sh, &q)?;
    let approx = match kw
        .get::<tera::Value>("approx")
        .map_err(|e| err(e.to_string()))?
    {
        None => None,
        Some(v) if v.as_bool() == Some(true) => Some(2),
        Some(v) if v.as_bool() == Some(false) => None,
        Some(v) => match v.as_i64() {
            Some(d) if (1..=18).contains(&d) => Some(d as u32),
            _ => {
                return Err(FnError(
                    "`approx` takes a number of digits (1 or more)".into(),
                    Some("approx=2 keeps 2 significant digits: 1834 → 1800余".into()),
                ))
            }
        },
    };
    let style = Style {
        approx,
        wan: bool_arg(kw, "wan")?,
    };
    Ok(if bool_arg(kw, "bare")? {
        numfmt::format_count(value, style)
    } else {
        numfmt::format_with_unit(value, style, &sh.site.metric(metric).unit)
    })
}

fn ratio(sh: &Shared, kw: &Kwargs, st: &State) -> Result<String, FnError> {
    check_args(
        kw,
        "ratio",
        &["name", "unit", "from", "to", "campaign", "decimals"],
    )?;
    let site = &sh.site;
    let name = str_arg(kw, "name")?.ok_or_else(|| err("ratio(): missing argument `name`"))?;
    let r = site.ratios.iter().find(|r| r.key == name).ok_or_else(|| {
        FnError(
            format!("unknown ratio \"{name}\""),
            did_you_mean(&name, site.ratios.iter().map(|r| r.key.as_str())),
        )
    })?;
    let decimals = kw
        .get::<u32>("decimals")
        .map_err(|e| err(e.to_string()))?
        .unwrap_or(0)
        .min(4);
    let num = figure(sh, &query_args(sh, kw, st, r.numerator)?)?;
    let den = figure(sh, &query_args(sh, kw, st, r.denominator)?)?;
    numfmt::percent(num, den, decimals).ok_or_else(|| {
        FnError(
            format!(
                "{} cannot be computed: {} is 0",
                r.label,
                site.metric(r.denominator).label
            ),
            None,
        )
    })
}

/// Stores a fragment under `key` (made once), and returns its token.
fn fragment(
    sh: &Shared,
    key: String,
    make: impl FnOnce() -> Result<String, FnError>,
) -> Result<String, FnError> {
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

fn chart_fn(sh: &Shared, kw: &Kwargs, st: &State) -> Result<String, FnError> {
    check_args(
        kw,
        "chart",
        &[
            "kind", "metric", "metrics", "by", "campaign", "unit", "from", "to", "title",
        ],
    )?;
    let site = &sh.site;
    let kind_s = str_arg(kw, "kind")?.unwrap_or_else(|| "bar".into());
    let kinds = ["bar", "stacked", "line", "pie", "progress"];
    let kind = match kind_s.as_str() {
        "bar" => ChartKind::Bar,
        "stacked" => ChartKind::Stacked,
        "line" => ChartKind::Line,
        "pie" => ChartKind::Pie,
        "progress" => ChartKind::Progress,
        other => {
            return Err(FnError(
                format!("unknown chart kind \"{other}\""),
                did_you_mean(other, kinds),
            ))
        }
    };
    let campaign = campaign_arg(sh, kw, st)?;
    let mut metrics = Vec::new();
    if let Some(m) = str_arg(kw, "metric")? {
        metrics.push(metric_arg(site, &m)?);
    }
    if let Some(list) = kw
        .get::<Vec<String>>("metrics")
        .map_err(|e| err(format!("`metrics` must be a list of metric keys: {e}")))?
    {
        for m in list {
            metrics.push(metric_arg(site, &m)?);
        }
    }
    if metrics.is_empty() {
        match kind {
            ChartKind::Progress => {
                metrics.extend(site.campaign(campaign).targets.iter().map(|(m, _)| *m))
            }
            ChartKind::Stacked => metrics.extend(
                (0..site.metrics.len() as u32)
                    .map(MetricId)
                    .filter(|&m| sh.figures.total(campaign, m) > 0),
            ),
            _ => {
                return Err(FnError(
                    format!("chart(kind=\"{kind_s}\") needs `metric`"),
                    Some("e.g. chart(kind=\"bar\", metric=\"households\", by=\"unit\")".into()),
                ))
            }
        }
    }
    if metrics.is_empty() {
        return Err(err(format!(
            "campaign {} has no targets to show progress against",
            site.campaign(campaign).slug
        )));
    }
    let by_s = str_arg(kw, "by")?.unwrap_or_else(|| "unit".into());
    let by = By::parse(&by_s).ok_or_else(|| {
        FnError(
            format!("unknown grouping by=\"{by_s}\""),
            did_you_mean(&by_s, ["unit", "month", "week", "activity"]),
        )
    })?;
    let req = ChartRequest {
        kind,
        campaign,
        metrics,
        by,
        unit: unit_arg(site, kw)?,
        from: date_arg(kw, "from")?,
        to: date_arg(kw, "to")?,
        title: str_arg(kw, "title")?,
    };
    if kind != ChartKind::Progress {
        for &m in &req.metrics {
            figure(
                sh,
                &Query {
                    campaign,
                    metric: m,
                    unit: req.unit,
                    from: req.from,
                    to: req.to,
                },
            )?;
        }
    }
    let key = format!("chart|{req:?}");
    let id = format!("c{:016x}", fnv1a(&key));
    fragment(sh, key, || {
        let data = figures::chart_data(site, &sh.figures, &req, id)
            .ok_or_else(|| err("the chart has nothing to show"))?;
        chart::render(&data).map_err(|e| err(format!("chart: {e}")))
    })
}

fn kpis_fn(sh: &Shared, kw: &Kwargs, st: &State) -> Result<String, FnError> {
    check_args(kw, "kpis", &["metrics", "campaign"])?;
    let site = &sh.site;
    let campaign = campaign_arg(sh, kw, st)?;
    let metrics = match kw
        .get::<Vec<String>>("metrics")
        .map_err(|e| err(format!("`metrics` must be a list: {e}")))?
    {
        Some(list) => list
            .iter()
            .map(|m| metric_arg(site, m))
            .collect::<Result<Vec<_>, _>>()?,
        None => (0..site.metrics.len() as u32)
            .map(MetricId)
            .filter(|&m| sh.figures.total(campaign, m) > 0)
            .collect(),
    };
    for &m in &metrics {
        figure(sh, &Query::total(campaign, m))?;
    }
    let key = format!("kpis|{campaign:?}|{metrics:?}");
    fragment(sh, key, || {
        Ok(figures::kpis(site, &sh.figures, campaign, &metrics))
    })
}

fn table_fn(sh: &Shared, kw: &Kwargs, st: &State) -> Result<String, FnError> {
    check_args(kw, "table", &["by", "campaign"])?;
    let by = str_arg(kw, "by")?.unwrap_or_else(|| "unit".into());
    if by != "unit" {
        return Err(FnError(
            format!("table(by=\"{by}\") is not supported"),
            Some("table(by=\"unit\") lists every unit's totals".into()),
        ));
    }
    let campaign = campaign_arg(sh, kw, st)?;
    if sh.figures.record_count(campaign) == 0 {
        return Err(err(format!(
            "campaign {} has no records: the table cannot be computed",
            sh.site.campaign(campaign).slug
        )));
    }
    let key = format!("table|{campaign:?}");
    fragment(sh, key, || {
        Ok(figures::unit_table(&sh.site, &sh.figures, campaign))
    })
}

/// FNV-1a: a stable hash for chart ids (std's hasher is randomly seeded per process, and ids
/// must be the same in every build).
pub fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}
