//! Whole-site behaviour of `jianbao build`: pages, figures, drafts, escaping, links,
//! reproducibility, atomicity.

use crate::common::*;
use std::fs;
use std::path::Path;

fn build(f: &Fixture, extra: &[&str]) -> Run {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let r = f.run(&args);
    assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
    r
}

#[test]
fn figures_come_from_the_records() {
    let f = Fixture::new();
    build(&f, &[]);
    let page = f.page("articles/huimou/index.html");
    assert!(page.contains("共走访群众1836户"), "total with measure word");
    assert!(page.contains("约1800余户"), "approx=2");
    assert!(page.contains("公安分局走访1600户"), "unit filter, bare");
    assert!(page.contains("化解率84%"), "ratio 63/75");
    assert!(
        page.contains("<figure class=\"chart chart-bar"),
        "chart inline"
    );
    assert!(page.contains("<svg"), "SVG inline");
    assert!(
        page.contains("<span class=\"dateline\">本报讯</span>"),
        "dateline leads the first paragraph"
    );
    assert!(page.contains("■张三 李四"), "byline");
    assert!(page.contains("本报记者 王五"));
    assert!(
        page.contains("（作者系区委政法委干部）"),
        "author note in parentheses"
    );
    assert!(
        page.contains("2019年4月10日 星期三"),
        "date line with weekday"
    );
    assert!(
        page.contains("第12期 · 第A01版：要闻"),
        "page label from the issue"
    );
}

