//! The holder's own profile: general data (passport number masked), change requests
//! for data an operator must approve, and a new phone number confirmed by a code sent to it.

use std::sync::Arc;

use adapters::StoreError;
use adapters::accounts::{AccountRecord, AccountSummary, OneTimeSecret, PhoneChange};
use adapters::change_requests::{ChangeRequestRecord, ChangeStatus};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::account::changes::{self, proposed_profile};
use domain::account::{AccountType, Portal};
use domain::clock::{now_secs, today_in_bishkek};
use domain::notification::{Recipient, Template};
use domain::secrets::random_code;
use domain::{Code, DomainError, FieldError, PhoneNumber};
use http_edge::{ApiError, Authenticated, JsonBody};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{App, signed_in};

/// A phone code is valid ten minutes, five wrong tries, one resend a minute.
const PHONE_CODE_TTL_SECS: u64 = 600;
const PHONE_CODE_TRIES: u32 = 5;
const PHONE_RESEND_SECS: u64 = 60;
const PURPOSE_PHONE: &str = "phone-change";
/// Codes sent to new numbers per account and day.
const PHONE_CODES_PER_DAY: u32 = 5;

/// The account with its general data.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GeneralData {
    #[serde(flatten)]
    pub account: AccountSummary,
    /// Every field of the profile as registered; the document number masked.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// The change request waiting for an operator, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_change: Option<String>,
}

/// The signed-in account's general data, passport number masked (`AC***67`).
#[utoipa::path(get, path = "/v1/me/profile", tag = "sessions", security(("session" = [])),
    responses(
        (status = 200, description = "General data", body = GeneralData),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn general_data(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
) -> Result<Json<GeneralData>, ApiError> {
    let account = signed_in(&app, &principal).await?;
    Ok(Json(GeneralData {
        account: AccountSummary::from(&account),
        data: serde_json::Value::Object(changes::general_data(&account.profile)),
        pending_change: account.pending_change.clone(),
    }))
}

/// Fields to change, named as in the registration form: general data, photo
/// (`photo`) or passport pages (`passport_scan`, `passport_page1`, `passport_page2`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeRequest {
    #[schema(value_type = Object)]
    pub changes: serde_json::Map<String, serde_json::Value>,
}

/// A change request as its holder sees it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChangeRequestState {
    pub request_id: String,
    pub status: ChangeStatus,
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
    pub created_at: String,
    /// The operator's reason, when refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl From<&ChangeRequestRecord> for ChangeRequestState {
    fn from(r: &ChangeRequestRecord) -> Self {
        ChangeRequestState {
            request_id: r.request_id.clone(),
            status: r.status,
            changes: serde_json::Value::Object(r.changes.clone()),
            created_at: r.created_at.clone(),
            reason: r.decision.as_ref().and_then(|d| d.reason.clone()),
        }
    }
}

/// Asks to change general data, photo or passport pages; an operator of the account's
/// authority approves or refuses. The change is checked now by the registration rules.
#[utoipa::path(post, path = "/v1/me/change-requests", tag = "sessions", request_body = ChangeRequest, security(("session" = [])),
    responses(
        (status = 202, description = "Waiting for an operator", body = ChangeRequestState),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: staff and legal-entity hosts change data through an operator", body = http_edge::ProblemBody),
        (status = 409, description = "`change_request_pending`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields` (each field by the registration rules; `not_expected` for fields that cannot change here) or `no_changes`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn request_change(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    JsonBody(request): JsonBody<ChangeRequest>,
) -> Result<(StatusCode, Json<ChangeRequestState>), ApiError> {
    let self_registered =
        principal.kind.is_applicant() && principal.kind != AccountType::HostLegalEntity;
    let portal = principal.kind.portal().filter(|_| self_registered);
    let Some(portal) = portal else {
        return Err(DomainError::Forbidden(Code::NotForAccountType).into());
    };
    let account = signed_in(&app, &principal).await?;
    if account.pending_change.is_some() {
        return Err(DomainError::Conflict(Code::ChangeRequestPending).into());
    }
    let proposed = proposed_profile(
        account.kind,
        &account.profile,
        &request.changes,
        today_in_bishkek(),
    )?;
    own_documents(&app, &account.account_id, &request.changes).await?;
    let record = ChangeRequestRecord::pending(
        account.account_id.clone(),
        portal,
        request.changes,
        proposed,
        account.profile_version,
    );
    match app.changes.submit(&record).await {
        Ok(()) => {}
        // Another request came first, or an approved one changed the profile.
        Err(StoreError::Conflict) => {
            return Err(DomainError::Conflict(Code::ChangeRequestPending).into());
        }
        Err(other) => return Err(other.into()),
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(ChangeRequestState::from(&record)),
    ))
}

