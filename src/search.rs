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
use crate::write::{OutFile, Staging};

/// The most text one page gives the index (bytes): runaway input cannot exhaust memory.
pub const MAX_TEXT_BYTES: usize = 200 * 1024;

/// The file Pagefind starts a bundle from; a bundle without it is not whole.
const ENTRY: &str = "pagefind-entry.json";

/// Pagefind's UI script, under `search/ui/`.
const UI_SCRIPT: &str = "pagefind-ui.js";

/// Bumped when what is indexed, or how, changes without the records changing.
const VERSION: u32 = 2;

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
    key_of(records.iter(), lang, paths::SEARCH_DIR)
}

/// [`key`] of some records, for the folder `dir` they are indexed into.
fn key_of<'a>(records: impl Iterator<Item = &'a Record>, lang: Language, dir: &str) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    VERSION.hash(&mut h);
    // Pagefind does not say its version; jianbao's own stands for the Pagefind it was built
    // with. (An index kept across an upgrade still works: its UI files come with it.)
    env!("CARGO_PKG_VERSION").hash(&mut h);
    language_code(lang).hash(&mut h);
    dir.hash(&mut h);
    for r in records {
        r.hash(&mut h);
    }
    h.finish()
}

/// The key of Pagefind's UI files: they change only with jianbao (and the Pagefind in it).
fn ui_key() -> u64 {
    key_of(std::iter::empty(), Language::ZhCn, paths::SEARCH_UI)
}

/// The pages one bundle of the index holds while the site has fewer than
/// [`MAX_BUNDLES`] × this. Pagefind indexes a bundle on one core, reading its pages and
/// compressing its files one at a time, and indexes it again whole when one of its pages
/// changes; so the index is cut into bundles made in parallel, and an edit makes again only its
/// page's bundle. The search page searches every bundle (see `search.html`).
pub const BUNDLE_PAGES: usize = 128;

/// The most bundles: the search page loads each, so a large site has larger bundles instead of
/// more (11,020 pages: 16 bundles of about 690). How many are made at once is bounded by
/// `INDEXING_TEXT_BUDGET`, as Pagefind holds a bundle whole in memory while it builds it.
pub const MAX_BUNDLES: usize = 16;

/// The text that bundles indexed at the same time may hold together, in bytes. Pagefind holds
/// about 140 bytes for each byte of a bundle's text while it builds it (the 10,000-article site
/// has 16 bundles of about 2.9 MB of text; indexed 8 at a time the build peaked at 4.1 GB), so
/// this keeps the indexing under about 3 GB on a machine of any number of cores. A bundle
/// larger than this is indexed alone.
const INDEXING_TEXT_BUDGET: usize = 20 << 20;

/// How many bundles are indexed at once: as many as `threads`, while that many of the heaviest
/// (`heaviest` bytes of text) fit in [`INDEXING_TEXT_BUDGET`]; at least one.
fn indexing_threads(heaviest: usize, threads: usize) -> usize {
    (INDEXING_TEXT_BUDGET / heaviest.max(1)).clamp(1, threads.max(1))
}

/// Runs `job` for every index below `n` in `lanes` lanes that run in parallel on the rayon
/// pool, each lane's jobs one after the other, and returns the results in order. At most
/// `lanes` jobs are under way at once, however the pool schedules them: a pool thread waiting
/// inside a job (Pagefind's own parallel steps) may start another lane, never a job beyond the
/// lanes.
fn in_lanes<T: Send>(n: usize, lanes: usize, job: impl Fn(usize) -> T + Sync) -> Vec<T> {
    use rayon::prelude::*;
    let lanes = lanes.clamp(1, n.max(1));
    let mut done: Vec<(usize, T)> = (0..lanes)
        .into_par_iter()
        .flat_map_iter(|lane| {
            (lane..n)
                .step_by(lanes)
                .map(|i| (i, job(i)))
                .collect::<Vec<_>>()
        })
        .collect();
    done.sort_by_key(|&(i, _)| i);
    done.into_iter().map(|(_, t)| t).collect()
}

/// The text Pagefind is given for `records`, in bytes.
fn text_bytes(records: &[&Record]) -> usize {
    records.iter().map(|r| r.title.len() + r.text.len()).sum()
}

