//! Registrations as the host handles them: check the data, submit with the PIN, read
//! one, cancel before confirmation. The archive is in [`crate::archive`].

use std::sync::Arc;

use adapters::StoreError;
use adapters::housing::HousingRecord;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use domain::account::AccountId;
use domain::clock::{now_rfc3339, now_secs, today_in_bishkek};
use domain::document::DocumentKind;
use domain::stay::{
    Actor, Fee, Flag, FlagView, HousingView, Place, RegistrationView, Stay, StayForm, StayRequest,
};
use domain::{Code, DomainError, FieldError, Lang};
use http_edge::{ApiError, JsonBody, blocking};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use http_edge::EregHost as Host;

use crate::App;

/// The data obey every rule; what submitting will cost, and what an operator will see.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CheckedRegistration {
    pub fee: Fee,
    pub housing: HousingView,
    /// Where the typed data and the passport's zone or the photo need a second look;
    /// empty when nothing does. Submitting is still allowed.
    pub flags: Vec<FlagView>,
}

/// A form that obeys every rule, with the host's housing and the flags it raises.
struct Validated {
    request: StayRequest,
    housing: HousingRecord,
    flags: Vec<Flag>,
    /// Another host's registration holds the passport for some of these days: the
    /// submission goes to an operator flagged, and the host is not told.
    held_elsewhere: bool,
}

/// Every rule of the form, then every rule that needs the stores: own housing, own
/// checked scan and photo, no overlapping registration of the passport.
async fn validate(app: &App, owner: &AccountId, form: &StayForm) -> Result<Validated, ApiError> {
    let request = form.parse(today_in_bishkek(), &app.policy)?;
    let mut errors = Vec::new();
    let housing = app.housing.get(owner, &request.housing_code).await?;
    if housing.is_none() {
        errors.push(FieldError::new("housing_code", Code::HousingNotFound));
    }
    let (scan, photo) = tokio::try_join!(
        app.documents.get(request.passport_scan.as_ref()),
        app.documents.get(request.photo.as_ref()),
    )?;
    for (field, document, kind) in [
        ("passport_scan", &scan, DocumentKind::PassportScan),
        ("photo", &photo, DocumentKind::Photo),
    ] {
        if let Some(code) = adapters::documents::refusal(document.as_ref(), owner, Some(kind)) {
            errors.push(FieldError::new(field, code));
        }
    }
    let others = app
        .stays
        .of_passport(request.guest.document_number.as_ref())
        .await?;
    let holding: Vec<_> = others
        .iter()
        .filter(|other| {
            other.status.holds_the_passport()
                && domain::stay::overlaps(
                    (request.stay_from, request.stay_to),
                    (other.stay_from, other.stay_to),
                )
        })
        .collect();
    // The host's own overlapping registration is theirs to know; another host's is not.
    if holding.iter().any(|other| &other.owner == owner) {
        errors.push(FieldError::new("stay_from", Code::StayOverlaps));
    }
    let held_elsewhere = holding.iter().any(|other| &other.owner != owner);
    DomainError::unless_valid(errors)?;
    let housing = housing.expect("checked above");

    let illegible = scan.as_ref().is_some_and(|d| {
        d.findings
            .iter()
            .any(|f| f.code == Code::MrzIllegible.as_str())
    });
    let warnings: Vec<String> = photo
        .iter()
        .flat_map(|p| &p.findings)
        .filter(|f| f.severity == "warning")
        .map(|f| f.code.clone())
        .collect();
    let flags = domain::stay::review_flags(
        scan.as_ref().and_then(|d| d.mrz.as_ref()),
        illegible,
        &request.guest,
        &warnings,
    );
    Ok(Validated {
        request,
        housing,
        flags,
        held_elsewhere,
    })
}

/// "Check data": validates everything without saving and shows the fee and what an
/// operator would look at.
#[utoipa::path(post, path = "/v1/registrations/check", operation_id = "check_registration", tag = "ereg", request_body = StayForm, security(("session" = [])),
    responses(
        (status = 200, description = "Everything obeys the rules", body = CheckedRegistration),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: ereg hosts only", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: each field with its code (`required`, `housing_not_found`, `document_not_checked`, `stay_start_too_early`, `stay_before_entry`, `stay_end_before_start`, `stay_beyond_passport`, `document_expired`, `stay_overlaps` (one of the host's own registrations holds the passport those days; another host's is not told, but flagged for the operator), ...)", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn check(
    State(app): State<Arc<App>>,
    host: Host,
    Extension(lang): Extension<Lang>,
    JsonBody(form): JsonBody<StayForm>,
) -> Result<Json<CheckedRegistration>, ApiError> {
    let valid = validate(&app, &host.0.account_id, &form).await?;
    Ok(Json(CheckedRegistration {
        fee: Fee::of(&domain::stay::fee()),
        housing: HousingView {
            code: valid.housing.code,
            city: valid.housing.city,
            address: valid.housing.address,
        },
        flags: valid.flags.iter().map(|f| FlagView::of(f, lang)).collect(),
    }))
}

/// Checks the host's action PIN. Each attempt is counted before the PIN is compared,
/// one at a time, so parallel guesses cannot outrun the limit; past five wrong ones in
/// a row each attempt waits longer, as sign-in does.
async fn confirm_pin(app: &App, owner: &AccountId, pin: &Option<String>) -> Result<(), ApiError> {
    let Some(pin) = pin.as_deref().map(str::trim).filter(|p| !p.is_empty()) else {
        return Err(DomainError::Invalid(vec![FieldError::new("pin", Code::Required)]).into());
    };
    let account = app
        .accounts
        .get(owner)
        .await?
        .ok_or(DomainError::Unauthenticated(Code::Unauthenticated))?;
    let now = now_secs();
    let busy = |retry_after_secs| DomainError::TooManyRequests {
        code: Code::TooManyAttempts,
        retry_after_secs,
    };
    if let Some(wait) =
        domain::session::wait_before_attempt(account.pin_failures, account.pin_failed_at, now)
    {
        return Err(busy(wait).into());
    }
    match app
        .accounts
        .count_pin_attempt(owner, account.pin_failures, now)
        .await
    {
        Ok(()) => {}
        // Another attempt is being checked right now.
        Err(adapters::StoreError::Conflict) => return Err(busy(1).into()),
        Err(other) => return Err(other.into()),
    }
    let (pin, hash) = (pin.to_owned(), account.pin_hash.clone());
    let right =
        blocking(move || hash.is_some_and(|hash| domain::secrets::verify_secret(&pin, &hash)))
            .await?;
    if !right {
        return Err(DomainError::Invalid(vec![FieldError::new("pin", Code::WrongPin)]).into());
    }
    app.accounts.clear_pin_failures(owner).await?;
    Ok(())
}

/// A registration submitted, and what to do next.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Submitted {
    pub registration: RegistrationView,
    /// `pay`: the fee is due.
    pub next: String,
}

