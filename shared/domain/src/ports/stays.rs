//! The stores the stay lifecycle needs.

use std::future::Future;

use time::Date;

use crate::StoreError;
use crate::stay::{Change, Stay};

/// Registrations and their audit trail. Every write is conditional on the version it
/// read and records its change in the audit trail in the same transaction:
/// `Err(StoreError::Conflict)` when another writer got in first.
pub trait StayStore: Send + Sync {
    /// The registration with application number `number`.
    fn stay(&self, number: &str) -> impl Future<Output = Result<Option<Stay>, StoreError>> + Send;

    /// Writes `next` over the stored registration if that is still at
    /// `next.version - 1`, with the audit entry of `change`.
    fn record_move(
        &self,
        next: &Stay,
        change: &Change,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// As [`Self::record_move`] for a confirmation, which also claims `next`'s
    /// registration number: `Conflict` too when another registration holds it.
    fn record_confirmation(
        &self,
        next: &Stay,
        change: &Change,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Every registration of the passport `document_number`, any status.
    fn of_passport(
        &self,
        document_number: &str,
    ) -> impl Future<Output = Result<Vec<Stay>, StoreError>> + Send;

    /// Valid registrations whose last day is before `today`.
    fn past_their_last_day(
        &self,
        today: Date,
    ) -> impl Future<Output = Result<Vec<Stay>, StoreError>> + Send;
}
