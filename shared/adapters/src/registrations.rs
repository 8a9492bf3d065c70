//! The life of a registration after it is submitted, shared by whoever moves it: the
//! payment that makes it paid (and, under the automatic-confirmation policy, valid), the
//! operator's decision, the host's cancellation and the expiry of its last day. Each
//! move is one conditional transaction with its audit entry; the host hears of every
//! decision by email and SMS in their language.

use domain::Code;
use domain::clock::{now_rfc3339, today_in_bishkek};
use domain::notification::{Recipient, Template};
use domain::stay::{PaymentStatus, StayPolicy, StayStatus};
use time::Date;

use crate::accounts::DynamoAccounts;
use crate::queue::SqsNotificationQueue;
use crate::stays::{Actor, AuditEntry, DynamoStays, StayRecord};
use crate::store::StoreError;

/// What an operator (or the system) decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Confirm,
    Refuse { reason: String },
}

/// Why a move was not made; the code says it to the caller.
#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    #[error("refused: {0}")]
    Refused(Code),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("notifying the host: {0:#}")]
    Notify(anyhow::Error),
    #[error("the payment processor: {0}")]
    Processor(String),
}

/// A payment the processor reported for a registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub amount_minor: u64,
    pub currency: String,
}

/// Moves registrations through their statuses.
#[derive(Debug, Clone)]
pub struct Registrations {
    pub stays: DynamoStays,
    accounts: DynamoAccounts,
    notifications: SqsNotificationQueue,
    policy: StayPolicy,
}

/// How often a move is tried again when another writer got in first.
const RETRIES: usize = 5;

impl Registrations {
    pub fn new(
        stays: DynamoStays,
        accounts: DynamoAccounts,
        notifications: SqsNotificationQueue,
        policy: StayPolicy,
    ) -> Self {
        Self {
            stays,
            accounts,
            notifications,
            policy,
        }
    }

    async fn load(&self, number: &str) -> Result<StayRecord, MoveError> {
        self.stays
            .get(number)
            .await?
            .ok_or(MoveError::Refused(Code::RegistrationNotFound))
    }

    /// Records the fee paid. Idempotent: a registration already paid (or further on)
    /// stays as it is. Paid after a cancellation, the fee is marked for refund. A wrong
    /// amount or currency settles nothing. With the automatic confirmation on, a paid
    /// registration with nothing flagged is confirmed at once.
    pub async fn record_payment(
        &self,
        number: &str,
        payment: &Payment,
    ) -> Result<StayRecord, MoveError> {
        for _ in 0..RETRIES {
            let record = self.load(number).await?;
            if payment.amount_minor != record.fee_minor || payment.currency != record.currency {
                return Err(MoveError::Refused(Code::PaymentMismatch));
            }
            if record.payment != PaymentStatus::Unpaid {
                return Ok(record);
            }
            let now = now_rfc3339();
            let (next, action) = if record.status == StayStatus::AwaitingPayment {
                let mut next = record.moved_to(StayStatus::Paid, &now);
                next.payment = PaymentStatus::Paid;
                next.paid_at = Some(now.clone());
                (next, "paid")
            } else {
                // Cancelled (or refused) before the money came: it goes back.
                let mut next = record.moved_to(record.status, &now);
                next.payment = PaymentStatus::RefundDue;
                next.paid_at = Some(now.clone());
                (next, "payment_after_cancel")
            };
            let audit = AuditEntry::new(&next, Some(record.status), &Actor::System, action, None);
            if self.stays.save(&next, &audit, Vec::new()).await? {
                if next.status == StayStatus::Paid && self.confirms_itself(&next) {
                    return match self.decide(number, &Actor::System, Decision::Confirm).await {
                        // An operator may have been quicker; either way it is decided.
                        Ok(decided) => Ok(decided),
                        Err(MoveError::Refused(_)) => Ok(self.load(number).await?),
                        Err(other) => Err(other),
                    };
                }
                return Ok(next);
            }
        }
        Err(MoveError::Refused(Code::AlreadyDecided))
    }

    fn confirms_itself(&self, record: &StayRecord) -> bool {
        domain::stay::confirms_itself(
            &self.policy,
            &record.flags,
            record.stay_to,
            record.guest.document_expires,
            today_in_bishkek(),
        )
    }

