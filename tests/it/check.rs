//! SPEC §7: every bad-input rule, fed a file that breaks it, with an assertion on the message.

use crate::common::*;

/// Runs `check` and expects failure; returns stderr.
fn fails(f: &Fixture) -> String {
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "expected exit 1, got {}:\n{}", r.code, r.stderr);
    r.stderr
}

#[test]
fn valid_fixture_checks_clean() {
    let r = Fixture::new().run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("error:"), "{}", r.stderr);
}

#[test]
fn sample_site_checks_clean() {
    let r = run_in(&repo(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("error:"), "{}", r.stderr);
}

#[test]
fn yaml_syntax_error_keeps_parser_line() {
    let f = Fixture::new();
    f.write(
        "content/campaigns/xiajiceng/records/gongan.yaml",
        "unit: gongan\nrecords:\n  - date: 2019-01-05\n    metrics: { households: 12\n",
    );
    let e = fails(&f);
    assert!(
        e.contains("error: content/campaigns/xiajiceng/records/gongan.yaml:"),
        "{e}"
    );
    assert!(e.contains("YAML syntax error"), "{e}");
}

#[test]
fn full_width_colon_gets_a_hint() {
    let f = Fixture::new();
    f.write(
        "content/campaigns/xiajiceng/campaign.yaml",
        "title：政法书记下基层\nstart: 2019-01-01\nend: 2019-03-31\n",
    );
    let e = fails(&f);
    assert!(
        e.contains("error: content/campaigns/xiajiceng/campaign.yaml:"),
        "{e}"
    );
    assert!(e.contains("full-width colon"), "{e}");
}

#[test]
fn full_width_space_gets_a_hint() {
    let f = Fixture::new();
    f.write(
        "content/campaigns/xiajiceng/records/fayuan.yaml",
        "- date: 2019-03-01\n  unit: fayuan\n\u{3000}metrics: { households: 236 }\n",
    );
    let e = fails(&f);
    assert!(e.contains("records/fayuan.yaml:"), "{e}");
    assert!(e.contains("full-width space"), "{e}");
}

#[test]
fn unknown_metric_names_line_and_nearest() {
    let f = Fixture::new();
    f.write(
        "content/campaigns/xiajiceng/records/fayuan.yaml",
        "- date: 2019-03-01\n  unit: fayuan\n  metrics: { househlds: 236 }\n",
    );
    let e = fails(&f);
    assert!(
        e.contains("error: content/campaigns/xiajiceng/records/fayuan.yaml:3:"),
        "{e}"
    );
    assert!(e.contains("unknown metric \"househlds\""), "{e}");
    assert!(e.contains("hint: did you mean \"households\"?"), "{e}");
}

#[test]
fn unknown_unit_and_campaign_get_nearest_names() {
    let f = Fixture::new();
    f.write(
        "content/campaigns/xiajiceng/records/fayuan.yaml",
        "- date: 2019-03-01\n  unit: fayaun\n  metrics: { households: 236 }\n",
    );
    f.write(
        "content/articles/other.md",
        "---\ntitle: 别处\ndate: 2019-05-01\ncampaign: xiajicen\n---\n正文\n",
    );
    let e = fails(&f);
    assert!(
        e.contains("fayuan.yaml:2:3: unknown unit \"fayaun\""),
        "{e}"
    );
    assert!(e.contains("did you mean \"fayuan\"?"), "{e}");
    assert!(
        e.contains("content/articles/other.md:4:1: unknown campaign \"xiajicen\""),
        "{e}"
    );
    assert!(e.contains("did you mean \"xiajiceng\"?"), "{e}");
}

#[test]
fn unknown_article_slug_in_issue() {
    let f = Fixture::new();
    f.write(
        "content/issues/12.yaml",
        "number: 12\ndate: 2019-06-09\npages:\n  - page: A01\n    articles: [huimuo]\n",
    );
    let e = fails(&f);
    assert!(e.contains("content/issues/12.yaml:5:"), "{e}");
    assert!(e.contains("unknown article \"huimuo\""), "{e}");
    assert!(e.contains("did you mean \"huimou\"?"), "{e}");
}

#[test]
fn missing_required_fields() {
    let f = Fixture::new();
    f.write(
        "content/campaigns/xiajiceng/campaign.yaml",
        "organizer: 区委政法委\nstart: 2019-01-01\nend: 2019-03-31\n",
    );
    f.write(
        "content/articles/notitle.md",
        "---\ndate: 2019-05-01\n---\n正文\n",
    );
    let e = fails(&f);
    assert!(
        e.contains("campaign.yaml:1:1: missing required field `title`"),
        "{e}"
    );
    assert!(
        e.contains("notitle.md:2:1: missing required field `title`"),
        "{e}"
    );
}

#[test]
fn counts_must_be_whole_and_not_negative() {
    let f = Fixture::new();
    f.write(
        "content/campaigns/xiajiceng/records/fayuan.yaml",
        "- date: 2019-03-01\n  unit: fayuan\n  metrics: { households: -5 }\n- date: 2019-03-02\n  unit: fayuan\n  metrics:\n    households: 2.5\n",
    );
    let e = fails(&f);
    assert!(
        e.contains("fayuan.yaml:3:") && e.contains("is negative"),
        "{e}"
    );
    assert!(
        e.contains("fayuan.yaml:7:5:") && e.contains("not a whole number"),
        "{e}"
    );
}

#[test]
fn dates_that_do_not_parse() {
    let f = Fixture::new();
    f.write(
        "content/campaigns/xiajiceng/records/fayuan.yaml",
        "- date: 2019-02-30\n  unit: fayuan\n  metrics: { households: 1 }\n",
    );
    let e = fails(&f);
    assert!(
        e.contains("fayuan.yaml:1:3: `date`: cannot read \"2019-02-30\" as a date"),
        "{e}"
    );
}

#[test]
fn record_outside_campaign_is_a_warning() {
    let f = Fixture::new();
    f.write(
        "content/campaigns/xiajiceng/records/fayuan.yaml",
        "- date: 2019-05-01\n  unit: fayuan\n  metrics: { households: 236 }\n",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("warning: content/campaigns/xiajiceng/records/fayuan.yaml:1:3: record dated 2019-05-01 is outside its campaign"), "{}", r.stderr);
}

#[test]
fn gbk_file_gets_the_encoding_hint() {
    let f = Fixture::new();
    let (gbk, _, _) =
        encoding_rs::GBK.encode("---\ntitle: 走访回眸\ndate: 2019-04-10\n---\n正文\n");
    f.write_bytes("content/articles/gbk.md", &gbk);
    let e = fails(&f);
    assert!(
        e.contains("content/articles/gbk.md:2:8: file is not valid UTF-8"),
        "{e}"
    );
    assert!(e.contains("GBK/GB18030"), "{e}");
}

#[test]
fn bom_and_crlf_are_accepted() {
    let f = Fixture::new();
    let text = format!(
        "\u{feff}{}",
        crate::common::RECORDS_YAML.replace('\n', "\r\n")
    );
    f.write("content/campaigns/xiajiceng/records/gongan.yaml", &text);
    let r = f.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn two_pages_with_one_url() {
    let f = Fixture::new();
    f.write(
        "content/articles/huimou.md",
        "---\ntitle: 另一篇\ndate: 2019-05-01\n---\n正文\n",
    );
    f.write(
        "content/issues/13.yaml",
        "number: 12\ndate: 2019-07-01\npages: []\n",
    );
    let e = fails(&f);
    assert!(
        e.contains("article slug \"huimou\" is used twice: two pages with one URL"),
        "{e}"
    );
    assert!(e.contains("issue number 12 is used twice"), "{e}");
}

#[test]
fn slug_that_escapes_the_output_is_refused() {
    let f = Fixture::new();
    f.write(
        "content/articles/evil.md",
        "---\ntitle: 越界\ndate: 2019-05-01\nslug: ../../etc\n---\n正文\n",
    );
    let e = fails(&f);
    assert!(
        e.contains("evil.md:4:1: slug \"../../etc\" is not a valid slug"),
        "{e}"
    );
}

#[test]
fn theme_template_errors_name_the_template_and_line() {
    let f = Fixture::new();
    f.write("themes/newspaper/templates/article.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ article.title }\n{% endblock content %}\n");
    let e = fails(&f);
    assert!(
        e.contains("error: themes/newspaper/templates/article.html:3:"),
        "{e}"
    );
    assert!(e.contains("template error"), "{e}");
}

#[test]
fn figure_errors_point_at_the_narrative_line() {
    let f = Fixture::new();
    f.write(
        "content/campaigns/xiajiceng/articles/huimou.md",
        &crate::common::ARTICLE_MD.replace("{{ ratio(name=\"resolve_rate\") }}", "{{ ratio(name=\"resolve_rate\") }}{{ stat(metric=\"households\", unit=\"gongan\", from=\"2019-03-01\") }}"),
    );
    f.write("content/articles/typo.md", "---\ntitle: 错字\ndate: 2019-05-01\ncampaign: xiajiceng\n---\n\n共走访{{ stat(metric=\"househods\") }}。\n");
    let e = fails(&f);
    assert!(e.contains("huimou.md:15:"), "{e}");
    assert!(e.contains("no records of households (走访群众) of unit gongan in campaign xiajiceng between 2019-03-01 and the end"), "{e}");
    assert!(e.contains("typo.md:7:"), "{e}");
    assert!(e.contains("unknown metric \"househods\""), "{e}");
}

#[test]
fn every_problem_of_a_run_is_reported() {
    let f = Fixture::new();
    f.write(
        "content/campaigns/xiajiceng/records/fayuan.yaml",
        "- date: 2019-03-01\n  unit: fayuan\n  metrics: { househlds: 236 }\n",
    );
    f.write(
        "content/issues/12.yaml",
        "number: 12\ndate: 2019-13-09\npages: []\n",
    );
    f.write("content/articles/bad.md", "---\ntitle: [\n---\n正文\n");
    let e = fails(&f);
    assert!(e.contains("records/fayuan.yaml:3:"), "{e}");
    assert!(e.contains("issues/12.yaml:2:1"), "{e}");
    assert!(e.contains("articles/bad.md:"), "{e}");
    assert!(e.contains("3 errors found"), "{e}");
}

#[test]
fn metric_on_the_record_instead_of_under_metrics() {
    let f = Fixture::new();
    f.write(
        "content/campaigns/xiajiceng/records/fayuan.yaml",
        "- date: 2019-03-01\n  unit: fayuan\n  households: 236\n",
    );
    let e = fails(&f);
    assert!(
        e.contains("fayuan.yaml:3:3: `households` is a metric, but it is not under `metrics:`"),
        "{e}"
    );
}

#[test]
fn csv_records_with_labels_and_errors() {
    let f = Fixture::new();
    f.write("content/campaigns/xiajiceng/records/sifa.csv", "date,unit,activity,place,note,走访群众,disputes_found\n2019-03-05,fayuan,走访,城区,,30,\n2019-03-06,fayuan,走访,城区,,x,2\n");
    let e = fails(&f);
    assert!(e.contains("records/sifa.csv:3:"), "{e}");
    assert!(e.contains("must be a number"), "{e}");
    f.write(
        "content/campaigns/xiajiceng/records/sifa.csv",
        "date,unit,activity,place,note,走访群众,disputes_found\n2019-03-05,fayuan,走访,城区,,30,\n",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn missing_site_yaml_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no site.yaml"), "{}", r.stderr);
}

#[test]
fn building_a_folder_that_is_no_site_makes_nothing_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["build", "not-a-site"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("no site.yaml"), "{}", r.stderr);
    assert!(
        !dir.path().join("not-a-site").exists(),
        "a mistyped folder was created"
    );
    let r = run_in(dir.path(), &["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn usage_errors_exit_2() {
    let r = run_in(&repo(), &["bulid"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

/// Real Excel workbooks (made with openpyxl, as `tests/fixtures/*.xlsx`): Chinese headers,
/// date cells and text dates, empty cells, counts stored as 8.0.
#[test]
fn xlsx_records_are_read_and_checked() {
    let f = Fixture::new();
    let fixtures = repo().join("tests/fixtures");
    f.write_bytes(
        "content/campaigns/xiajiceng/records/sheet.xlsx",
        &std::fs::read(fixtures.join("records.xlsx")).unwrap(),
    );
    let r = f.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.out().join("data/summary.json")).unwrap()).unwrap();
    assert_eq!(
        summary["campaigns"][0]["totals"]["households"],
        1836 + 40 + 12 + 8
    );
    assert_eq!(
        summary["campaigns"][0]["by_unit"]["fayuan"]["households"],
        236 + 48
    );
    assert_eq!(summary["campaigns"][0]["totals"]["disputes_found"], 75 + 4);
    let csv = f.page("data/records.csv");
    assert!(
        csv.contains("sheet.xlsx:2") && csv.contains("城东社区"),
        "records keep their sheet row"
    );

    f.remove("content/campaigns/xiajiceng/records/sheet.xlsx");
    f.write_bytes(
        "content/campaigns/xiajiceng/records/bad.xlsx",
        &std::fs::read(fixtures.join("bad-records.xlsx")).unwrap(),
    );
    let e = fails(&f);
    assert!(
        e.contains("records/bad.xlsx:2:3: [Sheet!C2] count is negative"),
        "{e}"
    );
    assert!(
        e.contains("records/bad.xlsx:3:2: [Sheet!B3] unknown unit \"nobody\""),
        "{e}"
    );
}

/// A site's own template is rendered by `check` too, so errors that only show when a page is
/// laid out (an unknown variable) are found before a build.
#[test]
fn runtime_errors_in_a_site_template_are_found_by_check() {
    let f = Fixture::new();
    f.write("themes/newspaper/templates/article.html", "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ article.title }}</h1>\n{{ article.no_such_field }}\n{% endblock content %}\n");
    let e = fails(&f);
    assert!(
        e.contains("themes/newspaper/templates/article.html:4:"),
        "{e}"
    );
}

/// A campaign.yaml with an error is reported once: its records and articles are not reported
/// again as belonging to an unknown campaign, and nothing panics on them.
#[test]
fn a_broken_campaign_file_does_not_cascade() {
    let f = Fixture::new();
    f.write(
        "content/campaigns/xiajiceng/campaign.yaml",
        "title：政法书记下基层\nstart: 2019-01-01\nend: 2019-03-31\n",
    );
    f.write(
        "content/campaigns/xiajiceng/articles/nodate.md",
        "---\ntitle: 无日期\n---\n正文\n",
    );
    let e = fails(&f);
    assert!(e.contains("campaign.yaml:"), "{e}");
    assert!(!e.contains("unknown campaign"), "{e}");
    assert!(e.contains("1 error found"), "{e}");
}

#[test]
fn figure_errors_are_reported_beside_yaml_errors() {
    let f = Fixture::new();
    // A YAML slip in one records file …
    f.write(
        "content/campaigns/xiajiceng/records/fayuan.yaml",
        "- date: 2019-03-01\n  unit: fayuan\n  metrics: { households: 236\n",
    );
    // … and a figure typo in an article: both in one run. (The article on the court's
    // figures, whose records are in the broken file, raises no "no records" guess.)
    f.write("content/articles/typo.md", "---\ntitle: 错字\ndate: 2019-05-01\ncampaign: xiajiceng\n---\n\n共走访{{ stat(metric=\"househods\") }}。\n");
    f.write("content/articles/court.md", "---\ntitle: 法院\ndate: 2019-05-01\ncampaign: xiajiceng\n---\n\n法院走访{{ stat(metric=\"households\", unit=\"fayuan\") }}户。\n");
    let e = fails(&f);
    assert!(e.contains("records/fayuan.yaml:"), "{e}");
    assert!(e.contains("typo.md:7:"), "{e}");
    assert!(e.contains("unknown metric \"househods\""), "{e}");
    assert!(e.contains("2 errors found"), "{e}");
    // A build reports the same and writes nothing.
    let r = f.run(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("unknown metric \"househods\""),
        "{}",
        r.stderr
    );
    assert!(!f.out().exists());
}

#[test]
fn a_site_theme_s_labels_change_the_words_and_bad_ones_are_reported() {
    let f = Fixture::new();
    f.write(
        "themes/newspaper/labels.yaml",
        "home: 本站首页\nissue_no:\n  zh-CN: 总第{n}期\n",
    );
    let r = f.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let index = f.page("index.html");
    assert!(
        index.contains("本站首页"),
        "the override shows in the header"
    );
    assert!(!index.contains(">首页<"), "the built-in word is replaced");
    assert!(f.page("issues/12/index.html").contains("总第12期"));

    f.write("themes/newspaper/labels.yaml", "home:\n  zh: 首页\n");
    let e = fails(&f);
    assert!(
        e.contains("error: themes/newspaper/labels.yaml:1:1: the label `home` gives no text"),
        "{e}"
    );
    assert!(e.contains("unknown language `zh`"), "{e}");
}
