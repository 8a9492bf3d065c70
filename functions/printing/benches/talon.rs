//! Rendering one talon, S3 excluded: `taskset -c 0 cargo bench -p printing`. The
//! photo is the print copy the photo check stores; making one from an original (what
//! printing does for a photo checked before copies existed) is measured apart.

use criterion::{Criterion, criterion_group, criterion_main};
use printing::talon::{Talon, render};

fn talon() -> Talon {
    Talon {
        registration_number: "59930207077349".into(),
        full_name: "KARIMOV RUSTAM".into(),
        birth_date: "02.03.1988".into(),
        sex: "M".into(),
        citizenship: "UZB".into(),
        document: "P UZB FA1234567".into(),
        document_valid_until: "16.05.2031".into(),
        entry_date: "20.11.2026".into(),
        address: "г. Бишкек, Свердловский район, ул. Исанова, 16, кв. 97".into(),
        valid_from: "21.11.2026".into(),
        valid_to: "20.02.2027".into(),
        host: "ASANOV AIBEK, KGZ AC***67".into(),
        issued_at: "23.11.2026 14:05".into(),
    }
}

fn bench(c: &mut Criterion) {
    let mut photo = Vec::new();
    image::RgbImage::from_fn(600, 800, |x, y| {
        image::Rgb([(x % 200) as u8 + 40, (y % 180) as u8 + 40, 150])
    })
    .write_to(
        &mut std::io::Cursor::new(&mut photo),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    let original = photo;
    let photo = imaging::print_copy_of(&original).unwrap();
    eprintln!("print copy: {} bytes", photo.len());
    let url = "https://e.migration.kg/v1/public/documents/verify?d=T59930207077349.3.AAAAAAAAAAAAAAAAAAAAAA.sig";
    let pdf = render(&talon(), Some(&photo), url).unwrap();
    eprintln!("talon with photo: {} bytes", pdf.len());
    c.bench_function("talon/with_photo", |b| {
        b.iter(|| render(&talon(), Some(&photo), url).unwrap())
    });
    c.bench_function("talon/without_photo", |b| {
        b.iter(|| render(&talon(), None, url).unwrap())
    });
    c.bench_function("print_copy/of_600x800_jpeg", |b| {
        b.iter(|| imaging::print_copy_of(&original).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
