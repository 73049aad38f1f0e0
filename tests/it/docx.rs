//! Word documents (`--docx`): opened by LibreOffice and read as XML, and made again only when
//! their print page changed.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// The parts of a `.docx`, by name.
fn parts(path: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let file = fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(file).expect("a zip package");
    let mut out = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).expect("read entry");
        let name = f.name().expect("entry name").to_string();
        out.insert(name, bytes);
    }
    out
}

fn xml(parts: &std::collections::BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(parts[name].clone()).expect("utf-8 XML")
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn docx_files(out: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(out.join("docx"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "docx"))
        .map(|e| e.into_path())
        .collect();
    v.sort();
    v
}

fn soffice_available() -> bool {
    Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Checks the XML of every document: GB/T 9704 margins, East Asian fonts, the grid.
fn check_geometry(path: &Path) {
    let p = parts(path);
    let doc_xml = xml(&p, "word/document.xml");
    let doc = roxmltree::Document::parse(&doc_xml).expect("document.xml parses");
    let mar = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "pgMar")))
        .expect("page margins");
    let at = |k: &str| mar.attribute((W, k)).unwrap_or("");
    // 37 / 35 mm top and bottom, 28 mm inside (left, mirrored), 26 mm outside.
    assert_eq!(
        (at("top"), at("bottom"), at("left"), at("right")),
        ("2098", "1984", "1587", "1474"),
        "{}",
        path.display()
    );
    let size = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "pgSz")))
        .expect("page size");
    assert_eq!(size.attribute((W, "w")), Some("11906"), "A4");
    let grid = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "docGrid")))
        .expect("document grid");
    assert_eq!(grid.attribute((W, "linePitch")), Some("579"), "22 lines");
    assert!(xml(&p, "word/settings.xml").contains("<w:mirrorMargins/>"));
    let styles = xml(&p, "word/styles.xml");
    for face in ["仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"] {
        assert!(
            styles.contains(&format!("w:eastAsia=\"{face}\"")),
            "{face} not set as an East Asian font"
        );
    }
    let fonts = xml(&p, "word/fontTable.xml");
    assert!(
        fonts.contains("<w:altName w:val=\"仿宋\"/>"),
        "a fallback face"
    );
    assert!(
        xml(&p, "word/footer1.xml").contains(" PAGE "),
        "page numbers"
    );
    assert!(
        xml(&p, "docProps/core.xml").find("created").is_none(),
        "no time"
    );
}

