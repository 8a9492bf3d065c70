//! The state fee of a confirmed application: once the protocol extract appears, the
//! employer pays it within the window (90 days, the seed's note) quoting the
//! application's number; the allocation can be used for work permits only once it is
//! paid, and lapses when the window passes unpaid. The amount is policy, not in the
//! seeds: a placeholder per allocated quota, set in configuration.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Application, Status};
use crate::error::Code;
use crate::payment::Amount;

/// The fee rules configuration sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeePolicy {
    /// The fee per allocated quota (`EWORK_QUOTA_FEE_MINOR`, tyiyn; placeholder
    /// 1,000.00 KGS).
    pub per_quota: Amount,
    /// Days to pay after the confirmation (`EWORK_FEE_WINDOW_DAYS`, 90).
    pub window_days: u32,
}

impl Default for FeePolicy {
    fn default() -> Self {
        FeePolicy {
            per_quota: Amount::new(100_000, crate::stay::CURRENCY),
            window_days: 90,
        }
    }
}

/// Where a fee stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeeStatus {
    /// To be paid by `due_by`.
    Due,
    Paid,
    /// Not paid in time: the allocation lapsed.
    Lapsed,
    /// Paid after it lapsed or after the application was annulled: the money goes back.
    RefundDue,
}

/// The fee of one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StateFee {
    #[schema(value_type = Object)]
    pub amount: Amount,
    /// The last day to pay (Bishkek).
    pub due_by: Date,
    pub status: FeeStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_at: Option<String>,
}

impl StateFee {
    /// The fee of `allocated` quotas confirmed on `today` under `policy`; `None` when
    /// nothing was allocated.
    pub fn due(policy: &FeePolicy, allocated: u32, today: Date) -> Option<StateFee> {
        (allocated > 0).then(|| StateFee {
            amount: Amount::new(
                policy.per_quota.amount_minor * u64::from(allocated),
                policy.per_quota.currency.clone(),
            ),
            due_by: today.saturating_add(time::Duration::days(i64::from(policy.window_days))),
            status: FeeStatus::Due,
            paid_at: None,
        })
    }
}

/// What a payment does to an application.
#[derive(Debug, Clone, PartialEq)]
pub enum FeeOutcome {
    /// Recorded before: nothing changes.
    AlreadyRecorded,
    /// Paid in time: the allocation can be used.
    Paid(Application),
    /// Paid after it lapsed or was annulled: the money goes back.
    RefundDue(Application),
}

impl Application {
    /// Whether its fee may be paid now; `not_payable` otherwise.
    pub fn fee_payable(&self) -> Result<&StateFee, Code> {
        self.fee
            .as_ref()
            .filter(|f| f.status == FeeStatus::Due && self.status == Status::Confirmed)
            .ok_or(Code::NotPayable)
    }

    /// The fee of `amount` came at `now`. Idempotent; another amount is refused with
    /// `payment_mismatch`.
    pub fn pay_fee(&self, amount: &Amount, now: &str) -> Result<FeeOutcome, Code> {
        let Some(fee) = &self.fee else {
            return Err(Code::NotPayable);
        };
        if amount != &fee.amount {
            return Err(Code::PaymentMismatch);
        }
        if fee.paid_at.is_some() {
            return Ok(FeeOutcome::AlreadyRecorded);
        }
        let in_time = fee.status == FeeStatus::Due && self.status == Status::Confirmed;
        let late = matches!(fee.status, FeeStatus::Due | FeeStatus::Lapsed);
        if !late {
            return Ok(FeeOutcome::AlreadyRecorded);
        }
        let mut next = self.moved_to(self.status, now);
        let paid = next.fee.as_mut().expect("a fee");
        paid.paid_at = Some(now.to_owned());
        if in_time {
            paid.status = FeeStatus::Paid;
            Ok(FeeOutcome::Paid(next))
        } else {
            paid.status = FeeStatus::RefundDue;
            Ok(FeeOutcome::RefundDue(next))
        }
    }

    /// The allocation lapses: confirmed, its fee still due and its last day before
    /// `today`. `None` otherwise.
    pub fn lapse(&self, today: Date, now: &str) -> Option<Application> {
        let fee = self.fee.as_ref()?;
        let lapses =
            self.status == Status::Confirmed && fee.status == FeeStatus::Due && fee.due_by < today;
        lapses.then(|| {
            let mut next = self.moved_to(self.status, now);
            next.fee.as_mut().expect("a fee").status = FeeStatus::Lapsed;
            next
        })
    }

    /// Whether its allocation can be used for work permits: confirmed and paid.
    pub fn allocation_usable(&self) -> bool {
        self.status == Status::Confirmed
            && self
                .fee
                .as_ref()
                .is_some_and(|f| f.status == FeeStatus::Paid)
    }
}
