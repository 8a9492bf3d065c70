//! Who made a change to a registration or an application: an account, or the system.

use crate::account::AccountId;

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The host, an operator or an admin.
    Account { id: AccountId, role: String },
    /// The system itself: payments, the automatic confirmation, expiry.
    System,
}

impl Actor {
    /// The account id, or `system`.
    pub fn id(&self) -> String {
        match self {
            Actor::Account { id, .. } => id.to_string(),
            Actor::System => "system".to_owned(),
        }
    }

    /// The account's role, or `system`.
    pub fn role(&self) -> String {
        match self {
            Actor::Account { role, .. } => role.clone(),
            Actor::System => "system".to_owned(),
        }
    }
}
