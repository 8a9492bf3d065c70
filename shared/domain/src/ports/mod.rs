//! The small interfaces the domain needs from the outside world. Adapters implement them
//! over AWS; the domain and the handlers only see these.

use std::future::Future;
use std::time::Duration;

use crate::account::AccountId;
use crate::notification::{Email, NotificationId, Recipient, Sms, Template};
use crate::store::{PortFailure, StoreError};
use crate::{EmailAddress, Lang, PhoneNumber};

pub mod documents;
pub mod ework;
pub mod payments;
pub mod stays;

/// A failure to reach or use an outside service.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The service refused this message for good (bad address, unverified sender).
    #[error("rejected: {0}")]
    Rejected(String),
    /// Anything that may pass: throttling, a network error, a 5xx.
    #[error("transient: {0}")]
    Transient(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Sends rendered email. Returns the provider's message id.
pub trait Mailer: Send + Sync {
    fn send(&self, email: &Email) -> impl Future<Output = Result<String, SendError>> + Send;
}

/// Sends rendered SMS. Returns the provider's message id.
pub trait SmsSender: Send + Sync {
    fn send(&self, sms: &Sms) -> impl Future<Output = Result<String, SendError>> + Send;
}

/// A channel a notification goes out on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

/// A time-limited claim on sending one notification, with what was already sent under
/// earlier claims (so a retry after a half-finished attempt sends only what is missing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub id: NotificationId,
    pub token: String,
    pub email_message_id: Option<String>,
    pub sms_message_id: Option<String>,
}

/// The answer to a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This consumer may send; nobody else may until the lease ends or is released.
    Claimed(Lease),
    /// Sent before: the duplicate is done.
    AlreadySent,
    /// Another consumer holds a live lease: try again later.
    HeldElsewhere,
}

/// Remembers which notifications were sent, so that each is sent once whatever the
/// queue or the producers repeat.
pub trait NotificationLedger: Send + Sync {
    type Error: std::error::Error + Send + Sync + 'static;

    fn claim(
        &self,
        id: &NotificationId,
        lease: Duration,
    ) -> impl Future<Output = Result<Claim, Self::Error>> + Send;

    fn record_sent(
        &self,
        lease: &Lease,
        channel: Channel,
        message_id: &str,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// Marks the notification sent for good and ends the lease.
    fn complete(&self, lease: &Lease) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// Ends the lease without completing, so a retry may claim at once.
    fn release(&self, lease: &Lease) -> impl Future<Output = Result<(), Self::Error>> + Send;
}

/// A property as the state property registry knows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Property {
    pub code: String,
    pub city: String,
    pub address: String,
    /// Personal numbers, tax ids or (for foreign owners) passport numbers of the owners.
    pub owners: Vec<String>,
}

/// The state property registry: resolves a property identification code to its
/// address and owners. An outside system; the local stack reads a seeded table.
pub trait PropertyRegistry: Send + Sync {
    type Error: std::error::Error + Send + Sync + 'static;

    fn find(
        &self,
        code: &crate::account::values::PropertyCode,
    ) -> impl Future<Output = Result<Option<Property>, Self::Error>> + Send;
}

/// A payment session to open at the card processor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentSession {
    pub order_number: String,
    pub amount_minor: u64,
    pub currency: String,
    /// Seconds since the epoch.
    pub expires_at: u64,
    /// What the payer sees, e.g. "ereg registration 9754336625".
    pub description: String,
}

/// The card processor: opens payment sessions (the payer pays on its page) and says
/// what became of an order, for reconciling webhooks that never came.
pub trait PaymentProcessor: Send + Sync {
    type Error: std::error::Error + Send + Sync + 'static;

    /// Opens a session; the checkout URL to send the payer to.
    fn open_session(
        &self,
        session: &PaymentSession,
    ) -> impl Future<Output = Result<String, Self::Error>> + Send;

    /// The processor's last event for the order, if it has one.
    fn status(
        &self,
        order_number: &str,
    ) -> impl Future<Output = Result<Option<crate::payment::ProcessorEvent>, Self::Error>> + Send;
}

/// Puts a notification on its way to a person (email and SMS, rendered in `lang`).
/// `id` names the event that causes it: the same id again is sent once.
pub trait Notifier: Send + Sync {
    fn notify(
        &self,
        id: &str,
        lang: Lang,
        to: Recipient,
        template: Template,
    ) -> impl Future<Output = Result<(), PortFailure>> + Send;
}

/// How an account holder is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub email: EmailAddress,
    pub phone: PhoneNumber,
    pub lang: Lang,
}

/// The contact of an account, for the use cases that tell its holder something.
pub trait Contacts: Send + Sync {
    fn contact(
        &self,
        id: &AccountId,
    ) -> impl Future<Output = Result<Option<Contact>, StoreError>> + Send;
}
