//! The `sessions` function: sign in with login and password, sign out, sign out
//! everywhere, and the signed-in account's own summary.
//!
//! A session token is 32 random bytes, stored only as a keyed digest, ending after 30
//! minutes unused or 12 hours in all. Failed sign-ins are counted per account and per
//! source address; after five, each attempt waits twice as long as the last (up to 15
//! minutes). Answers never tell whether a login exists.

use std::sync::Arc;

use adapters::accounts::{AccountRecord, AccountSummary, DynamoAccounts};
use adapters::challenges::DynamoChallenges;
use adapters::queue::SqsNotificationQueue;
use adapters::sessions::{DynamoSessions, SessionRecord};
use adapters::{Deps, StoreError};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use domain::account::values::Login;
use domain::account::{AccountStatus, Portal, password::Password};
use domain::clock::now_secs;
use domain::notification::{Recipient, Template};
use domain::secrets::{
    SecretKey, dummy_hash, hash_secret, random_code, random_token, verify_secret,
};
use domain::session::{
    ABSOLUTE_SECS, FORGET_FAILURES_SECS, IDLE_SECS, PURPOSE_PASSWORD_RESET, PURPOSE_SESSION,
    SignInGate, sign_in_gate,
};
use domain::{Code, DomainError, EmailAddress, FieldError};
use http_edge::{ApiError, Authenticated, JsonBody, SourceIp, blocking};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod profile;
mod second_factor;

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[adapters::secrets::Secret::Key];

pub struct App {
    documents: adapters::documents::DynamoDocuments,
    pub(crate) changes: adapters::change_requests::DynamoChangeRequests,
    accounts: DynamoAccounts,
    sessions: DynamoSessions,
    challenges: DynamoChallenges,
    notifications: SqsNotificationQueue,
    key: SecretKey,
    public_url: String,
}

impl App {
    pub fn from_deps(deps: &Deps) -> Arc<App> {
        Arc::new(App {
            changes: deps.change_requests(),
            documents: deps.documents(),
            accounts: deps.accounts(),
            sessions: deps.sessions(),
            challenges: deps.challenges(),
            notifications: deps.notification_queue(),
            key: deps.settings.secrets.key().clone(),
            public_url: deps.settings.public_url.clone(),
        })
    }
}

/// The routes, with their OpenAPI description.
pub fn router(deps: &Deps) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(sign_in, sign_out_everywhere))
        .routes(routes!(sign_out))
        .routes(routes!(me))
        .routes(routes!(request_reset))
        .routes(routes!(complete_reset))
        .routes(routes!(change_password))
        .routes(routes!(restore_pin))
        .routes(routes!(second_factor::complete_sign_in))
        .routes(routes!(second_factor::enrol_totp))
        .routes(routes!(second_factor::confirm_totp))
        .routes(routes!(second_factor::use_sms))
        .routes(routes!(second_factor::turn_off))
        .routes(routes!(profile::general_data))
        .routes(routes!(profile::request_change))
        .routes(routes!(profile::change_request))
        .routes(routes!(profile::change_phone))
        .routes(routes!(profile::confirm_phone))
        .with_state(App::from_deps(deps))
}

/// The whole function as Lambda runs it.
pub fn app(deps: &Deps) -> Router {
    let (router, _) = router(deps).split_for_parts();
    http_edge::lambda_app(router)
}

/// Login and password, and the anti-bot answer when a sign-in asked for it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SignIn {
    /// The email (ereg hosts) or the e-work login.
    pub login: String,
    pub password: String,
    /// After many failed sign-ins of the account, or from the address: a challenge
    /// (`POST /v1/challenges`) and its answer.
    pub challenge_id: Option<String>,
    pub challenge_answer: Option<String>,
}

/// A new session.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SessionIssued {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub token_type: String,
    /// The session ends after this long unused.
    pub idle_expires_in_secs: u64,
    /// The session ends after this long whatever happens.
    pub expires_in_secs: u64,
    pub account: AccountSummary,
}

/// The normalised sign-in key of what was typed, if it can be one.
fn sign_in_key(login: &str) -> Option<String> {
    if login.contains('@') {
        EmailAddress::parse(login)
            .ok()
            .map(|e| format!("email:{e}"))
    } else {
        Login::parse(login).ok().map(|l| format!("login:{l}"))
    }
}

