use std::collections::HashMap;
use std::path::Path;

use super::*;
use crate::diag::Severity;

fn metric(id: &str, label: &str, measure: &str, aliases: &[&str]) -> MetricWords {
    MetricWords {
        id: id.into(),
        label: label.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        measure: measure.into(),
    }
}

fn unit(id: &str, name: &str, aliases: &[&str]) -> UnitWords {
    UnitWords {
        id: id.into(),
        name: name.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
    }
}

fn vocab() -> Vocabulary {
    Vocabulary {
        metrics: vec![
            metric("households", "走访群众", "户", &[]),
            metric("meetings", "召开座谈会", "场次", &["座谈会"]),
            metric("leads", "收集问题线索", "条", &[]),
            metric("disputes_found", "排查矛盾纠纷", "起", &["摸排矛盾纠纷"]),
            metric(
                "disputes_resolved",
                "化解矛盾纠纷",
                "起",
                &["调解矛盾纠纷", "调解成功"],
            ),
            metric("leaflets", "发放宣传资料", "份", &[]),
            metric("participants", "参与干警", "人次", &[]),
            metric("orgs_visited", "走访单位", "家", &[]),
        ],
        ratios: vec![RatioWords {
            id: "resolve_rate".into(),
            label: "化解率".into(),
            aliases: vec!["调解成功率".into()],
            numerator: "disputes_resolved".into(),
            denominator: "disputes_found".into(),
        }],
        units: vec![
            unit("gongan", "区公安分局", &["公安机关", "公安分局"]),
            unit("fayuan", "区法院", &["法院"]),
            unit("jianchayuan", "区检察院", &[]),
            unit("zhengfawei", "区委政法委", &[]),
        ],
    }
}

/// Records as (metric, unit or all) → total.
struct Records(HashMap<(String, Option<String>), u64>);

impl FigureSource for Records {
    fn metric(&self, metric: &str, unit: Option<&str>) -> Option<u64> {
        self.0
            .get(&(metric.to_string(), unit.map(str::to_string)))
            .copied()
    }
}

fn records(figs: &[(&str, Option<&str>, u64)]) -> Records {
    Records(
        figs.iter()
            .map(|(m, u, v)| ((m.to_string(), u.map(str::to_string)), *v))
            .collect(),
    )
}

fn run(body: &str, figs: &[(&str, Option<&str>, u64)]) -> Vec<Diagnostic> {
    let checker = ProseChecker::new(vocab()).expect("the test vocabulary is small");
    checker.check(Path::new("a.md"), body, 1, &records(figs))
}

/// The warnings for `body` when the campaign total of households is `v`.
fn households(body: &str, v: u64) -> usize {
    run(body, &[("households", None, v)]).len()
}

#[test]
fn plain_figure_agrees_only_when_equal() {
    assert!(run("走访群众11716户。", &[("households", None, 11716)]).is_empty());
    let ds = run("走访群众11716户。", &[("households", None, 11717)]);
    assert_eq!(ds.len(), 1, "{ds:?}");
    let d = &ds[0];
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("\"走访群众11716户\""), "{}", d.message);
    assert!(d.message.contains("11717户"), "{}", d.message);
    assert_eq!(
        d.hint.as_deref(),
        Some("write {{ stat(metric=\"households\") }} in place of \"11716户\", so the figure comes from the records")
    );
}

#[test]
fn over_agrees_strictly_between_n_and_the_next_step() {
    for body in [
        "走访群众1800余户。",
        "走访群众1800多户。",
        "走访群众逾1800户。",
        "走访群众超过1800户。",
    ] {
        assert_eq!(households(body, 1800), 1, "{body}");
        assert_eq!(households(body, 1801), 0, "{body}");
        assert_eq!(households(body, 1899), 0, "{body}");
        assert_eq!(households(body, 1900), 1, "{body}");
    }
    let ds = run("走访群众1830余户。", &[("households", None, 1762)]);
    let hint = ds[0].hint.as_deref().unwrap_or_default();
    assert!(
        hint.contains("{{ stat(metric=\"households\", approx=3) }}"),
        "{hint}"
    );
    assert!(hint.contains("in place of \"1830余户\""), "{hint}");
}

