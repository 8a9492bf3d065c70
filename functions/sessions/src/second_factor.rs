//! The optional second factor: an authenticator app (TOTP) with ten single-use backup
//! codes, or a code by SMS. Turning it on, switching or off needs the password; an
//! authenticator is on only once a code from it has been entered.
//!
//! At sign-in, a right password on such an account gives a short-lived sign-in token
//! instead of a session (`202`); the token and a code give the session. Five wrong
//! codes end the sign-in; each authenticator code works once.

use std::sync::Arc;

use adapters::StoreError;
use adapters::accounts::AccountRecord;
use adapters::sessions::PendingSignIn;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use domain::clock::now_secs;
use domain::notification::{Recipient, Template};
use domain::second_factor::{
    MAX_ATTEMPTS, PURPOSE_BACKUP, SecondFactor, check_code, enrolment, new_backup_codes, new_seed,
    normalise_backup_code,
};
use domain::secrets::{random_code, random_token, verify_secret};
use domain::{Code, DomainError, FieldError};
use http_edge::{ApiError, Authenticated, JsonBody, blocking};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use domain::session::FORGET_FAILURES_SECS;

use crate::{App, SessionIssued, account_subject, issue_session, signed_in};

const PURPOSE_PENDING: &str = "pending-sign-in";
const PURPOSE_SMS: &str = "sign-in-sms";

/// The password is right; a second factor is needed.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SecondFactorRequired {
    /// `totp` (authenticator app or a backup code) or `sms` (a code was just sent).
    pub second_factor: String,
    /// Send it back with the code to `POST /v1/sessions/second-factor`.
    pub sign_in_token: String,
    pub expires_in_secs: u64,
}

/// Starts a sign-in that waits for the second factor; for SMS, sends the code.
pub(crate) async fn begin(
    app: &App,
    account: &AccountRecord,
    factor: &SecondFactor,
    now: u64,
) -> Result<SecondFactorRequired, ApiError> {
    let token = random_token();
    let digest = app.key.digest(PURPOSE_PENDING, &token);
    let code = matches!(factor, SecondFactor::Sms).then(|| random_code(6));
    app.sessions
        .put_pending(&PendingSignIn::new(
            &digest,
            account.account_id.clone(),
            account.session_epoch,
            code.as_ref()
                .map(|c| app.key.digest(&format!("{PURPOSE_SMS}:{digest}"), c)),
            now + factor.pending_secs(),
        ))
        .await?;
    if let Some(code) = code {
        let to = Recipient {
            email: None,
            phone: Some(account.phone.clone()),
        };
        let template = Template::VerificationCode {
            code,
            valid_minutes: (factor.pending_secs() / 60) as u32,
        };
        app.notifications
            .notify(
                &format!("sign-in-code:{}", &digest[..32]),
                account.lang,
                to,
                template,
            )
            .await?;
    }
    Ok(SecondFactorRequired {
        second_factor: factor.method().to_owned(),
        sign_in_token: token,
        expires_in_secs: factor.pending_secs(),
    })
}

/// The sign-in token and a code: from the authenticator, a backup code, or the SMS.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SecondFactorAnswer {
    pub sign_in_token: String,
    pub code: String,
}