#[test]
fn word_documents_of_the_sample_site_open_in_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let r = run_in(&repo(), &["build", "--docx", "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let files = docx_files(&out);
    let issues = files
        .iter()
        .filter(|f| f.to_string_lossy().contains("docx/issues/"))
        .count();
    let articles = files
        .iter()
        .filter(|f| f.to_string_lossy().contains("docx/articles/"))
        .count();
    let campaigns = files
        .iter()
        .filter(|f| f.to_string_lossy().contains("docx/campaigns/"))
        .count();
    assert_eq!((issues, articles, campaigns), (4, 11, 5), "{files:?}");
    assert!(r.stderr.contains("made 20 Word documents"), "{}", r.stderr);
    for f in &files {
        check_geometry(f);
    }

    // The issue: a red masthead in 小标宋, 第12期, the 版记.
    let issue = parts(&out.join("docx/issues/12.docx"));
    let doc = xml(&issue, "word/document.xml");
    assert!(doc.contains("<w:pStyle w:val=\"Masthead\"/>"));
    let styles = xml(&issue, "word/styles.xml");
    let masthead = &styles[styles.find("w:styleId=\"Masthead\"").expect("style")..];
    let masthead = &masthead[..masthead.find("</w:style>").unwrap()];
    assert!(masthead.contains("<w:color w:val=\"FF0000\"/>"), "red");
    assert!(masthead.contains("w:eastAsia=\"方正小标宋简体\""), "小标宋");
    assert!(doc.contains("w:color=\"FF0000\""), "the red rule");
    for needle in ["第12期", "共印120份", "报：市委政法委", "1830余户"] {
        assert!(doc.contains(needle), "issue lacks {needle}");
    }

    // The campaign: the unit table as a Word table with a repeated header row, charts as
    // pictures.
    let campaign = parts(&out.join("docx/campaigns/huaian-xiajiceng.docx"));
    let doc = xml(&campaign, "word/document.xml");
    assert!(
        doc.contains("<w:tbl>") && doc.contains("<w:tblHeader/>"),
        "unit table"
    );
    assert!(
        doc.contains("<pic:pic>") && doc.contains("r:embed=\"rIdImg1\""),
        "chart picture"
    );
    let png = &campaign["word/media/image1.png"];
    assert!(png.starts_with(b"\x89PNG"), "a PNG");

    // Same input, same bytes.
    let again = dir.path().join("again");
    let r = run_in(&repo(), &["build", "--docx", "-o", again.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in &files {
        let rel = f.strip_prefix(&out).unwrap();
        assert_eq!(
            fs::read(f).unwrap(),
            fs::read(again.join(rel)).unwrap(),
            "{rel:?}"
        );
    }

    if !soffice_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install libreoffice-writer-nogui (see .ci/run)"
        );
        eprintln!("skipped: no LibreOffice on this machine");
        return;
    }
    let pdfs = dir.path().join("pdf");
    let profile = dir.path().join("lo-profile");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&pdfs)
        .args(&files)
        .output()
        .expect("soffice");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    for f in &files {
        let pdf = pdfs.join(f.file_stem().unwrap()).with_extension("pdf");
        let info = Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo");
        let info = String::from_utf8_lossy(&info.stdout);
        assert!(info.contains("(A4)"), "{}: {info}", pdf.display());
    }
    let text = |name: &str| {
        let o = Command::new("pdftotext")
            .arg(pdfs.join(name))
            .arg("-")
            .output()
            .expect("pdftotext");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let issue = text("12.pdf");
    let squeezed: String = issue.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(squeezed.contains("—1—"), "page number:\n{issue}");
    for needle in [
        "基层政法工作简报",
        "第12期",
        "2019年6月9日",
        "1830余户",
        "报：市委政法委",
        "共印120份",
    ] {
        assert!(
            squeezed.contains(needle),
            "issue PDF lacks {needle}:\n{issue}"
        );
    }
    let campaign = text("huaian-xiajiceng.pdf");
    for needle in ["1836", "公安机关"] {
        assert!(
            campaign.replace(char::is_whitespace, "").contains(needle),
            "campaign PDF lacks {needle}:\n{campaign}"
        );
    }
}

fn mtime(p: &Path) -> std::time::SystemTime {
    fs::metadata(p)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn documents_are_made_again_only_when_their_page_changed() {
    let f = Fixture::new();
    f.write(
        "content/articles/other.md",
        "---\ntitle: 另一篇\ndate: 2019-05-01\n---\n不在期刊里的稿件。\n",
    );
    let pdf = jianbao::pdf::find_chromium().is_ok();
    let args: &[&str] = if pdf {
        &["build", "--docx", "--pdf"]
    } else {
        &["build", "--docx"]
    };
    let r = f.run(args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("made 4 Word documents"), "{}", r.stderr);
    let other = f.out().join("docx/articles/other.docx");
    let first = mtime(&other);
    // Unchanged: nothing made (the second build copies from the live output, the third
    // finds its own generation's files in place).
    for _ in 0..2 {
        let r = f.run(args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stderr.contains("made 0 Word documents") && r.stderr.contains("4 unchanged"),
            "{}",
            r.stderr
        );
        if pdf {
            assert!(r.stderr.contains("printed 0 PDFs"), "{}", r.stderr);
        }
    }
    assert_eq!(mtime(&other), first, "the same file, not rewritten");
    // An edited article: its own page and its issue, not the other article, nor its campaign,
    // whose page lists the article by title only.
    f.write(
        "content/campaigns/xiajiceng/articles/huimou.md",
        &ARTICLE_MD.replace("各政法单位共走访群众", "全区政法单位共走访群众"),
    );
    let r = f.run(args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("made 2 Word documents") && r.stderr.contains("2 unchanged"),
        "{}",
        r.stderr
    );
    if pdf {
        assert!(r.stderr.contains("printed 2 PDFs"), "{}", r.stderr);
    }
    assert!(f.out().join("pdf").exists() == pdf);
    let doc = parts(&f.out().join("docx/issues/12.docx"));
    assert!(xml(&doc, "word/document.xml").contains("全区政法单位"));
    // Without the flags the documents go with the next build.
    let r = f.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!f.out().join("docx").exists());
}