#[test]
fn near_agrees_from_nine_tenths_up_to_n() {
    let body = "走访群众近2000户。";
    assert_eq!(households(body, 1799), 1);
    assert_eq!(households(body, 1800), 0);
    assert_eq!(households(body, 1999), 0);
    assert_eq!(households(body, 2000), 1);
}

#[test]
fn about_agrees_within_half_a_step() {
    for body in [
        "走访群众约1800户。",
        "走访群众1800户左右。",
        "走访群众1800左右户。",
    ] {
        assert_eq!(households(body, 1750), 1, "{body}");
        assert_eq!(households(body, 1751), 0, "{body}");
        assert_eq!(households(body, 1849), 0, "{body}");
        assert_eq!(households(body, 1850), 1, "{body}");
    }
}

#[test]
fn wan_counts_in_units_of_the_last_typed_decimal() {
    let body = "走访群众1.17万户。";
    assert_eq!(households(body, 11649), 1);
    assert_eq!(households(body, 11650), 0);
    assert_eq!(households(body, 11749), 0);
    assert_eq!(households(body, 11750), 1);
    let ds = run(body, &[("households", None, 12000)]);
    let hint = ds[0].hint.as_deref().unwrap_or_default();
    assert!(
        hint.contains("{{ stat(metric=\"households\", wan=true) }}"),
        "{hint}"
    );

    let body = "走访群众1.1万余户。";
    assert_eq!(households(body, 11000), 1);
    assert_eq!(households(body, 11001), 0);
    assert_eq!(households(body, 11999), 0);
    assert_eq!(households(body, 12000), 1);
    let ds = run(body, &[("households", None, 13000)]);
    let hint = ds[0].hint.as_deref().unwrap_or_default();
    assert!(
        hint.contains("{{ stat(metric=\"households\", wan=true, approx=2) }}"),
        "{hint}"
    );

    let body = "走访群众近1.2万户。";
    assert_eq!(households(body, 10799), 1);
    assert_eq!(households(body, 10800), 0);
    assert_eq!(households(body, 11999), 0);
    assert_eq!(households(body, 12000), 1);
}

/// Warnings for `body` when the ratio is `num / den`.
fn rate(body: &str, num: u64, den: u64) -> Vec<Diagnostic> {
    run(
        body,
        &[
            ("disputes_resolved", None, num),
            ("disputes_found", None, den),
        ],
    )
}

#[test]
fn percent_rounds_half_up_at_the_typed_decimals() {
    let body = "调解成功率达99%。";
    assert_eq!(rate(body, 984, 1000).len(), 1);
    assert_eq!(rate(body, 985, 1000).len(), 0);
    assert_eq!(rate(body, 9949, 10000).len(), 0);
    assert_eq!(rate(body, 995, 1000).len(), 1);
    let ds = rate(body, 109, 130);
    assert!(
        ds[0]
            .message
            .contains("84% (化解矛盾纠纷 109 of 排查矛盾纠纷 130)")
            || ds[0]
                .message
                .contains("83.8% (化解矛盾纠纷 109 of 排查矛盾纠纷 130)"),
        "{}",
        ds[0].message
    );
    assert!(ds[0]
        .hint
        .as_deref()
        .unwrap_or_default()
        .contains("{{ ratio(name=\"resolve_rate\") }} in place of \"99%\""));

    let body = "化解率83.8％。";
    assert_eq!(rate(body, 109, 130).len(), 0);
    let ds = rate(body, 110, 130);
    assert_eq!(ds.len(), 1);
    assert!(ds[0]
        .hint
        .as_deref()
        .unwrap_or_default()
        .contains("{{ ratio(name=\"resolve_rate\", decimals=1) }}"));
    // No records to divide by: nothing to compare.
    assert!(rate("化解率为99%。", 0, 0).is_empty());
}

#[test]
fn numbers_in_full_width_digits_and_with_grouping() {
    assert_eq!(households("走访群众１８３０余户。", 1834), 0);
    assert_eq!(households("走访群众１８３０余户。", 1900), 1);
    assert_eq!(households("走访群众1,350户。", 1350), 0);
    assert_eq!(households("走访群众1,350户。", 1351), 1);
    assert_eq!(households("走访群众 1830 余户。", 1900), 1);
    // Not a grouping: left alone rather than misread.
    assert_eq!(households("走访群众1,3500户。", 1), 0);
}

