//! The work permit: its employer prints it while it is valid, rendered once per version
//! of the application and stored; its QR code verifies as valid until its last day,
//! then as expired, and as revoked once revoked — or once an extension replaced it with
//! a newer print (`superseded`).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use domain::account::sign_up::Profile;
use domain::clock::today_in_bishkek;
use domain::ework::permit::holds;
use domain::ework::{Application, Request, Status};
use domain::printed::fields_hash;
use domain::{Code, DomainError, Lang};
use http_edge::{ApiError, Employer};

use crate::ework::WorkPermit;
use crate::{App, Printed, Verification, day, issued_at};

/// The permit of `application` as printed; `None` unless one was granted.
pub(crate) async fn permit_of(
    app: &App,
    application: &Application,
) -> Result<Option<WorkPermit>, ApiError> {
    let (Request::Permit(request), Some(grant)) = (&application.request, application.granted())
    else {
        return Ok(None);
    };
    let employer = app.accounts.get(&application.owner).await?;
    let (organization, tax_id) = match employer.as_ref().map(|e| &e.profile) {
        Some(Profile::Employer {
            legal_name, tax_id, ..
        }) => (legal_name.to_string(), tax_id.to_string()),
        _ => (String::new(), String::new()),
    };
    let holder = &request.holder;
    Ok(Some(WorkPermit {
        number: application.number.clone(),
        full_name: holder.full_name(),
        birth_date: day(holder.birth_date),
        passport: format!("{} {}", holder.document_country, holder.document_number),
        citizenship: holder.nationality.names().join(" / "),
        valid_from: day(grant.valid_from),
        valid_to: day(grant.valid_until),
        position: request.details.position.clone(),
        organization,
        organization_tax_id: tax_id,
        work_region: Lang::ALL
            .map(|lang| request.details.work_region.label(lang))
            .join(" / "),
        issued_at: issued_at(Some(&application.status_at)),
    }))
}

/// Prints the work permit of one of the employer's applications while it is valid.
#[utoipa::path(post, path = "/v1/applications/{number}/permit", tag = "printing", security(("session" = [])),
    params(("number" = String, Path, description = "`P-` and 8 digits")),
    responses(
        (status = 200, description = "The permit, as a link", body = Printed),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: employers only", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`, also for another account's", body = http_edge::ProblemBody),
        (status = 409, description = "`not_printable`: not granted, past its last day or revoked", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn print_permit(
    State(app): State<Arc<App>>,
    Employer(principal): Employer,
    Path(number): Path<String>,
) -> Result<Json<Printed>, ApiError> {
    let application = crate::own_application(&app, &number, &principal.account_id).await?;
    let permit = permit_of(&app, &application).await?;
    let (Some(permit), true) = (permit, holds(&application, today_in_bishkek())) else {
        return Err(DomainError::Conflict(Code::NotPrintable).into());
    };
    let photo = application
        .attachments
        .iter()
        .find(|a| a.slot == "photo")
        .map(|a| a.upload_id.clone());
    let print = (permit.sheet(), permit.fields());
    Ok(Json(
        crate::granted_print(&app, &application, ("W", "permit"), print, photo).await?,
    ))
}

/// The application a permit's printed id names (`WP41627985` → `P-41627985`).
pub(crate) fn application_of(document_id: &str) -> Option<String> {
    let digits = document_id.strip_prefix("WP")?;
    let number = format!("P-{digits}");
    domain::ework::number_kind(&number).map(|_| number)
}

/// The standing of the print of permit `number` whose printed fields hash to `hash`.
pub(crate) async fn verify_permit(
    app: &App,
    number: &str,
    hash: &str,
) -> Result<Verification, ApiError> {
    let Some(application) = app.applications.get(number).await? else {
        return Ok(Verification::unknown());
    };
    let Some(current) = permit_of(app, &application).await? else {
        return Ok(Verification::unknown());
    };
    let same = fields_hash(&current.fields()) == hash;
    Ok(standing(
        &application,
        same,
        "work_permit",
        current.full_name,
    ))
}

/// What a check learns of the print of a granted `application` (a work permit, a
/// Digital Nomad status) whose printed fields are (`same`) or are not those of now:
/// `valid` while it holds, `expired` after its last day, `revoked` once revoked or
/// replaced by a newer print (`superseded`, after an extension).
pub(crate) fn standing(
    application: &Application,
    same: bool,
    document_type: &str,
    name: String,
) -> Verification {
    let (status, reason) = match application.status {
        Status::Revoked => ("revoked", Some("revoked")),
        _ if !same => ("revoked", Some("superseded")),
        _ if holds(application, today_in_bishkek()) => ("valid", None),
        Status::Confirmed | Status::ExtensionRequested => ("expired", None),
        _ => ("revoked", None),
    };
    let granted = application.granted();
    Verification {
        status: status.into(),
        reason: reason.map(str::to_owned),
        document_type: Some(document_type.to_owned()),
        name: Some(name),
        valid_from: granted.map(|g| g.valid_from.to_string()),
        valid_to: granted.map(|g| g.valid_until.to_string()),
    }
}
