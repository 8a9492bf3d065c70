//! The `submissions` function: what an ereg host does to register a foreigner at the
//! place of stay. The host adds housing that the property registry lists them as an
//! owner of, checks and submits registrations (the PIN confirms), reads and filters
//! their archive and cancels before confirmation. Anyone may ask the public status of a
//! registration, a few times a minute.

mod archive;
mod housing;
mod public;
mod stays;

use std::sync::Arc;

use adapters::Deps;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[];

pub struct App {
    accounts: adapters::accounts::DynamoAccounts,
    documents: adapters::documents::DynamoDocuments,
    registry: adapters::registry::DynamoRegistry,
    housing: adapters::housing::DynamoHousing,
    stays: adapters::stays::DynamoStays,
    registrations: adapters::stay_lifecycle::StayLifecycle,
    rate_limit: adapters::rate_limit::DynamoRateLimit,
    policy: domain::stay::StayPolicy,
}

impl App {
    pub fn from_deps(deps: &Deps) -> Arc<App> {
        Arc::new(App {
            accounts: deps.accounts(),
            documents: deps.documents(),
            registry: deps.registry(),
            housing: deps.housing(),
            stays: deps.stays(),
            registrations: deps.stay_lifecycle(),
            rate_limit: deps.rate_limit(),
            policy: deps.settings.ereg.clone(),
        })
    }
}

/// The routes, with their OpenAPI description.
pub fn router(deps: &Deps) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(housing::check))
        .routes(routes!(housing::add, housing::list))
        .routes(routes!(stays::check))
        .routes(routes!(stays::submit, archive::archive))
        .routes(routes!(stays::read))
        .routes(routes!(stays::cancel))
        .routes(routes!(public::status))
        .with_state(App::from_deps(deps))
}

/// The whole function as Lambda runs it.
pub fn app(deps: &Deps) -> Router {
    let (router, _) = router(deps).split_for_parts();
    http_edge::lambda_app(router)
}
