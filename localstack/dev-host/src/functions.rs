//! Every function of the system, what triggers it and how to build it. The deployment
//! template declares the same (a test checks), so this table is where a new function is
//! wired in locally: the HTTP side, the pollers and the schedules all read it.

use std::future::Future;
use std::sync::Arc;

use adapters::{Deps, Queue};
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use axum::Router;
use axum::middleware;
use futures::FutureExt;
use futures::future::BoxFuture;
use utoipa_axum::router::OpenApiRouter;

/// What invokes a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// HTTP API routes.
    Http,
    /// Messages on a queue.
    Sqs(Queue),
    /// S3 ObjectCreated events, which the bucket sends to this queue by key prefix.
    S3(Queue),
    /// API Gateway's authorizer, run before every HTTP route.
    Authorizer,
    /// An EventBridge schedule (`cron` as the template writes it); the dev host runs the
    /// function at start and then every `local_every_secs`.
    Schedule {
        cron: &'static str,
        local_every_secs: u64,
    },
}

impl Trigger {
    pub fn queue(self) -> Option<Queue> {
        match self {
            Trigger::Http | Trigger::Authorizer | Trigger::Schedule { .. } => None,
            Trigger::Sqs(queue) | Trigger::S3(queue) => Some(queue),
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Trigger::Http => "http",
            Trigger::Sqs(_) => "sqs",
            Trigger::S3(_) => "s3",
            Trigger::Authorizer => "authorizer",
            Trigger::Schedule { .. } => "schedule",
        }
    }
}

/// How the dev host builds a function, as the function's `main` would.
#[derive(Debug, Clone, Copy)]
pub enum Start {
    /// An HTTP function: its routes, with their OpenAPI description.
    Routes(fn(&Deps) -> OpenApiRouter),
    /// The consumer of a queue.
    Consumer(fn(&Deps) -> Consumer),
    /// One run of a scheduled function.
    Job(fn(&Deps) -> Job),
    /// The authorizer: what it puts in front of every HTTP function's routes.
    Guard(fn(Router, &Deps) -> Router),
}

/// One function: its name (as in `functions/<name>` and the template), its trigger and
/// how to build it. The constructors keep the two in step.
#[derive(Debug, Clone, Copy)]
pub struct FunctionSpec {
    pub name: &'static str,
    pub trigger: Trigger,
    pub start: Start,
}

impl FunctionSpec {
    const fn http(name: &'static str, routes: fn(&Deps) -> OpenApiRouter) -> Self {
        FunctionSpec {
            name,
            trigger: Trigger::Http,
            start: Start::Routes(routes),
        }
    }

    const fn sqs(name: &'static str, queue: Queue, consumer: fn(&Deps) -> Consumer) -> Self {
        FunctionSpec {
            name,
            trigger: Trigger::Sqs(queue),
            start: Start::Consumer(consumer),
        }
    }

    const fn s3(name: &'static str, queue: Queue, consumer: fn(&Deps) -> Consumer) -> Self {
        FunctionSpec {
            name,
            trigger: Trigger::S3(queue),
            start: Start::Consumer(consumer),
        }
    }

    const fn schedule(
        name: &'static str,
        cron: &'static str,
        local_every_secs: u64,
        job: fn(&Deps) -> Job,
    ) -> Self {
        FunctionSpec {
            name,
            trigger: Trigger::Schedule {
                cron,
                local_every_secs,
            },
            start: Start::Job(job),
        }
    }

    const fn authorizer(name: &'static str, guard: fn(Router, &Deps) -> Router) -> Self {
        FunctionSpec {
            name,
            trigger: Trigger::Authorizer,
            start: Start::Guard(guard),
        }
    }
}

