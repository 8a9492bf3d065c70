//! Writes labelled character cells for training the glyph classifier: synthetic
//! documents printed in the given fonts, captured as scans and phone photos, read by
//! the reader's own locating and sampling.
//!
//! ```text
//! cargo run --release -p mrz-reader --example glyph-cells -- \
//!     --out cells.bin --documents 4500 --first-seed 5000000000 --font OCRB.otf --font ...
//! ```
//!
//! The file is `MRZC`, the window's width and height (u32, little-endian), then one
//! record a cell: its class (u8, an index into `glyphs::ALPHABET`) and its window's
//! pixels row by row (u8, 255 = ink). Fonts take turns, document by document.

use std::io::Write;
use std::path::PathBuf;

use ab_glyph::FontArc;
use anyhow::{Context, bail};
use mrz_reader::{glyphs, synth, training};

struct Args {
    out: PathBuf,
    documents: u64,
    first_seed: u64,
    fonts: Vec<PathBuf>,
}

fn args() -> anyhow::Result<Args> {
    let (mut out, mut documents, mut first_seed, mut fonts) =
        (None, 1000, 5_000_000_000, Vec::new());
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--out" => out = Some(PathBuf::from(value)),
            "--documents" => documents = value.parse()?,
            "--first-seed" => first_seed = value.parse()?,
            "--font" => fonts.push(PathBuf::from(value)),
            other => bail!("unknown flag {other}"),
        }
    }
    if fonts.is_empty() {
        bail!("at least one --font is required");
    }
    Ok(Args {
        out: out.context("--out FILE is required")?,
        documents,
        first_seed,
        fonts,
    })
}

fn main() -> anyhow::Result<()> {
    let args = args()?;
    let faces = args
        .fonts
        .iter()
        .map(|path| {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            FontArc::try_from_vec(bytes).with_context(|| format!("parsing {}", path.display()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let (ww, wh) = glyphs::references().window();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    // Documents are shared out among the workers and their cells written back in
    // document order, so the file is the same on any number of cores.
    let mut records: Vec<(u64, Vec<u8>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let faces = &faces;
                let args = &args;
                scope.spawn(move || {
                    let mut done = Vec::new();
                    for d in (w..args.documents).step_by(workers as usize) {
                        let face = &faces[d as usize % faces.len()];
                        let sample = synth::sample_in_face(args.first_seed + d, face);
                        let Ok(image) = image::load_from_memory(&sample.jpeg) else {
                            continue;
                        };
                        let mut out = Vec::new();
                        for (class, window) in
                            training::labelled_windows(&image.to_luma8(), &sample.lines)
                        {
                            out.push(class as u8);
                            out.extend(
                                window
                                    .iter()
                                    .map(|v| (v * 255.0).round().clamp(0.0, 255.0) as u8),
                            );
                        }
                        done.push((d, out));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker finished"))
            .collect()
    });
    records.sort_by_key(|(d, _)| *d);
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(&args.out)
            .with_context(|| format!("creating {}", args.out.display()))?,
    );
    file.write_all(b"MRZC")?;
    file.write_all(&(ww as u32).to_le_bytes())?;
    file.write_all(&(wh as u32).to_le_bytes())?;
    let mut cells = 0;
    for (_, r) in &records {
        file.write_all(r)?;
        cells += r.len() / (1 + ww * wh);
    }
    file.flush()?;
    println!(
        "{cells} cells of {ww}x{wh} from {} documents",
        args.documents
    );
    Ok(())
}
