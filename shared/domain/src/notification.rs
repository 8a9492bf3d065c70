//! Notifications: what producers put on the notifications queue, and how each is rendered
//! (HTML and plain-text email, SMS) in the recipient's language.

use std::fmt;
use std::sync::OnceLock;

use minijinja::{Environment, Value, context};
use serde::{Deserialize, Serialize};

use crate::{EmailAddress, Lang, PhoneNumber};

/// The producer's own id for one notification. It is what makes sending idempotent:
/// the same id enqueued twice is sent once. Derive it from the event that causes the
/// notification (`activation-code:<account>:<code-id>`), never from the SQS message id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NotificationId(String);

impl NotificationId {
    pub const MAX_LEN: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, InvalidNotificationId> {
        let valid = !raw.is_empty()
            && raw.len() <= Self::MAX_LEN
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'));
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidNotificationId)
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("a notification id is 1 to 200 characters of A-Z a-z 0-9 - _ : .")]
pub struct InvalidNotificationId;

impl AsRef<str> for NotificationId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NotificationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for NotificationId {
    type Error = InvalidNotificationId;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<NotificationId> for String {
    fn from(value: NotificationId) -> Self {
        value.0
    }
}

/// Where a notification goes. Addresses are validated when the message is read, so a
/// message with a bad address can never be sent and ends in the dead-letter queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<EmailAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<PhoneNumber>,
}

/// What to tell the recipient, with the values the text needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "template", content = "params", rename_all = "snake_case")]
pub enum Template {
    /// e-work: confirm the email address by following a single-use link.
    EmailConfirmation { name: String, link: String },
    /// ereg: the 6-digit activation code, by email and SMS.
    ActivationCode { code: String, valid_minutes: u32 },
    /// Someone registered again with an email that has an account: tell its owner,
    /// with links to sign in and to reset the password.
    AccountExists {
        sign_in_link: String,
        reset_link: String,
    },
    /// ereg: the permanent PIN that confirms actions, by email and SMS.
    ActionPin { pin: String },
    /// A single-use link to set a new password, valid one hour.
    PasswordReset { link: String, valid_minutes: u32 },
    /// e-work: a labour operator activated the account.
    AccountActivated { name: String, sign_in_link: String },
    /// e-work: a labour operator refused the account, with the reason.
    AccountRefused { name: String, reason: String },
    /// An operator created the account: its login and a single-use link to set the
    /// password (we never send a password).
    SetPassword {
        login: String,
        link: String,
        valid_hours: u32,
    },
    /// A code by SMS: the second factor at sign-in, or a new phone number.
    VerificationCode { code: String, valid_minutes: u32 },
    /// An operator approved or refused a change of the account's data.
    ChangeRequestDecided { approved: bool, reason: String },
    /// ereg: a registration of a foreigner was confirmed (with its registration number
    /// and period) or refused (with the reason), by email and SMS.
    RegistrationDecided {
        application: String,
        guest: String,
        confirmed: bool,
        registration_number: String,
        valid_from: String,
        valid_to: String,
        reason: String,
    },
    /// e-work: an application changed status or a message about it is waiting, by
    /// email only and with nothing personal but the application's number. `status` is
    /// the new status's code (`confirmed`), empty for a message alone.
    ApplicationUpdate {
        application: String,
        status: String,
        /// The new status as the portal shows it, in the recipient's language.
        #[serde(default)]
        status_label: String,
    },
    /// e-work: to the foreigner a work permit is for, at the contacts of their stay
    /// registration, by email and SMS: the permit was `granted`, `extended` or `revoked`.
    PermitChanged {
        permit: String,
        /// `granted`, `extended` or `revoked`.
        change: String,
        valid_until: String,
        employer: String,
    },
    /// The fee of an application was received.
    PaymentReceived {
        application: String,
        order_number: String,
        amount: String,
    },
}

impl Template {
    fn name(&self) -> &'static str {
        match self {
            Template::EmailConfirmation { .. } => "email_confirmation",
            Template::ActivationCode { .. } => "activation_code",
            Template::AccountExists { .. } => "account_exists",
            Template::ActionPin { .. } => "action_pin",
            Template::PasswordReset { .. } => "password_reset",
            Template::AccountActivated { .. } => "account_activated",
            Template::AccountRefused { .. } => "account_refused",
            Template::SetPassword { .. } => "set_password",
            Template::VerificationCode { .. } => "verification_code",
            Template::ChangeRequestDecided { .. } => "change_request_decided",
            Template::RegistrationDecided { .. } => "registration_decided",
            Template::PaymentReceived { .. } => "payment_received",
            Template::ApplicationUpdate { .. } => "application_update",
            Template::PermitChanged { .. } => "permit_changed",
        }
    }

    fn channels(&self) -> Channels {
        // Codes and PINs go by SMS, verification codes only by SMS; the rest by email.
        let sms = matches!(
            self,
            Template::ActivationCode { .. }
                | Template::ActionPin { .. }
                | Template::VerificationCode { .. }
                | Template::RegistrationDecided { .. }
                | Template::PermitChanged { .. }
        );
        let email = !matches!(self, Template::VerificationCode { .. });
        Channels { email, sms }
    }
}

