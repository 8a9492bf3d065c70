//! A payment order and the settlement of the processor's events about it. What an event
//! does to its order is one pure decision, [`settle`], with one outcome per row of the
//! table; the ledger keeps the outcome of every event under the names below.

use serde::{Deserialize, Serialize};

use super::{Amount, EventStatus, ProcessorEvent};
use crate::Code;
use crate::account::AccountId;

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Waiting for the payer, until `expires_at`.
    Pending,
    Paid,
    /// Its session ended unpaid.
    Expired,
}

/// A payment order for an application's fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// `<application>_<unix time>`.
    pub order_number: String,
    /// The application the fee is for.
    pub application: String,
    pub owner: AccountId,
    #[serde(flatten)]
    pub amount: Amount,
    pub status: OrderStatus,
    /// Counts changes; every write is conditional on the version read.
    pub version: u64,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// Seconds since the epoch.
    pub expires_at: u64,
    pub checkout_url: String,
    /// The event that paid it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_at: Option<String>,
    /// Money came that must go back (late, or for a cancelled application).
    #[serde(default)]
    pub refund_due: bool,
    /// What an operator must look at: `payment_mismatch`, `paid_after_expiry`,
    /// `paid_after_cancellation`.
    #[serde(default)]
    pub flags: Vec<String>,
}

/// A new order's particulars, for [`Order::pending`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    pub order_number: String,
    pub application: String,
    pub owner: AccountId,
    pub amount: Amount,
    /// Seconds since the epoch: the end of the processor's session.
    pub expires_at: u64,
    pub checkout_url: String,
}

impl Order {
    /// A new order waiting for its payer, made at `now` (RFC 3339).
    pub fn pending(new: NewOrder, now: &str) -> Order {
        Order {
            order_number: new.order_number,
            application: new.application,
            owner: new.owner,
            amount: new.amount,
            status: OrderStatus::Pending,
            version: 1,
            created_at: now.to_owned(),
            expires_at: new.expires_at,
            checkout_url: new.checkout_url,
            paid_event: None,
            paid_at: None,
            refund_due: false,
            flags: Vec::new(),
        }
    }

    /// Still payable at `now` (seconds since the epoch): pending, its session not over.
    pub fn is_open(&self, now: u64) -> bool {
        self.status == OrderStatus::Pending && self.expires_at > now
    }

    /// Whether `code` is among its flags.
    pub fn has_flag(&self, code: Code) -> bool {
        self.flags.iter().any(|f| f == code.as_str())
    }

    /// The next version of this order.
    fn next(&self) -> Order {
        Order {
            version: self.version + 1,
            ..self.clone()
        }
    }

    fn flag(&mut self, code: Code) {
        if !self.has_flag(code) {
            self.flags.push(code.as_str().to_owned());
        }
    }

    /// This order after `settlement` of `event` at `now` (RFC 3339), or `None` when the
    /// event changes neither its status nor its flags (the ledger alone records it).
    pub fn settled(
        &self,
        settlement: Settlement,
        event: &ProcessorEvent,
        now: &str,
    ) -> Option<Order> {
        let mut next = self.next();
        match settlement {
            Settlement::WrongAmount => next.flag(Code::PaymentMismatch),
            Settlement::Late => {
                next.refund_due = true;
                next.flag(Code::PaidAfterExpiry);
                if self.status == OrderStatus::Pending {
                    next.status = OrderStatus::Expired;
                }
            }
            Settlement::Settled => {
                next.status = OrderStatus::Paid;
                next.paid_event = Some(event.event_id.clone());
                next.paid_at = Some(now.to_owned());
            }
            Settlement::Failed
            | Settlement::FailureAfterSuccess
            | Settlement::DuplicateSuccess
            | Settlement::UnknownOrder => {}
        }
        (next.flags != self.flags || next.status != self.status).then_some(next)
    }

    /// Paid for an application cancelled (or refused) meanwhile: the money goes back and
    /// an operator looks at it. `None` when it is so flagged already.
    pub fn paid_after_cancellation(&self) -> Option<Order> {
        if self.has_flag(Code::PaidAfterCancellation) {
            return None;
        }
        let mut next = self.next();
        next.refund_due = true;
        next.flag(Code::PaidAfterCancellation);
        Some(next)
    }

    /// Its session ended and the processor knows no payment: expired.
    pub fn lapsed(&self) -> Order {
        Order {
            status: OrderStatus::Expired,
            ..self.next()
        }
    }
}

