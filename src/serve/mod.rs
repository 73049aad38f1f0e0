//! `jianbao serve`: a local HTTP server over the site built in memory, rebuilt when a file
//! changes, with pages reloading themselves.
//!
//! The pages live in memory (never in `output/`) and are rendered when first asked for: a build
//! under `serve` loads the site and renders every narrative (so every figure error shows), and
//! leaves the pages, feed and data files to the requests; a 100,000-article archive is not laid
//! out whole to show one page. A watcher (notify) sees changes; after a short quiet spell the
//! site is rebuilt. A good build replaces the pages and tells open
//! pages to reload (Server-Sent Events); a failed one keeps the last good pages and shows the
//! errors over them. The reload script is injected only here, never into `build` output.

mod http;
mod search;

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use self::search::{index_in_background, search_file};
use crate::diag::{status, Diagnostic, Diagnostics, Severity};
use crate::render::{Options, PageRef, Selection, Session};

/// What `serve` needs.
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The address to listen on (127.0.0.1 unless told).
    pub bind: String,
    /// The port (0: any free one).
    pub port: u16,
    /// Show drafts too.
    pub drafts: bool,
    /// The clock, for what is published yet (tests set it).
    pub now: Box<dyn Fn() -> chrono::DateTime<chrono::FixedOffset> + Send + Sync>,
}

/// The site as served now.
#[derive(Default)]
struct Served {
    /// The feeds, data and assets, and the pages rendered since the last build.
    files: HashMap<String, Arc<Vec<u8>>>,
    /// Every page's path, with the page it belongs to, for rendering on demand.
    routes: HashMap<String, PageRef>,
    /// Errors of the last build, printed (empty when it succeeded).
    errors: Vec<String>,
    /// Bumped by every build, good or bad; event streams wait on it.
    version: u64,
}

struct Shared {
    served: Mutex<Served>,
    changed: Condvar,
    /// The last good build. Requests render from it under the read lock and store the pages
    /// before releasing it; a build swaps it under the write lock and then clears the stored
    /// pages, so no page of an older build outlives the swap.
    session: RwLock<Option<Session>>,
    /// The open event streams, bounded.
    streams: http::Streams,
    /// The last good search index, made in the background after each build.
    search: Mutex<search::SearchIndex>,
}

/// How long to wait for more changes before rebuilding (editors save in several steps).
const DEBOUNCE: Duration = Duration::from_millis(25);

/// Runs the server until interrupted. Returns the exit status.
pub fn serve(mut opts: ServeOptions) -> std::process::ExitCode {
    // A mistyped folder is an error at once, not a server waiting for a site that never comes.
    let diags = Diagnostics::new();
    if crate::load::find_site_yaml(&opts.root, &diags).is_none() {
        crate::diag::print(&diags.sorted(), true);
        return std::process::ExitCode::from(1);
    }
    // Watch events name absolute paths; an absolute root lets them be matched to files.
    if let Ok(abs) = opts.root.canonicalize() {
        opts.root = abs;
    }
    let addr = format!("{}:{}", opts.bind, opts.port);
    let server = match listen(&addr, opts.port) {
        Ok(s) => s,
        Err(d) => {
            crate::diag::print(&[d], true);
            return std::process::ExitCode::from(1);
        }
    };
    let shared = Arc::new(Shared {
        served: Mutex::new(Served::default()),
        changed: Condvar::new(),
        session: RwLock::new(None),
        streams: http::Streams::default(),
        search: Mutex::new(search::SearchIndex::default()),
    });
    let opts = Arc::new(opts);
    let mut builder = Builder { opts: opts.clone() };
    builder.full(&shared);
    index_in_background(&shared);
    print_stages();
    let url = match server.local_addr() {
        Ok(SocketAddr::V4(a)) => format!("http://{a}/"),
        Ok(a) => format!("http://{a}/"),
        Err(_) => format!("http://{addr}/"),
    };
    status!("serving {} at {url} (Ctrl+C to stop)", opts.root.display());

    match watch(&opts.root) {
        Ok((watcher, events)) => {
            let shared = shared.clone();
            std::thread::spawn(move || {
                let _watcher = watcher;
                rebuild_on_change(&events, builder, &shared);
            });
        }
        Err(d) => {
            crate::diag::print(&[d], true);
            return std::process::ExitCode::from(1);
        }
    }
    server.run(Arc::new(move |request| handle(request, &shared)));
    std::process::ExitCode::SUCCESS
}

