use super::*;

/// Test data: values for 区法院, 区检察院, 区公安分局, 区司法局, 顺河镇人民调解委员会.
fn units() -> Vec<String> {
    [
        "区法院",
        "区检察院",
        "区公安分局",
        "区司法局",
        "顺河镇人民调解委员会",
    ]
    .map(String::from)
    .into()
}

fn data(kind: ChartKind, categories: Vec<String>, series: Vec<Series>) -> ChartData {
    ChartData {
        kind,
        title: "各单位走访群众（户）".into(),
        caption: "图：千名干警进万家活动各单位走访户数".into(),
        categories,
        series,
        unit_word: "户".into(),
        target: None,
        id: "c3f2a1".into(),
        lang: Default::default(),
    }
}

fn one(name: &str, values: &[f64]) -> Vec<Series> {
    vec![Series {
        name: name.into(),
        values: values.to_vec(),
    }]
}

fn bar() -> ChartData {
    data(
        ChartKind::Bar,
        units(),
        one("走访群众", &[1320.0, 980.0, 4120.0, 2210.0, 3086.0]),
    )
}

fn stacked() -> ChartData {
    let series = vec![
        Series {
            name: "化解矛盾纠纷".into(),
            values: vec![120.0, 80.0, 310.0, 240.0, 90.0],
        },
        Series {
            name: "排查未化解".into(),
            values: vec![30.0, 0.0, 45.0, 12.0, 8.0],
        },
    ];
    ChartData {
        title: "各单位排查矛盾纠纷（起）".into(),
        unit_word: "起".into(),
        ..data(ChartKind::Stacked, units(), series)
    }
}

fn line() -> ChartData {
    let dates = [
        "2017-10-15",
        "2017-10-31",
        "2017-11-15",
        "2017-11-30",
        "2017-12-15",
        "2018-01-15",
    ];
    ChartData {
        target: Some(10000.0),
        title: "走访群众累计（户）".into(),
        ..data(
            ChartKind::Line,
            dates.map(String::from).into(),
            one(
                "走访群众",
                &[820.0, 2900.0, 5400.0, 7800.0, 9600.0, 11716.0],
            ),
        )
    }
}

fn pie() -> ChartData {
    ChartData {
        title: "各单位走访户数占比".into(),
        ..bar()
    }
    .with_kind(ChartKind::Pie)
}

fn progress() -> ChartData {
    let targets = [
        "走访群众 10000户",
        "召开座谈会 200场次",
        "化解矛盾纠纷 500起",
    ];
    ChartData {
        title: "目标完成情况".into(),
        unit_word: "%".into(),
        ..data(
            ChartKind::Progress,
            targets.map(String::from).into(),
            one("完成率", &[117.16, 84.0, 186.0]),
        )
    }
}

impl ChartData {
    fn with_kind(self, kind: ChartKind) -> ChartData {
        ChartData { kind, ..self }
    }
}

fn all_kinds() -> Vec<ChartData> {
    vec![bar(), stacked(), line(), pie(), progress()]
}

/// The rendered figure, parsed as XML (it is well-formed XHTML).
fn parse(html: &str) -> roxmltree::Document<'_> {
    match roxmltree::Document::parse(html) {
        Ok(doc) => doc,
        Err(e) => panic!("not well-formed: {e}\n{html}"),
    }
}

fn has_class(n: &roxmltree::Node, class: &str) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.split(' ').any(|x| x == class))
}

/// Elements named `tag` inside `<g>` groups of class `group`.
fn count_in_groups(doc: &roxmltree::Document, group: &str, tag: &str) -> usize {
    doc.descendants()
        .filter(|n| n.has_tag_name("g") && has_class(n, group))
        .flat_map(|g| {
            g.children()
                .filter(|c| c.has_tag_name(tag))
                .collect::<Vec<_>>()
        })
        .count()
}

fn texts(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(String::from)
        .collect()
}

fn svg_height(doc: &roxmltree::Document) -> u32 {
    let svg = doc
        .descendants()
        .find(|n| n.has_tag_name("svg"))
        .expect("svg");
    svg.attribute("height")
        .and_then(|h| h.parse().ok())
        .expect("height")
}

