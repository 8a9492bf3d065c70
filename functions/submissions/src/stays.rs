//! Registrations as the host handles them: check the data, submit with the PIN, read
//! and filter the archive, cancel before confirmation.

use std::sync::Arc;

use adapters::registrations::MoveError;
use adapters::stays::{Actor, ArchiveFilter, AuditEntry, HousingRecord, StayRecord};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use domain::account::AccountId;
use domain::account::values::{CountryCode, DocumentNumber, PropertyCode, parse_date};
use domain::clock::{now_rfc3339, now_secs, today_in_bishkek};
use domain::document::DocumentKind;
use domain::stay::{
    CURRENCY, FEE_MINOR, Flag, PaymentStatus, Purpose, StayForm, StayRequest, StayStatus,
};
use domain::{Code, DomainError, FieldError, Lang};
use http_edge::{ApiError, JsonBody, blocking, unexpected};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use http_edge::EregHost as Host;

use crate::App;

/// A fee in integer minor units (tyiyn) and as printed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Fee {
    pub amount_minor: u64,
    pub currency: String,
    /// `103.00`.
    pub amount: String,
}

impl Fee {
    pub fn of(amount_minor: u64, currency: &str) -> Self {
        Fee {
            amount_minor,
            currency: currency.to_owned(),
            amount: domain::payment::amount_text(amount_minor),
        }
    }
}

/// The foreigner, the passport number masked.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GuestView {
    pub full_name: String,
    pub birth_date: String,
    /// `M` or `F`.
    pub sex: String,
    pub nationality: String,
    pub document_country: String,
    /// `FA***67`.
    pub document_number: String,
    pub document_expires: String,
}

/// Where the foreigner stays.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HousingView {
    pub code: String,
    pub city: String,
    pub address: String,
}

/// A registration as its host sees it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegistrationView {
    /// The 10-digit application number.
    pub number: String,
    /// RFC 3339, UTC.
    pub submitted_at: String,
    pub status: StayStatus,
    pub payment: PaymentStatus,
    pub fee: Fee,
    /// The 14-digit registration number, once confirmed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_number: Option<String>,
    pub guest: GuestView,
    pub housing: HousingView,
    pub entry_date: String,
    pub stay_from: String,
    pub stay_to: String,
    pub purpose: Purpose,
    pub phone: String,
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
}

impl From<&StayRecord> for RegistrationView {
    fn from(r: &StayRecord) -> Self {
        let g = &r.guest;
        RegistrationView {
            number: r.number.clone(),
            submitted_at: r.created_at.clone(),
            status: r.status,
            payment: r.payment,
            fee: Fee::of(r.fee_minor, &r.currency),
            registration_number: r.registration_number.clone(),
            guest: GuestView {
                full_name: r.guest_name.clone(),
                birth_date: g.birth_date.to_string(),
                sex: serde_json::to_value(g.sex)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                nationality: g.nationality.to_string(),
                document_country: g.document_country.to_string(),
                document_number: g.document_number.masked(),
                document_expires: g.document_expires.to_string(),
            },
            housing: HousingView {
                code: r.housing_code.clone(),
                city: r.city.clone(),
                address: r.address.clone(),
            },
            entry_date: r.entry_date.to_string(),
            stay_from: r.stay_from.to_string(),
            stay_to: r.stay_to.to_string(),
            purpose: r.purpose,
            phone: r.phone.to_string(),
            email: r.email.to_string(),
            refusal_reason: r.refusal_reason.clone(),
            decided_at: r.decided_at.clone(),
        }
    }
}

/// Something to look at before submitting, in the caller's language.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FlagView {
    #[serde(flatten)]
    pub flag: Flag,
    pub message: String,
}

impl FlagView {
    pub fn of(flag: &Flag, lang: Lang) -> Self {
        FlagView {
            flag: flag.clone(),
            message: Code::parse(&flag.code)
                .map(|c| c.message(lang).to_owned())
                .unwrap_or_default(),
        }
    }
}

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
}

/// Every rule of the form, then every rule that needs the stores: own housing, own
/// checked scan and photo, no overlapping registration of the passport.
async fn validate(app: &App, owner: &AccountId, form: &StayForm) -> Result<Validated, ApiError> {
    let request = form.parse(today_in_bishkek(), &app.policy)?;
    let mut errors = Vec::new();
    let housing = app
        .housing
        .get(owner, &request.housing_code)
        .await
        .map_err(unexpected)?;
    if housing.is_none() {
        errors.push(FieldError::new("housing_code", Code::HousingNotFound));
    }
    let (scan, photo) = tokio::try_join!(
        app.documents.get(request.passport_scan.as_ref()),
        app.documents.get(request.photo.as_ref()),
    )
    .map_err(unexpected)?;
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
        .await
        .map_err(unexpected)?;
    if others.iter().any(|other| {
        other.status.holds_the_passport()
            && domain::stay::overlaps(
                (request.stay_from, request.stay_to),
                (other.stay_from, other.stay_to),
            )
    }) {
        errors.push(FieldError::new("stay_from", Code::StayOverlaps));
    }
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
    })
}

