//! Arbitrary pixels as a grey image: the reader must answer, never panic.
//! `cd shared/mrz-reader && cargo +nightly fuzz run read -- -max_len=65536 -max_total_time=600`
//!
//! The first two bytes give the width (the rest of the bytes, row by row, the
//! pixels), so the fuzzer shapes images as well as their content. Files reach the
//! reader only after the image check has capped their size, so images here stay
//! small enough to read many a second.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&[w0, w1], pixels)) = data.split_first_chunk::<2>().map(|(w, p)| (w, p)) else {
        return;
    };
    let width = u32::from(u16::from_le_bytes([w0, w1]) % 1024).max(1);
    let height = (pixels.len() as u32 / width).min(1024);
    if height == 0 {
        return;
    }
    let pixels = pixels[..(width * height) as usize].to_vec();
    let gray = image::GrayImage::from_raw(width, height, pixels).expect("sized to fit");
    if let Ok(zone) = mrz_reader::read(&gray) {
        // A reading always has its layout's lines, all in the MRZ alphabet.
        assert!(!zone.lines.is_empty());
        assert!(zone.lines.iter().all(|l| l.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'<')));
    }
});
