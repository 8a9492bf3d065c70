//! The `uploads` function: a signed-in account asks for an upload of a document kind
//! and gets a browser form S3 itself enforces (the exact key, the content type, at most
//! the kind's size, valid ten minutes). The key's prefix decides which check reads the
//! file once it arrives. The caller lists, reads, downloads (a link valid five
//! minutes), replaces and deletes its own documents; another account's id answers
//! `404 document_not_found` like a missing one.

mod drafts;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use adapters::bucket::S3UploadsBucket;
use adapters::documents::{DocumentRecord, DynamoDocuments, Finding};
use adapters::upload_form::{UploadForm, UploadRules};
use adapters::{Deps, StoreError};
use anyhow::Context;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json, Router};
use domain::account::AccountId;
use domain::clock::{now_rfc3339, now_secs};
use domain::document::{DocumentKind, DocumentStatus};
use domain::mrz::{MrzExtract, TypedIdentity, ZonePrefill};
use domain::secrets::random_token;
use domain::{Code, DomainError, FieldError, Lang};
use http_edge::{ApiError, Authenticated, JsonBody};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[adapters::secrets::Secret::Key];

/// An upload form is valid this long.
pub const FORM_VALID_SECS: u64 = 10 * 60;
/// A download link is valid this long.
pub const DOWNLOAD_VALID_SECS: u64 = 5 * 60;

pub struct App {
    accounts: adapters::accounts::DynamoAccounts,
    drafts: adapters::drafts::DynamoDrafts,
    changes: adapters::change_requests::DynamoChangeRequests,
    documents: DynamoDocuments,
    bucket: S3UploadsBucket,
}

impl App {
    pub fn from_deps(deps: &Deps) -> Arc<App> {
        Arc::new(App {
            accounts: deps.accounts(),
            drafts: deps.drafts(),
            changes: deps.change_requests(),
            documents: deps.documents(),
            bucket: deps.uploads_bucket(),
        })
    }
}

/// The routes, with their OpenAPI description.
pub fn router(deps: &Deps) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(request_upload, list))
        .routes(routes!(read, replace, delete))
        .routes(routes!(download))
        .routes(routes!(prefill))
        .routes(routes!(cross_check))
        .routes(routes!(drafts::request_upload))
        .routes(routes!(drafts::read))
        .routes(routes!(drafts::prefill))
        .with_state(App::from_deps(deps))
}

/// The whole function as Lambda runs it.
pub fn app(deps: &Deps) -> Router {
    let (router, _) = router(deps).split_for_parts();
    http_edge::lambda_app(router)
}

/// What to upload.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UploadRequest {
    /// `photo`, `passport_scan`, `technical_passport`, `certificate`, `licence`,
    /// `staff_list`, `hiv_certificate`, `power_of_attorney`, `income_evidence` or `other`.
    pub kind: String,
    /// `image/jpeg`, `image/png`, or `application/pdf` (not for photos).
    pub content_type: String,
}

/// A document as its owner sees it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Document {
    pub upload_id: String,
    pub kind: DocumentKind,
    pub status: DocumentStatus,
    pub content_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    pub findings: Vec<FindingView>,
    /// For a passport or ID scan, whether its machine-readable zone was read (the
    /// fields themselves: `GET /v1/uploads/{id}/mrz`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mrz_read: Option<bool>,
    pub created_at: String,
    pub updated_at: String,
}

/// A finding with its message in the caller's language.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FindingView {
    pub code: String,
    /// `error` refuses the document; `warning` is advice.
    pub severity: String,
    pub message: String,
}

impl Document {
    fn of(r: &DocumentRecord, lang: Lang) -> Self {
        Document {
            upload_id: r.upload_id.clone(),
            kind: r.kind,
            status: r.status,
            content_type: r.content_type.clone(),
            size: r.size,
            sha256: r.sha256.clone(),
            findings: r.findings.iter().map(|f| view(f, lang)).collect(),
            mrz_read: (r.kind.reader() == domain::document::Reader::Passport
                && r.status == DocumentStatus::Checked)
                .then_some(r.mrz.is_some()),
            created_at: r.created_at.clone(),
            updated_at: r.updated_at.clone(),
        }
    }
}

/// The document and the form to upload its file with.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UploadIssued {
    pub document: Document,
    /// POST `multipart/form-data` to `form.url` with every field, then the file as `file`.
    pub form: UploadForm,
    pub max_bytes: u64,
    pub expires_in_secs: u64,
}

