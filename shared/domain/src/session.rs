//! Sessions: who a request acts for, how long a session lasts, and how failed sign-ins
//! slow down whoever makes them.

use serde::{Deserialize, Serialize};

/// The role a principal carries, which its account type gives.
pub use crate::account::Role;
use crate::account::{AccountId, AccountType};

/// A session ends after this long unused.
pub const IDLE_SECS: u64 = 30 * 60;
/// A session ends this long after sign-in, however much it is used.
pub const ABSOLUTE_SECS: u64 = 12 * 3600;
/// The purpose under which session tokens are digested.
pub const PURPOSE_SESSION: &str = "session";
/// The purpose under which password-reset and set-password tokens are digested.
pub const PURPOSE_PASSWORD_RESET: &str = "password-reset";
/// Failed sign-ins allowed before delays start.
pub const FREE_FAILURES: u32 = 5;
/// The first delay after the free failures; each further failure doubles it.
pub const FIRST_DELAY_SECS: u64 = 15;
/// The longest delay between attempts.
pub const MAX_DELAY_SECS: u64 = 15 * 60;
/// Failures are forgotten this long after the last one.
pub const FORGET_FAILURES_SECS: u64 = 24 * 3600;

/// The account a request acts for, as the authorizer resolved it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub account_id: AccountId,
    #[serde(rename = "type")]
    pub kind: AccountType,
    pub role: Role,
}

/// Seconds to wait before the next attempt after `failures` failed ones, the last at
/// `last_at`; `None` when an attempt may be made now. Five are free, then the wait
/// doubles from fifteen seconds up to fifteen minutes.
pub fn wait_before_attempt(failures: u32, last_at: u64, now: u64) -> Option<u64> {
    if failures < FREE_FAILURES {
        return None;
    }
    let exponent = (failures - FREE_FAILURES).min(16);
    let delay = (FIRST_DELAY_SECS << exponent).min(MAX_DELAY_SECS);
    let ready_at = last_at + delay;
    (now < ready_at).then(|| ready_at - now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_are_free_then_the_wait_doubles_up_to_fifteen_minutes() {
        assert_eq!(wait_before_attempt(4, 1000, 1000), None);
        assert_eq!(wait_before_attempt(5, 1000, 1000), Some(15));
        assert_eq!(wait_before_attempt(5, 1000, 1010), Some(5));
        assert_eq!(wait_before_attempt(6, 1000, 1000), Some(30));
        assert_eq!(wait_before_attempt(8, 1000, 1000), Some(120));
        assert_eq!(wait_before_attempt(8, 1000, 1120), None);
        assert_eq!(wait_before_attempt(40, 1000, 1000), Some(MAX_DELAY_SECS));
    }
}
