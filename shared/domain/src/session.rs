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
/// Failed sign-ins of one account, from anywhere, before each attempt needs the
/// anti-bot challenge.
pub const CHALLENGE_AFTER_ACCOUNT_FAILURES: u32 = 5;
/// Failed sign-ins from one address, of any account, before each attempt from it needs
/// the anti-bot challenge: a hotel's or a carrier's shared address is busy, not guilty.
pub const CHALLENGE_AFTER_ADDRESS_FAILURES: u32 = 10;

/// A count of failed sign-ins and when the last was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureCount {
    pub count: u32,
    pub last_at: u64,
}

/// What the failures counted before a sign-in attempt allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInGate {
    /// Try.
    Open,
    /// Try with a solved anti-bot challenge.
    Challenge,
    /// Wait this many seconds: this address has guessed at this account too often.
    Wait(u64),
}

/// The gate of a sign-in attempt from the failures of the (address, account) pair,
/// the account and the address. Only the pair that guessed waits, and a success clears
/// it; many failures of the account from anywhere, or of the address for any account,
/// ask for the challenge instead, so that nobody can lock others out by failing.
pub fn sign_in_gate(
    pair: Option<FailureCount>,
    account: Option<FailureCount>,
    address: Option<FailureCount>,
    now: u64,
) -> SignInGate {
    if let Some(wait) = pair.and_then(|f| wait_before_attempt(f.count, f.last_at, now)) {
        return SignInGate::Wait(wait);
    }
    let many = |f: Option<FailureCount>, limit: u32| f.is_some_and(|f| f.count >= limit);
    if many(account, CHALLENGE_AFTER_ACCOUNT_FAILURES)
        || many(address, CHALLENGE_AFTER_ADDRESS_FAILURES)
    {
        return SignInGate::Challenge;
    }
    SignInGate::Open
}

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

    fn failures(count: u32) -> Option<FailureCount> {
        Some(FailureCount {
            count,
            last_at: 1000,
        })
    }

    #[test]
    fn only_the_pair_that_guessed_waits_and_many_failures_ask_for_the_challenge() {
        assert_eq!(sign_in_gate(None, None, None, 1000), SignInGate::Open);
        assert_eq!(
            sign_in_gate(failures(5), failures(5), failures(5), 1000),
            SignInGate::Wait(15)
        );
        // Past the pair's wait, the account's failures still ask for the challenge.
        assert_eq!(
            sign_in_gate(failures(5), failures(5), failures(5), 1015),
            SignInGate::Challenge
        );
        // Another account from the same address: free until the address is busy.
        assert_eq!(
            sign_in_gate(None, None, failures(9), 1000),
            SignInGate::Open
        );
        assert_eq!(
            sign_in_gate(None, None, failures(10), 1000),
            SignInGate::Challenge
        );
        // The account from another address.
        assert_eq!(
            sign_in_gate(None, failures(4), None, 1000),
            SignInGate::Open
        );
        assert_eq!(
            sign_in_gate(None, failures(5), None, 1000),
            SignInGate::Challenge
        );
    }

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
