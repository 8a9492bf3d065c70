//! Requests counted per source in windows, in the tokens table: the limit of the
//! public routes (status checks, document verification, challenges, drafts).
//!
//! A source's window opens with its first request and lasts `window_secs`; the
//! `limit` requests it admits are counted from there, not from the clock's minute or
//! hour. So a burst cannot take one window's allowance at its end and the next one's
//! at its start, and the wait told to a refused source is exactly what is left of its
//! own window.

use serde::Deserialize;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::store::{StoreError, Written};

/// Counts requests per source in windows that open with the source's first request.
#[derive(Debug, Clone)]
pub struct DynamoRateLimit {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

#[derive(Deserialize)]
struct Window {
    opened: u64,
}

impl DynamoRateLimit {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// Counts one request of `source` under `scope`; `Some(seconds to wait)` once it
    /// has made `limit` in its open window of `window_secs`.
    async fn hit(
        &self,
        scope: &str,
        source: &str,
        limit: u32,
        window_secs: u64,
        now: u64,
    ) -> Result<Option<u64>, StoreError> {
        let pk = format!("rate#{scope}#{source}");
        // Two tries: a window another request reopened between ours is counted in.
        for _ in 0..2 {
            if self.count_in_open(&pk, limit, now, window_secs).await? {
                return Ok(None);
            }
            if self.open(&pk, now, window_secs).await? {
                return Ok(None);
            }
            let window: Option<Window> =
                crate::store::get(&self.client, &self.table, crate::store::key("pk", &pk)).await?;
            if let Some(window) = window {
                let closes = window.opened + window_secs;
                if closes > now {
                    return Ok(Some(closes - now));
                }
            }
        }
        Ok(Some(1))
    }

    /// Counts the request in the source's open window, if it has one with room left.
    async fn count_in_open(
        &self,
        pk: &str,
        limit: u32,
        now: u64,
        window_secs: u64,
    ) -> Result<bool, StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", AttributeValue::S(pk.to_owned()))
            .update_expression("ADD hits :one")
            .condition_expression("opened > :cutoff AND hits < :limit")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(
                ":cutoff",
                AttributeValue::N(now.saturating_sub(window_secs).to_string()),
            )
            .expression_attribute_values(":limit", AttributeValue::N(limit.to_string()))
            .send()
            .await;
        crate::store::held(result, "counting a request against its limit")
            .map(drop)
            .written()
    }

    /// Opens a new window with this request as its first, if the source has none open.
    async fn open(&self, pk: &str, now: u64, window_secs: u64) -> Result<bool, StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", AttributeValue::S(pk.to_owned()))
            .update_expression("SET hits = :one, opened = :now, expires_at = :ends")
            .condition_expression("attribute_not_exists(opened) OR opened <= :cutoff")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":now", AttributeValue::N(now.to_string()))
            .expression_attribute_values(
                ":ends",
                AttributeValue::N((now + window_secs).to_string()),
            )
            .expression_attribute_values(
                ":cutoff",
                AttributeValue::N(now.saturating_sub(window_secs).to_string()),
            )
            .send()
            .await;
        crate::store::held(result, "opening a window of requests")
            .map(drop)
            .written()
    }

    /// Counts one request as [`Self::hit`] does, now; past the limit, the refusal a
    /// route answers: `429 rate_limited` with the seconds to wait.
    pub async fn admit(
        &self,
        scope: &str,
        source: &str,
        limit: u32,
        window_secs: u64,
    ) -> Result<Result<(), domain::DomainError>, StoreError> {
        let now = domain::clock::now_secs();
        Ok(
            match self.hit(scope, source, limit, window_secs, now).await? {
                None => Ok(()),
                Some(wait) => Err(domain::DomainError::TooManyRequests {
                    code: domain::Code::RateLimited,
                    retry_after_secs: wait,
                }),
            },
        )
    }
}