#[test]
fn every_contract_path_is_written() {
    let f = Fixture::new();
    // With a host in base_url: a sitemap needs absolute URLs.
    build(&f, &["--base-url", "https://example.org/"]);
    for p in [
        "index.html",
        "articles/huimou/index.html",
        "campaigns/xiajiceng/index.html",
        "units/gongan/index.html",
        "units/fayuan/index.html",
        "issues/12/index.html",
        "archive/index.html",
        "tags/pinganjianshe/index.html",
        "tags/zoufang/index.html",
        "feed.xml",
        "sitemap.xml",
        "data/records.csv",
        "data/summary.json",
        "assets/style.css",
    ] {
        assert!(f.out().join(p).is_file(), "missing {p}");
    }
    let csv = fs::read(f.out().join("data/records.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    assert_eq!(
        String::from_utf8_lossy(&csv).lines().count(),
        4,
        "header + 3 records"
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(f.out().join("data/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["campaigns"][0]["totals"]["households"], 1836);
    assert_eq!(
        summary["campaigns"][0]["by_unit"]["gongan"]["households"],
        1600
    );
    let issue = f.page("issues/12/index.html");
    assert!(
        issue.contains("本版新闻列表") && issue.contains("走访回眸") && issue.contains("共印120份")
    );
    let campaign = f.page("campaigns/xiajiceng/index.html");
    assert!(
        campaign.contains("chart-progress")
            && campaign.contains("chart-line")
            && campaign.contains("chart-pie")
    );
    assert!(campaign.contains("<td>1600</td>"), "per-unit table");
    let feed = f.page("feed.xml");
    assert!(roxmltree::Document::parse(&feed).is_ok(), "feed is XML");
    assert!(feed.contains("<title>走访回眸</title>"));
}

#[test]
fn drafts_and_future_pieces_only_with_drafts() {
    let f = Fixture::new();
    f.write(
        "content/articles/caogao.md",
        "---\ntitle: 草稿\ndate: 2019-05-01\ndraft: true\n---\n正文\n",
    );
    f.write(
        "content/articles/weilai.md",
        "---\ntitle: 未来稿\ndate: 2099-01-01\n---\n正文\n",
    );
    build(&f, &[]);
    assert!(!f.out().join("articles/caogao/index.html").exists());
    assert!(!f.out().join("articles/weilai/index.html").exists());
    assert!(!f.page("index.html").contains("草稿"));
    assert!(!f.page("feed.xml").contains("未来稿"));
    build(&f, &["--drafts"]);
    assert!(f.out().join("articles/caogao/index.html").exists());
    assert!(f.out().join("articles/weilai/index.html").exists());
}

#[test]
fn yaml_fields_are_escaped_and_raw_html_sanitized() {
    let f = Fixture::new();
    f.write(
        "content/articles/xss.md",
        "---\ntitle: \"<script>alert(1)</script>标题\"\nkicker: \"<b onmouseover=x>引题</b>\"\ndate: 2019-05-01\n---\n正文<script>alert(2)</script><a href=\"javascript:alert(3)\" onclick=\"x()\">链接</a><img src=x onerror=alert(4)>\n",
    );
    build(&f, &[]);
    let page = f.page("articles/xss/index.html");
    assert!(!page.contains("<script>alert"), "no script survives");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;标题")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt;标题"),
        "title escaped"
    );
    assert!(!page.contains("onmouseover=x>"), "kicker escaped");
    assert!(!page.contains("javascript:"), "no javascript: URL");
    assert!(!page.contains("onerror"), "no event handler");
    assert!(!page.contains("onclick"), "no event handler");
    assert!(!f.page("index.html").contains("<script>alert"));

    let site = format!("{SITE_YAML}unsafe_html: true\n");
    f.write("site.yaml", &site);
    build(&f, &[]);
    assert!(
        f.page("articles/xss/index.html")
            .contains("<script>alert(2)</script>"),
        "trusted when unsafe_html"
    );
}

/// Every relative href/src of every page points at a file that exists (file:// works).
#[test]
fn relative_links_resolve() {
    let f = Fixture::new();
    build(&f, &[]);
    check_links(&f.out());
}

#[test]
fn sample_site_builds_and_its_links_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let r = run_in(&repo(), &["build", "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    check_links(&out);
    assert!(out.join("issues/12/index.html").is_file());
    assert!(out.join("campaigns/luxian-qianming/index.html").is_file());
}

fn check_links(out: &Path) {
    let mut checked = 0;
    for (rel, bytes) in snapshot(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        assert!(
            !html.contains("http://") || !html.contains("src=\"http"),
            "{rel}: nothing loads from outside"
        );
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let url = &part[..part.find('"').unwrap()];
                if url.starts_with('#')
                    || url.starts_with("mailto:")
                    || url.starts_with("http")
                    || url.starts_with("data:")
                {
                    continue;
                }
                let target = url.split('#').next().unwrap();
                let base = out.join(&rel);
                let resolved = base.parent().unwrap().join(target);
                assert!(resolved.is_file(), "{rel}: link {url} does not resolve");
                assert!(
                    !url.starts_with('/'),
                    "{rel}: absolute link {url} breaks file:// and sub-paths"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "only {checked} links checked");
}

#[test]
fn two_builds_are_byte_identical() {
    let f = Fixture::new();
    build(&f, &["-o", "a"]);
    build(&f, &["-o", "b"]);
    let a = snapshot(&f.root().join("a"));
    let b = snapshot(&f.root().join("b"));
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between builds");
    }
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let f = Fixture::new();
    build(&f, &[]);
    let before = snapshot(&f.out());
    f.write(
        "content/campaigns/xiajiceng/records/fayuan.yaml",
        "- date: 2019-03-01\n  unit: fayuan\n  metrics: { househlds: 236 }\n",
    );
    let r = f.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("unknown metric"));
    assert_eq!(
        snapshot(&f.out()),
        before,
        "output changed by a failed build"
    );
    let leftovers: Vec<_> = fs::read_dir(f.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.contains("jianbao-") && !n.ends_with("jianbao-spare")
        })
        .collect();
    assert!(leftovers.is_empty(), "temporary folders left behind");
}

#[test]
fn output_folder_that_is_not_ours_is_refused() {
    let f = Fixture::new();
    f.write("mine/thesis.doc", "precious");
    let r = f.run(&["build", "-o", "mine"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not written by jianbao"), "{}", r.stderr);
    assert_eq!(
        fs::read_to_string(f.root().join("mine/thesis.doc")).unwrap(),
        "precious"
    );
    let r = f.run(&["build", "-o", "."]);
    assert_eq!(r.code, 1, "building over the site itself must be refused");
    assert!(f.root().join("site.yaml").is_file());
}

#[test]
fn site_theme_overrides_builtin_templates() {
    let f = Fixture::new();
    f.write(
        "themes/newspaper/templates/tag.html",
        "<p>TAG {{ tag.title }} {{ articles | length }}</p>",
    );
    build(&f, &[]);
    assert_eq!(f.page("tags/zoufang/index.html"), "<p>TAG 走访 1</p>");
    assert!(
        f.page("articles/huimou/index.html")
            .contains("class=\"headline\""),
        "other templates stay built-in"
    );
}

#[test]
fn filters_in_themes_format_numbers_and_dates() {
    let f = Fixture::new();
    f.write(
        "themes/newspaper/templates/tags.html",
        "{{ 1834 | approx }}|{{ 1834 | approx(digits=3) }}|{{ 11716 | wan }}|{{ 11716 | approx(wan=true) }}|{{ \"2019-04-26\" | cn_date }}|{{ \"2019-04-26\" | weekday }}",
    );
    build(&f, &[]);
    assert_eq!(
        f.page("tags/index.html"),
        "1800余|1830余|1.17万|1.1万余|2019年4月26日|星期五"
    );
}

#[test]
fn markdown_links_with_script_urls_are_neutralized() {
    let f = Fixture::new();
    f.write(
        "content/articles/links.md",
        "---\ntitle: 链接\ndate: 2019-05-01\n---\n[坏](javascript:alert(1)) [也坏]( JavaScript:alert(2)) [好](https://example.org/a) [相对](@/campaigns/xiajiceng) ![图](data:text/html,x)\n",
    );
    build(&f, &[]);
    let page = f.page("articles/links/index.html");
    assert!(
        !page.to_lowercase().contains("javascript:"),
        "script URL removed"
    );
    assert!(!page.contains("data:text/html"), "data: URL removed");
    assert!(page.contains("href=\"https://example.org/a\""));
    assert!(page.contains("href=\"../../campaigns/xiajiceng/index.html\""));
}

#[test]
fn english_sites_get_english_labels_and_dates() {
    let f = Fixture::new();
    f.write("site.yaml", &format!("{SITE_YAML}language: en\n"));
    let r = f.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let index = f.page("index.html");
    assert!(index.contains("<html lang=\"en\">"), "{index}");
    assert!(index.contains("Latest articles"), "{index}");
    assert!(index.contains(">Home<"), "{index}");
    assert!(!index.contains("最新稿件"), "{index}");
    let issue = f.page("issues/12/index.html");
    assert!(issue.contains("Issue 12"), "{issue}");
    assert!(issue.contains("Page A01"), "{issue}");
    let article = f.page("articles/huimou/index.html");
    assert!(article.contains("Source: 测试日报"), "{article}");
    assert!(!article.contains("来源："), "{article}");
    let print = f.page("articles/huimou/print.html");
    assert!(print.contains("\"Page \" counter(page)"), "{print}");
    // The built-in Chinese labels stay the default.
    let zh = Fixture::new();
    assert_eq!(zh.run(&["build"]).code, 0);
    assert!(zh.page("issues/12/index.html").contains("第12期"));
}

#[test]
fn two_builds_into_one_output_never_mix() {
    let f = Fixture::new();
    build(&f, &[]);
    let clean = snapshot(&f.out());
    for round in 0..6 {
        let spawn = || {
            std::process::Command::new(env!("CARGO_BIN_EXE_jianbao"))
                .arg("build")
                .arg(f.root())
                .env("JIANBAO_NOW", "2026-11-22T12:00:00+08:00")
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        for o in [&a, &b] {
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                o.status.success() || err.contains("another jianbao build is writing"),
                "round {round}: {err}"
            );
        }
        assert!(
            a.status.success() || b.status.success(),
            "round {round}: one build must win"
        );
        assert_eq!(
            snapshot(&f.out()),
            clean,
            "round {round}: output is one whole build"
        );
    }
}
