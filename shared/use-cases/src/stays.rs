//! The life of a registration after it is submitted, shared by whoever moves it: the
//! payment that makes it paid (and, under the automatic-confirmation policy, valid), the
//! operator's decision, the host's cancellation and the expiry of its last day. Each
//! move reads the registration, asks the domain whether the move is allowed, and writes
//! the next version with its audit entry on the condition that nobody wrote first;
//! when somebody did, it reads again. The host hears of every decision by email and SMS
//! in their language.

use domain::Code;
use domain::clock::{now_rfc3339, today_in_bishkek};
use domain::notification::{Recipient, Template};
use domain::payment::Amount;
use domain::ports::stays::StayStore;
use domain::ports::{Contacts, Notifier};
use domain::stay::{Action, Actor, Change, PaymentOutcome, Stay, StayPolicy, StayStatus};
use domain::{PortFailure, StoreError};
use time::Date;

/// What an operator (or the system) decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Confirm,
    Refuse { reason: String },
}

/// Why a registration or its payment did not move; a refusal's code says it to the
/// caller.
#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    #[error("refused: {0}")]
    Refused(Code),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("notifying the host: {0}")]
    Notify(#[source] PortFailure),
    #[error("the payment processor: {0}")]
    Processor(#[source] PortFailure),
}

/// How often a move is tried again when another writer got in first.
const RETRIES: usize = 5;

/// Moves registrations through their statuses.
#[derive(Debug, Clone)]
pub struct StayLifecycle<S, C, N> {
    stays: S,
    contacts: C,
    notifier: N,
    policy: StayPolicy,
}

impl<S: StayStore, C: Contacts, N: Notifier> StayLifecycle<S, C, N> {
    /// Moves registrations in `stays` under `policy`, telling hosts (found in
    /// `contacts`) through `notifier`.
    pub fn new(stays: S, contacts: C, notifier: N, policy: StayPolicy) -> Self {
        Self {
            stays,
            contacts,
            notifier,
            policy,
        }
    }

    /// The registration `number`, as stored.
    pub async fn stay(&self, number: &str) -> Result<Option<Stay>, StoreError> {
        self.stays.stay(number).await
    }

    async fn load(&self, number: &str) -> Result<Stay, MoveError> {
        self.stays
            .stay(number)
            .await?
            .ok_or(MoveError::Refused(Code::RegistrationNotFound))
    }

    /// Records the fee paid. Idempotent: a registration already paid (or further on)
    /// stays as it is. Paid after a cancellation, the fee is marked for refund. A wrong
    /// amount or currency settles nothing. With the automatic confirmation on, a paid
    /// registration with nothing flagged is confirmed at once.
    pub async fn record_payment(&self, number: &str, amount: &Amount) -> Result<Stay, MoveError> {
        for _ in 0..RETRIES {
            let stay = self.load(number).await?;
            let (next, action) = match stay.pay(amount, &now_rfc3339()) {
                Err(code) => return Err(MoveError::Refused(code)),
                Ok(PaymentOutcome::AlreadyRecorded) => return Ok(stay),
                Ok(PaymentOutcome::Paid(next)) => (next, Action::Paid),
                Ok(PaymentOutcome::RefundDue(next)) => (next, Action::PaymentAfterCancel),
            };
            let change = Change::of(&stay, Actor::System, action);
            match self.stays.record_move(&next, &change).await {
                Err(StoreError::Conflict) => continue,
                Err(other) => return Err(other.into()),
                Ok(()) => {}
            }
            if next.status == StayStatus::Paid
                && next.confirms_itself(&self.policy, today_in_bishkek())
            {
                return match self.decide(number, &Actor::System, Decision::Confirm).await {
                    // An operator may have been quicker; either way it is decided.
                    Ok(decided) => Ok(decided),
                    Err(MoveError::Refused(_)) => self.load(number).await,
                    Err(other) => Err(other),
                };
            }
            return Ok(next);
        }
        Err(MoveError::Refused(Code::AlreadyDecided))
    }

    /// Confirms or refuses a paid registration. Confirming gives it a new 14-digit
    /// registration number and fails with `stay_overlaps` when another registration
    /// holds the passport for these dates meanwhile. Decided by someone else first:
    /// `registration_not_awaiting_decision`.
    pub async fn decide(
        &self,
        number: &str,
        actor: &Actor,
        decision: Decision,
    ) -> Result<Stay, MoveError> {
        for _ in 0..RETRIES {
            let stay = self.load(number).await?;
            let now = now_rfc3339();
            let written = match &decision {
                Decision::Confirm => {
                    let registration_number = domain::stay::registration_number();
                    let next = stay
                        .confirm(registration_number, actor, &now)
                        .map_err(MoveError::Refused)?;
                    if self.overlapping(&stay).await? {
                        return Err(MoveError::Refused(Code::StayOverlaps));
                    }
                    let change = Change::of(&stay, actor.clone(), Action::Confirmed);
                    self.stays
                        .record_confirmation(&next, &change)
                        .await
                        .map(|()| next)
                }
                Decision::Refuse { reason } => {
                    let next = stay
                        .refuse(reason.clone(), actor, &now)
                        .map_err(MoveError::Refused)?;
                    let change =
                        Change::of(&stay, actor.clone(), Action::Refused).because(reason.clone());
                    self.stays.record_move(&next, &change).await.map(|()| next)
                }
            };
            match written {
                // Someone else moved it first (or, rarely, the registration number was
                // taken): read it again.
                Err(StoreError::Conflict) => continue,
                Err(other) => return Err(other.into()),
                Ok(next) => {
                    self.notify_decision(&next).await?;
                    return Ok(next);
                }
            }
        }
        Err(MoveError::Refused(Code::RegistrationNotAwaitingDecision))
    }

    /// Another registration of the same passport that holds it on one of these days.
    async fn overlapping(&self, stay: &Stay) -> Result<bool, StoreError> {
        let others = self
            .stays
            .of_passport(stay.guest.document_number.as_ref())
            .await?;
        Ok(others.iter().any(|other| stay.is_overlapped_by(other)))
    }

    async fn notify_decision(&self, stay: &Stay) -> Result<(), MoveError> {
        let Some(host) = self.contacts.contact(&stay.owner).await? else {
            return Ok(());
        };
        let template = Template::RegistrationDecided {
            application: stay.number.clone(),
            guest: stay.guest_name.clone(),
            confirmed: stay.status == StayStatus::Valid,
            registration_number: stay.registration_number.clone().unwrap_or_default(),
            valid_from: stay.stay_from.to_string(),
            valid_to: stay.stay_to.to_string(),
            reason: stay.refusal_reason.clone().unwrap_or_default(),
        };
        let to = Recipient {
            email: Some(host.email),
            phone: Some(host.phone),
        };
        // One notification per decision, however often the caller retries.
        let id = format!("stay-decided:{}:{}", stay.number, stay.version);
        self.notifier
            .notify(&id, host.lang, to, template)
            .await
            .map_err(MoveError::Notify)
    }

    /// The host cancels before confirmation; a paid fee is marked for refund.
    pub async fn cancel(&self, number: &str, actor: &Actor) -> Result<Stay, MoveError> {
        for _ in 0..RETRIES {
            let stay = self.load(number).await?;
            let next = stay.cancel(&now_rfc3339()).map_err(MoveError::Refused)?;
            let change = Change::of(&stay, actor.clone(), Action::Cancelled);
            match self.stays.record_move(&next, &change).await {
                Err(StoreError::Conflict) => continue,
                Err(other) => return Err(other.into()),
                Ok(()) => return Ok(next),
            }
        }
        Err(MoveError::Refused(Code::RegistrationNotCancellable))
    }

    /// Valid registrations whose last day is before `today` become expired; how many.
    pub async fn expire_due(&self, today: Date) -> Result<usize, StoreError> {
        let mut expired = 0;
        for stay in self.stays.past_their_last_day(today).await? {
            let Some(next) = stay.expire(today, &now_rfc3339()) else {
                continue;
            };
            let change = Change::of(&stay, Actor::System, Action::Expired);
            match self.stays.record_move(&next, &change).await {
                Ok(()) => expired += 1,
                // Changed meanwhile: left for the next run.
                Err(StoreError::Conflict) => {}
                Err(other) => return Err(other),
            }
        }
        Ok(expired)
    }
}

#[cfg(test)]
pub(crate) mod tests;