/// Binds the server's socket; a port in use gets a hint naming `--port`.
fn listen(addr: &str, port: u16) -> Result<http::Server, Diagnostic> {
    http::Server::bind(addr).map_err(|e| {
        let in_use = e.to_string().contains("in use");
        let d = Diagnostic::error("", None, format!("cannot listen on {addr}: {e}"));
        if in_use {
            d.with_hint(format!("another program (or another jianbao serve) uses port {port}; choose another with --port"))
        } else {
            d
        }
    })
}

/// Watches the site's `site.yaml`, `content/` and `themes/`. A part that cannot be watched is
/// a warning (printed here); a watcher that cannot start at all is an error.
fn watch(
    root: &Path,
) -> Result<(impl Watcher, std::sync::mpsc::Receiver<notify::Event>), Diagnostic> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev {
            let _ = tx.send(ev);
        }
    })
    .map_err(|e| Diagnostic::error("", None, format!("cannot watch {}: {e}", root.display())))?;
    for sub in ["site.yaml", "content", "themes"] {
        let p = root.join(sub);
        if p.exists() {
            let mode = if p.is_dir() {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            if let Err(e) = watcher.watch(&p, mode) {
                let d = Diagnostic::warning("", None, format!("cannot watch {}: {e}", p.display()))
                    .with_hint("changes there are not seen until serve is restarted");
                crate::diag::print(&[d], true);
            }
        }
    }
    Ok((watcher, rx))
}

/// Rebuilds after each burst of relevant file events, until the watcher is gone.
fn rebuild_on_change(
    events: &std::sync::mpsc::Receiver<notify::Event>,
    mut builder: Builder,
    shared: &Arc<Shared>,
) {
    while let Ok(ev) = events.recv() {
        if !relevant(&ev) {
            continue;
        }
        let started = Instant::now();
        let mut paths: Vec<PathBuf> = ev.paths;
        // Let the burst of events from one save settle.
        while let Ok(more) = events.recv_timeout(DEBOUNCE) {
            if relevant(&more) {
                paths.extend(more.paths);
            }
        }
        paths.sort();
        paths.dedup();
        let what = builder.changed(&paths, shared);
        index_in_background(shared);
        status!(
            "{what} in {:.0} ms after the change",
            started.elapsed().as_secs_f64() * 1000.0
        );
        print_stages();
    }
}

/// With `-v`, the stages of the last build (nothing is recorded otherwise).
fn print_stages() {
    for (stage, d) in crate::trace::take() {
        status!("{stage:>22}: {:.3} s", d.as_secs_f64());
    }
}

/// Whether a file event should trigger a rebuild: content changes, not editor droppings.
fn relevant(ev: &notify::Event) -> bool {
    use notify::EventKind;
    matches!(
        ev.kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
    ) && ev.paths.iter().any(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        !(name.starts_with('.')
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.starts_with("~$"))
    })
}

/// Rebuilds the served site; the render session is kept in [`Shared`] between edits.
struct Builder {
    opts: Arc<ServeOptions>,
}

impl Builder {
    fn build_opts(&self) -> Options {
        Options {
            drafts: self.opts.drafts,
            base_url: Some("/".into()),
            now: (self.opts.now)(),
            progress: None,
            check_only: false,
            search: true,
        }
    }

    /// Loads the site, renders its narratives, and serves it; pages follow on demand.
    fn full(&mut self, shared: &Shared) {
        let diags = Diagnostics::new();
        let files = Mutex::new(HashMap::new());
        let sink = |f: crate::render::OutFile| {
            files
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(f.path, Arc::new(f.bytes));
            Ok(())
        };
        let session = crate::site::session(&self.opts.root, &self.build_opts(), &diags);
        let routes = session.as_ref().and_then(|s| match s.render_data(&sink) {
            Ok(routes) => Some(routes),
            Err(ds) => {
                diags.extend(ds);
                None
            }
        });
        let errors = report(&diags);
        let mut slot = shared.session.write().unwrap_or_else(|e| e.into_inner());
        let mut served = shared.served.lock().unwrap_or_else(|e| e.into_inner());
        match (session, routes) {
            (Some(session), Some(routes)) => {
                *slot = Some(session);
                served.files = files.into_inner().unwrap_or_else(|e| e.into_inner());
                served.routes = routes.into_iter().collect();
                served.errors.clear();
            }
            _ => served.errors = errors,
        }
        served.version += 1;
        shared.changed.notify_all();
    }

