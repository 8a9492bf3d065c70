//! Uploads of a registration draft, before the account exists: the person registering
//! uploads their passport scan and photo with the draft's token in `X-Draft-Token`,
//! reads their checks and fills the form from the passport's zone. The documents are
//! owned by the id the account will have; the registration that names the draft makes
//! them the account's. The uploads of a draft nobody registered with are deleted.

use std::sync::Arc;

use adapters::drafts::DraftRecord;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::{Extension, Json};
use domain::clock::now_secs;
use domain::document::draft;
use domain::mrz::ZonePrefill;
use domain::{Code, DomainError, FieldError, Lang};
use http_edge::{ApiError, JsonBody};

use crate::{App, Document, UploadIssued, UploadRequest, own, parse_request, zone_of};

/// The live registration draft whose token the request carries; without one, or with
/// an unknown, claimed or lapsed one: 401 `draft_expired`.
pub(crate) struct Draft(DraftRecord);

impl FromRequestParts<Arc<App>> for Draft {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, ApiError> {
        let expired = || ApiError::edge(StatusCode::UNAUTHORIZED, Code::DraftExpired);
        let token = parts
            .headers
            .get(draft::TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(expired)?;
        let record = app
            .drafts
            .live(token, now_secs())
            .await?
            .ok_or_else(expired)?;
        Ok(Draft(record))
    }
}

/// Asks to upload a document for a registration: the kinds a registration form names
/// (photo, passport scan, staff list, certificate, licence), ten at most per draft.
#[utoipa::path(post, path = "/v1/registration-drafts/uploads", operation_id = "request_draft_upload", tag = "uploads", request_body = UploadRequest,
    params(("X-Draft-Token" = String, Header, description = "The draft's token")),
    responses(
        (status = 201, description = "The form to upload with", body = UploadIssued),
        (status = 401, description = "`draft_expired`: no draft, or it was used or lapsed", body = http_edge::ProblemBody),
        (status = 409, description = "`too_many_uploads`: the draft has had its ten", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `kind: invalid_document_kind` (or one no registration form names), `content_type: unsupported_document_type`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn request_upload(
    State(app): State<Arc<App>>,
    draft: Draft,
    Extension(lang): Extension<Lang>,
    JsonBody(request): JsonBody<UploadRequest>,
) -> Result<(StatusCode, Json<UploadIssued>), ApiError> {
    let (kind, content_type) = parse_request(&request)?;
    if !kind.named_by_forms() {
        return Err(
            DomainError::Invalid(vec![FieldError::new("kind", Code::InvalidDocumentKind)]).into(),
        );
    }
    if !app.drafts.count_upload(&draft.0, now_secs()).await? {
        return Err(DomainError::Conflict(Code::TooManyUploads).into());
    }
    let issued = crate::new_upload(&app, &draft.0.account_id, kind, content_type, lang).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// One of the draft's documents, with its status and what its check found.
#[utoipa::path(get, path = "/v1/registration-drafts/uploads/{upload_id}", operation_id = "read_draft_upload", tag = "uploads",
    params(
        ("upload_id" = String, Path, description = "`upl_` and 32 hex digits"),
        ("X-Draft-Token" = String, Header, description = "The draft's token"),
    ),
    responses(
        (status = 200, description = "The document", body = Document),
        (status = 401, description = "`draft_expired`", body = http_edge::ProblemBody),
        (status = 404, description = "`document_not_found`, also for another draft's or account's", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn read(
    State(app): State<Arc<App>>,
    draft: Draft,
    Extension(lang): Extension<Lang>,
    Path(upload_id): Path<String>,
) -> Result<Json<Document>, ApiError> {
    let record = own(&app, &draft.0.account_id, &upload_id).await?;
    Ok(Json(Document::of(&record, lang)))
}

/// The machine-readable zone of the draft's passport scan, to fill the registration
/// form with (as `GET /v1/uploads/{upload_id}/mrz`).
#[utoipa::path(get, path = "/v1/registration-drafts/uploads/{upload_id}/mrz", operation_id = "prefill_from_draft_scan", tag = "uploads",
    params(
        ("upload_id" = String, Path, description = "`upl_` and 32 hex digits"),
        ("X-Draft-Token" = String, Header, description = "The draft's token"),
    ),
    responses(
        (status = 200, description = "The zone as read, and its fields under the form's names", body = ZonePrefill),
        (status = 401, description = "`draft_expired`", body = http_edge::ProblemBody),
        (status = 404, description = "`document_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`document_not_checked`: the file has not arrived or is being read", body = http_edge::ProblemBody),
        (status = 422, description = "`mrz_not_found`, `mrz_illegible`, `not_a_passport_scan` or `document_rejected`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn prefill(
    State(app): State<Arc<App>>,
    draft: Draft,
    Path(upload_id): Path<String>,
) -> Result<Json<ZonePrefill>, ApiError> {
    Ok(Json(ZonePrefill::of(
        zone_of(&app, &draft.0.account_id, &upload_id).await?,
        domain::clock::today_in_bishkek(),
    )))
}