#[test]
fn every_kind_renders_a_well_formed_figure() {
    for d in all_kinds() {
        let html = render(&d).unwrap_or_else(|e| panic!("{:?}: {e}", d.kind));
        let doc = parse(&html);
        let figure = doc.root_element();
        assert_eq!(figure.tag_name().name(), "figure");
        assert_eq!(
            figure.attribute("class"),
            Some(format!("chart chart-{}", d.kind.as_str()).as_str())
        );
        let svg = figure
            .children()
            .find(|n| n.has_tag_name("svg"))
            .expect("svg");
        assert_eq!(svg.attribute("role"), Some("img"));
        assert_eq!(svg.attribute("class"), Some("chart-svg"));
        assert_eq!(
            svg.attribute("aria-labelledby"),
            Some("c3f2a1-title c3f2a1-desc")
        );
        assert!(svg.attribute("viewBox").is_some());
        let title = svg.first_element_child().expect("title");
        assert_eq!(
            (title.tag_name().name(), title.attribute("id")),
            ("title", Some("c3f2a1-title"))
        );
        assert_eq!(title.text(), Some(d.title.as_str()));
        let desc = title.next_sibling_element().expect("desc");
        assert_eq!(
            (desc.tag_name().name(), desc.attribute("id")),
            ("desc", Some("c3f2a1-desc"))
        );
        assert!(figure
            .children()
            .any(|n| n.has_tag_name("figcaption") && n.text() == Some(d.caption.as_str())));
        let last = figure.last_element_child().expect("caption");
        assert!(
            last.has_tag_name("figcaption"),
            "the caption ends the figure"
        );
        let wrap = figure
            .children()
            .find(|n| n.attribute("class") == Some("chart-table"))
            .expect("table wrapper");
        let table = wrap
            .children()
            .find(|n| n.has_tag_name("table"))
            .expect("table");
        assert_eq!(table.attribute("class"), Some("chart-data"));
        let rows = table
            .descendants()
            .filter(|n| n.has_tag_name("tbody"))
            .flat_map(|b| b.children())
            .filter(|n| n.has_tag_name("tr"))
            .count();
        assert_eq!(rows, d.categories.len());
        // Text takes the page's fonts, sizes are clean.
        assert!(!html.contains("font-family"));
        // One Markdown HTML block: no blank line may end it early.
        assert!(!html.contains("\n\n"));
        assert!(!html.contains("00000000"), "float noise in {html}");
    }
}

#[test]
fn bars_one_rect_per_nonzero_value() {
    let doc_html = render(&bar()).expect("bar");
    let doc = parse(&doc_html);
    assert_eq!(count_in_groups(&doc, "bars", "rect"), 5);
    let mut zero = bar();
    zero.series[0].values[1] = 0.0;
    let html = render(&zero).expect("bar");
    assert_eq!(count_in_groups(&parse(&html), "bars", "rect"), 4);

    let html = render(&stacked()).expect("stacked");
    let doc = parse(&html);
    assert_eq!(count_in_groups(&doc, "series-0", "rect"), 5);
    assert_eq!(count_in_groups(&doc, "series-1", "rect"), 4); // 区检察院 has none
    let t = texts(&doc);
    assert!(
        t.iter().any(|s| s == "化解矛盾纠纷") && t.iter().any(|s| s == "排查未化解"),
        "legend: {t:?}"
    );
    assert_eq!(count_in_groups(&doc, "legend", "rect"), 2);
}

#[test]
fn pie_one_slice_per_nonzero_share_with_percentages() {
    let html = render(&pie()).expect("pie");
    let doc = parse(&html);
    assert_eq!(count_in_groups(&doc, "slices", "polygon"), 5);
    let t = texts(&doc);
    // 4120 of 11716 = 35.2%
    assert!(t.iter().filter(|s| *s == "35.2%").count() >= 2, "{t:?}"); // on the slice and in the legend
    assert!(t.iter().any(|s| s == "顺河镇人民调解委员会"));

    let mut some_zero = pie();
    some_zero.series[0].values = vec![0.0, 10.0, 0.0, 5.0, 0.0];
    let doc_html = render(&some_zero).expect("pie");
    assert_eq!(count_in_groups(&parse(&doc_html), "slices", "polygon"), 2);

    let many = ChartData {
        categories: (1..=9).map(|i| format!("第{i}中队")).collect(),
        series: one("走访群众", &[9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0]),
        ..pie()
    };
    let html = render(&many).expect("pie");
    let doc = parse(&html);
    assert_eq!(count_in_groups(&doc, "slices", "polygon"), 6);
    assert!(texts(&doc).iter().any(|s| s == "其他"));
    // The table still has all nine.
    assert_eq!(html.matches("<th scope=\"row\">第").count(), 9);
}