    /// Confirms or refuses a paid registration. Confirming gives it a new 14-digit
    /// registration number and fails with `stay_overlaps` when another valid
    /// registration holds the passport for these dates meanwhile.
    pub async fn decide(
        &self,
        number: &str,
        actor: &Actor,
        decision: Decision,
    ) -> Result<StayRecord, MoveError> {
        let record = self.load(number).await?;
        if record.status != StayStatus::Paid {
            return Err(MoveError::Refused(Code::RegistrationNotAwaitingDecision));
        }
        let now = now_rfc3339();
        let (next, extra, action, reason) = match &decision {
            Decision::Confirm => {
                if self.overlapping(&record).await? {
                    return Err(MoveError::Refused(Code::StayOverlaps));
                }
                let mut next = record.moved_to(StayStatus::Valid, &now);
                let registration_number = domain::stay::registration_number();
                next.registration_number = Some(registration_number.clone());
                let guard = self
                    .stays
                    .registration_number_guard(&registration_number, number)?;
                (next, vec![guard], "confirmed", None)
            }
            Decision::Refuse { reason } => {
                let mut next = record.moved_to(StayStatus::Refused, &now);
                next.payment = PaymentStatus::RefundDue;
                next.refusal_reason = Some(reason.clone());
                (next, Vec::new(), "refused", Some(reason.clone()))
            }
        };
        let mut next = next;
        next.decided_at = Some(now);
        next.decided_by = Some(match actor {
            Actor::Account { id, .. } => id.to_string(),
            Actor::System => "system".to_owned(),
        });
        let audit = AuditEntry::new(&next, Some(record.status), actor, action, reason);
        if !self.stays.save(&next, &audit, extra).await? {
            // Someone else decided (or, rarely, the registration number was taken):
            // the caller reads the registration again.
            return Err(MoveError::Refused(Code::RegistrationNotAwaitingDecision));
        }
        self.notify_decision(&next).await?;
        Ok(next)
    }

    /// Another registration of the same passport that holds it on one of these days, at
    /// any address (at the same one it would be a second fee for the same stay).
    pub async fn overlapping(&self, record: &StayRecord) -> Result<bool, StoreError> {
        let others = self.stays.of_passport(&record.passport_key).await?;
        Ok(others.iter().any(|other| {
            other.number != record.number
                && other.status.holds_the_passport()
                && domain::stay::overlaps(
                    (record.stay_from, record.stay_to),
                    (other.stay_from, other.stay_to),
                )
        }))
    }

    async fn notify_decision(&self, record: &StayRecord) -> Result<(), MoveError> {
        let Some(host) = self.accounts.get(&record.owner).await? else {
            return Ok(());
        };
        let template = Template::RegistrationDecided {
            application: record.number.clone(),
            guest: record.guest_name.clone(),
            confirmed: record.status == StayStatus::Valid,
            registration_number: record.registration_number.clone().unwrap_or_default(),
            valid_from: record.stay_from.to_string(),
            valid_to: record.stay_to.to_string(),
            reason: record.refusal_reason.clone().unwrap_or_default(),
        };
        let to = Recipient {
            email: Some(host.email.clone()),
            phone: Some(host.phone.clone()),
        };
        // One notification per decision, however often the caller retries.
        let id = format!("stay-decided:{}:{}", record.number, record.version);
        self.notifications
            .notify(&id, host.lang, to, template)
            .await
            .map_err(MoveError::Notify)
    }

    /// The host cancels before confirmation; a paid fee is marked for refund.
    pub async fn cancel(&self, number: &str, actor: &Actor) -> Result<StayRecord, MoveError> {
        for _ in 0..RETRIES {
            let record = self.load(number).await?;
            if !record.status.cancellable() {
                return Err(MoveError::Refused(Code::RegistrationNotCancellable));
            }
            let mut next = record.moved_to(StayStatus::Cancelled, &now_rfc3339());
            if next.payment == PaymentStatus::Paid {
                next.payment = PaymentStatus::RefundDue;
            }
            let audit = AuditEntry::new(&next, Some(record.status), actor, "cancelled", None);
            if self.stays.save(&next, &audit, Vec::new()).await? {
                return Ok(next);
            }
        }
        Err(MoveError::Refused(Code::RegistrationNotCancellable))
    }

    /// Valid registrations whose last day is before `today` become expired; how many.
    pub async fn expire_due(&self, today: Date) -> Result<usize, StoreError> {
        let mut expired = 0;
        for record in self.stays.past_their_last_day(today).await? {
            let next = record.moved_to(StayStatus::Expired, &now_rfc3339());
            let audit =
                AuditEntry::new(&next, Some(record.status), &Actor::System, "expired", None);
            // A record changed meanwhile is left for the next run.
            if self.stays.save(&next, &audit, Vec::new()).await? {
                expired += 1;
            }
        }
        Ok(expired)
    }
}
