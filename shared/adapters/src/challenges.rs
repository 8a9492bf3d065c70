//! Anti-bot challenges in the tokens table (`challenge#<id>`): the digest of the answer
//! and when it lapses, each spent on its first attempt.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::store::{Doing, StoreError};

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

fn key(pk: String) -> HashMap<String, AttributeValue> {
    HashMap::from([("pk".to_owned(), s(pk))])
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

    /// Stores the challenge `id`: the digest of its answer, and when it lapses.
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
            .await
            .doing("storing an anti-bot challenge")?;
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
    async fn take(&self, id: &str) -> Result<Option<(String, u64)>, StoreError> {
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(format!("challenge#{id}"))))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await
            .doing("spending an anti-bot challenge")?;
        Ok(out.attributes.and_then(|item| {
            let digest = item.get("answer_digest")?.as_s().ok()?.clone();
            let expires = item.get("expires_at")?.as_n().ok()?.parse().ok()?;
            Some((digest, expires))
        }))
    }
}