#[test]
fn labels_and_values_are_drawn_as_text() {
    let t = texts(&parse(&render(&bar()).expect("bar")));
    for u in units() {
        assert!(
            t.contains(&u) || t.iter().any(|s| u.starts_with(s.as_str())),
            "{u} in {t:?}"
        );
    }
    for v in ["1320", "980", "4120", "2210", "3086"] {
        assert!(t.iter().any(|s| s == v), "{v} in {t:?}");
    }
    assert!(t.iter().any(|s| s == "各单位走访群众（户）"));

    let t = texts(&parse(&render(&line()).expect("line")));
    assert!(t.iter().any(|s| s == "目标 10000户"), "{t:?}");
    assert!(t.iter().any(|s| s == "11716户"), "{t:?}");
    assert!(
        t.iter().any(|s| s == "1月15日"),
        "the last date, as a Chinese date: {t:?}"
    );

    let t = texts(&parse(&render(&progress()).expect("progress")));
    for label in ["117.2%", "84%", "186%", "100%", "召开座谈会 200场次"] {
        assert!(t.iter().any(|s| s == label), "{label} in {t:?}");
    }
}

#[test]
fn line_target_is_dashed() {
    let html = render(&line()).expect("line");
    let doc = parse(&html);
    assert!(count_in_groups(&doc, "target", "polyline") > 10, "dashes");
    assert_eq!(count_in_groups(&doc, "line", "polyline"), 1);
    assert_eq!(count_in_groups(&doc, "line", "circle"), 6);
}

#[test]
fn same_data_same_bytes() {
    for d in all_kinds() {
        assert_eq!(render(&d), render(&d.clone()));
    }
}

#[test]
fn long_category_lists_switch_to_horizontal_bars() {
    let short = parse_owned(render(&bar()).expect("bar"));
    assert_eq!(short.1, 360);
    assert!(short.0.contains("text-anchor=\"middle\""));

    let names: Vec<String> = (1..=20).map(|i| format!("第{i}人民调解委员会")).collect();
    let values: Vec<f64> = (1..=20).map(|i| f64::from(i) * 37.0).collect();
    let long = ChartData {
        categories: names,
        series: one("走访群众", &values),
        ..bar()
    };
    let (html, height) = parse_owned(render(&long).expect("bar"));
    assert!(height >= 20 * 28, "28px a row: {height}");
    let doc = parse(&html);
    let labels = doc
        .descendants()
        .find(|n| n.has_tag_name("g") && has_class(n, "labels"))
        .expect("labels");
    assert!(labels
        .children()
        .filter(|n| n.has_tag_name("text"))
        .all(|n| n.attribute("text-anchor") == Some("end")));
    assert_eq!(count_in_groups(&doc, "bars", "rect"), 20);

    // A single very long name does it too.
    let mut wide = bar();
    wide.categories[4] = "顺河镇人民调解委员会暨矛盾纠纷多元化解中心".into();
    let (html, _) = parse_owned(render(&wide).expect("bar"));
    assert!(html.contains("<g class=\"labels\">\n<text") && html.contains("text-anchor=\"end\""));
}

fn parse_owned(html: String) -> (String, u32) {
    let h = svg_height(&parse(&html));
    (html, h)
}

#[test]
fn text_is_escaped() {
    let mut d = bar();
    d.title = "<script>alert('x')</script> & co".into();
    d.caption = "a \"quoted\" caption".into();
    d.categories[0] = "<b>区法院</b>".into();
    d.series[0].name = "走访&群众".into();
    let html = render(&d).expect("bar");
    assert!(!html.contains("<script>") && !html.contains("<b>"));
    let doc = parse(&html);
    let t = texts(&doc);
    assert!(t.iter().any(|s| s == "<b>区法院</b>"));
    assert!(html.contains("走访&amp;群众（户）"));
}

