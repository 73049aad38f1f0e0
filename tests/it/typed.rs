//! SPEC §3 "Figures typed by hand": typed figures are compared with the records, missing ones
//! are found, right prose raises no alarm, and `check --strict` fails on the warnings.

use crate::common::*;

const TYPED_MD: &str = "---
title: 手写数字
date: 2019-04-10
---
全区共走访群众1900余户，区公安分局走访群众1600户。
共化解矛盾纠纷件，化解率达84%。
";

const RIGHT_MD: &str = "---
title: 手写数字
date: 2019-04-10
---
全区共走访群众1800余户，区公安分局走访群众1600户，区法院走访群众236户。
化解矛盾纠纷63起，化解率达84%。3月，区法院走访群众90户。
";

#[test]
fn typed_figures_that_disagree_and_missing_ones_are_warned_at_their_place() {
    let f = Fixture::new();
    f.write("content/campaigns/xiajiceng/articles/typed.md", TYPED_MD);
    let r = f.run(&["check"]);
    assert_eq!(
        r.code, 0,
        "warnings do not fail a plain check: {}",
        r.stderr
    );
    let path = "content/campaigns/xiajiceng/articles/typed.md";
    let wrong = r
        .stderr
        .lines()
        .find(|l| l.contains(&format!("{path}:5:8:")))
        .unwrap_or_else(|| panic!("no warning at 5:8:\n{}", r.stderr));
    assert!(wrong.starts_with("warning:"), "{wrong}");
    assert!(
        wrong.contains("1900余") && wrong.contains("1836"),
        "{wrong}"
    );
    assert!(
        r.stderr.contains("stat(metric=\"households\""),
        "the hint gives the call: {}",
        r.stderr
    );
    let missing = r
        .stderr
        .lines()
        .find(|l| l.contains(&format!("{path}:6:")))
        .unwrap_or_else(|| panic!("no missing-figure warning on line 6:\n{}", r.stderr));
    assert!(missing.contains("化解矛盾纠纷"), "{missing}");
    // The right figures of the same file raise nothing.
    assert_eq!(r.stderr.matches(path).count(), 2, "{}", r.stderr);

    let strict = f.run(&["check", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(strict.stderr.contains("--strict"), "{}", strict.stderr);
    // A build still goes out, with the warnings printed.
    let b = f.run(&["build"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert!(b.stderr.contains(&format!("{path}:5:8:")), "{}", b.stderr);
}

#[test]
fn right_prose_raises_no_alarm() {
    let f = Fixture::new();
    f.write("content/campaigns/xiajiceng/articles/typed.md", RIGHT_MD);
    let r = f.run(&["check", "--strict"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn the_sample_site_passes_strict() {
    let r = run_in(&repo(), &["check", "--strict"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}
