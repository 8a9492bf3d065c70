//! Operators decide the change requests of their authority's accounts.

use std::sync::Arc;

use adapters::StoreError;
use adapters::accounts::AccountSummary;
use adapters::change_requests::{ChangeRequestRecord, ChangeStatus, NotDecided};
use anyhow::Context;
use axum::Json;
use axum::extract::{Path, State};
use domain::notification::{Recipient, Template};
use domain::{Code, DomainError};
use http_edge::{ApiError, JsonBody};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::staff::{Refusal, reason};
use crate::{App, Operator, account_of_authority};

/// A change request as an operator sees it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChangeRequestView {
    pub request_id: String,
    pub account_id: String,
    pub status: ChangeStatus,
    /// The fields as the holder sent them.
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl From<&ChangeRequestRecord> for ChangeRequestView {
    fn from(r: &ChangeRequestRecord) -> Self {
        ChangeRequestView {
            request_id: r.request_id.clone(),
            account_id: r.account_id.to_string(),
            status: r.status,
            changes: serde_json::Value::Object(r.changes.clone()),
            created_at: r.created_at.clone(),
            reason: r.decision.as_ref().and_then(|d| d.reason.clone()),
        }
    }
}

/// Change requests waiting for the operator's authority, oldest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WaitingChanges {
    pub requests: Vec<ChangeRequestView>,
}

/// Lists the change requests waiting for the operator's authority, oldest first.
#[utoipa::path(get, path = "/v1/operator/change-requests", tag = "operators", security(("session" = [])),
    responses(
        (status = 200, description = "Waiting requests", body = WaitingChanges),
        (status = 403, description = "`operator_only`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn waiting(
    State(app): State<Arc<App>>,
    operator: Operator,
) -> Result<Json<WaitingChanges>, ApiError> {
    let requests = app.changes.waiting(operator.authority).await?;
    Ok(Json(WaitingChanges {
        requests: requests.iter().map(ChangeRequestView::from).collect(),
    }))
}

/// A change request with the account's data now and as it would become.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChangeRequestFile {
    #[serde(flatten)]
    pub request: ChangeRequestView,
    pub account: AccountSummary,
    #[schema(value_type = Object)]
    pub current: serde_json::Value,
    #[schema(value_type = Object)]
    pub proposed: serde_json::Value,
}

/// The request `raw_id` if its account belongs to the operator's authority; else 404.
async fn request_of_authority(
    app: &App,
    operator: &Operator,
    raw_id: &str,
) -> Result<(ChangeRequestRecord, adapters::accounts::AccountRecord), ApiError> {
    let not_found = || ApiError::from(DomainError::NotFound(Code::ChangeRequestNotFound));
    let id = ChangeRequestRecord::parse_id(raw_id).ok_or_else(not_found)?;
    let request = app
        .changes
        .get(id)
        .await?
        .filter(|r| r.portal == operator.authority)
        .ok_or_else(not_found)?;
    let account = account_of_authority(app, operator, request.account_id.as_ref())
        .await
        .map_err(|_| not_found())?;
    Ok((request, account))
}

/// Opens a change request: what changes, the data now and as they would become.
#[utoipa::path(get, path = "/v1/operator/change-requests/{request_id}", operation_id = "open_change_request", tag = "operators", security(("session" = [])),
    params(("request_id" = String, Path, description = "`chg_` and 32 hex digits")),
    responses(
        (status = 200, description = "The request", body = ChangeRequestFile),
        (status = 403, description = "`operator_only`", body = http_edge::ProblemBody),
        (status = 404, description = "`change_request_not_found`, also for another authority's", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn open(
    State(app): State<Arc<App>>,
    operator: Operator,
    Path(request_id): Path<String>,
) -> Result<Json<ChangeRequestFile>, ApiError> {
    let (request, account) = request_of_authority(&app, &operator, &request_id).await?;
    Ok(Json(ChangeRequestFile {
        request: ChangeRequestView::from(&request),
        account: AccountSummary::from(&account),
        current: serde_json::to_value(&account.profile).context("showing an account's profile")?,
        proposed: serde_json::to_value(&request.proposed).context("showing a proposed profile")?,
    }))
}

async fn decide(
    app: &App,
    operator: &Operator,
    request_id: &str,
    reason: Option<String>,
) -> Result<Json<ChangeRequestView>, ApiError> {
    let (request, account) = request_of_authority(app, operator, request_id).await?;
    let approved = reason.is_none();
    let decided = match app
        .changes
        .decide(
            &request,
            &operator.principal.account_id,
            approved,
            reason.clone(),
        )
        .await
    {
        Ok(decided) => decided,
        Err(StoreError::Conflict) => {
            let code = match app.changes.why_not_decided(&request.request_id).await? {
                NotDecided::AlreadyDecided => Code::AlreadyDecided,
                NotDecided::Stale => Code::ChangeRequestStale,
            };
            return Err(DomainError::Conflict(code).into());
        }
        Err(other) => return Err(other.into()),
    };
    let to = Recipient {
        email: Some(account.email.clone()),
        phone: None,
    };
    let template = Template::ChangeRequestDecided {
        approved,
        reason: reason.unwrap_or_default(),
    };
    app.notifications
        .notify(
            &format!("change-request-decided:{}", request.request_id),
            account.lang,
            to,
            template,
        )
        .await?;
    Ok(Json(ChangeRequestView::from(&decided)))
}

/// Approves a change request: the account's data become as requested; the holder is emailed.
#[utoipa::path(post, path = "/v1/operator/change-requests/{request_id}/approval", tag = "operators", security(("session" = [])),
    params(("request_id" = String, Path, description = "`chg_` and 32 hex digits")),
    responses(
        (status = 200, description = "Approved", body = ChangeRequestView),
        (status = 403, description = "`operator_only`", body = http_edge::ProblemBody),
        (status = 404, description = "`change_request_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`already_decided` or `change_request_stale`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn approve(
    State(app): State<Arc<App>>,
    operator: Operator,
    Path(request_id): Path<String>,
) -> Result<Json<ChangeRequestView>, ApiError> {
    decide(&app, &operator, &request_id, None).await
}

/// Refuses a change request with a reason; the holder is emailed and the data stay.
#[utoipa::path(post, path = "/v1/operator/change-requests/{request_id}/refusal", operation_id = "refuse_change_request", tag = "operators", request_body = Refusal, security(("session" = [])),
    params(("request_id" = String, Path, description = "`chg_` and 32 hex digits")),
    responses(
        (status = 200, description = "Refused", body = ChangeRequestView),
        (status = 403, description = "`operator_only`", body = http_edge::ProblemBody),
        (status = 404, description = "`change_request_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`already_decided`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `reason` required", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn refuse(
    State(app): State<Arc<App>>,
    operator: Operator,
    Path(request_id): Path<String>,
    JsonBody(request): JsonBody<Refusal>,
) -> Result<Json<ChangeRequestView>, ApiError> {
    let reason = reason(&request.reason)?;
    decide(&app, &operator, &request_id, Some(reason)).await
}
