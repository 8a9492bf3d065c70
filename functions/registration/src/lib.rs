//! The `registration` function: anti-bot challenges, self-registration of the five
//! applicant types, the e-work email link and the ereg activation code with its PIN.
//!
//! Answers never tell whether an email is registered: a second registration with the
//! same email answers exactly like the first and creates nothing; the mailbox owner
//! gets a fresh confirmation while unconfirmed, or "you already have an account".

use std::sync::Arc;

use adapters::accounts::{AccountRecord, DynamoAccounts, NewAccount, OneTimeSecret};
use adapters::challenges::DynamoChallenges;
use adapters::drafts::DraftRecord;
use adapters::queue::SqsNotificationQueue;
use adapters::{Deps, StoreError, Taken};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json, Router};
use base64::Engine;
use domain::account::registration::{Registration, RegistrationForm};
use domain::account::{AccountId, AccountStatus, Portal};
use domain::challenge::{self, CHALLENGE_TTL_SECS, ChallengeId};
use domain::clock::now_secs;
use domain::document::{DocumentKind, draft};
use domain::notification::{Recipient, Template};
use domain::secrets::{SecretKey, hash_secret, random_code, random_token};
use domain::{Code, DomainError, EmailAddress, FieldError, Lang};
use http_edge::{ApiError, JsonBody, SourceIp, blocking};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// An ereg activation code: 6 digits, valid 10 minutes, 5 wrong tries, one resend a minute.
pub const CODE_DIGITS: u32 = 6;
pub const CODE_TTL_SECS: u64 = 600;
pub const CODE_MAX_ATTEMPTS: u32 = 5;
pub const RESEND_AFTER_SECS: u64 = 60;
/// The e-work email link is valid 24 hours.
pub const LINK_TTL_SECS: u64 = 24 * 3600;
/// The ereg action PIN.
pub const PIN_DIGITS: u32 = 6;

const PURPOSE_CODE: &str = "activation-code";
const PURPOSE_LINK: &str = "email-link";

/// What the handlers share, built once per cold start.
pub struct App {
    accounts: DynamoAccounts,
    challenges: DynamoChallenges,
    drafts: adapters::drafts::DynamoDrafts,
    documents: adapters::documents::DynamoDocuments,
    rate_limit: adapters::rate_limit::DynamoRateLimit,
    notifications: SqsNotificationQueue,
    key: SecretKey,
    public_url: String,
}

impl App {
    pub fn from_deps(deps: &Deps) -> Arc<App> {
        Arc::new(App {
            accounts: deps.accounts(),
            challenges: deps.challenges(),
            drafts: deps.drafts(),
            documents: deps.documents(),
            rate_limit: deps.rate_limit(),
            notifications: deps.notification_queue(),
            key: deps.settings.secret_key.clone(),
            public_url: deps.settings.public_url.clone(),
        })
    }
}

/// The routes, with their OpenAPI description.
pub fn router(deps: &Deps) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(create_challenge))
        .routes(routes!(create_draft))
        .routes(routes!(register))
        .routes(routes!(confirm_email))
        .routes(routes!(activate))
        .routes(routes!(resend_code))
        .with_state(App::from_deps(deps))
}

/// The whole function as Lambda runs it: the routes behind the shared edge.
pub fn app(deps: &Deps) -> Router {
    let (router, _) = router(deps).split_for_parts();
    http_edge::lambda_app(router)
}

// ------------------------------------------------------------------ challenge

/// A fresh anti-bot challenge.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChallengeIssued {
    pub challenge_id: String,
    /// `data:image/png;base64,…`: the characters to type.
    pub image: String,
    pub expires_in_secs: u64,
}

/// Issues an anti-bot challenge: a picture of characters to type into the form.
#[utoipa::path(post, path = "/v1/challenges", tag = "accounts",
    responses((status = 201, description = "A new challenge", body = ChallengeIssued)))]