#[test]
fn bad_data_is_an_error_not_a_panic() {
    let cases: Vec<(ChartData, &str)> = vec![
        (
            ChartData {
                categories: vec![],
                series: one("x", &[]),
                ..bar()
            },
            "no categories",
        ),
        (
            ChartData {
                series: vec![],
                ..bar()
            },
            "no series",
        ),
        (
            ChartData {
                series: one("x", &[1.0]),
                ..bar()
            },
            "1 values for 5 categories",
        ),
        (
            ChartData {
                series: one("x", &[1.0, f64::NAN, 1.0, 1.0, 1.0]),
                ..bar()
            },
            "NaN",
        ),
        (
            ChartData {
                series: one("x", &[1.0, -2.0, 1.0, 1.0, 1.0]),
                ..bar()
            },
            "-2",
        ),
        (
            ChartData {
                series: one("x", &[1.0, f64::INFINITY, 1.0, 1.0, 1.0]),
                ..bar()
            },
            "inf",
        ),
        (
            ChartData {
                id: "".into(),
                ..bar()
            },
            "id",
        ),
        (
            ChartData {
                id: "a b\"".into(),
                ..bar()
            },
            "id",
        ),
        (
            ChartData {
                series: [one("a", &[1.0; 5]), one("b", &[1.0; 5])].concat(),
                ..bar()
            },
            "one series",
        ),
        (
            ChartData {
                target: Some(f64::NAN),
                ..line()
            },
            "target",
        ),
    ];
    for (d, needle) in cases {
        match render(&d) {
            Err(e) => assert!(e.to_string().contains(needle), "{e} lacks {needle}"),
            Ok(_) => panic!("accepted: {d:?}"),
        }
    }
}

#[test]
fn odd_but_valid_data_still_draws() {
    let zeros = |d: ChartData| {
        let n = d.categories.len();
        let series = d
            .series
            .iter()
            .map(|s| Series {
                name: s.name.clone(),
                values: vec![0.0; n],
            })
            .collect();
        ChartData { series, ..d }
    };
    let single = |d: ChartData| {
        let series = d
            .series
            .iter()
            .map(|s| Series {
                name: s.name.clone(),
                values: vec![s.values[0]],
            })
            .collect();
        ChartData {
            categories: vec![d.categories[0].clone()],
            series,
            ..d
        }
    };
    let huge = |d: ChartData| {
        let series = d
            .series
            .iter()
            .map(|s| Series {
                name: s.name.clone(),
                values: s.values.iter().map(|v| v * 1e10).collect(),
            })
            .collect();
        ChartData { series, ..d }
    };
    let many = |d: ChartData| {
        let categories: Vec<String> = (0..300)
            .map(|i| format!("2018-{:02}-{:02}", i % 12 + 1, i % 28 + 1))
            .collect();
        let series = d
            .series
            .iter()
            .map(|s| Series {
                name: s.name.clone(),
                values: (0..300).map(f64::from).collect(),
            })
            .collect();
        ChartData {
            categories,
            series,
            ..d
        }
    };
    let blank = |d: ChartData| {
        let n = d.categories.len();
        ChartData {
            title: String::new(),
            caption: String::new(),
            unit_word: String::new(),
            categories: vec!["\n\t".to_string(); n],
            series: d
                .series
                .iter()
                .map(|s| Series {
                    name: "\u{E000}".into(),
                    values: s.values.clone(),
                })
                .collect(),
            ..d
        }
    };
    let fractions = |d: ChartData| {
        let series = d
            .series
            .iter()
            .map(|s| Series {
                name: s.name.clone(),
                values: s.values.iter().map(|v| v / 3000.0).collect(),
            })
            .collect();
        ChartData { series, ..d }
    };
    for d in all_kinds() {
        for (what, odd) in [
            ("zeros", zeros(d.clone())),
            ("single", single(d.clone())),
            ("huge", huge(d.clone())),
            ("many", many(d.clone())),
            ("blank", blank(d.clone())),
            ("fractions", fractions(d.clone())),
        ] {
            let html = render(&odd).unwrap_or_else(|e| panic!("{:?} {what}: {e}", d.kind));
            parse(&html);
        }
    }
    // A pie of nothing says so.
    let t = texts(&parse(&render(&zeros(pie())).expect("pie")));
    assert!(t.iter().any(|s| s == "无数据"));
}

#[test]
fn table_holds_the_drawn_numbers() {
    let html = render(&stacked()).expect("stacked");
    assert!(html.contains("<th scope=\"col\">化解矛盾纠纷（起）</th><th scope=\"col\">排查未化解（起）</th><th scope=\"col\">合计（起）</th>"));
    assert!(html
        .contains("<tr><th scope=\"row\">区公安分局</th><td>310</td><td>45</td><td>355</td></tr>"));
    let html = render(&line()).expect("line");
    assert!(html.contains("<tfoot><tr><th scope=\"row\">目标</th><td>10000</td></tr></tfoot>"));
    let html = render(&pie()).expect("pie");
    assert!(html.contains("<tr><th scope=\"row\">区公安分局</th><td>4120</td><td>35.2%</td></tr>"));
}

