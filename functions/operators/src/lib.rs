//! The `operators` function: what the state's staff do with accounts.
//!
//! - Admins create operators of either authority.
//! - Labour operators list the e-work accounts waiting for activation, open one with its
//!   documents, and activate or refuse it with a reason; the applicant is emailed.
//! - Registration operators create legal-entity hosts from the entity's letter.
//! - Operators decide the change requests of their authority's accounts.
//!
//! An operator sees only accounts of their own authority; another authority's account
//! answers `404 account_not_found`, as a missing one does.

mod change_requests;
mod staff;

use std::sync::Arc;

use adapters::Deps;
use adapters::accounts::{AccountRecord, AccountSummary, DynamoAccounts};
use adapters::change_requests::DynamoChangeRequests;
use adapters::queue::SqsNotificationQueue;
use adapters::sessions::DynamoSessions;
use anyhow::Context;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use domain::account::{AccountId, Portal};
use domain::secrets::SecretKey;
use domain::session::Principal;
use domain::{Code, DomainError};
use http_edge::{ApiError, Authenticated};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use staff::{AdminSeed, seed_admin, seed_admin_from_env};

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[adapters::secrets::Secret::Key];

pub struct App {
    documents: adapters::documents::DynamoDocuments,
    accounts: DynamoAccounts,
    sessions: DynamoSessions,
    changes: DynamoChangeRequests,
    notifications: SqsNotificationQueue,
    key: SecretKey,
    public_url: String,
}

impl App {
    pub fn from_deps(deps: &Deps) -> Arc<App> {
        Arc::new(App {
            documents: deps.documents(),
            accounts: deps.accounts(),
            sessions: deps.sessions(),
            changes: deps.change_requests(),
            notifications: deps.notification_queue(),
            key: deps.settings.secrets.key().clone(),
            public_url: deps.settings.public_url.clone(),
        })
    }
}

/// The routes, with their OpenAPI description.
pub fn router(deps: &Deps) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(staff::create_operator, staff::list_operators))
        .routes(routes!(staff::waiting_accounts))
        .routes(routes!(staff::open_account))
        .routes(routes!(staff::activate))
        .routes(routes!(staff::refuse))
        .routes(routes!(staff::create_legal_entity_host))
        .routes(routes!(change_requests::waiting))
        .routes(routes!(change_requests::open))
        .routes(routes!(change_requests::approve))
        .routes(routes!(change_requests::refuse))
        .with_state(App::from_deps(deps))
}

/// The whole function as Lambda runs it.
pub fn app(deps: &Deps) -> Router {
    let (router, _) = router(deps).split_for_parts();
    http_edge::lambda_app(router)
}

/// A signed-in operator and the authority they act for; anyone else: 403 `operator_only`.
pub struct Operator {
    pub principal: Principal,
    pub authority: Portal,
}

impl<S: Send + Sync> FromRequestParts<S> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Authenticated(principal) = Authenticated::from_request_parts(parts, state).await?;
        match principal.role.authority() {
            Some(authority) => Ok(Operator {
                principal,
                authority,
            }),
            None => Err(DomainError::Forbidden(Code::OperatorOnly).into()),
        }
    }
}

pub use http_edge::Admin;

/// The applicant account `raw_id` if it belongs to the operator's authority; otherwise
/// 404, so that ids of the other authority reveal nothing.
async fn account_of_authority(
    app: &App,
    operator: &Operator,
    raw_id: &str,
) -> Result<AccountRecord, ApiError> {
    let not_found = || ApiError::from(DomainError::NotFound(Code::AccountNotFound));
    let id = AccountId::parse(raw_id).ok_or_else(not_found)?;
    let account = app.accounts.get(&id).await?.ok_or_else(not_found)?;
    if account.kind.is_applicant() && account.kind.portal() == Some(operator.authority) {
        Ok(account)
    } else {
        Err(not_found())
    }
}

/// An account with everything an operator needs to decide on it.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AccountFile {
    #[serde(flatten)]
    pub summary: AccountSummary,
    /// Every field the applicant registered with, documents by upload id.
    #[schema(value_type = Object)]
    pub profile: serde_json::Value,
    /// The operator's decision, once made.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub decision: Option<serde_json::Value>,
}

impl AccountFile {
    fn of(account: &AccountRecord) -> Result<Self, ApiError> {
        Ok(AccountFile {
            summary: AccountSummary::from(account),
            profile: serde_json::to_value(&account.profile)
                .context("showing an account's profile")?,
            decision: account
                .decision
                .as_ref()
                .map(serde_json::to_value)
                .transpose()
                .context("showing an operator's decision")?,
        })
    }
}
