//! The stores the e-work application lifecycle needs.

use std::future::Future;

use crate::StoreError;
use crate::ework::{Application, Change, Message};

/// Applications and their audit trail. Every write records its change in the audit
/// trail in the same transaction, and locks the documents it attaches (the applicant's
/// checked uploads: no replace, no delete from then on).
pub trait ApplicationStore: Send + Sync {
    /// The application numbered `number`.
    fn application(
        &self,
        number: &str,
    ) -> impl Future<Output = Result<Option<Application>, StoreError>> + Send;

    /// Stores a new application: `Err(StoreError::Taken(Taken::ApplicationNumber))` when
    /// its number is held, `Err(StoreError::Conflict)` when a document it names is no
    /// longer its owner's checked one.
    fn create(
        &self,
        application: &Application,
        change: &Change,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Writes `next` over the stored application if that is still at
    /// `next.version - 1`, with the audit entry of `change` and the applicant's
    /// `message` about it, locking the documents `attached` names, all or nothing:
    /// `Err(StoreError::Conflict)` when another writer got in first or a document is no
    /// longer usable.
    fn record_move(
        &self,
        next: &Application,
        change: &Change,
        attached: &[&str],
        message: Option<&Message>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Confirmed applications whose state fee is still due, paid or not.
    fn awaiting_fee(&self) -> impl Future<Output = Result<Vec<Application>, StoreError>> + Send;
}

/// Messages to applicants.
pub trait MessageStore: Send + Sync {
    fn post(&self, message: &Message) -> impl Future<Output = Result<(), StoreError>> + Send;
}
