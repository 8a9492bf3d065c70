//! Accounts in DynamoDB. One item per account (`account#<id>`) and one guard item per
//! sign-in name and email (`signin#<key>`, `email#<address>`), written in one
//! transaction so that two registrations can never take the same login or email.

use std::collections::HashMap;

use aws_sdk_dynamodb::error::{DisplayErrorContext, SdkError};
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use domain::account::registration::Profile;
use domain::account::{AccountId, AccountStatus, AccountType};
use domain::{EmailAddress, Lang, PhoneNumber};
use serde::{Deserialize, Serialize};

/// A one-time secret sent to the account holder: an activation code or an email link.
/// Only its keyed digest is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimeSecret {
    pub digest: String,
    /// Seconds since the epoch.
    pub sent_at: u64,
    pub expires_at: u64,
    /// Wrong answers so far.
    pub attempts: u32,
    /// When it was used; a used link answers again as used, a used code never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_at: Option<u64>,
}

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountRecord {
    pub pk: String,
    pub account_id: AccountId,
    #[serde(rename = "type")]
    pub kind: AccountType,
    pub status: AccountStatus,
    /// The normalised sign-in key (`email:<address>` or `login:<login>`).
    pub sign_in: String,
    pub email: EmailAddress,
    pub phone: PhoneNumber,
    pub lang: Lang,
    pub password_hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin_hash: Option<String>,
    pub profile: Profile,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    /// Set while an operator must act (`ework#awaiting_activation`); the `by_status` index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_link: Option<OneTimeSecret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation_code: Option<OneTimeSecret>,
    /// Sessions created under an older epoch are ended ("sign out everywhere",
    /// password change or reset).
    #[serde(default)]
    pub session_epoch: u64,
}

impl AccountRecord {
    pub fn key(id: &AccountId) -> String {
        format!("account#{id}")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("DynamoDB: {0}")]
    Dynamo(String),
    #[error("stored item does not parse: {0}")]
    Corrupt(#[from] serde_dynamo::Error),
}

impl<E: std::error::Error + 'static, R: std::fmt::Debug> From<SdkError<E, R>> for StoreError {
    fn from(err: SdkError<E, R>) -> Self {
        StoreError::Dynamo(DisplayErrorContext(&err).to_string())
    }
}

/// Why an account could not be created.
#[derive(Debug, PartialEq, Eq)]
pub enum Taken {
    /// Another account has this email.
    Email,
    /// Another account has this sign-in name (only an e-work login can be this alone).
    SignIn,
}

/// The accounts table.
#[derive(Debug, Clone)]
pub struct DynamoAccounts {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

fn key(pk: String) -> HashMap<String, AttributeValue> {
    HashMap::from([("pk".to_owned(), s(pk))])
}

fn guard(table: &str, pk: String, account: &AccountId) -> Result<Put, StoreError> {
    Put::builder()
        .table_name(table)
        .set_item(Some(HashMap::from([
            ("pk".to_owned(), s(pk)),
            ("account_id".to_owned(), s(account.as_ref())),
        ])))
        .condition_expression("attribute_not_exists(pk)")
        .build()
        .map_err(|e| StoreError::Dynamo(e.to_string()))
}

impl DynamoAccounts {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// Creates the account and its guards, or says which guard is taken.
    pub async fn create(&self, record: &AccountRecord) -> Result<Result<(), Taken>, StoreError> {
        let item = serde_dynamo::to_item(record)?;
        let account = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(|e| StoreError::Dynamo(e.to_string()))?;
        let sign_in = guard(
            &self.table,
            format!("signin#{}", record.sign_in),
            &record.account_id,
        )?;
        let email = guard(
            &self.table,
            format!("email#{}", record.email),
            &record.account_id,
        )?;
        let result = self
            .client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().put(account).build())
            .transact_items(TransactWriteItem::builder().put(sign_in).build())
            .transact_items(TransactWriteItem::builder().put(email).build())
            .send()
            .await;
        match result {
            Ok(_) => Ok(Ok(())),
            Err(err) => {
                use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
                let reasons: Vec<bool> = match err.as_service_error() {
                    Some(TransactWriteItemsError::TransactionCanceledException(e)) => e
                        .cancellation_reasons()
                        .iter()
                        .map(|r| r.code() == Some("ConditionalCheckFailed"))
                        .collect(),
                    _ => Vec::new(),
                };
                match reasons.as_slice() {
                    [_, _, true] => Ok(Err(Taken::Email)),
                    [_, true, _] => Ok(Err(Taken::SignIn)),
                    _ => Err(err.into()),
                }
            }
        }
    }

