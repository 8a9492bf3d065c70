//! A labour operator's decisions on work permits and Digital Nomad statuses: approve (a
//! permit taking a place of its allocation), extend or refuse an extension the employer
//! asked for, and revoke.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::{Extension, Json};
use domain::account::sign_up::Profile;
use domain::account::values::parse_date;
use domain::clock::today_in_bishkek;
use domain::ework::{ApplicationView, GrantForm, Request};
use domain::{Code, DomainError, FieldError, Lang};
use http_edge::{ApiError, JsonBody, LabourOperator};
use serde::Deserialize;
use use_cases::ework::PermitDecision;
use utoipa::ToSchema;

use crate::{App, Note, actor};

/// Approves a submitted work-permit application: the permit is valid from today to
/// the day given (by default a year less a day, or the passport's last day if that
/// comes first), and takes one place of its quota allocation in the same write. A
/// Digital Nomad status is granted the same way, by default for the configured period. When
/// every place was taken by other permits first, the application is exhausted
/// («Разрешение исчерпано») and the answer is `allocation_exhausted`.
#[utoipa::path(post, path = "/v1/operator/applications/{number}/approve", tag = "ework-review", request_body = GrantForm, security(("session" = [])),
    params(("number" = String, Path, description = "`P-` and 8 digits")),
    responses(
        (status = 200, description = "Approved: the permit is valid", body = ApplicationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`application_not_awaiting_decision`; `decision_not_for_kind`: a quota application; `allocation_exhausted`: no place was left, the application is now exhausted", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `valid_until`: `invalid_permit_validity`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn approve_permit(
    State(app): State<Arc<App>>,
    operator: LabourOperator,
    Extension(lang): Extension<Lang>,
    Path(number): Path<String>,
    JsonBody(form): JsonBody<GrantForm>,
) -> Result<Json<ApplicationView>, ApiError> {
    let application = app
        .applications
        .get(&number)
        .await?
        .ok_or(DomainError::NotFound(Code::ApplicationNotFound))?;
    let today = today_in_bishkek();
    let grant = match &application.request {
        Request::Permit(request) => form.parse(request, today)?,
        Request::Nomad(request) => form.parse_nomad(request, &app.nomads, today)?,
        Request::Entrepreneur(request) => form.parse_entrepreneur(request, today)?,
        Request::Quota(_) => return Err(DomainError::Conflict(Code::DecisionNotForKind).into()),
    };
    permit_decided(&app, &number, &operator, PermitDecision::Grant(grant), lang).await
}

async fn permit_decided(
    app: &App,
    number: &str,
    operator: &LabourOperator,
    decision: PermitDecision,
    lang: Lang,
) -> Result<Json<ApplicationView>, ApiError> {
    let application = app
        .lifecycle
        .decide_permit(number, &actor(&operator.0), decision)
        .await?;
    // The foreigner a work permit is for hears of it at their registration's contacts.
    let employer = app.accounts.get(&application.owner).await?;
    let employer = match employer.as_ref().map(|a| &a.profile) {
        Some(Profile::Employer { legal_name, .. }) => legal_name.to_string(),
        _ => application.applicant_name.clone(),
    };
    app.permits.tell_holder(&application, &employer).await?;
    Ok(Json(ApplicationView::new(&application, lang)))
}

/// The operator's extension as sent.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ExtensionGrant {
    /// The new last day (`YYYY-MM-DD`), not past the day asked; by default that day.
    pub valid_until: Option<String>,
}

/// Extends a work permit whose employer asked for it: a new version with the new last
/// day; prints of the former version stop verifying as valid.
#[utoipa::path(post, path = "/v1/operator/applications/{number}/extend", tag = "ework-review", request_body = ExtensionGrant, security(("session" = [])),
    params(("number" = String, Path, description = "`P-` and 8 digits")),
    responses(
        (status = 200, description = "Extended", body = ApplicationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`extension_not_requested`; `invalid_extension`: not after the current last day or past the day asked", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `valid_until`: `invalid_date`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn extend_permit(
    State(app): State<Arc<App>>,
    operator: LabourOperator,
    Extension(lang): Extension<Lang>,
    Path(number): Path<String>,
    JsonBody(form): JsonBody<ExtensionGrant>,
) -> Result<Json<ApplicationView>, ApiError> {
    let until = match form.valid_until.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(
            parse_date(raw)
                .map_err(|code| DomainError::Invalid(vec![FieldError::new("valid_until", code)]))?,
        ),
    };
    permit_decided(
        &app,
        &number,
        &operator,
        PermitDecision::Extend(until),
        lang,
    )
    .await
}

/// Refuses the extension an employer asked for, for a reason they read; the permit
/// keeps its dates.
#[utoipa::path(post, path = "/v1/operator/applications/{number}/refuse-extension", tag = "ework-review", request_body = Note, security(("session" = [])),
    params(("number" = String, Path, description = "`P-` and 8 digits")),
    responses(
        (status = 200, description = "Refused; the permit stays as it was", body = ApplicationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`extension_not_requested`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `text` is required", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn refuse_extension(
    State(app): State<Arc<App>>,
    operator: LabourOperator,
    Extension(lang): Extension<Lang>,
    Path(number): Path<String>,
    JsonBody(note): JsonBody<Note>,
) -> Result<Json<ApplicationView>, ApiError> {
    let reason = note.parse()?;
    permit_decided(
        &app,
        &number,
        &operator,
        PermitDecision::RefuseExtension(reason),
        lang,
    )
    .await
}

/// Revokes a granted work permit for a reason the employer reads; it verifies as
/// revoked from now on, and the place it took stays taken.
#[utoipa::path(post, path = "/v1/operator/applications/{number}/revoke", tag = "ework-review", request_body = Note, security(("session" = [])),
    params(("number" = String, Path, description = "`P-` and 8 digits")),
    responses(
        (status = 200, description = "Revoked", body = ApplicationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`not_revocable`: not a granted permit", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `text` is required", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn revoke_permit(
    State(app): State<Arc<App>>,
    operator: LabourOperator,
    Extension(lang): Extension<Lang>,
    Path(number): Path<String>,
    JsonBody(note): JsonBody<Note>,
) -> Result<Json<ApplicationView>, ApiError> {
    let reason = note.parse()?;
    permit_decided(
        &app,
        &number,
        &operator,
        PermitDecision::Revoke(reason),
        lang,
    )
    .await
}