/// Signs in with login and password.
#[utoipa::path(post, path = "/v1/sessions", tag = "sessions", request_body = SignIn,
    responses(
        (status = 201, description = "Signed in", body = SessionIssued),
        (status = 202, description = "The password is right; the second factor is next (`POST /v1/sessions/second-factor`)", body = second_factor::SecondFactorRequired),
        (status = 401, description = "`invalid_credentials`, whether the login exists or not", body = http_edge::ProblemBody),
        (status = 403, description = "`account_not_confirmed`, `awaiting_activation` or `account_refused` (only after a right password)", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `challenge_answer`: `challenge_required` (after many failures of the account or from the address; ask `POST /v1/challenges`) or `challenge_failed`", body = http_edge::ProblemBody),
        (status = 429, description = "`too_many_attempts`: this address failed for this account too often; `Retry-After` gives the seconds to wait", body = http_edge::ProblemBody),
    ))]
async fn sign_in(
    State(app): State<Arc<App>>,
    SourceIp(source): SourceIp,
    JsonBody(request): JsonBody<SignIn>,
) -> Result<Response, ApiError> {
    let invalid = || ApiError::from(DomainError::Unauthenticated(Code::InvalidCredentials));
    let password = Password::given(&request.password).map_err(|_| invalid())?;
    let key = sign_in_key(request.login.trim());
    let pair = key.as_deref().map(|key| format!("pair:{source}#{key}"));
    let account_key = key.as_deref().map(account_subject);
    let address = format!("address:{source}");
    let now = now_secs();
    let count = |subject: Option<String>| {
        let app = Arc::clone(&app);
        async move {
            match subject {
                Some(subject) => app.sessions.failures(&subject).await,
                None => Ok(None),
            }
        }
    };
    let (pair_failures, account_failures, address_failures) = tokio::try_join!(
        count(pair.clone()),
        count(account_key.clone()),
        count(Some(address.clone()))
    )?;
    match sign_in_gate(pair_failures, account_failures, address_failures, now) {
        SignInGate::Open => {}
        SignInGate::Wait(wait) => {
            return Err(DomainError::TooManyRequests {
                code: Code::TooManyAttempts,
                retry_after_secs: wait,
            }
            .into());
        }
        SignInGate::Challenge => pass_challenge(&app, &request, now).await?,
    }
    let subjects = [pair.clone(), account_key, Some(address)];
    let account = match &key {
        Some(key) => app.accounts.find_by_sign_in(key).await?,
        None => None,
    };
    // An unknown login costs the same hashing time as a wrong password.
    let hash = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_owned());
    let secret = password.expose().to_owned();
    let verified = blocking(move || verify_secret(&secret, &hash)).await?;
    let Some(account) = account.filter(|_| verified) else {
        for subject in subjects.iter().flatten() {
            app.sessions
                .record_failure(subject, now, FORGET_FAILURES_SECS)
                .await?;
        }
        return Err(invalid());
    };
    match account.status {
        AccountStatus::Active => {}
        AccountStatus::PendingConfirmation => {
            return Err(DomainError::Forbidden(Code::AccountNotConfirmed).into());
        }
        AccountStatus::AwaitingActivation => {
            return Err(DomainError::Forbidden(Code::AwaitingActivation).into());
        }
        AccountStatus::Refused => return Err(DomainError::Forbidden(Code::AccountRefused).into()),
    }
    // With a second factor, failures are forgiven only once it is right too.
    if let Some(factor) = &account.second_factor {
        let waiting = second_factor::begin(&app, &account, factor, now).await?;
        return Ok((StatusCode::ACCEPTED, Json(waiting)).into_response());
    }
    // A success clears its own pair and the account, never the address.
    if let Some(pair) = &pair {
        app.sessions.clear_failures(pair).await?;
    }
    app.sessions
        .clear_failures(&account_subject(&account.sign_in))
        .await?;
    let issued = issue_session(&app, &account, now).await?;
    Ok((StatusCode::CREATED, Json(issued)).into_response())
}

/// Spends the challenge the sign-in carries: `challenge_required` without one,
/// `challenge_failed` when it is wrong, spent or expired.
async fn pass_challenge(app: &App, request: &SignIn, now: u64) -> Result<(), ApiError> {
    let refused = |code| DomainError::Invalid(vec![FieldError::new("challenge_answer", code)]);
    let (Some(id), Some(answer)) = (&request.challenge_id, &request.challenge_answer) else {
        return Err(refused(Code::ChallengeRequired).into());
    };
    if app.challenges.pass(&app.key, id, answer, now).await? {
        Ok(())
    } else {
        Err(refused(Code::ChallengeFailed).into())
    }
}

/// The throttle subject of a normalised sign-in key (`email:…` or `login:…`).
pub(crate) fn account_subject(sign_in_key: &str) -> String {
    format!("account:{sign_in_key}")
}