async fn create_challenge(
    State(app): State<Arc<App>>,
) -> Result<(StatusCode, Json<ChallengeIssued>), ApiError> {
    let id = ChallengeId::new();
    let (answer, png) = challenge::image(&app.key, &id);
    app.challenges
        .put(
            id.as_ref(),
            &challenge::answer_digest(&app.key, &answer),
            now_secs() + CHALLENGE_TTL_SECS,
        )
        .await?;
    let image = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    );
    Ok((
        StatusCode::CREATED,
        Json(ChallengeIssued {
            challenge_id: id.as_ref().to_owned(),
            image,
            expires_in_secs: CHALLENGE_TTL_SECS,
        }),
    ))
}

// ------------------------------------------------------------------ drafts

/// Drafts a source may start in an hour.
pub const DRAFTS_PER_HOUR: u32 = 30;

/// A registration draft: the token to upload documents with before the account exists.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DraftIssued {
    /// Send as the `X-Draft-Token` header to `/v1/registration-drafts/uploads…`, and as
    /// `draft_token` in the registration form. Shown once; only its digest is kept.
    pub draft_token: String,
    pub expires_in_secs: u64,
    pub max_uploads: u32,
}

/// Starts a registration draft, so that the passport scan and photo can be uploaded
/// (and the form filled from the passport's zone) before the account exists. What an
/// unclaimed draft uploaded is deleted an hour later.
#[utoipa::path(post, path = "/v1/registration-drafts", tag = "accounts",
    responses(
        (status = 201, description = "A new draft", body = DraftIssued),
        (status = 429, description = "`rate_limited`: thirty drafts an hour per source; `Retry-After` says when", body = http_edge::ProblemBody),
    ))]
async fn create_draft(
    State(app): State<Arc<App>>,
    SourceIp(source): SourceIp,
) -> Result<(StatusCode, Json<DraftIssued>), ApiError> {
    app.rate_limit
        .admit("registration-draft", &source, DRAFTS_PER_HOUR, 3600)
        .await??;
    let (token, _) = app.drafts.create(now_secs()).await?;
    Ok((
        StatusCode::CREATED,
        Json(DraftIssued {
            draft_token: token,
            expires_in_secs: draft::TTL_SECS,
            max_uploads: draft::MAX_UPLOADS,
        }),
    ))
}

/// The live draft the form names, after checking that every document the form names is
/// one of its uploads whose check passed: each that is not is a field error, as is a
/// document named without a draft, or a draft that lapsed.
async fn draft_of_form(
    app: &App,
    form: &RegistrationForm,
    registration: &Registration,
) -> Result<Option<DraftRecord>, ApiError> {
    let named: Vec<(String, String, Option<DocumentKind>)> = registration
        .profile
        .documents()
        .into_iter()
        .map(|(field, id)| {
            (
                field.to_owned(),
                id.to_string(),
                DocumentKind::of_field(field),
            )
        })
        .collect();
    let token = form
        .draft_token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        if named.is_empty() {
            return Ok(None);
        }
        return Err(
            DomainError::Invalid(vec![FieldError::new("draft_token", Code::Required)]).into(),
        );
    };
    let draft = app.drafts.live(token, now_secs()).await?.ok_or_else(|| {
        DomainError::Invalid(vec![FieldError::new("draft_token", Code::DraftExpired)])
    })?;
    let errors = app
        .documents
        .checked_of_owner(&draft.account_id, named)
        .await?;
    DomainError::unless_valid(errors)?;
    Ok(Some(draft))
}

// ------------------------------------------------------------------ registration

/// What a registration answers, whether the email was new or not.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegistrationAccepted {
    /// Always `accepted`.
    pub status: String,
    /// `confirm_email` (e-work: follow the emailed link) or `enter_activation_code`
    /// (ereg: type the code sent by email and SMS).
    pub next: String,
    /// ereg: how long the activation code is valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_expires_in_secs: Option<u64>,
    /// ereg: when a new code may be requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resend_after_secs: Option<u64>,
}

