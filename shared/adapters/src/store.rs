//! The plumbing every DynamoDB store shares: one item by its key, every item a query
//! finds (all pages), and all-or-nothing writes that say when a condition failed.

use std::collections::HashMap;

use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use serde::de::DeserializeOwned;

use crate::accounts::StoreError;

/// The item of `table` whose key is `key`, read consistently, as `T`.
pub(crate) async fn get<T: DeserializeOwned>(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
    key: HashMap<String, AttributeValue>,
) -> Result<Option<T>, StoreError> {
    let out = client
        .get_item()
        .table_name(table)
        .set_key(Some(key))
        .consistent_read(true)
        .send()
        .await?;
    Ok(out.item.map(serde_dynamo::from_item).transpose()?)
}

/// The item whose one-attribute key `name` is `value`.
pub(crate) fn key(name: &str, value: impl Into<String>) -> HashMap<String, AttributeValue> {
    HashMap::from([(name.to_owned(), AttributeValue::S(value.into()))])
}

/// Every item `query` finds, through all its pages, as `T`.
pub(crate) async fn all<T: DeserializeOwned>(
    query: QueryFluentBuilder,
) -> Result<Vec<T>, StoreError> {
    let items = query
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await?;
    Ok(serde_dynamo::from_items(items)?)
}

/// Writes all or nothing; `Ok(false)` when a condition did not hold.
pub(crate) async fn transact(
    client: &aws_sdk_dynamodb::Client,
    ops: Vec<TransactWriteItem>,
) -> Result<bool, StoreError> {
    use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
    match client
        .transact_write_items()
        .set_transact_items(Some(ops))
        .send()
        .await
    {
        Ok(_) => Ok(true),
        Err(err) => match err.as_service_error() {
            Some(TransactWriteItemsError::TransactionCanceledException(e))
                if e.cancellation_reasons()
                    .iter()
                    .any(|r| r.code() == Some("ConditionalCheckFailed")) =>
            {
                Ok(false)
            }
            _ => Err(err.into()),
        },
    }
}
