//! Search: what readers look for (records made by render from the pages' main text) → a
//! Pagefind index under `search/`, with Pagefind's own UI files (SPEC §5 `search/`).
//!
//! The index is built in-process by the `pagefind` crate (its "extended" build, which
//! segments Chinese into words with ICU4X) from custom records, not from the rendered HTML:
//! render knows which text is the page's own, so navigation, lists, print twins and chart
//! tables never reach the index. Pagefind's API is async; a current-thread runtime drives it.
//!
//! The index is made again only when what it indexes changed: the records and the settings
//! are hashed ([`key`]), and a build whose key equals the live output's carries the live
//! `search/` files over instead.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::time::{Duration, Instant};

use crate::diag::Diagnostic;
use crate::numfmt::Language;
use crate::paths;
use crate::render::OutFile;
use crate::write::Staging;

/// The most text one page gives the index (bytes): runaway input cannot exhaust memory.
pub const MAX_TEXT_BYTES: usize = 200 * 1024;

/// Bumped when what is indexed, or how, changes without the records changing.
const VERSION: u32 = 1;

/// One page as the index holds it: its URL, its main text, what a result shows, the filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Record {
    /// The page's path under the output folder (`articles/x/index.html`).
    pub url: String,
    /// The title a result shows.
    pub title: String,
    /// The page's own text, plain, at most [`MAX_TEXT_BYTES`].
    pub text: String,
    /// The date a result shows (`2019-04-26`).
    pub date: Option<String>,
    /// 来源 and authors as the page shows them (市委政法委研究室 ■程立新).
    pub source: Option<String>,
    /// The lead photo's smallest copy, by its path under the output folder.
    pub image: Option<String>,
    /// Filter name → values (专项活动, 单位, 年份), in the site's language.
    pub filters: BTreeMap<String, Vec<String>>,
}

impl Record {
    /// Sets the text, cut at a character boundary to at most [`MAX_TEXT_BYTES`].
    pub fn set_text(&mut self, text: &str) {
        let mut end = text.len().min(MAX_TEXT_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        self.text = text[..end].to_string();
    }
}

/// The language code Pagefind indexes a site's text under (`zh` is segmented into words).
pub fn language_code(lang: Language) -> &'static str {
    match lang {
        Language::ZhCn => "zh",
        Language::En => "en",
    }
}

/// The key an index is kept under: the records in order, the language, and the versions of
/// jianbao and of this indexing. Equal keys mean byte-identical index files.
pub fn key(records: &[Record], lang: Language) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    VERSION.hash(&mut h);
    // Pagefind does not say its version; jianbao's own stands for the Pagefind it was built
    // with. (An index kept across an upgrade still works: its UI files come with it.)
    env!("CARGO_PKG_VERSION").hash(&mut h);
    language_code(lang).hash(&mut h);
    records.hash(&mut h);
    h.finish()
}

/// Builds the index of `records`: every file Pagefind makes, under `search/`.
pub fn index(records: &[Record], lang: Language) -> Result<Vec<OutFile>, Diagnostic> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        Diagnostic::error(paths::SEARCH_DIR, None, format!("{what}: {e}"))
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| fail("cannot start the search indexer", &e))?;
    let code = language_code(lang);
    runtime.block_on(async {
        let config = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language(code.to_string())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(config))
            .map_err(|e| fail("cannot start the search indexer", &e))?;
        let span = crate::trace::span("search: add records");
        for r in records {
            let mut meta = BTreeMap::new();
            meta.insert("title".to_string(), r.title.clone());
            if let Some(d) = &r.date {
                meta.insert("date".to_string(), d.clone());
            }
            if let Some(s) = &r.source {
                meta.insert("source".to_string(), s.clone());
            }
            if let Some(i) = &r.image {
                meta.insert("image".to_string(), i.clone());
                meta.insert("image_alt".to_string(), r.title.clone());
            }
            index
                .add_custom_record(
                    r.url.clone(),
                    r.text.clone(),
                    code.to_string(),
                    Some(meta),
                    Some(r.filters.clone()),
                    None,
                )
                .await
                .map_err(|e| {
                    Diagnostic::error(r.url.as_str(), None, format!("cannot index: {e}"))
                })?;
        }
        drop(span);
        let _span = crate::trace::span("search: build index");
        let files = index
            .get_files()
            .await
            .map_err(|e| fail("cannot build the search index", &e))?;
        let mut out: Vec<OutFile> = files
            .into_iter()
            .map(|f| OutFile {
                path: paths::search_file(&f.filename.to_string_lossy().replace('\\', "/")),
                bytes: f.contents,
            })
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    })
}

