//! Sessions and sign-in throttles in the tokens table.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use domain::account::AccountId;
use domain::session::{ABSOLUTE_SECS, IDLE_SECS};
use serde::{Deserialize, Serialize};

use crate::store::{Doing, StoreError, Written, held};

/// A session as stored, under the keyed digest of its token (never the token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub pk: String,
    pub account_id: AccountId,
    /// The account's session epoch when the session began.
    pub epoch: u64,
    pub created_at: u64,
    /// Ends when unused until then; moved on as the session is used.
    pub idle_until: u64,
    /// Ends then whatever happens.
    pub absolute_until: u64,
    /// TTL clean-up, at the absolute end.
    pub expires_at: u64,
}

impl SessionRecord {
    /// A session of the account `account_id`, at its session `epoch`, beginning `now`
    /// under the digest of its token.
    pub fn begun(digest: &str, account_id: AccountId, epoch: u64, now: u64) -> Self {
        SessionRecord {
            pk: DynamoSessions::session_key(digest),
            account_id,
            epoch,
            created_at: now,
            idle_until: now + IDLE_SECS,
            absolute_until: now + ABSOLUTE_SECS,
            expires_at: now + ABSOLUTE_SECS,
        }
    }
}

/// Failed sign-ins of one subject: an account, an address, or the pair.
pub use domain::session::FailureCount as Failures;

fn key(pk: String) -> HashMap<String, AttributeValue> {
    HashMap::from([("pk".to_owned(), AttributeValue::S(pk))])
}

#[derive(Debug, Clone)]
pub struct DynamoSessions {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl DynamoSessions {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    fn session_key(digest: &str) -> String {
        format!("session#{digest}")
    }

    pub async fn put(&self, record: &SessionRecord) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(
                serde_dynamo::to_item(record).doing("storing a session")?,
            ))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await
            .doing("storing a session")?;
        Ok(())
    }

    pub async fn get(&self, digest: &str) -> Result<Option<SessionRecord>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(Self::session_key(digest))))
            .consistent_read(true)
            .send()
            .await
            .doing("reading a session")?;
        out.item
            .map(serde_dynamo::from_item)
            .transpose()
            .doing("reading a session")
    }

    /// Moves the idle end on; a session deleted meanwhile stays deleted.
    pub async fn touch(&self, digest: &str, idle_until: u64) -> Result<(), StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(Self::session_key(digest))))
            .update_expression("SET idle_until = :until")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":until", AttributeValue::N(idle_until.to_string()))
            .send()
            .await;
        // A session deleted meanwhile stays deleted.
        held(result, "moving a session's idle end")
            .map(drop)
            .written()?;
        Ok(())
    }

    pub async fn delete(&self, digest: &str) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(Self::session_key(digest))))
            .send()
            .await
            .doing("deleting a session")?;
        Ok(())
    }

    /// The failures recorded under `subject` (`account:<key>`, `address:<ip>` or
    /// `pair:<ip>#<key>`).
    pub async fn failures(&self, subject: &str) -> Result<Option<Failures>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(format!("throttle#{subject}"))))
            .consistent_read(true)
            .send()
            .await
            .doing("reading failed sign-ins")?;
        Ok(out.item.and_then(|item| {
            Some(Failures {
                count: item.get("failures")?.as_n().ok()?.parse().ok()?,
                last_at: item.get("last_at")?.as_n().ok()?.parse().ok()?,
            })
        }))
    }

    /// Counts one more failure; the record goes away `keep_secs` after the last one.
    pub async fn record_failure(
        &self,
        subject: &str,
        now: u64,
        keep_secs: u64,
    ) -> Result<(), StoreError> {
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(format!("throttle#{subject}"))))
            .update_expression("ADD failures :one SET last_at = :now, expires_at = :expires")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":now", AttributeValue::N(now.to_string()))
            .expression_attribute_values(
                ":expires",
                AttributeValue::N((now + keep_secs).to_string()),
            )
            .send()
            .await
            .doing("counting a failed sign-in")?;
        Ok(())
    }

    pub async fn clear_failures(&self, subject: &str) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(format!("throttle#{subject}"))))
            .send()
            .await
            .doing("clearing failed sign-ins")?;
        Ok(())
    }

    /// Stores a password-reset token's digest for `account`, until `expires_at`.
    pub async fn put_reset(
        &self,
        digest: &str,
        account: &AccountId,
        expires_at: u64,
    ) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .item("pk", AttributeValue::S(format!("reset#{digest}")))
            .item("account_id", AttributeValue::S(account.to_string()))
            .item("expires_at", AttributeValue::N(expires_at.to_string()))
            .send()
            .await
            .doing("storing a password-reset token")?;
        Ok(())
    }

    /// Spends a password-reset token: its account and expiry, if it existed.
    pub async fn take_reset(&self, digest: &str) -> Result<Option<(AccountId, u64)>, StoreError> {
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(format!("reset#{digest}"))))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await
            .doing("spending a password-reset token")?;
        Ok(out.attributes.and_then(|item| {
            let account = AccountId::parse(item.get("account_id")?.as_s().ok()?)?;
            let expires_at = item.get("expires_at")?.as_n().ok()?.parse().ok()?;
            Some((account, expires_at))
        }))
    }
}

