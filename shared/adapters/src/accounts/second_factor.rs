//! The account's second factor: an authenticator being added and confirmed, each of
//! its codes and backup codes spent once, SMS codes instead, or none.
//!
//! A write whose condition does not hold answers `Err(StoreError::Conflict)`.

use domain::account::AccountId;
use domain::second_factor::SecondFactor;

use super::gateway::{DynamoAccounts, n, s, to_attribute};
use crate::store::StoreError;

/// The account exists.
const EXISTS: &str = "attribute_exists(pk)";

impl DynamoAccounts {
    /// Keeps the seed of an authenticator being added until a code from it confirms it.
    pub async fn enrol_totp(&self, id: &AccountId, seed: &str) -> Result<(), StoreError> {
        self.update_if(
            id,
            "starting to add an authenticator",
            "SET totp_pending = :seed",
            EXISTS,
            vec![(":seed", s(seed))],
        )
        .await
    }

    /// A code of time step `step` from the authenticator being added was right: `factor`
    /// is the account's second factor from now on. Conflict when the enrolment of
    /// `seed` is no longer the one waiting.
    pub async fn confirm_totp(
        &self,
        id: &AccountId,
        seed: &str,
        factor: &SecondFactor,
        step: u64,
    ) -> Result<(), StoreError> {
        self.update_if(
            id,
            "confirming an authenticator",
            "SET second_factor = :factor, totp_last_step = :step REMOVE totp_pending",
            "totp_pending = :seed",
            vec![
                (":factor", to_attribute(factor)?),
                (":step", n(step)),
                (":seed", s(seed)),
            ],
        )
        .await
    }

    /// Spends the authenticator's time step `step` at sign-in: each code works once.
    /// Conflict when this step, or a later one, was used already.
    pub async fn use_totp_step(&self, id: &AccountId, step: u64) -> Result<(), StoreError> {
        self.update_if(
            id,
            "spending an authenticator code",
            "SET totp_last_step = :step",
            "attribute_not_exists(totp_last_step) OR totp_last_step < :step",
            vec![(":step", n(step))],
        )
        .await
    }

    /// Spends the backup code at `index`, whose digest is `digest`. Conflict when it was
    /// spent meanwhile.
    pub async fn spend_backup_code(
        &self,
        id: &AccountId,
        index: usize,
        digest: &str,
    ) -> Result<(), StoreError> {
        self.update_if(
            id,
            "spending a backup code",
            &format!("REMOVE second_factor.backup_codes[{index}]"),
            &format!("second_factor.backup_codes[{index}] = :digest"),
            vec![(":digest", s(digest))],
        )
        .await
    }

    /// Codes by SMS become the second factor, replacing an authenticator and any
    /// enrolment waiting.
    pub async fn use_sms_factor(&self, id: &AccountId) -> Result<(), StoreError> {
        self.update_if(
            id,
            "choosing SMS codes as the second factor",
            "SET second_factor = :factor REMOVE totp_pending",
            EXISTS,
            vec![(":factor", to_attribute(&SecondFactor::Sms)?)],
        )
        .await
    }

    /// Sign-in asks for the password alone again.
    pub async fn turn_off_second_factor(&self, id: &AccountId) -> Result<(), StoreError> {
        self.update_if(
            id,
            "turning the second factor off",
            "REMOVE second_factor, totp_pending",
            EXISTS,
            vec![],
        )
        .await
    }
}
