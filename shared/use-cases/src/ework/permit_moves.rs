//! The decisions on what is granted for a period — a work permit, a Digital Nomad
//! status — and the employer's extension request: the grant (a permit's taking a place
//! of its allocation, or exhausting the application when none is left), the extension
//! granted or refused, and the revocation.

use domain::account::AccountId;
use domain::clock::{now_rfc3339, today_in_bishkek};
use domain::ework::{Action, Actor, Application, Change, Grant, MessageBody, PlaceRef};
use domain::ports::documents::DocumentStore;
use domain::ports::ework::{ApplicationStore, MessageStore};
use domain::ports::{Contacts, Notifier};
use domain::{Code, StoreError, Taken};
use time::Date;

use super::{ApplicationError, ApplicationLifecycle, RETRIES, message, status_message};

/// What a labour operator decides on a work permit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PermitDecision {
    /// Granted for these dates; it takes a place of its allocation.
    Grant(Grant),
    /// The extension asked for, to this day or (with `None`) to the day asked.
    Extend(Option<Date>),
    /// The extension refused, for this reason.
    RefuseExtension(String),
    /// The permit revoked, for this reason.
    Revoke(String),
}

impl<A, M, D, C, N> ApplicationLifecycle<A, M, D, C, N>
where
    A: ApplicationStore,
    M: MessageStore,
    D: DocumentStore,
    C: Contacts,
    N: Notifier,
{
    /// A labour operator's decision on work permit `number`.
    pub async fn decide_permit(
        &self,
        number: &str,
        actor: &Actor,
        decision: PermitDecision,
    ) -> Result<Application, ApplicationError> {
        if let PermitDecision::Grant(grant) = decision {
            return self.grant(number, actor, grant).await;
        }
        for _ in 0..RETRIES {
            let before = self.load(number).await?;
            let now = now_rfc3339();
            let name = before.applicant_name.clone();
            let (next, action, note) = match &decision {
                PermitDecision::Grant(_) => unreachable!("granted above"),
                PermitDecision::Extend(until) => {
                    (before.extend(*until, actor, &now), Action::Extended, None)
                }
                PermitDecision::RefuseExtension(reason) => (
                    before.refuse_extension(reason.clone(), actor, &now),
                    Action::ExtensionRefused,
                    Some(reason.clone()),
                ),
                PermitDecision::Revoke(reason) => (
                    before.revoke(reason.clone(), actor, &now),
                    Action::Revoked,
                    Some(reason.clone()),
                ),
            };
            let next = next.map_err(ApplicationError::Refused)?;
            let change = Change::of(&before, actor.clone(), action, note.clone());
            let written = match &decision {
                PermitDecision::Revoke(_) => self.moved(&next, &change, note).await?,
                PermitDecision::Extend(_) => {
                    let valid_until = next.granted().map_or(today_in_bishkek(), |g| g.valid_until);
                    let body = MessageBody::PermitExtended { name, valid_until };
                    self.recorded(&next, &change, &message(&next, &change, body), None)
                        .await?
                }
                _ => {
                    let reason = note.unwrap_or_default();
                    let body = MessageBody::ExtensionRefused { name, reason };
                    self.recorded(&next, &change, &message(&next, &change, body), None)
                        .await?
                }
            };
            if written {
                return Ok(next);
            }
        }
        Err(ApplicationError::Refused(match decision {
            PermitDecision::Revoke(_) => Code::NotRevocable,
            _ => Code::ExtensionNotRequested,
        }))
    }

    /// `owner` asks to extend their valid permit `number` to `until`.
    pub async fn ask_extension(
        &self,
        number: &str,
        owner: &Actor,
        owner_id: &AccountId,
        until: Date,
    ) -> Result<Application, ApplicationError> {
        for _ in 0..RETRIES {
            let before = self.owned(number, owner_id).await?;
            let next = before
                .ask_extension(until, today_in_bishkek(), &now_rfc3339())
                .map_err(ApplicationError::Refused)?;
            let change = Change::of(&before, owner.clone(), Action::ExtensionRequested, None);
            if self.moved(&next, &change, None).await? {
                return Ok(next);
            }
        }
        Err(ApplicationError::Refused(Code::PermitNotExtendable))
    }

    /// A work permit (or status) granted for `grant`'s dates; a permit takes one place
    /// of its allocation in the same write. When the allocation has no place left (or
    /// is no longer usable), the application is exhausted instead, and the answer is
    /// `allocation_exhausted`.
    async fn grant(
        &self,
        number: &str,
        actor: &Actor,
        grant: Grant,
    ) -> Result<Application, ApplicationError> {
        for _ in 0..RETRIES {
            let before = self.load(number).await?;
            let now = now_rfc3339();
            let next = before
                .grant(grant.clone(), actor, &now)
                .map_err(ApplicationError::Refused)?;
            let change = Change::of(&before, actor.clone(), Action::Confirmed, None);
            // A status (Digital Nomad) takes no quota place.
            let Some(place) = before.place().cloned() else {
                if self.moved(&next, &change, None).await? {
                    return Ok(next);
                }
                continue;
            };
            let allocated = self.allocated(&place).await?;
            let message = status_message(&next, &change, None);
            match self
                .applications
                .record_grant(&next, &change, &message, &place, allocated)
                .await
            {
                Ok(()) => {
                    let id = format!("app-status:{}:{}", next.number, next.version);
                    self.tell(&next, &id, Some(next.status)).await?;
                    return Ok(next);
                }
                Err(StoreError::Conflict) => continue,
                Err(StoreError::Taken(Taken::QuotaPlace)) => {
                    let exhausted = before
                        .exhaust(actor, &now)
                        .map_err(ApplicationError::Refused)?;
                    let change = Change::of(&before, actor.clone(), Action::Exhausted, None);
                    if self.moved(&exhausted, &change, None).await? {
                        return Err(ApplicationError::Refused(Code::AllocationExhausted));
                    }
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(ApplicationError::Refused(
            Code::ApplicationNotAwaitingDecision,
        ))
    }

    /// The places given in `place`'s row, while its allocation is usable; none after.
    async fn allocated(&self, place: &PlaceRef) -> Result<u32, ApplicationError> {
        let quota = self.applications.application(&place.quota).await?;
        Ok(quota
            .filter(Application::allocation_usable)
            .and_then(|q| match q.outcome {
                Some(domain::ework::Outcome::Confirmed(allocation)) => {
                    allocation.rows.get(place.row).map(|r| r.allocated)
                }
                _ => None,
            })
            .unwrap_or(0))
    }
}
