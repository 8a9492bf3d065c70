//! The `labour-review` function: labour operators work the e-work applications. A queue
//! per kind and status, oldest status change first; one application with its documents
//! (links valid five minutes), the applicant's account data and the audit trail; and
//! the decisions: ask for clarification (saying what is needed), confirm a quota with
//! the commission's allocation, approve a work permit with its validity (taking a
//! place of its allocation), reject with a reason, annul a confirmed one with a reason,
//! or write to the applicant. Decisions are conditional: two operators deciding at once
//! cannot both win. Applicants get `403 operator_only`, other staff `403
//! not_for_account_type`.

mod permits;

use std::sync::Arc;
use std::time::Duration;

use adapters::Deps;
use adapters::audit::AuditEntry;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json, Router};
use domain::account::values::Text;
use domain::clock::today_in_bishkek;
use domain::ework::quota::AllocationForm;
use domain::ework::{Actor, ApplicationView, Kind, MESSAGE_MAX, Request, Status};
use domain::session::Principal;
use domain::{Code, DomainError, FieldError, Lang};
use http_edge::{ApiError, JsonBody, LabourOperator};
use serde::{Deserialize, Serialize};
use use_cases::ework::Decision;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[];

/// A document link is valid this long.
pub const LINK_VALID_SECS: u64 = 5 * 60;
/// At most this many applications in one view of a queue.
pub const QUEUE_PAGE: i32 = 100;

pub struct App {
    accounts: adapters::accounts::DynamoAccounts,
    documents: adapters::documents::DynamoDocuments,
    applications: adapters::ework::DynamoApplications,
    lifecycle: adapters::ework::ApplicationLifecycle,
    bucket: adapters::bucket::S3UploadsBucket,
    nomads: domain::ework::nomad::NomadPolicy,
    permits: adapters::ework::WorkPermits,
}

impl App {
    pub fn from_deps(deps: &Deps) -> Arc<App> {
        Arc::new(App {
            accounts: deps.accounts(),
            documents: deps.documents(),
            applications: deps.applications(),
            lifecycle: deps.application_lifecycle(),
            bucket: deps.uploads_bucket(),
            nomads: deps.settings.nomads.clone(),
            permits: deps.work_permits(),
        })
    }
}

/// The routes, with their OpenAPI description.
pub fn router(deps: &Deps) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(application_queue))
        .routes(routes!(open_application))
        .routes(routes!(ask_clarification))
        .routes(routes!(confirm_application))
        .routes(routes!(permits::approve_permit))
        .routes(routes!(permits::extend_permit))
        .routes(routes!(permits::refuse_extension))
        .routes(routes!(permits::revoke_permit))
        .routes(routes!(reject_application))
        .routes(routes!(annul_application))
        .routes(routes!(write_to_applicant))
        .with_state(App::from_deps(deps))
}

/// The whole function as Lambda runs it.
pub fn app(deps: &Deps) -> Router {
    let (router, _) = router(deps).split_for_parts();
    http_edge::lambda_app(router)
}

pub(crate) fn actor(principal: &Principal) -> Actor {
    Actor::Account {
        id: principal.account_id.clone(),
        role: "labour_operator".to_owned(),
    }
}

/// Which queue to show.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `quota` (the default), `permit` or `nomad`.
    pub kind: Option<String>,
    /// `submitted` (the default), `in_clarification`, `confirmed`, `rejected`,
    /// `annulled`, `exhausted`, `extension_requested` or `revoked`.
    pub status: Option<String>,
}

/// An application in a queue.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ApplicationQueueItem)]
pub struct QueueItem {
    pub number: String,
    pub kind: Kind,
    pub status: Status,
    /// Since when it is in this status (RFC 3339, UTC).
    pub status_at: String,
    pub applicant: String,
    pub requested: u32,
}

/// The applications of one kind in one status, oldest status change first.
#[utoipa::path(get, path = "/v1/operator/applications", tag = "ework-review", params(QueueQuery), security(("session" = [])),
    responses(
        (status = 200, description = "The queue, at most 100", body = [QueueItem]),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: an unknown kind or status", body = http_edge::ProblemBody),
    ))]
