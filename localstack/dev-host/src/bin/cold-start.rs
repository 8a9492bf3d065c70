//! `cold-start`: measures a function binary's cold start, from process start to its
//! first event handled, by serving the Lambda Runtime API on loopback. It then hands
//! the same event over once more and times it warm, so that the start alone (cold
//! minus warm) is told apart from the work the event asks for.
//!
//! ```sh
//! cargo build --release --bin notifications --bin cold-start
//! target/release/cold-start --bin target/release/notifications \
//!     --event events/notifications/sqs-batch.json --runs 20
//! ```
//!
//! The function runs with this process's environment (resource names, endpoint), so
//! start the system first (`./localstack/run.sh`) and export what its `main` reads.
//! `--runner qemu-aarch64-static` starts an arm64 bootstrap under emulation
//! (`infra/measure.sh` does all of this for every function).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::routing::{get, post};
use tokio::sync::mpsc;

/// What the runtime API saw of one invocation.
#[derive(Debug)]
enum Finished {
    Response(String),
    Error(String),
}

struct Api {
    event: Bytes,
    /// Events handed out so far: the sample twice, then nothing.
    served: AtomicUsize,
    /// When each event was handed out.
    handed: Mutex<Vec<Instant>>,
    done: mpsc::Sender<(Instant, Finished)>,
}

async fn next(State(api): State<Arc<Api>>) -> (HeaderMap, Bytes) {
    if api.served.fetch_add(1, Ordering::SeqCst) >= 2 {
        // Two events per process: the next poll waits until the process is killed.
        std::future::pending::<()>().await;
    }
    api.handed.lock().unwrap().push(Instant::now());
    let mut headers = HeaderMap::new();
    let deadline = std::time::SystemTime::now() + Duration::from_secs(30);
    let deadline_ms = deadline
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    headers.insert(
        "lambda-runtime-aws-request-id",
        HeaderValue::from_static("cold-start-0001"),
    );
    headers.insert(
        "lambda-runtime-deadline-ms",
        HeaderValue::from_str(&deadline_ms.to_string()).unwrap(),
    );
    headers.insert(
        "lambda-runtime-invoked-function-arn",
        HeaderValue::from_static("arn:aws:lambda:us-east-1:123456789012:function:cold-start"),
    );
    headers.insert(
        "lambda-runtime-trace-id",
        HeaderValue::from_static("Root=1-00000000-000000000000000000000000"),
    );
    (headers, api.event.clone())
}

async fn response(State(api): State<Arc<Api>>, Path(_id): Path<String>, body: Bytes) -> StatusCode {
    let _ = api
        .done
        .send((
            Instant::now(),
            Finished::Response(String::from_utf8_lossy(&body).into_owned()),
        ))
        .await;
    StatusCode::ACCEPTED
}

async fn error(State(api): State<Arc<Api>>, body: Bytes) -> StatusCode {
    let _ = api
        .done
        .send((
            Instant::now(),
            Finished::Error(String::from_utf8_lossy(&body).into_owned()),
        ))
        .await;
    StatusCode::ACCEPTED
}

struct Args {
    bin: PathBuf,
    event: PathBuf,
    runs: usize,
    /// A program that runs the binary (an emulator for another architecture).
    runner: Option<PathBuf>,
}

fn args() -> anyhow::Result<Args> {
    let mut bin = None;
    let mut event = None;
    let mut runs = 10;
    let mut runner = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--bin" => bin = Some(PathBuf::from(value)),
            "--event" => event = Some(PathBuf::from(value)),
            "--runs" => runs = value.parse().context("--runs is a number")?,
            "--runner" => runner = Some(PathBuf::from(value)),
            other => {
                bail!(
                    "unknown flag {other}; use --bin PATH --event FILE [--runs N] [--runner PROGRAM]"
                )
            }
        }
    }
    Ok(Args {
        bin: bin.context("--bin PATH is required")?,
        event: event.context("--event FILE is required")?,
        runs,
        runner,
    })
}

/// One process: the time to its first event handled, the time it took to handle the
/// same event again once warm, and what it answered first.
async fn one_run(args: &Args, event: Bytes) -> anyhow::Result<(Duration, Duration, Finished)> {
    let (done, mut finished) = mpsc::channel(1);
    let api = Arc::new(Api {
        event,
        served: AtomicUsize::new(0),
        handed: Mutex::new(Vec::new()),
        done,
    });
    let handed = api.clone();
    let app = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route(
            "/2018-06-01/runtime/invocation/{id}/response",
            post(response),
        )
        .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
        .route("/2018-06-01/runtime/init/error", post(error))
        .with_state(api);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let started = Instant::now();
    let mut command = match &args.runner {
        Some(runner) => {
            let mut command = tokio::process::Command::new(runner);
            command.arg(&args.bin);
            command
        }
        None => tokio::process::Command::new(&args.bin),
    };
    let mut child = command
        .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "cold-start")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "cold-start")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "cold-start")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("starting {}", args.bin.display()))?;
    let wait = Duration::from_secs(30);
    let first = tokio::time::timeout(wait, finished.recv()).await;
    let second = tokio::time::timeout(wait, finished.recv()).await;
    let _ = child.kill().await;
    server.abort();
    let warm_from = handed.handed.lock().unwrap().get(1).copied();
    match (first, second, warm_from) {
        (Ok(Some((at, finished))), Ok(Some((again, _))), Some(from)) => {
            Ok((at - started, again - from, finished))
        }
        _ => bail!("the function did not handle its event twice within 30 s each"),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = args()?;
    let event = Bytes::from(
        std::fs::read(&args.event).with_context(|| format!("reading {}", args.event.display()))?,
    );
    let (mut cold, mut warm, mut init) = (Vec::new(), Vec::new(), Vec::new());
    for run in 1..=args.runs {
        let (took, again, finished) = one_run(&args, event.clone()).await?;
        let ms = took.as_secs_f64() * 1000.0;
        let warm_ms = again.as_secs_f64() * 1000.0;
        match &finished {
            Finished::Response(body) => {
                println!("run {run:>3}: {ms:>8.1} ms (warm {warm_ms:.1} ms)  response {body}")
            }
            Finished::Error(body) => {
                println!("run {run:>3}: {ms:>8.1} ms (warm {warm_ms:.1} ms)  ERROR {body}")
            }
        }
        cold.push(ms);
        warm.push(warm_ms);
        init.push((ms - warm_ms).max(0.0));
    }
    let median = |times: &mut Vec<f64>| {
        times.sort_by(f64::total_cmp);
        times[(times.len() - 1) / 2]
    };
    let cold_median = median(&mut cold);
    let p95 = cold[((cold.len() as f64 - 1.0) * 0.95).round() as usize];
    println!(
        "cold start (process start to first event handled) over {} runs: min {:.1} ms, median {:.1} ms, p95 {:.1} ms; the same event warm: median {:.1} ms; start alone (cold minus warm): median {:.1} ms",
        cold.len(),
        cold[0],
        cold_median,
        p95,
        median(&mut warm),
        median(&mut init),
    );
    Ok(())
}