/// A new session for `account`.
pub(crate) async fn issue_session(
    app: &App,
    account: &AccountRecord,
    now: u64,
) -> Result<SessionIssued, ApiError> {
    let token = random_token();
    let digest = app.key.digest(PURPOSE_SESSION, &token);
    app.sessions
        .put(&SessionRecord::begun(
            &digest,
            account.account_id.clone(),
            account.session_epoch,
            now,
        ))
        .await?;
    Ok(SessionIssued {
        token,
        token_type: "Bearer".into(),
        idle_expires_in_secs: IDLE_SECS,
        expires_in_secs: ABSOLUTE_SECS,
        account: AccountSummary::from(account),
    })
}

/// Signs out of this session.
#[utoipa::path(delete, path = "/v1/sessions/current", tag = "sessions", security(("session" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
    ))]
async fn sign_out(
    State(app): State<Arc<App>>,
    Authenticated(_): Authenticated,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    if let Some(token) = http_edge::bearer_token(&headers) {
        app.sessions
            .delete(&app.key.digest(PURPOSE_SESSION, token))
            .await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Signs out of every session of the account, on every device.
#[utoipa::path(delete, path = "/v1/sessions", tag = "sessions", security(("session" = [])),
    responses(
        (status = 204, description = "Every session ended"),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
    ))]
async fn sign_out_everywhere(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
) -> Result<StatusCode, ApiError> {
    app.accounts.end_all_sessions(&principal.account_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in account.
#[utoipa::path(get, path = "/v1/me", tag = "sessions", security(("session" = [])),
    responses(
        (status = 200, description = "The account", body = AccountSummary),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
    ))]
async fn me(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
) -> Result<Json<AccountSummary>, ApiError> {
    let account = signed_in(&app, &principal).await?;
    Ok(Json(AccountSummary::from(&account)))
}

// ------------------------------------------------------------------ password and PIN

/// A reset link is valid one hour.
pub const RESET_TTL_SECS: u64 = 3600;

/// "I forgot my password": the account's email and the anti-bot answer.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetRequest {
    pub email: String,
    pub challenge_id: String,
    pub challenge_answer: String,
}

/// The same answer whether or not the email has an account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Accepted {
    /// Always `accepted`.
    pub status: String,
}

/// Sends a single-use link to set a new password, valid one hour, if the email has an
/// account; the answer is the same either way.
#[utoipa::path(post, path = "/v1/password-resets", tag = "sessions", request_body = ResetRequest,
    responses(
        (status = 202, description = "Accepted", body = Accepted),
        (status = 422, description = "`invalid_fields`: `email` malformed or `challenge_answer: challenge_failed`", body = http_edge::ProblemBody),
    ))]
async fn request_reset(
    State(app): State<Arc<App>>,
    JsonBody(request): JsonBody<ResetRequest>,
) -> Result<(StatusCode, Json<Accepted>), ApiError> {
    let email = EmailAddress::parse(&request.email)
        .map_err(|code| DomainError::Invalid(vec![FieldError::new("email", code)]))?;
    let now = now_secs();
    let passed = app
        .challenges
        .pass(
            &app.key,
            &request.challenge_id,
            &request.challenge_answer,
            now,
        )
        .await?;
    if !passed {
        return Err(DomainError::Invalid(vec![FieldError::new(
            "challenge_answer",
            Code::ChallengeFailed,
        )])
        .into());
    }
    if let Some(account) = app.accounts.find_by_email(&email).await? {
        let token = random_token();
        let digest = app.key.digest(PURPOSE_PASSWORD_RESET, &token);
        app.sessions
            .put_reset(&digest, &account.account_id, now + RESET_TTL_SECS)
            .await?;
        let link = format!("{}/reset-password?token={token}", app.public_url);
        let to = Recipient {
            email: Some(account.email.clone()),
            phone: None,
        };
        let template = Template::PasswordReset {
            link,
            valid_minutes: (RESET_TTL_SECS / 60) as u32,
        };
        // One reset email a minute at most, however often it is asked for.
        let id = format!("password-reset:{}:{}", account.account_id, now / 60);
        app.notifications
            .notify(&id, account.lang, to, template)
            .await?;
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted {
            status: "accepted".into(),
        }),
    ))
}

/// The token from the reset link and the new password, twice.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetCompletion {
    pub token: String,
    pub password: String,
    pub password_repeat: String,
}

/// The password is set; every session has ended.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PasswordChanged {
    /// Always `password_changed`.
    pub status: String,
}

/// Sets a new password with the token from the reset link; every session of the account ends.
#[utoipa::path(post, path = "/v1/password-resets/complete", tag = "sessions", request_body = ResetCompletion,
    responses(
        (status = 200, description = "Password set; sign in again", body = PasswordChanged),
        (status = 422, description = "`invalid_link` (wrong, used or expired) or `invalid_fields` (password policy)", body = http_edge::ProblemBody),
    ))]
