//! Arbitrary bytes as an upload of every kind, and as the pixels of a photo's working
//! copy for the face check: the check must answer, never panic.
//! `cd shared/imaging && cargo +nightly fuzz run inspect -- -max_total_time=600`

#![no_main]

use domain::document::DocumentKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let kind = DocumentKind::ALL[usize::from(selector) % DocumentKind::ALL.len()];
    let inspection = imaging::inspect(kind, bytes, kind.max_bytes());
    // Every outcome is either a pass or a list of stable codes.
    assert!(inspection.errors.iter().all(|c| !c.as_str().is_empty()));
    // The same bytes as a greyscale picture of some width, for the face detector.
    let width = 16 + u32::from(selector);
    let height = (bytes.len() as u32 / width).min(600);
    if height > 0 {
        let pixels = bytes[..(width * height) as usize].to_vec();
        let grey = image::GrayImage::from_raw(width, height, pixels).expect("sized to fit");
        let _ = imaging::face::face_findings(&grey);
    }
});