/// `cargo test --release -- --ignored --nocapture render_timing`
#[test]
#[ignore]
fn render_timing() {
    const N: u32 = 1000;
    for d in all_kinds() {
        let start = std::time::Instant::now();
        let mut bytes = 0;
        for _ in 0..N {
            bytes += render(&d).map(|s| s.len()).unwrap_or(0);
        }
        let mean = start.elapsed() / N;
        println!(
            "{:>9}: {mean:?} per render, {} bytes",
            d.kind.as_str(),
            bytes / N as usize
        );
    }
}

/// `cargo test -- --ignored write_gallery` writes gallery.html beside Cargo.toml.
#[test]
#[ignore]
fn write_gallery() {
    let months: Vec<String> = (1..=12).map(|m| format!("2019年{m}月")).collect();
    let monthly = ChartData {
        title: "2019年各月走访群众（户）".into(),
        caption: "按月统计".into(),
        categories: months,
        series: one(
            "走访群众",
            &[
                120.0, 98.0, 310.0, 422.0, 390.0, 288.0, 176.0, 240.0, 512.0, 630.0, 401.0, 355.0,
            ],
        ),
        ..bar()
    };
    let weeks = ChartData {
        title: "各周调解矛盾纠纷（起）".into(),
        categories: (10..=17).map(|w| format!("第{w}周")).collect(),
        series: one("调解", &[12.0, 30.0, 25.0, 41.0, 8.0, 19.0, 33.0, 27.0]),
        unit_word: "起".into(),
        ..bar()
    };
    let many_units = ChartData {
        title: "各镇（街道）走访群众（户）".into(),
        categories: [
            "区法院",
            "区检察院",
            "区公安分局",
            "区司法局",
            "顺河镇人民调解委员会",
            "淮城街道",
            "河下街道",
            "车桥镇",
            "泾口镇",
            "流均镇",
            "博里镇",
            "施河镇",
            "钦工镇",
        ]
        .map(String::from)
        .into(),
        series: one(
            "走访群众",
            &[
                1320.0, 980.0, 4120.0, 2210.0, 3086.0, 760.0, 540.0, 430.0, 612.0, 388.0, 295.0,
                510.0, 47.0,
            ],
        ),
        ..bar()
    };
    let stacked_rows = ChartData {
        categories: many_units.categories.clone(),
        series: vec![
            Series {
                name: "化解矛盾纠纷".into(),
                values: vec![
                    120.0, 80.0, 310.0, 240.0, 90.0, 60.0, 45.0, 30.0, 52.0, 28.0, 19.0, 40.0, 3.0,
                ],
            },
            Series {
                name: "排查未化解".into(),
                values: vec![
                    30.0, 0.0, 45.0, 12.0, 8.0, 6.0, 4.0, 9.0, 2.0, 5.0, 1.0, 3.0, 1.0,
                ],
            },
            Series {
                name: "移交相关部门".into(),
                values: vec![
                    10.0, 5.0, 20.0, 8.0, 4.0, 3.0, 2.0, 1.0, 0.0, 2.0, 1.0, 0.0, 0.0,
                ],
            },
        ],
        ..stacked()
    };
    let charts = [
        bar(),
        monthly,
        weeks,
        many_units,
        stacked(),
        stacked_rows,
        line(),
        pie(),
        ChartData {
            categories: (1..=9).map(|i| format!("第{i}中队")).collect(),
            series: one(
                "走访群众",
                &[90.0, 80.0, 70.0, 60.0, 50.0, 40.0, 30.0, 20.0, 10.0],
            ),
            ..pie()
        },
        progress(),
        ChartData {
            title: "每日累计走访群众（户）".into(),
            categories: (0..60)
                .map(|i| format!("2017-{:02}-{:02}", 11 + i / 30, i % 30 + 1))
                .collect(),
            series: one(
                "走访群众",
                &(0..60)
                    .map(|i| f64::from(i * i) * 3.0 + f64::from(i) * 40.0)
                    .collect::<Vec<_>>(),
            ),
            target: Some(10000.0),
            ..line()
        },
        ChartData {
            title: "按周累计（户）".into(),
            categories: (1..=9).map(|w| format!("第{w}周")).collect(),
            series: one(
                "走访群众",
                &[
                    300.0, 800.0, 1500.0, 1500.0, 2600.0, 3900.0, 4100.0, 5200.0, 6000.0,
                ],
            ),
            target: Some(5000.0),
            ..line()
        },
        ChartData {
            series: one("走访群众", &[0.0; 5]),
            ..pie()
        },
        ChartData {
            categories: vec!["区法院".into()],
            series: one("走访群众", &[12.0]),
            ..bar()
        },
        ChartData {
            title: "各单位工作量（件）".into(),
            categories: units()[..4].to_vec(),
            series: vec![
                Series {
                    name: "走访".into(),
                    values: vec![40.0, 22.0, 61.0, 35.0],
                },
                Series {
                    name: "座谈".into(),
                    values: vec![12.0, 9.0, 15.0, 11.0],
                },
                Series {
                    name: "宣传".into(),
                    values: vec![25.0, 30.0, 18.0, 20.0],
                },
                Series {
                    name: "调解".into(),
                    values: vec![8.0, 14.0, 10.0, 22.0],
                },
                Series {
                    name: "帮扶".into(),
                    values: vec![5.0, 6.0, 9.0, 4.0],
                },
                Series {
                    name: "其他".into(),
                    values: vec![3.0, 2.0, 4.0, 6.0],
                },
            ],
            unit_word: "件".into(),
            ..stacked()
        },
    ];
    let mut page = String::from(
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>jianbao charts</title>\n<style>\n\
         body{font-family:\"Songti SC\",\"SimSun\",\"Noto Serif CJK SC\",\"Source Han Serif SC\",serif;max-width:680px;margin:16px auto;color:#1a1a1a}\n\
         figure{margin:0 0 28px;border-top:2px solid #8b1a1a;padding-top:6px}\n\
         figcaption{font-size:13px;color:#555;margin-top:4px}\n\
         table.chart-data{font-size:11px;border-collapse:collapse;margin-top:4px}\n\
         table.chart-data th,table.chart-data td{border:1px solid #ddd;padding:1px 6px}\n\
         </style></head><body>\n",
    );
    for (i, d) in charts.into_iter().enumerate() {
        let d = ChartData {
            id: format!("g{i}"),
            ..d
        };
        page.push_str(&render(&d).expect("gallery chart"));
    }
    page.push_str("</body></html>\n");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/gallery.html");
    std::fs::write(path, page).expect("write gallery");
}

/// Many random shapes of data (fixed seed): none panics, all are well-formed.
#[test]
fn random_data_never_panics() {
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n.max(1)
    };
    let pool: Vec<char> = "区法院检察公安分局司顺河镇人民调解委员会第周年月aZ09 -（）&<>\"'…"
        .chars()
        .collect();
    let word = |next: &mut dyn FnMut(u64) -> u64, max: u64| -> String {
        (0..next(max))
            .map(|_| pool[next(pool.len() as u64) as usize])
            .collect()
    };
    let kinds = [
        ChartKind::Bar,
        ChartKind::Stacked,
        ChartKind::Line,
        ChartKind::Pie,
        ChartKind::Progress,
    ];
    for round in 0..400 {
        let kind = kinds[round % kinds.len()];
        let n = 1 + next(40) as usize;
        let series_count = if kind == ChartKind::Stacked {
            1 + next(12) as usize
        } else {
            1
        };
        let scale = [0.0, 1.0, 7.0, 100.0, 1e4, 1e9][next(6) as usize];
        let series = (0..series_count)
            .map(|_| Series {
                name: word(&mut next, 40),
                values: (0..n)
                    .map(|_| {
                        if next(4) == 0 {
                            0.0
                        } else {
                            (next(1000) as f64 / 7.0) * scale
                        }
                    })
                    .collect(),
            })
            .collect();
        let d = ChartData {
            kind,
            title: word(&mut next, 120),
            caption: word(&mut next, 20),
            categories: (0..n).map(|_| word(&mut next, 60)).collect(),
            series,
            unit_word: word(&mut next, 3),
            target: (next(2) == 0).then(|| next(20000) as f64),
            id: format!("r{round}"),
            lang: Default::default(),
        };
        let html = render(&d).unwrap_or_else(|e| panic!("round {round}: {e}"));
        parse(&html);
        assert!(
            !html.contains("width=\"-")
                && !html.contains("height=\"-")
                && !html.contains("NaN")
                && !html.contains("inf"),
            "round {round}: {html}"
        );
    }
}
