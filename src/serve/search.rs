//! The search index as `serve` serves it: made in the background after each build, the last
//! good one served meanwhile.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use super::Shared;
use crate::diag::status;
use crate::write::OutFile;

/// The search index as served: its files and the key of what it indexed.
#[derive(Default)]
pub(super) struct SearchIndex {
    files: HashMap<String, Arc<Vec<u8>>>,
    key: Option<u64>,
    /// Each bundle's folder and key, so that an edit makes again only its page's bundle.
    keys: Vec<(String, u64)>,
    /// Bumped for every index asked for; an older one finishing late is dropped.
    wanted: u64,
}

/// A file of the last good search index.
pub(super) fn search_file(
    shared: &Shared,
    candidates: &[String],
) -> Option<(String, Arc<Vec<u8>>)> {
    let index = shared.search.lock().unwrap_or_else(|e| e.into_inner());
    candidates.iter().find_map(|c| {
        let c = c.trim_start_matches('/');
        index.files.get(c).map(|f| (c.to_string(), f.clone()))
    })
}

/// Makes the search index of the session being served, on a thread of its own: pages are
/// served meanwhile, with the last good index. Nothing is indexed when the records are
/// those of the index served (an edit that changed no indexed text).
pub(super) fn index_in_background(shared: &Arc<Shared>) {
    let (records, lang, root) = {
        let slot = shared.session.read().unwrap_or_else(|e| e.into_inner());
        match slot.as_ref() {
            Some(s) => (
                s.search_records(),
                s.site.config.language,
                s.site.root.clone(),
            ),
            None => return,
        }
    };
    let key = crate::search::key(&records, lang);
    let (ticket, have, kept_keys) = {
        let mut index = shared.search.lock().unwrap_or_else(|e| e.into_inner());
        if index.key == Some(key) {
            return;
        }
        index.wanted += 1;
        (index.wanted, index.files.clone(), index.keys.clone())
    };
    let shared = shared.clone();
    let output = root.join(crate::paths::DEFAULT_OUTPUT);
    std::thread::spawn(move || {
        let started = Instant::now();
        // A bundle served now whose key is unchanged is served on as it is; one that the
        // site's built output holds with that key (`jianbao build` ran before) is taken from
        // there, so a serve started after a build indexes only what changed since.
        let served = |dir: &str, key: u64, needs: &str| -> Option<Vec<OutFile>> {
            kept_keys.iter().find(|(d, k)| d == dir && *k == key)?;
            have.get(needs)?;
            let prefix = format!("{dir}/");
            Some(
                have.iter()
                    .filter(|(path, _)| path.starts_with(&prefix))
                    .map(|(path, bytes)| OutFile {
                        path: path.clone(),
                        bytes: bytes.to_vec(),
                    })
                    .collect(),
            )
        };
        // Read only when a bundle is not served already (the first index of a session).
        let built = std::cell::OnceCell::new();
        let keep = |dir: &str, key: u64, needs: &str| -> Option<Vec<OutFile>> {
            served(dir, key, needs).or_else(|| {
                built
                    .get_or_init(|| crate::write::BuiltOutput::open(&output))
                    .as_ref()?
                    .folder_files(dir, key, needs)
            })
        };
        match crate::search::assemble(&records, lang, &keep) {
            Ok((files, keys, indexed)) => {
                let mut index = shared.search.lock().unwrap_or_else(|e| e.into_inner());
                if index.wanted == ticket {
                    index.files = files
                        .into_iter()
                        .map(|f| (f.path, Arc::new(f.bytes)))
                        .collect();
                    index.key = Some(key);
                    index.keys = keys;
                    status!(
                        "search index: {} pages ({indexed} indexed anew) in {:.1} s",
                        records.len(),
                        started.elapsed().as_secs_f64()
                    );
                }
            }
            Err(d) => {
                crate::diag::print(&[d], true);
            }
        }
    });
}