    pub async fn get(&self, id: &AccountId) -> Result<Option<AccountRecord>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(AccountRecord::key(id))))
            .consistent_read(true)
            .send()
            .await?;
        Ok(out.item.map(serde_dynamo::from_item).transpose()?)
    }

    async fn via_guard(&self, guard_pk: String) -> Result<Option<AccountRecord>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(guard_pk)))
            .consistent_read(true)
            .send()
            .await?;
        let id = out
            .item
            .as_ref()
            .and_then(|i| i.get("account_id"))
            .and_then(|v| v.as_s().ok())
            .and_then(|id| AccountId::parse(id));
        match id {
            Some(id) => self.get(&id).await,
            None => Ok(None),
        }
    }

    pub async fn find_by_email(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<AccountRecord>, StoreError> {
        self.via_guard(format!("email#{email}")).await
    }

    pub async fn find_by_sign_in(
        &self,
        sign_in_key: &str,
    ) -> Result<Option<AccountRecord>, StoreError> {
        self.via_guard(format!("signin#{sign_in_key}")).await
    }

    /// Applies an update if `condition` holds; `Ok(false)` when it does not.
    pub async fn update(
        &self,
        id: &AccountId,
        update: &str,
        condition: &str,
        values: Vec<(&str, AttributeValue)>,
    ) -> Result<bool, StoreError> {
        let mut request = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(AccountRecord::key(id))))
            .update_expression(update)
            .condition_expression(condition);
        // Only the names the expressions use: DynamoDB refuses unused ones.
        for name in ["status", "type"] {
            let placeholder = format!("#{name}");
            if update.contains(&placeholder) || condition.contains(&placeholder) {
                request = request.expression_attribute_names(placeholder, name);
            }
        }
        for (name, value) in values {
            request = request.expression_attribute_values(name, value);
        }
        match request.send().await {
            Ok(_) => Ok(true),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(err) => Err(err.into()),
        }
    }
}

/// A `OneTimeSecret` as an attribute value, for update expressions.
pub fn secret_value(secret: &OneTimeSecret) -> Result<AttributeValue, StoreError> {
    Ok(serde_dynamo::to_attribute_value(secret)?)
}

/// Anti-bot challenges in the tokens table, each spent on its first attempt.
#[derive(Debug, Clone)]
pub struct DynamoChallenges {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl DynamoChallenges {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    pub async fn put(
        &self,
        id: &str,
        answer_digest: &str,
        expires_at: u64,
    ) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(format!("challenge#{id}")))
            .item("answer_digest", s(answer_digest))
            .item("expires_at", AttributeValue::N(expires_at.to_string()))
            .send()
            .await?;
        Ok(())
    }

    /// Spends the challenge: true when it existed, had not expired and `answer` is right.
    /// A challenge is spent by its first attempt, right or wrong.
    pub async fn pass(
        &self,
        key: &domain::secrets::SecretKey,
        id: &str,
        answer: &str,
        now: u64,
    ) -> Result<bool, StoreError> {
        if domain::challenge::ChallengeId::parse(id).is_none() {
            return Ok(false);
        }
        let taken = self.take(id).await?;
        Ok(taken.is_some_and(|(digest, expires_at)| {
            expires_at > now && domain::challenge::is_answer(key, answer, &digest)
        }))
    }

    /// Removes the challenge and returns its answer digest and expiry, if it existed.
    pub async fn take(&self, id: &str) -> Result<Option<(String, u64)>, StoreError> {
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(format!("challenge#{id}"))))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await?;
        Ok(out.attributes.and_then(|item| {
            let digest = item.get("answer_digest")?.as_s().ok()?.clone();
            let expires = item.get("expires_at")?.as_n().ok()?.parse().ok()?;
            Some((digest, expires))
        }))
    }
}
