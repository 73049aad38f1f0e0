//! Issue 14: runaway and hostile input ends in an error at the file, within seconds.

use std::time::{Duration, Instant};

use crate::common::*;

const ARTICLE: &str = "content/campaigns/xiajiceng/articles/huimou.md";

/// `ARTICLE_MD`'s front matter with `body` (starting on line 13).
fn narrative(body: &str) -> String {
    let fm_end = ARTICLE_MD
        .find("---\n")
        .and_then(|a| ARTICLE_MD[a + 4..].find("---\n").map(|b| a + 4 + b + 4));
    format!("{}{body}\n", &ARTICLE_MD[..fm_end.expect("front matter")])
}

/// Runs `build` and expects it to fail quickly; returns stderr.
fn fails_fast(f: &Fixture) -> String {
    let t = Instant::now();
    let r = f.run(&["build"]);
    assert!(
        t.elapsed() < Duration::from_secs(20),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(r.code, 1, "expected exit 1:\n{}", r.stderr);
    r.stderr
}

#[test]
fn nested_loops_stop_at_the_iteration_bound() {
    let f = Fixture::new();
    f.write(
        ARTICLE,
        &narrative("正文\n{% for i in range(end=99999) %}{% for j in range(end=99999) %}x{% endfor %}{% endfor %}"),
    );
    let e = fails_fast(&f);
    assert!(e.contains(&format!("error: {ARTICLE}:14:")), "{e}");
    assert!(e.contains("100000"), "{e}");
}

#[test]
fn string_doubling_stops_at_the_value_bound() {
    let f = Fixture::new();
    f.write(
        ARTICLE,
        &narrative("{% set_global s = \"xxxxxxxxxx\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s }}"),
    );
    let e = fails_fast(&f);
    assert!(e.contains(&format!("error: {ARTICLE}:13:")), "{e}");
    assert!(e.contains("larger than 256 KB"), "{e}");
}

#[test]
fn a_hundred_thousand_charts_stop_at_the_chart_bound() {
    let f = Fixture::new();
    f.write(
        ARTICLE,
        &narrative("{% for i in range(end=100000) %}{{ chart(kind=\"bar\", metric=\"households\", by=\"unit\") }}{% endfor %}"),
    );
    let e = fails_fast(&f);
    assert!(e.contains(&format!("error: {ARTICLE}:13:")), "{e}");
    assert!(e.contains("more than 200 chart()"), "{e}");
    assert!(!f.out().join("articles/huimou/index.html").exists());
}

#[test]
fn list_comprehensions_are_refused() {
    let f = Fixture::new();
    f.write(ARTICLE, &narrative("{{ [i for i in range(end=9)] }}"));
    let e = fails_fast(&f);
    assert!(e.contains("list comprehensions"), "{e}");
}

#[test]
fn dates_before_1900_or_after_2100_are_errors() {
    let f = Fixture::new();
    f.write(
        "content/campaigns/xiajiceng/records/fayuan.yaml",
        "- date: 0001-01-01\n  unit: fayuan\n  metrics: { households: 1 }\n- date: 9999-12-31\n  unit: fayuan\n  metrics: { households: 1 }\n",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/campaigns/xiajiceng/records/fayuan.yaml:1:"),
        "{}",
        r.stderr
    );
    let f = Fixture::new();
    f.write(
        "content/campaigns/xiajiceng/campaign.yaml",
        &CAMPAIGN_YAML.replace("end: 2019-03-31", "end: 9999-03-31"),
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("outside the years 1900–2100"),
        "{}",
        r.stderr
    );
}

#[test]
fn issue_numbers_and_huge_numbers_say_what_they_are() {
    let f = Fixture::new();
    let issue = "number: -1\ndate: 2019-06-09\ntitle: 专刊\ncopies: 120\n";
    f.write("content/issues/12.yaml", issue);
    let r = f.run(&["check"]);
    assert!(
        r.stderr.contains("issue numbers are whole numbers from 1"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("counts are"), "{}", r.stderr);
    f.write(
        "content/issues/12.yaml",
        &issue.replace("-1", "99999999999999999999"),
    );
    let r = f.run(&["check"]);
    assert!(
        r.stderr.contains("content/issues/12.yaml:1:"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("99999999999999999999 is too large"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("u128"), "{}", r.stderr);
}

#[test]
fn control_characters_in_yaml_text_are_errors_at_the_field() {
    let f = Fixture::new();
    f.write(
        ARTICLE,
        &ARTICLE_MD.replace("title: 走访回眸", "title: \"走访\\a回眸\""),
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{ARTICLE}:2:")), "{}", r.stderr);
    assert!(
        r.stderr.contains("control character U+0007"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_measure_word_is_text_not_html() {
    let f = Fixture::new();
    f.write(
        "site.yaml",
        &format!(
            "{}unsafe_html: true\n",
            SITE_YAML.replace("unit: 户", "unit: \"<script>alert(1)</script>\"")
        ),
    );
    let r = f.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for p in [
        "articles/huimou/index.html",
        "articles/huimou/print.html",
        "feed.xml",
    ] {
        let page = f.page(p);
        assert!(!page.contains("<script>alert"), "{p}");
    }
    assert!(f
        .page("articles/huimou/index.html")
        .contains("&lt;script&gt;alert(1)"));
}

#[test]
fn csv_cells_never_run_as_formulas() {
    let f = Fixture::new();
    f.write(
        "content/campaigns/xiajiceng/records/fayuan.yaml",
        "- date: 2019-03-01\n  unit: fayuan\n  activity: \"=HYPERLINK(\\\"http://x\\\")\"\n  place: \"+cmd\"\n  note: \"@SUM(A1)\"\n  metrics: { households: 236 }\n",
    );
    let r = f.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let csv = f.page("data/records.csv");
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains("'+cmd") && csv.contains("'@SUM(A1)"), "{csv}");
}

#[test]
fn base_url_is_a_path_or_an_http_url() {
    let f = Fixture::new();
    f.write(
        "site.yaml",
        &format!("{SITE_YAML}base_url: \"javascript:alert(1)//x/\"\n"),
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error: site.yaml:"), "{}", r.stderr);
    let f = Fixture::new();
    let r = f.run(&["build", "--base-url", "javascript:alert(1)//x/"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("--base-url"), "{}", r.stderr);
    // A bare path: ids are still absolute IRIs, and no sitemap (its URLs must be absolute).
    let r = f.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(f.page("feed.xml").contains("<id>urn:uuid:"));
    assert!(!f.out().join("sitemap.xml").exists());
    let r = f.run(&["build", "--base-url", "https://example.org/jb/"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(f
        .page("feed.xml")
        .contains("<id>https://example.org/jb/articles/huimou/</id>"));
    assert!(f
        .page("sitemap.xml")
        .contains("<loc>https://example.org/jb/"));
}

#[test]
fn symlinks_and_fifos_are_reported() {
    let f = Fixture::new();
    std::os::unix::fs::symlink("/etc/passwd", f.root().join("content/articles.md")).unwrap();
    let fifo = f
        .root()
        .join("content/campaigns/xiajiceng/records/pipe.yaml");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let r = f.run(&["check"]);
    assert!(
        r.stderr
            .contains("content/articles.md: a symbolic link is not a regular file"),
        "{}",
        r.stderr
    );
    if ok {
        assert!(
            r.stderr.contains("pipe.yaml: a named pipe (FIFO)"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn tag_urls_stay_when_colliding_tags_are_added() {
    let f = Fixture::new();
    f.write(
        "content/articles/other.md",
        "---\ntitle: 另一篇\ndate: 2019-04-11\ntags: [ZouFang, 奏放]\n---\n正文。\n",
    );
    let r = f.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(f.page("tags/zoufang/index.html").contains("走访回眸"));
    assert!(!f.page("tags/zoufang/index.html").contains("另一篇"));
}

#[test]
fn check_finds_a_path_too_long_for_the_file_system() {
    let f = Fixture::new();
    let tag = "a".repeat(300);
    f.write(
        ARTICLE,
        &ARTICLE_MD.replace("tags: [平安建设, 走访]", &format!("tags: [{tag}]")),
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("300 bytes long"), "{}", r.stderr);
}

#[test]
fn deeply_nested_records_are_refused_quickly() {
    let f = Fixture::new();
    let deep = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    f.write("content/campaigns/xiajiceng/records/fayuan.yaml", &deep);
    let t = Instant::now();
    let r = f.run(&["check"]);
    assert!(
        t.elapsed() < Duration::from_secs(10),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("records/fayuan.yaml:1:"), "{}", r.stderr);
    assert!(r.stderr.contains("nested deeper than 64"), "{}", r.stderr);
}

/// `jianbao build 2>&1 | head -1`: once the reader is gone, every status line fails to write;
/// the build must still finish and publish, not panic on the first line it cannot print.
#[test]
fn a_closed_stderr_does_not_stop_a_build() {
    let f = Fixture::new();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["build", "-v"])
        .current_dir(f.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert!(f.out().join("index.html").is_file());
}
