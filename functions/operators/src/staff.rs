//! Accounts made and decided by staff: operators (by admins), legal-entity hosts (by
//! registration operators), and the activation or refusal of e-work accounts.

use std::sync::Arc;

use adapters::accounts::{AccountRecord, AccountSummary, DynamoAccounts, NewAccount};
use adapters::{Deps, StoreError};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use domain::account::profile::SignInName;
use domain::account::staff::{LegalEntityHostForm, NewStaffMade, OperatorForm};
use domain::account::{AccountId, AccountStatus, AccountType, Portal};
use domain::clock::now_secs;
use domain::notification::{Recipient, Template};
use domain::secrets::{hash_secret, random_code, random_token};
use domain::session::PURPOSE_PASSWORD_RESET;
use domain::{Code, DomainError, FieldError, Lang};
use http_edge::{ApiError, JsonBody, blocking};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{AccountFile, Admin, App, Operator, account_of_authority};

/// A set-password link of an account made by staff is valid three days.
pub const SET_PASSWORD_TTL_SECS: u64 = 72 * 3600;
/// The most accounts one list answer holds.
const LIST_LIMIT: i32 = 100;
const REASON_MAX: usize = 1000;

/// An account made by staff.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Created {
    pub account: AccountSummary,
    /// The login the holder signs in with.
    pub login: String,
}

/// Stores an account made by staff, with an unusable password, and emails its holder a
/// single-use link to set one. A taken email or login: 409 `already_registered`.
async fn create_staff_made(
    app: &App,
    made: NewStaffMade,
    by: &AccountId,
) -> Result<AccountRecord, ApiError> {
    // Nobody knows this password: the holder sets theirs by the link.
    let unusable = random_token();
    let password_hash = blocking(move || hash_secret(&unusable)).await?;
    let login = match &made.sign_in {
        domain::account::sign_up::SignInName::Email(email) => email.to_string(),
        domain::account::sign_up::SignInName::Login(login) => login.to_string(),
    };
    let record = AccountRecord::new(NewAccount {
        kind: made.kind,
        status: AccountStatus::Active,
        sign_in: made.sign_in.key(),
        email: made.email,
        phone: made.phone,
        lang: made.lang,
        password_hash,
        profile: made.profile,
        created_by: Some(by.clone()),
    });
    match app.accounts.create(&record).await {
        Ok(()) => {}
        Err(StoreError::Taken(_)) => {
            return Err(DomainError::Conflict(Code::AlreadyRegistered).into());
        }
        Err(other) => return Err(other.into()),
    }
    let token = random_token();
    app.sessions
        .put_reset(
            &app.key.digest(PURPOSE_PASSWORD_RESET, &token),
            &record.account_id,
            now_secs() + SET_PASSWORD_TTL_SECS,
        )
        .await?;
    let template = Template::SetPassword {
        login,
        link: format!("{}/set-password?token={token}", app.public_url),
        valid_hours: (SET_PASSWORD_TTL_SECS / 3600) as u32,
    };
    let to = Recipient {
        email: Some(record.email.clone()),
        phone: None,
    };
    app.notifications
        .notify(
            &format!("set-password:{}", record.account_id),
            record.lang,
            to,
            template,
        )
        .await?;
    Ok(record)
}

/// Creates an operator of either authority; the operator receives a link to set the password.
#[utoipa::path(post, path = "/v1/operators", tag = "operators", request_body = OperatorForm, security(("session" = [])),
    responses(
        (status = 201, description = "Created; the set-password link is on its way", body = Created),
        (status = 403, description = "`admin_only`", body = http_edge::ProblemBody),
        (status = 409, description = "`already_registered`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn create_operator(
    State(app): State<Arc<App>>,
    Admin(admin): Admin,
    Extension(lang): Extension<Lang>,
    JsonBody(form): JsonBody<OperatorForm>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let made = form.parse(lang)?;
    let login = form.login.unwrap_or_default().trim().to_ascii_lowercase();
    let record = create_staff_made(&app, made, &admin.account_id).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            account: AccountSummary::from(&record),
            login,
        }),
    ))
}