/// Each document a change names must be the holder's own upload of the right kind whose
/// check passed; otherwise `document_not_found`, `document_not_checked` or
/// `document_rejected`. Once named, the uploads function will not replace or delete it.
async fn own_documents(
    app: &App,
    owner: &domain::account::AccountId,
    changes: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), ApiError> {
    use domain::document::DocumentKind;
    let named: Vec<_> = changes
        .iter()
        .filter_map(|(field, value)| {
            let kind = DocumentKind::of_field(field)?;
            let id = value.as_str().map(str::trim).filter(|id| !id.is_empty())?;
            Some((field.clone(), id.to_owned(), Some(kind)))
        })
        .collect();
    let errors = app.documents.checked_of_owner(owner, named).await?;
    Ok(DomainError::unless_valid(errors)?)
}

/// One of the signed-in account's change requests.
#[utoipa::path(get, path = "/v1/me/change-requests/{request_id}", tag = "sessions", security(("session" = [])),
    params(("request_id" = String, Path, description = "`chg_` and 32 hex digits")),
    responses(
        (status = 200, description = "The request", body = ChangeRequestState),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 404, description = "`change_request_not_found`, also for another account's", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn change_request(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    Path(request_id): Path<String>,
) -> Result<Json<ChangeRequestState>, ApiError> {
    let not_found = || ApiError::from(DomainError::NotFound(Code::ChangeRequestNotFound));
    let id = ChangeRequestRecord::parse_id(&request_id).ok_or_else(not_found)?;
    let record = app
        .changes
        .get(id)
        .await?
        .filter(|r| r.account_id == principal.account_id)
        .ok_or_else(not_found)?;
    Ok(Json(ChangeRequestState::from(&record)))
}

/// The new phone number, and the password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PhoneChangeRequest {
    /// ereg hosts: Kyrgyz mobile `996XXXXXXXXX`; others: international format.
    pub phone: String,
    /// The phone receives sign-in codes, so changing it takes the password.
    pub password: String,
}

/// A code is on its way to the new number.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(as = PhoneCodeSent)]
pub struct CodeSent {
    pub expires_in_secs: u64,
    /// A new code may be asked for after this long.
    pub resend_after_secs: u64,
}

