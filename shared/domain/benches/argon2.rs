//! Time of one Argon2id hash and one verification with the production parameters.
//! Run on one core: `taskset -c 0 cargo bench -p domain --bench argon2`.

use std::time::{Duration, Instant};

use domain::secrets::{
    ARGON2_ITERATIONS, ARGON2_LANES, ARGON2_MEMORY_KIB, hash_secret, verify_secret,
};

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

fn main() {
    let runs = 30;
    let mut hashes = Vec::with_capacity(runs);
    let mut verifies = Vec::with_capacity(runs);
    let mut phc = String::new();
    for _ in 0..runs {
        let started = Instant::now();
        phc = hash_secret("Tash-Rabat#1994");
        hashes.push(started.elapsed());
        let started = Instant::now();
        assert!(verify_secret("Tash-Rabat#1994", &phc));
        verifies.push(started.elapsed());
    }
    hashes.sort();
    verifies.sort();
    println!(
        "argon2id m={ARGON2_MEMORY_KIB} KiB t={ARGON2_ITERATIONS} p={ARGON2_LANES} ({phc:.32}...)"
    );
    for (name, times) in [("hash", &hashes), ("verify", &verifies)] {
        println!(
            "{name:>6}: median {:.1} ms, p95 {:.1} ms over {runs} runs",
            percentile(times, 0.5).as_secs_f64() * 1000.0,
            percentile(times, 0.95).as_secs_f64() * 1000.0
        );
    }
}