/// How many bundles `pages` pages go into at `per_bundle` pages a bundle (at most
/// [`MAX_BUNDLES`]): a power of two, so that a page stays in its bundle while the site grows,
/// until the count doubles.
fn count_for(pages: usize, per_bundle: usize) -> usize {
    pages
        .div_ceil(per_bundle)
        .max(1)
        .next_power_of_two()
        .min(MAX_BUNDLES)
}

/// [`BUNDLE_PAGES`], or `JIANBAO_SEARCH_BUNDLE_PAGES` when set: tests cut a small site into
/// several bundles with it, to see the search page merge them.
fn bundle_pages() -> usize {
    std::env::var("JIANBAO_SEARCH_BUNDLE_PAGES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(BUNDLE_PAGES)
}

/// The bundle of the page at `url`, out of `count`: by a hash of the URL, so that an edit to
/// one page makes only its bundle again.
fn bundle_of(url: &str, count: usize) -> usize {
    (xxhash_rust::xxh3::xxh3_64(url.as_bytes()) % count as u64) as usize
}

/// Pagefind's UI files, kept once under `search/ui/` rather than in every bundle.
fn is_ui_file(name: &str) -> bool {
    name.contains("-ui.") || name == "pagefind-highlight.js"
}

/// One bundle to write: its folder, its key, its pages.
struct Bundle<'a> {
    dir: String,
    key: u64,
    records: Vec<&'a Record>,
}

/// The records cut into bundles, each with the key of what it indexes.
fn bundles(records: &[Record], lang: Language) -> Vec<Bundle<'_>> {
    bundles_of(records, lang, bundle_pages())
}

/// [`bundles`] at `per_bundle` pages a bundle at most.
fn bundles_of(records: &[Record], lang: Language, per_bundle: usize) -> Vec<Bundle<'_>> {
    let count = count_for(records.len(), per_bundle);
    let mut out: Vec<Bundle> = (0..count)
        .map(|i| Bundle {
            dir: paths::search_bundle(i),
            key: 0,
            records: Vec::new(),
        })
        .collect();
    for r in records {
        out[bundle_of(&r.url, count)].records.push(r);
    }
    // An empty bundle would stop the search page's merge: only bundles with pages are made
    // (and the first when no page is indexed: the search page still has an index to open).
    if out.iter().any(|b| !b.records.is_empty()) {
        out.retain(|b| !b.records.is_empty());
    } else {
        out.truncate(1);
    }
    for b in &mut out {
        b.key = key_of(b.records.iter().copied(), lang, &b.dir);
    }
    out
}

/// Builds one bundle: its own files under `dir`, and Pagefind's UI files under `search/ui/`.
fn index_bundle(
    records: &[&Record],
    lang: Language,
    dir: &str,
) -> Result<(Vec<OutFile>, Vec<OutFile>), Diagnostic> {
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
        let files = index
            .get_files()
            .await
            .map_err(|e| fail("cannot build the search index", &e))?;
        let (mut own, mut ui) = (Vec::new(), Vec::new());
        for f in files {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            if is_ui_file(&name) {
                ui.push(OutFile {
                    path: format!("{}/{name}", paths::SEARCH_UI),
                    bytes: f.contents,
                });
            } else {
                own.push(OutFile {
                    path: format!("{dir}/{name}"),
                    bytes: f.contents,
                });
            }
        }
        own.sort_by(|a, b| a.path.cmp(&b.path));
        ui.sort_by(|a, b| a.path.cmp(&b.path));
        Ok((own, ui))
    })
}

/// `search/bundles.json`: the bundles the search page merges, relative to `search/`.
fn bundle_list(bundles: &[Bundle]) -> OutFile {
    let dirs: Vec<String> = bundles
        .iter()
        .map(|b| {
            let rel = b
                .dir
                .trim_start_matches(paths::SEARCH_DIR)
                .trim_start_matches('/');
            format!("{rel}/")
        })
        .collect();
    OutFile {
        path: paths::SEARCH_BUNDLES.to_string(),
        bytes: serde_json::json!({ "bundles": dirs })
            .to_string()
            .into_bytes(),
    }
}

