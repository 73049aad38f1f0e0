//! Search (issue 16): the sample site served over real HTTP by `jianbao serve`, searched in a
//! real headless Chromium from the header's box; `--no-search`; an unchanged rebuild keeps
//! the index.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions};

use crate::common::*;

/// A word of the sample site (人民调解, 调解员…), two characters, as readers type it.
const WORD: &str = "调解";
/// A word that appears nowhere in the sample site.
const NOWHERE: &str = "潜艇";

/// The head and body of a GET of `path`, or `None` while nothing answers.
fn get(port: u16, path: &str) -> Option<(String, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    Some((head.to_string(), body.to_string()))
}

/// The status line of a GET of `path`, or `None` while nothing answers.
fn status(port: u16, path: &str) -> Option<String> {
    Some(get(port, path)?.0.lines().next()?.to_string())
}

/// `jianbao serve` over the sample site, once its search index is served; its index cut into
/// bundles of `bundle_pages` pages when given.
fn serve_sample(port: u16, bundle_pages: Option<usize>) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jianbao"));
    if let Some(n) = bundle_pages {
        cmd.env("JIANBAO_SEARCH_BUNDLE_PAGES", n.to_string());
    }
    let child = cmd
        .args(["serve", "--port", &port.to_string()])
        .arg(repo())
        .env("JIANBAO_NOW", "2026-11-22T12:00:00+08:00")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(120);
    // The index is made in the background after the pages are served.
    while !status(port, "/search/s0/pagefind-entry.json").is_some_and(|s| s.contains(" 200")) {
        assert!(
            Instant::now() < deadline,
            "the search index was never served"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

/// What the sample site gives the index.
fn session_records() -> Vec<jianbao::search::Record> {
    let diags = jianbao::diag::Diagnostics::new();
    let opts = jianbao::render::Options {
        drafts: false,
        base_url: Some("/".into()),
        now: chrono::DateTime::parse_from_rfc3339("2026-11-22T12:00:00+08:00").unwrap(),
        progress: None,
        check_only: false,
        search: true,
    };
    jianbao::site::session(&repo(), &opts, &diags)
        .expect("sample site loads")
        .search_records()
}

/// The titles of the pages a reader finds with `word`, from the sample site's own text: the
/// pages search indexes (articles, campaigns, issues, single pages) whose title or text has it.
fn expected_titles(word: &str) -> BTreeSet<String> {
    session_records()
        .into_iter()
        .filter(|r| r.title.contains(word) || r.text.contains(word))
        .map(|r| r.title)
        .collect()
}

/// A headless Chromium, with its profile folder (removed when dropped).
fn browser() -> Option<(Browser, tempfile::TempDir)> {
    let chromium = match jianbao::pdf::find_chromium() {
        Ok(c) => c,
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install chromium (see .ci/run)"
            );
            eprintln!("skipped: no chromium on this machine");
            return None;
        }
    };
    let profile = tempfile::tempdir().unwrap();
    let browser = Browser::new(LaunchOptions {
        window_size: Some((1100, 1400)),
        ..jianbao::pdf::launch_options(&chromium, profile.path())
    })
    .expect("Chromium starts");
    Some((browser, profile))
}

