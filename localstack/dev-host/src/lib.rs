//! The dev host stands in for API Gateway and the Lambda event sources on one machine.
//!
//! It provisions the resources on the local endpoint, serves every HTTP function's
//! router in-process (the same handler code that runs in Lambda), long-polls every
//! queue and invokes its consumer with real SQS batches, deleting only what the
//! consumer did not report as failed, as the Lambda SQS event source does. S3 events
//! reach their functions the same way: the bucket notifies a queue by key prefix.
//! Each invocation writes one JSON log line: function, trigger, duration, outcome.

mod edge_responses;
mod functions;
mod http;
mod local_aid;
mod poller;
mod portal;
mod processor;

use std::net::SocketAddr;
use std::time::Duration;

use adapters::provision::{Plan, provision};
use adapters::{Deps, Queue};
use anyhow::Context;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use functions::{Consumer, FUNCTIONS, FunctionSpec, Job, Start, Trigger, secrets_of};
pub use http::{Route, clashing_schemas, http_routes, openapi_document};

/// How to run the dev host.
#[derive(Debug, Clone)]
pub struct Config {
    /// The local AWS endpoint, e.g. `http://127.0.0.1:4566`.
    pub endpoint: String,
    /// Where to serve HTTP; port 0 picks a free one.
    pub bind: SocketAddr,
    /// Prefix of every resource name, so several hosts can share one endpoint.
    pub prefix: String,
    /// The sender of every email.
    pub mail_from: String,
    /// Overrides queue visibility timeouts (short in tests, so retries come quickly).
    pub visibility_timeout_secs: Option<u32>,
    /// Long-poll wait per receive, 1 to 20 seconds.
    pub poll_wait_secs: i32,
    /// Key for one-time codes, links and challenge answers.
    pub secret_key: domain::secrets::SecretKey,
    /// Base URL for links in emails; the host's own URL when `None`.
    pub public_url: Option<String>,
    /// The admin account to create when its login does not exist yet.
    pub admin: Option<operators::AdminSeed>,
    /// The ereg rules left to configuration (automatic confirmation, backdating).
    pub ereg: domain::stay::StayPolicy,
    /// The e-work state fee rules (amount per allocated quota, days to pay).
    pub ework: domain::ework::FeePolicy,
    /// The web portal's files (`web/`), served at `/`; `None` serves the API alone.
    pub portal: Option<std::path::PathBuf>,
}

/// A running dev host. Dropping it stops its server and pollers.
pub struct DevHost {
    pub addr: SocketAddr,
    pub deps: Deps,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl DevHost {
    /// Provisions the resources, then starts the server and one poller per consumed queue.
    pub async fn start(config: Config) -> anyhow::Result<DevHost> {
        let sdk = adapters::deps::local_sdk_config(&config.endpoint).await;
        let plan = Plan {
            prefix: config.prefix.clone(),
            mail_from: config.mail_from.clone(),
            visibility_timeout_secs: config.visibility_timeout_secs,
        };
        let resources = provision(&sdk, &plan)
            .await
            .with_context(|| format!("provisioning resources on {}", config.endpoint))?;
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("binding {}", config.bind))?;
        let addr = listener.local_addr()?;
        let settings = adapters::deps::Settings {
            public_url: config
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{addr}")),
            ereg: config.ereg,
            ework: config.ework.clone(),
            permits: adapters::deps::permit_policy(|name| std::env::var(name).ok()),
            nomads: adapters::deps::nomad_policy(|name| std::env::var(name).ok()),
            // The other two secrets derive from the key, so a local stack needs only it;
            // the local processor and the webhook share the first.
            secrets: adapters::secrets::Secrets::all(
                config.secret_key.clone(),
                config
                    .secret_key
                    .digest("payment-webhook", "local-processor")
                    .into_bytes(),
                config.secret_key.seed("print-signing", "local"),
            ),
        };
        let deps = Deps::new(&sdk, resources, settings);
        if let Some(seed) = &config.admin {
            operators::seed_admin(&deps.accounts(), seed)
                .await
                .context("seeding the admin account")?;
        }

        let (shutdown, signal) = watch::channel(false);
        let mut tasks = Vec::new();
        let app = http::app(&deps, &config.endpoint, config.portal.clone());
        let mut server_signal = signal.clone();
        tasks.push(tokio::spawn(async move {
            let stop = async move {
                let _ = server_signal.wait_for(|stop| *stop).await;
            };
            let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
            if let Err(err) = axum::serve(listener, app)
                .with_graceful_shutdown(stop)
                .await
            {
                tracing::error!(error = %err, "HTTP server stopped");
            }
        }));

        for spec in FUNCTIONS {
            match (spec.start, spec.trigger) {
                (Start::Consumer(consumer), Trigger::Sqs(queue) | Trigger::S3(queue)) => {
                    let source = poller::Source::new(&deps, queue, config.poll_wait_secs).await?;
                    tasks.push(tokio::spawn(poller::run(
                        spec,
                        source,
                        consumer(&deps),
                        signal.clone(),
                    )));
                }
                (
                    Start::Job(job),
                    Trigger::Schedule {
                        local_every_secs, ..
                    },
                ) => {
                    tasks.push(tokio::spawn(schedule(
                        spec.name,
                        job(&deps),
                        Duration::from_secs(local_every_secs),
                        signal.clone(),
                    )));
                }
                // Routes and the authorizer are served by the HTTP side.
                _ => {}
            }
        }

        Ok(DevHost {
            addr,
            deps,
            shutdown,
            tasks,
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn queue_url(&self, queue: Queue) -> &str {
        self.deps.resources.queue_url(queue)
    }

    /// Stops polling and serving, letting in-flight invocations finish.
    pub async fn stop(mut self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
    }
}

impl Drop for DevHost {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Runs a scheduled job at start and then every `every`, until `stop` turns true.
async fn schedule(
    function: &'static str,
    job: Job,
    every: Duration,
    mut stop: watch::Receiver<bool>,
) {
    let mut ticks = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stop.wait_for(|stop| *stop) => return,
        }
        let started = std::time::Instant::now();
        let outcome = match job().await {
            Ok(()) => "ok",
            Err(err) => {
                tracing::error!(function, error = format!("{err:#}"), "scheduled run failed");
                "error"
            }
        };
        tracing::info!(
            target: "invocation",
            function,
            trigger = "schedule",
            duration_ms = started.elapsed().as_secs_f64() * 1000.0,
            outcome,
            "invocation"
        );
    }
}

/// Latency figures of a benchmark: `p50 …, p99 …, max … over N <unit>`.
pub fn percentiles(mut times: Vec<Duration>, unit: &str) -> String {
    times.sort();
    let at =
        |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1000.0;
    format!(
        "p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms over {} {unit}",
        at(0.5),
        at(0.99),
        at(1.0),
        times.len()
    )
}