    /// After files changed: an article whose text alone changed re-renders only the pages
    /// that show it; anything else rebuilds the whole site.
    fn changed(&mut self, paths: &[PathBuf], shared: &Shared) -> String {
        if let Some(what) = self.photos_replaced(paths, shared) {
            return what;
        }
        if let [path] = paths {
            if self.body_edit(path, shared) {
                return "article text changed: its pages are rendered anew when asked for".into();
            }
        }
        self.full(shared);
        "site rebuilt".into()
    }

    /// Photos replaced by files of the same upright sizes: their copies are made again (or
    /// taken from the cache) and swapped in, and only the pages that show them are dropped,
    /// to be rendered anew when asked for (their HTML names the same copies; their print
    /// pages embed the new print copy). `None` when the change is anything else (a photo
    /// added, removed, resized or unreadable, any other file): the caller rebuilds the site.
    fn photos_replaced(&mut self, paths: &[PathBuf], shared: &Shared) -> Option<String> {
        let mut slot = shared.session.write().unwrap_or_else(|e| e.into_inner());
        // After a failed build the session is an older one; the rebuild may clear the errors.
        let failed = !shared
            .served
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .errors
            .is_empty();
        let session = slot.as_mut().filter(|_| !failed)?;
        let site = session.site.clone();
        let content = site.root.join("content");
        let mut replaced = Vec::new();
        for path in paths {
            if !crate::load::media::is_photo(path) {
                return None;
            }
            let key = path
                .strip_prefix(&content)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let old = site.media.get(&key)?.photo?;
            let (new, copies) = crate::photos::reprocess(&site, &key).ok()?;
            let same = |p: crate::model::PhotoInfo| crate::photos::sizes(p.width, p.height);
            if same(old) != same(new) {
                return None; // the pages' width, height and srcset change: a rebuild
            }
            replaced.push((key, copies));
        }
        if replaced.is_empty() {
            return None;
        }
        let mut made = 0;
        let mut served = shared.served.lock().unwrap_or_else(|e| e.into_inner());
        let mut stale: Vec<String> = Vec::new();
        for (key, copies) in replaced {
            made += copies.made;
            for f in &copies.files {
                served
                    .files
                    .insert(f.path.clone(), Arc::new(f.bytes.clone()));
            }
            let sel = session.replace_photo(&key, copies);
            stale.extend(
                served
                    .routes
                    .iter()
                    .filter(|(_, r)| sel.includes(r))
                    .map(|(p, _)| p.clone()),
            );
        }
        stale.sort_unstable();
        stale.dedup();
        for p in &stale {
            served.files.remove(p);
        }
        served.version += 1;
        shared.changed.notify_all();
        Some(format!(
            "photo replaced ({made} processed): {} pages that show it rendered anew when asked for",
            stale.len()
        ))
    }

    fn body_edit(&mut self, path: &Path, shared: &Shared) -> bool {
        let mut slot = shared.session.write().unwrap_or_else(|e| e.into_inner());
        let Some(session) = slot.as_mut() else {
            return false;
        };
        if path.extension().is_none_or(|e| e != "md") {
            return false;
        }
        let site = &session.site;
        let rel = path.strip_prefix(&site.root).unwrap_or(path);
        let Some(i) = site.articles.iter().position(|a| a.origin.path == rel) else {
            return false;
        };
        let id = crate::model::ArticleId(i as u32);
        let Ok(new) = crate::site::reload_article(site, path) else {
            return false;
        };
        let old = site.article(id);
        let strip = |a: &crate::model::Article| crate::model::Article {
            body: String::new(),
            body_line: 0,
            ..a.clone()
        };
        if strip(&new) != strip(old) {
            return false; // front matter changed: titles, lists, tags may all change
        }
        let sel = match session.update_body(id, &new.body, new.body_line) {
            Ok(Some(sel)) => sel,
            // A photo no page showed before: its copies come with a rebuild.
            Ok(None) => return false,
            Err(ds) => {
                let diags = Diagnostics::new();
                diags.extend(ds);
                let errors = report(&diags);
                let mut served = shared.served.lock().unwrap_or_else(|e| e.into_inner());
                served.errors = errors;
                served.version += 1;
                shared.changed.notify_all();
                return true;
            }
        };
        // The pages that show the article are rendered again when next asked for.
        let mut served = shared.served.lock().unwrap_or_else(|e| e.into_inner());
        let stale: Vec<String> = served
            .routes
            .iter()
            .filter(|(_, r)| sel.includes(r))
            .map(|(p, _)| p.clone())
            .collect();
        for p in stale {
            served.files.remove(&p);
        }
        served.errors.clear();
        served.version += 1;
        shared.changed.notify_all();
        true
    }
}

