//! A submitted registration and the moves of its life: paid (or, after a cancellation,
//! refund due), confirmed with a registration number or refused with a reason,
//! cancelled by its host, expired after its last day. Each move is a method that gives
//! the next version or says, with a code, why the move is not allowed; who made it and
//! why is a [`Change`], which the audit trail records with it.

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use super::{Flag, Guest, PaymentStatus, Purpose, StayPolicy, StayRequest, StayStatus};
use crate::account::AccountId;
pub use crate::actor::Actor;
use crate::calendar::WorkCalendar;
use crate::error::Code;
use crate::payment::{Amount, fee_fields};
use crate::{EmailAddress, PhoneNumber};

/// A registration of a foreigner at a place of stay, once submitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stay {
    /// The 10-digit application number.
    pub number: String,
    /// The host.
    pub owner: AccountId,
    /// Counts changes; every write is conditional on the version it read.
    pub version: u64,
    pub status: StayStatus,
    pub payment: PaymentStatus,
    /// Stored as `fee_minor` and `currency`.
    #[serde(flatten, with = "fee_fields")]
    pub fee: Amount,
    pub housing_code: String,
    pub city: String,
    pub address: String,
    pub guest: Guest,
    /// Surname and given names, for the archive's name filter.
    pub guest_name: String,
    pub entry_date: Date,
    pub phone: PhoneNumber,
    pub email: EmailAddress,
    pub stay_from: Date,
    pub stay_to: Date,
    pub purpose: Purpose,
    pub passport_scan: String,
    pub photo: String,
    /// What an operator must look at; empty when nothing is flagged.
    #[serde(default)]
    pub flags: Vec<Flag>,
    /// The 14-digit number given on confirmation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_number: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
    /// The operator's account id, or `system` for an automatic confirmation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_reason: Option<String>,
}

/// An RFC 3339 time, if `raw` is one.
fn instant(raw: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(raw, &Rfc3339).ok()
}

/// The housing a registration is at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub housing_code: String,
    pub city: String,
    pub address: String,
}

/// What a payment does to a registration.
#[derive(Debug, Clone, PartialEq)]
pub enum PaymentOutcome {
    /// Paid (or further on) before: nothing changes.
    AlreadyRecorded,
    /// Paid; waiting for a decision.
    Paid(Stay),
    /// Paid after it was cancelled: the fee goes back.
    RefundDue(Stay),
}

impl Stay {
    /// A registration its host just submitted (at `now`, RFC 3339): the fee is due.
    pub fn submitted(
        number: String,
        owner: AccountId,
        request: StayRequest,
        place: Place,
        flags: Vec<Flag>,
        now: &str,
    ) -> Stay {
        Stay {
            number,
            owner,
            version: 1,
            status: StayStatus::AwaitingPayment,
            payment: PaymentStatus::Unpaid,
            fee: super::fee(),
            housing_code: place.housing_code,
            city: place.city,
            address: place.address,
            guest_name: request.guest.full_name(),
            guest: request.guest,
            entry_date: request.entry_date,
            phone: request.phone,
            email: request.email,
            stay_from: request.stay_from,
            stay_to: request.stay_to,
            purpose: request.purpose,
            passport_scan: request.passport_scan.to_string(),
            photo: request.photo.to_string(),
            flags,
            registration_number: None,
            created_at: now.to_owned(),
            updated_at: now.to_owned(),
            paid_at: None,
            decided_at: None,
            decided_by: None,
            refusal_reason: None,
        }
    }

    /// The next version of this registration, in `status` from `now` (RFC 3339). The
    /// moves below are built on it.
    pub fn moved_to(&self, status: StayStatus, now: &str) -> Stay {
        Stay {
            version: self.version + 1,
            status,
            updated_at: now.to_owned(),
            ..self.clone()
        }
    }

    /// The fee of `amount` came at `now`. Idempotent: once recorded, a payment changes
    /// nothing more. Refused with `payment_mismatch` for another amount or currency.
    pub fn pay(&self, amount: &Amount, now: &str) -> Result<PaymentOutcome, Code> {
        if amount != &self.fee {
            return Err(Code::PaymentMismatch);
        }
        if self.payment != PaymentStatus::Unpaid {
            return Ok(PaymentOutcome::AlreadyRecorded);
        }
        if self.status == StayStatus::AwaitingPayment {
            let mut next = self.moved_to(StayStatus::Paid, now);
            next.payment = PaymentStatus::Paid;
            next.paid_at = Some(now.to_owned());
            return Ok(PaymentOutcome::Paid(next));
        }
        // Cancelled before the money came: it goes back.
        let mut next = self.moved_to(self.status, now);
        next.payment = PaymentStatus::RefundDue;
        next.paid_at = Some(now.to_owned());
        Ok(PaymentOutcome::RefundDue(next))
    }