fn view(finding: &Finding, lang: Lang) -> FindingView {
    FindingView {
        code: finding.code.clone(),
        severity: finding.severity.clone(),
        message: Code::parse(&finding.code)
            .map(|c| c.message(lang).to_owned())
            .unwrap_or_default(),
    }
}

fn parse_request(request: &UploadRequest) -> Result<(DocumentKind, &'static str), ApiError> {
    let kind = DocumentKind::parse(&request.kind)
        .map_err(|code| DomainError::Invalid(vec![FieldError::new("kind", code)]))?;
    let content_type = kind
        .content_type(&request.content_type)
        .map_err(|code| DomainError::Invalid(vec![FieldError::new("content_type", code)]))?;
    Ok((kind, content_type))
}

async fn issue(app: &App, record: &DocumentRecord, lang: Lang) -> Result<UploadIssued, ApiError> {
    let rules = UploadRules {
        key: &record.key,
        content_type: &record.content_type,
        max_bytes: record.kind.max_bytes(),
        valid_for: Duration::from_secs(FORM_VALID_SECS),
    };
    let form = app.bucket.upload_form(&rules, SystemTime::now()).await?;
    Ok(UploadIssued {
        document: Document::of(record, lang),
        form,
        max_bytes: record.kind.max_bytes(),
        expires_in_secs: FORM_VALID_SECS,
    })
}

/// Asks to upload a document: its record, and a form S3 enforces.
#[utoipa::path(post, path = "/v1/uploads", operation_id = "request_upload", tag = "uploads", request_body = UploadRequest, security(("session" = [])),
    responses(
        (status = 201, description = "The form to upload with", body = UploadIssued),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `kind: invalid_document_kind` or `content_type: unsupported_document_type`", body = http_edge::ProblemBody),
    ))]
async fn request_upload(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    Extension(lang): Extension<Lang>,
    JsonBody(request): JsonBody<UploadRequest>,
) -> Result<(StatusCode, Json<UploadIssued>), ApiError> {
    let (kind, content_type) = parse_request(&request)?;
    let issued = new_upload(&app, &principal.account_id, kind, content_type, lang).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// A new document of `owner`'s awaiting its file, and the form to upload it with.
async fn new_upload(
    app: &App,
    owner: &AccountId,
    kind: DocumentKind,
    content_type: &str,
    lang: Lang,
) -> Result<UploadIssued, ApiError> {
    let upload_id = format!("upl_{}", &random_token()[..32]);
    let record = DocumentRecord::awaiting_upload(
        upload_id,
        owner.clone(),
        kind,
        content_type,
        now_rfc3339(),
        now_secs() + FORM_VALID_SECS,
    );
    app.documents.put_new(&record).await?;
    issue(app, &record, lang).await
}

/// The caller's documents.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Documents {
    pub documents: Vec<Document>,
}

/// Lists the caller's documents, oldest first.
#[utoipa::path(get, path = "/v1/uploads", operation_id = "list_uploads", tag = "uploads", security(("session" = [])),
    responses(
        (status = 200, description = "Own documents", body = Documents),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
    ))]
async fn list(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    Extension(lang): Extension<Lang>,
) -> Result<Json<Documents>, ApiError> {
    let records = app.documents.of_owner(&principal.account_id).await?;
    Ok(Json(Documents {
        documents: records.iter().map(|r| Document::of(r, lang)).collect(),
    }))
}

/// The caller's document `raw_id`; anyone else's or a missing one: 404.
async fn own(app: &App, owner: &AccountId, raw_id: &str) -> Result<DocumentRecord, ApiError> {
    let not_found = || ApiError::from(DomainError::NotFound(Code::DocumentNotFound));
    domain::account::values::UploadId::parse(raw_id).map_err(|_| not_found())?;
    app.documents
        .get(raw_id.trim())
        .await?
        .filter(|d| &d.owner == owner)
        .ok_or_else(not_found)
}

/// Refuses with `409 document_in_use` when a submitted application, the account's data
/// or its waiting change request names the document: what an operator approved (or is
/// about to) must not change.
async fn not_in_use(app: &App, owner: &AccountId, record: &DocumentRecord) -> Result<(), ApiError> {
    if record.in_use {
        return Err(DomainError::Conflict(Code::DocumentInUse).into());
    }
    let upload_id = record.upload_id.as_str();
    let Some(account) = app.accounts.get(owner).await? else {
        return Ok(());
    };
    let mut named = serde_json::to_string(&account.profile)
        .context("reading an account's profile for its documents")?
        .contains(upload_id);
    if let Some(pending) = &account.pending_change
        && let Some(request) = app.changes.get(pending).await?
    {
        named |= serde_json::Value::Object(request.changes)
            .to_string()
            .contains(upload_id);
    }
    if named {
        return Err(DomainError::Conflict(Code::DocumentInUse).into());
    }
    Ok(())
}

