//! Stage 4, write: pages → the output folder, atomically.
//!
//! Everything is written into a fresh folder beside the target, which then takes the target's
//! place in two renames. A build that fails before the swap leaves the previous output exactly
//! as it was; readers never see a half-written site.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Pos};
use crate::render::OutFile;

/// Marks a folder as written by jianbao, so a build never replaces a folder it did not make.
pub const MARKER: &str = ".jianbao-output";

/// Checks that `out` may be (re)placed by a build of the site at `site_root`.
pub fn check_target(out: &Path, site_root: &Path) -> Result<(), Diagnostic> {
    let abs_out = absolute(out);
    let abs_site = absolute(site_root);
    let refuse = |why: String| {
        Err(Diagnostic::error(out, Pos::new(0, 0), why)
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

/// Writes `files` as the new content of `out`. On error, `out` is untouched.
pub fn write_site(out: &Path, files: &[OutFile]) -> Result<(), Diagnostic> {
    write_site_with(out, files, |_| Ok(()))
}

/// Like [`write_site`], running `extra` on the fresh folder before it is swapped in (PDFs are
/// made there). The pages are valid whatever `extra` does, so they are swapped in even when it
/// fails, and its error is returned after.
pub fn write_site_with(
    out: &Path,
    files: &[OutFile],
    extra: impl FnOnce(&Path) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    for f in files {
        if !is_safe_relative(&f.path) {
            return Err(Diagnostic::error(
                &f.path,
                Pos::new(0, 0),
                "this page would be written outside the output folder",
            )
            .with_hint("slugs and static paths must be plain relative names"));
        }
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let pid = std::process::id();
    let fresh = parent.join(format!(".{name}.jianbao-new-{pid}"));
    let old = parent.join(format!(".{name}.jianbao-old-{pid}"));
    let io_err = |what: &str, p: &Path, e: io::Error| {
        Diagnostic::error(p, Pos::new(0, 0), format!("{what}: {e}"))
    };
    fs::create_dir_all(&parent).map_err(|e| io_err("cannot create folder", &parent, e))?;
    if fresh.exists() {
        fs::remove_dir_all(&fresh).map_err(|e| io_err("cannot clear", &fresh, e))?;
    }
    fs::create_dir(&fresh).map_err(|e| io_err("cannot create folder", &fresh, e))?;
    let result = (|| {
        let mut dirs: Vec<PathBuf> = files
            .iter()
            .filter_map(|f| Path::new(&f.path).parent().map(|p| fresh.join(p)))
            .collect();
        dirs.sort();
        dirs.dedup();
        for d in &dirs {
            fs::create_dir_all(d).map_err(|e| io_err("cannot create folder", d, e))?;
        }
        files.par_iter().try_for_each(|f| {
            let p = fresh.join(&f.path);
            fs::write(&p, &f.bytes).map_err(|e| io_err("cannot write", &p, e))
        })?;
        fs::write(
            fresh.join(MARKER),
            b"written by jianbao build; the whole folder is replaced on every build\n",
        )
        .map_err(|e| io_err("cannot write", &fresh, e))
    })();
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&fresh);
        return Err(e);
    }
    let extra_result = extra(&fresh);
    if out.exists() {
        fs::rename(out, &old).map_err(|e| {
            let _ = fs::remove_dir_all(&fresh);
            io_err("cannot move the previous output aside", out, e)
        })?;
        if let Err(e) = fs::rename(&fresh, out) {
            // Put the previous output back: the user must never be left with none.
            let _ = fs::rename(&old, out);
            let _ = fs::remove_dir_all(&fresh);
            return Err(io_err("cannot move the new output in place", out, e));
        }
        let _ = fs::remove_dir_all(&old);
    } else {
        fs::rename(&fresh, out)
            .map_err(|e| io_err("cannot move the new output in place", out, e))?;
    }
    extra_result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_must_stay_inside() {
        assert!(is_safe_relative("articles/a/index.html"));
        assert!(!is_safe_relative("../x.html"));
        assert!(!is_safe_relative("/etc/passwd"));
        assert!(!is_safe_relative("a/../../b"));
        assert!(!is_safe_relative(""));
    }

    #[test]
    fn swap_replaces_and_refuses_foreign_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let file = |p: &str, b: &str| OutFile {
            path: p.into(),
            bytes: b.as_bytes().to_vec(),
        };
        write_site(&out, &[file("index.html", "one"), file("a/b.html", "x")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "one");
        write_site(&out, &[file("index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("a/b.html").exists(), "stale files go");
        assert!(write_site(&out, &[file("../evil.html", "x")]).is_err());
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "two",
            "untouched after refusal"
        );
        let foreign = dir.path().join("docs");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("thesis.doc"), "x").unwrap();
        assert!(check_target(&foreign, dir.path().join("site").as_path()).is_err());
        assert!(
            check_target(dir.path(), &dir.path().join("site")).is_err(),
            "ancestor of the site"
        );
        assert!(check_target(&out, &dir.path().join("site")).is_ok());
    }
}
