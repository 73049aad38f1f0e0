//! The URL scheme of the output (SPEC §5): every path a build writes, spelled in one place.
//!
//! Paths are relative to the output folder, with `/` separators. Page builders, feeds,
//! `serve`, the PDF step and `write` ask here instead of formatting paths of their own.

use std::path::Path;

use crate::model::{Slug, UnitKey};

/// The output folder `build` writes when not told (`-o`), in the site's folder.
pub const DEFAULT_OUTPUT: &str = "output";

/// The front page (头版).
pub const FRONT: &str = "index.html";
/// Articles by year and month, and the issues.
pub const ARCHIVE: &str = "archive/index.html";
/// The list of every tag.
pub const TAGS: &str = "tags/index.html";
/// The Atom feed of articles.
pub const FEED: &str = "feed.xml";
/// The sitemap.
pub const SITEMAP: &str = "sitemap.xml";
/// Every record, for archiving.
pub const RECORDS_CSV: &str = "data/records.csv";
/// Every campaign's totals, for archiving.
pub const SUMMARY_JSON: &str = "data/summary.json";

/// The folder of the search index and Pagefind's UI files.
pub const SEARCH_DIR: &str = "search";
/// The search page, beside the index it loads.
pub const SEARCH: &str = "search/index.html";
/// Pagefind's UI files (script and style), once for every bundle.
pub const SEARCH_UI: &str = "search/ui";
/// The list of the index's bundles, which the search page merges.
pub const SEARCH_BUNDLES: &str = "search/bundles.json";

/// The folder of bundle `i` of the search index (a large site's index is cut into bundles).
pub fn search_bundle(i: usize) -> String {
    format!("{SEARCH_DIR}/s{i}")
}

/// A campaign's archive workbook: totals and targets, by unit, by month, every record.
pub fn campaign_workbook(slug: &Slug) -> String {
    format!("data/{slug}.xlsx")
}
/// The print page's file name beside an article, campaign or issue page, as the web page
/// links to it.
pub const PRINT_FILE: &str = "print.html";

const INDEX_FILE: &str = "index.html";

fn index(dir: &str) -> String {
    format!("{dir}/{INDEX_FILE}")
}

fn print(dir: &str) -> String {
    format!("{dir}/{PRINT_FILE}")
}

/// An article's page.
pub fn article(slug: &Slug) -> String {
    index(&format!("articles/{slug}"))
}

/// An article's print page.
pub fn article_print(slug: &Slug) -> String {
    print(&format!("articles/{slug}"))
}

/// A campaign's summary page.
pub fn campaign(slug: &Slug) -> String {
    index(&format!("campaigns/{slug}"))
}

/// A campaign's print page.
pub fn campaign_print(slug: &Slug) -> String {
    print(&format!("campaigns/{slug}"))
}

/// A reporting unit's page.
pub fn unit(key: &UnitKey) -> String {
    index(&format!("units/{key}"))
}

/// An issue's e-paper page.
pub fn issue(number: u32) -> String {
    index(&format!("issues/{number}"))
}

/// An issue's print page (the 简报 layout).
pub fn issue_print(number: u32) -> String {
    print(&format!("issues/{number}"))
}

/// A tag's page, by the tag's ASCII slug.
pub fn tag(slug: &str) -> String {
    index(&format!("tags/{slug}"))
}

/// A single page (关于, 联系我们).
pub fn single_page(slug: &Slug) -> String {
    index(&format!("pages/{slug}"))
}

/// A file of the theme's `static/` folder.
pub fn asset(name: &str) -> String {
    format!("assets/{name}")
}

