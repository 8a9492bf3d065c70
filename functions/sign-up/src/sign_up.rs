//! Self-registration of the five applicant types. Answers never tell whether an email
//! is registered: a second registration with the same email answers like the first and
//! creates nothing, and the mailbox owner hears of it.

use std::sync::Arc;

use adapters::accounts::{AccountRecord, NewAccount};
use adapters::drafts::DraftRecord;
use adapters::{StoreError, Taken};
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use domain::account::sign_up::{Registration, RegistrationForm};
use domain::account::{AccountId, AccountStatus, Portal};
use domain::clock::now_secs;
use domain::document::DocumentKind;
use domain::notification::{Recipient, Template};
use domain::secrets::hash_secret;
use domain::{Code, DomainError, EmailAddress, FieldError, Lang};
use http_edge::{ApiError, JsonBody, blocking};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::App;
use crate::confirmation::{
    CODE_TTL_SECS, RESEND_AFTER_SECS, enqueue, fresh_secret, send_confirmation,
};

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
pub(crate) async fn register(
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
        Taken::Draft | Taken::ApplicationNumber | Taken::QuotaPlace => return Ok(false),
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