#[test]
fn linking_words_between_label_and_figure() {
    assert_eq!(households("累计走访群众共计1830余户。", 1900), 1);
    assert_eq!(households("走访群众达1830余户。", 1900), 1);
    assert_eq!(households("走访群众：1830户", 1900), 1);
    // Any other word between them: the number is about something else.
    assert_eq!(households("走访群众中有1830户困难家庭。", 1900), 0);
    assert_eq!(households("走访群众不少于5户。", 1900), 0);
}

#[test]
fn the_nearest_unit_before_narrows_the_figure() {
    let figs = [
        ("households", None, 11716),
        ("households", Some("gongan"), 4120),
    ];
    assert!(run("区公安分局走访群众4120户。", &figs).is_empty());
    assert!(run("公安机关的民警走访群众4120户。", &figs).is_empty());
    assert!(run("区法院牵头，区公安分局走访群众4120户。", &figs).is_empty());
    let ds = run("区公安分局走访群众4000户。", &figs);
    assert_eq!(ds.len(), 1);
    assert!(
        ds[0].message.contains("of 区公安分局: they give 4120户"),
        "{}",
        ds[0].message
    );
    assert!(ds[0]
        .hint
        .as_deref()
        .unwrap_or_default()
        .contains("{{ stat(metric=\"households\", unit=\"gongan\") }}"));
    // A whole-area word after the unit widens the figure back to the campaign.
    assert!(run("区公安分局走访群众4120户，全区共走访群众11716户。", &figs).is_empty());
    // The next sentence is not narrowed.
    assert!(run("区公安分局表现突出。走访群众11716户。", &figs).is_empty());
    // Several units together: their sum, not compared.
    assert!(run("区法院、区检察院共走访群众500户。", &figs).is_empty());
    // A unit with no records for the metric: nothing to compare.
    assert!(run("区法院走访群众500户。", &figs).is_empty());
}

#[test]
fn sentences_about_another_period_are_not_compared() {
    for body in [
        "5月，走访群众100户。",
        "5 月走访群众100户。",
        "于 3 月 3 日走访群众100户。",
        "三月走访群众100户。",
        "本月走访群众100户。",
        "一季度走访群众100户。",
        "上半年走访群众100户。",
        "走访群众100户，同比增长两成。",
        "走访群众100户，环比增加。",
        "去年走访群众100户。",
        "上年走访群众100户。",
        "日均走访群众100户。",
        "截至2017年底，共排查矛盾纠纷100起。",
        "2018年走访群众100户。",
        "调解成功率同比提高，达到99%。",
    ] {
        let ds = run(
            body,
            &[
                ("households", None, 11716),
                ("disputes_found", None, 130),
                ("disputes_resolved", None, 109),
            ],
        );
        assert!(ds.is_empty(), "{body}: {ds:?}");
    }
    // The period of one sentence does not reach the next.
    assert_eq!(
        households("5月走访群众100户。全区共走访群众100户。", 11716),
        1
    );
    // A duration is no other period: 三个月 is the campaign.
    assert_eq!(households("三个月里走访群众100户。", 11716), 1);
}

#[test]
fn what_no_metric_counts_is_not_compared() {
    for body in [
        "每名干警走访群众不少于5户。",
        "尚未化解矛盾纠纷21起。",
        "其中走访群众100户。",
        "走访群众1830余名。",
        "走访群众三千余户。",
        "新增走访群众100户。",
        "走访群众100户以上。",
        "力争走访群众20000户。",
        "走访群众1830.5户。",
        "收集问题线索30余个。",
        "参与干警100人。",
    ] {
        let ds = run(
            body,
            &[
                ("households", None, 11716),
                ("disputes_resolved", None, 109),
                ("leads", None, 1),
                ("participants", None, 1),
            ],
        );
        assert!(ds.is_empty(), "{body}: {ds:?}");
    }
}