async fn application_queue(
    State(app): State<Arc<App>>,
    _operator: LabourOperator,
    Query(query): Query<QueueQuery>,
) -> Result<Json<Vec<QueueItem>>, ApiError> {
    let mut errors = Vec::new();
    let kind = match query.kind.as_deref() {
        None => Some(Kind::Quota),
        Some(raw) => Kind::parse(raw),
    };
    let status = match query.status.as_deref() {
        None => Some(Status::Submitted),
        Some(raw) => Status::parse(raw),
    };
    if kind.is_none() {
        errors.push(FieldError::new("kind", Code::InvalidFields));
    }
    if status.is_none() {
        errors.push(FieldError::new("status", Code::InvalidFields));
    }
    DomainError::unless_valid(errors)?;
    let (Some(kind), Some(status)) = (kind, status) else {
        unreachable!("both parsed")
    };
    let items = app.applications.queue(kind, status, QUEUE_PAGE).await?;
    Ok(Json(
        items
            .into_iter()
            .map(|a| QueueItem {
                requested: a.requested(),
                kind: a.kind(),
                number: a.number,
                status: a.status,
                status_at: a.status_at,
                applicant: a.applicant_name,
            })
            .collect(),
    ))
}

/// The applicant as the operator sees them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicantView {
    pub account_id: String,
    pub kind: String,
    pub name: String,
    pub email: String,
    pub phone: String,
}

/// A document of the application, with a link valid five minutes.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ApplicationDocument)]
pub struct DocumentView {
    pub slot: String,
    pub upload_id: String,
    pub kind: String,
    pub content_type: String,
    pub link: String,
}

/// One application and what to decide it by.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ApplicationReview)]
pub struct Review {
    pub application: ApplicationView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applicant: Option<ApplicantView>,
    pub documents: Vec<DocumentView>,
    /// Every change, oldest first.
    pub audit: Vec<AuditEntry>,
}

