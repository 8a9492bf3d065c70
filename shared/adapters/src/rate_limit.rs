//! Requests counted per source in fixed windows, in the tokens table: the limit of the
//! public routes (status checks, document verification).

use aws_sdk_dynamodb::types::AttributeValue;

use crate::store::{StoreError, Written};

/// Counts requests per source in fixed windows, in the tokens table.
#[derive(Debug, Clone)]
pub struct DynamoRateLimit {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl DynamoRateLimit {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// Counts one request of `source` under `scope`; `Some(seconds to wait)` once it
    /// has made `limit` in the current window of `window_secs`.
    async fn hit(
        &self,
        scope: &str,
        source: &str,
        limit: u32,
        window_secs: u64,
        now: u64,
    ) -> Result<Option<u64>, StoreError> {
        let window = now / window_secs;
        let ends = (window + 1) * window_secs;
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(
                "pk",
                AttributeValue::S(format!("rate#{scope}#{source}#{window}")),
            )
            .update_expression("ADD hits :one SET expires_at = :ends")
            .condition_expression("attribute_not_exists(hits) OR hits < :limit")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":ends", AttributeValue::N(ends.to_string()))
            .expression_attribute_values(":limit", AttributeValue::N(limit.to_string()))
            .send()
            .await;
        let admitted = crate::store::held(result, "counting a request against its limit")
            .map(drop)
            .written()?;
        Ok((!admitted).then(|| ends.saturating_sub(now).max(1)))
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
