//! The Digital Nomad status application: the identity comes from the applicant's
//! account (patronymic included), the form adds the organisation, the purpose, the
//! planned entry, the income evidence and relatives; "check" without saving, then
//! submit.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use domain::account::AccountId;
use domain::account::profile::Profile;
use domain::clock::today_in_bishkek;
use domain::ework::nomad::{NomadForm, NomadIdentity, NomadRequest};
use domain::ework::quota::NamedDocuments;
use domain::ework::{ApplicationView, Attachment, Request};
use domain::{Code, DomainError, Lang};
use http_edge::{ApiError, DigitalNomad, JsonBody};

use crate::{App, actor};

/// The request the form makes for the account `owner` and its attachments, or every
/// field error at once.
async fn validate(
    app: &App,
    owner: &AccountId,
    form: &NomadForm,
) -> Result<(NomadRequest, Vec<Attachment>), ApiError> {
    let account = app
        .accounts
        .get(owner)
        .await?
        .ok_or(DomainError::Unauthenticated(Code::Unauthenticated))?;
    let Profile::DigitalNomad { identity, .. } = &account.profile else {
        return Err(DomainError::Forbidden(Code::NotForAccountType).into());
    };
    let identity = NomadIdentity::of(identity);
    let (request, NamedDocuments(named)) = form.parse(identity, today_in_bishkek())?;
    let attachments = app.lifecycle.attachments(owner, &named).await?;
    Ok((request, attachments))
}

/// Checks a Digital Nomad form without saving it: the request it makes, with the
/// identity the account gives, or every field error at once.
#[utoipa::path(post, path = "/v1/nomad-applications/check", tag = "ework", request_body = NomadForm, security(("session" = [])),
    responses(
        (status = 200, description = "The form holds: the request it makes", body = NomadRequest),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: Digital Nomads only", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: e.g. `income_evidence`: `required` or `document_not_usable`, `planned_entry`: `invalid_planned_entry`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn check_nomad_application(
    State(app): State<Arc<App>>,
    nomad: DigitalNomad,
    JsonBody(form): JsonBody<NomadForm>,
) -> Result<Json<NomadRequest>, ApiError> {
    let (request, _) = validate(&app, &nomad.0.account_id, &form).await?;
    Ok(Json(request))
}

/// Submits a Digital Nomad status application: the same checks, then it is saved
/// under a new `N-` number, waiting for a labour operator.
#[utoipa::path(post, path = "/v1/nomad-applications", tag = "ework", request_body = NomadForm, security(("session" = [])),
    responses(
        (status = 201, description = "Submitted", body = ApplicationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: Digital Nomads only", body = http_edge::ProblemBody),
        (status = 409, description = "`document_not_usable`: a document changed meanwhile", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: as for the check", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn submit_nomad_application(
    State(app): State<Arc<App>>,
    nomad: DigitalNomad,
    Extension(lang): Extension<Lang>,
    JsonBody(form): JsonBody<NomadForm>,
) -> Result<(StatusCode, Json<ApplicationView>), ApiError> {
    let owner = &nomad.0.account_id;
    let (request, attachments) = validate(&app, owner, &form).await?;
    let name = request.identity.full_name();
    let application = app
        .lifecycle
        .submit(
            &actor(&nomad.0),
            owner,
            name,
            Request::Nomad(Box::new(request)),
            attachments,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ApplicationView::new(&application, lang)),
    ))
}
