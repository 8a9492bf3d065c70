//! The extract from the quota commission's protocol: an employer prints it once their
//! quota application is confirmed, rendered once per version of the application and
//! stored; its QR code verifies as valid while the application stays confirmed, and as
//! revoked once it is annulled.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use domain::account::sign_up::Profile;
use domain::ework::{Application, Outcome, Status};
use domain::printed::fields_hash;
use domain::{Code, DomainError};
use http_edge::{ApiError, EworkApplicant, unexpected};

use crate::ework::{Allocation, ProtocolExtract};
use crate::{App, Printed, Verification, day, printed, sheet, signed};

/// The extract of `application` as printed; `None` unless it was confirmed.
pub(crate) async fn extract_of(
    app: &App,
    application: &Application,
) -> Result<Option<ProtocolExtract>, ApiError> {
    let Some(Outcome::Confirmed(allocation)) = &application.outcome else {
        return Ok(None);
    };
    let employer = app.accounts.get(&application.owner).await?;
    let tax_id = match employer.as_ref().map(|e| &e.profile) {
        Some(Profile::Employer { tax_id, .. }) => tax_id.to_string(),
        _ => String::new(),
    };
    Ok(Some(ProtocolExtract {
        application: application.number.clone(),
        employer: application.applicant_name.clone(),
        employer_tax_id: tax_id,
        protocol_number: allocation.protocol_number.clone(),
        decision_date: day(allocation.decision_date),
        allocations: allocation
            .rows
            .iter()
            .filter(|row| row.allocated > 0)
            .map(|row| Allocation {
                country: row.country.names().join(" / "),
                position: row.position.clone(),
                count: row.allocated,
            })
            .collect(),
        issued_at: application
            .status_at
            .chars()
            .take(16)
            .collect::<String>()
            .replace('T', " "),
    }))
}

/// Prints the protocol extract of one of the caller's quota applications once it is
/// confirmed.
#[utoipa::path(post, path = "/v1/applications/{number}/extract", tag = "printing", security(("session" = [])),
    params(("number" = String, Path, description = "`Q-` and 8 digits")),
    responses(
        (status = 200, description = "The extract, as a link", body = Printed),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: e-work applicants only", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`, also for another account's", body = http_edge::ProblemBody),
        (status = 409, description = "`not_printable`: not (or no longer) confirmed", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn print_extract(
    State(app): State<Arc<App>>,
    EworkApplicant(principal): EworkApplicant,
    Path(number): Path<String>,
) -> Result<Json<Printed>, ApiError> {
    let application = crate::own_application(&app, &number, &principal.account_id).await?;
    let extract = extract_of(&app, &application).await?;
    let (Some(extract), Status::Confirmed) = (extract, application.status) else {
        return Err(DomainError::Conflict(Code::NotPrintable).into());
    };
    let (payload, verify_url) = signed(
        &app,
        document_id(&application.number),
        application.version,
        &extract.fields(),
    );
    let key = format!(
        "printed/extract/{}/v{}.pdf",
        application.number, application.version
    );
    let url = verify_url.clone();
    let pdf = async move {
        http_edge::blocking(move || sheet::render(&extract.sheet(), None, &url))
            .await?
            .map_err(unexpected)
    };
    Ok(Json(printed(&app, &key, pdf, payload, verify_url).await?))
}

/// The printed id of the extract of application `number`: `E` and the number without
/// its dash (`EQ93854103`), as payload ids are letters and digits only.
fn document_id(number: &str) -> String {
    format!("E{}", number.replace('-', ""))
}

/// The application number an extract's printed id names (`EQ93854103` → `Q-93854103`).
pub(crate) fn application_of(document_id: &str) -> Option<String> {
    let rest = document_id.strip_prefix('E')?;
    let (letter, digits) = rest.split_at_checked(1)?;
    let number = format!("{letter}-{digits}");
    (domain::ework::number_kind(&number) == Some(domain::ework::Kind::Quota)).then_some(number)
}

/// The standing of the extract of application `number` whose printed fields hash to
/// `hash`: valid while confirmed with the same fields, revoked otherwise.
pub(crate) async fn verify_extract(
    app: &App,
    number: &str,
    hash: &str,
) -> Result<Verification, ApiError> {
    let Some(application) = app.applications.get(number).await? else {
        return Ok(Verification::unknown());
    };
    let current = extract_of(app, &application).await?;
    let same = current.as_ref().map(|e| fields_hash(&e.fields())) == Some(hash.to_owned());
    let status = if application.status == Status::Confirmed && same {
        "valid"
    } else {
        "revoked"
    };
    Ok(Verification {
        status: status.into(),
        reason: None,
        document_type: Some("protocol_extract".into()),
        name: Some(application.applicant_name.clone()),
        valid_from: None,
        valid_to: None,
    })
}
