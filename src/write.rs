//! Stage 4, write: pages → the output folder, atomically.
//!
//! A build brings the spare folder kept beside the target (the build before last) up to date,
//! writing only the files whose bytes differ, then swaps the two folders by rename (see
//! [`Staging`]). A build that fails before the swap leaves the live output exactly as it was;
//! readers never see a half-written site.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diag::Diagnostic;

mod manifest;
pub use manifest::BuiltOutput;
use manifest::{parse_docs, parse_manifest, DOC_LINE, KEY_LINE, MANIFEST_HEADER};

/// One file of the output, relative to the output folder with `/` separators.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// Where it goes, relative to the output folder.
    pub path: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// Marks a folder as written by jianbao, so a build never replaces a folder it did not make.
/// It also holds the folder's manifest (what was written, with hashes).
pub const MARKER: &str = ".jianbao-output";

/// Marks a spare folder that a build is writing (its manifest is not to be trusted yet). A
/// folder with neither this nor [`MARKER`] is not jianbao's, and is never written into.
const PARTIAL: &str = ".jianbao-partial";

/// Checks that `out` may be (re)placed by a build of the site at `site_root`.
pub fn check_target(out: &Path, site_root: &Path) -> Result<(), Diagnostic> {
    let abs_out = absolute(out);
    let abs_site = absolute(site_root);
    let refuse = |why: String| {
        Err(Diagnostic::error(out, None, why)
            .with_hint("choose another output folder with -o, e.g. -o output"))
    };
    if abs_site.starts_with(&abs_out) {
        return refuse("the output folder holds the site itself; a build would replace it".into());
    }
    for inner in ["content", "themes", "site.yaml"] {
        if abs_out.starts_with(abs_site.join(inner)) {
            return refuse(format!("the output folder is inside the site's {inner}"));
        }
    }
    if abs_out.is_file() {
        return refuse("the output path is a file".into());
    }
    if abs_out.is_dir() && !abs_out.join(MARKER).exists() {
        let empty = fs::read_dir(&abs_out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return refuse("the output folder is not empty and was not written by jianbao; refusing to replace it".into());
        }
    }
    Ok(())
}

fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    // Normalize `.` and `..` lexically; the folder may not exist yet.
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Whether `rel` stays inside the folder it is joined to: relative, no `..`, no root.
pub fn is_safe_relative(rel: &str) -> bool {
    !rel.is_empty()
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// The spare generation kept beside `out`.
pub fn spare_dir(out: &Path) -> PathBuf {
    let (parent, name) = parent_and_name(out);
    parent.join(format!(".{name}.jianbao-spare"))
}

fn parent_and_name(out: &Path) -> (PathBuf, String) {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    (parent, name)
}

fn io_err(what: &str, p: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::error(p, None, format!("{what}: {e}"))
}

/// The next output, being written.
///
/// Two generations are kept: `out`, and a spare folder beside it (`.output.jianbao-spare`)
/// holding the build before. A build brings the spare up to date — writing only the files
/// whose bytes differ, as they are rendered, and removing the ones that went — then swaps the
/// two folders by rename ([`Staging::commit`]). So a build is atomic (the live folder is
/// never written to, and a failed build never swaps), rewrites only what changed, and never
/// deletes a whole tree (on these machines a mass delete slows every file creation for a
/// minute after).
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// What the spare held when its build finished: path → (length, xxh3 of the bytes), read
    /// from its marker file. A file whose new bytes hash the same is not read nor written.
    known: std::collections::HashMap<String, (u64, u64)>,
    /// The same, for this build, written to the marker at the end.
    manifest: std::sync::Mutex<Vec<(String, u64, u64)>>,
    /// Documents the spare held when its build finished: path → key (see [`Staging::keep_doc`]).
    docs_known: std::collections::HashMap<String, u64>,
    /// The same, for the live output (the build before this one).
    docs_live: std::collections::HashMap<String, u64>,
    /// The documents of this build, written to the marker at the end.
    docs: std::sync::Mutex<Vec<(String, u64)>>,
    /// Folders of this build made from one input, with its key (see [`Staging::set_folder_key`]).
    folder_keys: std::sync::Mutex<Vec<(String, u64)>>,
    /// Folders known to exist, so each is created once.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    written: std::sync::atomic::AtomicUsize,
    /// What the spare held before this build wrote to it, listed in the background while the
    /// pages render (on a 100,000-article output the listing takes seconds of file system).
    listing: std::sync::Mutex<Option<std::thread::JoinHandle<Vec<Listed>>>>,
    /// Held from start to swap: a second build into the same output stops instead of mixing.
    _lock: OutputLock,
}