/// Submits a registration: the same checks as "check data", then the host's PIN. The
/// registration is saved with its 10-digit number and the fee of 103.00 KGS due; the
/// passport scan and photo it names can no longer be replaced or deleted.
#[utoipa::path(post, path = "/v1/registrations", tag = "ereg", request_body = StayForm, security(("session" = [])),
    responses(
        (status = 201, description = "Submitted; the fee is due", body = Submitted),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: as for the check, and `pin`: `required` or `wrong_pin`", body = http_edge::ProblemBody),
        (status = 429, description = "`too_many_attempts`: too many wrong PINs; `Retry-After` says when to try again", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn submit(
    State(app): State<Arc<App>>,
    host: Host,
    JsonBody(form): JsonBody<StayForm>,
) -> Result<(StatusCode, Json<Submitted>), ApiError> {
    let owner = &host.0.account_id;
    let valid = validate(&app, owner, &form).await?;
    confirm_pin(&app, owner, &form.pin).await?;
    let Validated {
        request,
        housing,
        mut flags,
        held_elsewhere,
    } = valid;
    if held_elsewhere {
        flags.push(Flag::held_by_another_host());
    }
    let actor = Actor::Account {
        id: owner.clone(),
        role: host.0.kind.as_str().to_owned(),
    };
    let place = Place {
        housing_code: housing.code,
        city: housing.city,
        address: housing.address,
    };
    let documents = [request.passport_scan.as_ref(), request.photo.as_ref()];
    for _ in 0..3 {
        let stay = Stay::submitted(
            domain::stay::application_number(),
            owner.clone(),
            request.clone(),
            place.clone(),
            flags.clone(),
            &now_rfc3339(),
        );
        match app.stays.submit(&stay, &actor, &documents).await {
            Ok(()) => {
                return Ok((
                    StatusCode::CREATED,
                    Json(Submitted {
                        registration: RegistrationView::of(&stay, &app.policy.calendar),
                        next: "pay".to_owned(),
                    }),
                ));
            }
            // A document changed since the check, or (rarely) the number was taken:
            // the check says which; otherwise try another number.
            Err(StoreError::Conflict) => {
                validate(&app, owner, &form).await?;
            }
            Err(other) => return Err(other.into()),
        }
    }
    Err(anyhow::anyhow!("no free application number in three tries").into())
}

/// The caller's registration `raw`; anyone else's or a missing one: 404.
async fn own(app: &App, owner: &AccountId, raw: &str) -> Result<Stay, ApiError> {
    let not_found = || ApiError::from(DomainError::NotFound(Code::RegistrationNotFound));
    let number = domain::stay::parse_application_number(raw).ok_or_else(not_found)?;
    app.stays
        .get(&number)
        .await?
        .filter(|r| &r.owner == owner)
        .ok_or_else(not_found)
}

/// One of the caller's registrations.
#[utoipa::path(get, path = "/v1/registrations/{number}", operation_id = "read_registration", tag = "ereg", security(("session" = [])),
    params(("number" = String, Path, description = "The 10-digit application number")),
    responses(
        (status = 200, description = "The registration", body = RegistrationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`registration_not_found`, also for another host's", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn read(
    State(app): State<Arc<App>>,
    host: Host,
    Path(number): Path<String>,
) -> Result<Json<RegistrationView>, ApiError> {
    let record = own(&app, &host.0.account_id, &number).await?;
    Ok(Json(RegistrationView::of(&record, &app.policy.calendar)))
}

/// Cancels one of the caller's registrations before confirmation; a paid fee is marked
/// for refund.
#[utoipa::path(post, path = "/v1/registrations/{number}/cancel", tag = "ereg", security(("session" = [])),
    params(("number" = String, Path, description = "The 10-digit application number")),
    responses(
        (status = 200, description = "Cancelled", body = RegistrationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`registration_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`registration_not_cancellable`: confirmed, refused, cancelled or expired", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn cancel(
    State(app): State<Arc<App>>,
    host: Host,
    Path(number): Path<String>,
) -> Result<Json<RegistrationView>, ApiError> {
    let record = own(&app, &host.0.account_id, &number).await?;
    let actor = Actor::Account {
        id: host.0.account_id.clone(),
        role: host.0.kind.as_str().to_owned(),
    };
    let cancelled = app.registrations.cancel(&record.number, &actor).await?;
    Ok(Json(RegistrationView::of(&cancelled, &app.policy.calendar)))
}