/// What one processor event did, as the ledger records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Settlement {
    /// The order is paid by this event.
    Settled,
    /// Another success for an order already paid: nothing changes.
    DuplicateSuccess,
    /// The card was declined; the order waits for another try.
    Failed,
    /// A failure reported for an order already paid: nothing changes.
    FailureAfterSuccess,
    /// Not the order's amount or currency: flagged, nothing settled.
    WrongAmount,
    /// Paid after the order expired: flagged, and the money goes back.
    Late,
    /// No such order.
    UnknownOrder,
}

impl Settlement {
    /// The name the ledger stores.
    pub fn as_str(self) -> &'static str {
        match self {
            Settlement::Settled => "settled",
            Settlement::DuplicateSuccess => "duplicate_success",
            Settlement::Failed => "failed",
            Settlement::FailureAfterSuccess => "failure_after_success",
            Settlement::WrongAmount => "wrong_amount",
            Settlement::Late => "late",
            Settlement::UnknownOrder => "unknown_order",
        }
    }
}

impl std::fmt::Display for Settlement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `event` does to `order`: the settlement decision table, first matching row wins.
/// (An event whose order does not exist is [`Settlement::UnknownOrder`].)
pub fn settle(order: &Order, event: &ProcessorEvent) -> Settlement {
    let paid = order.status == OrderStatus::Paid;
    match event.status {
        EventStatus::Failed if paid => Settlement::FailureAfterSuccess,
        EventStatus::Failed => Settlement::Failed,
        EventStatus::Succeeded if event.amount() != order.amount => Settlement::WrongAmount,
        EventStatus::Succeeded if paid => Settlement::DuplicateSuccess,
        EventStatus::Succeeded
            if order.status == OrderStatus::Expired || event.occurred_at > order.expires_at =>
        {
            Settlement::Late
        }
        EventStatus::Succeeded => Settlement::Settled,
    }
}

