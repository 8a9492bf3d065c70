//! Every function of the system and what triggers it. The deployment template declares
//! the same (a test checks), so this list is where a new function is wired in locally.

use std::sync::Arc;

use adapters::{Deps, Queue};
use futures::FutureExt;

use crate::Consumer;

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

/// One function: its name (as in `functions/<name>` and the template) and its trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionSpec {
    pub name: &'static str,
    pub trigger: Trigger,
}

/// The functions of the system.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec {
        name: "authorizer",
        trigger: Trigger::Authorizer,
    },
    FunctionSpec {
        name: "registration",
        trigger: Trigger::Http,
    },
    FunctionSpec {
        name: "sessions",
        trigger: Trigger::Http,
    },
    FunctionSpec {
        name: "operators",
        trigger: Trigger::Http,
    },
    FunctionSpec {
        name: "uploads",
        trigger: Trigger::Http,
    },
    FunctionSpec {
        name: "submissions",
        trigger: Trigger::Http,
    },
    FunctionSpec {
        name: "review",
        trigger: Trigger::Http,
    },
    FunctionSpec {
        name: "stay-expiry",
        // Five past midnight in Bishkek (GMT+6).
        trigger: Trigger::Schedule {
            cron: "cron(5 18 * * ? *)",
            local_every_secs: 3600,
        },
    },
    FunctionSpec {
        name: "draft-sweep",
        trigger: Trigger::Schedule {
            cron: "cron(0/15 * * * ? *)",
            local_every_secs: 300,
        },
    },
    FunctionSpec {
        name: "printing",
        trigger: Trigger::Http,
    },
    FunctionSpec {
        name: "payments",
        trigger: Trigger::Http,
    },
    FunctionSpec {
        name: "payment-webhook",
        trigger: Trigger::Http,
    },
    FunctionSpec {
        name: "payment-settle",
        trigger: Trigger::Sqs(Queue::Payments),
    },
    FunctionSpec {
        name: "payment-reconcile",
        trigger: Trigger::Schedule {
            cron: "cron(0/5 * * * ? *)",
            local_every_secs: 60,
        },
    },
    FunctionSpec {
        name: "notifications",
        trigger: Trigger::Sqs(Queue::Notifications),
    },
    FunctionSpec {
        name: "image-check",
        trigger: Trigger::S3(Queue::ImageCheck),
    },
    FunctionSpec {
        name: "mrz-extract",
        trigger: Trigger::S3(Queue::MrzExtract),
    },
];

/// A scheduled job: one run, as the function's handler does it.
pub(crate) type Job =
    Arc<dyn Fn() -> futures::future::BoxFuture<'static, anyhow::Result<()>> + Send + Sync>;

/// Builds the job of a scheduled function, as its `main` would.
pub(crate) fn job(name: &str, deps: &Deps) -> Option<Job> {
    match name {
        "payment-reconcile" => {
            let reconciler = Arc::new(payment_reconcile::Reconciler::from_deps(deps));
            Some(Arc::new(move || {
                let reconciler = reconciler.clone();
                async move { reconciler.run().await.map(|_| ()) }.boxed()
            }))
        }
        "stay-expiry" => {
            let expiry = Arc::new(stay_expiry::StayExpiry::from_deps(deps));
            Some(Arc::new(move || {
                let expiry = expiry.clone();
                async move { expiry.run().await.map(|_| ()) }.boxed()
            }))
        }
        "draft-sweep" => {
            let sweep = Arc::new(draft_sweep::DraftSweep::from_deps(deps));
            Some(Arc::new(move || {
                let sweep = sweep.clone();
                async move { sweep.run().await.map(|_| ()) }.boxed()
            }))
        }
        _ => None,
    }
}

/// Builds the consumer of a queue-triggered function, as its `main` would.
pub(crate) fn consumer(name: &str, deps: &Deps) -> Option<Consumer> {
    match name {
        "notifications" => {
            let notifier = Arc::new(notifications::AwsNotifier::from_deps(deps));
            Some(Arc::new(move |event| {
                let notifier = notifier.clone();
                async move { notifier.handle(event).await }.boxed()
            }))
        }
        "payment-settle" => {
            let settler = Arc::new(payment_settle::Settler::from_deps(deps));
            Some(Arc::new(move |event| {
                let settler = settler.clone();
                async move { settler.handle(event).await }.boxed()
            }))
        }
        "image-check" => {
            let inspector = Arc::new(image_check::Inspector::from_deps(deps));
            Some(Arc::new(move |event| {
                let inspector = inspector.clone();
                async move { inspector.handle(event).await }.boxed()
            }))
        }
        "mrz-extract" => {
            let inspector = Arc::new(mrz_extract::Inspector::from_deps(deps));
            Some(Arc::new(move |event| {
                let inspector = inspector.clone();
                async move { inspector.handle(event).await }.boxed()
            }))
        }
        _ => None,
    }
}
