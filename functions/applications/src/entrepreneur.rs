//! A foreign individual entrepreneur's own permit: "check availability" for the
//! passport of their account (the lookups and the rules of a permit, a patent in place
//! of a quota), then the form: "check" without saving, and submit.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use domain::account::AccountId;
use domain::clock::today_in_bishkek;
use domain::ework::entrepreneur::{EntrepreneurForm, EntrepreneurRequest};
use domain::ework::permit::Passport;
use domain::ework::quota::NamedDocuments;
use domain::ework::{ApplicationView, Attachment, Request};
use domain::{Code, DomainError, Lang};
use http_edge::{ApiError, ForeignEntrepreneur, JsonBody};

use crate::permit::{SearchResult, merged};
use crate::{App, actor};

/// The passport of the account `owner`.
async fn own_passport(app: &App, owner: &AccountId) -> Result<Passport, ApiError> {
    let account = app
        .accounts
        .get(owner)
        .await?
        .ok_or(DomainError::Unauthenticated(Code::Unauthenticated))?;
    let identity = account
        .profile
        .identity()
        .ok_or(DomainError::Forbidden(Code::NotForAccountType))?;
    Ok(Passport {
        country: identity.document_country.clone(),
        number: identity.document_number.clone(),
    })
}

/// "Check availability": what the border service and the visa registry say of the
/// entrepreneur's own passport, and whether they may apply, with every reason when not.
#[utoipa::path(post, path = "/v1/entrepreneur-permits/availability", tag = "ework", security(("session" = [])),
    responses(
        (status = 200, description = "What the lookups say; `reasons[].code` as for the employer's search, but never `no_free_quota`", body = SearchResult),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: foreign entrepreneurs only", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn check_availability(
    State(app): State<Arc<App>>,
    entrepreneur: ForeignEntrepreneur,
    Extension(lang): Extension<Lang>,
) -> Result<Json<SearchResult>, ApiError> {
    let passport = own_passport(&app, &entrepreneur.0.account_id).await?;
    let search = app.permits.availability(&passport).await?;
    Ok(Json(SearchResult::of(search, lang)))
}

/// The request the form makes and its attachments, or every field error at once.
async fn validate(
    app: &App,
    owner: &AccountId,
    form: &EntrepreneurForm,
) -> Result<(EntrepreneurRequest, Vec<Attachment>), ApiError> {
    let passport = own_passport(app, owner).await?;
    let (details, NamedDocuments(named)) = form.parse(today_in_bishkek())?;
    let (request, attachments) = tokio::join!(
        app.permits.entrepreneur_request(&passport, details),
        app.lifecycle.attachments(owner, &named),
    );
    merged(request, attachments)
}

/// Checks an entrepreneur's permit form without saving it: the lookups again, the
/// registration talon and the documents, every error at once.
#[utoipa::path(post, path = "/v1/entrepreneur-applications/check", tag = "ework", request_body = EntrepreneurForm, security(("session" = [])),
    responses(
        (status = 200, description = "The form holds: the request it makes", body = EntrepreneurRequest),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: foreign entrepreneurs only", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: every broken field, e.g. `patent`: `required`, `registration_number`: `talon_not_valid`, `document_number`: `not_in_country`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn check_entrepreneur_application(
    State(app): State<Arc<App>>,
    entrepreneur: ForeignEntrepreneur,
    JsonBody(form): JsonBody<EntrepreneurForm>,
) -> Result<Json<EntrepreneurRequest>, ApiError> {
    let (request, _) = validate(&app, &entrepreneur.0.account_id, &form).await?;
    Ok(Json(request))
}

/// Submits an entrepreneur's permit application under a new `E-` number, waiting for a
/// labour operator.
#[utoipa::path(post, path = "/v1/entrepreneur-applications", tag = "ework", request_body = EntrepreneurForm, security(("session" = [])),
    responses(
        (status = 201, description = "Submitted", body = ApplicationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: foreign entrepreneurs only", body = http_edge::ProblemBody),
        (status = 409, description = "`document_not_usable`: a document changed meanwhile", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: as for the check", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn submit_entrepreneur_application(
    State(app): State<Arc<App>>,
    entrepreneur: ForeignEntrepreneur,
    Extension(lang): Extension<Lang>,
    JsonBody(form): JsonBody<EntrepreneurForm>,
) -> Result<(StatusCode, Json<ApplicationView>), ApiError> {
    let owner = &entrepreneur.0.account_id;
    let (request, attachments) = validate(&app, owner, &form).await?;
    let name = request.holder.full_name();
    let application = app
        .lifecycle
        .submit(
            &actor(&entrepreneur.0),
            owner,
            name,
            Request::Entrepreneur(Box::new(request)),
            attachments,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ApplicationView::new(&application, lang)),
    ))
}