#[test]
fn a_missing_figure_is_found() {
    let body = "深入开展矛盾纠纷排查化解工作，共调解矛盾纠纷件，调解成功件，调解成功率达99%。";
    let ds = run(
        body,
        &[
            ("disputes_resolved", None, 990),
            ("disputes_found", None, 1000),
        ],
    );
    assert_eq!(ds.len(), 2, "{ds:?}");
    assert!(ds[0]
        .message
        .contains("a figure is missing: \"调解矛盾纠纷件\" has no number before \"件\""));
    assert_eq!(ds[0].pos, Some(Pos::new(1, 23)));
    assert_eq!(ds[1].pos, Some(Pos::new(1, 29)));
    // 件 is not the metric's own measure word (起): the call goes before it, bare.
    assert_eq!(
        ds[0].hint.as_deref(),
        Some("the records give 990起: write {{ stat(metric=\"disputes_resolved\", bare=true) }} before \"件\"")
    );

    let ds = run(
        "走访群众户，召开座谈会场次。",
        &[("households", None, 11716)],
    );
    assert_eq!(ds.len(), 2, "{ds:?}");
    assert_eq!(
        ds[0].hint.as_deref(),
        Some(
            "the records give 11716户: write {{ stat(metric=\"households\") }} in place of \"户\""
        )
    );
    // No records: the hint has no value.
    assert_eq!(
        ds[1].hint.as_deref(),
        Some("write {{ stat(metric=\"meetings\") }} in place of \"场次\"")
    );
    assert_eq!(run("化解率达%。", &[]).len(), 1);
    // In a sentence about another period the figure is still missing, without a value.
    let ds = run("5月共调解矛盾纠纷件。", &[("disputes_resolved", None, 990)]);
    assert_eq!(ds.len(), 1);
    assert!(!ds[0].hint.as_deref().unwrap_or_default().contains("990"));
}

#[test]
fn a_measure_word_that_starts_a_noun_is_no_missing_figure() {
    for body in [
        "各类活动走访群众户数见下图。",
        "走访群众家中，了解情况。",
        "走访群众{{ stat(metric=\"households\", bare=true) }}户。",
        "走访群众{{ stat(metric=\"households\") }}，召开座谈会{{ stat(metric=\"meetings\") }}。",
        "排查矛盾纠纷件件有回音。",
        "走访群众为人民服务。",
    ] {
        let ds = run(body, &[("households", None, 11716), ("meetings", None, 9)]);
        assert!(ds.is_empty(), "{body}: {ds:?}");
    }
}

#[test]
fn positions_are_file_lines_and_character_columns() {
    let body = "第一段。\n\n第二段，走访群众1830余户。\n";
    let checker = ProseChecker::new(vocab()).expect("small vocabulary");
    let ds = checker.check(
        Path::new("content/x.md"),
        body,
        10,
        &records(&[("households", None, 1)]),
    );
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].path, Path::new("content/x.md"));
    assert_eq!(ds[0].pos, Some(Pos::new(12, 9)));
    let shown = ds[0].to_string();
    assert!(
        shown.starts_with("warning: content/x.md:12:9: typed figure \"走访群众1830余户\""),
        "{shown}"
    );
}

#[test]
fn template_tags_code_and_html_are_not_prose() {
    for body in [
        "`走访群众1830户`",
        "``走访群众`1830户``",
        "```\n走访群众1830户\n```",
        "~~~~text\n走访群众1830户\n~~~~",
        "段落。\n\n    走访群众1830户\n",
        "{# 走访群众1830户 #}",
        "{% raw %}走访群众1830户{% endraw %}",
        "{%- raw -%}走访群众{{ x }}1830户{%- endraw -%}",
        "{{ stat(metric=\"households\", note=\"走访群众1830户\") }}",
        "{% if x %}{{ \"}}走访群众1830户\" }}{% endif %}",
        "<!-- 走访群众1830户 -->",
        "<span title=\"走访群众1830户\">文字</span>",
        "[链接](/走访群众1830户)",
    ] {
        assert_eq!(households(body, 1), 0, "{body}");
    }
    // Prose around them still counts.
    assert_eq!(households("`代码` 走访群众1830户 {{ x }}", 1), 1);
    assert_eq!(households("```\n代码\n```\n走访群众1830户", 1), 1);
}

#[test]
fn a_soft_line_break_keeps_the_sentence() {
    let figs = [
        ("households", None, 11716),
        ("households", Some("gongan"), 4120),
    ];
    assert!(run("区公安分局的民警\n走访群众4120户。", &figs).is_empty());
    // A heading, list item or table row is its own sentence.
    assert!(run("### 区公安分局\n走访群众11716户。", &figs).is_empty());
    assert!(run("- 区公安分局\n- 走访群众11716户", &figs).is_empty());
    assert!(run("| 区公安分局 | 走访群众11716户 |", &figs).is_empty());
}

