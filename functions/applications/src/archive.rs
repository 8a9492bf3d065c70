//! The applicant's archive: newest first, filtered by any column, a page at a time; one
//! application in full; a document added during clarification, and the resubmission.

use std::sync::Arc;

use adapters::ework::ArchiveFilter;
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use domain::account::values::{UploadId, parse_date};
use domain::ework::permit::{Education, MaritalStatus, PermitColumns};
use domain::ework::{ApplicationView, Kind, Status};
use domain::{Code, DomainError, FieldError, Lang};
use http_edge::{ApiError, EworkApplicant, JsonBody};
use serde::{Deserialize, Serialize};
use use_cases::ework::ADDED;
use utoipa::{IntoParams, ToSchema};

use crate::{App, actor};

/// Filters of the archive; every one optional.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArchiveQuery {
    /// `quota` or `permit`.
    pub kind: Option<String>,
    /// `submitted`, `in_clarification`, `confirmed`, `rejected`, `annulled` or
    /// `exhausted`.
    pub status: Option<String>,
    /// Any part of the number.
    pub number: Option<String>,
    /// Submitted on or after this day (`YYYY-MM-DD`).
    pub submitted_from: Option<String>,
    /// Submitted on or before this day.
    pub submitted_to: Option<String>,
    /// Work permits: any part of the foreigner's surname.
    pub surname: Option<String>,
    /// Any part of the given names.
    pub given_names: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// Any part of the birth country's code.
    pub birth_country: Option<String>,
    /// Any part of the document country's code.
    pub document_country: Option<String>,
    /// Any part of the passport number.
    pub passport_number: Option<String>,
    /// Any part of the position.
    pub position: Option<String>,
    /// Any part of the address of stay.
    pub place_of_stay: Option<String>,
    /// `higher`, `vocational`, `secondary` or `basic`.
    pub education: Option<String>,
    /// `single`, `married`, `divorced` or `widowed`.
    pub marital_status: Option<String>,
    /// `yes` or `no`: relatives stay with the foreigner.
    pub relatives: Option<String>,
    /// 1 to 100; 20 when absent.
    pub limit: Option<String>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

impl ArchiveQuery {
    fn parse(&self) -> Result<(ArchiveFilter, usize), DomainError> {
        let mut errors = Vec::new();
        let present = |raw: &Option<String>| {
            raw.as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_owned)
        };
        let mut fail = |field: &str, code: Code| errors.push(FieldError::new(field, code));
        let kind = present(&self.kind).and_then(|k| {
            Kind::parse(&k).or_else(|| {
                fail("kind", Code::InvalidFields);
                None
            })
        });
        let status = present(&self.status).and_then(|s| {
            Status::parse(&s).or_else(|| {
                fail("status", Code::InvalidFields);
                None
            })
        });
        let mut day = |field: &str, raw: &Option<String>| {
            present(raw).and_then(|d| match parse_date(&d) {
                Ok(date) => Some(date.to_string()),
                Err(code) => {
                    fail(field, code);
                    None
                }
            })
        };
        let from = day("submitted_from", &self.submitted_from);
        let to = day("submitted_to", &self.submitted_to);
        let birth_date = day("birth_date", &self.birth_date).and_then(|d| parse_date(&d).ok());
        let limit = match present(&self.limit) {
            None => 20,
            Some(raw) => match raw.parse::<usize>() {
                Ok(n @ 1..=100) => n,
                _ => {
                    fail("limit", Code::InvalidCount);
                    20
                }
            },
        };
        let education = present(&self.education)
            .and_then(|r| Education::parse(&r).map_err(|c| fail("education", c)).ok());
        let marital_status = present(&self.marital_status).and_then(|r| {
            MaritalStatus::parse(&r)
                .map_err(|c| fail("marital_status", c))
                .ok()
        });
        let relatives = present(&self.relatives).and_then(|r| match r.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                fail("relatives", Code::InvalidValue);
                None
            }
        });
        DomainError::unless_valid(errors)?;
        let filter = ArchiveFilter {
            kind,
            status,
            number: present(&self.number),
            from,
            to,
            permit: PermitColumns {
                surname: present(&self.surname),
                given_names: present(&self.given_names),
                birth_date,
                birth_country: present(&self.birth_country),
                document_country: present(&self.document_country),
                passport_number: present(&self.passport_number),
                position: present(&self.position),
                place_of_stay: present(&self.place_of_stay),
                education,
                marital_status,
                relatives,
            },
        };
        Ok((filter, limit))
    }
}

