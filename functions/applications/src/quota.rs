//! The employer's quota application: "check" without saving, then submit.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use domain::account::AccountId;
use domain::account::sign_up::Profile;
use domain::clock::today_in_bishkek;
use domain::ework::quota::NamedDocuments;
use domain::ework::{ApplicationView, Attachment, QuotaForm, QuotaRequest, Request};
use domain::{Code, DomainError, Lang};
use http_edge::{ApiError, Employer, JsonBody};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{App, actor};

/// A form that holds, as it would be submitted.
#[derive(Debug, Serialize, ToSchema)]
pub struct Checked {
    pub total: u32,
    /// Local staff per requested foreign worker (`"2.50"`), computed.
    pub local_to_foreign_ratio: String,
}

/// The typed request and its attachments, or every field error at once.
async fn validate(
    app: &App,
    owner: &AccountId,
    form: &QuotaForm,
) -> Result<(QuotaRequest, Vec<Attachment>), ApiError> {
    let (request, NamedDocuments(named)) = form.parse(today_in_bishkek())?;
    let attachments = app.lifecycle.attachments(owner, &named).await?;
    Ok((request, attachments))
}

/// Checks a quota application without saving it: every field error at once, and the
/// computed local-to-foreign ratio when it holds.
#[utoipa::path(post, path = "/v1/quota-applications/check", tag = "ework", request_body = QuotaForm, security(("session" = [])),
    responses(
        (status = 200, description = "The form holds", body = Checked),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: employers only", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: every broken field, e.g. `total`: `quota_total_mismatch`, `staff_list`: `document_not_usable`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn check_quota_application(
    State(app): State<Arc<App>>,
    employer: Employer,
    JsonBody(form): JsonBody<QuotaForm>,
) -> Result<Json<Checked>, ApiError> {
    let (request, _) = validate(&app, &employer.0.account_id, &form).await?;
    Ok(Json(Checked {
        total: request.total,
        local_to_foreign_ratio: request.local_to_foreign_ratio(),
    }))
}

/// Submits a quota application: the same checks, then it is saved under a new `Q-`
/// number, waiting for a labour operator; the documents it names can no longer be
/// replaced or deleted.
#[utoipa::path(post, path = "/v1/quota-applications", tag = "ework", request_body = QuotaForm, security(("session" = [])),
    responses(
        (status = 201, description = "Submitted", body = ApplicationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: employers only", body = http_edge::ProblemBody),
        (status = 409, description = "`document_not_usable`: a document changed meanwhile", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: as for the check", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn submit_quota_application(
    State(app): State<Arc<App>>,
    employer: Employer,
    Extension(lang): Extension<Lang>,
    JsonBody(form): JsonBody<QuotaForm>,
) -> Result<(StatusCode, Json<ApplicationView>), ApiError> {
    let owner = &employer.0.account_id;
    let (request, attachments) = validate(&app, owner, &form).await?;
    let account = app
        .accounts
        .get(owner)
        .await?
        .ok_or(DomainError::Unauthenticated(Code::Unauthenticated))?;
    let name = match &account.profile {
        Profile::Employer { legal_name, .. } => legal_name.to_string(),
        other => other.display_name(),
    };
    let application = app
        .lifecycle
        .submit(
            &actor(&employer.0),
            owner,
            name,
            Request::Quota(request),
            attachments,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ApplicationView::new(&application, lang)),
    ))
}
