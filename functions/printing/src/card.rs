//! The Digital Nomad electronic card: its holder prints it while the status holds,
//! rendered once per version and stored; its QR code verifies as the work permit's
//! does (valid, expired, revoked).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use domain::account::sign_up::Profile;
use domain::clock::today_in_bishkek;
use domain::ework::permit::holds;
use domain::ework::{Application, Request};
use domain::printed::fields_hash;
use domain::{Code, DomainError};
use http_edge::{ApiError, DigitalNomad};

use crate::ework::NomadCard;
use crate::{App, Printed, Verification, day, issued_at};

/// The card of `application` as printed; `None` unless a status was granted.
pub(crate) fn card_of(application: &Application) -> Option<NomadCard> {
    let (Request::Nomad(request), Some(grant)) = (&application.request, application.granted())
    else {
        return None;
    };
    let identity = &request.identity;
    let citizenship = domain::country::Country::of_zone(&identity.document_country)
        .map(|c| c.names().join(" / "))
        .unwrap_or_else(|| identity.document_country.clone());
    Some(NomadCard {
        number: application.number.clone(),
        full_name: identity.full_name(),
        birth_date: day(identity.birth_date),
        citizenship,
        passport: format!("{} {}", identity.document_country, identity.document_number),
        passport_issued: day(identity.document_issued),
        passport_expires: day(identity.document_expires),
        status_valid_until: day(grant.valid_until),
        period_of_stay: format!("{} — {}", day(grant.valid_from), day(grant.valid_until)),
        issued_at: issued_at(Some(&application.status_at)),
    })
}

/// Prints the Digital Nomad's electronic card while the status holds.
#[utoipa::path(post, path = "/v1/applications/{number}/card", tag = "printing", security(("session" = [])),
    params(("number" = String, Path, description = "`N-` and 8 digits")),
    responses(
        (status = 200, description = "The card, as a link", body = Printed),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: Digital Nomads only", body = http_edge::ProblemBody),
        (status = 404, description = "`application_not_found`, also for another account's", body = http_edge::ProblemBody),
        (status = 409, description = "`not_printable`: not granted, past its last day or revoked", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn print_card(
    State(app): State<Arc<App>>,
    DigitalNomad(principal): DigitalNomad,
    Path(number): Path<String>,
) -> Result<Json<Printed>, ApiError> {
    let application = crate::own_application(&app, &number, &principal.account_id).await?;
    let (Some(card), true) = (
        card_of(&application),
        holds(&application, today_in_bishkek()),
    ) else {
        return Err(DomainError::Conflict(Code::NotPrintable).into());
    };
    let photo = match app
        .accounts
        .get(&application.owner)
        .await?
        .map(|a| a.profile)
    {
        Some(Profile::DigitalNomad { photo, .. }) => photo.map(|p| p.to_string()),
        _ => None,
    };
    let fields = card.fields();
    let print = (card.sheet(), fields);
    Ok(Json(
        crate::granted_print(&app, &application, ("D", "card"), print, photo).await?,
    ))
}

/// The application a card's printed id names (`DN48706216` → `N-48706216`).
pub(crate) fn application_of(document_id: &str) -> Option<String> {
    let digits = document_id.strip_prefix("DN")?;
    let number = format!("N-{digits}");
    domain::ework::number_kind(&number).map(|_| number)
}

/// The standing of the print of card `number` whose printed fields hash to `hash`.
pub(crate) async fn verify_card(
    app: &App,
    number: &str,
    hash: &str,
) -> Result<Verification, ApiError> {
    let Some(application) = app.applications.get(number).await? else {
        return Ok(Verification::unknown());
    };
    let Some(current) = card_of(&application) else {
        return Ok(Verification::unknown());
    };
    let same = fields_hash(&current.fields()) == hash;
    Ok(crate::permit::standing(
        &application,
        same,
        "digital_nomad_card",
        current.full_name,
    ))
}
