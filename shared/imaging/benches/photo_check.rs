//! Time of the whole check of one photo (type by bytes, header caps, decode, EXIF
//! orientation, exposure, sharpness, background, colour), at 600×800 and at 2 megapixels.
//! Run on one core: `taskset -c 0 cargo bench -p imaging --bench photo_check`.

use std::io::Cursor;
use std::time::{Duration, Instant};

use domain::document::DocumentKind;
use imaging::fixtures::portrait;

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

fn main() {
    let runs = 30;
    for (label, (w, h)) in [("600x800", (600, 800)), ("1224x1632 (2 MP)", (1224, 1632))] {
        let photo =
            image::imageops::resize(&portrait(), w, h, image::imageops::FilterType::Triangle);
        let mut jpeg = Vec::new();
        photo
            .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
            .unwrap();
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            let inspection = imaging::inspect(DocumentKind::Photo, &jpeg, 5 * 1024 * 1024);
            times.push(started.elapsed());
            assert!(inspection.errors.is_empty(), "{:?}", inspection.errors);
        }
        times.sort();
        println!(
            "photo check {label} ({} KB): median {:.1} ms, p95 {:.1} ms over {runs} runs",
            jpeg.len() / 1024,
            percentile(&times, 0.5).as_secs_f64() * 1000.0,
            percentile(&times, 0.95).as_secs_f64() * 1000.0
        );
    }
}