impl RegistrationAccepted {
    fn for_portal(portal: Portal) -> Self {
        match portal {
            Portal::Ework => RegistrationAccepted {
                status: "accepted".into(),
                next: "confirm_email".into(),
                code_expires_in_secs: None,
                resend_after_secs: None,
            },
            Portal::Ereg => RegistrationAccepted {
                status: "accepted".into(),
                next: "enter_activation_code".into(),
                code_expires_in_secs: Some(CODE_TTL_SECS),
                resend_after_secs: Some(RESEND_AFTER_SECS),
            },
        }
    }
}

/// Registers an applicant account of one of the five self-registering types.
#[utoipa::path(post, path = "/v1/accounts", tag = "accounts", request_body = RegistrationForm,
    responses(
        (status = 202, description = "Accepted; the same answer whether or not the email already has an account", body = RegistrationAccepted),
        (status = 409, description = "`login_taken`: the chosen e-work login belongs to another account", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: the fields that broke a rule, including `challenge_answer: challenge_failed`", body = http_edge::ProblemBody),
    ))]
async fn register(
    State(app): State<Arc<App>>,
    Extension(lang): Extension<Lang>,
    JsonBody(form): JsonBody<RegistrationForm>,
) -> Result<(StatusCode, Json<RegistrationAccepted>), ApiError> {
    let registration = form.parse(domain::clock::today_in_bishkek(), lang)?;
    let draft = draft_of_form(&app, &form, &registration).await?;
    let answer = form
        .challenge()
        .expect("a parsed form has a challenge answer");
    let passed = app
        .challenges
        .pass(&app.key, &answer.id, &answer.answer, now_secs())
        .await?;
    if !passed {
        return Err(DomainError::Invalid(vec![FieldError::new(
            "challenge_answer",
            Code::ChallengeFailed,
        )])
        .into());
    }
    let portal = registration.portal;
    // Hash before knowing whether the email is new, so both answers take as long.
    let password = registration.password.expose().to_owned();
    let password_hash = blocking(move || hash_secret(&password)).await?;
    // From a draft, the account takes the id its draft's uploads are owned by.
    let id = draft.as_ref().map(|d| d.account_id.clone());
    let (record, secret) = new_account(&app, &registration, password_hash, id);
    let create = || app.accounts.create_claiming(&record, draft.as_ref());
    let mut created = create().await;
    // A login or email held by a registration nobody confirmed in time is freed and
    // tried again (twice at most: the login and the email may each have one).
    for _ in 0..2 {
        match &created {
            Err(StoreError::Taken(taken)) if release_lapsed(&app, &registration, taken).await? => {
                created = create().await;
            }
            _ => break,
        }
    }
    match created {
        Ok(()) => send_confirmation(&app, &record, &secret).await?,
        Err(StoreError::Taken(Taken::Email)) => on_duplicate(&app, &registration.email).await?,
        Err(StoreError::Taken(Taken::SignIn)) if portal == Portal::Ework => {
            return Err(DomainError::Conflict(Code::LoginTaken).into());
        }
        Err(StoreError::Taken(Taken::SignIn)) => on_duplicate(&app, &registration.email).await?,
        Err(StoreError::Taken(Taken::Draft)) => {
            return Err(DomainError::Invalid(vec![FieldError::new(
                "draft_token",
                Code::DraftExpired,
            )])
            .into());
        }
        Err(other) => return Err(other.into()),
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(RegistrationAccepted::for_portal(portal)),
    ))
}

/// A registration not confirmed within this long lapses: its login and email are free
/// again for whoever registers next.
pub const LAPSE_AFTER_SECS: u64 = 7 * 24 * 3600;

/// Frees the login or email `taken` when the registration holding it lapsed.
async fn release_lapsed(
    app: &App,
    registration: &Registration,
    taken: &Taken,
) -> Result<bool, ApiError> {
    let holder = match taken {
        Taken::Email => app.accounts.find_by_email(&registration.email).await,
        Taken::SignIn => {
            app.accounts
                .find_by_sign_in(&registration.sign_in.key())
                .await
        }
        Taken::Draft => return Ok(false),
    }?;
    let Some(holder) = holder.filter(|a| a.status == AccountStatus::PendingConfirmation) else {
        return Ok(false);
    };
    let last_sent = holder
        .email_link
        .as_ref()
        .or(holder.activation_code.as_ref())
        .map_or(0, |s| s.sent_at);
    if now_secs() < last_sent + LAPSE_AFTER_SECS {
        return Ok(false);
    }
    match app.accounts.release_unconfirmed(&holder).await {
        Ok(()) => Ok(true),
        // Confirmed or replaced meanwhile: it holds the name for good.
        Err(StoreError::Conflict) => Ok(false),
        Err(other) => Err(other.into()),
    }
}

