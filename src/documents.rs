//! Documents made from the print pages: PDFs (`--pdf`, [`crate::pdf`]) and Word files
//! (`--docx`, [`crate::docx`]), into the new output generation before it is swapped in.
//!
//! A document is made again only when its print page changed: each is recorded in the
//! output's manifest under a key, the hash of its page's bytes (the pages are self-contained,
//! so the bytes are all a document is made from) and of the maker's version. A document
//! whose key is unchanged is kept from the spare generation or copied from the live one, so
//! an unchanged rebuild prints nothing, and an edited article reprints its own page, its
//! issue and its campaign (the pages that show it), and nothing else.

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::paths;
use crate::write::Staging;

/// Which documents a build makes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Kinds {
    /// PDFs, printed by a headless Chromium.
    pub pdf: bool,
    /// Word documents.
    pub docx: bool,
}

impl Kinds {
    /// Whether any document is wanted.
    pub fn any(self) -> bool {
        self.pdf || self.docx
    }
}

/// What was made and kept of one kind of document.
#[derive(Debug, Clone, Copy, Default)]
pub struct KindStats {
    /// Documents made this build.
    pub made: usize,
    /// Documents kept from a build before, their page unchanged.
    pub kept: usize,
    /// Time spent on this kind, keeping included.
    pub elapsed: Duration,
}

/// What a build did for its documents.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocStats {
    /// PDFs, when asked for.
    pub pdf: Option<KindStats>,
    /// Word documents, when asked for.
    pub docx: Option<KindStats>,
}

/// The key a document is kept under: its maker and version, and its page's hash.
fn key(maker: &str, version: u32, page_hash: u64) -> u64 {
    xxhash_rust::xxh3::xxh3_64(format!("{maker} {version} {page_hash:016x}").as_bytes())
}

/// Version of the PDFs made from a page (bumped when the print options change).
const PDF_VERSION: u32 = 1;

/// Makes the documents of every print page handed to `staging`, keeping those whose page did
/// not change. PDFs print while the Word documents are made.
pub fn make(staging: &Staging, kinds: Kinds) -> Result<DocStats, Diagnostic> {
    let pages = staging.hashes(paths::is_print);
    let mut stats = DocStats::default();
    let (pdf, docx) = std::thread::scope(|s| {
        let pdf = kinds.pdf.then(|| s.spawn(|| pdfs(staging, &pages)));
        let docx = kinds.docx.then(|| words(staging, &pages));
        let pdf = pdf.map(|h| {
            h.join()
                .unwrap_or_else(|_| Err(Diagnostic::error("pdf", None, "the PDF step crashed")))
        });
        (pdf, docx)
    });
    if let Some(r) = docx {
        stats.docx = Some(r?);
    }
    if let Some(r) = pdf {
        stats.pdf = Some(r?);
    }
    Ok(stats)
}

/// Sorts the pages into those whose document is kept and those to make (with their keys).
fn to_make(
    staging: &Staging,
    pages: &[(String, u64)],
    doc_path: fn(&str) -> String,
    maker: &str,
    version: u32,
) -> Result<(Vec<(String, u64)>, usize), Diagnostic> {
    let mut make = Vec::new();
    let mut kept = 0;
    for (page, hash) in pages {
        let k = key(maker, version, *hash);
        if staging.keep_doc(&doc_path(page), k)? {
            kept += 1;
        } else {
            make.push((page.clone(), k));
        }
    }
    Ok((make, kept))
}

fn pdfs(staging: &Staging, pages: &[(String, u64)]) -> Result<KindStats, Diagnostic> {
    let started = Instant::now();
    let (make, kept) = to_make(staging, pages, paths::pdf_for, "pdf", PDF_VERSION)?;
    let keys: std::collections::HashMap<&str, u64> =
        make.iter().map(|(p, k)| (p.as_str(), *k)).collect();
    let list: Vec<String> = make.iter().map(|(p, _)| p.clone()).collect();
    crate::pdf::render_all(staging.dir(), &list, &|page: &str, bytes: Vec<u8>| {
        let k = keys.get(page).copied().unwrap_or_default();
        staging.put_doc(&paths::pdf_for(page), k, &bytes)
    })?;
    Ok(KindStats {
        made: make.len(),
        kept,
        elapsed: started.elapsed(),
    })
}

fn words(staging: &Staging, pages: &[(String, u64)]) -> Result<KindStats, Diagnostic> {
    let started = Instant::now();
    let (make, kept) = to_make(
        staging,
        pages,
        paths::docx_for,
        "docx",
        crate::docx::VERSION,
    )?;
    make.par_iter().try_for_each(|(page, k)| {
        let html = staging.read(page)?;
        let bytes = crate::docx::from_print_page(&String::from_utf8_lossy(&html)).map_err(|e| {
            Diagnostic::error(
                page.as_str(),
                None,
                format!("cannot make its Word document: {e}"),
            )
        })?;
        staging.put_doc(&paths::docx_for(page), *k, &bytes)
    })?;
    Ok(KindStats {
        made: make.len(),
        kept,
        elapsed: started.elapsed(),
    })
}