/// One page of the archive.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArchivePage {
    pub items: Vec<ApplicationView>,
    /// The cursor of the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// The applicant's applications, newest first: number, date, quotas requested and
/// allocated, status and its date, each filterable.
#[utoipa::path(get, path = "/v1/applications", tag = "ework", params(ArchiveQuery), security(("session" = [])),
    responses(
        (status = 200, description = "One page", body = ArchivePage),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: e-work applicants only", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: a filter that cannot hold, or `cursor`: `invalid_cursor`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn application_archive(
    State(app): State<Arc<App>>,
    applicant: EworkApplicant,
    Extension(lang): Extension<Lang>,
    Query(query): Query<ArchiveQuery>,
) -> Result<Json<ArchivePage>, ApiError> {
    let (filter, limit) = query.parse()?;
    if let Some(cursor) = query.cursor.as_deref()
        && !adapters::ework::cursor_is_for(cursor, &applicant.0.account_id, false)
    {
        return Err(
            DomainError::Invalid(vec![FieldError::new("cursor", Code::InvalidCursor)]).into(),
        );
    }
    let page = app
        .applications
        .archive(
            &applicant.0.account_id,
            &filter,
            query.cursor.as_deref(),
            limit,
        )
        .await?;
    Ok(Json(ArchivePage {
        items: page
            .items
            .iter()
            .map(|a| ApplicationView::new(a, lang))
            .collect(),
        next: page.next,
    }))
}

/// One of the applicant's applications in full.
#[utoipa::path(get, path = "/v1/applications/{number}", tag = "ework", security(("session" = [])),
    params(("number" = String, Path, description = "`Q-` and 8 digits")),
    responses(
        (status = 200, description = "The application", body = ApplicationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`: none, or another account's", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn read_application(
    State(app): State<Arc<App>>,
    applicant: EworkApplicant,
    Extension(lang): Extension<Lang>,
    Path(number): Path<String>,
) -> Result<Json<ApplicationView>, ApiError> {
    let application = app
        .lifecycle
        .owned(&number, &applicant.0.account_id)
        .await?;
    Ok(Json(ApplicationView::new(&application, lang)))
}

/// A document to add to an application in clarification.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AddDocument {
    /// The applicant's own checked upload (not a photo).
    pub upload_id: Option<String>,
}

/// Adds a document to an application in clarification; it is locked from then on.
#[utoipa::path(post, path = "/v1/applications/{number}/documents", tag = "ework", request_body = AddDocument, security(("session" = [])),
    params(("number" = String, Path, description = "`Q-` and 8 digits")),
    responses(
        (status = 200, description = "Added", body = ApplicationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`application_not_in_clarification`, `document_already_attached`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `upload_id`: `required`, `invalid_upload_id` or `document_not_usable`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn add_application_document(
    State(app): State<Arc<App>>,
    applicant: EworkApplicant,
    Extension(lang): Extension<Lang>,
    Path(number): Path<String>,
    JsonBody(body): JsonBody<AddDocument>,
) -> Result<Json<ApplicationView>, ApiError> {
    let owner = &applicant.0.account_id;
    let upload_id = match body.upload_id.as_deref().map(str::trim) {
        None | Some("") => Err(Code::Required),
        Some(raw) => UploadId::parse(raw),
    }
    .map_err(|code| DomainError::Invalid(vec![FieldError::new("upload_id", code)]))?;
    // The application first: another account's answers 404 before anything else.
    app.lifecycle.owned(&number, owner).await?;
    let attachment = app
        .lifecycle
        .attachments(owner, &[("upload_id", upload_id, None)])
        .await?
        .remove(0);
    let attachment = domain::ework::Attachment {
        slot: ADDED.to_owned(),
        ..attachment
    };
    let application = app
        .lifecycle
        .attach(&number, &actor(&applicant.0), owner, attachment)
        .await?;
    Ok(Json(ApplicationView::new(&application, lang)))
}

/// Sends an application in clarification back to the labour operators.
#[utoipa::path(post, path = "/v1/applications/{number}/resubmit", tag = "ework", security(("session" = [])),
    params(("number" = String, Path, description = "`Q-` and 8 digits")),
    responses(
        (status = 200, description = "Back in the operators' queue", body = ApplicationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`application_not_in_clarification`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn resubmit_application(
    State(app): State<Arc<App>>,
    applicant: EworkApplicant,
    Extension(lang): Extension<Lang>,
    Path(number): Path<String>,
) -> Result<Json<ApplicationView>, ApiError> {
    let application = app
        .lifecycle
        .resubmit(&number, &actor(&applicant.0), &applicant.0.account_id)
        .await?;
    Ok(Json(ApplicationView::new(&application, lang)))
}
