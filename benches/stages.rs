//! The hot stages of a build, on the sample site or on a generated one:
//! `cargo bench --bench stages` (sample site), or
//! `JIANBAO_BENCH_SITE=/tmp/jianbao-bench/scale/site-1000 cargo bench --bench stages`.

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

criterion_group!(benches, bench);
criterion_main!(benches);
