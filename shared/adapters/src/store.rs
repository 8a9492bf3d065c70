//! What every DynamoDB store shares: the sentence of what it was doing on every
//! failure, one item by its key, every item a query finds (all pages), conditional
//! writes and all-or-nothing transactions. A condition that did not hold is
//! [`StoreError::Conflict`], the domain's one form of it.

use std::collections::HashMap;

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{DisplayErrorContext, SdkError};
use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use serde::de::DeserializeOwned;

pub use domain::store::{StoreError, Taken};

/// What a store was doing when it failed, for the log line. Every SDK call and every
/// (de)serialisation of a record says it.
pub(crate) trait Doing<T> {
    fn doing(self, what: &'static str) -> Result<T, StoreError>;
}

impl<T, E: std::error::Error + 'static> Doing<T> for Result<T, SdkError<E, HttpResponse>> {
    fn doing(self, what: &'static str) -> Result<T, StoreError> {
        self.map_err(|err| {
            let unavailable = out_of_reach(&err);
            let text = DisplayErrorContext(&err).to_string();
            if unavailable {
                StoreError::unavailable(what, text)
            } else {
                StoreError::failed(what, text)
            }
        })
    }
}

/// Whether an SDK call failed for want of the service rather than because of the
/// request: no connection, no answer in time, an unreadable answer, or the service
/// throttling (`429`, `ProvisionedThroughputExceeded`, `ThrottlingException`) or
/// failing on its side (`5xx`).
pub fn out_of_reach<E: std::fmt::Debug>(err: &SdkError<E, HttpResponse>) -> bool {
    match err {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            true
        }
        SdkError::ServiceError(service) => {
            let status = service.raw().status().as_u16();
            status == 429
                || status >= 500
                || (status == 400 && format!("{:?}", service.err()).contains("Throughput"))
        }
        _ => false,
    }
}

impl<T> Doing<T> for Result<T, serde_dynamo::Error> {
    fn doing(self, what: &'static str) -> Result<T, StoreError> {
        self.map_err(|err| StoreError::failed(what, err))
    }
}

impl<T> Doing<T> for Result<T, aws_sdk_dynamodb::error::BuildError> {
    fn doing(self, what: &'static str) -> Result<T, StoreError> {
        self.map_err(|err| StoreError::failed(what, err))
    }
}

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
        .await
        .doing("reading an item by its key")?;
    out.item
        .map(serde_dynamo::from_item)
        .transpose()
        .doing("reading an item by its key")
}

/// The item whose one-attribute key `name` is `value`.
pub(crate) fn key(name: &str, value: impl Into<String>) -> HashMap<String, AttributeValue> {
    HashMap::from([(name.to_owned(), AttributeValue::S(value.into()))])
}