/// The operators and admins, as the admin's list shows them.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StaffList {
    pub operators: Vec<StaffMember>,
}

/// One operator or admin.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StaffMember {
    pub account_id: String,
    /// `labour_operator`, `registration_operator` or `admin`.
    #[serde(rename = "type")]
    pub kind: String,
    pub login: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    /// `active` (staff are made active; the set-password link gives the password).
    pub status: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// Lists the operators of both authorities and the admins, oldest first.
#[utoipa::path(get, path = "/v1/operators", tag = "operators", security(("session" = [])),
    responses(
        (status = 200, description = "The staff", body = StaffList),
        (status = 403, description = "`admin_only`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn list_operators(
    State(app): State<Arc<App>>,
    Admin(_): Admin,
) -> Result<Json<StaffList>, ApiError> {
    let staff = app.accounts.staff(LIST_LIMIT).await?;
    Ok(Json(StaffList {
        operators: staff
            .iter()
            .map(|record| StaffMember {
                account_id: record.account_id.to_string(),
                kind: record.kind.as_str().to_owned(),
                login: SignInName::typed_in(&record.sign_in).to_owned(),
                name: record.profile.display_name(),
                email: record.email.to_string(),
                phone: record.phone.to_string(),
                status: record.status.as_str().to_owned(),
                created_at: record.created_at.clone(),
            })
            .collect(),
    }))
}

/// Creates a legal-entity host from the entity's letter: the host receives a link to set
/// the password by email and the action PIN by SMS.
#[utoipa::path(post, path = "/v1/operator/legal-entity-hosts", tag = "operators", request_body = LegalEntityHostForm, security(("session" = [])),
    responses(
        (status = 201, description = "Created; the link and the PIN are on their way", body = Created),
        (status = 403, description = "`operator_only`, or `not_for_account_type` for a labour operator", body = http_edge::ProblemBody),
        (status = 409, description = "`already_registered`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn create_legal_entity_host(
    State(app): State<Arc<App>>,
    operator: Operator,
    Extension(lang): Extension<Lang>,
    JsonBody(form): JsonBody<LegalEntityHostForm>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    if operator.authority != Portal::Ereg {
        return Err(DomainError::Forbidden(Code::NotForAccountType).into());
    }
    let made = form.parse(lang)?;
    operators_checked_documents(&app, &operator.principal.account_id, &form).await?;
    let login = made.email.to_string();
    let record = create_staff_made(&app, made, &operator.principal.account_id).await?;
    let pin = random_code(6);
    let secret = pin.clone();
    let pin_hash = blocking(move || hash_secret(&secret)).await?;
    app.accounts.set_pin(&record.account_id, pin_hash).await?;
    let to = Recipient {
        email: None,
        phone: Some(record.phone.clone()),
    };
    app.notifications
        .notify(
            &format!("action-pin:{}:created", record.account_id),
            record.lang,
            to,
            Template::ActionPin { pin },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            account: AccountSummary::from(&record),
            login,
        }),
    ))
}

/// The letter and scans must be the operator's own uploads whose check passed.
async fn operators_checked_documents(
    app: &App,
    operator: &AccountId,
    form: &LegalEntityHostForm,
) -> Result<(), ApiError> {
    let mut named: Vec<_> = form
        .letter
        .iter()
        .map(|id| ("letter".to_owned(), id.clone(), None))
        .collect();
    for (i, id) in form.scans.iter().flatten().enumerate() {
        named.push((format!("scans[{i}]"), id.clone(), None));
    }
    let errors = app.documents.checked_of_owner(operator, named).await?;
    Ok(DomainError::unless_valid(errors)?)
}

/// Accounts waiting for activation by the operator's authority, oldest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WaitingAccounts {
    pub accounts: Vec<AccountSummary>,
}

