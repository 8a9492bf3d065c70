//! What operators decide on accounts: the confirmed e-work accounts waiting in the
//! activation queue, and their activation or refusal, each made once.

use domain::account::{AccountId, AccountStatus, Portal};
use domain::clock::now_rfc3339;

use super::gateway::{DynamoAccounts, s, to_attribute};
use super::records::{AccountRecord, Decision};
use crate::store::StoreError;

impl DynamoAccounts {
    /// The accounts of `portal` waiting for an operator to activate them, oldest first,
    /// at most `limit`.
    pub async fn awaiting_activation(
        &self,
        portal: Portal,
        limit: i32,
    ) -> Result<Vec<AccountRecord>, StoreError> {
        self.waiting(AccountRecord::activation_queue(portal), limit)
            .await
    }

    /// The operators and admins, oldest first, at most `limit`.
    pub async fn staff(&self, limit: i32) -> Result<Vec<AccountRecord>, StoreError> {
        self.waiting(super::records::STAFF_LIST, limit).await
    }

    /// The operator `by` activates `account`, which leaves the activation queue; the
    /// account as decided. Conflict when it no longer awaits activation (another
    /// operator decided first).
    pub async fn activate_account(
        &self,
        account: AccountRecord,
        by: &AccountId,
    ) -> Result<AccountRecord, StoreError> {
        self.decide(account, by, AccountStatus::Active, None).await
    }

    /// The operator `by` refuses `account` for `reason`, as
    /// [`Self::activate_account`] activates it.
    pub async fn refuse_account(
        &self,
        account: AccountRecord,
        by: &AccountId,
        reason: String,
    ) -> Result<AccountRecord, StoreError> {
        self.decide(account, by, AccountStatus::Refused, Some(reason))
            .await
    }

    async fn decide(
        &self,
        account: AccountRecord,
        by: &AccountId,
        outcome: AccountStatus,
        reason: Option<String>,
    ) -> Result<AccountRecord, StoreError> {
        let decision = Decision {
            by: by.clone(),
            at: now_rfc3339(),
            outcome,
            reason,
        };
        self.update_if(
            &account.account_id,
            "recording an operator's decision on an account",
            "SET #status = :outcome, decision = :decision, updated_at = :now REMOVE status_key",
            "#status = :awaiting",
            vec![
                (":outcome", s(outcome.as_str())),
                (":decision", to_attribute(&decision)?),
                (":now", s(&decision.at)),
                (":awaiting", s(AccountStatus::AwaitingActivation.as_str())),
            ],
        )
        .await?;
        Ok(AccountRecord {
            status: outcome,
            status_key: None,
            decision: Some(decision),
            ..account
        })
    }
}
