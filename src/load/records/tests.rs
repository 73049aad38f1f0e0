//! The YAML paths held together: the fast path reads what the careful reader reads.

use std::path::Path;

use chrono::NaiveDate;

use super::{careful, fast, scan};
use crate::diag::Pos;
use crate::load::doc::YamlDoc;
use crate::load::keys::{CampaignSpan, KeyIndex, Keys};
use crate::model::{CampaignId, MetricId, UnitId};

fn keys() -> Keys<'static> {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let span = CampaignSpan {
        id: CampaignId(0),
        start: d("2019-01-01"),
        end: d("2019-12-31"),
    };
    Keys {
        units: KeyIndex::new("unit", [("gongan", UnitId(0)), ("fayuan", UnitId(1))]),
        metrics: KeyIndex::new(
            "metric",
            [("households", MetricId(0)), ("leaflets", MetricId(1))],
        ),
        unit_names: KeyIndex::new("unit", [("区公安分局", UnitId(0))]),
        metric_labels: KeyIndex::new("metric", [("走访群众", MetricId(0))]),
        campaigns: KeyIndex::new("campaign", [("c", span)]),
    }
}

const FILE: &str = "unit: gongan\nrecords:\n  - date: 2019-03-05\n    activity: 走访\n    place: 城区\n    metrics: { leaflets: 9, households: 320 }\n  - date: 2019-03-06\n    unit: fayuan\n    note: |\n      多行\n      - 备注\n    metrics:\n      households: 5\n";

#[test]
fn fast_and_careful_paths_agree() {
    let rel = Path::new("r.yaml");
    let fast = fast::records(FILE, rel, "c", &keys()).expect("valid file takes the fast path");
    let mut doc = YamlDoc::new(rel, FILE, 0);
    let mut careful_out = Vec::new();
    careful::records(&mut doc, "c", &keys(), &mut careful_out);
    assert!(doc.diags.is_empty());
    assert_eq!(fast.len(), 2);
    for (a, b) in fast.iter().zip(&careful_out) {
        assert_eq!(
            (
                a.date,
                a.unit,
                a.campaign,
                &a.activity,
                &a.place,
                &a.note,
                &a.metrics
            ),
            (
                b.date,
                b.unit,
                b.campaign,
                &b.activity,
                &b.place,
                &b.note,
                &b.metrics
            )
        );
        assert_eq!(a.origin.pos, b.origin.pos, "same positions both ways");
    }
    assert_eq!(fast[0].metrics, vec![(MetricId(0), 320), (MetricId(1), 9)]);
}

#[test]
fn anything_unusual_takes_the_careful_path() {
    let rel = Path::new("r.yaml");
    for bad in [
        FILE.replace("households: 320", "househlds: 320"),
        FILE.replace("320", "-3"),
        FILE.replace("2019-03-05", "2020-03-05"),
        FILE.replace("place: 城区", "plcae: 城区"),
        FILE.replace("unit: fayuan", "unit: nobody"),
    ] {
        assert!(fast::records(&bad, rel, "c", &keys()).is_none(), "{bad}");
    }
}

// The scanner decides only speed: wherever it reads a file, serde reads the same records.

/// A small deterministic generator (xorshift), so a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    /// Mostly one of the first `usual` values, now and then any.
    fn value<'a>(&mut self, xs: &[&'a str], usual: usize) -> &'a str {
        if self.chance(85) {
            self.pick(&xs[..usual])
        } else {
            self.pick(xs)
        }
    }
}

const TEXTS: &[&str] = &[
    "城区",
    "走访",
    "ok",
    "123",
    "a:b",
    "yes",
    "null",
    "~",
    "'q'",
    "\"q\"",
    "-x",
    "x #c",
    "a: b",
    "&a",
    "*a",
    "!t",
    "[x]",
    "{x}",
    "x,y",
    "多 空格",
    "尾:",
    "% x",
    "@x",
    "|",
    ">",
    "a\tb",
    "x # y",
    "#x",
    "2019-03-05",
];
const DATES: &[&str] = &[
    "2019-03-05",
    "2019/03/06",
    "2020-01-01",
    "2019-3-7",
    "2019-13-01",
    "2019-03",
    "2019年3月",
    "2018-12",
    "2019.10",
    "'2019-03-05'",
    "x",
];
const COUNTS: &[&str] = &[
    "0",
    "9",
    "320",
    "012",
    "+3",
    "0x1f",
    "1_000",
    "-3",
    "18446744073709551616",
    "1000000000000",
    "1000000000001",
    "3.0",
    "~",
];
const METRICS: &[&str] = &["households", "leaflets", "households", "leaflets", "visits"];

fn metrics(r: &mut Rng, key_indent: usize) -> String {
    let n = r.next() % 3;
    let entries: Vec<String> = (0..n)
        .map(|_| format!("{}: {}", r.pick(METRICS), r.value(COUNTS, 3)))
        .collect();
    if r.chance(70) {
        format!("metrics: {{ {} }}\n", entries.join(", "))
    } else {
        let pad = " ".repeat(key_indent + 2);
        let lines: String = entries.iter().map(|e| format!("{pad}{e}\n")).collect();
        format!("metrics:\n{lines}")
    }
}

