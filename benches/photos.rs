//! Photos: `taskset -c 0 cargo bench --bench photos` (one core: see benches/README.md).
//!
//! First a report against the bounds of the issue, measured in the same run:
//! - one 12-megapixel JPEG → every web copy and the print copy (`photos::make_copies`),
//!   median of 7 runs, as a share of its 0.5 s budget, with its steps (decode, orientation,
//!   resize, encode); the largest copy's size against 400 KB; the resize and encode steps
//!   set against the image crate's own (the way copies were made before) and the filters
//!   of fast_image_resize against each other.
//! - a site of 200 small photos built, then rebuilt with nothing changed: the photo stage of
//!   the rebuild (`Built.timings`, what `build -v` prints), median of 5, against 50 ms.
//!
//! The photo stage runs photos in parallel (rayon); the bench sets rayon's pool to one thread,
//! so its figures are one core's whichever cores the process may use (it prints the cores it
//! may use: run it under `taskset -c 0` to pin it to one).
//!
//! Then criterion: `photos/copies_12mp` (as above) and `photos/rebuild_200` (what a rebuild
//! spends on the 200 photos: the load of a site that has nothing but them, and the photo
//! stage taking every copy from the cache).

use std::io::Cursor;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::Criterion;
use fast_image_resize::FilterType;
use image::{DynamicImage, ImageFormat, RgbImage};
use jianbao::diag::Diagnostics;
use jianbao::photos;

/// The budget of one 12-megapixel photo, all copies.
const BUDGET_12MP: Duration = Duration::from_millis(500);
/// The budget of a rebuild's photo stage, 200 photos unchanged.
const BUDGET_REBUILD: Duration = Duration::from_millis(50);

/// A photo-like picture: shading, texture, a little noise.
fn picture(w: u32, h: u32, seed: u32) -> Vec<u8> {
    picture_with(w, h, seed, 6.0)
}