/// One application with its documents, the applicant's data and its history.
#[utoipa::path(get, path = "/v1/operator/applications/{number}", tag = "ework-review", security(("session" = [])),
    params(("number" = String, Path, description = "`Q-` and 8 digits")),
    responses(
        (status = 200, description = "The application and what to decide it by", body = Review),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`", body = http_edge::ProblemBody),
    ))]
async fn open_application(
    State(app): State<Arc<App>>,
    _operator: LabourOperator,
    Extension(lang): Extension<Lang>,
    Path(number): Path<String>,
) -> Result<Json<Review>, ApiError> {
    let application = app
        .applications
        .get(&number)
        .await?
        .ok_or(DomainError::NotFound(Code::ApplicationNotFound))?;
    let (applicant, audit) = tokio::try_join!(
        app.accounts.get(&application.owner),
        app.applications.audit_of(&number),
    )?;
    let mut documents = Vec::new();
    for attachment in &application.attachments {
        let Some(record) = app.documents.get(&attachment.upload_id).await? else {
            continue;
        };
        let link = app
            .bucket
            .download_link(&record.key, Duration::from_secs(LINK_VALID_SECS))
            .await?;
        documents.push(DocumentView {
            slot: attachment.slot.clone(),
            upload_id: record.upload_id,
            kind: record.kind.as_str().to_owned(),
            content_type: record.content_type,
            link,
        });
    }
    Ok(Json(Review {
        application: ApplicationView::new(&application, lang),
        applicant: applicant.map(|a| ApplicantView {
            account_id: a.account_id.to_string(),
            kind: a.kind.as_str().to_owned(),
            name: a.profile.display_name(),
            email: a.email.to_string(),
            phone: a.phone.to_string(),
        }),
        documents,
        audit,
    }))
}

/// Free text an operator writes: what is needed, a reason, a message.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Note {
    /// Up to 2,000 characters.
    pub text: Option<String>,
}

impl Note {
    pub(crate) fn parse(&self) -> Result<String, DomainError> {
        Text::parse(self.text.as_deref().unwrap_or(""), MESSAGE_MAX)
            .map(|t| t.to_string())
            .map_err(|code| DomainError::Invalid(vec![FieldError::new("text", code)]))
    }
}

pub(crate) async fn decided(
    app: &App,
    number: &str,
    operator: &LabourOperator,
    decision: Decision,
    lang: Lang,
) -> Result<Json<ApplicationView>, ApiError> {
    let application = app
        .lifecycle
        .decide(number, &actor(&operator.0), decision)
        .await?;
    Ok(Json(ApplicationView::new(&application, lang)))
}

/// Sends a submitted application back to the applicant, saying what is needed; the
/// applicant reads it in their messages and by email learns that one waits.
#[utoipa::path(post, path = "/v1/operator/applications/{number}/clarification", tag = "ework-review", request_body = Note, security(("session" = [])),
    params(("number" = String, Path, description = "`Q-` and 8 digits")),
    responses(
        (status = 200, description = "In clarification with the applicant", body = ApplicationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`application_not_awaiting_decision`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `text` is required, up to 2,000 characters", body = http_edge::ProblemBody),
    ))]
async fn ask_clarification(
    State(app): State<Arc<App>>,
    operator: LabourOperator,
    Extension(lang): Extension<Lang>,
    Path(number): Path<String>,
    JsonBody(note): JsonBody<Note>,
) -> Result<Json<ApplicationView>, ApiError> {
    let text = note.parse()?;
    decided(
        &app,
        &number,
        &operator,
        Decision::AskClarification(text),
        lang,
    )
    .await
}

/// Confirms a submitted quota application with the commission's allocation: one count
/// per requested row (less than asked, zero included, never more), the protocol's
/// number and the decision's date.
#[utoipa::path(post, path = "/v1/operator/applications/{number}/confirm", tag = "ework-review", request_body = AllocationForm, security(("session" = [])),
    params(("number" = String, Path, description = "`Q-` and 8 digits")),
    responses(
        (status = 200, description = "Confirmed", body = ApplicationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`application_not_awaiting_decision`; `decision_not_for_kind`: not a quota application", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `allocated`: `allocation_rows_mismatch`, `allocated[i]`: `allocation_exceeds_request`, `decision_date`: `date_in_future`", body = http_edge::ProblemBody),
    ))]
async fn confirm_application(
    State(app): State<Arc<App>>,
    operator: LabourOperator,
    Extension(lang): Extension<Lang>,
    Path(number): Path<String>,
    JsonBody(form): JsonBody<AllocationForm>,
) -> Result<Json<ApplicationView>, ApiError> {
    let application = app
        .applications
        .get(&number)
        .await?
        .ok_or(DomainError::NotFound(Code::ApplicationNotFound))?;
    let Request::Quota(request) = &application.request else {
        return Err(DomainError::Conflict(Code::DecisionNotForKind).into());
    };
    let allocation = form.parse(request, today_in_bishkek())?;
    decided(
        &app,
        &number,
        &operator,
        Decision::Confirm(allocation),
        lang,
    )
    .await
}

/// Rejects a submitted application for a reason the applicant reads.
#[utoipa::path(post, path = "/v1/operator/applications/{number}/reject", tag = "ework-review", request_body = Note, security(("session" = [])),
    params(("number" = String, Path, description = "`Q-` and 8 digits")),
    responses(
        (status = 200, description = "Rejected", body = ApplicationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`application_not_awaiting_decision`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `text` is required", body = http_edge::ProblemBody),
    ))]
async fn reject_application(
    State(app): State<Arc<App>>,
    operator: LabourOperator,
    Extension(lang): Extension<Lang>,
    Path(number): Path<String>,
    JsonBody(note): JsonBody<Note>,
) -> Result<Json<ApplicationView>, ApiError> {
    let reason = note.parse()?;
    decided(&app, &number, &operator, Decision::Reject(reason), lang).await
}

/// Annuls a confirmed application for a reason; its allocation stops counting.
#[utoipa::path(post, path = "/v1/operator/applications/{number}/annul", tag = "ework-review", request_body = Note, security(("session" = [])),
    params(("number" = String, Path, description = "`Q-` and 8 digits")),
    responses(
        (status = 200, description = "Annulled", body = ApplicationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`application_not_confirmed`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `text` is required", body = http_edge::ProblemBody),
    ))]
async fn annul_application(
    State(app): State<Arc<App>>,
    operator: LabourOperator,
    Extension(lang): Extension<Lang>,
    Path(number): Path<String>,
    JsonBody(note): JsonBody<Note>,
) -> Result<Json<ApplicationView>, ApiError> {
    let reason = note.parse()?;
    decided(&app, &number, &operator, Decision::Annul(reason), lang).await
}

/// A message written.
#[derive(Debug, Serialize, ToSchema)]
pub struct Written {
    pub id: String,
    pub at: String,
}

/// Writes to the applicant about an application; they read it in their messages and
/// learn by email that one waits.
#[utoipa::path(post, path = "/v1/operator/applications/{number}/messages", tag = "ework-review", request_body = Note, security(("session" = [])),
    params(("number" = String, Path, description = "`Q-` and 8 digits")),
    responses(
        (status = 201, description = "Written", body = Written),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `text` is required, up to 2,000 characters", body = http_edge::ProblemBody),
    ))]
async fn write_to_applicant(
    State(app): State<Arc<App>>,
    operator: LabourOperator,
    Path(number): Path<String>,
    JsonBody(note): JsonBody<Note>,
) -> Result<(StatusCode, Json<Written>), ApiError> {
    let text = note.parse()?;
    let message = app
        .lifecycle
        .write(&number, &actor(&operator.0), text)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Written {
            id: message.id,
            at: message.at,
        }),
    ))
}