    /// When an operator is due to have decided it under `calendar`: the close of the
    /// first working day after its payment. Derived, not stored, so that a holiday
    /// decreed after the payment extends it. `None` while unpaid.
    pub fn decision_due(&self, calendar: &WorkCalendar) -> Option<OffsetDateTime> {
        Some(calendar.decision_due(instant(self.paid_at.as_deref()?)?))
    }

    /// Waiting for a decision past its due time at `now`.
    pub fn overdue(&self, calendar: &WorkCalendar, now: OffsetDateTime) -> bool {
        self.status == StayStatus::Paid && self.decision_due(calendar).is_some_and(|due| due < now)
    }

    /// Whether it was decided by its due time; `None` while undecided, or unpaid.
    pub fn decided_in_time(&self, calendar: &WorkCalendar) -> Option<bool> {
        let decided = instant(self.decided_at.as_deref()?)?;
        Some(decided <= self.decision_due(calendar)?)
    }

    /// Whether its fee may be paid now; `not_payable` when paid, cancelled or decided.
    pub fn payable(&self) -> Result<(), Code> {
        (self.status == StayStatus::AwaitingPayment && self.payment == PaymentStatus::Unpaid)
            .then_some(())
            .ok_or(Code::NotPayable)
    }

    fn decided(&self, status: StayStatus, by: &Actor, now: &str) -> Result<Stay, Code> {
        if self.status != StayStatus::Paid {
            return Err(Code::RegistrationNotAwaitingDecision);
        }
        let mut next = self.moved_to(status, now);
        next.decided_at = Some(now.to_owned());
        next.decided_by = Some(by.id());
        Ok(next)
    }

    /// Confirmed by `by` with a new `registration_number`: "registration valid".
    pub fn confirm(
        &self,
        registration_number: String,
        by: &Actor,
        now: &str,
    ) -> Result<Stay, Code> {
        let mut next = self.decided(StayStatus::Valid, by, now)?;
        next.registration_number = Some(registration_number);
        Ok(next)
    }

    /// Refused by `by` for `reason`; the fee goes back.
    pub fn refuse(&self, reason: String, by: &Actor, now: &str) -> Result<Stay, Code> {
        let mut next = self.decided(StayStatus::Refused, by, now)?;
        next.payment = PaymentStatus::RefundDue;
        next.refusal_reason = Some(reason);
        Ok(next)
    }

    /// Cancelled by its host before a decision; a paid fee goes back.
    pub fn cancel(&self, now: &str) -> Result<Stay, Code> {
        if !self.status.cancellable() {
            return Err(Code::RegistrationNotCancellable);
        }
        let mut next = self.moved_to(StayStatus::Cancelled, now);
        if next.payment == PaymentStatus::Paid {
            next.payment = PaymentStatus::RefundDue;
        }
        Ok(next)
    }

    /// Expired, when it is valid and its last day is before `today`; `None` otherwise.
    pub fn expire(&self, today: Date, now: &str) -> Option<Stay> {
        (self.status == StayStatus::Valid && self.stay_to < today)
            .then(|| self.moved_to(StayStatus::Expired, now))
    }

    /// Whether the system confirms it without an operator (see [`super::confirms_itself`]).
    pub fn confirms_itself(&self, policy: &StayPolicy, today: Date) -> bool {
        super::confirms_itself(
            policy,
            &self.flags,
            self.stay_to,
            self.guest.document_expires,
            today,
        )
    }

    /// Whether `other`, another registration of the same passport, holds it on one of
    /// these days, at any address (at the same one it would be a second fee for the same
    /// stay).
    pub fn is_overlapped_by(&self, other: &Stay) -> bool {
        other.number != self.number
            && other.status.holds_the_passport()
            && super::overlaps(
                (self.stay_from, self.stay_to),
                (other.stay_from, other.stay_to),
            )
    }
}

