//! Arbitrary bytes as an upload of every kind: the check must answer, never panic.
//! `cd functions/image-check && cargo +nightly fuzz run inspect -- -max_total_time=600`

#![no_main]

use domain::document::DocumentKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let kind = DocumentKind::ALL[usize::from(selector) % DocumentKind::ALL.len()];
    let inspection = image_check::inspect(kind, bytes, kind.max_bytes());
    // Every outcome is either a pass or a list of stable codes.
    assert!(inspection.errors.iter().all(|c| !c.as_str().is_empty()));
});