/// The lock file beside `out`, held (an advisory `flock`) by the build writing it.
fn lock_path(out: &Path) -> PathBuf {
    let (parent, name) = parent_and_name(out);
    parent.join(format!(".{name}.jianbao-lock"))
}

/// The output's lock: an advisory `flock` on a file beside it, held from the start of a build to
/// its swap, and removed when the build ends (so no stray file stays beside the output).
struct OutputLock {
    path: PathBuf,
    _file: fs::File,
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still held: a build that opened this file before the removal finds,
        // once it holds the lock, that the path names another file (or none), and tries again.
        let _ = fs::remove_file(&self.path);
    }
}

/// Takes the output's lock, or says that another build holds it.
fn lock_output(out: &Path) -> Result<OutputLock, Diagnostic> {
    let path = lock_path(out);
    loop {
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_err("cannot create the output's lock file", &path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(Diagnostic::error(
                out,
                None,
                "another jianbao build is writing this output folder right now",
            )
            .with_hint(
                "wait for it to finish, then build again (two builds into one folder would mix)",
            )),
            Err(fs::TryLockError::Error(e)) => {
                return Err(io_err("cannot lock the output folder", &path, e))
            }
        }
        if same_file(&file, &path) {
            return Ok(OutputLock { path, _file: file });
        }
    }
}

/// Whether `path` still names the open `file`.
#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(held), Ok(now)) => held.ino() == now.ino() && held.dev() == now.dev(),
        _ => false,
    }
}

/// Whether `path` still names the open `file` (Windows does not remove an open file).
#[cfg(not(unix))]
fn same_file(_: &fs::File, path: &Path) -> bool {
    path.exists()
}

/// A build killed between the two renames of the fallback swap leaves the previous output
/// under a `-old-<pid>` name and no output: put it back (or, when the new output made it, let
/// it become the spare again). Only folders that carry jianbao's marker are touched.
fn recover_stranded(out: &Path) {
    let (parent, name) = parent_and_name(out);
    let prefix = format!(".{name}.jianbao-old-");
    let Ok(entries) = fs::read_dir(&parent) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        if !n.starts_with(&prefix) || !e.path().join(MARKER).is_file() {
            continue;
        }
        let target = if out.exists() {
            spare_dir(out)
        } else {
            out.to_path_buf()
        };
        if !target.exists() {
            let _ = fs::rename(e.path(), &target);
        }
    }
}

/// A file or folder found in the spare: its path relative to the spare, `/`-separated.
struct Listed {
    rel: String,
    is_dir: bool,
}

/// Everything under `dir`, deepest first (so folders come after what they hold).
fn list(dir: &Path) -> Vec<Listed> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .contents_first(true)
        .into_iter()
        .flatten()
        .map(|entry| Listed {
            rel: entry
                .path()
                .strip_prefix(dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/"),
            is_dir: entry.file_type().is_dir(),
        })
        .collect()
}

