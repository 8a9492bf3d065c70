//! Writes the files the portal's browser tests upload (`web/e2e/fixtures/`): a synthetic
//! passport scan whose zone reads back exactly, a portrait the photo check passes and a
//! one-page PDF for documents checked as paper. Run from the workspace root:
//! `cargo run -p integration-tests --example portal-fixtures`.

use std::path::Path;

fn main() -> std::io::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/e2e/fixtures");
    std::fs::create_dir_all(&dir)?;
    let sample = mrz_reader::synth::sample(11);
    assert_eq!(sample.layout, mrz_reader::Layout::Td3);
    std::fs::write(dir.join("passport.jpg"), &sample.jpeg)?;
    std::fs::write(dir.join("passport.mrz"), sample.lines.join("\n") + "\n")?;
    std::fs::write(dir.join("photo.jpg"), imaging::fixtures::portrait_jpeg())?;
    std::fs::write(dir.join("document.pdf"), imaging::fixtures::pdf(1))?;
    println!("{}", sample.lines.join("\n"));
    Ok(())
}