/// The account record of a new registration, and the plain secret to send.
fn new_account(
    app: &App,
    registration: &Registration,
    password_hash: String,
    id: Option<AccountId>,
) -> (AccountRecord, String) {
    let mut record = AccountRecord::new(NewAccount {
        kind: registration.kind,
        status: AccountStatus::PendingConfirmation,
        sign_in: registration.sign_in.key(),
        email: registration.email.clone(),
        phone: registration.phone.clone(),
        lang: registration.lang,
        password_hash,
        profile: registration.profile.clone(),
        created_by: None,
    });
    if let Some(id) = id {
        record = record.with_id(id);
    }
    let (secret, stored) = fresh_secret(app, &record.account_id, registration.portal);
    (record.with_pending_secret(stored), secret)
}

/// A new one-time secret for a pending account, as sent and as stored: an email link
/// token (e-work) or an activation code (ereg).
fn fresh_secret(app: &App, id: &AccountId, portal: Portal) -> (String, OneTimeSecret) {
    let now = now_secs();
    let (plain, digest, ttl) = match portal {
        Portal::Ework => {
            let token = random_token();
            let digest = app.key.digest(PURPOSE_LINK, &token);
            (format!("{id}.{token}"), digest, LINK_TTL_SECS)
        }
        Portal::Ereg => {
            let code = random_code(CODE_DIGITS);
            let digest = app.key.digest(&format!("{PURPOSE_CODE}:{id}"), &code);
            (code, digest, CODE_TTL_SECS)
        }
    };
    let stored = OneTimeSecret {
        digest,
        sent_at: now,
        expires_at: now + ttl,
        attempts: 0,
        used_at: None,
    };
    (plain, stored)
}

async fn enqueue(
    app: &App,
    id: String,
    lang: Lang,
    to: Recipient,
    template: Template,
) -> Result<(), ApiError> {
    app.notifications.notify(&id, lang, to, template).await?;
    Ok(())
}

/// Sends the link or code of a pending account.
async fn send_confirmation(
    app: &App,
    account: &AccountRecord,
    secret: &str,
) -> Result<(), ApiError> {
    let id = &account.account_id;
    match (&account.email_link, &account.activation_code) {
        (Some(link), _) => {
            let name = account.profile.given_name();
            let link_url = format!(
                "{}/v1/accounts/confirm-email?token={secret}",
                app.public_url
            );
            let to = Recipient {
                email: Some(account.email.clone()),
                phone: None,
            };
            enqueue(
                app,
                format!("email-confirmation:{id}:{}", &link.digest[..16]),
                account.lang,
                to,
                Template::EmailConfirmation {
                    name,
                    link: link_url,
                },
            )
            .await
        }
        (None, Some(code)) => {
            let to = Recipient {
                email: Some(account.email.clone()),
                phone: Some(account.phone.clone()),
            };
            let template = Template::ActivationCode {
                code: secret.to_owned(),
                valid_minutes: (CODE_TTL_SECS / 60) as u32,
            };
            enqueue(
                app,
                format!("activation-code:{id}:{}", &code.digest[..16]),
                account.lang,
                to,
                template,
            )
            .await
        }
        (None, None) => Ok(()),
    }
}

