//! SPEC §3 "Photos, attachments and links in narratives": photos the tests draw (one stored
//! sideways with EXIF orientation 6 and a GPS position, a large PNG), built into a small site.

use std::fs;
use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, ImageFormat, RgbImage};

use crate::common::*;

/// A photo-like picture: smooth shading, some texture and a little noise (a flat or random
/// picture would compress far better or far worse than a real photo).
pub(crate) fn picture(w: u32, h: u32) -> RgbImage {
    let mut seed = 0x2545_f491_u32;
    RgbImage::from_fn(w, h, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let n = (seed % 13) as f32 - 6.0;
        let fx = x as f32 / w as f32;
        let fy = y as f32 / h as f32;
        let t = ((x as f32 / 23.0).sin() * (y as f32 / 31.0).cos()) * 18.0;
        let c = |v: f32| v.clamp(0.0, 255.0) as u8;
        image::Rgb([
            c(60.0 + 150.0 * fx + t + n),
            c(90.0 + 100.0 * fy - t + n),
            c(140.0 - 60.0 * fx + 40.0 * fy + n),
        ])
    })
}

pub(crate) fn encode(img: RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), format)
        .expect("encode");
    out
}

/// An EXIF APP1 segment (big-endian TIFF): camera make, orientation `orientation`, and a GPS
/// latitude — what a phone writes.
fn exif_app1(orientation: u16) -> Vec<u8> {
    let mut t: Vec<u8> = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    let entry = |t: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: [u8; 4]| {
        t.extend(tag.to_be_bytes());
        t.extend(typ.to_be_bytes());
        t.extend(count.to_be_bytes());
        t.extend(value);
    };
    // IFD0 at 8: three entries, ends at 8 + 2 + 36 + 4 = 50.
    t.extend(3u16.to_be_bytes());
    entry(&mut t, 0x010f, 2, 8, 50u32.to_be_bytes()); // Make → "TestCam\0" at 50
    let o = orientation.to_be_bytes();
    entry(&mut t, 0x0112, 3, 1, [o[0], o[1], 0, 0]); // Orientation
    entry(&mut t, 0x8825, 4, 1, 58u32.to_be_bytes()); // GPS IFD at 58
    t.extend(0u32.to_be_bytes());
    t.extend(b"TestCam\0");
    // GPS IFD at 58: two entries, ends at 58 + 2 + 24 + 4 = 88.
    t.extend(2u16.to_be_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0"); // GPSLatitudeRef
    entry(&mut t, 0x0002, 5, 3, 88u32.to_be_bytes()); // GPSLatitude → 3 rationals at 88
    t.extend(0u32.to_be_bytes());
    for (num, den) in [(31u32, 1u32), (30, 1), (1234, 100)] {
        t.extend(num.to_be_bytes());
        t.extend(den.to_be_bytes());
    }
    assert_eq!(t.len(), 112);
    let mut seg = vec![0xff, 0xe1];
    seg.extend(((2 + 6 + t.len()) as u16).to_be_bytes());
    seg.extend(b"Exif\0\0");
    seg.extend(t);
    seg
}

/// A JPEG stored sideways (`w`×`h` as stored, red in the stored top-left corner) with EXIF
/// orientation 6 (turn 90° clockwise to view) and a GPS position.
fn sideways_jpeg(w: u32, h: u32) -> Vec<u8> {
    let mut img = picture(w, h);
    for y in 0..h / 4 {
        for x in 0..w / 4 {
            img.put_pixel(x, y, image::Rgb([230, 20, 20]));
        }
    }
    let jpeg = encode(img, ImageFormat::Jpeg);
    assert_eq!(&jpeg[..2], b"\xff\xd8");
    let mut out = jpeg[..2].to_vec();
    out.extend(exif_app1(6));
    out.extend(&jpeg[2..]);
    out
}

/// Whether a file holds EXIF: the `Exif\0\0` tag or the camera's name anywhere, or in a JPEG
/// an APP1 segment (a marker, which the compressed data never holds).
fn has_exif(bytes: &[u8], jpeg: bool) -> bool {
    (jpeg && bytes.windows(2).any(|w| w == b"\xff\xe1"))
        || bytes.windows(6).any(|w| w == b"Exif\0\0")
        || bytes.windows(7).any(|w| w == b"TestCam")
}

const PHOTO_ARTICLE: &str = "\
---
title: 民警入户走访
date: 2019-04-12
image: /photos/lead.png
image_caption: 图为民警在顺河镇走访群众
---
本报讯 民警深入村居走访。

![图为民警入户走访](zoufang.jpg)

文中插图 ![小图](/photos/lead.png \"标题\") 随文。

详见[走访回眸](huimou.md)与[下基层活动](@/campaigns/xiajiceng)，[第12期](@/issues/12)，[回眸](@/articles/huimou#top)。

附件：[统计表](/files/tongji.xlsx)、[通知](tongzhi.pdf)。
";

/// The fixture site with the photos and attachments of [`PHOTO_ARTICLE`].
fn photo_site() -> Fixture {
    let f = Fixture::new();
    f.write_bytes(
        "content/campaigns/xiajiceng/articles/zoufang.jpg",
        &sideways_jpeg(1200, 900),
    );
    f.write_bytes(
        "content/static/photos/lead.png",
        &encode(picture(3000, 2000), ImageFormat::Png),
    );
    f.write_bytes("content/static/files/tongji.xlsx", b"PK\x03\x04 not really");
    f.write_bytes(
        "content/campaigns/xiajiceng/articles/tongzhi.pdf",
        b"%PDF-1.4 test",
    );
    f.write(
        "content/campaigns/xiajiceng/articles/zoufang.md",
        PHOTO_ARTICLE,
    );
    f
}

fn built(f: &Fixture) {
    let r = f.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn photos_are_upright_stripped_and_resized() {
    let f = photo_site();
    built(&f);
    let out = f.out();
    // Stored 1200×900 sideways: upright it is 900×1200.
    let big = fs::read(out.join("photos/campaigns/xiajiceng/articles/zoufang-900.jpg"))
        .expect("the photo's own width is its largest copy");
    let img = image::load_from_memory(&big).expect("a JPEG");
    assert_eq!((img.width(), img.height()), (900, 1200));
    // The red corner, stored top-left, is top-right once turned 90° clockwise.
    let px = img.to_rgb8();
    let tr = px.get_pixel(900 - 20, 20);
    let tl = px.get_pixel(20, 20);
    assert!(tr[0] > 180 && tr[1] < 90, "top right {tr:?}");
    assert!(tl[0] < 200 || tl[1] > 60, "top left {tl:?}");
    for w in [480, 960, 1600] {
        let p = out.join(format!("photos/static/photos/lead-png-{w}.jpg"));
        let d = image::load_from_memory(&fs::read(&p).expect("copy")).expect("jpeg");
        assert_eq!(d.width(), w);
        assert!(d.width().max(d.height()) <= 2400);
    }
    // The originals are not published, and no file of the output holds EXIF.
    assert!(!out.join("photos/lead.png").exists());
    for e in walkdir::WalkDir::new(&out).into_iter().flatten() {
        if e.file_type().is_file() {
            let bytes = fs::read(e.path()).expect("read");
            let name = e.file_name().to_string_lossy();
            assert!(!has_exif(&bytes, name.ends_with(".jpg")), "EXIF in {name}");
            assert!(!name.ends_with(".png") && name != "zoufang.jpg", "{name}");
        }
    }
}

#[test]
fn a_photo_alone_is_a_newspaper_photo_and_links_resolve() {
    let f = photo_site();
    built(&f);
    let page = f.page("articles/zoufang/index.html");
    assert!(page.contains("<figure class=\"photo\"><img src=\"../../photos/campaigns/xiajiceng/articles/zoufang-900.jpg\""), "{page}");
    assert!(page.contains("<figcaption>图为民警入户走访</figcaption></figure>"));
    assert!(page.contains("width=\"900\" height=\"1200\""));
    assert!(page.contains("srcset=\"../../photos/campaigns/xiajiceng/articles/zoufang-480.jpg 480w, ../../photos/campaigns/xiajiceng/articles/zoufang-900.jpg 900w\""));
    assert!(page.contains("loading=\"lazy\" decoding=\"async\""));
    // Inline, the photo stays an image in its paragraph.
    assert!(page.contains("文中插图 <img src=\"../../photos/static/photos/lead-png-960.jpg\""));
    // The lead photo heads the article, the front page and the list; it is in the feed.
    assert!(page.contains("<figure class=\"photo lead\">"));
    assert!(page.contains("图为民警在顺河镇走访群众"));
    assert!(f
        .page("index.html")
        .contains("photos/static/photos/lead-png-1600.jpg 1600w"));
    let feed = f.page("feed.xml");
    assert!(
        feed.contains("src=&quot;/photos/static/photos/lead-png-960.jpg"),
        "{feed}"
    );
    assert!(feed.contains("href=&quot;/articles/huimou/index.html"));
    // Links between narratives and to pages.
    for href in [
        "../../articles/huimou/index.html\"",
        "../../campaigns/xiajiceng/index.html\"",
        "../../issues/12/index.html\"",
        "../../articles/huimou/index.html#top\"",
        "../../files/tongji.xlsx\"",
        "../../files/campaigns/xiajiceng/articles/tongzhi.pdf\"",
    ] {
        assert!(page.contains(&format!("href=\"{href}")), "{href}");
    }
    assert_eq!(
        fs::read(
            f.out()
                .join("files/campaigns/xiajiceng/articles/tongzhi.pdf")
        )
        .unwrap(),
        b"%PDF-1.4 test"
    );
    // The print page embeds the print copy and needs no other file.
    let print = f.page("articles/zoufang/print.html");
    assert!(print.contains("src=\"data:image/jpeg;base64,"));
    assert!(!print.contains("srcset") && !print.contains("../../photos"));
}

/// Every relative `href` and `src` of every page names a file that exists, as a browser
/// opening the output from `file://` would find it.
#[test]
fn every_link_resolves_from_file_urls() {
    let f = photo_site();
    built(&f);
    let out = f.out();
    let mut checked = 0;
    for e in walkdir::WalkDir::new(&out).into_iter().flatten() {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "html") {
            continue;
        }
        let html = fs::read_to_string(p).expect("page");
        for attr in ["href=\"", "src=\""] {
            for (i, _) in html.match_indices(attr) {
                let rest = &html[i + attr.len()..];
                let url = &rest[..rest.find('"').expect("closing quote")];
                if url.is_empty()
                    || url.starts_with('#')
                    || url.starts_with("data:")
                    || url.contains("://")
                    || url.starts_with("mailto:")
                {
                    continue;
                }
                let path = url.split(['#', '?']).next().unwrap_or("");
                let target = p.parent().expect("folder").join(path);
                assert!(
                    target.exists(),
                    "{}: {url} does not exist",
                    p.strip_prefix(&out).unwrap_or(p).display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} links");
}

#[test]
fn a_missing_image_or_link_is_an_error_at_its_line() {
    let f = photo_site();
    f.write(
        "content/campaigns/xiajiceng/articles/zoufang.md",
        &PHOTO_ARTICLE
            .replace("](zoufang.jpg)", "](zoufnag.jpg)")
            .replace("(@/articles/huimou#top)", "(@/articles/huimuo)"),
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let e = &r.stderr;
    assert!(
        e.contains("error: content/campaigns/xiajiceng/articles/zoufang.md:9:"),
        "{e}"
    );
    assert!(e.contains("\"zoufnag.jpg\" not found"), "{e}");
    assert!(e.contains("zoufang.jpg\"?"), "nearest file: {e}");
    assert!(
        e.contains("error: content/campaigns/xiajiceng/articles/zoufang.md:13:"),
        "{e}"
    );
    assert!(e.contains("did you mean \"huimou\"?"), "{e}");
    // check processed nothing and wrote nothing.
    assert!(!f.root().join(".jianbao-cache/photos").exists());
    assert!(!f.out().exists());
}

#[test]
fn a_missing_lead_photo_is_an_error_at_its_field() {
    let f = photo_site();
    f.write(
        "content/campaigns/xiajiceng/articles/zoufang.md",
        &PHOTO_ARTICLE.replace("image: /photos/lead.png", "image: /photos/leed.png"),
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("error: content/campaigns/xiajiceng/articles/zoufang.md:4:"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("content/static/photos/lead.png"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_missing_file_in_raw_html_is_a_warning() {
    let f = photo_site();
    f.write(
        "content/campaigns/xiajiceng/articles/zoufang.md",
        &format!("{PHOTO_ARTICLE}\n<img src=\"x.png\" alt=\"x\">\n"),
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("warning: content/campaigns/xiajiceng/articles/zoufang.md:17:"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("raw HTML: \"x.png\" not found"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_rebuild_takes_photos_from_the_cache() {
    let f = photo_site();
    built(&f);
    let cache = f.root().join(".jianbao-cache/photos");
    let stamp = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).expect("mtime");
    let copies: Vec<_> = fs::read_dir(&cache)
        .expect("cache")
        .flatten()
        .map(|e| (e.path(), stamp(&e.path())))
        .collect();
    assert!(copies.len() >= 5, "{copies:?}");
    let before = snapshot(&f.out());
    built(&f);
    for (p, t) in &copies {
        assert_eq!(stamp(p), *t, "{} made again", p.display());
    }
    assert_eq!(before, snapshot(&f.out()), "a rebuild gives the same bytes");
}

/// A 12-megapixel phone photo comes out at most 400 KB in its largest copy.
#[test]
fn a_twelve_megapixel_photo_stays_under_400_kb() {
    let bytes = encode(picture(4000, 3000), ImageFormat::Jpeg);
    let sizes = jianbao::photos::sizes(4000, 3000);
    let copies = jianbao::photos::make_copies(&bytes, &sizes).expect("copies");
    let largest = copies.last().expect("a copy");
    assert_eq!(sizes.last(), Some(&(1600, 1200)));
    assert!(largest.len() <= 400 * 1024, "{} bytes", largest.len());
}

/// A campaign's summary (Markdown in its campaign.yaml) shows photos and links as an article
/// does: relative to the campaign's folder, `/…` from `content/static/`.
#[test]
fn a_campaign_summary_shows_photos_and_links() {
    let f = photo_site();
    f.write_bytes(
        "content/campaigns/xiajiceng/xianchang.jpg",
        &encode(picture(1200, 800), ImageFormat::Jpeg),
    );
    f.write(
        "content/campaigns/xiajiceng/campaign.yaml",
        &format!(
            "{CAMPAIGN_YAML}summary: |\n  活动现场。\n\n  ![图为活动现场](xianchang.jpg)\n\n  题图见 ![](/photos/lead.png)，详见[回眸](articles/huimou.md)与[第12期](@/issues/12)。\n"
        ),
    );
    built(&f);
    let page = f.page("campaigns/xiajiceng/index.html");
    assert!(
        page.contains("<figure class=\"photo\"><img src=\"../../photos/campaigns/xiajiceng/xianchang-960.jpg\""),
        "{page}"
    );
    assert!(page.contains("<figcaption>图为活动现场</figcaption>"));
    assert!(page.contains("src=\"../../photos/static/photos/lead-png-960.jpg\""));
    assert!(page.contains("href=\"../../articles/huimou/index.html\""));
    assert!(page.contains("href=\"../../issues/12/index.html\""));
    assert!(f
        .out()
        .join("photos/campaigns/xiajiceng/xianchang-1200.jpg")
        .exists());
    assert!(!f.out().join("campaigns/xiajiceng/xianchang.jpg").exists());
    let print = f.page("campaigns/xiajiceng/print.html");
    assert!(print.contains("src=\"data:image/jpeg;base64,"), "{print}");
    assert!(!print.contains("../../photos"));
}

#[test]
fn a_missing_photo_in_a_campaign_summary_is_an_error_at_its_line() {
    let f = photo_site();
    f.write(
        "content/campaigns/xiajiceng/campaign.yaml",
        &format!("{CAMPAIGN_YAML}summary: |\n  活动现场。\n\n  见 ![现场](xianchnag.jpg)。\n"),
    );
    f.write_bytes(
        "content/campaigns/xiajiceng/xianchang.jpg",
        &encode(picture(640, 480), ImageFormat::Jpeg),
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // CAMPAIGN_YAML has 5 lines; `summary: |` is line 6, the image on line 9, its target
    // at column 11 (after the block's indent of 2).
    assert!(
        r.stderr.contains(
            "error: content/campaigns/xiajiceng/campaign.yaml:9:11: \"xianchnag.jpg\" not found"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("xianchang.jpg\"?"), "{}", r.stderr);
    // Inline, on the key's line.
    f.write(
        "content/campaigns/xiajiceng/campaign.yaml",
        &format!("{CAMPAIGN_YAML}summary: 详见[回眸](@/articles/huimuo)。\n"),
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("error: content/campaigns/xiajiceng/campaign.yaml:6:"),
        "{}",
        r.stderr
    );
}
