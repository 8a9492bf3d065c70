//! The employer's work-permit application: the seed's "search" (what the border
//! service and the visa registry say of a passport's holder, and whether the
//! application may go on or why not), then the form: "check" without saving, and
//! submit.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use domain::account::AccountId;
use domain::clock::today_in_bishkek;
use domain::ework::permit::Passport;
use domain::ework::{
    ApplicationView, Eligibility, Holder, PermitForm, PermitRequest, Request, Visa,
};
use domain::{Code, DomainError, Lang};
use http_edge::{ApiError, Employer, JsonBody};
use serde::{Deserialize, Serialize};
use use_cases::ework::ApplicationError;
use utoipa::ToSchema;

use crate::{App, actor};

/// Searches one employer may make in a minute.
pub const SEARCHES_PER_MINUTE: u32 = 30;

/// The document to search for.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct SearchForm {
    /// The document's issuing state as its zone writes it (`CHN`, `D` for Germany).
    pub document_country: Option<String>,
    /// The passport number, without spaces.
    pub document_number: Option<String>,
}

/// A visa as the search shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisaView {
    #[serde(flatten)]
    pub visa: Visa,
    /// `W1 Трудовая`, in the reader's language.
    pub type_label: String,
    /// `Многократная`, in the reader's language.
    pub multiplicity_label: String,
}

/// Why an application may not go on.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reason {
    pub code: String,
    pub message: String,
}

/// What the search found and decided.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResult {
    /// The border service's data of the holder, when it knows the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder: Option<Holder>,
    pub visas: Vec<VisaView>,
    /// The form may be filled in ("Продолжите заполнять анкету").
    pub eligible: bool,
    /// Otherwise, every reason.
    pub reasons: Vec<Reason>,
}

fn passport(form: &SearchForm) -> Result<Passport, ApiError> {
    Ok(PermitForm {
        document_country: form.document_country.clone(),
        document_number: form.document_number.clone(),
        ..PermitForm::default()
    }
    .passport()?)
}

