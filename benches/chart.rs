//! How long drawing one chart takes, per kind: `cargo bench --bench chart`.

use criterion::{criterion_group, criterion_main, Criterion};
use jianbao::chart::{render, ChartData, ChartKind, Series};

fn data(kind: ChartKind) -> ChartData {
    let units = [
        "区法院",
        "区检察院",
        "区公安分局",
        "区司法局",
        "顺河镇人民调解委员会",
    ];
    let (categories, series, target): (Vec<String>, Vec<Series>, Option<f64>) = match kind {
        ChartKind::Line => {
            let days: Vec<String> = (1..=60)
                .map(|d| format!("2019-{:02}-{:02}", 1 + (d - 1) / 30, 1 + (d - 1) % 30))
                .collect();
            let values = (1..=60).map(|d| (d * 31) as f64).collect();
            (
                days,
                vec![Series {
                    name: "走访群众".into(),
                    values,
                }],
                Some(2000.0),
            )
        }
        ChartKind::Stacked => (
            units.iter().map(|s| s.to_string()).collect(),
            vec![
                Series {
                    name: "排查矛盾纠纷".into(),
                    values: vec![75.0, 40.0, 120.0, 33.0, 12.0],
                },
                Series {
                    name: "化解矛盾纠纷".into(),
                    values: vec![63.0, 38.0, 101.0, 30.0, 12.0],
                },
            ],
            None,
        ),
        ChartKind::Progress => (
            vec![
                "走访群众（目标2000户）".into(),
                "召开座谈会（目标90场次）".into(),
            ],
            vec![Series {
                name: "完成率".into(),
                values: vec![91.8, 103.3],
            }],
            None,
        ),
        _ => (
            units.iter().map(|s| s.to_string()).collect(),
            vec![Series {
                name: "走访群众".into(),
                values: vec![1200.0, 236.0, 4120.0, 980.0, 77.0],
            }],
            None,
        ),
    };
    ChartData {
        kind,
        title: "各单位走访群众（户）".into(),
        caption: "数据来源：活动记录".into(),
        categories,
        series,
        unit_word: "户".into(),
        target,
        id: format!("bench-{}", kind.as_str()),
        lang: Default::default(),
    }
}

fn bench(c: &mut Criterion) {
    for kind in [
        ChartKind::Bar,
        ChartKind::Stacked,
        ChartKind::Line,
        ChartKind::Pie,
        ChartKind::Progress,
    ] {
        let d = data(kind);
        c.bench_function(&format!("chart/{}", kind.as_str()), |b| {
            b.iter(|| render(std::hint::black_box(&d)))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