/// Sends a code to a new phone number; the number changes once the code is confirmed.
#[utoipa::path(post, path = "/v1/me/phone", tag = "sessions", request_body = PhoneChangeRequest, security(("session" = [])),
    responses(
        (status = 202, description = "Code sent to the new number", body = CodeSent),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `phone`, or `password: invalid_credentials`", body = http_edge::ProblemBody),
        (status = 429, description = "`resend_too_soon`, or `too_many_attempts` after five codes in a day; `Retry-After` gives the seconds", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn change_phone(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    JsonBody(request): JsonBody<PhoneChangeRequest>,
) -> Result<(StatusCode, Json<CodeSent>), ApiError> {
    let parse = if principal.kind.portal() == Some(Portal::Ereg) && principal.kind.is_applicant() {
        PhoneNumber::parse_kyrgyz_mobile
    } else {
        PhoneNumber::parse
    };
    let phone = parse(&request.phone)
        .map_err(|code| DomainError::Invalid(vec![FieldError::new("phone", code)]))?;
    let account = signed_in(&app, &principal).await?;
    crate::second_factor::check_password(&account, &request.password).await?;
    let now = now_secs();
    let today = now / 86_400;
    let (sends, attempts) = match &account.phone_change {
        Some(pending) => {
            let ready = pending.code.sent_at + PHONE_RESEND_SECS;
            if now < ready {
                return Err(DomainError::TooManyRequests {
                    code: Code::ResendTooSoon,
                    retry_after_secs: ready - now,
                }
                .into());
            }
            if pending.day == today {
                (pending.sends, pending.code.attempts)
            } else {
                (0, 0)
            }
        }
        None => (0, 0),
    };
    if sends >= PHONE_CODES_PER_DAY {
        return Err(DomainError::TooManyRequests {
            code: Code::TooManyAttempts,
            retry_after_secs: (today + 1) * 86_400 - now,
        }
        .into());
    }
    let code = random_code(6);
    let change = PhoneChange {
        code: OneTimeSecret {
            digest: app.key.digest(
                &format!("{PURPOSE_PHONE}:{}:{phone}", account.account_id),
                &code,
            ),
            sent_at: now,
            expires_at: now + PHONE_CODE_TTL_SECS,
            attempts,
            used_at: None,
        },
        phone: phone.clone(),
        sends: sends + 1,
        day: today,
    };
    app.accounts
        .start_phone_change(&account.account_id, &change)
        .await?;
    let to = Recipient {
        email: None,
        phone: Some(phone),
    };
    let template = Template::VerificationCode {
        code,
        valid_minutes: (PHONE_CODE_TTL_SECS / 60) as u32,
    };
    app.notifications
        .notify(
            &format!(
                "phone-code:{}:{}",
                account.account_id,
                &change.code.digest[..16]
            ),
            account.lang,
            to,
            template,
        )
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(CodeSent {
            expires_in_secs: PHONE_CODE_TTL_SECS,
            resend_after_secs: PHONE_RESEND_SECS,
        }),
    ))
}

/// The code sent to the new number.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PhoneConfirmation {
    pub code: String,
}

/// Confirms the new phone number with the code sent to it.
#[utoipa::path(post, path = "/v1/me/phone/confirm", tag = "sessions", request_body = PhoneConfirmation, security(("session" = [])),
    responses(
        (status = 200, description = "The phone is changed", body = AccountSummary),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 409, description = "`no_phone_change`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_code` (wrong or expired) or `code_attempts_exceeded` after five wrong ones", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn confirm_phone(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    JsonBody(request): JsonBody<PhoneConfirmation>,
) -> Result<Json<AccountSummary>, ApiError> {
    let account = signed_in(&app, &principal).await?;
    let Some(change) = account.phone_change.clone() else {
        return Err(DomainError::Conflict(Code::NoPhoneChange).into());
    };
    let now = now_secs();
    if change.code.attempts >= PHONE_CODE_TRIES {
        return Err(DomainError::Refused(Code::CodeAttemptsExceeded).into());
    }
    let purpose = format!("{PURPOSE_PHONE}:{}:{}", account.account_id, change.phone);
    let right = change.code.expires_at > now
        && app
            .key
            .matches(&purpose, request.code.trim(), &change.code.digest);
    if !right {
        match app
            .accounts
            .count_phone_code_attempt(&account.account_id, &change.code.digest)
            .await
        {
            // A conflict: a new code replaced this one meanwhile.
            Ok(()) | Err(StoreError::Conflict) => {}
            Err(other) => return Err(other.into()),
        }
        return Err(DomainError::Refused(Code::InvalidCode).into());
    }
    match app
        .accounts
        .confirm_phone_change(&account.account_id, &change, PHONE_CODE_TRIES)
        .await
    {
        Ok(()) => {}
        Err(StoreError::Conflict) => return Err(DomainError::Refused(Code::InvalidCode).into()),
        Err(other) => return Err(other.into()),
    }
    let account = AccountRecord {
        phone: change.phone,
        phone_change: None,
        phone_verified: true,
        ..account
    };
    Ok(Json(AccountSummary::from(&account)))
}