/// Searches a foreigner by their document: the border-crossing data (names, birth
/// date, sex, document type and validity, last entry and exit) and the visas, and
/// whether a work-permit application may go on, with every reason when not.
#[utoipa::path(post, path = "/v1/work-permits/search", tag = "ework", request_body = SearchForm, security(("session" = [])),
    responses(
        (status = 200, description = "What the lookups say and whether the form may follow; `reasons[].code`: `holder_not_found`, `permit_not_required`, `not_in_country`, `no_work_visa`, `passport_expires_soon`, `no_free_quota`, `already_holds_permit`", body = SearchResult),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: employers only", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `document_country`, `document_number`", body = http_edge::ProblemBody),
        (status = 429, description = "`rate_limited`: thirty searches a minute per employer", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn search_foreigner(
    State(app): State<Arc<App>>,
    employer: Employer,
    Extension(lang): Extension<Lang>,
    JsonBody(form): JsonBody<SearchForm>,
) -> Result<Json<SearchResult>, ApiError> {
    let owner = &employer.0.account_id;
    let passport = passport(&form)?;
    app.rate_limit
        .admit("permit-search", owner.as_ref(), SEARCHES_PER_MINUTE, 60)
        .await??;
    let search = app.permits.search(owner, &passport, None).await?;
    Ok(Json(SearchResult::of(search, lang)))
}

impl SearchResult {
    /// What `search` found and decided, in `lang`.
    pub(crate) fn of(search: use_cases::ework::permits::Search, lang: Lang) -> SearchResult {
        let reasons = match &search.eligibility {
            Eligibility::Eligible { .. } => Vec::new(),
            Eligibility::Ineligible(codes) => codes.clone(),
        };
        SearchResult {
            eligible: reasons.is_empty(),
            reasons: reasons
                .into_iter()
                .map(|code: Code| Reason {
                    code: code.as_str().to_owned(),
                    message: code.message(lang).to_owned(),
                })
                .collect(),
            holder: search.holder,
            visas: search
                .visas
                .into_iter()
                .map(|visa| VisaView {
                    type_label: visa.type_label(lang),
                    multiplicity_label: visa.multiplicity_label(lang).to_owned(),
                    visa,
                })
                .collect(),
        }
    }
}

/// The request the form makes and its attachments, or every field error at once.
async fn validate(
    app: &App,
    owner: &AccountId,
    form: &PermitForm,
) -> Result<(PermitRequest, Vec<domain::ework::Attachment>), ApiError> {
    let (passport, details, named) = form.parse(today_in_bishkek())?;
    let (request, attachments) = tokio::join!(
        app.permits.request(owner, &passport, details),
        app.lifecycle.attachments(owner, &named.0),
    );
    merged(request, attachments)
}

/// A request the lookups allowed and the attachments the documents make; when either
/// refused, every field error of both at once.
pub(crate) fn merged<R>(
    request: Result<R, ApplicationError>,
    attachments: Result<Vec<domain::ework::Attachment>, ApplicationError>,
) -> Result<(R, Vec<domain::ework::Attachment>), ApiError> {
    let mut fields = Vec::new();
    let request = match request {
        Ok(request) => Some(request),
        Err(ApplicationError::Ineligible(errors)) => {
            fields.extend(errors);
            None
        }
        Err(other) => return Err(other.into()),
    };
    let attachments = match attachments {
        Ok(attachments) => Some(attachments),
        Err(ApplicationError::Documents(errors)) => {
            fields.extend(errors);
            None
        }
        Err(other) => return Err(other.into()),
    };
    match (request, attachments) {
        (Some(request), Some(attachments)) if fields.is_empty() => Ok((request, attachments)),
        _ => Err(DomainError::Invalid(fields).into()),
    }
}

/// Checks a work-permit form without saving it: the lookups again, the quota place
/// for the position, the registration talon and the documents, every error at once.
#[utoipa::path(post, path = "/v1/work-permit-applications/check", tag = "ework", request_body = PermitForm, security(("session" = [])),
    responses(
        (status = 200, description = "The form holds: the request it makes", body = PermitRequest),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: employers only", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: every broken field, e.g. `registration_number`: `talon_of_another_passport`, `position`: `no_free_quota`, `photo`: `document_not_usable`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn check_permit_application(
    State(app): State<Arc<App>>,
    employer: Employer,
    JsonBody(form): JsonBody<PermitForm>,
) -> Result<Json<PermitRequest>, ApiError> {
    let (request, _) = validate(&app, &employer.0.account_id, &form).await?;
    Ok(Json(request))
}

/// Submits a work-permit application: the same checks, then it is saved under a new
/// `P-` number, waiting for a labour operator, holding its place of the quota
/// allocation until decided; the documents it names can no longer be replaced or
/// deleted.
#[utoipa::path(post, path = "/v1/work-permit-applications", tag = "ework", request_body = PermitForm, security(("session" = [])),
    responses(
        (status = 201, description = "Submitted", body = ApplicationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: employers only", body = http_edge::ProblemBody),
        (status = 409, description = "`document_not_usable`: a document changed meanwhile", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: as for the check", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn submit_permit_application(
    State(app): State<Arc<App>>,
    employer: Employer,
    Extension(lang): Extension<Lang>,
    JsonBody(form): JsonBody<PermitForm>,
) -> Result<(StatusCode, Json<ApplicationView>), ApiError> {
    let owner = &employer.0.account_id;
    let (request, attachments) = validate(&app, owner, &form).await?;
    // Decision messages name the foreigner ("… for WANG LEI is rejected").
    let name = request.holder.full_name();
    let application = app
        .lifecycle
        .submit(
            &actor(&employer.0),
            owner,
            name,
            Request::Permit(Box::new(request)),
            attachments,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ApplicationView::new(&application, lang)),
    ))
}

/// The extension an employer asks for.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct ExtensionForm {
    /// The new last day (`YYYY-MM-DD`): after the current one, within a year of it
    /// and within the passport.
    pub valid_until: Option<String>,
}

/// Asks to extend one of the employer's valid work permits; it stays valid while a
/// labour operator decides.
#[utoipa::path(post, path = "/v1/applications/{number}/extension", tag = "ework", request_body = ExtensionForm, security(("session" = [])),
    params(("number" = String, Path, description = "`P-` and 8 digits")),
    responses(
        (status = 200, description = "Extension requested", body = ApplicationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: employers only", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`, also for another account's", body = http_edge::ProblemBody),
        (status = 409, description = "`permit_not_extendable`: not a valid permit, or already being extended; `invalid_extension`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `valid_until` required, a date", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn ask_extension(
    State(app): State<Arc<App>>,
    employer: Employer,
    Extension(lang): Extension<Lang>,
    Path(number): Path<String>,
    JsonBody(form): JsonBody<ExtensionForm>,
) -> Result<(StatusCode, Json<ApplicationView>), ApiError> {
    let until = domain::account::values::parse_date(form.valid_until.as_deref().unwrap_or(""))
        .map_err(|code| {
            let code = if form
                .valid_until
                .as_deref()
                .is_none_or(|v| v.trim().is_empty())
            {
                Code::Required
            } else {
                code
            };
            DomainError::Invalid(vec![domain::FieldError::new("valid_until", code)])
        })?;
    let owner = &employer.0.account_id;
    let application = app
        .lifecycle
        .ask_extension(&number, &actor(&employer.0), owner, until)
        .await?;
    Ok((
        StatusCode::OK,
        Json(ApplicationView::new(&application, lang)),
    ))
}