/// The functions of the system: a new function is wired in here, and only here.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::authorizer("authorizer", |routes, deps| {
        let authorizer = authorizer::Authorizer::from_deps(deps);
        routes.layer(middleware::from_fn_with_state(
            authorizer,
            authorizer::middleware,
        ))
    }),
    FunctionSpec::http("sign-up", sign_up::router),
    FunctionSpec::http("sessions", sessions::router),
    FunctionSpec::http("operators", operators::router),
    FunctionSpec::http("uploads", uploads::router),
    FunctionSpec::http("submissions", submissions::router),
    FunctionSpec::http("review", review::router),
    FunctionSpec::http("applications", applications::router),
    FunctionSpec::http("labour-review", labour_review::router),
    // Five past midnight in Bishkek (GMT+6).
    FunctionSpec::schedule("stay-expiry", "cron(5 18 * * ? *)", 3600, |deps| {
        let expiry = stay_expiry::StayExpiry::from_deps(deps);
        job(expiry, |expiry| async move { expiry.run().await.map(drop) })
    }),
    // Ten past midnight in Bishkek (GMT+6).
    FunctionSpec::schedule("allocation-lapse", "cron(10 18 * * ? *)", 3600, |deps| {
        let lapse = allocation_lapse::AllocationLapse::from_deps(deps);
        job(lapse, |lapse| async move { lapse.run().await.map(drop) })
    }),
    FunctionSpec::schedule("draft-sweep", "cron(0/15 * * * ? *)", 300, |deps| {
        let sweep = draft_sweep::DraftSweep::from_deps(deps);
        job(sweep, |sweep| async move { sweep.run().await.map(drop) })
    }),
    FunctionSpec::http("printing", printing::router),
    FunctionSpec::http("payments", payments::router),
    FunctionSpec::http("payment-webhook", payment_webhook::router),
    FunctionSpec::sqs("payment-settle", Queue::Payments, |deps| {
        let settler = payment_settle::Settler::from_deps(deps);
        consumer(settler, |settler, event| async move {
            settler.handle(event).await
        })
    }),
    FunctionSpec::schedule("payment-reconcile", "cron(0/5 * * * ? *)", 60, |deps| {
        let reconciler = payment_reconcile::Reconciler::from_deps(deps);
        job(reconciler, |reconciler| async move {
            reconciler.run().await.map(drop)
        })
    }),
    FunctionSpec::sqs("notifications", Queue::Notifications, |deps| {
        let notifier = notifications::AwsNotifier::from_deps(deps);
        consumer(notifier, |notifier, event| async move {
            notifier.handle(event).await
        })
    }),
    FunctionSpec::s3("image-check", Queue::ImageCheck, |deps| {
        let inspector = image_check::Inspector::from_deps(deps);
        consumer(inspector, |inspector, event| async move {
            inspector.handle(event).await
        })
    }),
    FunctionSpec::s3("mrz-extract", Queue::MrzExtract, |deps| {
        let inspector = mrz_extract::Inspector::from_deps(deps);
        consumer(inspector, |inspector, event| async move {
            inspector.handle(event).await
        })
    }),
];

/// A consumer of one queue: takes an SQS batch, answers with the failed items.
pub type Consumer = Arc<dyn Fn(SqsEvent) -> BoxFuture<'static, SqsBatchResponse> + Send + Sync>;

/// A scheduled job: one run, as the function's handler does it.
pub type Job = Arc<dyn Fn() -> BoxFuture<'static, anyhow::Result<()>> + Send + Sync>;

/// The job that runs `run` on `function`, built once as its `main` builds it.
fn job<F, Fut>(function: F, run: fn(Arc<F>) -> Fut) -> Job
where
    F: Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    let function = Arc::new(function);
    Arc::new(move || run(function.clone()).boxed())
}

/// The consumer that hands each batch to `handle` on `function`, built once as its
/// `main` builds it.
fn consumer<F, Fut>(function: F, handle: fn(Arc<F>, SqsEvent) -> Fut) -> Consumer
where
    F: Send + Sync + 'static,
    Fut: Future<Output = SqsBatchResponse> + Send + 'static,
{
    let function = Arc::new(function);
    Arc::new(move |event| handle(function.clone(), event).boxed())
}

/// The secrets a function asks for at its cold start (its crate's `SECRETS`); the
/// template grants each function exactly these.
pub fn secrets_of(name: &str) -> &'static [adapters::secrets::Secret] {
    match name {
        "authorizer" => authorizer::SECRETS,
        "sign-up" => sign_up::SECRETS,
        "sessions" => sessions::SECRETS,
        "operators" => operators::SECRETS,
        "uploads" => uploads::SECRETS,
        "draft-sweep" => draft_sweep::SECRETS,
        "printing" => printing::SECRETS,
        "payment-webhook" => payment_webhook::SECRETS,
        "notifications" => notifications::SECRETS,
        "image-check" => image_check::SECRETS,
        "mrz-extract" => mrz_extract::SECRETS,
        "submissions" => submissions::SECRETS,
        "review" => review::SECRETS,
        "applications" => applications::SECRETS,
        "labour-review" => labour_review::SECRETS,
        "stay-expiry" => stay_expiry::SECRETS,
        "allocation-lapse" => allocation_lapse::SECRETS,
        "payments" => payments::SECRETS,
        "payment-settle" => payment_settle::SECRETS,
        "payment-reconcile" => payment_reconcile::SECRETS,
        _ => &[],
    }
}