#[test]
fn seed_sentences_agree_when_right_and_warn_when_wrong() {
    let right = [
        ("households", None, 1834),
        ("meetings", None, 93),
        ("leads", None, 31),
        ("disputes_resolved", None, 61),
        ("disputes_resolved", Some("gongan"), 61),
        ("disputes_found", None, 64),
        ("participants", None, 1843),
        ("leaflets", None, 22400),
        ("orgs_visited", None, 121),
    ];
    let body = "收集社情民意，了解所需所求。各“政法书记”深入了解群众和企业所需所想，先后上门走访群众1830余户，\
召开座谈会90余场次，收集社会治安方面问题线索30余条、服务需求20余个。\n\n\
区公安分局结合敏感节点安保工作，深入开展矛盾纠纷排查化解，成功调处化解矛盾纠纷60余起，\
防止多起越级上访。活动参与干警达1840余人次，发放宣传资料2.2万余份，走访单位121家，\
化解率95%。\n\n\
5月17日，市里制定工作方案，召开座谈会12场次。每名党委成员走访群众不少于5家。";
    let checker = ProseChecker::new(vocab()).expect("small vocabulary");
    let ds = checker.check(Path::new("a.md"), body, 1, &records(&right));
    assert!(ds.is_empty(), "{ds:?}");

    let wrong = [
        ("households", None, 1912),
        ("meetings", None, 89),
        ("leads", None, 31),
        ("disputes_resolved", None, 61),
        ("disputes_resolved", Some("gongan"), 58),
        ("disputes_found", None, 70),
        ("participants", None, 1843),
        ("leaflets", None, 23100),
        ("orgs_visited", None, 120),
    ];
    let ds = checker.check(Path::new("a.md"), body, 1, &records(&wrong));
    let quoted: Vec<&str> = ds
        .iter()
        .map(|d| d.message.split('"').nth(1).unwrap_or_default())
        .collect();
    assert_eq!(
        quoted,
        [
            "走访群众1830余户",
            "召开座谈会90余场次",
            "化解矛盾纠纷60余起",
            "发放宣传资料2.2万余份",
            "走访单位121家",
            "化解率95%",
        ]
    );
}

/// The sample site's narratives, checked against its own records: no false alarm.
#[test]
fn no_false_alarm_on_the_sample_site() {
    use crate::aggregate::Figures;
    use crate::diag::Diagnostics;

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let diags = Diagnostics::new();
    let Some(site) = crate::load::load(root, &diags) else {
        panic!("the sample site loads: {:?}", diags.sorted());
    };
    let figures = Figures::new(&site);
    let checker =
        ProseChecker::new(site_vocabulary(&site)).expect("the sample vocabulary is small");
    let mut checked = 0;
    for a in &site.articles {
        let Some(campaign) = a.campaign else { continue };
        let source = campaign_source(&site, &figures, campaign);
        let ds = checker.check(&a.origin.path, &a.body, a.body_line, &source);
        assert!(ds.is_empty(), "{}: {ds:?}", a.slug.as_str());
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} narratives checked");

    // Figures typed by hand and right, against the sample's 千名干警进万家 records.
    let luxian = site
        .campaign_id("luxian-qianming")
        .expect("the sample campaign");
    let source = campaign_source(&site, &figures, luxian);
    let right = "活动期间，全县政法干警走访群众1.17万户，其中公安机关走访群众4120户；\
共排查矛盾纠纷412起，化解矛盾纠纷389起，化解率94%。\n\n\
三个月里发放宣传资料5.4万余份，召开座谈会230余场次，收集意见建议1344条。\
人民法院的干警走访群众约1900户。2017年12月，全县走访群众3000余户。";
    let path = Path::new("content/campaigns/luxian-qianming/articles/typed.md");
    let ds = checker.check(path, right, 9, &source);
    assert!(ds.is_empty(), "{ds:?}");
    let ds = checker.check(path, &right.replace("化解率94%", "化解率95%"), 9, &source);
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(ds[0].pos, Some(Pos::new(9, 65)));
}

// The vocabulary of a loaded site and the records of a campaign, as the check stage builds
// them.
use crate::check::{campaign_source, vocabulary as site_vocabulary};

