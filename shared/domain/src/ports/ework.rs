//! The stores the e-work application lifecycle needs.

use std::future::Future;

use crate::StoreError;
use crate::account::AccountId;
use crate::account::values::{CountryCode, DocumentNumber};
use crate::ework::{Application, Change, Holder, Message, Place, PlaceRef, Visa};
use crate::stay::Stay;

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

    /// Writes the granted permit `next` as [`Self::record_move`] does, and in the same
    /// transaction takes one place of `place`, of which `allocated` were given:
    /// `Err(StoreError::Taken(Taken::QuotaPlace))` when none is left, and then nothing
    /// is written.
    fn record_grant(
        &self,
        next: &Application,
        change: &Change,
        message: &Message,
        place: &PlaceRef,
        allocated: u32,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The work-permit applications of the passport `holder_key` (`CHN#E12345678`), of
    /// every employer.
    fn permits_of(
        &self,
        holder_key: &str,
    ) -> impl Future<Output = Result<Vec<Application>, StoreError>> + Send;

    /// The rows of `owner`'s usable (confirmed and paid) quota allocations, each with
    /// its free places, oldest application first.
    fn places_of(
        &self,
        owner: &AccountId,
    ) -> impl Future<Output = Result<Vec<Place>, StoreError>> + Send;
}

/// The border service: what it knows of a document's holder and their crossings.
pub trait BorderService: Send + Sync {
    fn holder(
        &self,
        country: &CountryCode,
        number: &DocumentNumber,
    ) -> impl Future<Output = Result<Option<Holder>, StoreError>> + Send;
}

/// The visa registry: the visas issued on a document.
pub trait VisaRegistry: Send + Sync {
    fn visas(
        &self,
        country: &CountryCode,
        number: &DocumentNumber,
    ) -> impl Future<Output = Result<Vec<Visa>, StoreError>> + Send;
}

/// Stay registrations by the number their talon prints.
pub trait Talons: Send + Sync {
    fn by_registration_number(
        &self,
        registration_number: &str,
    ) -> impl Future<Output = Result<Option<Stay>, StoreError>> + Send;
}

/// Messages to applicants.
pub trait MessageStore: Send + Sync {
    fn post(&self, message: &Message) -> impl Future<Output = Result<(), StoreError>> + Send;
}