/// Writes `items` into `table` in batches of 25, writing again what comes back
/// unprocessed under throttling: for seeding the local stand-ins of state systems.
pub(crate) async fn put_all(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
    items: Vec<HashMap<String, AttributeValue>>,
) -> anyhow::Result<()> {
    use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};
    for chunk in items.chunks(25) {
        let requests = chunk
            .iter()
            .map(|item| {
                let put = PutRequest::builder().set_item(Some(item.clone())).build()?;
                Ok(WriteRequest::builder().put_request(put).build())
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let mut pending = HashMap::from([(table.to_owned(), requests)]);
        for _ in 0..10 {
            let out = client
                .batch_write_item()
                .set_request_items(Some(pending))
                .send()
                .await?;
            pending = out.unprocessed_items.unwrap_or_default();
            if pending.values().all(Vec::is_empty) {
                break;
            }
        }
    }
    Ok(())
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
        .await
        .doing("querying items")?;
    serde_dynamo::from_items(items).doing("querying items")
}

/// Writes all or nothing; `Err(StoreError::Conflict)` when a condition did not hold.
pub(crate) async fn transact(
    client: &aws_sdk_dynamodb::Client,
    ops: Vec<TransactWriteItem>,
) -> Result<(), StoreError> {
    let result = client
        .transact_write_items()
        .set_transact_items(Some(ops))
        .send()
        .await;
    match cancelled_conditions(result)? {
        Some(_) => Err(StoreError::Conflict),
        None => Ok(()),
    }
}

/// Writes all or nothing and says, item by item, whose condition did not hold (all
/// false when the transaction was written). For the few callers that must tell which.
pub(crate) async fn failed_conditions(
    client: &aws_sdk_dynamodb::Client,
    ops: Vec<TransactWriteItem>,
) -> Result<Vec<bool>, StoreError> {
    let count = ops.len();
    let result = client
        .transact_write_items()
        .set_transact_items(Some(ops))
        .send()
        .await;
    Ok(cancelled_conditions(result)?.unwrap_or_else(|| vec![false; count]))
}

type TransactResult = Result<
    aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsOutput,
    SdkError<
        aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError,
        aws_sdk_dynamodb::config::http::HttpResponse,
    >,
>;

/// `None` when the transaction was written; when it was cancelled, each item's reason
/// (`ConditionalCheckFailed`, `TransactionConflict`, `None` as an empty string).
pub(crate) fn cancellation_reasons(
    result: TransactResult,
) -> Result<Option<Vec<String>>, StoreError> {
    use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
    match result {
        Ok(_) => Ok(None),
        Err(err) => match err.as_service_error() {
            Some(TransactWriteItemsError::TransactionCanceledException(e)) => Ok(Some(
                e.cancellation_reasons()
                    .iter()
                    .map(|r| r.code().unwrap_or_default().to_owned())
                    .collect(),
            )),
            _ => Err(err).doing("writing a transaction"),
        },
    }
}

/// `None` when the transaction was written; when a condition failed, which items'.
fn cancelled_conditions(result: TransactResult) -> Result<Option<Vec<bool>>, StoreError> {
    use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
    match result {
        Ok(_) => Ok(None),
        Err(err) => match err.as_service_error() {
            Some(TransactWriteItemsError::TransactionCanceledException(e))
                if e.cancellation_reasons()
                    .iter()
                    .any(|r| r.code() == Some("ConditionalCheckFailed")) =>
            {
                Ok(Some(
                    e.cancellation_reasons()
                        .iter()
                        .map(|r| r.code() == Some("ConditionalCheckFailed"))
                        .collect(),
                ))
            }
            _ => Err(err).doing("writing a transaction"),
        },
    }
}

/// The output of a conditional write, or `Err(StoreError::Conflict)` when its condition
/// did not hold.
pub(crate) fn held<T, E>(
    result: Result<T, SdkError<E, aws_sdk_dynamodb::config::http::HttpResponse>>,
    doing: &'static str,
) -> Result<T, StoreError>
where
    E: std::error::Error + ConditionFailed + 'static,
{
    match result {
        Ok(output) => Ok(output),
        Err(err)
            if err
                .as_service_error()
                .is_some_and(ConditionFailed::is_condition_failed) =>
        {
            Err(StoreError::Conflict)
        }
        Err(err) => Err(err).doing(doing),
    }
}

/// Turns the one form of a failed condition into `false`, for callers to whom it only
/// means "not done" (a counter another writer moved first, a lease held elsewhere).
pub(crate) trait Written {
    fn written(self) -> Result<bool, StoreError>;
}

impl Written for Result<(), StoreError> {
    fn written(self) -> Result<bool, StoreError> {
        match self {
            Ok(()) => Ok(true),
            Err(StoreError::Conflict) => Ok(false),
            Err(other) => Err(other),
        }
    }
}

/// The service errors of conditional writes, which can say the condition failed.
pub(crate) trait ConditionFailed {
    fn is_condition_failed(&self) -> bool;
}

macro_rules! condition_failed {
    ($($error:path),*) => {$(
        impl ConditionFailed for $error {
            fn is_condition_failed(&self) -> bool {
                self.is_conditional_check_failed_exception()
            }
        }
    )*};
}

condition_failed!(
    aws_sdk_dynamodb::operation::put_item::PutItemError,
    aws_sdk_dynamodb::operation::update_item::UpdateItemError,
    aws_sdk_dynamodb::operation::delete_item::DeleteItemError
);

/// The placeholders (`#status`, `#type`, `#owner`) for reserved attribute names that these
/// expressions use; only those, as DynamoDB refuses unused names.
pub(crate) fn reserved_names(expressions: &[&str]) -> Vec<(String, &'static str)> {
    ["status", "type", "owner"]
        .into_iter()
        .map(|name| (format!("#{name}"), name))
        .filter(|(placeholder, _)| expressions.iter().any(|e| e.contains(placeholder.as_str())))
        .collect()
}