/// A sign-in whose password was right, waiting for its second factor; stored under the
/// keyed digest of the token handed to the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub pk: String,
    pub account_id: AccountId,
    /// The account's session epoch when the password was right: a password change or
    /// "sign out everywhere" meanwhile ends this sign-in too.
    #[serde(default)]
    pub epoch: u64,
    /// The digest of the SMS code, when the factor is SMS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_digest: Option<String>,
    /// Wrong codes so far.
    #[serde(default)]
    pub attempts: u32,
    pub expires_at: u64,
}

impl PendingSignIn {
    /// A sign-in of the account `account_id`, at its session `epoch`, waiting until
    /// `expires_at` for its second factor under the digest of its token; `code_digest`
    /// is the SMS code's, when the factor is SMS.
    pub fn new(
        digest: &str,
        account_id: AccountId,
        epoch: u64,
        code_digest: Option<String>,
        expires_at: u64,
    ) -> Self {
        PendingSignIn {
            pk: DynamoSessions::pending_key(digest),
            account_id,
            epoch,
            code_digest,
            attempts: 0,
            expires_at,
        }
    }
}

impl DynamoSessions {
    fn pending_key(digest: &str) -> String {
        format!("signin2#{digest}")
    }

    pub async fn put_pending(&self, pending: &PendingSignIn) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(
                serde_dynamo::to_item(pending).doing("storing a pending sign-in")?,
            ))
            .send()
            .await
            .doing("storing a pending sign-in")?;
        Ok(())
    }

    pub async fn get_pending(&self, digest: &str) -> Result<Option<PendingSignIn>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(Self::pending_key(digest))))
            .consistent_read(true)
            .send()
            .await
            .doing("reading a pending sign-in")?;
        out.item
            .map(serde_dynamo::from_item)
            .transpose()
            .doing("reading a pending sign-in")
    }

    /// Spends one of the `max` attempts before a code is looked at: the count after it,
    /// or `Err(StoreError::Conflict)` when the sign-in is gone or has no attempts left.
    /// Counting first means parallel guesses cannot get more than `max` codes checked.
    pub async fn count_attempt(&self, digest: &str, max: u32) -> Result<u32, StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(Self::pending_key(digest))))
            .update_expression("SET attempts = if_not_exists(attempts, :zero) + :one")
            .condition_expression(
                "attribute_exists(pk) AND (attribute_not_exists(attempts) OR attempts < :max)",
            )
            .expression_attribute_values(":zero", AttributeValue::N("0".into()))
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":max", AttributeValue::N(max.to_string()))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::UpdatedNew)
            .send()
            .await;
        let out = held(result, "counting a second-factor attempt")?;
        out.attributes
            .and_then(|a| a.get("attempts")?.as_n().ok()?.parse().ok())
            .ok_or_else(|| {
                StoreError::failed(
                    "counting a second-factor attempt",
                    "the count is missing from the answer",
                )
            })
    }

    /// Spends the pending sign-in; `Err(StoreError::Conflict)` for every caller but the
    /// one that removed it.
    pub async fn take_pending(&self, digest: &str) -> Result<(), StoreError> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(Self::pending_key(digest))))
            .condition_expression("attribute_exists(pk)")
            .send()
            .await;
        held(result, "spending a pending sign-in").map(drop)
    }
}
