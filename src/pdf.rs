//! PDFs of the print pages, drawn by a headless Chromium (`--pdf`).
//!
//! Runs after the pages are written into the fresh output folder and before it is swapped in,
//! on the pages whose PDF is not kept from a build before (see [`crate::documents`]). One
//! browser per core prints its share of the pages one after another in one open tab over the
//! DevTools protocol (headless_chrome), so the browser starts twice, not once per page.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use headless_chrome::types::PrintToPdfOptions;
use headless_chrome::{Browser, LaunchOptions};

use crate::diag::Diagnostic;

/// Names the browser is installed under, in order of preference.
const NAMES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome-stable",
    "google-chrome",
];

/// How to get a browser, for the error when there is none.
const INSTALL_HINT: &str = "install Debian's Chromium (`sudo apt-get install chromium`), or point JIANBAO_CHROMIUM at a Chromium or Chrome binary; the HTML pages were written";

/// The browser to use: `JIANBAO_CHROMIUM`, else the first of [`NAMES`] on `PATH`.
pub fn find_chromium() -> Result<PathBuf, Diagnostic> {
    if let Some(p) = std::env::var_os("JIANBAO_CHROMIUM") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(
                Diagnostic::error(&p, None, "JIANBAO_CHROMIUM names no file: cannot make PDFs")
                    .with_hint(INSTALL_HINT),
            )
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in NAMES {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    Err(
        Diagnostic::error("pdf", None, "no Chromium found: cannot make PDFs")
            .with_hint(INSTALL_HINT),
    )
}

/// Receives each PDF: the print page's path and the PDF's bytes.
pub type Save<'a> = dyn Fn(&str, Vec<u8>) -> Result<(), Diagnostic> + Sync + 'a;

/// Prints every page of `pages` (paths of print.html files under `dir`), handing each PDF to
/// `save`.
pub fn render_all(dir: &Path, pages: &[String], save: &Save) -> Result<(), Diagnostic> {
    if pages.is_empty() {
        return Ok(());
    }
    let chromium = find_chromium()?;
    let dir = dir.canonicalize().map_err(|e| {
        Diagnostic::error(dir, None, format!("cannot resolve the output folder: {e}"))
    })?;
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 2)
        .min(pages.len().max(1));
    let shares: Vec<Vec<&String>> = (0..workers)
        .map(|w| pages.iter().skip(w).step_by(workers).collect())
        .collect();
    let results: Vec<Result<(), Diagnostic>> = std::thread::scope(|s| {
        let handles: Vec<_> = shares
            .iter()
            .map(|share| s.spawn(|| print_share(&chromium, &dir, share, save)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(Diagnostic::error("pdf", None, "the PDF worker crashed"))
                })
            })
            .collect()
    });
    for r in results {
        r?;
    }
    Ok(())
}

fn print_share(
    chromium: &Path,
    dir: &Path,
    pages: &[&String],
    save: &Save,
) -> Result<(), Diagnostic> {
    if pages.is_empty() {
        return Ok(());
    }
    let fail = |page: &str, what: &str, e: &dyn std::fmt::Display| {
        Diagnostic::error(page, None, format!("{what}: {e}")).with_hint(
            "check that Chromium starts: chromium --headless --no-sandbox --dump-dom about:blank",
        )
    };
    let profile = tempfile::Builder::new()
        .prefix("jianbao-chromium")
        .tempdir()
        .map_err(|e| fail("pdf", "cannot make a browser profile", &e))?;
    let options = launch_options(chromium, profile.path());
    let browser = Browser::new(options).map_err(|e| fail("pdf", "cannot start Chromium", &e))?;
    let tab = browser
        .new_tab()
        .map_err(|e| fail("pdf", "cannot open a browser tab", &e))?;
    tab.set_default_timeout(Duration::from_secs(60));
    for page in pages {
        let file = dir.join(page.as_str());
        let url = format!("file://{}", file.to_string_lossy());
        tab.navigate_to(&url)
            .map_err(|e| fail(page, "Chromium could not open the page", &e))?;
        wait_loaded(&tab, &url).map_err(|e| fail(page, "Chromium could not open the page", &e))?;
        let pdf = tab
            .print_to_pdf(Some(PrintToPdfOptions {
                print_background: Some(true),
                prefer_css_page_size: Some(true),
                display_header_footer: Some(false),
                ..PrintToPdfOptions::default()
            }))
            .map_err(|e| fail(page, "Chromium could not print the page", &e))?;
        save(page, fixed_dates(pdf))?;
    }
    Ok(())
}

/// Waits until the page at `url` has loaded with its fonts. Print pages are self-contained,
/// so this is much sooner than headless_chrome's own wait, which waits for the network to
/// stay idle for half a second (a second per page, measured).
fn wait_loaded(tab: &headless_chrome::Tab, url: &str) -> Result<(), String> {
    let url_js = serde_json::to_string(url).map_err(|e| e.to_string())?;
    let probe = format!(
        "location.href === {url_js} && document.readyState === 'complete' && document.fonts.status === 'loaded'"
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = tab.evaluate(&probe, false).map_err(|e| e.to_string())?;
        if ready.value.as_ref().and_then(|v| v.as_bool()) == Some(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err("the page did not finish loading in 60 s".into());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Replaces the PDF's creation and modification times (the moment of printing) with a fixed
/// one of the same length, so offsets stay valid and two builds give the same bytes.
pub fn fixed_dates(mut pdf: Vec<u8>) -> Vec<u8> {
    for key in [&b"/CreationDate (D:"[..], &b"/ModDate (D:"[..]] {
        let mut from = 0;
        while let Some(i) = find(&pdf[from..], key) {
            let start = from + i + key.len();
            let end = pdf[start..]
                .iter()
                .position(|&b| b == b')')
                .map_or(start, |e| start + e);
            for (k, b) in pdf[start..end].iter_mut().enumerate() {
                if b.is_ascii_digit() {
                    // 2000-01-01 00:00:00, digit by digit: "20000101000000".
                    *b = *b"20000101000000000000".get(k).unwrap_or(&b'0');
                }
            }
            from = end;
        }
    }
    pdf
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// How jianbao starts Chromium: headless, with `profile` as its profile folder, and the flags a
/// closed intranet machine needs (nothing phones home, nothing is fetched).
pub fn launch_options(chromium: &Path, profile: &Path) -> LaunchOptions<'static> {
    let args: Vec<&'static OsStr> = [
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-dev-shm-usage",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    LaunchOptions {
        headless: true,
        sandbox: false,
        path: Some(chromium.to_path_buf()),
        user_data_dir: Some(profile.to_path_buf()),
        disable_default_args: true,
        args,
        idle_browser_timeout: Duration::from_secs(120),
        ..LaunchOptions::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_fixed_in_place() {
        let pdf =
            b"<< /CreationDate (D:20261122021201+00'00') /ModDate (D:20261122021201+00'00') >>"
                .to_vec();
        let fixed = fixed_dates(pdf.clone());
        assert_eq!(fixed.len(), pdf.len());
        assert_eq!(
            String::from_utf8(fixed).unwrap(),
            "<< /CreationDate (D:20000101000000+00'00') /ModDate (D:20000101000000+00'00') >>"
        );
    }
}
