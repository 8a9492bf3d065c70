//! The append-only audit trail of registrations and e-work applications in DynamoDB:
//! one entry per change, keyed by the registration or application and the time, written
//! in the same transaction as the change.

use domain::ework::{self, Application};
use domain::stay::{Actor, Change, Stay, StayStatus};
use serde::{Deserialize, Serialize};

/// One entry of the audit trail: who did what to which registration, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// `stay#<number>` or `app#<number>`.
    pub subject: String,
    /// RFC 3339 and a random suffix: entries sort by time and never collide.
    pub at: String,
    pub actor: String,
    pub actor_role: String,
    /// `submitted`, `paid`, `payment_after_cancel`, `confirmed`, `refused`, `cancelled`
    /// or `expired`.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_status: Option<String>,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl AuditEntry {
    /// The audit trail of registration `number` is under its key in the stays table,
    /// `stay#<number>`.
    pub fn subject(number: &str) -> String {
        format!("stay#{number}")
    }

    /// The entry of `actor`'s `action` that left `stay` as it is, from `previous`.
    pub fn new(
        stay: &Stay,
        previous: Option<StayStatus>,
        actor: &Actor,
        action: &str,
        reason: Option<String>,
    ) -> Self {
        AuditEntry {
            subject: AuditEntry::subject(&stay.number),
            at: format!(
                "{}#{}",
                stay.updated_at,
                &domain::secrets::random_token()[..8]
            ),
            actor: actor.id(),
            actor_role: actor.role(),
            action: action.to_owned(),
            previous_status: previous.map(|p| p.as_str().to_owned()),
            status: stay.status.as_str().to_owned(),
            reason,
        }
    }

    /// The entry of `change`, which left `stay` as it is.
    pub fn of(stay: &Stay, change: &Change) -> Self {
        AuditEntry::new(
            stay,
            change.previous,
            &change.actor,
            change.action.as_str(),
            change.reason.clone(),
        )
    }

    /// The entry of `change`, which left the e-work `application` as it is; under the
    /// application's key, `app#<number>`.
    pub fn of_application(application: &Application, change: &ework::Change) -> Self {
        AuditEntry {
            subject: format!("app#{}", application.number),
            at: format!(
                "{}#{}",
                application.updated_at,
                &domain::secrets::random_token()[..8]
            ),
            actor: change.actor.id(),
            actor_role: change.actor.role(),
            action: change.action.as_str().to_owned(),
            previous_status: change.previous.map(|p| p.as_str().to_owned()),
            status: application.status.as_str().to_owned(),
            reason: change.reason.clone(),
        }
    }
}