/// One processor event as the ledger keeps it, once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    #[serde(flatten)]
    pub event: ProcessorEvent,
    /// RFC 3339, UTC.
    pub received_at: String,
    /// What it did.
    pub outcome: Settlement,
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: &str = "2026-11-23T10:00:00Z";
    const EXPIRES_AT: u64 = 1_800_001_200;

    fn order(status: OrderStatus) -> Order {
        Order {
            status,
            ..Order::pending(
                NewOrder {
                    order_number: "9754336625_1800000000".into(),
                    application: "9754336625".into(),
                    owner: AccountId::new(),
                    amount: Amount::new(10_300, "KGS"),
                    expires_at: EXPIRES_AT,
                    checkout_url: "https://processor/checkout".into(),
                },
                "2026-11-23T09:40:00Z",
            )
        }
    }

    fn event(status: EventStatus, amount_minor: u64, occurred_at: u64) -> ProcessorEvent {
        ProcessorEvent {
            event_id: "evt_1".into(),
            order_number: "9754336625_1800000000".into(),
            status,
            amount_minor,
            currency: "KGS".into(),
            occurred_at,
        }
    }

    fn in_time(status: EventStatus) -> ProcessorEvent {
        event(status, 10_300, EXPIRES_AT - 60)
    }

    #[test]
    fn a_failure_after_success_changes_nothing() {
        let paid = order(OrderStatus::Paid);
        let failed = in_time(EventStatus::Failed);
        assert_eq!(settle(&paid, &failed), Settlement::FailureAfterSuccess);
        assert_eq!(
            paid.settled(Settlement::FailureAfterSuccess, &failed, NOW),
            None
        );
    }

    #[test]
    fn a_declined_card_leaves_the_order_waiting() {
        let pending = order(OrderStatus::Pending);
        let failed = in_time(EventStatus::Failed);
        assert_eq!(settle(&pending, &failed), Settlement::Failed);
        assert_eq!(pending.settled(Settlement::Failed, &failed, NOW), None);
    }

    #[test]
    fn a_wrong_amount_or_currency_is_flagged_and_settles_nothing() {
        let pending = order(OrderStatus::Pending);
        let short = event(EventStatus::Succeeded, 100, EXPIRES_AT - 60);
        assert_eq!(settle(&pending, &short), Settlement::WrongAmount);
        let mut dollars = in_time(EventStatus::Succeeded);
        dollars.currency = "USD".into();
        assert_eq!(settle(&pending, &dollars), Settlement::WrongAmount);
        let next = pending
            .settled(Settlement::WrongAmount, &short, NOW)
            .unwrap();
        assert_eq!(next.flags, ["payment_mismatch"]);
        assert_eq!(
            (next.status, next.refund_due),
            (OrderStatus::Pending, false)
        );
        assert_eq!(next.version, pending.version + 1);
        // Flagged once: a second wrong amount changes nothing more.
        assert_eq!(next.settled(Settlement::WrongAmount, &short, NOW), None);
    }

    #[test]
    fn a_second_success_for_a_paid_order_is_a_duplicate() {
        let paid = order(OrderStatus::Paid);
        let success = in_time(EventStatus::Succeeded);
        assert_eq!(settle(&paid, &success), Settlement::DuplicateSuccess);
        assert_eq!(
            paid.settled(Settlement::DuplicateSuccess, &success, NOW),
            None
        );
    }

    #[test]
    fn a_payment_after_the_session_ended_is_late_and_goes_back() {
        let pending = order(OrderStatus::Pending);
        let after = event(EventStatus::Succeeded, 10_300, EXPIRES_AT + 30);
        assert_eq!(settle(&pending, &after), Settlement::Late);
        let next = pending.settled(Settlement::Late, &after, NOW).unwrap();
        assert_eq!(next.status, OrderStatus::Expired);
        assert!(next.refund_due);
        assert_eq!(next.flags, ["paid_after_expiry"]);
        assert_eq!(next.paid_event, None);
    }

    #[test]
    fn a_payment_for_an_expired_order_is_late_even_within_its_time() {
        let expired = order(OrderStatus::Expired);
        let success = in_time(EventStatus::Succeeded);
        assert_eq!(settle(&expired, &success), Settlement::Late);
        let next = expired.settled(Settlement::Late, &success, NOW).unwrap();
        assert_eq!(next.status, OrderStatus::Expired);
        assert_eq!(next.flags, ["paid_after_expiry"]);
    }

    #[test]
    fn a_success_in_time_settles_the_order() {
        let pending = order(OrderStatus::Pending);
        let success = in_time(EventStatus::Succeeded);
        assert_eq!(settle(&pending, &success), Settlement::Settled);
        let next = pending.settled(Settlement::Settled, &success, NOW).unwrap();
        assert_eq!(next.status, OrderStatus::Paid);
        assert_eq!(next.paid_event.as_deref(), Some("evt_1"));
        assert_eq!(next.paid_at.as_deref(), Some(NOW));
        assert!(next.flags.is_empty() && !next.refund_due);
    }

    #[test]
    fn an_event_for_no_order_changes_no_order() {
        let pending = order(OrderStatus::Pending);
        let success = in_time(EventStatus::Succeeded);
        assert_eq!(
            pending.settled(Settlement::UnknownOrder, &success, NOW),
            None
        );
        assert_eq!(Settlement::UnknownOrder.as_str(), "unknown_order");
    }

    #[test]
    fn the_ledger_keeps_the_outcome_names_it_always_had() {
        let names: Vec<String> = [
            Settlement::Settled,
            Settlement::DuplicateSuccess,
            Settlement::Failed,
            Settlement::FailureAfterSuccess,
            Settlement::WrongAmount,
            Settlement::Late,
            Settlement::UnknownOrder,
        ]
        .into_iter()
        .map(|s| {
            let json = serde_json::to_value(s).unwrap();
            assert_eq!(json, s.as_str());
            s.to_string()
        })
        .collect();
        assert_eq!(
            names,
            [
                "settled",
                "duplicate_success",
                "failed",
                "failure_after_success",
                "wrong_amount",
                "late",
                "unknown_order"
            ]
        );
    }

    #[test]
    fn a_payment_after_cancellation_is_flagged_once_for_refund() {
        let paid = order(OrderStatus::Paid);
        let next = paid.paid_after_cancellation().unwrap();
        assert!(next.refund_due);
        assert_eq!(next.flags, ["paid_after_cancellation"]);
        assert_eq!(next.paid_after_cancellation(), None);
    }

    #[test]
    fn an_order_nobody_paid_lapses() {
        let pending = order(OrderStatus::Pending);
        assert!(pending.is_open(EXPIRES_AT - 1));
        assert!(!pending.is_open(EXPIRES_AT));
        let lapsed = pending.lapsed();
        assert_eq!(lapsed.status, OrderStatus::Expired);
        assert_eq!(lapsed.version, pending.version + 1);
    }
}
