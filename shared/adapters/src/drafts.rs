//! Registration drafts in the accounts table (`draft#<token digest>`): the id the
//! account will have, when the draft lapses, and how many uploads it asked for. The
//! `by_status` index lists them under `status_key = draft`, oldest first, for the sweep.
//! Creating the account deletes its draft in the same transaction (the accounts
//! store's `create_claiming`).

use aws_sdk_dynamodb::types::AttributeValue;
use domain::account::AccountId;
use domain::secrets::SecretKey;
use serde::{Deserialize, Serialize};

use crate::store;
use crate::store::{Doing, StoreError, Written, held};

/// The `status_key` drafts are listed under.
pub const STATUS_KEY: &str = "draft";

/// A draft as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftRecord {
    pub pk: String,
    /// The id the account will have; the draft's uploads are owned by it.
    pub account_id: AccountId,
    pub status_key: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// Seconds since the epoch.
    pub expires_at: u64,
    pub uploads: u32,
}

impl DraftRecord {
    pub fn key(digest: &str) -> String {
        format!("draft#{digest}")
    }
}

/// The drafts, found by their tokens: a token is kept only as its digest under the
/// server key.
#[derive(Debug, Clone)]
pub struct DynamoDrafts {
    client: aws_sdk_dynamodb::Client,
    table: String,
    key: SecretKey,
}

/// The purpose a draft's token is digested for.
const PURPOSE: &str = "registration-draft";

impl DynamoDrafts {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>, key: SecretKey) -> Self {
        Self {
            client,
            table: table.into(),
            key,
        }
    }

    /// The key of the draft `token` names.
    fn pk(&self, token: &str) -> String {
        DraftRecord::key(&self.key.digest(PURPOSE, token.trim()))
    }

    /// Starts a draft: its token (shown once) and the draft as stored.
    pub async fn create(&self, now: u64) -> Result<(String, DraftRecord), StoreError> {
        let token = domain::secrets::random_token();
        let record = DraftRecord {
            pk: self.pk(&token),
            account_id: AccountId::new(),
            status_key: STATUS_KEY.to_owned(),
            created_at: domain::clock::rfc3339(now),
            expires_at: now + domain::document::draft::TTL_SECS,
            uploads: 0,
        };
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(
                serde_dynamo::to_item(&record).doing("creating a registration draft")?,
            ))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await
            .doing("creating a registration draft")?;
        Ok((token, record))
    }

    /// The draft `token` names, if it exists and has not lapsed at `now`.
    pub async fn live(&self, token: &str, now: u64) -> Result<Option<DraftRecord>, StoreError> {
        let draft: Option<DraftRecord> =
            store::get(&self.client, &self.table, store::key("pk", self.pk(token))).await?;
        Ok(draft.filter(|d| d.expires_at > now))
    }

    /// Counts one more upload for `draft`; false once it has had its
    /// [`MAX_UPLOADS`](domain::document::draft::MAX_UPLOADS) or has lapsed.
    pub async fn count_upload(&self, draft: &DraftRecord, now: u64) -> Result<bool, StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(store::key("pk", draft.pk.clone())))
            .update_expression("SET uploads = uploads + :one")
            .condition_expression("attribute_exists(pk) AND expires_at > :now AND uploads < :max")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":now", AttributeValue::N(now.to_string()))
            .expression_attribute_values(
                ":max",
                AttributeValue::N(domain::document::draft::MAX_UPLOADS.to_string()),
            )
            .send()
            .await;
        held(result, "counting a draft's upload")
            .map(drop)
            .written()
    }

    /// Drafts created before `before` (RFC 3339), oldest first.
    pub async fn created_before(&self, before: &str) -> Result<Vec<DraftRecord>, StoreError> {
        store::all(
            self.client
                .query()
                .table_name(&self.table)
                .index_name("by_status")
                .key_condition_expression("status_key = :draft AND created_at < :before")
                .expression_attribute_values(":draft", AttributeValue::S(STATUS_KEY.into()))
                .expression_attribute_values(":before", AttributeValue::S(before.into())),
        )
        .await
    }

    /// Deletes a lapsed draft; false if it is gone (claimed or swept already).
    pub async fn delete_lapsed(&self, draft: &DraftRecord, now: u64) -> Result<bool, StoreError> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(store::key("pk", draft.pk.clone())))
            .condition_expression("attribute_exists(pk) AND expires_at <= :now")
            .expression_attribute_values(":now", AttributeValue::N(now.to_string()))
            .send()
            .await;
        held(result, "deleting a lapsed draft").map(drop).written()
    }
}
