//! The ereg activation code: typed in, it activates the host's account and the action
//! PIN follows; a new code at most once a minute.

use std::sync::Arc;

use adapters::StoreError;
use adapters::accounts::AccountRecord;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::account::{AccountStatus, Portal};
use domain::clock::now_secs;
use domain::notification::{Recipient, Template};
use domain::secrets::{hash_secret, random_code};
use domain::{Code, DomainError, EmailAddress, FieldError};
use http_edge::{ApiError, JsonBody, blocking};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::App;
use crate::confirmation::{
    AccountState, CODE_MAX_ATTEMPTS, CODE_TTL_SECS, PIN_DIGITS, PURPOSE_CODE, RESEND_AFTER_SECS,
    enqueue, fresh_secret, send_confirmation,
};

/// The activation code an ereg host received.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActivationRequest {
    pub email: String,
    pub code: String,
}

/// A request for a new activation code.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResendRequest {
    pub email: String,
}

/// The new code's validity, the same whatever the email.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(as = ActivationCodeSent)]
pub struct CodeSent {
    pub code_expires_in_secs: u64,
    pub resend_after_secs: u64,
}

fn parse_email(raw: &str) -> Result<EmailAddress, ApiError> {
    EmailAddress::parse(raw)
        .map_err(|code| DomainError::Invalid(vec![FieldError::new("email", code)]).into())
}

/// The pending ereg account of `email`, if any.
async fn pending_host(app: &App, email: &EmailAddress) -> Result<Option<AccountRecord>, ApiError> {
    let account = app.accounts.find_by_email(email).await?;
    Ok(account.filter(|a| {
        a.kind.portal() == Some(Portal::Ereg) && a.status == AccountStatus::PendingConfirmation
    }))
}

/// Activates an ereg host account with the code sent by email and SMS; the permanent
/// action PIN follows by email and SMS.
#[utoipa::path(post, path = "/v1/accounts/activation", operation_id = "activate_account_with_code", tag = "accounts", request_body = ActivationRequest,
    responses(
        (status = 200, description = "Active", body = AccountState),
        (status = 422, description = "`invalid_code` (wrong, expired or used) or `code_attempts_exceeded` (request a new code)", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn activate(
    State(app): State<Arc<App>>,
    JsonBody(request): JsonBody<ActivationRequest>,
) -> Result<Json<AccountState>, ApiError> {
    let email = parse_email(&request.email)?;
    let invalid = || ApiError::from(DomainError::Refused(Code::InvalidCode));
    let account = pending_host(&app, &email).await?.ok_or_else(invalid)?;
    let code = account.activation_code.clone().ok_or_else(invalid)?;
    if code.attempts >= CODE_MAX_ATTEMPTS {
        return Err(DomainError::Refused(Code::CodeAttemptsExceeded).into());
    }
    if code.expires_at <= now_secs() || code.used_at.is_some() {
        return Err(invalid());
    }
    let id = &account.account_id;
    if !app.key.matches(
        &format!("{PURPOSE_CODE}:{id}"),
        request.code.trim(),
        &code.digest,
    ) {
        match app.accounts.spend_activation_attempt(id, &code).await {
            // A conflict: another attempt counted first, or a new code was sent.
            Ok(()) | Err(StoreError::Conflict) => {}
            Err(other) => return Err(other.into()),
        }
        return Err(if code.attempts + 1 >= CODE_MAX_ATTEMPTS {
            DomainError::Refused(Code::CodeAttemptsExceeded).into()
        } else {
            invalid()
        });
    }
    let pin = random_code(PIN_DIGITS);
    let secret = pin.clone();
    let pin_hash = blocking(move || hash_secret(&secret)).await?;
    match app.accounts.activate_with_pin(id, &code, pin_hash).await {
        Ok(()) => {}
        // A concurrent attempt changed the code first; this one counts as wrong.
        Err(StoreError::Conflict) => return Err(invalid()),
        Err(other) => return Err(other.into()),
    }
    let to = Recipient {
        email: Some(account.email.clone()),
        phone: Some(account.phone.clone()),
    };
    enqueue(
        &app,
        format!("action-pin:{id}:{}", &code.digest[..16]),
        account.lang,
        to,
        Template::ActionPin { pin },
    )
    .await?;
    Ok(Json(AccountState {
        status: AccountStatus::Active.as_str().into(),
    }))
}

/// Sends a new activation code, at most once a minute. Unknown or already active
/// emails get the same answer and nothing is sent.
#[utoipa::path(post, path = "/v1/accounts/activation/code", tag = "accounts", request_body = ResendRequest,
    responses(
        (status = 202, description = "A new code is on its way if the account waits for one", body = CodeSent),
        (status = 429, description = "`resend_too_soon`; `Retry-After` gives the seconds to wait", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn resend_code(
    State(app): State<Arc<App>>,
    JsonBody(request): JsonBody<ResendRequest>,
) -> Result<(StatusCode, Json<CodeSent>), ApiError> {
    let email = parse_email(&request.email)?;
    let sent = (
        StatusCode::ACCEPTED,
        Json(CodeSent {
            code_expires_in_secs: CODE_TTL_SECS,
            resend_after_secs: RESEND_AFTER_SECS,
        }),
    );
    let Some(account) = pending_host(&app, &email).await? else {
        return Ok(sent);
    };
    let last = account
        .activation_code
        .as_ref()
        .map(|c| c.sent_at)
        .unwrap_or(0);
    let now = now_secs();
    if now < last + RESEND_AFTER_SECS {
        return Err(DomainError::TooManyRequests {
            code: Code::ResendTooSoon,
            retry_after_secs: last + RESEND_AFTER_SECS - now,
        }
        .into());
    }
    let (code, stored) = fresh_secret(&app, &account.account_id, Portal::Ereg);
    match app
        .accounts
        .resend_activation_code(&account.account_id, last, &stored)
        .await
    {
        Ok(()) => {}
        Err(StoreError::Conflict) => {
            // Another resend won the race; its code is on its way.
            return Err(DomainError::TooManyRequests {
                code: Code::ResendTooSoon,
                retry_after_secs: RESEND_AFTER_SECS,
            }
            .into());
        }
        Err(other) => return Err(other.into()),
    }
    send_confirmation(&app, &account.with_pending_secret(stored), &code).await?;
    Ok(sent)
}