/// "Check data": validates everything without saving and shows the fee and what an
/// operator would look at.
#[utoipa::path(post, path = "/v1/registrations/check", tag = "ereg", request_body = StayForm, security(("session" = [])),
    responses(
        (status = 200, description = "Everything obeys the rules", body = CheckedRegistration),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: ereg hosts only", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: each field with its code (`required`, `housing_not_found`, `document_not_checked`, `stay_start_too_early`, `stay_before_entry`, `stay_end_before_start`, `stay_beyond_passport`, `document_expired`, `stay_overlaps`, ...)", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn check(
    State(app): State<Arc<App>>,
    host: Host,
    Extension(lang): Extension<Lang>,
    JsonBody(form): JsonBody<StayForm>,
) -> Result<Json<CheckedRegistration>, ApiError> {
    let valid = validate(&app, &host.0.account_id, &form).await?;
    Ok(Json(CheckedRegistration {
        fee: Fee::of(FEE_MINOR, CURRENCY),
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
        flags,
    } = valid;
    let actor = Actor::Account {
        id: owner.clone(),
        role: host.0.kind.as_str().to_owned(),
    };
    for _ in 0..3 {
        let number = domain::stay::application_number();
        let now = now_rfc3339();
        let record = StayRecord {
            pk: StayRecord::key(&number),
            number: number.clone(),
            owner: owner.clone(),
            version: 1,
            status: StayStatus::AwaitingPayment,
            payment: PaymentStatus::Unpaid,
            fee_minor: FEE_MINOR,
            currency: CURRENCY.to_owned(),
            housing_code: housing.code.clone(),
            city: housing.city.clone(),
            address: housing.address.clone(),
            guest_name: request.guest.full_name(),
            guest: request.guest.clone(),
            entry_date: request.entry_date,
            phone: request.phone.clone(),
            email: request.email.clone(),
            stay_from: request.stay_from,
            stay_to: request.stay_to,
            purpose: request.purpose,
            passport_scan: request.passport_scan.to_string(),
            photo: request.photo.to_string(),
            flags: flags.clone(),
            registration_number: None,
            created_at: now.clone(),
            updated_at: now,
            paid_at: None,
            decided_at: None,
            decided_by: None,
            refusal_reason: None,
            passport_key: request.guest.document_number.to_string(),
            queue_key: None,
            queued_at: None,
            valid_key: None,
        };
        let audit = AuditEntry::new(&record, None, &actor, "submitted", None);
        let extra = [&request.passport_scan, &request.photo]
            .into_iter()
            .map(|id| adapters::stays::document_in_use_op(&app.documents_table, id.as_ref(), owner))
            .collect::<Result<Vec<_>, _>>()
            .map_err(unexpected)?;
        if app
            .stays
            .create(&record, &audit, extra)
            .await
            .map_err(unexpected)?
        {
            return Ok((
                StatusCode::CREATED,
                Json(Submitted {
                    registration: RegistrationView::from(&record),
                    next: "pay".to_owned(),
                }),
            ));
        }
        // A document changed since the check, or (rarely) the number was taken: the
        // check says which; otherwise try another number.
        validate(&app, owner, &form).await?;
    }
    Err(unexpected(anyhow::anyhow!(
        "no free application number in three tries"
    )))
}

/// Filters of the archive; every one optional.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArchiveQuery {
    /// The 10-digit application number.
    pub number: Option<String>,
    /// Submitted on or after this day (`YYYY-MM-DD`).
    pub submitted_from: Option<String>,
    /// Submitted on or before this day.
    pub submitted_to: Option<String>,
    /// The 14-digit registration number.
    pub registration_number: Option<String>,
    /// Any part of the full name.
    pub name: Option<String>,
    pub birth_date: Option<String>,
    pub passport_country: Option<String>,
    pub passport_number: Option<String>,
    pub housing_code: Option<String>,
    /// Registrations whose period includes this day.
    pub on_date: Option<String>,
    /// `unpaid`, `paid` or `refund_due`.
    pub payment: Option<String>,
    /// `awaiting_payment`, `paid`, `valid`, `refused`, `cancelled` or `expired`.
    pub status: Option<String>,
    /// 1 to 100; 20 when absent.
    pub limit: Option<String>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

impl ArchiveQuery {
    fn parse(&self) -> Result<(ArchiveFilter, usize), DomainError> {
        let mut errors = Vec::new();
        let mut field =
            |name: &str, raw: &Option<String>, parse: &dyn Fn(&str) -> Result<String, Code>| {
                raw.as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .and_then(|r| {
                        parse(r)
                            .map_err(|code| errors.push(FieldError::new(name, code)))
                            .ok()
                    })
            };
        let date = |raw: &str| parse_date(raw).map(|d| d.to_string());
        let text = |raw: &str| Ok(raw.to_owned());
        let digits = |n: usize| {
            move |raw: &str| {
                (raw.len() == n && raw.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| raw.to_owned())
                    .ok_or(Code::InvalidValue)
            }
        };
        let number = field("number", &self.number, &digits(10));
        let submitted_from = field("submitted_from", &self.submitted_from, &date);
        let submitted_to = field("submitted_to", &self.submitted_to, &date);
        let registration_number = field(
            "registration_number",
            &self.registration_number,
            &digits(14),
        );
        let name = field("name", &self.name, &text);
        let birth_date = field("birth_date", &self.birth_date, &date);
        let passport_country = field("passport_country", &self.passport_country, &|raw| {
            CountryCode::parse(raw).map(|c| c.to_string())
        });
        let passport_number = field("passport_number", &self.passport_number, &|raw| {
            DocumentNumber::parse(raw).map(|n| n.to_string())
        });
        let housing_code = field("housing_code", &self.housing_code, &|raw| {
            PropertyCode::parse(raw).map(|c| c.to_string())
        });
        let on_date = field("on_date", &self.on_date, &date);
        let payment = field("payment", &self.payment, &|raw| {
            PaymentStatus::parse(raw)
                .map(|p| p.as_str().to_owned())
                .ok_or(Code::InvalidValue)
        });
        let status = field("status", &self.status, &|raw| {
            StayStatus::parse(raw)
                .map(|s| s.as_str().to_owned())
                .ok_or(Code::InvalidValue)
        });
        let limit = field("limit", &self.limit, &|raw| {
            raw.parse::<usize>()
                .ok()
                .filter(|l| (1..=100).contains(l))
                .map(|l| l.to_string())
                .ok_or(Code::InvalidValue)
        });
        DomainError::unless_valid(errors)?;
        let day = |d: Option<String>| d.and_then(|d| parse_date(&d).ok());
        Ok((
            ArchiveFilter {
                number,
                submitted_from,
                submitted_to,
                registration_number,
                name,
                birth_date: day(birth_date),
                passport_country,
                passport_number,
                housing_code,
                on_date: day(on_date),
                payment: payment.and_then(|p| PaymentStatus::parse(&p)),
                status: status.and_then(|s| StayStatus::parse(&s)),
            },
            limit.and_then(|l| l.parse().ok()).unwrap_or(20),
        ))
    }
}

/// One page of the archive.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Archive {
    pub registrations: Vec<RegistrationView>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// The host's registrations, newest first, filtered by any column, a page at a time.
#[utoipa::path(get, path = "/v1/registrations", tag = "ereg", params(ArchiveQuery), security(("session" = [])),
    responses(
        (status = 200, description = "One page", body = Archive),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: a filter that does not parse", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn archive(
    State(app): State<Arc<App>>,
    host: Host,
    Query(query): Query<ArchiveQuery>,
) -> Result<Json<Archive>, ApiError> {
    let (filter, limit) = query.parse()?;
    let page = app
        .stays
        .archive(&host.0.account_id, &filter, query.cursor.as_deref(), limit)
        .await
        .map_err(unexpected)?;
    Ok(Json(Archive {
        registrations: page.items.iter().map(RegistrationView::from).collect(),
        next: page.next,
    }))
}

/// The caller's registration `raw`; anyone else's or a missing one: 404.
async fn own(app: &App, owner: &AccountId, raw: &str) -> Result<StayRecord, ApiError> {
    let not_found = || ApiError::from(DomainError::NotFound(Code::RegistrationNotFound));
    let number = domain::stay::parse_application_number(raw).ok_or_else(not_found)?;
    app.stays
        .get(&number)
        .await
        .map_err(unexpected)?
        .filter(|r| &r.owner == owner)
        .ok_or_else(not_found)
}

/// One of the caller's registrations.
#[utoipa::path(get, path = "/v1/registrations/{number}", tag = "ereg", security(("session" = [])),
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
    Ok(Json(RegistrationView::from(&record)))
}

/// The error of a move, for the caller.
pub fn move_error(err: MoveError) -> ApiError {
    match err {
        MoveError::Refused(code @ Code::RegistrationNotFound) => DomainError::NotFound(code).into(),
        MoveError::Refused(code) => DomainError::Conflict(code).into(),
        other => unexpected(other),
    }
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
    let cancelled = app
        .registrations
        .cancel(&record.number, &actor)
        .await
        .map_err(move_error)?;
    Ok(Json(RegistrationView::from(&cancelled)))
}