/// Lists the confirmed e-work accounts waiting for a labour operator, oldest first.
#[utoipa::path(get, path = "/v1/operator/accounts", tag = "operators", security(("session" = [])),
    responses(
        (status = 200, description = "Waiting accounts", body = WaitingAccounts),
        (status = 403, description = "`operator_only`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn waiting_accounts(
    State(app): State<Arc<App>>,
    operator: Operator,
) -> Result<Json<WaitingAccounts>, ApiError> {
    let accounts = app
        .accounts
        .awaiting_activation(operator.authority, LIST_LIMIT)
        .await?;
    Ok(Json(WaitingAccounts {
        accounts: accounts.iter().map(AccountSummary::from).collect(),
    }))
}

/// Opens an account of the operator's authority with everything it registered with.
#[utoipa::path(get, path = "/v1/operator/accounts/{account_id}", tag = "operators", security(("session" = [])),
    params(("account_id" = String, Path, description = "`acc_` and 32 hex digits")),
    responses(
        (status = 200, description = "The account", body = AccountFile),
        (status = 403, description = "`operator_only`", body = http_edge::ProblemBody),
        (status = 404, description = "`account_not_found`, also for another authority's account", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn open_account(
    State(app): State<Arc<App>>,
    operator: Operator,
    Path(account_id): Path<String>,
) -> Result<Json<AccountFile>, ApiError> {
    let account = account_of_authority(&app, &operator, &account_id).await?;
    Ok(Json(AccountFile::of(&account)?))
}

/// Activates an account waiting for activation; the applicant is emailed.
#[utoipa::path(post, path = "/v1/operator/accounts/{account_id}/activation", operation_id = "activate_waiting_account", tag = "operators", security(("session" = [])),
    params(("account_id" = String, Path, description = "`acc_` and 32 hex digits")),
    responses(
        (status = 200, description = "Activated", body = AccountFile),
        (status = 403, description = "`operator_only`", body = http_edge::ProblemBody),
        (status = 404, description = "`account_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`not_awaiting_activation`: already decided, or not confirmed", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn activate(
    State(app): State<Arc<App>>,
    operator: Operator,
    Path(account_id): Path<String>,
) -> Result<Json<AccountFile>, ApiError> {
    let account = account_of_authority(&app, &operator, &account_id).await?;
    let account = decided(
        app.accounts
            .activate_account(account, &operator.principal.account_id)
            .await,
    )?;
    let template = Template::AccountActivated {
        name: account.profile.given_name(),
        sign_in_link: format!("{}/sign-in", app.public_url),
    };
    notify_decision(&app, &account, template).await?;
    Ok(Json(AccountFile::of(&account)?))
}

/// Why an operator refuses.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Refusal {
    /// Shown to the applicant as written; up to 1000 characters.
    pub reason: String,
}

/// The reason, trimmed and required.
pub(crate) fn reason(raw: &str) -> Result<String, ApiError> {
    let reason = raw.trim();
    if reason.is_empty() {
        return Err(DomainError::Invalid(vec![FieldError::new("reason", Code::Required)]).into());
    }
    if reason.chars().count() > REASON_MAX {
        return Err(
            DomainError::Invalid(vec![FieldError::new("reason", Code::InvalidText)]).into(),
        );
    }
    Ok(reason.to_owned())
}

/// Refuses an account waiting for activation, with a reason the applicant is emailed.
#[utoipa::path(post, path = "/v1/operator/accounts/{account_id}/refusal", operation_id = "refuse_waiting_account", tag = "operators", request_body = Refusal, security(("session" = [])),
    params(("account_id" = String, Path, description = "`acc_` and 32 hex digits")),
    responses(
        (status = 200, description = "Refused", body = AccountFile),
        (status = 403, description = "`operator_only`", body = http_edge::ProblemBody),
        (status = 404, description = "`account_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`not_awaiting_activation`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `reason` required", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn refuse(
    State(app): State<Arc<App>>,
    operator: Operator,
    Path(account_id): Path<String>,
    JsonBody(request): JsonBody<Refusal>,
) -> Result<Json<AccountFile>, ApiError> {
    let reason = reason(&request.reason)?;
    let account = account_of_authority(&app, &operator, &account_id).await?;
    let account = decided(
        app.accounts
            .refuse_account(account, &operator.principal.account_id, reason.clone())
            .await,
    )?;
    let template = Template::AccountRefused {
        name: account.profile.given_name(),
        reason,
    };
    notify_decision(&app, &account, template).await?;
    Ok(Json(AccountFile::of(&account)?))
}

/// The account as an operator decided it, once: of two operators deciding at the same
/// time, the second gets `not_awaiting_activation`.
fn decided(decision: Result<AccountRecord, StoreError>) -> Result<AccountRecord, ApiError> {
    match decision {
        Ok(account) => Ok(account),
        Err(StoreError::Conflict) => Err(DomainError::Conflict(Code::NotAwaitingActivation).into()),
        Err(other) => Err(other.into()),
    }
}

async fn notify_decision(
    app: &App,
    account: &AccountRecord,
    template: Template,
) -> Result<(), ApiError> {
    let to = Recipient {
        email: Some(account.email.clone()),
        phone: None,
    };
    app.notifications
        .notify(
            &format!("account-decision:{}", account.account_id),
            account.lang,
            to,
            template,
        )
        .await?;
    Ok(())
}

/// The admin the run command seeds, from environment variables.
#[derive(Debug, Clone)]
pub struct AdminSeed {
    pub login: String,
    pub password: String,
    pub email: String,
    pub phone: String,
}

impl AdminSeed {
    /// `ADMIN_LOGIN`, `ADMIN_PASSWORD`, `ADMIN_EMAIL`, `ADMIN_PHONE`; `None` without a password.
    pub fn from_env() -> Option<Self> {
        let var = |name: &str, default: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        let password = std::env::var("ADMIN_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty())?;
        Some(AdminSeed {
            login: var("ADMIN_LOGIN", "admin"),
            password,
            email: var("ADMIN_EMAIL", "admin@migration.gov.kg"),
            phone: var("ADMIN_PHONE", "+996312000000"),
        })
    }
}

/// Creates the admin account unless its login exists; returns whether it was created.
/// The password must meet the same policy as everyone's.
pub async fn seed_admin(accounts: &DynamoAccounts, seed: &AdminSeed) -> anyhow::Result<bool> {
    use domain::account::password::Password;
    use domain::account::sign_up::{Profile, SignInName};
    use domain::account::values::{Login, Text};

    let login = Login::parse(&seed.login).map_err(|c| anyhow::anyhow!("ADMIN_LOGIN: {c}"))?;
    let sign_in = SignInName::Login(login).key();
    if accounts.find_by_sign_in(&sign_in).await?.is_some() {
        return Ok(false);
    }
    let password = Password::parse(&seed.password, &seed.password)
        .map_err(|c| anyhow::anyhow!("ADMIN_PASSWORD: {c}"))?;
    let record = AccountRecord::new(NewAccount {
        kind: AccountType::Admin,
        status: AccountStatus::Active,
        sign_in,
        email: domain::EmailAddress::parse(&seed.email)
            .map_err(|c| anyhow::anyhow!("ADMIN_EMAIL: {c}"))?,
        phone: domain::PhoneNumber::parse(&seed.phone)
            .map_err(|c| anyhow::anyhow!("ADMIN_PHONE: {c}"))?,
        lang: Lang::Ru,
        password_hash: hash_secret(password.expose()),
        profile: Profile::Staff {
            surname: Text::parse("Administrator", 200).map_err(|c| anyhow::anyhow!("{c}"))?,
            given_names: Text::parse("System", 200).map_err(|c| anyhow::anyhow!("{c}"))?,
        },
        created_by: None,
    });
    match accounts.create(&record).await {
        Ok(()) => Ok(true),
        Err(StoreError::Taken(_)) => Ok(false),
        Err(other) => Err(other.into()),
    }
}

/// Seeds the admin from the environment with the function's own configuration.
pub async fn seed_admin_from_env(deps: &Deps) -> anyhow::Result<Option<bool>> {
    match AdminSeed::from_env() {
        Some(seed) => Ok(Some(seed_admin(&deps.accounts(), &seed).await?)),
        None => Ok(None),
    }
}
