//! What guards an active account: its password and sessions, its action PIN and the
//! count of wrong ones, and a new phone number confirmed by a code.
//!
//! A write whose condition does not hold answers `Err(StoreError::Conflict)`: the
//! account is gone, or changed since the caller read it.

use domain::account::AccountId;
use domain::clock::now_rfc3339;

use super::gateway::{DynamoAccounts, n, s, to_attribute};
use super::records::PhoneChange;
use crate::store::StoreError;

/// The account exists.
const EXISTS: &str = "attribute_exists(pk)";

impl DynamoAccounts {
    /// Ends every session of the account: sessions begun under an older epoch no longer
    /// resolve ("sign out everywhere").
    pub async fn end_all_sessions(&self, id: &AccountId) -> Result<(), StoreError> {
        self.update_if(
            id,
            "ending every session of an account",
            "SET session_epoch = if_not_exists(session_epoch, :zero) + :one",
            EXISTS,
            vec![(":zero", n(0)), (":one", n(1))],
        )
        .await
    }

    /// Stores a new password's hash and ends every session of the account.
    pub async fn change_password(
        &self,
        id: &AccountId,
        password_hash: String,
    ) -> Result<(), StoreError> {
        self.update_if(
            id,
            "changing a password",
            "SET password_hash = :hash, updated_at = :now, session_epoch = if_not_exists(session_epoch, :zero) + :one",
            EXISTS,
            vec![
                (":hash", s(password_hash)),
                (":now", s(now_rfc3339())),
                (":zero", n(0)),
                (":one", n(1)),
            ],
        )
        .await
    }

    /// Stores the hash of a new action PIN (a restored one, or a legal-entity host's
    /// first); the old PIN no longer works.
    pub async fn set_pin(&self, id: &AccountId, pin_hash: String) -> Result<(), StoreError> {
        self.update_if(
            id,
            "setting an action PIN",
            "SET pin_hash = :pin, updated_at = :now",
            EXISTS,
            vec![(":pin", s(pin_hash)), (":now", s(now_rfc3339()))],
        )
        .await
    }

    /// Counts a PIN attempt as wrong before the PIN is compared, at `now`, if the count
    /// is still `seen`: one check at a time, so parallel guesses cannot outrun the
    /// limit. Conflict when another check counted first.
    pub async fn count_pin_attempt(
        &self,
        id: &AccountId,
        seen: u32,
        now: u64,
    ) -> Result<(), StoreError> {
        self.update_if(
            id,
            "counting a PIN attempt",
            "SET pin_failures = :next, pin_failed_at = :now",
            "attribute_exists(pk) AND (pin_failures = :read OR (attribute_not_exists(pin_failures) AND :read = :zero))",
            vec![
                (":next", n(seen + 1)),
                (":read", n(seen)),
                (":zero", n(0)),
                (":now", n(now)),
            ],
        )
        .await
    }

    /// The PIN was right: wrong ones count from zero again.
    pub async fn clear_pin_failures(&self, id: &AccountId) -> Result<(), StoreError> {
        self.update_if(
            id,
            "clearing the count of wrong PINs",
            "SET pin_failures = :zero",
            EXISTS,
            vec![(":zero", n(0))],
        )
        .await
    }

    /// Keeps a new phone number waiting for the code sent to it (replacing any earlier).
    pub async fn start_phone_change(
        &self,
        id: &AccountId,
        change: &PhoneChange,
    ) -> Result<(), StoreError> {
        self.update_if(
            id,
            "starting a phone number change",
            "SET phone_change = :change",
            EXISTS,
            vec![(":change", to_attribute(change)?)],
        )
        .await
    }

    /// A wrong code for the new phone number: one more attempt spent on the code whose
    /// digest is `code_digest`. Conflict when that code was replaced meanwhile.
    pub async fn count_phone_code_attempt(
        &self,
        id: &AccountId,
        code_digest: &str,
    ) -> Result<(), StoreError> {
        self.update_if(
            id,
            "counting a wrong phone code",
            "SET phone_change.code.attempts = phone_change.code.attempts + :one",
            "phone_change.code.digest = :digest",
            vec![(":one", n(1)), (":digest", s(code_digest))],
        )
        .await
    }

    /// The right code for the new phone number: the account's phone becomes `change`'s.
    /// Conflict when the code was replaced or has had `max_attempts` wrong tries.
    pub async fn confirm_phone_change(
        &self,
        id: &AccountId,
        change: &PhoneChange,
        max_attempts: u32,
    ) -> Result<(), StoreError> {
        self.update_if(
            id,
            "confirming a phone number change",
            "SET phone = :phone, phone_verified = :yes, updated_at = :now REMOVE phone_change",
            "phone_change.code.digest = :digest AND phone_change.code.attempts < :tries",
            vec![
                (":phone", s(change.phone.as_ref())),
                (":yes", aws_sdk_dynamodb::types::AttributeValue::Bool(true)),
                (":now", s(now_rfc3339())),
                (":digest", s(&change.code.digest)),
                (":tries", n(max_attempts)),
            ],
        )
        .await
    }
}
