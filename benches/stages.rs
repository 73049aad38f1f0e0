//! The hot stages of a build, on the sample site or on a generated one:
//! `cargo bench --bench stages` (sample site), or
//! `JIANBAO_BENCH_SITE=/tmp/jianbao-bench/scale/site-1000 cargo bench --bench stages`.
//! `cargo bench --bench stages -- workbook` loads a site whose records are one 100,000-row
//! workbook as units fill them in (title, 填报单位 line, Chinese headers, 合计 row).

use std::path::PathBuf;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use jianbao::aggregate::{Figures, Query};
use jianbao::diag::Diagnostics;
use jianbao::model::{CampaignId, MetricId};
use jianbao::render::{Options, Session};

fn site_root() -> PathBuf {
    std::env::var_os("JIANBAO_BENCH_SITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn options() -> Options {
    Options {
        drafts: false,
        base_url: None,
        now: chrono::DateTime::parse_from_rfc3339("2026-11-22T12:00:00+08:00")
            .expect("a valid constant date"),
        progress: None,
        check_only: false,
        search: true,
    }
}

fn bench(c: &mut Criterion) {
    let root = site_root();
    let load = || {
        jianbao::load::load(&root, &Diagnostics::new())
            .expect("the bench site loads without errors")
    };
    let site = Arc::new(load());
    let figures = Arc::new(Figures::new(&site));
    let mut g = c.benchmark_group("stages");
    g.sample_size(10);
    g.bench_function("load", |b| b.iter(load));
    g.bench_function("aggregate", |b| b.iter(|| Figures::new(&site)));
    g.bench_function("query", |b| {
        let q = Query::total(CampaignId(0), MetricId(0));
        b.iter(|| figures.query(std::hint::black_box(&q)))
    });
    g.bench_function("narratives", |b| {
        b.iter(|| Session::new(site.clone(), figures.clone(), options()).expect("renders"))
    });
    let session = Session::new(site.clone(), figures.clone(), options()).expect("renders");
    g.bench_function("pages", |b| {
        b.iter(|| session.render_all(&|_| Ok(())).expect("renders"))
    });
    g.finish();
}

/// A site whose records are one workbook of `rows` rows, laid out as a unit fills it in.
fn workbook_site(rows: u32) -> tempfile::TempDir {
    use rust_xlsxwriter::{Formula, Workbook};
    let dir = tempfile::tempdir().expect("a temporary folder");
    let write = |rel: &str, bytes: &[u8]| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    };
    write(
        "site.yaml",
        "title: 基准\nunits:\n  gongan: { name: 区公安分局, aliases: [公安分局] }\n  fayuan: { name: 区法院 }\nmetrics:\n  households: { label: 走访群众, unit: 户 }\n  meetings: { label: 召开座谈会, unit: 场次 }\n  leaflets: { label: 发放宣传资料, unit: 份 }\n".as_bytes(),
    );
    write(
        "content/campaigns/big/campaign.yaml",
        "title: 基准\nstart: 2019-01-01\nend: 2021-12-31\n".as_bytes(),
    );
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let err = "writes a cell";
    ws.write_string(0, 0, "XX活动统计表").expect(err);
    ws.write_string(1, 0, "填报单位：区公安分局").expect(err);
    let header = [
        "日期",
        "单位",
        "活动",
        "地点",
        "走访群众（户）",
        "召开座谈会（场次）",
        "发放宣传资料(份)",
        "备注",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).expect(err);
    }
    let units = ["区公安分局", "区法院", "公安分局", "gongan"];
    let (mut households, mut meetings, mut leaflets) = (0u64, 0u64, 0u64);
    for i in 0..rows {
        let r = 3 + i;
        let day = i % 1000;
        ws.write_string(r, 0, format!("2019/{}/{}", 1 + day % 12, 1 + day % 28))
            .expect(err);
        ws.write_string(r, 1, units[(i % 4) as usize]).expect(err);
        ws.write_string(r, 2, "走访").expect(err);
        ws.write_string(r, 3, "城东村").expect(err);
        let (h, m, l) = (u64::from(i % 97), u64::from(i % 5), u64::from(i % 300));
        ws.write_number(r, 4, h as f64).expect(err);
        ws.write_number(r, 5, m as f64).expect(err);
        ws.write_number(r, 6, l as f64).expect(err);
        (households, meetings, leaflets) = (households + h, meetings + m, leaflets + l);
    }
    let r = 3 + rows;
    ws.write_string(r, 0, "合计").expect(err);
    for (c, total) in [(4u16, households), (5, meetings), (6, leaflets)] {
        let formula = Formula::new("=SUM(E4:E9)").set_result(total.to_string());
        ws.write_formula(r, c, formula).expect(err);
    }
    let bytes = book.save_to_buffer().expect("a workbook");
    write("content/campaigns/big/records/统计表.xlsx", &bytes);
    dir
}

fn bench_workbook(c: &mut Criterion) {
    let site = workbook_site(100_000);
    let mut g = c.benchmark_group("workbook");
    g.sample_size(10);
    g.bench_function("load 100k rows", |b| {
        b.iter(|| {
            let site = jianbao::load::load(site.path(), &Diagnostics::new())
                .expect("the workbook site loads without errors");
            assert_eq!(site.records.len(), 100_000);
        })
    });
    g.finish();
}

criterion_group!(benches, bench, bench_workbook);
criterion_main!(benches);