/// Why a conditional write of the caller's document failed: an application named it
/// meanwhile (409), or it is gone (404).
async fn changed_meanwhile(app: &App, owner: &AccountId, upload_id: &str) -> ApiError {
    match own(app, owner, upload_id).await {
        Ok(record) if record.in_use => DomainError::Conflict(Code::DocumentInUse).into(),
        Ok(_) => DomainError::NotFound(Code::DocumentNotFound).into(),
        Err(err) => err,
    }
}

/// One of the caller's documents, with its status and what its check found.
#[utoipa::path(get, path = "/v1/uploads/{upload_id}", operation_id = "read_upload", tag = "uploads", security(("session" = [])),
    params(("upload_id" = String, Path, description = "`upl_` and 32 hex digits")),
    responses(
        (status = 200, description = "The document", body = Document),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 404, description = "`document_not_found`, also for another account's", body = http_edge::ProblemBody),
    ))]
async fn read(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    Extension(lang): Extension<Lang>,
    Path(upload_id): Path<String>,
) -> Result<Json<Document>, ApiError> {
    let record = own(&app, &principal.account_id, &upload_id).await?;
    Ok(Json(Document::of(&record, lang)))
}

/// Replaces the file of one of the caller's documents: a new form for the same
/// document; its status starts again.
#[utoipa::path(put, path = "/v1/uploads/{upload_id}", tag = "uploads", request_body = UploadRequest, security(("session" = [])),
    params(("upload_id" = String, Path, description = "`upl_` and 32 hex digits")),
    responses(
        (status = 200, description = "The form to upload the new file with", body = UploadIssued),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 404, description = "`document_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`document_in_use`: named by the account's data or its waiting change request", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`; the kind cannot change", body = http_edge::ProblemBody),
    ))]
async fn replace(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    Extension(lang): Extension<Lang>,
    Path(upload_id): Path<String>,
    JsonBody(request): JsonBody<UploadRequest>,
) -> Result<Json<UploadIssued>, ApiError> {
    let record = own(&app, &principal.account_id, &upload_id).await?;
    not_in_use(&app, &principal.account_id, &record).await?;
    let (kind, content_type) = parse_request(&request)?;
    if kind != record.kind {
        return Err(DomainError::Invalid(vec![FieldError::new("kind", Code::NotExpected)]).into());
    }
    let replaced = record.replaced(content_type, now_rfc3339());
    match app.documents.replace_owned(&replaced).await {
        Err(StoreError::Conflict) => {
            return Err(changed_meanwhile(&app, &principal.account_id, &upload_id).await);
        }
        written => written?,
    }
    // The new file gets its own print copy once checked; the old one goes now.
    app.bucket.delete(replaced.print_copy()).await?;
    Ok(Json(issue(&app, &replaced, lang).await?))
}

/// Deletes one of the caller's documents and its file.
#[utoipa::path(delete, path = "/v1/uploads/{upload_id}", tag = "uploads", security(("session" = [])),
    params(("upload_id" = String, Path, description = "`upl_` and 32 hex digits")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 404, description = "`document_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`document_in_use`", body = http_edge::ProblemBody),
    ))]
async fn delete(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    Path(upload_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let record = own(&app, &principal.account_id, &upload_id).await?;
    not_in_use(&app, &principal.account_id, &record).await?;
    match (app.documents)
        .delete_owned(&record.upload_id, &principal.account_id)
        .await
    {
        Err(StoreError::Conflict) => {
            return Err(changed_meanwhile(&app, &principal.account_id, &upload_id).await);
        }
        deleted => deleted?,
    }
    app.bucket.delete(record.stored_keys()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A short-lived link to the file.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DownloadLink {
    pub url: String,
    pub expires_in_secs: u64,
}

/// A link to download one of the caller's documents, valid five minutes.
#[utoipa::path(get, path = "/v1/uploads/{upload_id}/download", tag = "uploads", security(("session" = [])),
    params(("upload_id" = String, Path, description = "`upl_` and 32 hex digits")),
    responses(
        (status = 200, description = "The link", body = DownloadLink),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 404, description = "`document_not_found`, also while its file has not arrived", body = http_edge::ProblemBody),
    ))]