/// Evaluates `js` in the tab until it gives a string for which `done` holds; that string.
fn poll(tab: &headless_chrome::Tab, js: &str, what: &str, done: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut last = String::new();
    loop {
        if let Ok(v) = tab.evaluate(js, false) {
            last = v
                .value
                .as_ref()
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            if done(&last) {
                return last;
            }
        }
        assert!(Instant::now() < deadline, "{what}: last seen {last:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The result titles listed now, one per line, once the search has settled.
const TITLES_JS: &str = "(() => { \
    const box = document.getElementById('search'); \
    if (!box || box.dataset.state !== 'done') return (box && box.dataset.state === 'failed') ? 'FAILED ' + document.getElementById('search-message').textContent : ''; \
    const msg = document.querySelector('.search-message'); \
    const t = Array.from(document.querySelectorAll('.search-result-title')).map(e => e.textContent.trim()); \
    return JSON.stringify({ msg: msg.textContent.trim(), titles: t }); })()";

fn titles_of(json: &str) -> BTreeSet<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    v["titles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_reader_finds_articles_by_a_chinese_word_and_narrows_by_unit() {
    find_and_narrow(None);
}

/// A large site's index comes in bundles, which the search page merges: the sample site cut
/// into bundles of 4 pages is searched and filtered as when it is one.
#[test]
fn an_index_in_bundles_is_searched_as_one() {
    find_and_narrow(Some(4));
}

fn find_and_narrow(bundle_pages: Option<usize>) {
    let Some((browser, _profile)) = browser() else {
        return;
    };
    let expected = expected_titles(WORD);
    assert!(
        expected.len() >= 2,
        "the sample site should have several pages with {WORD}: {expected:?}"
    );
    assert!(expected_titles(NOWHERE).is_empty());
    let port = free_port();
    let _server = serve_sample(port, bundle_pages);
    if let Some(n) = bundle_pages {
        let list = body(port, "/search/bundles.json").unwrap();
        let bundles = serde_json::from_str::<serde_json::Value>(&list).unwrap()["bundles"]
            .as_array()
            .unwrap()
            .len();
        let pages = session_records().len();
        // Bundles with no page are left out.
        assert!(
            bundles > 1 && bundles <= pages.div_ceil(n).next_power_of_two(),
            "{list}"
        );
    }
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(30));
    tab.navigate_to(&format!("http://127.0.0.1:{port}/"))
        .unwrap()
        .wait_until_navigated()
        .unwrap();

    // The header's box, on the front page: type, submit, land on the search page.
    tab.wait_for_element("header form.site-search input[name=q]")
        .unwrap()
        .click()
        .unwrap();
    tab.type_str(WORD).unwrap().press_key("Enter").unwrap();
    // Exactly the pages with the word, from one index or from bundles (a bundle without the
    // word answers with single characters; the page drops its answer).
    let listed = |want: &BTreeSet<String>| {
        let json = poll(&tab, TITLES_JS, "results", |s| {
            !s.is_empty() && titles_of(s) == *want
        });
        titles_of(&json)
    };
    let all = listed(&expected);
    assert_eq!(all, expected);
    assert!(tab.get_url().contains("/search/"), "{}", tab.get_url());

    // Result links go to the pages, from the search page.
    let href = poll(
        &tab,
        "(() => { const a = document.querySelector('.search-result-link'); return a ? a.href : ''; })()",
        "a result link",
        |s| !s.is_empty(),
    );
    let path = href
        .split_once(&format!(":{port}"))
        .map(|(_, p)| p)
        .unwrap();
    assert!(
        status(port, path).is_some_and(|s| s.contains(" 200")),
        "result link {href} does not resolve"
    );

    // Narrow by a unit that some, not all, of the results name.
    let session_records = session_records();
    let found: Vec<_> = session_records
        .iter()
        .filter(|r| expected.contains(&r.title))
        .collect();
    let units: BTreeSet<&String> = found
        .iter()
        .flat_map(|r| r.filters.get("单位").into_iter().flatten())
        .collect();
    let (unit, narrowed) = units
        .iter()
        .map(|u| {
            let with: BTreeSet<String> = found
                .iter()
                .filter(|r| r.filters.get("单位").is_some_and(|v| v.contains(u)))
                .map(|r| r.title.clone())
                .collect();
            (u.to_string(), with)
        })
        .find(|(_, with)| !with.is_empty() && with.len() < expected.len())
        .expect("a unit named by some results and not all");
    let click = format!(
        "(() => {{ const b = Array.from(document.querySelectorAll('input.search-filter-checkbox')) \
           .find(i => i.name === '单位' && i.value === {}); \
           if (!b) return ''; \
           const d = b.closest('details'); if (d) d.open = true; \
           b.click(); return 'clicked'; }})()",
        serde_json::to_string(&unit).unwrap()
    );
    eprintln!("{WORD}: {expected:?}; {unit}: {narrowed:?}");
    poll(&tab, &click, "the unit filter", |s| s == "clicked");
    let with_unit = listed(&narrowed);
    assert!(with_unit.len() < all.len());

    // A word that appears nowhere finds nothing.
    tab.navigate_to(&format!(
        "http://127.0.0.1:{port}/search/index.html?q={}",
        NOWHERE
    ))
    .unwrap()
    .wait_until_navigated()
    .unwrap();
    let json = poll(&tab, TITLES_JS, "no results", |s| {
        !s.is_empty() && titles_of(s).is_empty()
    });
    assert!(json.contains(NOWHERE), "the message names the word: {json}");
}

#[test]
fn a_static_file_where_the_index_goes_is_an_error() {
    let f = Fixture::new();
    f.write("content/static/search/pagefind.js", "x");
    for cmd in ["check", "build"] {
        let r = f.run(&[cmd]);
        assert_eq!(r.code, 1, "{cmd}: {}", r.stderr);
        assert!(
            r.stderr
                .contains("search/pagefind.js is in search/, which holds the search index"),
            "{cmd}: {}",
            r.stderr
        );
    }
    let r = f.run(&["build", "--no-search"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// Opened from `file://`, where browsers block the index's fetches, the search page says so
/// and offers no box of its own.
#[test]
fn the_search_page_opened_as_a_file_says_it_needs_a_web_server() {
    let Some((browser, _profile)) = browser() else {
        return;
    };
    let f = Fixture::new();
    let r = f.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = f.out().join("search/index.html").canonicalize().unwrap();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("file://{}?q={WORD}", page.display()))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    let state = poll(
        &tab,
        "(() => { const m = document.getElementById('search-offline'); \
           return m && !m.hidden ? m.textContent + '|' + document.getElementById('search-form').hidden : ''; })()",
        "the file:// message",
        |s| !s.is_empty(),
    );
    assert!(state.contains("jianbao serve"), "{state}");
    assert!(
        state.ends_with("|true"),
        "no search box of its own: {state}"
    );
}

#[test]
fn no_search_writes_no_index_page_or_box() {
    let f = Fixture::new();
    let r = f.run(&["build", "--no-search"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!f.out().join("search").exists());
    let front = f.page("index.html");
    assert!(
        !front.contains("site-search"),
        "a search box without search"
    );
    assert!(!f.page("articles/huimou/index.html").contains("search/"));

    let r = f.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(f.out().join("search/index.html").is_file());
    assert!(f.out().join("search/ui/pagefind-ui.js").is_file());
    assert!(f.out().join("search/s0/pagefind-entry.json").is_file());
    assert!(f.out().join("search/bundles.json").is_file());
    assert!(f
        .page("articles/huimou/index.html")
        .contains("action=\"../../search/index.html\""));
    // And back: the index goes with the flag.
    let r = f.run(&["build", "--no-search"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!f.out().join("search").exists());
}

#[test]
fn an_unchanged_rebuild_keeps_the_index_and_an_edit_remakes_it() {
    let f = Fixture::new();
    let index_files = |f: &Fixture| {
        snapshot(&f.out().join("search"))
            .into_iter()
            .filter(|(p, _)| p != "index.html")
            .collect::<Vec<_>>()
    };
    let r = f.run(&["build", "-v"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("indexed anew"), "{}", r.stderr);
    let first = index_files(&f);
    assert!(first.len() > 5);
    let r = f.run(&["build", "-v"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("kept, unchanged"), "{}", r.stderr);
    assert_eq!(index_files(&f), first, "the kept index is byte-identical");
    // The search page is the theme's of this build, not the one kept beside the index.
    f.write(
        "themes/newspaper/templates/search.html",
        &std::fs::read_to_string(repo().join("themes/newspaper/templates/search.html"))
            .unwrap()
            .replace(
                "<section class=\"search-page\">",
                "<section class=\"search-page changed\">",
            ),
    );
    let r = f.run(&["build", "-v"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("kept, unchanged"), "{}", r.stderr);
    assert!(f.page("search/index.html").contains("search-page changed"));
    f.remove("themes/newspaper/templates/search.html");
    // The same bytes as an index made afresh.
    let fresh = tempfile::tempdir().unwrap();
    let out = fresh.path().join("o");
    let r = f.run(&["build", "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let made: Vec<_> = snapshot(&out.join("search"))
        .into_iter()
        .filter(|(p, _)| p != "index.html")
        .collect();
    assert_eq!(made, first);
    // An edit of indexed text makes it again.
    f.write(
        "content/campaigns/xiajiceng/articles/huimou.md",
        &ARTICLE_MD.replace("各政法单位", "各政法单位和人民调解员"),
    );
    let r = f.run(&["build", "-v"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("indexed anew"), "{}", r.stderr);
    assert_ne!(index_files(&f), first);
}

/// Cut into bundles, an edit makes again only the bundle of the page edited.
#[test]
fn an_edit_makes_again_only_its_bundle() {
    let f = Fixture::new();
    for i in 0..6 {
        f.write(
            &format!("content/pages/p{i}.md"),
            &format!("---\ntitle: 第{i}页\n---\n第{i}页的正文。\n"),
        );
    }
    let build = |f: &Fixture| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_jianbao"))
            .args(["build", "-v"])
            .current_dir(f.root())
            .env("JIANBAO_SEARCH_BUNDLE_PAGES", "2")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        stderr
    };
    let e = build(&f);
    assert!(
        e.contains(" bundles (") && !e.contains("in 1 bundle "),
        "{e}"
    );
    let before = snapshot(&f.out().join("search"));
    f.write(
        "content/pages/p3.md",
        "---\ntitle: 第3页\n---\n第3页改过的正文。\n",
    );
    let e = build(&f);
    let indexed: usize = e
        .lines()
        .find_map(|l| l.split_once(" indexed anew").map(|(a, _)| a))
        .and_then(|a| a.rsplit('(').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{e}"));
    let after = snapshot(&f.out().join("search"));
    let changed: BTreeSet<String> = after
        .iter()
        .filter(|(p, b)| p.starts_with('s') && !before.contains(&(p.clone(), b.clone())))
        .filter_map(|(p, _)| p.split('/').next().map(String::from))
        .collect();
    assert_eq!(changed.len(), 1, "one bundle changed: {changed:?}");
    assert!(
        indexed <= 3,
        "only the edited bundle's pages were indexed: {indexed}\n{e}"
    );
}

/// The body of a GET of `path`, when it is found.
fn body(port: u16, path: &str) -> Option<String> {
    let (head, body) = get(port, path)?;
    head.contains(" 200").then_some(body)
}

/// `jianbao serve` over `f` with its stderr in a log file (the folder holding it, and its
/// path); its index cut into bundles of `bundle_pages` pages when given.
fn serve_logged(
    f: &Fixture,
    port: u16,
    bundle_pages: Option<usize>,
) -> (Server, tempfile::TempDir, std::path::PathBuf) {
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("serve.log");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jianbao"));
    if let Some(n) = bundle_pages {
        cmd.env("JIANBAO_SEARCH_BUNDLE_PAGES", n.to_string());
    }
    let child = cmd
        .args(["serve", "--port", &port.to_string()])
        .current_dir(f.root())
        .env("JIANBAO_NOW", "2026-11-22T12:00:00+08:00")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    (Server(child), logs, log)
}

#[test]
fn serve_indexes_in_the_background_and_only_when_indexed_text_changes() {
    let f = Fixture::new();
    let port = free_port();
    let (_server, _logs, log) = serve_logged(&f, port, None);
    let read_log = || std::fs::read_to_string(&log).unwrap_or_default();
    let indexed = || read_log().matches("search index:").count();
    let wait = |what: &str, done: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !done() {
            assert!(Instant::now() < deadline, "{what}:\n{}", read_log());
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait("the first index", &|| {
        indexed() == 1 && body(port, "/search/s0/pagefind-entry.json").is_some()
    });
    let entry = body(port, "/search/s0/pagefind-entry.json").unwrap();
    assert!(body(port, "/search/index.html").is_some_and(|b| b.contains("pagefind.js")));

    // A place in a record is on the campaign's timeline, not in any indexed text.
    f.write(
        "content/campaigns/xiajiceng/records/gongan.yaml",
        &RECORDS_YAML.replace("顺河镇", "顺河乡"),
    );
    wait("the rebuild", &|| read_log().contains("site rebuilt"));
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        indexed(),
        1,
        "indexed again without a change:\n{}",
        read_log()
    );

    // New words in an article: indexed again, and served once made.
    f.write(
        "content/campaigns/xiajiceng/articles/huimou.md",
        &ARTICLE_MD.replace("各政法单位", "各政法单位和人民调解员"),
    );
    wait("the new index", &|| indexed() == 2);
    wait("the new index served", &|| {
        body(port, "/search/s0/pagefind-entry.json").is_some_and(|e| e != entry)
    });
}

/// Under `serve` too, an edit makes again only the bundle of the page edited.
#[test]
fn serve_makes_again_only_the_edited_page_s_bundle() {
    let f = Fixture::new();
    let (_server, _logs, log) = serve_logged(&f, free_port(), Some(1));
    let lines = || -> Vec<String> {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.starts_with("search index:"))
            .map(String::from)
            .collect()
    };
    let wait = |n: usize| {
        let deadline = Instant::now() + Duration::from_secs(60);
        while lines().len() < n {
            assert!(Instant::now() < deadline, "{:?}", lines());
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait(1);
    let pages: usize = lines()[0]
        .trim_start_matches("search index: ")
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(pages > 1, "{:?}", lines());
    assert!(
        lines()[0].contains(&format!("({pages} indexed anew)")),
        "{:?}",
        lines()
    );
    f.write(
        "content/campaigns/xiajiceng/articles/huimou.md",
        &ARTICLE_MD.replace("各政法单位", "各政法单位和人民调解员"),
    );
    wait(2);
    // The edited page's bundle (which may hold another page too), not the whole index.
    let anew: usize = lines()[1]
        .split_once('(')
        .and_then(|(_, rest)| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(anew >= 1 && anew < pages, "{:?}", lines());
}

/// `serve` started after `build` takes the built index over instead of making it again; a
/// built index file changed since (its hash no longer the manifest's) is not trusted.
#[test]
fn serve_after_a_build_takes_the_built_index_over() {
    let f = Fixture::new();
    let r = f.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let entry_path = f.out().join("search/s0/pagefind-entry.json");
    let built_entry = std::fs::read_to_string(&entry_path).unwrap();
    let first_index = |bundle_pages: Option<usize>| -> (String, Option<String>) {
        let port = free_port();
        let (_server, _logs, log) = serve_logged(&f, port, bundle_pages);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if let Some(line) = text.lines().find(|l| l.starts_with("search index:")) {
                return (
                    line.to_string(),
                    body(port, "/search/s0/pagefind-entry.json"),
                );
            }
            assert!(Instant::now() < deadline, "no index:\n{text}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let (line, served) = first_index(None);
    assert!(line.contains("(0 indexed anew)"), "{line}");
    assert_eq!(served.as_deref(), Some(built_entry.as_str()));

    // Cut into other bundles, the built one does not fit: made anew.
    let (line, _) = first_index(Some(2));
    assert!(!line.contains("(0 indexed anew)"), "{line}");

    // A built file changed by hand is not served as the index.
    std::fs::write(&entry_path, built_entry.replace('{', "{ ")).unwrap();
    let (line, served) = first_index(None);
    assert!(!line.contains("(0 indexed anew)"), "{line}");
    assert_eq!(served.as_deref(), Some(built_entry.as_str()));
}
