//! The stores settlement and reconciliation need.

use std::future::Future;

use crate::StoreError;
use crate::payment::{LedgerEntry, Order};

/// Payment orders and the append-only ledger of processor events. An application has
/// at most one open order; every event is recorded once. A write whose condition did
/// not hold is `Err(StoreError::Conflict)`.
pub trait OrderStore: Send + Sync {
    fn order(
        &self,
        order_number: &str,
    ) -> impl Future<Output = Result<Option<Order>, StoreError>> + Send;

    /// The latest order of `application`, open or not.
    fn latest_order_of(
        &self,
        application: &str,
    ) -> impl Future<Output = Result<Option<Order>, StoreError>> + Send;

    /// Stores `order` as its application's latest one: `Conflict` when another was made
    /// meanwhile. `replacing` is the order it takes over from (expired), if any.
    fn open_order(
        &self,
        order: &Order,
        replacing: Option<&str>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The ledger entry of the event `event_id`, if it was recorded.
    fn ledger_entry(
        &self,
        event_id: &str,
    ) -> impl Future<Output = Result<Option<LedgerEntry>, StoreError>> + Send;

    /// Records an event that changes no order: `Conflict` when it was recorded before.
    fn record_event(
        &self,
        entry: &LedgerEntry,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Writes `next` if the stored order is still at `next.version - 1`, and records
    /// `entry` (if any) unless its event was recorded before; all or nothing.
    fn save_order(
        &self,
        next: &Order,
        entry: Option<&LedgerEntry>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Pending orders whose session ended before `now` (seconds since the epoch).
    fn pending_expired(
        &self,
        now: u64,
    ) -> impl Future<Output = Result<Vec<Order>, StoreError>> + Send;
}
