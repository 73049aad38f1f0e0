//! Print pages (self-contained, A4) and PDFs through a real headless Chromium.

use crate::common::*;
use std::process::Command;

#[test]
fn print_pages_are_self_contained_a4() {
    let f = Fixture::new();
    let r = f.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for page in [
        "articles/huimou/print.html",
        "campaigns/xiajiceng/print.html",
        "issues/12/print.html",
    ] {
        let html = f.page(page);
        assert!(html.contains("@page"), "{page}: no @page rule");
        assert!(html.contains("size: A4"), "{page}: not A4");
        for part in html.split("<link").skip(1) {
            assert!(
                part.contains("href=\"data:"),
                "{page}: links another file: {}",
                &part[..part.find('>').unwrap_or(part.len())]
            );
        }
        assert!(!html.contains("<script"), "{page}: has a script");
        for part in html.split("src=\"").skip(1) {
            assert!(
                part.starts_with("data:"),
                "{page}: refers to another file: {}",
                &part[..40.min(part.len())]
            );
        }
        assert!(
            !html.contains("url(") || !html.contains("url(http"),
            "{page}: loads from outside"
        );
    }
    let article = f.page("articles/huimou/print.html");
    assert!(article.contains("<svg"), "charts inline in print");
    assert!(article.contains("1836户"));
    let issue = f.page("issues/12/print.html");
    for text in [
        "第12期",
        "测试区委政法委",
        "2019年6月9日",
        "报：市委政法委",
        "送：区委、区政府领导",
        "共印120份",
        "走访回眸",
        "jb-rule",
    ] {
        assert!(issue.contains(text), "issue print lacks {text}");
    }
}

#[test]
fn print_images_become_data_uris() {
    let f = Fixture::new();
    // A 1×1 PNG.
    let png: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0,
        0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0a, 0x49, 0x44,
        0x41, 0x54, 0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d, 0x0a, 0x2d, 0xb4, 0, 0, 0, 0,
        0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    f.write_bytes("content/static/img/photo.png", png);
    f.write("content/articles/pic.md", "---\ntitle: 图片稿\ndate: 2019-05-01\n---\n![座谈会现场](/img/photo.png)\n\n![外部图片](http://example.com/x.png)\n");
    let r = f.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !f.out().join("img/photo.png").exists(),
        "a photo is published only as processed copies"
    );
    let html = f.page("articles/pic/print.html");
    assert!(
        html.contains("src=\"data:image/jpeg;base64,/9j/"),
        "the print copy inlined"
    );
    assert!(
        !html.contains("example.com"),
        "outside image dropped from print"
    );
    assert!(html.contains("外部图片"), "its alt text kept");
}

fn chromium_available() -> bool {
    jianbao::pdf::find_chromium().is_ok()
}

#[test]
fn pdfs_of_the_sample_site_are_a4_with_the_issue_furniture() {
    if !chromium_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (see .ci/run)"
        );
        eprintln!("skipped: no chromium on this machine");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let r = run_in(&repo(), &["build", "--pdf", "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("printed 20 PDFs"), "{}", r.stderr);
    let pdf = out.join("pdf/issues/12.pdf");
    let info = Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("(A4)"), "{info}");
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    for needle in [
        "第12期",
        "2019年6月9日",
        "报：市委政法委",
        "共印120份",
        "1830余户",
    ] {
        assert!(text.contains(needle), "issue PDF lacks {needle}:\n{text}");
    }
    assert!(out
        .join("pdf/articles/huaian-xiajiceng-huimou.pdf")
        .is_file());
    assert!(out.join("pdf/campaigns/luxian-qianming.pdf").is_file());
}

#[test]
fn no_chromium_is_a_clear_error_and_html_is_still_written() {
    let f = Fixture::new();
    let out = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["build", "--pdf"])
        .current_dir(f.root())
        .env("JIANBAO_NOW", "2026-11-22T12:00:00+08:00")
        .env("JIANBAO_CHROMIUM", "/nonexistent/chromium")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot make PDFs"), "{stderr}");
    assert!(stderr.contains("apt-get install chromium"), "{stderr}");
    assert!(
        f.out().join("articles/huimou/index.html").is_file(),
        "HTML written anyway"
    );
    assert!(!f.out().join("pdf").exists());
}
