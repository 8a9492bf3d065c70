//! The account item as stored, what every new account starts with, and what its holder
//! and operators are shown of it.

use domain::account::profile::Profile;
use domain::account::{AccountId, AccountStatus, AccountType, Portal};
use domain::second_factor::SecondFactor;
use domain::{EmailAddress, Lang, PhoneNumber};
use serde::{Deserialize, Serialize};

/// A one-time secret sent to the account holder: an activation code or an email link.
/// Only its keyed digest is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimeSecret {
    pub digest: String,
    /// Seconds since the epoch.
    pub sent_at: u64,
    pub expires_at: u64,
    /// Wrong answers so far.
    pub attempts: u32,
    /// When it was used; a used link answers again as used, a used code never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_at: Option<u64>,
}

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountRecord {
    pub pk: String,
    pub account_id: AccountId,
    #[serde(rename = "type")]
    pub kind: AccountType,
    pub status: AccountStatus,
    /// The normalised sign-in key (`email:<address>` or `login:<login>`).
    pub sign_in: String,
    pub email: EmailAddress,
    pub phone: PhoneNumber,
    pub lang: Lang,
    pub password_hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin_hash: Option<String>,
    /// Wrong PINs in a row, and when the last was given (seconds since the epoch):
    /// past five, each further attempt waits longer, as sign-in does.
    #[serde(default)]
    pub pin_failures: u32,
    #[serde(default)]
    pub pin_failed_at: u64,
    pub profile: Profile,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    /// Set while an operator must act ([`AccountRecord::activation_queue`]); the
    /// `by_status` index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_link: Option<OneTimeSecret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation_code: Option<OneTimeSecret>,
    /// Sessions created under an older epoch are ended ("sign out everywhere",
    /// password change or reset).
    #[serde(default)]
    pub session_epoch: u64,
    /// The operator's activation or refusal (e-work).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// Who created the account, when it was not self-registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<AccountId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_factor: Option<SecondFactor>,
    /// The seed of an authenticator enrolment not yet confirmed with a code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp_pending: Option<String>,
    /// The last authenticator time step accepted: each code works once.
    #[serde(default)]
    pub totp_last_step: u64,
    /// A new phone number waiting for the code sent to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_change: Option<PhoneChange>,
    /// A code sent to `phone` came back: the number is the holder's. Only such a phone
    /// may receive sign-in codes.
    #[serde(default)]
    pub phone_verified: bool,
    /// The id of the change request waiting for an operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_change: Option<String>,
    /// Counts approved profile changes: a change request applies only to the version
    /// it was made from.
    #[serde(default)]
    pub profile_version: u64,
}

/// The `status_key` (the `by_status` index) under which every operator and admin is
/// listed, oldest first.
pub(super) const STAFF_LIST: &str = "staff";

/// The signed-in account, as its holder may see it.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccountSummary {
    pub account_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    pub email: String,
    pub phone: String,
    /// A code sent to the phone came back (needed for SMS sign-in codes).
    pub phone_verified: bool,
    pub lang: String,
    /// The holder's name, or the representative's for an employer.
    pub name: String,
    /// The identity document's issuing state (`KGZ`), when the account has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_country: Option<String>,
    /// Its number, masked (`AC***67`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
    /// `totp` or `sms` when sign-in asks for a second factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_factor: Option<String>,
    /// RFC 3339, UTC.
    pub registered_at: String,
}

impl From<&AccountRecord> for AccountSummary {
    fn from(account: &AccountRecord) -> Self {
        let identity = account.profile.identity();
        AccountSummary {
            account_id: account.account_id.to_string(),
            kind: account.kind.as_str().to_owned(),
            status: account.status.as_str().to_owned(),
            email: account.email.to_string(),
            phone: account.phone.to_string(),
            phone_verified: account.phone_verified,
            lang: account.lang.as_str().to_owned(),
            name: account.profile.display_name(),
            document_country: identity.map(|i| i.document_country.to_string()),
            document_number: identity.map(|i| i.document_number.masked()),
            second_factor: account
                .second_factor
                .as_ref()
                .map(|f| f.method().to_owned()),
            registered_at: account.created_at.clone(),
        }
    }
}

/// An operator's decision on an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub by: AccountId,
    /// RFC 3339, UTC.
    pub at: String,
    pub outcome: AccountStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A phone number change waiting for its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneChange {
    pub phone: PhoneNumber,
    pub code: OneTimeSecret,
    /// Codes sent on `day` (days since the epoch): resends are capped per day, and wrong
    /// tries carry over to the next code of the same day.
    #[serde(default)]
    pub sends: u32,
    #[serde(default)]
    pub day: u64,
}

/// What every new account starts with.
pub struct NewAccount {
    pub kind: AccountType,
    pub status: AccountStatus,
    pub sign_in: String,
    pub email: EmailAddress,
    pub phone: PhoneNumber,
    pub lang: Lang,
    pub password_hash: String,
    pub profile: Profile,
    pub created_by: Option<AccountId>,
}

impl AccountRecord {
    /// The item's key in the accounts table.
    pub(crate) fn key(id: &AccountId) -> String {
        format!("account#{id}")
    }

    /// A new account with a fresh id and nothing pending.
    pub fn new(account: NewAccount) -> Self {
        let id = AccountId::new();
        let now = domain::clock::now_rfc3339();
        AccountRecord {
            pk: AccountRecord::key(&id),
            account_id: id,
            kind: account.kind,
            status: account.status,
            sign_in: account.sign_in,
            email: account.email,
            phone: account.phone,
            lang: account.lang,
            password_hash: account.password_hash,
            pin_hash: None,
            pin_failures: 0,
            pin_failed_at: 0,
            profile: account.profile,
            created_at: now.clone(),
            updated_at: now,
            // Staff are listed for the admin under their own key of the same index.
            status_key: (!account.kind.is_applicant()).then(|| STAFF_LIST.to_owned()),
            email_link: None,
            activation_code: None,
            session_epoch: 0,
            decision: None,
            created_by: account.created_by,
            second_factor: None,
            totp_pending: None,
            totp_last_step: 0,
            phone_change: None,
            phone_verified: false,
            pending_change: None,
            profile_version: 0,
        }
    }

    /// The account under `id` rather than a fresh id: an account made from a
    /// registration draft takes the id its draft's uploads are owned by.
    pub fn with_id(self, id: AccountId) -> Self {
        AccountRecord {
            pk: AccountRecord::key(&id),
            account_id: id,
            ..self
        }
    }

    /// The account with `secret` as the one its portal sends to confirm it: the email
    /// link (e-work) or the activation code (ereg). Staff accounts have neither.
    pub fn with_pending_secret(self, secret: OneTimeSecret) -> Self {
        match self.kind.portal() {
            None => self,
            Some(Portal::Ework) => AccountRecord {
                email_link: Some(secret),
                ..self
            },
            Some(Portal::Ereg) => AccountRecord {
                activation_code: Some(secret),
                ..self
            },
        }
    }

    /// The attribute holding the secret that confirms a pending account of `portal`.
    pub(super) fn pending_secret_attribute(portal: Portal) -> &'static str {
        match portal {
            Portal::Ework => "email_link",
            Portal::Ereg => "activation_code",
        }
    }

    /// The `status_key` (the `by_status` index) under which confirmed accounts of
    /// `portal` wait for an operator to activate them.
    pub(super) fn activation_queue(portal: Portal) -> &'static str {
        match portal {
            Portal::Ework => "ework#awaiting_activation",
            Portal::Ereg => "ereg#awaiting_activation",
        }
    }
}