/// [`picture`] with noise of ±`noise`.
fn picture_with(w: u32, h: u32, seed: u32, noise: f32) -> Vec<u8> {
    let mut s = seed | 1;
    let img = RgbImage::from_fn(w, h, |x, y| {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        let n = (s % 1000) as f32 / 500.0 * noise - noise;
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

/// An EXIF APP1 segment holding only an orientation.
fn orientation_app1(o: u16) -> Vec<u8> {
    let mut t: Vec<u8> = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    t.extend(1u16.to_be_bytes());
    t.extend(0x0112u16.to_be_bytes());
    t.extend(3u16.to_be_bytes());
    t.extend(1u32.to_be_bytes());
    t.extend(o.to_be_bytes());
    t.extend([0, 0]);
    t.extend(0u32.to_be_bytes());
    let mut seg = vec![0xff, 0xe1];
    seg.extend(((2 + 6 + t.len()) as u16).to_be_bytes());
    seg.extend(b"Exif\0\0");
    seg.extend(t);
    seg
}

/// A site with 200 photos of `w`×`h`, each shown by one of 20 articles.
fn photo_site(w: u32, h: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let put = |rel: &str, bytes: &[u8]| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    };
    put(
        "site.yaml",
        "title: 测试\nunits: { a: { name: 甲 } }\nmetrics: { m: { label: 走访, unit: 户 } }\n"
            .as_bytes(),
    );
    let base = picture(w, h, 7);
    for a in 0..20 {
        let mut md = format!("---\ntitle: 稿件{a}\ndate: 2019-04-{:02}\n---\n", a + 1);
        for p in 0..10 {
            // Each file differs (a different trailing comment), so each is a photo of its own.
            let mut bytes = base.clone();
            bytes.extend(format!("{a}-{p}").as_bytes());
            put(&format!("content/static/photos/{a}-{p}.jpg"), &bytes);
            md.push_str(&format!("\n![图{p}](/photos/{a}-{p}.jpg)\n"));
        }
        put(&format!("content/articles/a{a}.md"), md.as_bytes());
    }
    dir
}

/// The median of `n` runs of `f`, and the last result.
fn median<T>(n: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(n);
    let mut last = None;
    for _ in 0..n {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    times.sort_unstable();
    (times[n / 2], last.expect("n > 0"))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The processors this process may run on, as Linux lists them.
fn cpus() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

/// The image crate's encoder, as copies were encoded before (4:4:4, its only choice).
fn image_crate_jpeg(img: &RgbImage) -> Vec<u8> {
    let mut buf = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, photos::QUALITY);
    DynamicImage::ImageRgb8(img.clone())
        .write_with_encoder(enc)
        .expect("encode");
    buf
}

/// The figures against the bounds, printed before criterion's.
fn report() {
    println!("photos: report (cpus allowed: {}; one-thread pool)", cpus());
    let twelve = picture(4000, 3000, 3);
    let sizes = photos::sizes(4000, 3000);
    let (total, (copies, steps)) = median(7, || {
        photos::make_copies_timed(&twelve, &sizes).expect("copies")
    });
    let largest = copies.last().expect("a copy").len();
    println!(
        "  12 MP, all copies: {} = {:.0}% of the {} budget (decode {}, orient {}, resize {}, encode {})",
        ms(total),
        100.0 * total.as_secs_f64() / BUDGET_12MP.as_secs_f64(),
        ms(BUDGET_12MP),
        ms(steps.decode),
        ms(steps.orient),
        ms(steps.resize),
        ms(steps.encode),
    );
    println!(
        "  largest copy ({}×{}): {} KB of 400 KB",
        sizes.last().map_or(0, |s| s.0),
        sizes.last().map_or(0, |s| s.1),
        largest / 1024
    );

    // Stored sideways (EXIF orientation 6, as phones store portrait photos).
    let mut sideways = twelve[..2].to_vec();
    sideways.extend(orientation_app1(6));
    sideways.extend(&twelve[2..]);
    let tall = photos::sizes(3000, 4000);
    let (total, (_, steps)) = median(7, || {
        photos::make_copies_timed(&sideways, &tall).expect("copies")
    });
    println!(
        "  12 MP stored sideways (orientation 6): {} = {:.0}% of the budget (decode {}, orient {}, resize {}, encode {})",
        ms(total),
        100.0 * total.as_secs_f64() / BUDGET_12MP.as_secs_f64(),
        ms(steps.decode),
        ms(steps.orient),
        ms(steps.resize),
        ms(steps.encode),
    );
    let detailed = picture_with(4000, 3000, 5, 40.0);
    let copies = photos::make_copies(&detailed, &sizes).expect("copies");
    println!(
        "  largest copy of a far noisier 12 MP picture (noise ±40, worse than a photo): {} KB of 400 KB",
        copies.last().expect("a copy").len() / 1024
    );

    // The steps, each way.
    let original = image::load_from_memory(&twelve).expect("decode").to_rgb8();
    let (t, _) = median(5, || {
        let mut d = DynamicImage::ImageRgb8(original.clone());
        d.apply_orientation(image::metadata::Orientation::Rotate90);
        d
    });
    println!(
        "  turning the 12 MP original upright (before; with its copy): {}",
        ms(t)
    );
    let cascade_fir = |filter: FilterType| {
        let (w, h) = sizes[sizes.len() - 1];
        let mut cur = photos::resize(&original, w, h, filter).expect("resize");
        for &(w, h) in sizes.iter().rev().skip(1) {
            cur = photos::resize(&cur, w, h, filter).expect("resize");
        }
    };
    let (t, ()) = median(5, || {
        for &(w, h) in sizes.iter().rev() {
            image::imageops::resize(&original, w, h, image::imageops::FilterType::Triangle);
        }
    });
    println!(
        "  resize, image crate triangle, each copy from the original: {}",
        ms(t)
    );
    let (t, ()) = median(5, || {
        let triangle = image::imageops::FilterType::Triangle;
        let (w, h) = sizes[sizes.len() - 1];
        let mut cur = image::imageops::resize(&original, w, h, triangle);
        for &(w, h) in sizes.iter().rev().skip(1) {
            cur = image::imageops::resize(&cur, w, h, triangle);
        }
    });
    println!(
        "  resize, image crate triangle, each from the next larger (before): {}",
        ms(t)
    );
    for (name, f) in [
        ("bilinear", FilterType::Bilinear),
        ("catmull-rom", FilterType::CatmullRom),
        ("lanczos3", FilterType::Lanczos3),
    ] {
        let (t, ()) = median(5, || cascade_fir(f));
        println!(
            "  resize, fast_image_resize {name}, each from the next larger: {}",
            ms(t)
        );
    }
    let big = photos::resize(&original, 1600, 1200, photos::FILTER).expect("resize");
    let (t, bytes) = median(5, || image_crate_jpeg(&big));
    println!(
        "  encode 1600×1200, image crate (4:4:4, before): {}, {} KB",
        ms(t),
        bytes.len() / 1024
    );
    let (t, bytes) = median(5, || photos::encode(&big).expect("encode"));
    println!(
        "  encode 1600×1200, jpeg-encoder (4:2:0): {}, {} KB",
        ms(t),
        bytes.len() / 1024
    );

    // A rebuild of a site of 200 photos with nothing changed.
    let site = photo_site(800, 600);
    let root = site.path();
    let out = root.join("output");
    let opts = jianbao::render::Options {
        progress: None,
        check_only: false,
        drafts: false,
        base_url: None,
        now: chrono::DateTime::parse_from_rfc3339("2026-11-22T12:00:00+08:00")
            .expect("a valid constant date"),
        // The photo stage is what is measured; the search index would only add noise.
        search: false,
    };
    let build = |root: &Path| {
        let diags = Diagnostics::new();
        let built = jianbao::site::build(root, &out, &opts, Default::default(), &diags)
            .unwrap_or_else(|| panic!("the site builds: {:?}", diags.sorted()));
        let stage = |name: &str| {
            built
                .timings
                .iter()
                .find(|(s, _)| *s == name)
                .map_or(Duration::ZERO, |&(_, d)| d)
        };
        (
            stage("photos"),
            stage("load"),
            built.timings.iter().map(|(_, d)| *d).sum::<Duration>(),
        )
    };
    let t = Instant::now();
    build(root);
    println!("  200 photos of 800×600, first build: {}", ms(t.elapsed()));
    let mut runs: Vec<(Duration, Duration, Duration)> = (0..5).map(|_| build(root)).collect();
    runs.sort_unstable();
    let (photo, load, all) = runs[runs.len() / 2];
    println!(
        "  rebuild, nothing changed: photo stage {} = {:.0}% of the {} budget (load {}, whole build {})",
        ms(photo),
        100.0 * photo.as_secs_f64() / BUDGET_REBUILD.as_secs_f64(),
        ms(BUDGET_REBUILD),
        ms(load),
        ms(all),
    );
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("photos");
    g.sample_size(10);
    let twelve = picture(4000, 3000, 3);
    let sizes = photos::sizes(4000, 3000);
    g.bench_function("copies_12mp", |b| {
        b.iter(|| photos::make_copies(&twelve, &sizes).expect("copies"))
    });

    let site_dir = photo_site(1600, 1200);
    let root = site_dir.path();
    let load = || jianbao::load::load(root, &Diagnostics::new()).expect("the site loads");
    let used: Vec<String> = load().media.keys().cloned().collect();
    // The first run fills the cache and the index.
    photos::process(&load(), &used).expect("photos");
    g.bench_function("rebuild_200", |b| {
        b.iter(|| {
            let site = load();
            let p = photos::process(&site, &used).expect("photos");
            assert_eq!(p.made, 0, "everything from the cache");
            p.files.len()
        })
    });
    g.finish();
}

fn main() {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global()
        .expect("the one-thread pool, set before any other");
    report();
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