async fn complete_reset(
    State(app): State<Arc<App>>,
    JsonBody(request): JsonBody<ResetCompletion>,
) -> Result<Json<PasswordChanged>, ApiError> {
    // The policy first, so a weak password does not spend the link.
    let password = new_password(&request.password, &request.password_repeat)?;
    let digest = app.key.digest(PURPOSE_PASSWORD_RESET, request.token.trim());
    let account_id = app
        .sessions
        .take_reset(&digest)
        .await?
        .filter(|(_, expires_at)| *expires_at > now_secs())
        .map(|(account, _)| account)
        .ok_or(DomainError::Refused(Code::InvalidLink))?;
    set_password(&app, &account_id, &password).await?;
    Ok(Json(PasswordChanged {
        status: "password_changed".into(),
    }))
}

/// The current password and the new one, twice.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub password: String,
    pub password_repeat: String,
}

/// Changes the password; the current one is required, and every session ends.
#[utoipa::path(put, path = "/v1/me/password", tag = "sessions", request_body = PasswordChange, security(("session" = [])),
    responses(
        (status = 200, description = "Password changed; sign in again", body = PasswordChanged),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `current_password: invalid_credentials` or the password policy", body = http_edge::ProblemBody),
    ))]
async fn change_password(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    JsonBody(request): JsonBody<PasswordChange>,
) -> Result<Json<PasswordChanged>, ApiError> {
    let password = new_password(&request.password, &request.password_repeat)?;
    let account = signed_in(&app, &principal).await?;
    let (current, hash) = (
        request.current_password.clone(),
        account.password_hash.clone(),
    );
    let verified = blocking(move || verify_secret(&current, &hash)).await?;
    if !verified {
        return Err(DomainError::Invalid(vec![FieldError::new(
            "current_password",
            Code::InvalidCredentials,
        )])
        .into());
    }
    set_password(&app, &account.account_id, &password).await?;
    Ok(Json(PasswordChanged {
        status: "password_changed".into(),
    }))
}

/// A new action PIN, by email and SMS (ereg hosts).
#[utoipa::path(post, path = "/v1/me/pin", tag = "sessions", security(("session" = [])),
    responses(
        (status = 202, description = "A new PIN is on its way; the old one no longer works", body = Accepted),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: only ereg hosts have a PIN", body = http_edge::ProblemBody),
    ))]
async fn restore_pin(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
) -> Result<(StatusCode, Json<Accepted>), ApiError> {
    if principal.kind.portal() != Some(Portal::Ereg) || !principal.kind.is_applicant() {
        return Err(DomainError::Forbidden(Code::NotForAccountType).into());
    }
    let account = signed_in(&app, &principal).await?;
    let pin = random_code(6);
    let secret = pin.clone();
    let pin_hash = blocking(move || hash_secret(&secret)).await?;
    app.accounts.set_pin(&account.account_id, pin_hash).await?;
    let to = Recipient {
        email: Some(account.email.clone()),
        phone: Some(account.phone.clone()),
    };
    // Each restore is its own notification.
    let id = format!(
        "action-pin:{}:restored:{}",
        account.account_id,
        &random_token()[..16]
    );
    app.notifications
        .notify(&id, account.lang, to, Template::ActionPin { pin })
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted {
            status: "accepted".into(),
        }),
    ))
}

/// The principal's account; gone meanwhile, the request is unauthenticated.
pub(crate) async fn signed_in(
    app: &App,
    principal: &domain::session::Principal,
) -> Result<AccountRecord, ApiError> {
    app.accounts
        .get(&principal.account_id)
        .await?
        .ok_or_else(|| ApiError::edge(StatusCode::UNAUTHORIZED, Code::Unauthenticated))
}

fn new_password(password: &str, repeat: &str) -> Result<Password, ApiError> {
    Password::parse(password, repeat).map_err(|code| {
        let field = if code == Code::PasswordsDiffer {
            "password_repeat"
        } else {
            "password"
        };
        DomainError::Invalid(vec![FieldError::new(field, code)]).into()
    })
}

/// Stores the new password's hash and ends every session (a new epoch).
async fn set_password(
    app: &App,
    account: &domain::account::AccountId,
    password: &Password,
) -> Result<(), ApiError> {
    let secret = password.expose().to_owned();
    let hash = blocking(move || hash_secret(&secret)).await?;
    match app.accounts.change_password(account, hash).await {
        Ok(()) => Ok(()),
        // The account of the link is gone.
        Err(StoreError::Conflict) => Err(DomainError::Refused(Code::InvalidLink).into()),
        Err(other) => Err(other.into()),
    }
}
