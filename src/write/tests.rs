//! Tests of the parent module.

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
    // The third build reuses the first one's folder: its stale file and folder go.
    write_site(&out, &[file("index.html", "three"), file("c/d.html", "y")]).unwrap();
    assert!(!out.join("a").exists(), "emptied folders go");
    assert!(out.join("c/d.html").exists());
    // A file that becomes a folder, and a folder that becomes a file.
    write_site(&out, &[file("a", "file"), file("c", "file too")]).unwrap();
    write_site(&out, &[file("a/x.html", "x"), file("c", "still")]).unwrap();
    write_site(&out, &[file("a/x.html", "x"), file("c/y.html", "y")]).unwrap();
    assert_eq!(fs::read_to_string(out.join("a/x.html")).unwrap(), "x");
    assert_eq!(fs::read_to_string(out.join("c/y.html")).unwrap(), "y");
    write_site(&out, &[file("index.html", "three")]).unwrap();
    assert!(write_site(&out, &[file("../evil.html", "x")]).is_err());
    assert_eq!(
        fs::read_to_string(out.join("index.html")).unwrap(),
        "three",
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

#[test]
fn generations_swap_and_only_changed_files_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let file = |p: &str, b: &str| OutFile {
        path: p.into(),
        bytes: b.as_bytes().to_vec(),
    };
    write_site(
        &out,
        &[
            file("a.html", "1"),
            file("b/c.html", "1"),
            file("old.html", "x"),
        ],
    )
    .unwrap();
    write_site(&out, &[file("a.html", "1"), file("b/c.html", "1")]).unwrap();
    let spare = spare_dir(&out);
    let before = fs::metadata(spare.join("b/c.html"))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    write_site(&out, &[file("a.html", "2"), file("b/c.html", "1")]).unwrap();
    assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "2");
    assert_eq!(fs::read_to_string(out.join("b/c.html")).unwrap(), "1");
    assert!(
        !out.join("old.html").exists(),
        "stale file removed from the reused generation"
    );
    let after = fs::metadata(out.join("b/c.html"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after, "unchanged file not rewritten");
    assert_eq!(
        fs::read_to_string(spare.join("a.html")).unwrap(),
        "1",
        "previous build kept as spare"
    );
}

#[test]
fn a_build_that_stops_half_way_leaves_no_trusted_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let file = |p: &str, b: &str| OutFile {
        path: p.into(),
        bytes: b.as_bytes().to_vec(),
    };
    write_site(&out, &[file("a.html", "1")]).unwrap();
    write_site(&out, &[file("a.html", "1")]).unwrap();
    // A build writes "2" into the spare, then fails before finishing.
    let staging = Staging::new(&out).unwrap();
    staging.put(&file("a.html", "2")).unwrap();
    drop(staging);
    // The next build wants "1" again: the spare must not be trusted to hold it.
    write_site(&out, &[file("a.html", "1")]).unwrap();
    write_site(&out, &[file("a.html", "1")]).unwrap();
    assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "1");
    assert_eq!(
        fs::read_to_string(spare_dir(&out).join("a.html")).unwrap(),
        "1"
    );
}

fn file(p: &str, b: &str) -> OutFile {
    OutFile {
        path: p.into(),
        bytes: b.as_bytes().to_vec(),
    }
}

#[test]
fn a_second_build_into_the_same_output_stops_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let first = Staging::new(&out).unwrap();
    let second = Staging::new(&out).err().expect("the output is locked");
    assert!(second.message.contains("another jianbao build"), "{second}");
    first.put(&file("index.html", "one")).unwrap();
    first.finish(&["index.html".into()]).unwrap();
    first.commit().unwrap();
    // The lock goes with the first build.
    assert!(Staging::new(&out).is_ok());
}

#[test]
fn a_generation_stranded_between_renames_is_recovered() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    write_site(&out, &[file("index.html", "one")]).unwrap();
    write_site(&out, &[file("index.html", "two")]).unwrap();
    // A build killed after moving the output aside, before moving the new one in.
    let stranded = dir.path().join(".output.jianbao-old-4242");
    fs::rename(&out, &stranded).unwrap();
    assert!(!out.exists());
    write_site(&out, &[file("index.html", "three")]).unwrap();
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "three");
    assert!(!stranded.exists(), "the stranded generation is taken back");
    // A folder of that shape without jianbao's marker is not ours: left alone.
    let foreign = dir.path().join(".output.jianbao-old-7");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("mine.txt"), "x").unwrap();
    write_site(&out, &[file("index.html", "four")]).unwrap();
    assert!(foreign.join("mine.txt").exists());
}

#[test]
fn a_foreign_folder_where_the_spare_goes_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let spare = spare_dir(&out);
    fs::create_dir(&spare).unwrap();
    fs::write(spare.join("notes.txt"), "mine").unwrap();
    let e = write_site(&out, &[file("index.html", "one")]).unwrap_err();
    assert!(e.message.contains("did not make it"), "{e}");
    assert_eq!(fs::read_to_string(spare.join("notes.txt")).unwrap(), "mine");
    assert!(!out.exists());
}

#[test]
fn the_swap_falls_back_to_two_renames() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    write_site(&out, &[file("index.html", "one")]).unwrap();
    std::env::set_var("JIANBAO_NO_EXCHANGE", "1");
    let r = write_site(&out, &[file("index.html", "two")]);
    std::env::remove_var("JIANBAO_NO_EXCHANGE");
    r.unwrap();
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
    assert!(spare_dir(&out).join(MARKER).is_file());
}