/// Builds the whole index of `records`, every bundle anew, in parallel: every file, under
/// `search/`.
pub fn index(records: &[Record], lang: Language) -> Result<Vec<OutFile>, Diagnostic> {
    let (mut files, _, _) = assemble(records, lang, &|_, _, _| None)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// What the search step did in a build.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchStats {
    /// Pages indexed.
    pub records: usize,
    /// Whether the index was kept from the build before (nothing indexed).
    pub kept: bool,
    /// Pages indexed anew (those of the bundles made again).
    pub indexed: usize,
    /// Bundles the index is cut into.
    pub bundles: usize,
    /// Files under `search/`.
    pub files: usize,
    /// Their size in bytes.
    pub bytes: u64,
    /// Time spent, keeping included.
    pub elapsed: Duration,
}

/// What keeps a bundle: given its folder, its key and the file it must hold, its files as
/// they were made before, if it has them.
pub type Keep<'a> = dyn Fn(&str, u64, &str) -> Option<Vec<OutFile>> + 'a;

/// An index put together: every file, each bundle's folder with its key (the UI's last), and
/// how many pages were indexed anew.
pub type Assembled = (Vec<OutFile>, Vec<(String, u64)>, usize);

/// The whole index of `records`, bundle by bundle: a bundle that `keep` gives (by its folder,
/// its key and the file it must hold) is taken as it is, the others are made anew, in
/// parallel. Returns every file, each bundle's folder with its key (the UI's last), and how
/// many pages were indexed anew.
pub fn assemble(records: &[Record], lang: Language, keep: &Keep) -> Result<Assembled, Diagnostic> {
    let bundles = bundles(records, lang);
    let kept: Vec<Option<Vec<OutFile>>> = bundles
        .iter()
        .map(|b| keep(&b.dir, b.key, &format!("{}/{ENTRY}", b.dir)))
        .collect();
    let mut ui = keep(
        paths::SEARCH_UI,
        ui_key(),
        &format!("{}/{UI_SCRIPT}", paths::SEARCH_UI),
    );
    // The UI files come with every bundle made; when all are kept but the UI is not (an output
    // from another version), the first bundle is made again for them.
    let remake_first = ui.is_none() && kept.iter().all(Option::is_some);
    let make: Vec<usize> = (0..bundles.len())
        .filter(|&i| kept[i].is_none() || (remake_first && i == 0))
        .collect();
    // Made in lanes, as many as fit the text budget.
    let heaviest = make.iter().map(|&i| text_bytes(&bundles[i].records)).max();
    let lanes = indexing_threads(heaviest.unwrap_or(0), rayon::current_num_threads());
    let results = in_lanes(make.len(), lanes, |k| {
        let b = &bundles[make[k]];
        index_bundle(&b.records, lang, &b.dir)
    });
    let mut made: Vec<Option<_>> = (0..bundles.len()).map(|_| None).collect();
    for (&i, result) in make.iter().zip(results) {
        made[i] = Some(result?);
    }
    let mut files = vec![bundle_list(&bundles)];
    let mut keys = Vec::with_capacity(bundles.len() + 1);
    let mut indexed = 0;
    for ((b, kept), made) in bundles.iter().zip(kept).zip(made) {
        match made {
            Some((own, bundle_ui)) => {
                indexed += b.records.len();
                files.extend(own);
                ui.get_or_insert(bundle_ui);
            }
            None => files.extend(kept.unwrap_or_default()),
        }
        keys.push((b.dir.clone(), b.key));
    }
    files.extend(ui.unwrap_or_default());
    keys.push((paths::SEARCH_UI.to_string(), ui_key()));
    Ok((files, keys, indexed))
}

