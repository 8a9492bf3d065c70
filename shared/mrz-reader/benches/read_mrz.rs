//! Reading a 2-megapixel phone photo of a passport and a flatbed scan of an ID card.

use criterion::{Criterion, criterion_group, criterion_main};
use mrz_reader::synth::{Capture, sample};

fn first(capture: Capture) -> (u64, image::GrayImage) {
    let seed = (0..)
        .find(|&s| sample(s).capture == capture)
        .expect("some seed gives each capture");
    let jpeg = sample(seed).jpeg;
    let gray = image::load_from_memory(&jpeg)
        .expect("synthetic JPEG decodes")
        .to_luma8();
    (seed, gray)
}

fn read(c: &mut Criterion) {
    for (name, capture) in [("photo_2mp", Capture::Photo), ("scan", Capture::Scan)] {
        let (seed, gray) = first(capture);
        c.bench_function(&format!("read_mrz/{name}/seed{seed}"), |b| {
            b.iter(|| mrz_reader::read(std::hint::black_box(&gray)))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = read
}
criterion_main!(benches);