async fn download(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    Path(upload_id): Path<String>,
) -> Result<Json<DownloadLink>, ApiError> {
    let record = own(&app, &principal.account_id, &upload_id).await?;
    if record.status != DocumentStatus::Checked {
        return Err(DomainError::NotFound(Code::DocumentNotFound).into());
    }
    let url = (app.bucket)
        .download_link(&record.key, Duration::from_secs(DOWNLOAD_VALID_SECS))
        .await?;
    Ok(Json(DownloadLink {
        url,
        expires_in_secs: DOWNLOAD_VALID_SECS,
    }))
}

/// The zone of one of the caller's checked passport or ID scans, or why there is none.
async fn zone_of(app: &App, owner: &AccountId, upload_id: &str) -> Result<MrzExtract, ApiError> {
    let record = own(app, owner, upload_id).await?;
    if record.kind.reader() != domain::document::Reader::Passport {
        return Err(DomainError::Refused(Code::NotAPassportScan).into());
    }
    match record.status {
        DocumentStatus::AwaitingUpload => {
            Err(DomainError::Conflict(Code::DocumentNotChecked).into())
        }
        DocumentStatus::Rejected => Err(DomainError::Refused(Code::DocumentRejected).into()),
        DocumentStatus::Checked => record.mrz.ok_or_else(|| {
            // The finding says why: not found, or illegible.
            let illegible = (record.findings.iter()).any(|f| f.code == Code::MrzIllegible.as_str());
            let code = if illegible {
                Code::MrzIllegible
            } else {
                Code::MrzNotFound
            };
            DomainError::Refused(code).into()
        }),
    }
}

/// The machine-readable zone of a passport or ID scan, to fill a form with: every
/// field, how sure the reader is of each, and what the check digits say.
#[utoipa::path(get, path = "/v1/uploads/{upload_id}/mrz", operation_id = "prefill_from_scan", tag = "uploads", security(("session" = [])),
    params(("upload_id" = String, Path, description = "`upl_` and 32 hex digits")),
    responses(
        (status = 200, description = "The zone as read, and its fields under the form's names", body = ZonePrefill),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 404, description = "`document_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`document_not_checked`: the file has not arrived or is being read", body = http_edge::ProblemBody),
        (status = 422, description = "`mrz_not_found`, `mrz_illegible`, `not_a_passport_scan` or `document_rejected`", body = http_edge::ProblemBody),
    ))]
async fn prefill(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    Path(upload_id): Path<String>,
) -> Result<Json<ZonePrefill>, ApiError> {
    Ok(Json(ZonePrefill::of(
        zone_of(&app, &principal.account_id, &upload_id).await?,
        domain::clock::today_in_bishkek(),
    )))
}

/// What the cross-check found.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CrossCheck {
    /// True when every typed field agrees with the zone.
    pub matches: bool,
    pub mismatches: Vec<domain::mrz::Mismatch>,
    /// Every check digit of the zone holds.
    pub zone_valid: bool,
    /// The zone may be relied on without an operator: valid, and every field of it read
    /// with confidence. A registration whose zone is not trusted goes to an operator.
    pub zone_trusted: bool,
}

/// Compares what the user typed with the zone of the scan, field by field.
#[utoipa::path(post, path = "/v1/uploads/{upload_id}/mrz/cross-check", tag = "uploads", security(("session" = [])),
    params(("upload_id" = String, Path, description = "`upl_` and 32 hex digits")),
    request_body = TypedIdentity,
    responses(
        (status = 200, description = "The fields that differ", body = CrossCheck),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 404, description = "`document_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`document_not_checked`", body = http_edge::ProblemBody),
        (status = 422, description = "`mrz_not_found`, `mrz_illegible`, `not_a_passport_scan`, `document_rejected`, or `invalid_fields`", body = http_edge::ProblemBody),
    ))]
async fn cross_check(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    Path(upload_id): Path<String>,
    JsonBody(typed): JsonBody<TypedIdentity>,
) -> Result<Json<CrossCheck>, ApiError> {
    let zone = zone_of(&app, &principal.account_id, &upload_id).await?;
    let fields = zone
        .fields
        .as_ref()
        .ok_or(DomainError::Refused(Code::MrzIllegible))?;
    let mismatches = domain::mrz::cross_check(fields, &typed);
    Ok(Json(CrossCheck {
        matches: mismatches.is_empty(),
        mismatches,
        zone_valid: zone.valid,
        zone_trusted: zone.trusted(),
    }))
}
