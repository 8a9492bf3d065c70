//! The `sign-up` function: account sign-up (not to be confused with a stay
//! registration, which the `submissions` function handles). Anti-bot challenges,
//! self-registration of the five applicant types, the e-work email link and the ereg
//! activation code with its PIN.
//!
//! Answers never tell whether an email is registered: a second sign-up with the same
//! email answers exactly like the first and creates nothing; the mailbox owner
//! gets a fresh confirmation while unconfirmed, or "you already have an account".

mod activation;
mod challenges;
mod confirmation;
mod drafts;
mod email_link;
mod sign_up;

use std::sync::Arc;

use adapters::Deps;
use adapters::accounts::DynamoAccounts;
use adapters::challenges::DynamoChallenges;
use adapters::queue::SqsNotificationQueue;
use axum::Router;
use domain::secrets::SecretKey;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use confirmation::{
    CODE_DIGITS, CODE_MAX_ATTEMPTS, CODE_TTL_SECS, LINK_TTL_SECS, PIN_DIGITS, RESEND_AFTER_SECS,
};
pub use drafts::DRAFTS_PER_HOUR;
pub use sign_up::LAPSE_AFTER_SECS;

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[adapters::secrets::Secret::Key];

/// What the handlers share, built once per cold start.
pub struct App {
    accounts: DynamoAccounts,
    challenges: DynamoChallenges,
    drafts: adapters::drafts::DynamoDrafts,
    documents: adapters::documents::DynamoDocuments,
    rate_limit: adapters::rate_limit::DynamoRateLimit,
    notifications: SqsNotificationQueue,
    key: SecretKey,
    public_url: String,
}

impl App {
    pub fn from_deps(deps: &Deps) -> Arc<App> {
        Arc::new(App {
            accounts: deps.accounts(),
            challenges: deps.challenges(),
            drafts: deps.drafts(),
            documents: deps.documents(),
            rate_limit: deps.rate_limit(),
            notifications: deps.notification_queue(),
            key: deps.settings.secrets.key().clone(),
            public_url: deps.settings.public_url.clone(),
        })
    }
}

/// The routes, with their OpenAPI description.
pub fn router(deps: &Deps) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(challenges::create_challenge))
        .routes(routes!(drafts::create_draft))
        .routes(routes!(sign_up::register))
        .routes(routes!(email_link::confirm_email))
        .routes(routes!(activation::activate))
        .routes(routes!(activation::resend_code))
        .with_state(App::from_deps(deps))
}

/// The whole function as Lambda runs it: the routes behind the shared edge.
pub fn app(deps: &Deps) -> Router {
    let (router, _) = router(deps).split_for_parts();
    http_edge::lambda_app(router)
}
