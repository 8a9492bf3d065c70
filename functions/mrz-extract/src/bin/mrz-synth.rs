//! Writes synthetic documents with known zones for `mrz-eval`.
//!
//! ```text
//! cargo run --release --bin mrz-synth -- --out DIR [--count 200] [--seed 1]
//! ```
//!
//! DIR receives one JPEG per document and `truth.tsv` with the columns `file`,
//! `mrz`, `doc_format`, `capture_type` and `conditions`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use mrz_reader::synth::sample;

fn main() -> anyhow::Result<()> {
    let (mut out, mut count, mut seed) = (None, 200u64, 1u64);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--out" => out = Some(PathBuf::from(value)),
            "--count" => count = value.parse().context("--count")?,
            "--seed" => seed = value.parse().context("--seed")?,
            other => bail!("unknown flag {other}"),
        }
    }
    let out = out.context("--out DIR is required")?;
    std::fs::create_dir_all(&out)?;
    let mut truth = std::fs::File::create(out.join("truth.tsv"))?;
    writeln!(truth, "file\tmrz\tdoc_format\tcapture_type\tconditions")?;
    for n in 0..count {
        let s = sample(seed * 1_000_003 + n);
        let file = format!("synth-{n:04}.jpg");
        std::fs::write(out.join(&file), &s.jpeg)?;
        writeln!(
            truth,
            "{file}\t{}\t{}\t{}\t{}",
            s.lines.join("|"),
            s.layout.as_str(),
            format!("{:?}", s.capture).to_lowercase(),
            s.conditions
        )?;
    }
    println!("{count} documents in {}", out.display());
    Ok(())
}