/// Prints the diagnostics; returns the errors as text for the overlay.
fn report(diags: &Diagnostics) -> Vec<String> {
    let all = diags.sorted();
    crate::diag::print(&all, true);
    all.iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect()
}

fn handle(request: http::Request, shared: &Arc<Shared>) {
    let url = request
        .target
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let Some(path) = percent_decode(&url) else {
        return request.respond(400, &[], b"the path is not UTF-8\n");
    };
    if path == "/__jianbao/events" {
        let shared = shared.clone();
        if shared.streams.take().is_none() {
            return request.respond(503, &[("Retry-After", "5")], b"too many open pages\n");
        }
        // A stream lives as long as its page: a thread of its own, not one of the workers.
        std::thread::spawn(move || match shared.streams.take() {
            Some(_slot) => events(request, &shared),
            None => request.respond(503, &[("Retry-After", "5")], b"too many open pages\n"),
        });
        return;
    }
    if path == "/__jianbao/errors" {
        let errors = shared
            .served
            .lock()
            .map(|s| s.errors.join("\n"))
            .unwrap_or_default();
        return request.respond(
            200,
            &[("Content-Type", "text/plain; charset=utf-8")],
            errors.as_bytes(),
        );
    }
    let rel = path.trim_start_matches('/');
    let candidates = crate::paths::requested(rel);
    let (file, errors, version) = match lookup(shared, &candidates) {
        Ok(found) => found,
        Err(problem) => {
            let (errors, version) = {
                let s = shared.served.lock().unwrap_or_else(|e| e.into_inner());
                (s.errors.clone(), s.version)
            };
            let body = format!("<pre>{}</pre>", crate::chart::escape(&problem));
            return respond_page(request, 500, "jianbao", &body, &errors, version);
        }
    };
    let Some((name, bytes)) = file else {
        let body = format!("<p>没有这个页面：{}</p>", crate::chart::escape(&path));
        return respond_page(request, 404, "404", &body, &errors, version);
    };
    let mime = mime_of(&name);
    let body: Vec<u8> = if mime.starts_with("text/html") {
        inject(&bytes, &reload_script(&errors, version))
    } else {
        bytes.as_ref().clone()
    };
    request.respond(
        200,
        &[("Content-Type", mime), ("Cache-Control", "no-store")],
        &body,
    );
}

/// A small page of serve's own (not found, a page that failed to render), reloading itself.
fn respond_page(
    request: http::Request,
    status: u16,
    title: &str,
    body: &str,
    errors: &[String],
    version: u64,
) {
    let html = format!(
        "<!DOCTYPE html><meta charset=utf-8><title>{title}</title>{body}{}",
        reload_script(errors, version)
    );
    request.respond(
        status,
        &[("Content-Type", "text/html; charset=utf-8")],
        html.as_bytes(),
    );
}

type Found = (Option<(String, Arc<Vec<u8>>)>, Vec<String>, u64);

