//! A work permit's own moves after submission: granted (taking a place of its
//! allocation), exhausted when none was left, its validity extended at the employer's
//! request, and revoked.
//!
//! Choices where the seeds are silent: an extension is asked while the permit is valid,
//! for a new last day after the current one, within a year of it and within the
//! passport; the permit stays valid while the operator decides; the operator may grant
//! a shorter extension than asked, never a longer one. Revocation ends the permit at
//! once for a reason the employer reads; the place it took stays taken.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use super::{Grant, Place, PlaceRef};
use crate::error::Code;
use crate::ework::{Actor, Application, Kind, Outcome, Request, Status};

/// An extension the employer asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Extension {
    /// The new last day asked for.
    #[schema(value_type = String, format = Date)]
    pub until: Date,
    /// RFC 3339, UTC.
    pub asked_at: String,
    /// The operator's reason, when refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
}

/// Whether a granted permit holds on `today`: granted (or being extended) and not past
/// its last day.
pub fn holds(application: &Application, today: Date) -> bool {
    matches!(
        application.status,
        Status::Confirmed | Status::ExtensionRequested
    ) && application
        .granted()
        .is_some_and(|g| g.valid_from <= today && today <= g.valid_until)
}

impl Application {
    /// A work permit granted by `by` for `grant`'s dates.
    pub fn grant(&self, grant: Grant, by: &Actor, now: &str) -> Result<Application, Code> {
        self.awaiting_decision()?;
        if self.kind() == Kind::Quota {
            return Err(Code::DecisionNotForKind);
        }
        let mut next = self.moved_to(Status::Confirmed, now);
        next.outcome = Some(Outcome::Granted(grant));
        next.decided_by = Some(by.id());
        Ok(next)
    }

    /// A work permit that could not be granted: every place of its allocation was
    /// taken first.
    pub fn exhaust(&self, by: &Actor, now: &str) -> Result<Application, Code> {
        self.awaiting_decision()?;
        let mut next = self.moved_to(Status::Exhausted, now);
        next.decided_by = Some(by.id());
        Ok(next)
    }

    /// The allocation place a work permit takes.
    pub fn place(&self) -> Option<&PlaceRef> {
        match &self.request {
            Request::Permit(permit) => Some(&permit.place),
            Request::Quota(_) | Request::Nomad(_) | Request::Entrepreneur(_) => None,
        }
    }

    /// The rows of a usable quota allocation as places, each with what is free once
    /// `taken(place)` are taken; none unless confirmed and paid.
    pub fn places(&self, taken: impl Fn(&PlaceRef) -> u32) -> Vec<Place> {
        let Some(Outcome::Confirmed(allocation)) = &self.outcome else {
            return Vec::new();
        };
        if !self.allocation_usable() {
            return Vec::new();
        }
        allocation
            .rows
            .iter()
            .enumerate()
            .map(|(row, allocated)| {
                let place = PlaceRef {
                    quota: self.number.clone(),
                    row,
                };
                Place {
                    free: allocated.allocated.saturating_sub(taken(&place)),
                    place,
                    country: allocated.country.clone(),
                    position: allocated.position.clone(),
                }
            })
            .collect()
    }

    /// The granted permit's dates, once confirmed.
    pub fn granted(&self) -> Option<&Grant> {
        match &self.outcome {
            Some(Outcome::Granted(grant)) => Some(grant),
            _ => None,
        }
    }

    /// The passport's last day, for a work permit.
    fn passport_until(&self) -> Option<Date> {
        match &self.request {
            Request::Permit(permit) => Some(permit.holder.document_valid_until),
            Request::Nomad(nomad) => Some(nomad.identity.document_expires),
            Request::Entrepreneur(e) => Some(e.holder.document_valid_until),
            Request::Quota(_) => None,
        }
    }

    /// The employer asks on `today` to extend its valid permit to `until`.
    pub fn ask_extension(&self, until: Date, today: Date, now: &str) -> Result<Application, Code> {
        let granted = self
            .granted()
            .filter(|_| self.status == Status::Confirmed && holds(self, today))
            .ok_or(Code::PermitNotExtendable)?;
        let longest = (granted.valid_until + Duration::days(365))
            .min(self.passport_until().unwrap_or(granted.valid_until));
        if until <= granted.valid_until || until > longest {
            return Err(Code::InvalidExtension);
        }
        let mut next = self.moved_to(Status::ExtensionRequested, now);
        next.extension = Some(Extension {
            until,
            asked_at: now.to_owned(),
            refusal: None,
        });
        Ok(next)
    }

    /// The operator `by` extends the permit to `until` (by default the day asked),
    /// never past the day asked nor before the current last day.
    pub fn extend(&self, until: Option<Date>, by: &Actor, now: &str) -> Result<Application, Code> {
        let (Status::ExtensionRequested, Some(asked), Some(granted)) =
            (self.status, self.extension.as_ref(), self.granted())
        else {
            return Err(Code::ExtensionNotRequested);
        };
        let until = until.unwrap_or(asked.until);
        if until <= granted.valid_until || until > asked.until {
            return Err(Code::InvalidExtension);
        }
        let mut next = self.moved_to(Status::Confirmed, now);
        next.outcome = Some(Outcome::Granted(Grant {
            valid_from: granted.valid_from,
            valid_until: until,
        }));
        next.decided_by = Some(by.id());
        Ok(next)
    }

    /// The operator `by` refuses the extension for `reason`; the permit keeps its dates.
    pub fn refuse_extension(
        &self,
        reason: String,
        by: &Actor,
        now: &str,
    ) -> Result<Application, Code> {
        if self.status != Status::ExtensionRequested {
            return Err(Code::ExtensionNotRequested);
        }
        let mut next = self.moved_to(Status::Confirmed, now);
        if let Some(extension) = next.extension.as_mut() {
            extension.refusal = Some(reason);
        }
        next.decided_by = Some(by.id());
        Ok(next)
    }

    /// The operator `by` revokes a granted permit for `reason`.
    pub fn revoke(&self, reason: String, by: &Actor, now: &str) -> Result<Application, Code> {
        let revocable = self.kind() != Kind::Quota
            && matches!(self.status, Status::Confirmed | Status::ExtensionRequested);
        if !revocable {
            return Err(Code::NotRevocable);
        }
        let mut next = self.moved_to(Status::Revoked, now);
        next.revocation_reason = Some(reason);
        next.decided_by = Some(by.id());
        Ok(next)
    }
}
