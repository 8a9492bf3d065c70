//! Reference photos for tests and benchmarks: a real portrait that meets the
//! requirements, and a drawn one that has no face.

use std::io::Cursor;

use image::{Rgb, RgbImage};

/// A passport-style photo of a real person, 600×800: head and shoulders, frontal and
/// centred, on a plain light background. Cropped from NASA's portrait of the astronaut
/// Eileen Collins (public domain; the `astronaut` sample of scikit-image).
pub fn portrait() -> RgbImage {
    let face = image::load_from_memory(include_bytes!("../fixtures/face.jpg"))
        .expect("the bundled portrait decodes")
        .to_rgb8();
    image::imageops::resize(&face, 600, 800, image::imageops::FilterType::CatmullRom)
}

/// A drawn head and shoulders on a light background: every measure but the face passes.
pub fn drawn_portrait() -> RgbImage {
    RgbImage::from_fn(600, 800, |x, y| {
        let (cx, cy) = (300.0, 330.0);
        let (dx, dy) = ((f64::from(x) - cx) / 150.0, (f64::from(y) - cy) / 200.0);
        let head = dx * dx + dy * dy <= 1.0;
        let shoulders = y > 560 && (f64::from(x) - 300.0).abs() < 260.0;
        if head || shoulders {
            // Skin and clothes with fine detail, as a sharp photo has.
            let t = ((x * 7 + y * 13) % 23) as u8 * 3;
            if head {
                Rgb([190 - t, 140 - t / 2, 120 - t / 2])
            } else {
                Rgb([40 + t, 60 + t, 110 + t])
            }
        } else {
            Rgb([232, 234, 236])
        }
    })
}

/// The reference photo as a JPEG file.
pub fn portrait_jpeg() -> Vec<u8> {
    let mut out = Vec::new();
    portrait()
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .expect("encoding to memory does not fail");
    out
}

/// A valid PDF of `pages` blank A4 pages.
pub fn pdf(pages: usize) -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let kids: Vec<Object> = (0..pages)
        .map(|_| {
            let contents = doc.add_object(Stream::new(dictionary! {}, Vec::new()));
            doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "Contents" => contents,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            })
            .into()
        })
        .collect();
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => pages as i64,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("writing to memory succeeds");
    out
}