fn item(r: &mut Rng, dash: usize) -> String {
    let pad = if r.chance(90) { 1 } else { 3 };
    let key_indent = dash + 1 + pad;
    let mut fields = vec![format!("date: {}\n", r.value(DATES, 2))];
    for key in ["unit", "activity", "place", "note", "campaign"] {
        if r.chance(40) {
            let v = match key {
                "unit" => r.pick(&["gongan", "fayuan", "nobody", "gongan #x"]),
                "campaign" => r.pick(&["c", "d"]),
                _ => r.value(TEXTS, 4),
            };
            fields.push(format!("{key}: {v}\n"));
        }
    }
    if r.chance(80) {
        fields.push(metrics(r, key_indent));
    }
    if r.chance(5) {
        let dup = fields[(r.next() % fields.len() as u64) as usize].clone();
        fields.push(dup);
    }
    let k = (r.next() % fields.len() as u64) as usize;
    fields.swap(0, k);
    let mut out = format!("{}-{}{}", " ".repeat(dash), " ".repeat(pad), fields[0]);
    for f in &fields[1..] {
        // Block metrics lines carry their own indentation after the first line.
        let mut lines = f.lines();
        if let Some(first) = lines.next() {
            out.push_str(&format!("{}{first}\n", " ".repeat(key_indent)));
        }
        for l in lines {
            out.push_str(&format!("{l}\n"));
        }
        if r.chance(5) {
            out.push_str(r.pick(&["# 注释\n", "\n", "   # indented comment\n"]));
        }
    }
    out
}

fn file(r: &mut Rng) -> String {
    let mut out = String::new();
    if r.chance(10) {
        out.push_str("---\n");
    }
    if r.chance(10) {
        out.push_str("# 记录\n");
    }
    let n = 1 + r.next() % 4;
    if r.chance(40) {
        let items: String = (0..n).map(|_| item(r, 0)).collect();
        out.push_str(&items);
    } else {
        let dash = if r.chance(50) { 0 } else { 2 };
        let mut keys: Vec<String> = Vec::new();
        for key in ["unit", "activity", "place", "campaign"] {
            if r.chance(50) {
                let v = match key {
                    "unit" => r.pick(&["gongan", "fayuan", "nobody"]),
                    "campaign" => "c",
                    _ => r.value(TEXTS, 4),
                };
                keys.push(format!("{key}: {v}\n"));
            }
        }
        let items: String = (0..n).map(|_| item(r, dash)).collect();
        let at = (r.next() % (keys.len() as u64 + 1)) as usize;
        keys.insert(at, format!("records:\n{items}"));
        out.push_str(&keys.concat());
    }
    if r.chance(10) {
        out = out.replace('\n', "  \n");
    }
    out
}

#[test]
fn scanner_and_serde_read_the_same_records() {
    let rel = Path::new("r.yaml");
    let keys = keys();
    let (mut scanned, mut valid) = (0, 0);
    for seed in 1..=4000u64 {
        let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let src = file(&mut r);
        let Some(s) = scan::scan(&src) else { continue };
        scanned += 1;
        // The careful path is the reference: it reads the YAML tree and reports.
        let mut doc = YamlDoc::new(rel, &src, 0);
        let mut careful_out = Vec::new();
        careful::records(&mut doc, "c", &keys, &mut careful_out);
        match fast::records(&src, rel, "c", &keys) {
            Some(fast) => {
                valid += 1;
                assert!(doc.diags.is_empty(), "seed {seed}:\n{src}\n{:?}", doc.diags);
                assert_eq!(fast, careful_out, "seed {seed}:\n{src}\n{s:?}");
            }
            // The fast path gives up only on something the careful path reports.
            None => assert!(!doc.diags.is_empty(), "seed {seed}:\n{src}"),
        }
    }
    // The generator reaches both sides: files the scanner reads, and ones it leaves.
    assert!(
        scanned > 1000 && scanned < 3900,
        "{scanned} of 4000 scanned"
    );
    assert!(valid > 100, "{valid} of 4000 valid");
}

#[test]
fn the_usual_layouts_are_scanned() {
    let list = "- date: 2019-08-14\n  unit: gongan\n  activity: 调解\n  place: 品机镇\n  metrics: { households: 59, leaflets: 36 }\n";
    let file = "unit: gongan\nrecords:\n  - date: 2019-08-14\n    activity: 调解\n    metrics:\n      households: 59\n";
    for src in [list, file] {
        let s = scan::scan(src).expect("scanned");
        assert_eq!(s.items.len(), 1);
        assert_eq!(s.items[0].1.metrics[0], ("households", 59));
    }
    assert_eq!(scan::scan(file).unwrap().items[0].0, Pos::new(3, 5));
}

#[test]
fn a_unit_name_in_yaml_gets_its_key_as_a_hint() {
    let rel = Path::new("r.yaml");
    let src = "- date: 2019-03-05\n  unit: 区公安分局\n";
    let mut doc = YamlDoc::new(rel, src, 0);
    let mut out = Vec::new();
    careful::records(&mut doc, "c", &keys(), &mut out);
    assert_eq!(doc.diags.len(), 1, "{:?}", doc.diags);
    assert_eq!(doc.diags[0].message, "unknown unit \"区公安分局\"");
    assert_eq!(
        doc.diags[0].hint.as_deref(),
        Some(
            "\"区公安分局\" is a name of unit `gongan`: YAML records give the key, `unit: gongan`"
        )
    );
}