/// The file at the first of `candidates` that exists, rendering its page if it was not yet;
/// with the current errors and build version. `Err` when rendering the page failed.
fn lookup(shared: &Shared, candidates: &[String]) -> Result<Found, String> {
    let find = |s: &Served| {
        candidates.iter().find_map(|c| {
            let c = c.trim_start_matches('/');
            s.files.get(c).map(|f| (c.to_string(), f.clone()))
        })
    };
    let route = {
        let s = shared.served.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(file) = find(&s) {
            return Ok((Some(file), s.errors.clone(), s.version));
        }
        candidates
            .iter()
            .find_map(|c| s.routes.get(c.trim_start_matches('/')).cloned())
    };
    if let Some(route) = route {
        let slot = shared.session.read().unwrap_or_else(|e| e.into_inner());
        if let Some(session) = slot.as_ref() {
            let made = Mutex::new(Vec::new());
            let sink = |f: crate::render::OutFile| {
                made.lock().unwrap_or_else(|e| e.into_inner()).push(f);
                Ok(())
            };
            let sel = Selection::Some([route].into_iter().collect());
            if let Err(ds) = session.render(&sel, &sink) {
                crate::diag::print(&ds, true);
                let text: Vec<String> = ds.iter().map(ToString::to_string).collect();
                return Err(text.join("\n"));
            }
            // Stored while the session is still held: see [`Shared::session`].
            let mut s = shared.served.lock().unwrap_or_else(|e| e.into_inner());
            for f in made.into_inner().unwrap_or_else(|e| e.into_inner()) {
                s.files.insert(f.path, Arc::new(f.bytes));
            }
            return Ok((find(&s), s.errors.clone(), s.version));
        }
    }
    let file = search_file(shared, candidates);
    let s = shared.served.lock().unwrap_or_else(|e| e.into_inner());
    Ok((file, s.errors.clone(), s.version))
}

/// Streams build events to one page: `reload` after a good build, `errors` after a bad one.
fn events(request: http::Request, shared: &Shared) {
    let mut w = request.into_stream();
    if w.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n").is_err() {
        return;
    }
    let _ = w.flush();
    let mut seen = shared.served.lock().map(|s| s.version).unwrap_or(0);
    loop {
        let guard = shared.served.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = shared
            .changed
            .wait_timeout_while(guard, Duration::from_secs(15), |s| s.version == seen)
            .unwrap_or_else(|e| e.into_inner());
        let msg = if guard.version == seen {
            ": keep-alive\n\n".to_string()
        } else {
            seen = guard.version;
            if guard.errors.is_empty() {
                format!("event: reload\ndata: {seen}\n\n")
            } else {
                format!(
                    "event: errors\ndata: {}\n\n",
                    serde_json::to_string(&guard.errors).unwrap_or_default()
                )
            }
        };
        drop(guard);
        if w.write_all(msg.as_bytes())
            .and_then(|()| w.flush())
            .is_err()
        {
            return; // the page went away
        }
    }
}

/// The live-reload script, with the current errors shown as an overlay.
fn reload_script(errors: &[String], version: u64) -> String {
    let errors = serde_json::to_string(errors)
        .unwrap_or_else(|_| "[]".into())
        .replace("</", "<\\/");
    format!(
        r#"<script data-jianbao-serve="{version}">(function(){{
var shown=null;
function show(list){{
  if(shown){{shown.remove();shown=null;}}
  if(!list.length)return;
  var d=document.createElement("div");d.id="jianbao-errors";
  d.setAttribute("style","position:fixed;inset:0;z-index:99999;background:rgba(20,0,0,.88);color:#fff;font:14px/1.6 monospace;padding:2em;overflow:auto;white-space:pre-wrap");
  d.textContent="jianbao: 构建失败，仍显示上一次成功的版本 / build failed, showing the last good build\n\n"+list.join("\n");
  document.body.appendChild(d);shown=d;
}}
show({errors});
var es=new EventSource("/__jianbao/events");
es.addEventListener("reload",function(){{location.reload();}});
es.addEventListener("errors",function(e){{show(JSON.parse(e.data));}});
}})();</script>"#
    )
}

fn inject(html: &[u8], script: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{script}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{script}").into_bytes(),
    }
}

/// The MIME type of an output file, by extension.
pub fn mime_of(name: &str) -> &'static str {
    match Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes (UTF-8 paths such as /img/照片.png arrive encoded); `None` when the
/// result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_and_mime() {
        assert_eq!(percent_decode("/img/%E7%85%A7.png").unwrap(), "/img/照.png");
        assert_eq!(percent_decode("/a%2").unwrap(), "/a%2");
        assert_eq!(percent_decode("/%FF"), None);
        assert_eq!(mime_of("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(mime_of("feed.xml"), "application/xml; charset=utf-8");
    }

    #[test]
    fn script_goes_before_body_end() {
        let out = inject(b"<html><body><p>x</p></body></html>", "<script>s</script>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<html><body><p>x</p><script>s</script></body></html>"
        );
        let s = reload_script(&["error: a.yaml:1:1: </script>".into()], 3);
        assert!(!s.contains("</script>\"") && s.contains("<\\/script>"));
    }
}