/// Times the check over a generated site: `JIANBAO_PROSE_SITE=DIR cargo test --lib
/// prose_check_speed -- --ignored --nocapture` (DIR from `gen_site.py DIR --articles 10000`).
#[test]
#[ignore]
fn prose_check_speed() {
    let Ok(dir) = std::env::var("JIANBAO_PROSE_SITE") else {
        return;
    };
    let diags = crate::diag::Diagnostics::new();
    let t = std::time::Instant::now();
    let Some(site) = crate::load::load(Path::new(&dir), &diags) else {
        panic!("the site loads: {:?}", diags.sorted().first());
    };
    let figures = crate::aggregate::Figures::new(&site);
    println!("load + figures: {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let checker = ProseChecker::new(site_vocabulary(&site)).expect("a small vocabulary");
    let mut warnings = Vec::new();
    let mut bytes = 0;
    for a in &site.articles {
        let Some(campaign) = a.campaign else { continue };
        let source = campaign_source(&site, &figures, campaign);
        bytes += a.body.len();
        warnings.extend(checker.check(&a.origin.path, &a.body, a.body_line, &source));
    }
    println!(
        "prose check: {} narratives, {} MB, {:?}, {} warnings",
        site.articles.len(),
        bytes / 1_000_000,
        t.elapsed(),
        warnings.len()
    );
    for w in warnings.iter().take(10) {
        println!("{w}");
    }
}

#[test]
fn many_warnings_keep_their_positions() {
    let body = "走访群众1户，走访群众2户。\n走访群众3户\n\n区法院走访群众4户。";
    let ds = run(
        body,
        &[("households", None, 10), ("households", Some("fayuan"), 10)],
    );
    let at: Vec<(usize, usize)> = ds
        .iter()
        .map(|d| d.pos.map(|p| (p.line, p.col)).unwrap_or_default())
        .collect();
    assert_eq!(at, [(1, 5), (1, 12), (2, 5), (4, 8)]);
}

#[test]
fn runaway_bodies_stay_cheap() {
    // No punctuation at all: sentences are cut at a bound, not scanned whole for each figure.
    let body = "区法院走访群众1户".repeat(2_000);
    let t = std::time::Instant::now();
    let ds = run(&body, &[("households", Some("fayuan"), 10)]);
    assert_eq!(ds.len(), 2_000);
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
    // A number too long for any count is left alone.
    assert_eq!(
        households(&format!("走访群众{}户。", "9".repeat(100)), 1),
        0
    );
    assert_eq!(households("走访群众99999999999999999999999999万户。", 1), 1);
}

#[test]
fn the_checker_is_shared_across_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<ProseChecker>();
}

#[test]
fn emphasis_marks_do_not_hide_a_figure() {
    assert_eq!(households("走访群众**1830余户**。", 1900), 1);
    assert_eq!(households("走访群众**1830余户**。", 1834), 0);
}

#[test]
fn any_text_is_checked_without_a_panic() {
    const PIECES: &[&str] = &[
        "走访群众",
        "化解率",
        "区法院",
        "、",
        "1",
        "8",
        "３",
        ",",
        ".",
        "．",
        "万",
        "余",
        "近",
        "约",
        "左右",
        "户",
        "件",
        "%",
        "。",
        "；",
        "|",
        "\n",
        "\n\n",
        " ",
        "{{",
        "}}",
        "{%",
        "%}",
        "{#",
        "#}",
        "raw",
        "endraw",
        "`",
        "```",
        "<",
        ">",
        "<!--",
        "-->",
        "](",
        ")",
        "5月",
        "其中",
        "全区",
        "未",
        "\"",
        "'",
        "é",
        "\u{1a}",
        "    ",
        "- ",
        "# ",
        "**",
    ];
    let checker = ProseChecker::new(vocab()).expect("small vocabulary");
    let figs = records(&[
        ("households", None, 1834),
        ("households", Some("fayuan"), 12),
        ("disputes_resolved", None, 1),
        ("disputes_found", None, 3),
    ]);
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..20_000 {
        let mut body = String::new();
        let len = (seed >> 59) as usize + 1;
        for _ in 0..len * 3 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            body.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
        }
        for d in checker.check(Path::new("a.md"), &body, 1, &figs) {
            assert!(
                d.pos.is_some_and(|p| p.line >= 1 && p.col >= 1),
                "{body:?}: {d}"
            );
        }
    }
}
