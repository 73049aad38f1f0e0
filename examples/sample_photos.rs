//! Draws the sample site's photos (simple illustrations, no photo from elsewhere):
//! `cargo run --example sample_photos` from the repository root rewrites them.

use image::{Rgb, RgbImage};

type Paint = fn(&mut RgbImage);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let photos: [(&str, u32, u32, Paint); 3] = [
        (
            "content/static/photos/banshishi-jiedai.jpg",
            2000,
            1333,
            service_hall,
        ),
        (
            "content/campaigns/dezhou-banshishi/articles/wangge-zoufang.jpg",
            1600,
            1200,
            street_visit,
        ),
        (
            "content/static/photos/qianming-yuanba.jpg",
            1800,
            1200,
            village_yard,
        ),
    ];
    for (path, w, h, paint) in photos {
        let mut img = RgbImage::new(w, h);
        paint(&mut img);
        let file = std::fs::File::create(path)?;
        let mut enc =
            image::codecs::jpeg::JpegEncoder::new_with_quality(std::io::BufWriter::new(file), 85);
        enc.encode_image(&img)?;
        println!("{path}");
    }
    Ok(())
}

/// A vertical gradient from `top` to `bottom` over rows `y0..y1`.
fn gradient(img: &mut RgbImage, y0: u32, y1: u32, top: [f32; 3], bottom: [f32; 3]) {
    let w = img.width();
    for y in y0..y1.min(img.height()) {
        let t = (y - y0) as f32 / (y1 - y0).max(1) as f32;
        let c = Rgb([0, 1, 2].map(|i| (top[i] + (bottom[i] - top[i]) * t) as u8));
        for x in 0..w {
            img.put_pixel(x, y, c);
        }
    }
}

fn rect(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, c: [u8; 3]) {
    for yy in y..(y + h).min(img.height()) {
        for xx in x..(x + w).min(img.width()) {
            img.put_pixel(xx, yy, Rgb(c));
        }
    }
}

fn disc(img: &mut RgbImage, cx: i64, cy: i64, r: i64, c: [u8; 3]) {
    for y in (cy - r).max(0)..(cy + r).min(img.height() as i64) {
        for x in (cx - r).max(0)..(cx + r).min(img.width() as i64) {
            if (x - cx).pow(2) + (y - cy).pow(2) <= r * r {
                img.put_pixel(x as u32, y as u32, Rgb(c));
            }
        }
    }
}

/// A person: head and body, `s` pixels tall.
fn person(img: &mut RgbImage, x: u32, foot: u32, s: u32, coat: [u8; 3]) {
    let head = s / 7;
    disc(
        img,
        i64::from(x),
        i64::from(foot - s + head),
        i64::from(head),
        [236, 200, 170],
    );
    rect(img, x - s / 6, foot - s + 2 * head, s / 3, s * 3 / 7, coat);
    rect(
        img,
        x - s / 8,
        foot - s + 2 * head + s * 3 / 7,
        s / 10,
        s - 2 * head - s * 3 / 7,
        [40, 45, 60],
    );
    rect(
        img,
        x + s / 40,
        foot - s + 2 * head + s * 3 / 7,
        s / 10,
        s - 2 * head - s * 3 / 7,
        [40, 45, 60],
    );
}

/// 服务中心: a counter, a red banner, staff and visitors.
fn service_hall(img: &mut RgbImage) {
    let (w, h) = img.dimensions();
    gradient(
        img,
        0,
        h * 2 / 3,
        [236.0, 232.0, 222.0],
        [210.0, 204.0, 190.0],
    );
    gradient(
        img,
        h * 2 / 3,
        h,
        [170.0, 160.0, 150.0],
        [120.0, 110.0, 100.0],
    );
    rect(img, w / 10, h / 12, w * 8 / 10, h / 10, [200, 30, 30]);
    for i in 0..4 {
        rect(img, w / 8 + i * w / 5, h / 4, w / 7, h / 5, [150, 190, 220]);
    }
    rect(img, 0, h * 3 / 5, w, h / 7, [120, 80, 50]);
    for (i, coat) in [[30, 60, 120], [30, 60, 120], [30, 60, 120]]
        .iter()
        .enumerate()
    {
        person(img, w / 5 + i as u32 * w * 3 / 10, h * 3 / 5, h / 4, *coat);
    }
    for (i, coat) in [[180, 120, 60], [90, 140, 90], [160, 60, 90]]
        .iter()
        .enumerate()
    {
        person(
            img,
            w / 4 + i as u32 * w * 3 / 10,
            h * 19 / 20,
            h * 2 / 5,
            *coat,
        );
    }
}

/// 网格民警走访: a street of houses, two officers at a door talking with a resident.
fn street_visit(img: &mut RgbImage) {
    let (w, h) = img.dimensions();
    gradient(img, 0, h / 2, [120.0, 170.0, 225.0], [200.0, 225.0, 245.0]);
    gradient(img, h / 2, h, [150.0, 150.0, 145.0], [95.0, 95.0, 90.0]);
    disc(
        img,
        i64::from(w * 5 / 6),
        i64::from(h / 7),
        i64::from(h / 14),
        [255, 230, 150],
    );
    for i in 0..3 {
        let x = w / 20 + i * w / 3;
        rect(img, x, h / 4, w / 4, h / 3, [215, 200, 180]);
        rect(img, x + w / 10, h / 4 + h / 6, w / 20, h / 6, [110, 70, 40]);
        rect(
            img,
            x + w / 40,
            h / 4 + h / 20,
            w / 20,
            h / 14,
            [160, 200, 230],
        );
        rect(
            img,
            x + w * 7 / 40,
            h / 4 + h / 20,
            w / 20,
            h / 14,
            [160, 200, 230],
        );
    }
    person(img, w * 2 / 5, h * 9 / 10, h / 2, [25, 45, 95]);
    person(img, w / 2, h * 9 / 10, h / 2, [25, 45, 95]);
    person(img, w * 7 / 10, h * 9 / 10, h * 9 / 20, [170, 110, 70]);
}

/// 院坝: a farmyard with a house, a tree, and officers with a family.
fn village_yard(img: &mut RgbImage) {
    let (w, h) = img.dimensions();
    gradient(
        img,
        0,
        h * 2 / 5,
        [150.0, 190.0, 230.0],
        [225.0, 235.0, 240.0],
    );
    gradient(
        img,
        h * 2 / 5,
        h,
        [170.0, 160.0, 120.0],
        [120.0, 110.0, 80.0],
    );
    rect(img, w / 2, h / 5, w * 2 / 5, h / 4, [230, 225, 215]);
    rect(
        img,
        w / 2 - w / 40,
        h / 6,
        w * 2 / 5 + w / 20,
        h / 20,
        [90, 90, 100],
    );
    rect(img, w * 13 / 20, h / 3, w / 14, h / 8, [110, 70, 40]);
    rect(img, w / 7, h / 5, w / 40, h / 4, [100, 70, 40]);
    disc(
        img,
        i64::from(w / 7 + w / 80),
        i64::from(h / 5),
        i64::from(h / 7),
        [60, 130, 60],
    );
    person(img, w * 3 / 10, h * 9 / 10, h * 2 / 5, [25, 45, 95]);
    person(img, w * 2 / 5, h * 9 / 10, h * 2 / 5, [25, 45, 95]);
    person(img, w * 3 / 5, h * 9 / 10, h * 7 / 20, [150, 60, 60]);
    person(img, w * 7 / 10, h * 9 / 10, h / 4, [220, 170, 60]);
}
