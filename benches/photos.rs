//! Photos: `cargo bench --bench photos`.
//!
//! - `photos/copies_12mp`: one 12-megapixel JPEG → every web copy, on one core (the build
//!   runs photos in parallel; each photo is one job). Budget: 0.5 s.
//! - `photos/rebuild_200`: what a rebuild with nothing changed spends on 200 photos: the load
//!   of a site that has nothing but them (its photos known from the cache index, not read),
//!   and the photo stage taking every copy from the cache. Budget: 50 ms.

use std::io::Cursor;

use criterion::{criterion_group, criterion_main, Criterion};
use image::{DynamicImage, ImageFormat, RgbImage};
use jianbao::diag::Diagnostics;

/// A photo-like picture: shading, texture, a little noise.
fn picture(w: u32, h: u32, seed: u32) -> Vec<u8> {
    let mut s = seed | 1;
    let img = RgbImage::from_fn(w, h, |x, y| {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        let n = (s % 13) as f32 - 6.0;
        let t = ((x as f32 / 23.0).sin() * (y as f32 / 31.0).cos()) * 18.0;
        let c = |v: f32| v.clamp(0.0, 255.0) as u8;
        image::Rgb([
            c(60.0 + 150.0 * x as f32 / w as f32 + t + n),
            c(90.0 + 100.0 * y as f32 / h as f32 - t + n),
            c(140.0 + n + (seed % 50) as f32),
        ])
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
        .expect("encode");
    out
}

/// A site with 200 photos, each shown by one of 20 articles.
fn photo_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let w = |rel: &str, bytes: &[u8]| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    };
    w(
        "site.yaml",
        "title: 测试\nunits: { a: { name: 甲 } }\nmetrics: { m: { label: 走访, unit: 户 } }\n"
            .as_bytes(),
    );
    let base = picture(1600, 1200, 7);
    for a in 0..20 {
        let mut md = format!("---\ntitle: 稿件{a}\ndate: 2019-04-{:02}\n---\n", a + 1);
        for p in 0..10 {
            // Each file differs (a different trailing comment), so each is a photo of its own.
            let mut bytes = base.clone();
            bytes.extend(format!("{a}-{p}").as_bytes());
            w(&format!("content/static/photos/{a}-{p}.jpg"), &bytes);
            md.push_str(&format!("\n![图{p}](/photos/{a}-{p}.jpg)\n"));
        }
        w(&format!("content/articles/a{a}.md"), md.as_bytes());
    }
    dir
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("photos");
    g.sample_size(10);
    let twelve = picture(4000, 3000, 3);
    let sizes = jianbao::photos::sizes(4000, 3000);
    g.bench_function("copies_12mp", |b| {
        b.iter(|| jianbao::photos::make_copies(&twelve, &sizes).expect("copies"))
    });

    let site_dir = photo_site();
    let root = site_dir.path();
    let load = || jianbao::load::load(root, &Diagnostics::new()).expect("the site loads");
    let used: Vec<String> = load().media.keys().cloned().collect();
    // The first run fills the cache and the index.
    jianbao::photos::process(&load(), &used).expect("photos");
    g.bench_function("rebuild_200", |b| {
        b.iter(|| {
            let site = load();
            let p = jianbao::photos::process(&site, &used).expect("photos");
            assert_eq!(p.made, 0, "everything from the cache");
            p.files.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