/// A registration with an email that has an account: tell only the mailbox owner.
async fn on_duplicate(app: &App, email: &EmailAddress) -> Result<(), ApiError> {
    let Some(account) = app.accounts.find_by_email(email).await? else {
        // The guard exists without its account: a half-finished write cannot happen
        // (one transaction), so this is an account being deleted. Nothing to send.
        return Ok(());
    };
    let now = now_secs();
    if account.status == AccountStatus::PendingConfirmation {
        let last_sent = account
            .email_link
            .as_ref()
            .or(account.activation_code.as_ref())
            .map(|s| s.sent_at)
            .unwrap_or(0);
        if now < last_sent + RESEND_AFTER_SECS {
            return Ok(());
        }
        let Some(portal) = account.kind.portal() else {
            return Ok(());
        };
        let (secret, stored) = fresh_secret(app, &account.account_id, portal);
        match app
            .accounts
            .replace_pending_secret(&account.account_id, portal, &stored)
            .await
        {
            Ok(()) => {
                send_confirmation(app, &account.with_pending_secret(stored), &secret).await?;
            }
            // Confirmed meanwhile: nothing to send.
            Err(StoreError::Conflict) => {}
            Err(other) => return Err(other.into()),
        }
        return Ok(());
    }
    let to = Recipient {
        email: Some(account.email.clone()),
        phone: None,
    };
    let template = Template::AccountExists {
        // Pages of the portal, which call the API: a link in an email can only GET.
        sign_in_link: format!("{}/sign-in", app.public_url),
        reset_link: format!("{}/forgot-password", app.public_url),
    };
    // One such email a minute at most, however often someone tries.
    let id = format!("account-exists:{}:{}", account.account_id, now / 60);
    enqueue(app, id, account.lang, to, template).await
}

// ------------------------------------------------------------------ e-work email link

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ConfirmQuery {
    /// The token from the emailed link.
    pub token: String,
}

/// Where an account stands after a confirmation step.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountState {
    /// `awaiting_activation` or `active`.
    pub status: String,
}

/// Confirms an e-work account's email from the emailed link. Following it again answers the same.
#[utoipa::path(get, path = "/v1/accounts/confirm-email", tag = "accounts", params(ConfirmQuery),
    responses(
        (status = 200, description = "Confirmed; the account now waits for a labour operator", body = AccountState),
        (status = 422, description = "`invalid_link`: wrong, expired or superseded", body = http_edge::ProblemBody),
    ))]
async fn confirm_email(
    State(app): State<Arc<App>>,
    Query(query): Query<ConfirmQuery>,
) -> Result<Json<AccountState>, ApiError> {
    let invalid = || ApiError::from(DomainError::Refused(Code::InvalidLink));
    let (id, token) = query.token.split_once('.').ok_or_else(invalid)?;
    let id = AccountId::parse(id).ok_or_else(invalid)?;
    let account = app.accounts.get(&id).await?.ok_or_else(invalid)?;
    let link = account.email_link.as_ref().ok_or_else(invalid)?;
    if !app.key.matches(PURPOSE_LINK, token, &link.digest) {
        return Err(invalid());
    }
    if link.used_at.is_some() {
        // The same link again: answer as the first time.
        return Ok(Json(AccountState {
            status: account.status.as_str().into(),
        }));
    }
    if link.expires_at <= now_secs() || account.status != AccountStatus::PendingConfirmation {
        return Err(invalid());
    }
    match app.accounts.confirm_email_link(&id, &link.digest).await {
        Ok(()) => Ok(Json(AccountState {
            status: AccountStatus::AwaitingActivation.as_str().into(),
        })),
        Err(StoreError::Conflict) => {
            // A concurrent click won; it set the same state.
            let account = app.accounts.get(&id).await?.ok_or_else(invalid)?;
            Ok(Json(AccountState {
                status: account.status.as_str().into(),
            }))
        }
        Err(other) => Err(other.into()),
    }
}

// ------------------------------------------------------------------ ereg activation

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
#[utoipa::path(post, path = "/v1/accounts/activation", tag = "accounts", request_body = ActivationRequest,
    responses(
        (status = 200, description = "Active", body = AccountState),
        (status = 422, description = "`invalid_code` (wrong, expired or used) or `code_attempts_exceeded` (request a new code)", body = http_edge::ProblemBody),
    ))]
async fn activate(
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
async fn resend_code(
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
