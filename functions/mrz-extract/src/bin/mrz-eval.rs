//! Measures the MRZ reader on a folder of images with their zones as printed.
//!
//! ```text
//! cargo run --release --bin mrz-eval -- --images DIR --truth FILE [--passporteye SCRIPT]
//! ```
//!
//! FILE is a TSV with a header and the columns `file` and `mrz` (the zone's lines
//! joined by `|`). One line is printed per image (`ok` or `miss`, milliseconds, whether
//! the zone is trusted and its weakest field, what was read), then `trusted N/M
//! false_trust K` (zones trusted, and of those, read wrong), then `exact N/M median_ms X
//! p95_ms Y`. With `--passporteye`, the given
//! script (see `eval/passporteye_read.py`) reads the same images with PassportEye
//! first, and its own summary line comes before ours.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

struct Args {
    images: PathBuf,
    truth: PathBuf,
    passporteye: Option<PathBuf>,
    python: String,
}

fn args() -> anyhow::Result<Args> {
    let mut images = None;
    let mut truth = None;
    let mut passporteye = None;
    let mut python = "python3".to_owned();
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--images" => images = Some(PathBuf::from(value)),
            "--truth" => truth = Some(PathBuf::from(value)),
            "--passporteye" => passporteye = Some(PathBuf::from(value)),
            "--python" => python = value,
            other => bail!("unknown flag {other}"),
        }
    }
    Ok(Args {
        images: images.context("--images DIR is required")?,
        truth: truth.context("--truth FILE is required")?,
        passporteye,
        python,
    })
}

/// (file, zone) pairs of the truth table.
fn truth(path: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut rows = text.lines();
    let header: Vec<&str> = rows
        .next()
        .context("empty truth file")?
        .split('\t')
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .with_context(|| format!("no `{name}` column"))
    };
    let (file, mrz) = (col("file")?, col("mrz")?);
    rows.filter(|r| !r.trim().is_empty())
        .map(|r| {
            let cells: Vec<&str> = r.split('\t').collect();
            Ok((
                cells.get(file).context("short row")?.to_string(),
                cells.get(mrz).context("short row")?.to_string(),
            ))
        })
        .collect()
}

fn summary(exact: usize, total: usize, mut ms: Vec<f64>) -> String {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| {
        ms.get(((ms.len().max(1) - 1) as f64 * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    format!(
        "exact {exact}/{total} median_ms {:.1} p95_ms {:.1}",
        at(0.5),
        at(0.95)
    )
}

fn passporteye(args: &Args, script: &Path, rows: &[(String, String)]) -> anyhow::Result<String> {
    let files: Vec<PathBuf> = rows.iter().map(|(f, _)| args.images.join(f)).collect();
    let out = Command::new(&args.python)
        .arg(script)
        .args(&files)
        .output()
        .context("running PassportEye")?;
    if !out.status.success() {
        bail!(
            "PassportEye failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut exact = 0;
    let mut ms = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).context("PassportEye output")?;
        let file = v["file"].as_str().unwrap_or_default();
        let read = v["mrz"].as_str().unwrap_or_default();
        ms.push(v["ms"].as_f64().unwrap_or_default());
        if rows.iter().any(|(f, truth)| f == file && truth == read) {
            exact += 1;
        }
    }
    Ok(format!("passporteye {}", summary(exact, rows.len(), ms)))
}

/// `trusted`, or `untrusted` with the weakest field and its confidence.
fn trust_of(reading: &domain::mrz::MrzExtract) -> String {
    let weakest = reading
        .confidence
        .iter()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map(|(name, c)| format!("{name}={c:.2}"))
        .unwrap_or_default();
    if reading.trusted() {
        format!("trusted({weakest})")
    } else {
        format!("untrusted({weakest})")
    }
}

fn main() -> anyhow::Result<()> {
    let args = args()?;
    let rows = truth(&args.truth)?;
    let theirs = match &args.passporteye {
        Some(script) => Some(passporteye(&args, script, &rows)?),
        None => None,
    };
    let mut exact = 0;
    let (mut trusted, mut false_trust) = (0, 0);
    let mut ms = Vec::new();
    for (file, expected) in &rows {
        let bytes =
            std::fs::read(args.images.join(file)).with_context(|| format!("reading {file}"))?;
        let started = Instant::now();
        let read = imaging::decode_upright(&bytes).map(|img| mrz_reader::read(&img.to_luma8()));
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        ms.push(elapsed);
        let (text, trust) = match &read {
            Some(Ok(reading)) => (reading.lines.join("|"), trust_of(reading)),
            Some(Err(unread)) => (format!("({unread:?})"), "-".to_owned()),
            None => ("(not an image)".to_owned(), "-".to_owned()),
        };
        let ok = &text == expected;
        exact += usize::from(ok);
        if let Some(Ok(reading)) = &read
            && reading.trusted()
        {
            trusted += 1;
            false_trust += usize::from(!ok);
        }
        println!(
            "{file}\t{}\t{elapsed:.1}\t{trust}\t{text}",
            if ok { "ok" } else { "miss" }
        );
    }
    println!("trusted {trusted}/{} false_trust {false_trust}", rows.len());
    if let Some(theirs) = theirs {
        println!("{theirs}");
    }
    println!("{}", summary(exact, rows.len(), ms));
    Ok(())
}
