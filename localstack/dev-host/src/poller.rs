//! The SQS event source: long-polls a queue and invokes its consumer with batches.

use std::collections::HashSet;
use std::time::Instant;

use adapters::deps::LOCAL_REGION;
use adapters::{Deps, Queue};
use anyhow::Context;
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use aws_sdk_sqs::types::{DeleteMessageBatchRequestEntry, MessageSystemAttributeName};
use futures::FutureExt;
use tokio::sync::watch;

use crate::functions::{Consumer, FunctionSpec};

/// The queue a poller reads.
pub(crate) struct Source {
    sqs: aws_sdk_sqs::Client,
    url: String,
    arn: String,
    wait_secs: i32,
}

impl Source {
    pub(crate) async fn new(deps: &Deps, queue: Queue, wait_secs: i32) -> anyhow::Result<Self> {
        let url = deps.resources.queue_url(queue).to_owned();
        let arn = deps
            .sqs
            .get_queue_attributes()
            .queue_url(&url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
            .send()
            .await?
            .attributes
            .and_then(|mut a| a.remove(&aws_sdk_sqs::types::QueueAttributeName::QueueArn))
            .context("queue has no ARN")?;
        Ok(Self {
            sqs: deps.sqs.clone(),
            url,
            arn,
            wait_secs: wait_secs.clamp(1, 20),
        })
    }
}

/// Polls until `stop` turns true. An invocation in progress finishes first.
pub(crate) async fn run(
    spec: &'static FunctionSpec,
    source: Source,
    consumer: Consumer,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        if *stop.borrow() {
            return;
        }
        let receive = source
            .sqs
            .receive_message()
            .queue_url(&source.url)
            .max_number_of_messages(10)
            .wait_time_seconds(source.wait_secs)
            .message_system_attribute_names(MessageSystemAttributeName::All)
            .message_attribute_names("All")
            // A long poll waits longer than any other call may take.
            .customize()
            .config_override(
                aws_sdk_sqs::config::Builder::default().timeout_config(long_poll(source.wait_secs)),
            )
            .send();
        let received = tokio::select! {
            _ = stop.wait_for(|stop| *stop) => return,
            received = receive => received,
        };
        let messages = match received {
            Ok(out) => out.messages.unwrap_or_default(),
            Err(err) => {
                tracing::warn!(function = spec.name, error = %aws_sdk_sqs::error::DisplayErrorContext(&err), "receive failed");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
        };
        if messages.is_empty() {
            continue;
        }
        invoke(spec, &source, &consumer, messages).await;
    }
}

/// One invocation: builds the event as Lambda would, calls the consumer, deletes what
/// succeeded. A panic or a whole-batch failure leaves every message to come back.
async fn invoke(
    spec: &FunctionSpec,
    source: &Source,
    consumer: &Consumer,
    messages: Vec<aws_sdk_sqs::types::Message>,
) {
    let batch = messages.len();
    let event = sqs_event(source, &messages);
    let started = Instant::now();
    let result = std::panic::AssertUnwindSafe(consumer(event))
        .catch_unwind()
        .await;
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;

    let failed: HashSet<String> = match &result {
        Ok(SqsBatchResponse {
            batch_item_failures,
            ..
        }) => batch_item_failures
            .iter()
            .map(|f| f.item_identifier.clone())
            .collect(),
        Err(_) => messages
            .iter()
            .filter_map(|m| m.message_id.clone())
            .collect(),
    };
    let done: Vec<_> = messages
        .iter()
        .filter(|m| m.message_id.as_ref().is_some_and(|id| !failed.contains(id)))
        .enumerate()
        .filter_map(|(i, m)| {
            DeleteMessageBatchRequestEntry::builder()
                .id(i.to_string())
                .set_receipt_handle(m.receipt_handle.clone())
                .build()
                .ok()
        })
        .collect();
    let deleted = done.len();
    if !done.is_empty() {
        // SQS deletes at most 10 per batch call; receives are at most 10, so one call.
        if let Err(err) = source
            .sqs
            .delete_message_batch()
            .queue_url(&source.url)
            .set_entries(Some(done))
            .send()
            .await
        {
            tracing::warn!(function = spec.name, error = %aws_sdk_sqs::error::DisplayErrorContext(&err), "delete failed; the messages will be redelivered");
        }
    }
    let outcome = match (&result, failed.len()) {
        (Err(_), _) => "panic",
        (Ok(_), 0) => "ok",
        (Ok(_), n) if n == batch => "failed",
        (Ok(_), _) => "partial",
    };
    tracing::info!(
        target: "invocation",
        function = spec.name,
        trigger = spec.trigger.kind(),
        duration_ms,
        outcome,
        batch,
        failed = failed.len(),
        deleted,
        "invocation"
    );
}

/// The event Lambda's SQS event source would deliver for these messages.
fn sqs_event(source: &Source, messages: &[aws_sdk_sqs::types::Message]) -> SqsEvent {
    let records: Vec<serde_json::Value> = messages
        .iter()
        .map(|m| {
            let attributes: serde_json::Map<String, serde_json::Value> = m
                .attributes
                .iter()
                .flatten()
                .map(|(k, v)| (k.as_str().to_owned(), v.clone().into()))
                .collect();
            serde_json::json!({
                "messageId": m.message_id,
                "receiptHandle": m.receipt_handle,
                "body": m.body,
                "md5OfBody": m.md5_of_body,
                "attributes": attributes,
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": source.arn,
                "awsRegion": LOCAL_REGION,
            })
        })
        .collect();
    serde_json::from_value(serde_json::json!({ "Records": records }))
        .expect("an SQS event built from SQS messages parses")
}

/// The timeouts of a receive that may wait `wait_secs` for a message.
fn long_poll(wait_secs: i32) -> aws_sdk_sqs::config::timeout::TimeoutConfig {
    let wait = std::time::Duration::from_secs(wait_secs.max(0) as u64);
    aws_sdk_sqs::config::timeout::TimeoutConfig::builder()
        .operation_attempt_timeout(wait + std::time::Duration::from_secs(5))
        .operation_timeout(wait + std::time::Duration::from_secs(10))
        .build()
}
