//! What the sign-up flow writes to an account before it is active: a fresh link or
//! code in place of the last, the e-work email link followed, the ereg activation code
//! tried, and a registration nobody confirmed given up.
//!
//! Each write holds only if the account is still as the caller read it; when it is not,
//! the answer is `Err(StoreError::Conflict)`.

use aws_sdk_dynamodb::types::AttributeValue;
use domain::account::{AccountId, AccountStatus, Portal};
use domain::clock::{now_rfc3339, now_secs};

use super::gateway::{DynamoAccounts, n, s, to_attribute};
use super::records::{AccountRecord, OneTimeSecret};
use crate::store::StoreError;

/// An account still waiting for its link or code.
const PENDING: &str = "#status = :pending";

fn pending() -> (&'static str, AttributeValue) {
    (":pending", s(AccountStatus::PendingConfirmation.as_str()))
}

impl DynamoAccounts {
    /// Sends a pending account of `portal` a fresh link or code: `secret` replaces the
    /// last one. Conflict once the account is confirmed.
    pub async fn replace_pending_secret(
        &self,
        id: &AccountId,
        portal: Portal,
        secret: &OneTimeSecret,
    ) -> Result<(), StoreError> {
        let attribute = AccountRecord::pending_secret_attribute(portal);
        self.update_if(
            id,
            "replacing the link or code of a pending account",
            &format!("SET {attribute} = :secret, updated_at = :now"),
            PENDING,
            vec![
                (":secret", to_attribute(secret)?),
                (":now", s(now_rfc3339())),
                pending(),
            ],
        )
        .await
    }

    /// Sends a pending ereg account a new activation code in place of the one sent at
    /// `last_sent_at`. Conflict when another resend came first or the account is no
    /// longer pending.
    pub async fn resend_activation_code(
        &self,
        id: &AccountId,
        last_sent_at: u64,
        code: &OneTimeSecret,
    ) -> Result<(), StoreError> {
        self.update_if(
            id,
            "resending an activation code",
            "SET activation_code = :code, updated_at = :now",
            "#status = :pending AND activation_code.sent_at = :last",
            vec![
                (":code", to_attribute(code)?),
                (":now", s(now_rfc3339())),
                pending(),
                (":last", n(last_sent_at)),
            ],
        )
        .await
    }

    /// The e-work email link whose digest is `link_digest` was followed: the link is
    /// spent and the account waits for a labour operator, in the activation queue.
    /// Conflict when the account is no longer pending or its link was replaced.
    pub async fn confirm_email_link(
        &self,
        id: &AccountId,
        link_digest: &str,
    ) -> Result<(), StoreError> {
        self.update_if(
            id,
            "confirming an email link",
            "SET #status = :awaiting, status_key = :queue, email_link.used_at = :used, updated_at = :now",
            "#status = :pending AND email_link.digest = :digest",
            vec![
                (":awaiting", s(AccountStatus::AwaitingActivation.as_str())),
                (":queue", s(AccountRecord::activation_queue(Portal::Ework))),
                (":used", n(now_secs())),
                (":now", s(now_rfc3339())),
                pending(),
                (":digest", s(link_digest)),
            ],
        )
        .await
    }

    /// A wrong activation code: one more attempt spent on `code`. Conflict when the code
    /// changed meanwhile (a new one was sent, or another attempt counted first).
    pub async fn spend_activation_attempt(
        &self,
        id: &AccountId,
        code: &OneTimeSecret,
    ) -> Result<(), StoreError> {
        let mut values = same_code(code);
        values.push((":next", n(code.attempts + 1)));
        self.update_if(
            id,
            "counting a wrong activation code",
            "SET activation_code.attempts = :next",
            SAME_CODE,
            values,
        )
        .await
    }

    /// The right activation code: the ereg account is active, with the action PIN whose
    /// hash is `pin_hash`, and `code` is spent. Conflict when another attempt changed
    /// the code first.
    pub async fn activate_with_pin(
        &self,
        id: &AccountId,
        code: &OneTimeSecret,
        pin_hash: String,
    ) -> Result<(), StoreError> {
        let mut values = same_code(code);
        values.extend([
            (":active", s(AccountStatus::Active.as_str())),
            (":pin", s(pin_hash)),
            (":used", n(now_secs())),
            (":now", s(now_rfc3339())),
        ]);
        self.update_if(
            id,
            "activating an account with its code",
            "SET #status = :active, pin_hash = :pin, activation_code.used_at = :used, updated_at = :now",
            SAME_CODE,
            values,
        )
        .await
    }

    /// Removes a registration that was never confirmed, with its guards, so its login
    /// and email are free again. Conflict when it was confirmed or replaced meanwhile.
    pub async fn release_unconfirmed(&self, account: &AccountRecord) -> Result<(), StoreError> {
        let id = s(account.account_id.as_ref());
        let ops = vec![
            self.delete_op(
                AccountRecord::key(&account.account_id),
                "#status = :pending AND updated_at = :updated",
                vec![pending(), (":updated", s(&account.updated_at))],
            )?,
            self.delete_op(
                format!("signin#{}", account.sign_in),
                "account_id = :id",
                vec![(":id", id.clone())],
            )?,
            self.delete_op(
                format!("email#{}", account.email),
                "account_id = :id",
                vec![(":id", id)],
            )?,
        ];
        self.transact(ops).await
    }
}

/// A pending account whose activation code is still the one the caller read.
const SAME_CODE: &str = "#status = :pending AND activation_code.sent_at = :sent AND activation_code.attempts = :attempts";

fn same_code(code: &OneTimeSecret) -> Vec<(&'static str, AttributeValue)> {
    vec![
        (":sent", n(code.sent_at)),
        (":attempts", n(code.attempts)),
        pending(),
    ]
}
