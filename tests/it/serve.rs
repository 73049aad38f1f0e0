//! `jianbao serve` over real HTTP: pages from memory, rebuild on change, errors shown while the
//! last good site is still served.

use crate::common::*;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn start(f: &Fixture, port: u16) -> Server {
    start_logging(f, port, Stdio::null())
}

/// [`start`], with the server's messages going to `log`.
fn start_logging(f: &Fixture, port: u16, log: Stdio) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["serve", "--port", &port.to_string()])
        .current_dir(f.root())
        .env("JIANBAO_NOW", "2026-11-22T12:00:00+08:00")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while get(port, "/").is_none() {
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

/// A plain HTTP/1.0 GET; the status line and body.
fn get(port: u16, path: &str) -> Option<(String, String)> {
    request(port, "GET", path)
}

/// A plain HTTP/1.0 request; the status line and body.
fn request(port: u16, method: &str, path: &str) -> Option<(String, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "{method} {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    Some((head.lines().next()?.to_string(), body.to_string()))
}

/// Polls `path` until `pred` holds; returns how long it took.
fn wait_for(port: u16, path: &str, pred: impl Fn(&str) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        if let Some((_, body)) = get(port, path) {
            if pred(&body) {
                return start.elapsed();
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "{path} never changed"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[test]
fn serves_rebuilds_and_keeps_the_last_good_site() {
    let f = Fixture::new();
    let port = free_port();
    let _server = start(&f, port);

    let (status, body) = get(port, "/articles/huimou/").unwrap();
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("共走访群众1836户"));
    assert!(
        body.contains("EventSource(\"/__jianbao/events\")"),
        "reload script injected"
    );
    let (status, _) = get(port, "/nope/").unwrap();
    assert!(status.contains("404"));
    let (status, css) = get(port, "/assets/style.css").unwrap();
    assert!(status.contains("200") && css.contains("font-family"));
    assert!(!f.out().exists(), "serve never writes output/");

    // An edited article text shows in its page (re-rendered alone) and in its issue.
    f.write(
        "content/campaigns/xiajiceng/articles/huimou.md",
        &ARTICLE_MD.replace("，约", "，新增一句，约"),
    );
    let took = wait_for(port, "/articles/huimou/", |b| b.contains("新增一句"));
    eprintln!(
        "edited article served {} ms after the edit",
        took.as_millis()
    );
    wait_for(port, "/issues/12/print.html", |b| b.contains("新增一句"));
    f.write("content/campaigns/xiajiceng/articles/huimou.md", ARTICLE_MD);
    wait_for(port, "/articles/huimou/", |b| !b.contains("新增一句"));

    // An edited record shows in the page.
    f.write(
        "content/campaigns/xiajiceng/records/fayuan.yaml",
        &FAYUAN_YAML.replace("236", "336"),
    );
    let took = wait_for(port, "/articles/huimou/", |b| {
        b.contains("共走访群众1936户")
    });
    eprintln!("new content served {} ms after the edit", took.as_millis());

    // A broken file: the error is reported, the last good page still served.
    f.write(
        "content/campaigns/xiajiceng/records/fayuan.yaml",
        "- date: 2019-03-01\n  unit: fayuan\n  metrics: { househlds: 1 }\n",
    );
    wait_for(port, "/__jianbao/errors", |b| {
        b.contains("unknown metric \"househlds\"")
    });
    let (_, errors) = get(port, "/__jianbao/errors").unwrap();
    assert!(
        errors.contains("content/campaigns/xiajiceng/records/fayuan.yaml:3:"),
        "{errors}"
    );
    let (_, body) = get(port, "/articles/huimou/").unwrap();
    assert!(body.contains("共走访群众1936户"), "last good page served");
    assert!(body.contains("househlds"), "errors shown over the page");

    // Fixed again: errors go, the page follows.
    f.write(
        "content/campaigns/xiajiceng/records/fayuan.yaml",
        FAYUAN_YAML,
    );
    wait_for(port, "/articles/huimou/", |b| {
        b.contains("共走访群众1836户") && !b.contains("househlds")
    });
}

#[test]
fn port_in_use_is_a_clear_error() {
    let f = Fixture::new();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["serve", "--port", &port.to_string()])
        .current_dir(f.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot listen on 127.0.0.1:"), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
}

#[test]
fn a_folder_with_no_site_is_an_error_not_a_waiting_server() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["serve", "nosite", "--port", "0"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no site.yaml in nosite"), "{stderr}");
    assert!(!stderr.contains("serving"), "{stderr}");
}

#[test]
fn init_makes_a_site_that_builds_and_new_scaffolds_files() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["init", "mysite"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let site = dir.path().join("mysite");
    let r = run_in(&site, &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(site.join("output/issues/1/index.html").is_file());
    let r = run_in(dir.path(), &["init", "mysite"]);
    assert_eq!(r.code, 1, "refuses a non-empty folder");
    for args in [
        &["new", "campaign", "fazhi-zhou"][..],
        &["new", "article", "kaimu", "--campaign", "fazhi-zhou"],
        &["new", "issue", "2"],
    ] {
        let r = run_in(&site, args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    }
    let article =
        std::fs::read_to_string(site.join("content/campaigns/fazhi-zhou/articles/kaimu.md"))
            .unwrap();
    assert!(
        article.contains("# 引题") && article.contains("kicker"),
        "fields explained in Chinese and English"
    );
    assert!(article.contains("date: 2026-11-22"), "dated today");
    let r = run_in(&site, &["new", "issue", "2"]);
    assert_eq!(r.code, 1, "refuses to overwrite");
    let r = run_in(&site, &["check"]);
    assert_eq!(r.code, 0, "scaffolded files check clean: {}", r.stderr);
}

#[test]
fn completions_and_help() {
    let r = run_in(&repo(), &["completions", "bash"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("jianbao"));
    let r = run_in(&repo(), &["build", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Examples:"));
}

#[test]
fn pages_render_when_asked_and_a_broken_one_says_why() {
    let f = Fixture::new();
    // A site template that fails on the article page only, at render time.
    f.write(
        "themes/newspaper/templates/article.html",
        "{% extends \"base.html\" %}{% block content %}{{ article.no_such_field }}{% endblock content %}",
    );
    let port = free_port();
    let _server = start(&f, port);
    let (status, body) = get(port, "/").expect("front page");
    assert!(status.contains("200"), "{status}");
    assert!(
        body.contains("走访回眸"),
        "the front page lists the article"
    );
    let (status, body) = get(port, "/campaigns/xiajiceng/").expect("campaign page");
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("<svg"), "{body}");
    let (status, body) = get(port, "/articles/huimou/").expect("article page");
    assert!(status.contains("500"), "{status}");
    assert!(body.contains("article.html"), "names the template: {body}");
    assert!(body.contains("/__jianbao/events"), "reloads when fixed");
    // Fixing the template brings the page.
    f.remove("themes/newspaper/templates/article.html");
    wait_for(port, "/articles/huimou/", |b| {
        b.contains("走访回眸") && !b.contains("<pre>")
    });
}

#[test]
fn answers_reads_only() {
    let f = Fixture::new();
    let port = free_port();
    let _server = start(&f, port);
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "BREW"] {
        let (status, body) = request(port, method, "/").unwrap();
        assert!(status.contains("405"), "{method}: {status}");
        assert!(!body.contains("<html"), "{method} got the page");
    }
    let (status, body) = request(port, "HEAD", "/").unwrap();
    assert!(status.contains("200"), "{status}");
    assert!(body.is_empty(), "HEAD has no body");
}

#[test]
fn malformed_requests_get_400_and_connections_are_bounded() {
    let f = Fixture::new();
    let port = free_port();
    let _server = start(&f, port);
    for raw in [
        &b"GET /%FF%FE HTTP/1.1\r\n\r\n"[..],
        b"GET /\xff HTTP/1.1\r\n\r\n",
        b"nonsense\r\n\r\n",
    ] {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(raw).unwrap();
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        let text = String::from_utf8_lossy(&buf);
        assert!(text.starts_with("HTTP/1.1 400"), "{raw:?}: {text}");
    }
    // Half-open connections that never send a byte: the server's threads stay few, and it
    // still answers.
    let idle: Vec<TcpStream> = (0..300)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", _server.0.id())).unwrap_or_default();
    let threads: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(threads < 64, "{threads} threads for 300 idle connections");
    drop(idle);
    let deadline = Instant::now() + Duration::from_secs(15);
    while get(port, "/").is_none_or(|(s, _)| !s.contains("200")) {
        assert!(Instant::now() < deadline, "server did not recover");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The body of `path` as bytes (a photo), if it answered 200.
fn get_bytes(port: u16, path: &str) -> Option<Vec<u8>> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    buf.starts_with(b"HTTP/1.1 200")
        .then(|| buf[end + 4..].to_vec())
}

/// A photo replaced by one of the same size: its copies and the print page that embeds it
/// change, without a rebuild of the site; one of another shape rebuilds it.
#[test]
fn a_replaced_photo_refreshes_the_pages_that_show_it() {
    use crate::photos::{encode, picture};
    use image::ImageFormat;
    let f = Fixture::new();
    let photo = |invert: bool, w: u32, h: u32| {
        let mut img = picture(w, h);
        if invert {
            image::imageops::invert(&mut img);
        }
        encode(img, ImageFormat::Jpeg)
    };
    f.write_bytes("content/static/photos/a.jpg", &photo(false, 1200, 900));
    f.write(
        "content/campaigns/xiajiceng/articles/xianchang.md",
        "---\ntitle: 现场\ndate: 2019-02-01\n---\n走访现场。\n\n![图为走访现场](/photos/a.jpg)\n",
    );
    let log = f.root().join("serve.log");
    let port = free_port();
    let _server = start_logging(&f, port, Stdio::from(std::fs::File::create(&log).unwrap()));
    let copy = "/photos/static/photos/a-1200.jpg";
    let before = get_bytes(port, copy).expect("the largest copy");
    let (_, print) = get(port, "/articles/xianchang/print.html").unwrap();
    assert!(print.contains("data:image/jpeg;base64,"), "{print}");
    let (_, page) = get(port, "/articles/xianchang/").unwrap();
    assert!(page.contains("width=\"1200\" height=\"900\""), "{page}");

    f.write_bytes("content/static/photos/a.jpg", &photo(true, 1200, 900));
    let start = Instant::now();
    while get_bytes(port, copy).is_none_or(|b| b == before) {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "copy never changed"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    let after = image::load_from_memory(&get_bytes(port, copy).unwrap()).unwrap();
    let old = image::load_from_memory(&before).unwrap();
    let (a, b) = (after.to_rgb8(), old.to_rgb8());
    let (pa, pb) = (a.get_pixel(600, 450), b.get_pixel(600, 450));
    assert!(
        (i32::from(pa[0]) - (255 - i32::from(pb[0]))).abs() < 40,
        "the new photo: {pa:?} vs {pb:?}"
    );
    let embedded = |page: &str| {
        let i = page.find("data:image/jpeg;base64,").unwrap_or(0);
        page[i..].split('"').next().unwrap_or("").to_string()
    };
    let old_copy = embedded(&print);
    wait_for(port, "/articles/xianchang/print.html", |b| {
        embedded(b) != old_copy
    });
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("photo replaced"), "{text}");
    assert!(!text.contains("site rebuilt"), "{text}");

    // Another shape: width, height and srcset change, so the site is rebuilt.
    f.write_bytes("content/static/photos/a.jpg", &photo(false, 900, 900));
    wait_for(port, "/articles/xianchang/", |b| {
        b.contains("width=\"900\" height=\"900\"")
    });
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("site rebuilt"), "{text}");
}