#[derive(Debug, Clone, Copy)]
struct Channels {
    email: bool,
    sms: bool,
}

/// One notification as producers enqueue it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: NotificationId,
    pub lang: Lang,
    pub to: Recipient,
    #[serde(flatten)]
    pub template: Template,
}

/// A rendered email: subject, HTML body and the plain-text alternative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: EmailAddress,
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// A rendered SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sms {
    pub to: PhoneNumber,
    pub text: String,
}

/// Everything to send for one notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub email: Option<Email>,
    pub sms: Option<Sms>,
}

/// Why a notification can never be sent. Retrying does not help.
#[derive(Debug, thiserror::Error)]
pub enum Undeliverable {
    #[error("the template {template} needs an email or phone the recipient does not have")]
    NoChannel { template: &'static str },
    #[error("the template {template} failed to render: {source}")]
    Render {
        template: &'static str,
        #[source]
        source: minijinja::Error,
    },
}

impl Notification {
    /// Renders the notification for every channel its template uses and its recipient has.
    pub fn render(&self) -> Result<Rendered, Undeliverable> {
        let template = self.template.name();
        let channels = self.template.channels();
        let email_to = self.to.email.as_ref().filter(|_| channels.email);
        let sms_to = self.to.phone.as_ref().filter(|_| channels.sms);
        if email_to.is_none() && sms_to.is_none() {
            return Err(Undeliverable::NoChannel { template });
        }
        let render_err = |source| Undeliverable::Render { template, source };
        let ctx = Value::from_serialize(&self.template)
            .get_attr("params")
            .map_err(render_err)?;
        let source = format!("{template}.{}", self.lang);

        let email = match email_to {
            Some(to) => {
                let [subject, text] =
                    render_blocks(&format!("{source}.txt"), &ctx, ["subject", "text"])
                        .map_err(render_err)?;
                let [body] =
                    render_blocks(&format!("{source}.html"), &ctx, ["html"]).map_err(render_err)?;
                let subject = subject.trim().to_owned();
                let html = environment()
                    .get_template("layout.html")
                    .and_then(|t| {
                        t.render(context! {
                            lang => self.lang.as_str(),
                            subject => &subject,
                            body => Value::from_safe_string(body),
                        })
                    })
                    .map_err(render_err)?;
                Some(Email {
                    to: to.clone(),
                    subject,
                    html,
                    text: text.trim().to_owned(),
                })
            }
            None => None,
        };
        let sms = match sms_to {
            Some(to) => {
                let [text] =
                    render_blocks(&format!("{source}.txt"), &ctx, ["sms"]).map_err(render_err)?;
                Some(Sms {
                    to: to.clone(),
                    text: text.trim().to_owned(),
                })
            }
            None => None,
        };
        Ok(Rendered { email, sms })
    }
}

/// Renders the named blocks of one registered template with the template's parameters.
fn render_blocks<const N: usize>(
    name: &str,
    ctx: &Value,
    blocks: [&str; N],
) -> Result<[String; N], minijinja::Error> {
    let mut captured = environment().get_template(name)?.render_captured(ctx)?;
    let mut out = [const { String::new() }; N];
    for (slot, block) in out.iter_mut().zip(blocks) {
        *slot = captured.with_state_mut(|state| state.render_block(block))?;
    }
    Ok(out)
}

macro_rules! sources {
    ($($name:literal),* $(,)?) => {
        &[$(
            ($name, "ky", include_str!(concat!("../templates/", $name, ".ky.j2"))),
            ($name, "ru", include_str!(concat!("../templates/", $name, ".ru.j2"))),
            ($name, "en", include_str!(concat!("../templates/", $name, ".en.j2"))),
        )*]
    };
}

/// Template sources: one file per template and language, with blocks `subject`, `text`,
/// `html` and, for SMS templates, `sms`.
const SOURCES: &[(&str, &str, &str)] = sources![
    "email_confirmation",
    "activation_code",
    "account_exists",
    "action_pin",
    "password_reset",
    "account_activated",
    "account_refused",
    "set_password",
    "verification_code",
    "change_request_decided",
    "registration_decided",
    "payment_received",
    "application_update",
    "permit_changed",
];

/// The template environment, built once. Each source is registered twice: as `.txt`
/// (no escaping, for subject, text and SMS) and as `.html` (HTML-escaped), so one file
/// holds every part of a message in one language.
fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for (name, lang, source) in SOURCES {
            for ext in ["txt", "html"] {
                env.add_template_owned(format!("{name}.{lang}.{ext}"), *source)
                    .expect("notification templates are valid");
            }
        }
        env.add_template("layout.html", include_str!("../templates/layout.html"))
            .expect("the email layout is valid");
        env
    })
}

#[cfg(test)]
mod tests;