/// A file of the site's `content/static/`, by its path relative to that folder: the same
/// path under output/.
pub fn static_file(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

/// A processed copy of a photo, by the photo's path under `content/` and the copy's width:
/// `static/photos/a.jpg` → `photos/static/photos/a-960.jpg` (`a.png` → `a-png-960.jpg`, so
/// two photos that differ only in format get two names).
pub fn photo_copy(key: &str, width: u32) -> String {
    let (stem, ext) = match key.rsplit_once('.') {
        Some((s, e)) if !e.contains('/') => (s, e.to_ascii_lowercase()),
        _ => (key, String::new()),
    };
    if ext == "jpg" {
        format!("photos/{stem}-{width}.jpg")
    } else {
        format!("photos/{stem}-{ext}-{width}.jpg")
    }
}

/// A file a narrative links to (an attachment), by its path under `content/`: one of
/// `content/static/` keeps its own path; one beside a narrative goes under `files/`.
pub fn media_file(key: &str) -> String {
    match key.strip_prefix("static/") {
        Some(rel) => rel.to_string(),
        None => format!("files/{key}"),
    }
}

/// Where the PDF of a print page goes: `articles/x/print.html` → `pdf/articles/x.pdf`.
pub fn pdf_for(print_path: &str) -> String {
    let dir = print_path
        .trim_end_matches(PRINT_FILE)
        .trim_end_matches('/');
    format!("pdf/{dir}.pdf")
}

/// Where the Word document of a print page goes: `issues/12/print.html` →
/// `docx/issues/12.docx`.
pub fn docx_for(print_path: &str) -> String {
    let dir = print_path
        .trim_end_matches(PRINT_FILE)
        .trim_end_matches('/');
    format!("docx/{dir}.docx")
}

/// Whether `path` is a print page.
pub fn is_print(path: &str) -> bool {
    path.ends_with(&format!("/{PRINT_FILE}"))
}

/// Whether `path` is a web page listed by the sitemap (a folder's index, not a print page).
pub fn is_index(path: &str) -> bool {
    path.ends_with(INDEX_FILE)
}

/// The folder URL a page is served at: `articles/x/index.html` → `articles/x/`.
pub fn folder_url(index_path: &str) -> &str {
    index_path.trim_end_matches(INDEX_FILE)
}

/// The files a request for `rel` may mean, in order: the file, or the index of the folder.
pub fn requested(rel: &str) -> [String; 3] {
    [
        rel.to_string(),
        index(rel.trim_end_matches('/')),
        format!("{rel}{INDEX_FILE}"),
    ]
}

/// The way back to the output folder from a page at `path`: `../` for each folder it is in,
/// so a theme's links work from a file opened without a server.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_folders_with_an_index() {
        let slug = Slug::new("huimou");
        assert_eq!(article(&slug), "articles/huimou/index.html");
        assert_eq!(campaign_print(&slug), "campaigns/huimou/print.html");
        assert_eq!(issue(12), "issues/12/index.html");
        assert_eq!(folder_url(&article(&slug)), "articles/huimou/");
        assert_eq!(root_of(FRONT), "");
        assert_eq!(root_of(ARCHIVE), "../");
        assert_eq!(root_of(&tag("a")), "../../");
        assert!(is_print(&issue_print(3)) && !is_print(&issue(3)));
    }

    #[test]
    fn pdfs_mirror_the_print_pages() {
        assert_eq!(
            pdf_for("articles/huimou/print.html"),
            "pdf/articles/huimou.pdf"
        );
        assert_eq!(pdf_for("issues/12/print.html"), "pdf/issues/12.pdf");
        assert_eq!(docx_for(&issue_print(12)), "docx/issues/12.docx");
        assert_eq!(
            docx_for(&article_print(&Slug::new("huimou"))),
            "docx/articles/huimou.docx"
        );
        assert_eq!(
            docx_for(&campaign_print(&Slug::new("x"))),
            "docx/campaigns/x.docx"
        );
    }
}

/// The longest name of one file or folder most file systems take (ext4, APFS, NTFS: 255).
pub const MAX_COMPONENT_BYTES: usize = 255;

/// Why `path` cannot be written (a part longer than [`MAX_COMPONENT_BYTES`]), or `None`.
pub fn component_problem(path: &str) -> Option<String> {
    path.split('/')
        .find(|c| c.len() > MAX_COMPONENT_BYTES)
        .map(|c| {
            format!(
                "a part of this path is {} bytes long; file systems take at most {MAX_COMPONENT_BYTES}",
                c.len()
            )
        })
}

/// Why `base_url` is not one SPEC §2 allows (a path `/`, `/x/`, or an absolute http(s) URL),
/// or `None` when it is. It goes into every feed link, so anything else (`javascript:`…) is out.
pub fn base_url_problem(base: &str) -> Option<String> {
    let bad = |c: char| c.is_control() || c.is_whitespace() || "\"'<>\\`{}|^".contains(c);
    if let Some(c) = base.chars().find(|&c| bad(c)) {
        return Some(format!("base_url may not contain {c:?}"));
    }
    let path = if let Some(rest) = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))
    {
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if host.is_empty()
            || !host
                .chars()
                .all(|c| c.is_alphanumeric() || ".-:[]".contains(c))
        {
            return Some(format!("base_url has no valid host: \"{base}\""));
        }
        if path.is_empty() {
            return None;
        }
        path
    } else {
        base
    };
    if !path.starts_with('/') || path.starts_with("//") {
        return Some(format!(
            "base_url must be a path (/, /jianbao/) or an http(s):// URL, not \"{base}\""
        ));
    }
    None
}

/// Whether `base_url` names a host (`https://example.org/x/`), so absolute URLs can be made.
pub fn base_has_host(base: &str) -> bool {
    base.starts_with("https://") || base.starts_with("http://")
}

#[cfg(test)]
mod base_url_tests {
    use super::*;

    #[test]
    fn base_url_is_a_path_or_an_http_url() {
        for ok in [
            "/",
            "/jianbao/",
            "https://example.org",
            "http://a.b:8080/x/",
        ] {
            assert_eq!(base_url_problem(ok), None, "{ok}");
        }
        assert!(component_problem(&format!("tags/{}/index.html", "a".repeat(300))).is_some());
        assert!(component_problem("tags/zoufang/index.html").is_none());
        for bad in [
            "javascript:alert(1)//x/",
            "x/",
            "//evil.org/",
            "https:///x",
            "/a b/",
            "ftp://x/",
        ] {
            assert!(base_url_problem(bad).is_some(), "{bad}");
        }
    }
}
