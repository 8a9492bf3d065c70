//! The `applications` function: e-work applications as their applicants make them. An
//! employer checks and submits a quota application, searches a foreigner and checks
//! and submits their work-permit application; a Digital Nomad checks and submits their
//! status application; a foreign entrepreneur checks availability and submits their
//! own permit application; every e-work applicant reads and
//! filters their archive, adds documents to an application in clarification and sends
//! it back, and reads the ministry's messages. Another account's application or message
//! answers `404` like a missing one.

mod archive;
mod entrepreneur;
mod messages;
mod nomad;
mod permit;
mod quota;

use std::sync::Arc;

use adapters::Deps;
use axum::Router;
use domain::ework::Actor;
use domain::session::Principal;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[];

pub struct App {
    accounts: adapters::accounts::DynamoAccounts,
    applications: adapters::ework::DynamoApplications,
    lifecycle: adapters::ework::ApplicationLifecycle,
    permits: adapters::ework::WorkPermits,
    rate_limit: adapters::rate_limit::DynamoRateLimit,
}

impl App {
    pub fn from_deps(deps: &Deps) -> Arc<App> {
        Arc::new(App {
            accounts: deps.accounts(),
            applications: deps.applications(),
            lifecycle: deps.application_lifecycle(),
            permits: deps.work_permits(),
            rate_limit: deps.rate_limit(),
        })
    }
}

/// The routes, with their OpenAPI description.
pub fn router(deps: &Deps) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(quota::check_quota_application))
        .routes(routes!(quota::submit_quota_application))
        .routes(routes!(permit::search_foreigner))
        .routes(routes!(permit::check_permit_application))
        .routes(routes!(permit::submit_permit_application))
        .routes(routes!(permit::ask_extension))
        .routes(routes!(entrepreneur::check_availability))
        .routes(routes!(entrepreneur::check_entrepreneur_application))
        .routes(routes!(entrepreneur::submit_entrepreneur_application))
        .routes(routes!(nomad::check_nomad_application))
        .routes(routes!(nomad::submit_nomad_application))
        .routes(routes!(archive::application_archive))
        .routes(routes!(archive::read_application))
        .routes(routes!(archive::add_application_document))
        .routes(routes!(archive::resubmit_application))
        .routes(routes!(messages::list_messages))
        .routes(routes!(messages::mark_message_read))
        .with_state(App::from_deps(deps))
}

/// The whole function as Lambda runs it.
pub fn app(deps: &Deps) -> Router {
    let (router, _) = router(deps).split_for_parts();
    http_edge::lambda_app(router)
}

/// The applicant as the audit trail names them.
fn actor(principal: &Principal) -> Actor {
    Actor::Account {
        id: principal.account_id.clone(),
        role: principal.kind.as_str().to_owned(),
    }
}