/// What the search step did in a build.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchStats {
    /// Pages indexed.
    pub records: usize,
    /// Whether the index was kept from the build before (nothing indexed).
    pub kept: bool,
    /// Files under `search/`.
    pub files: usize,
    /// Their size in bytes.
    pub bytes: u64,
    /// Time spent, keeping included.
    pub elapsed: Duration,
}

/// Puts the index of `records` into `staging`: the live output's `search/` files when they
/// were made from the same records (same [`key`]), else a new index. Returns the paths put.
pub fn write(
    staging: &Staging,
    records: &[Record],
    lang: Language,
) -> Result<(Vec<String>, SearchStats), Diagnostic> {
    let started = Instant::now();
    let key = key(records, lang);
    let mut stats = SearchStats {
        records: records.len(),
        ..Default::default()
    };
    let kept = match staging.live_folder(paths::SEARCH_DIR) {
        Some((k, files)) if k == key && files.iter().any(|f| f == paths::SEARCH_ENTRY) => files
            .into_iter()
            // The search page beside the index is rendered with the other pages.
            .filter(|path| path != paths::SEARCH)
            .map(|path| {
                staging
                    .read_live(&path)
                    .map(|bytes| OutFile { path, bytes })
            })
            .collect::<Result<Vec<_>, _>>()
            .ok(),
        _ => None,
    };
    stats.kept = kept.is_some();
    let files = match kept {
        Some(files) => files,
        None => index(records, lang)?,
    };
    let mut put = Vec::with_capacity(files.len());
    for f in files {
        stats.bytes += f.bytes.len() as u64;
        put.push(f.path.clone());
        staging.put(&f)?;
    }
    staging.set_folder_key(paths::SEARCH_DIR, key);
    stats.files = put.len();
    stats.elapsed = started.elapsed();
    Ok((put, stats))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(url: &str, text: &str) -> Record {
        let mut r = Record {
            url: url.into(),
            title: "标题".into(),
            ..Default::default()
        };
        r.set_text(text);
        r
    }

    #[test]
    fn the_key_is_stable_and_follows_the_text() {
        let a = vec![record("articles/a/index.html", "人民调解员走进村组")];
        assert_eq!(key(&a, Language::ZhCn), key(&a.clone(), Language::ZhCn));
        let mut b = a.clone();
        b[0].set_text("人民调解员走进社区");
        assert_ne!(key(&a, Language::ZhCn), key(&b, Language::ZhCn));
        assert_ne!(key(&a, Language::ZhCn), key(&a, Language::En));
        let mut c = a.clone();
        c[0].filters.insert("单位".into(), vec!["司法局".into()]);
        assert_ne!(key(&a, Language::ZhCn), key(&c, Language::ZhCn));
    }

    #[test]
    fn text_is_bounded_at_a_character() {
        let long = "调".repeat(MAX_TEXT_BYTES); // 3 bytes a character
        let r = record("a", &long);
        assert!(r.text.len() <= MAX_TEXT_BYTES && r.text.len() > MAX_TEXT_BYTES - 3);
        assert!(r.text.chars().all(|c| c == '调'));
    }

    #[test]
    fn the_index_has_its_ui_and_the_same_bytes_twice() {
        let records = vec![
            record("articles/a/index.html", "玄滩镇人民调解委员会化解矛盾纠纷"),
            record("articles/b/index.html", "网格员走访群众"),
        ];
        let one = index(&records, Language::ZhCn).unwrap();
        let names: Vec<&str> = one.iter().map(|f| f.path.as_str()).collect();
        for want in [
            paths::SEARCH_ENTRY,
            "search/pagefind.js",
            "search/pagefind-ui.js",
            "search/pagefind-ui.css",
        ] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
        assert!(names.iter().all(|n| n.starts_with("search/")));
        let two = index(&records, Language::ZhCn).unwrap();
        assert_eq!(
            one.iter().map(|f| (&f.path, &f.bytes)).collect::<Vec<_>>(),
            two.iter().map(|f| (&f.path, &f.bytes)).collect::<Vec<_>>()
        );
    }
}
