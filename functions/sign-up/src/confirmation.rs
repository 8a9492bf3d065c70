//! The link or code that confirms a new account: made, stored as a digest, and sent;
//! and where the account stands after a confirmation step.

use adapters::accounts::{AccountRecord, OneTimeSecret};
use domain::Lang;
use domain::account::{AccountId, Portal};
use domain::clock::now_secs;
use domain::notification::{Recipient, Template};
use domain::secrets::{random_code, random_token};
use http_edge::ApiError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::App;

/// An ereg activation code: 6 digits, valid 10 minutes, 5 wrong tries, one resend a minute.
pub const CODE_DIGITS: u32 = 6;
pub const CODE_TTL_SECS: u64 = 600;
pub const CODE_MAX_ATTEMPTS: u32 = 5;
pub const RESEND_AFTER_SECS: u64 = 60;
/// The e-work email link is valid 24 hours.
pub const LINK_TTL_SECS: u64 = 24 * 3600;
/// The ereg action PIN.
pub const PIN_DIGITS: u32 = 6;

/// The purposes under which activation codes and email link tokens are digested.
pub(crate) const PURPOSE_CODE: &str = "activation-code";
pub(crate) const PURPOSE_LINK: &str = "email-link";

/// Where an account stands after a confirmation step.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountState {
    /// `awaiting_activation` or `active`.
    pub status: String,
}

/// A new one-time secret for a pending account, as sent and as stored: an email link
/// token (e-work) or an activation code (ereg).
pub(crate) fn fresh_secret(app: &App, id: &AccountId, portal: Portal) -> (String, OneTimeSecret) {
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

/// Puts a notification on the queue; `id` names the event that causes it.
pub(crate) async fn enqueue(
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
pub(crate) async fn send_confirmation(
    app: &App,
    account: &AccountRecord,
    secret: &str,
) -> Result<(), ApiError> {
    let id = &account.account_id;
    match (&account.email_link, &account.activation_code) {
        (Some(link), _) => {
            let name = account.profile.given_name();
            let link_url = format!("{}/confirm-email?token={secret}", app.public_url);
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