/// Puts the index of `records` into `staging`: bundles whose pages are those of the live
/// output's (same key) are carried over as they are ([`assemble`]). Returns the paths put.
pub fn write(
    staging: &Staging,
    records: &[Record],
    lang: Language,
) -> Result<(Vec<String>, SearchStats), Diagnostic> {
    let started = Instant::now();
    let live = staging.live();
    let kept_folder = |dir: &str, key: u64, needs: &str| -> Option<Vec<OutFile>> {
        live.as_ref()?.folder_files(dir, key, needs)
    };
    let (files, keys, indexed) = assemble(records, lang, &kept_folder)?;
    for (dir, key) in &keys {
        staging.set_folder_key(dir, *key);
    }
    let mut stats = SearchStats {
        records: records.len(),
        indexed,
        kept: indexed == 0,
        bundles: keys.len() - 1,
        ..Default::default()
    };
    let mut put = Vec::with_capacity(files.len());
    for f in files {
        stats.bytes += f.bytes.len() as u64;
        put.push(f.path.clone());
        staging.put(&f)?;
    }
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
            "search/bundles.json",
            "search/s0/pagefind-entry.json",
            "search/s0/pagefind.js",
            "search/ui/pagefind-ui.js",
            "search/ui/pagefind-ui.css",
        ] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
        assert!(
            !names.contains(&"search/s0/pagefind-ui.js"),
            "the UI is kept once"
        );
        let two = index(&records, Language::ZhCn).unwrap();
        assert_eq!(
            one.iter().map(|f| (&f.path, &f.bytes)).collect::<Vec<_>>(),
            two.iter().map(|f| (&f.path, &f.bytes)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn jobs_run_in_order_at_most_a_lane_each_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        for lanes in [1, 2, 3, 8] {
            let (now, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
            let out = in_lanes(20, lanes, |i| {
                most.fetch_max(now.fetch_add(1, SeqCst) + 1, SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(2));
                now.fetch_sub(1, SeqCst);
                i * 10
            });
            assert_eq!(out, (0..20).map(|i| i * 10).collect::<Vec<_>>());
            assert!(
                most.load(SeqCst) <= lanes,
                "{lanes} lanes ran {most:?} at once"
            );
            assert!(most.load(SeqCst) >= 1);
        }
        assert!(in_lanes(0, 4, |i| i).is_empty());
    }

    #[test]
    fn bundles_indexed_at_once_fit_the_text_budget() {
        // Small bundles: every thread.
        assert_eq!(indexing_threads(1 << 20, 2), 2);
        assert_eq!(indexing_threads(1 << 20, 8), 8);
        assert_eq!(indexing_threads(0, 4), 4);
        // The 10,000-article site's bundles (2.9 MB of text): seven fit, not eight.
        assert_eq!(indexing_threads(2_900_000, 8), 7);
        // The 30,000-article site's (9.2 MB): two, as many as this 2-core machine runs.
        assert_eq!(indexing_threads(9_200_000, 8), 2);
        assert_eq!(indexing_threads(9_200_000, 2), 2);
        // A bundle over the budget is indexed alone, never not at all.
        assert_eq!(indexing_threads(INDEXING_TEXT_BUDGET * 3, 8), 1);
        assert_eq!(indexing_threads(1, 0), 1);
    }

    #[test]
    fn large_sites_are_cut_into_bundles_that_keep_their_pages() {
        assert_eq!(count_for(0, BUNDLE_PAGES), 1);
        assert_eq!(count_for(BUNDLE_PAGES, BUNDLE_PAGES), 1);
        assert_eq!(count_for(BUNDLE_PAGES + 1, BUNDLE_PAGES), 2);
        assert_eq!(count_for(570, BUNDLE_PAGES), 8);
        assert_eq!(count_for(11_020, BUNDLE_PAGES), MAX_BUNDLES);
        assert_eq!(count_for(1_000_000, 1), MAX_BUNDLES);
        let records: Vec<Record> = (0..40)
            .map(|i| record(&format!("articles/a{i}/index.html"), "走访"))
            .collect();
        let count = 4;
        let mut sizes = vec![0; count];
        for r in &records {
            sizes[bundle_of(&r.url, count)] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 0), "{sizes:?}");
        // A page's bundle depends on its URL only, not on the other pages.
        assert_eq!(
            bundle_of("articles/a7/index.html", count),
            bundle_of(&records[7].url, count)
        );
        let list = |records: &[Record]| {
            String::from_utf8(bundle_list(&bundles(records, Language::ZhCn)).bytes).unwrap()
        };
        assert_eq!(list(&records[..1]), r#"{"bundles":["s0/"]}"#);
        assert_eq!(
            list(&[]),
            r#"{"bundles":["s0/"]}"#,
            "a site with nothing to index"
        );
        let cut = bundles_of(&records, Language::ZhCn, 10);
        assert_eq!(cut.len(), 4, "40 pages in bundles of 10");
        assert!(cut.iter().all(|b| !b.records.is_empty()));
        // Two pages that both fall in the second of two bundles: the first, empty, is left out.
        let second: Vec<Record> = records
            .iter()
            .filter(|r| bundle_of(&r.url, 2) == 1)
            .take(2)
            .cloned()
            .collect();
        let cut = bundles_of(&second, Language::ZhCn, 1);
        assert_eq!(cut.len(), 1);
        assert_eq!(cut[0].dir, "search/s1");
    }
}