/// What a change did, as the audit trail names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Submitted,
    Paid,
    /// Paid after a cancellation: the fee goes back.
    PaymentAfterCancel,
    Confirmed,
    Refused,
    Cancelled,
    Expired,
}

impl Action {
    /// The name the audit trail records.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Submitted => "submitted",
            Action::Paid => "paid",
            Action::PaymentAfterCancel => "payment_after_cancel",
            Action::Confirmed => "confirmed",
            Action::Refused => "refused",
            Action::Cancelled => "cancelled",
            Action::Expired => "expired",
        }
    }
}

/// One change of a registration, for its audit entry: who did what from which status,
/// and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub actor: Actor,
    pub action: Action,
    /// The status before; `None` for a submission.
    pub previous: Option<StayStatus>,
    pub reason: Option<String>,
}

impl Change {
    /// `actor` submitted a registration.
    pub fn submitted(actor: Actor) -> Self {
        Change {
            actor,
            action: Action::Submitted,
            previous: None,
            reason: None,
        }
    }

    /// `actor` did `action` to `before`.
    pub fn of(before: &Stay, actor: Actor, action: Action) -> Self {
        Change {
            actor,
            action,
            previous: Some(before.status),
            reason: None,
        }
    }

    /// The same change, for `reason`.
    pub fn because(self, reason: String) -> Self {
        Change {
            reason: Some(reason),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::super::fee;
    use super::super::samples::{TODAY, stay};
    use super::*;

    const NOW: &str = "2026-11-23T10:00:00Z";

    fn operator() -> Actor {
        Actor::Account {
            id: AccountId::new(),
            role: "registration_operator".into(),
        }
    }

    fn paid() -> Stay {
        match stay().pay(&fee(), NOW) {
            Ok(PaymentOutcome::Paid(paid)) => paid,
            other => panic!("{other:?}"),
        }
    }

    fn in_status(status: StayStatus) -> Stay {
        Stay { status, ..paid() }
    }

    #[test]
    fn a_submitted_registration_awaits_its_fee() {
        let stay = stay();
        assert_eq!(stay.version, 1);
        assert_eq!(
            (stay.status, stay.payment),
            (StayStatus::AwaitingPayment, PaymentStatus::Unpaid)
        );
        assert_eq!(stay.fee, Amount::new(10_300, "KGS"));
        assert_eq!(stay.guest_name, "KARIMOV RUSTAM");
        assert_eq!(stay.payable(), Ok(()));
    }

    #[test]
    fn the_fee_paid_makes_it_paid() {
        let paid = paid();
        assert_eq!(
            (paid.status, paid.payment),
            (StayStatus::Paid, PaymentStatus::Paid)
        );
        assert_eq!(paid.paid_at.as_deref(), Some(NOW));
        assert_eq!((paid.version, paid.updated_at.as_str()), (2, NOW));
        assert_eq!(paid.payable(), Err(Code::NotPayable));
    }

    #[test]
    fn a_payment_recorded_before_changes_nothing() {
        assert_eq!(paid().pay(&fee(), NOW), Ok(PaymentOutcome::AlreadyRecorded));
    }

    #[test]
    fn a_payment_after_cancellation_is_due_for_refund() {
        let cancelled = stay().cancel(NOW).unwrap();
        let Ok(PaymentOutcome::RefundDue(next)) = cancelled.pay(&fee(), NOW) else {
            panic!("a refund is due");
        };
        assert_eq!(
            (next.status, next.payment),
            (StayStatus::Cancelled, PaymentStatus::RefundDue)
        );
        assert_eq!(next.paid_at.as_deref(), Some(NOW));
        assert_eq!(next.version, cancelled.version + 1);
    }

    #[test]
    fn a_wrong_amount_or_currency_is_refused() {
        assert_eq!(
            stay().pay(&Amount::new(100, "KGS"), NOW),
            Err(Code::PaymentMismatch)
        );
        assert_eq!(
            stay().pay(&Amount::new(10_300, "USD"), NOW),
            Err(Code::PaymentMismatch)
        );
    }

    #[test]
    fn confirming_gives_the_registration_number_and_makes_it_valid() {
        let by = operator();
        let valid = paid().confirm("59930207077341".into(), &by, NOW).unwrap();
        assert_eq!(valid.status, StayStatus::Valid);
        assert_eq!(valid.registration_number.as_deref(), Some("59930207077341"));
        assert_eq!(valid.decided_at.as_deref(), Some(NOW));
        assert_eq!(valid.decided_by, Some(by.id()));
        let by_system = paid().confirm("1".into(), &Actor::System, NOW).unwrap();
        assert_eq!(by_system.decided_by.as_deref(), Some("system"));
    }

    #[test]
    fn refusing_gives_the_reason_and_the_fee_goes_back() {
        let refused = paid().refuse("Duplicate".into(), &operator(), NOW).unwrap();
        assert_eq!(
            (refused.status, refused.payment),
            (StayStatus::Refused, PaymentStatus::RefundDue)
        );
        assert_eq!(refused.refusal_reason.as_deref(), Some("Duplicate"));
        assert_eq!(refused.registration_number, None);
    }

    #[test]
    fn only_a_paid_registration_awaits_a_decision() {
        for status in [
            StayStatus::AwaitingPayment,
            StayStatus::Valid,
            StayStatus::Refused,
            StayStatus::Cancelled,
            StayStatus::Expired,
        ] {
            let stay = in_status(status);
            assert_eq!(
                stay.confirm("1".into(), &operator(), NOW),
                Err(Code::RegistrationNotAwaitingDecision)
            );
            assert_eq!(
                stay.refuse("No".into(), &operator(), NOW),
                Err(Code::RegistrationNotAwaitingDecision)
            );
        }
    }

    #[test]
    fn cancelling_before_payment_leaves_nothing_to_refund() {
        let cancelled = stay().cancel(NOW).unwrap();
        assert_eq!(
            (cancelled.status, cancelled.payment),
            (StayStatus::Cancelled, PaymentStatus::Unpaid)
        );
    }

    #[test]
    fn cancelling_a_paid_registration_marks_the_fee_for_refund() {
        let cancelled = paid().cancel(NOW).unwrap();
        assert_eq!(
            (cancelled.status, cancelled.payment),
            (StayStatus::Cancelled, PaymentStatus::RefundDue)
        );
    }

    #[test]
    fn a_decided_cancelled_or_expired_registration_is_not_cancellable() {
        for status in [
            StayStatus::Valid,
            StayStatus::Refused,
            StayStatus::Cancelled,
            StayStatus::Expired,
        ] {
            assert_eq!(
                in_status(status).cancel(NOW),
                Err(Code::RegistrationNotCancellable)
            );
        }
    }

    #[test]
    fn a_valid_registration_expires_after_its_last_day() {
        let valid = paid().confirm("1".into(), &Actor::System, NOW).unwrap();
        let last_day = valid.stay_to;
        assert_eq!(valid.expire(last_day, NOW), None);
        let expired = valid
            .expire(last_day + time::Duration::days(1), NOW)
            .unwrap();
        assert_eq!(expired.status, StayStatus::Expired);
        assert_eq!(expired.version, valid.version + 1);
        assert_eq!(paid().expire(date!(2030 - 01 - 01), NOW), None);
    }

    #[test]
    fn another_registration_of_the_passport_on_the_same_days_overlaps() {
        let mine = paid();
        let mut other = stay();
        other.number = "1111111111".into();
        assert!(mine.is_overlapped_by(&other));
        assert!(!mine.is_overlapped_by(&mine));
        let cancelled = other.cancel(NOW).unwrap();
        assert!(!mine.is_overlapped_by(&cancelled));
        other.stay_from = mine.stay_to + time::Duration::days(1);
        other.stay_to = other.stay_from + time::Duration::days(10);
        assert!(!mine.is_overlapped_by(&other));
    }

    #[test]
    fn an_unflagged_paid_registration_confirms_itself_under_the_policy() {
        let on = StayPolicy {
            auto_confirm: true,
            ..StayPolicy::default()
        };
        assert!(paid().confirms_itself(&on, TODAY));
        assert!(!paid().confirms_itself(&StayPolicy::default(), TODAY));
    }

    #[test]
    fn a_change_says_who_did_what_from_which_status() {
        let change = Change::of(&paid(), Actor::System, Action::Refused).because("No".into());
        assert_eq!(change.previous, Some(StayStatus::Paid));
        assert_eq!(change.reason.as_deref(), Some("No"));
        assert_eq!(change.action.as_str(), "refused");
        assert_eq!(Change::submitted(Actor::System).previous, None);
    }
}