/// Completes a sign-in with the second factor.
#[utoipa::path(post, path = "/v1/sessions/second-factor", tag = "sessions", request_body = SecondFactorAnswer,
    responses(
        (status = 201, description = "Signed in", body = SessionIssued),
        (status = 401, description = "`sign_in_expired`: unknown, used or expired sign-in token", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_code`; the fifth wrong one ends the sign-in with `code_attempts_exceeded`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn complete_sign_in(
    State(app): State<Arc<App>>,
    JsonBody(answer): JsonBody<SecondFactorAnswer>,
) -> Result<(StatusCode, Json<SessionIssued>), ApiError> {
    let expired = || ApiError::from(DomainError::Unauthenticated(Code::SignInExpired));
    let now = now_secs();
    let digest = app.key.digest(PURPOSE_PENDING, answer.sign_in_token.trim());
    let pending = app
        .sessions
        .get_pending(&digest)
        .await?
        .filter(|p| p.expires_at > now && p.attempts < MAX_ATTEMPTS)
        .ok_or_else(expired)?;
    let account = app
        .accounts
        .get(&pending.account_id)
        .await?
        .filter(|a| {
            a.status == domain::account::AccountStatus::Active && a.session_epoch == pending.epoch
        })
        .ok_or_else(expired)?;
    // The attempt is spent before the code is looked at.
    let attempt = match app.sessions.count_attempt(&digest, MAX_ATTEMPTS).await {
        Ok(attempt) => attempt,
        // Gone meanwhile, or no attempts left.
        Err(StoreError::Conflict) => return Err(expired()),
        Err(other) => return Err(other.into()),
    };
    let right = match (&account.second_factor, &pending.code_digest) {
        (Some(SecondFactor::Sms), Some(code_digest)) => app.key.matches(
            &format!("{PURPOSE_SMS}:{digest}"),
            answer.code.trim(),
            code_digest,
        ),
        (Some(SecondFactor::Totp { seed, backup_codes }), None) => {
            totp_or_backup(&app, &account, seed, backup_codes, &answer.code, now).await?
        }
        // The factor changed since the password was checked: start again.
        _ => return Err(expired()),
    };
    let subject = account_subject(&account.sign_in);
    if !right {
        // A wrong code counts as a failed sign-in of the account: with the password
        // known, guessing codes one sign-in after another meets the same growing delays.
        app.sessions
            .record_failure(&subject, now, FORGET_FAILURES_SECS)
            .await?;
        if attempt >= MAX_ATTEMPTS {
            match app.sessions.take_pending(&digest).await {
                // A parallel attempt ended it first: ended all the same.
                Ok(()) | Err(StoreError::Conflict) => {}
                Err(other) => return Err(other.into()),
            }
            return Err(DomainError::Refused(Code::CodeAttemptsExceeded).into());
        }
        return Err(DomainError::Refused(Code::InvalidCode).into());
    }
    match app.sessions.take_pending(&digest).await {
        Ok(()) => {}
        // A parallel attempt with a right code took it first.
        Err(StoreError::Conflict) => return Err(expired()),
        Err(other) => return Err(other.into()),
    }
    app.sessions.clear_failures(&subject).await?;
    let issued = issue_session(&app, &account, now).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// An authenticator code of a step not used before, or an unused backup code (spent now).
async fn totp_or_backup(
    app: &App,
    account: &AccountRecord,
    seed: &str,
    backup_codes: &[String],
    code: &str,
    now: u64,
) -> Result<bool, ApiError> {
    let id = &account.account_id;
    let spent = if let Some(step) = check_code(&app.key, seed, code, now) {
        app.accounts.use_totp_step(id, step).await
    } else {
        let digest = app.key.digest(PURPOSE_BACKUP, &normalise_backup_code(code));
        let Some(index) = backup_codes.iter().position(|d| *d == digest) else {
            return Ok(false);
        };
        app.accounts.spend_backup_code(id, index, &digest).await
    };
    match spent {
        Ok(()) => Ok(true),
        // Used already: a code works once.
        Err(StoreError::Conflict) => Ok(false),
        Err(other) => Err(other.into()),
    }
}

/// The account's password, to confirm a change of its second factor.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordConfirmation {
    pub password: String,
}

pub(crate) async fn check_password(
    account: &AccountRecord,
    password: &str,
) -> Result<(), ApiError> {
    let (password, hash) = (password.to_owned(), account.password_hash.clone());
    if blocking(move || verify_secret(&password, &hash)).await? {
        Ok(())
    } else {
        Err(
            DomainError::Invalid(vec![FieldError::new("password", Code::InvalidCredentials)])
                .into(),
        )
    }
}

/// What to add to an authenticator app.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TotpEnrolment {
    /// The secret in base32, to type in by hand.
    pub secret: String,
    pub otpauth_uri: String,
    /// The QR code of the URI, as a PNG data URL.
    pub qr_png: String,
}

/// Starts adding an authenticator app: its secret, URI and QR code. It is on only once a
/// code from it is confirmed.
#[utoipa::path(post, path = "/v1/me/second-factor/totp", tag = "sessions", request_body = PasswordConfirmation, security(("session" = [])),
    responses(
        (status = 200, description = "Scan the QR code, then confirm a code", body = TotpEnrolment),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `password: invalid_credentials`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn enrol_totp(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    JsonBody(request): JsonBody<PasswordConfirmation>,
) -> Result<Json<TotpEnrolment>, ApiError> {
    let account = signed_in(&app, &principal).await?;
    check_password(&account, &request.password).await?;
    let seed = new_seed();
    app.accounts.enrol_totp(&account.account_id, &seed).await?;
    let name = account
        .sign_in
        .split_once(':')
        .map_or("", |(_, n)| n)
        .to_owned();
    let key = app.key.clone();
    let e = blocking(move || enrolment(&key, &seed, &name)).await?;
    Ok(Json(TotpEnrolment {
        secret: e.secret,
        otpauth_uri: e.uri,
        qr_png: format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(e.qr_png)
        ),
    }))
}

/// A code from the authenticator being added.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TotpConfirmation {
    pub code: String,
}

/// The authenticator is on; keep these codes, each works once instead of the app.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BackupCodes {
    pub second_factor: String,
    /// Shown once; only their digests are kept.
    pub backup_codes: Vec<String>,
}

/// Confirms the authenticator with a code from it; answers ten backup codes, shown once.
#[utoipa::path(post, path = "/v1/me/second-factor/totp/confirm", tag = "sessions", request_body = TotpConfirmation, security(("session" = [])),
    responses(
        (status = 200, description = "On", body = BackupCodes),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 409, description = "`no_enrolment`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_code`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn confirm_totp(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    JsonBody(request): JsonBody<TotpConfirmation>,
) -> Result<Json<BackupCodes>, ApiError> {
    let account = signed_in(&app, &principal).await?;
    let seed = account
        .totp_pending
        .clone()
        .ok_or(DomainError::Conflict(Code::NoEnrolment))?;
    let now = now_secs();
    let step = check_code(&app.key, &seed, &request.code, now)
        .ok_or(DomainError::Refused(Code::InvalidCode))?;
    let codes = new_backup_codes();
    let factor = SecondFactor::Totp {
        seed: seed.clone(),
        backup_codes: codes
            .iter()
            .map(|c| app.key.digest(PURPOSE_BACKUP, &normalise_backup_code(c)))
            .collect(),
    };
    match app
        .accounts
        .confirm_totp(&account.account_id, &seed, &factor, step)
        .await
    {
        Ok(()) => {}
        // Replaced or confirmed meanwhile.
        Err(StoreError::Conflict) => return Err(DomainError::Conflict(Code::NoEnrolment).into()),
        Err(other) => return Err(other.into()),
    }
    Ok(Json(BackupCodes {
        second_factor: "totp".into(),
        backup_codes: codes,
    }))
}

/// The second factor as it now is.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SecondFactorState {
    /// `sms`, or absent when off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_factor: Option<String>,
}

/// Uses codes by SMS to the account's phone as the second factor (replacing an
/// authenticator). The phone must be proven first: a code sent to it came back
/// (`POST /v1/me/phone` with the same number, then its confirmation).
#[utoipa::path(put, path = "/v1/me/second-factor/sms", tag = "sessions", request_body = PasswordConfirmation, security(("session" = [])),
    responses(
        (status = 200, description = "On", body = SecondFactorState),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 409, description = "`phone_not_verified`: no code sent to the phone has come back yet", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `password: invalid_credentials`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn use_sms(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    JsonBody(request): JsonBody<PasswordConfirmation>,
) -> Result<Json<SecondFactorState>, ApiError> {
    let account = signed_in(&app, &principal).await?;
    check_password(&account, &request.password).await?;
    if !account.phone_verified {
        return Err(DomainError::Conflict(Code::PhoneNotVerified).into());
    }
    app.accounts.use_sms_factor(&account.account_id).await?;
    Ok(Json(SecondFactorState {
        second_factor: Some("sms".into()),
    }))
}

/// Turns the second factor off.
#[utoipa::path(delete, path = "/v1/me/second-factor", tag = "sessions", request_body = PasswordConfirmation, security(("session" = [])),
    responses(
        (status = 200, description = "Off", body = SecondFactorState),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 409, description = "`no_second_factor`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `password: invalid_credentials`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn turn_off(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    JsonBody(request): JsonBody<PasswordConfirmation>,
) -> Result<Json<SecondFactorState>, ApiError> {
    let account = signed_in(&app, &principal).await?;
    if account.second_factor.is_none() {
        return Err(DomainError::Conflict(Code::NoSecondFactor).into());
    }
    check_password(&account, &request.password).await?;
    app.accounts
        .turn_off_second_factor(&account.account_id)
        .await?;
    Ok(Json(SecondFactorState {
        second_factor: None,
    }))
}