impl Staging {
    /// Takes the output's lock and prepares its spare folder.
    pub fn new(out: &Path) -> Result<Self, Diagnostic> {
        let (parent, _) = parent_and_name(out);
        fs::create_dir_all(&parent).map_err(|e| io_err("cannot create folder", &parent, e))?;
        let lock = lock_output(out)?;
        recover_stranded(out);
        let dir = spare_dir(out);
        if dir.exists() && !dir.is_dir() {
            return Err(io_err(
                "cannot use",
                &dir,
                io::Error::other("expected jianbao's spare output folder"),
            ));
        }
        let ours = dir.join(MARKER).is_file() || dir.join(PARTIAL).is_file();
        let empty = fs::read_dir(&dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(true);
        if !ours && !empty {
            return Err(Diagnostic::error(
                &dir,
                None,
                "this folder is where jianbao keeps its spare output, but jianbao did not make it",
            )
            .with_hint(
                "move or rename that folder: jianbao never writes into a folder it did not make",
            ));
        }
        fs::create_dir_all(&dir).map_err(|e| io_err("cannot create folder", &dir, e))?;
        let marker = fs::read_to_string(dir.join(MARKER)).unwrap_or_default();
        let known = parse_manifest(&marker);
        let docs_known = parse_docs(&marker);
        let docs_live = fs::read_to_string(out.join(MARKER))
            .map(|m| parse_docs(&m))
            .unwrap_or_default();
        // From here the spare's files may change; its manifest holds only once `finish`
        // writes it again. A build that stops half way leaves no manifest, so the next one
        // trusts nothing it finds there, only the mark that the folder is jianbao's.
        fs::write(
            dir.join(PARTIAL),
            "a jianbao build was writing this folder\n",
        )
        .map_err(|e| io_err("cannot write", &dir, e))?;
        let _ = fs::remove_file(dir.join(MARKER));
        let listing = {
            let dir = dir.clone();
            std::thread::spawn(move || list(&dir))
        };
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            known,
            docs_known,
            docs_live,
            docs: Default::default(),
            folder_keys: Default::default(),
            manifest: Default::default(),
            made: Default::default(),
            written: Default::default(),
            listing: std::sync::Mutex::new(Some(listing)),
            _lock: lock,
        })
    }

    /// The folder being written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many files had new bytes.
    pub fn written(&self) -> usize {
        self.written.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The xxh3 of every file handed to [`Staging::put`] so far whose path passes `keep`.
    pub fn hashes(&self, keep: impl Fn(&str) -> bool) -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> = self
            .manifest
            .lock()
            .map(|m| {
                m.iter()
                    .filter(|(p, _, _)| keep(p))
                    .map(|(p, _, h)| (p.clone(), *h))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    /// Reads back a file of this build.
    pub fn read(&self, rel: &str) -> Result<Vec<u8>, Diagnostic> {
        let p = self.dir.join(rel);
        fs::read(&p).map_err(|e| io_err("cannot read", &p, e))
    }

    /// Keeps the document at `path` if it was made from what `key` hashes: when the spare
    /// holds it already (no work), or the live output does (copied: a file, never a link,
    /// as the spare's files are rewritten in place). `false` when it must be made again.
    pub fn keep_doc(&self, path: &str, key: u64) -> Result<bool, Diagnostic> {
        let here = self.dir.join(path);
        let kept = if self.docs_known.get(path) == Some(&key) && here.is_file() {
            true
        } else if self.docs_live.get(path) == Some(&key) && self.out.join(path).is_file() {
            self.make_parent(&here)?;
            fs::copy(self.out.join(path), &here).map_err(|e| io_err("cannot copy", &here, e))?;
            true
        } else {
            false
        };
        if kept {
            if let Ok(mut d) = self.docs.lock() {
                d.push((path.to_string(), key));
            }
        }
        Ok(kept)
    }

    /// The live output (the build before this one), read through its manifest; `None` when
    /// there is none.
    pub fn live(&self) -> Option<BuiltOutput> {
        BuiltOutput::open(&self.out)
    }

    /// Records that this build's files under `folder` were made from what `key` hashes, so the
    /// next build can keep them when its key is the same ([`BuiltOutput::folder_files`]).
    pub fn set_folder_key(&self, folder: &str, key: u64) {
        if let Ok(mut k) = self.folder_keys.lock() {
            k.push((folder.to_string(), key));
        }
    }

    /// Writes the document at `path`, made from what `key` hashes.
    pub fn put_doc(&self, path: &str, key: u64, bytes: &[u8]) -> Result<(), Diagnostic> {
        if !is_safe_relative(path) {
            return Err(Diagnostic::error(
                path,
                None,
                "this document would be written outside the output folder",
            ));
        }
        let p = self.dir.join(path);
        self.make_parent(&p)?;
        fs::write(&p, bytes).map_err(|e| io_err("cannot write", &p, e))?;
        if let Ok(mut d) = self.docs.lock() {
            d.push((path.to_string(), key));
        }
        Ok(())
    }

    fn make_parent(&self, p: &Path) -> Result<(), Diagnostic> {
        match p.parent() {
            Some(parent) => {
                fs::create_dir_all(parent).map_err(|e| io_err("cannot create folder", parent, e))
            }
            None => Ok(()),
        }
    }

    /// Puts one file in place, unless the spare already holds these exact bytes.
    pub fn put(&self, f: &OutFile) -> Result<(), Diagnostic> {
        if !is_safe_relative(&f.path) {
            return Err(Diagnostic::error(
                &f.path,
                None,
                "this page would be written outside the output folder",
            )
            .with_hint("slugs and static paths must be plain relative names"));
        }
        let p = self.dir.join(&f.path);
        if let Some(parent) = p.parent() {
            let known = self
                .made
                .lock()
                .map(|m| m.contains(parent))
                .unwrap_or(false);
            if !known {
                // A file where the folder goes (the site changed shape) is looked for only
                // when making the folder failed: one system call less per folder.
                if fs::create_dir_all(parent).is_err() {
                    if parent.is_file() {
                        fs::remove_file(parent).map_err(|e| io_err("cannot remove", parent, e))?;
                    }
                    fs::create_dir_all(parent)
                        .map_err(|e| io_err("cannot create folder", parent, e))?;
                }
                if let Ok(mut m) = self.made.lock() {
                    m.insert(parent.to_path_buf());
                }
            }
        }
        let len = f.bytes.len() as u64;
        let hash = xxhash_rust::xxh3::xxh3_64(&f.bytes);
        if let Ok(mut m) = self.manifest.lock() {
            m.push((f.path.clone(), len, hash));
        }
        // Unchanged when the manifest says these bytes were written here, and the file is still
        // there at that length (the output is never edited by hand; the length catches most
        // accidents cheaply).
        let same = self.known.get(&f.path) == Some(&(len, hash))
            && fs::metadata(&p).is_ok_and(|m| m.is_file() && m.len() == len);
        if same {
            return Ok(());
        }
        self.written
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match fs::write(&p, &f.bytes) {
            // A folder where the page goes (the site changed shape): it goes. Tried only
            // after a failed write, so the usual write costs no extra look at the disk.
            Err(_) if p.is_dir() => {
                fs::remove_dir_all(&p).map_err(|e| io_err("cannot remove", &p, e))?;
                fs::write(&p, &f.bytes)
            }
            r => r,
        }
        .map_err(|e| io_err("cannot write", &p, e))
    }

    /// Removes from the spare every file not in `paths` (and folders left empty), and marks it.
    pub fn finish(&self, paths: &[String]) -> Result<(), Diagnostic> {
        let _span = crate::trace::span("write: finish");
        let docs = self.docs.lock().map(|d| d.clone()).unwrap_or_default();
        let paths: Vec<&String> = paths.iter().chain(docs.iter().map(|(p, _)| p)).collect();
        let wanted: std::collections::HashSet<&str> = paths.iter().map(|p| p.as_str()).collect();
        // Folders that hold a wanted file stay; only the others are tried for removal (a
        // failing rmdir for each of 10,000 article folders was most of this step).
        let kept: std::collections::HashSet<&str> = paths
            .iter()
            .flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i]))
            .collect();
        // Files this build made are all wanted, so what the spare held before it began is
        // all there is to look at.
        let handle = self.listing.lock().ok().and_then(|mut l| l.take());
        let listed = match handle.map(std::thread::JoinHandle::join) {
            Some(Ok(listed)) => listed,
            _ => list(&self.dir),
        };
        for Listed { rel, is_dir } in listed {
            let path = self.dir.join(&rel);
            if is_dir {
                if !kept.contains(rel.as_str()) {
                    let _ = fs::remove_dir(&path); // only succeeds on folders left empty
                }
            } else if rel != MARKER
                && rel != PARTIAL
                && !wanted.contains(rel.as_str())
                && !kept.contains(rel.as_str())
            {
                // (A file that became a wanted folder was replaced by `put`.)
                match fs::remove_file(&path) {
                    // Gone already, with a folder `put` replaced.
                    Err(e)
                        if !matches!(
                            e.kind(),
                            io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                        ) =>
                    {
                        return Err(io_err("cannot remove", &path, e));
                    }
                    _ => {}
                }
            }
        }
        let mut manifest = self.manifest.lock().map(|m| m.clone()).unwrap_or_default();
        manifest.sort();
        let mut text = String::from(MANIFEST_HEADER);
        for (path, len, hash) in manifest {
            text.push_str(&format!("{hash:016x} {len} {path}\n"));
        }
        let mut docs = docs;
        docs.sort();
        for (path, key) in docs {
            text.push_str(&format!("{DOC_LINE}{key:016x} {path}\n"));
        }
        let mut keys = self
            .folder_keys
            .lock()
            .map(|k| k.clone())
            .unwrap_or_default();
        keys.sort();
        for (folder, key) in keys {
            text.push_str(&format!("{KEY_LINE}{key:016x} {folder}\n"));
        }
        fs::write(self.dir.join(MARKER), text).map_err(|e| io_err("cannot write", &self.dir, e))?;
        let _ = fs::remove_file(self.dir.join(PARTIAL));
        Ok(())
    }

    /// Swaps the finished spare in as the output; the previous output becomes the spare.
    pub fn commit(self) -> Result<(), Diagnostic> {
        let _span = crate::trace::span("write: swap");
        let (parent, name) = parent_and_name(&self.out);
        let out = &self.out;
        if out.exists() && exchange(&self.dir, out) {
            return Ok(());
        }
        if out.exists() {
            let old = parent.join(format!(".{name}.jianbao-old-{}", std::process::id()));
            fs::rename(out, &old)
                .map_err(|e| io_err("cannot move the previous output aside", out, e))?;
            if let Err(e) = fs::rename(&self.dir, out) {
                // Put the previous output back: the user must never be left with none.
                let _ = fs::rename(&old, out);
                return Err(io_err("cannot move the new output in place", out, e));
            }
            let _ = fs::rename(&old, &self.dir);
        } else {
            fs::rename(&self.dir, out)
                .map_err(|e| io_err("cannot move the new output in place", out, e))?;
        }
        Ok(())
    }
}

/// Swaps two folders in one step (Linux `renameat2(RENAME_EXCHANGE)`), so a build killed at any
/// moment leaves either the old or the new output. `false` where the system cannot (another
/// OS, an old kernel, a file system without it): the caller falls back to two renames, and a
/// build killed between them is recovered by the next one.
fn exchange(a: &Path, b: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        if std::env::var_os("JIANBAO_NO_EXCHANGE").is_none() {
            return renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok();
        }
    }
    let _ = (a, b);
    false
}

/// Writes `files` as the new content of `out` in one go (see [`Staging`]).
pub fn write_site(out: &Path, files: &[OutFile]) -> Result<(), Diagnostic> {
    let staging = Staging::new(out)?;
    files.par_iter().try_for_each(|f| staging.put(f))?;
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    staging.finish(&paths)?;
    staging.commit()
}

#[cfg(test)]
mod tests;
