//! One SQS batch as Lambda delivers it to a queue consumer. Each message's body is
//! decoded on its own (one bad message must not fail the batch, as `SqsEventObj<T>`
//! would make it), the messages are handled a bounded number at a time, and the ones
//! that failed are reported by id as `batch_item_failures`, so that only those return
//! to the queue (`ReportBatchItemFailures`) and, in the end, reach its DLQ.

use std::fmt::Display;
use std::future::Future;

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use futures::StreamExt;
use serde::de::DeserializeOwned;

/// Why one message was not handled.
pub trait MessageFailure: Display {
    /// True when trying again cannot help. The message is still retried until the
    /// queue moves it to its DLQ, where it waits for a person; only the log says so.
    fn is_permanent(&self) -> bool {
        false
    }
}

impl MessageFailure for anyhow::Error {}

/// A body that is not a message the consumer takes: permanent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Undecodable(String);

impl Undecodable {
    pub fn new(reason: impl Into<String>) -> Self {
        Undecodable(reason.into())
    }
}

impl MessageFailure for Undecodable {
    fn is_permanent(&self) -> bool {
        true
    }
}

/// Decodes a body as the JSON of `T`. The reason names only the place of the error:
/// serde's message can quote the offending value (an address, a name).
pub fn json<T: DeserializeOwned>(body: &str) -> Result<T, Undecodable> {
    serde_json::from_str(body).map_err(|e| {
        Undecodable(format!(
            "not a valid message ({:?} error at line {} column {})",
            e.classify(),
            e.line(),
            e.column()
        ))
    })
}

/// Handles every message of `event`: decodes its body with `decode`, then `handle`s it,
/// at most `concurrency` messages at once. A message that fails (to decode or to be
/// handled) is logged with its id and what it is (`what`: "notification") and
/// reported in the response; the others succeed whatever it did.
pub async fn each_message<T, E, Fut>(
    event: SqsEvent,
    concurrency: usize,
    what: &'static str,
    decode: impl Fn(&str) -> Result<T, Undecodable>,
    handle: impl Fn(T) -> Fut,
) -> SqsBatchResponse
where
    E: MessageFailure,
    Fut: Future<Output = Result<(), E>>,
{
    let (decode, handle) = (&decode, &handle);
    let failed: Vec<String> = futures::stream::iter(event.records)
        .map(|message| async move {
            let id = message.message_id.unwrap_or_default();
            let body = message.body.as_deref();
            let decoded = body
                .ok_or_else(|| Undecodable::new("the message has no body"))
                .and_then(decode);
            let failure = match decoded {
                Ok(message) => handle(message).await.err().map(|err| report(&err)),
                Err(err) => Some(report(&err)),
            };
            failure.map(|(permanent, reason)| {
                if permanent {
                    tracing::error!(message_id = %id, reason, "{what} cannot be handled; it will reach the DLQ");
                } else {
                    tracing::warn!(message_id = %id, reason, "{what} not handled; it will be retried");
                }
                id
            })
        })
        .buffer_unordered(concurrency.max(1))
        .filter_map(|failed| async move { failed })
        .collect()
        .await;
    let mut response = SqsBatchResponse::default();
    for id in failed {
        let mut failure = BatchItemFailure::default();
        failure.item_identifier = id;
        response.batch_item_failures.push(failure);
    }
    response
}

/// Whether a failure is permanent, and its reason with every cause.
fn report(err: &impl MessageFailure) -> (bool, String) {
    (err.is_permanent(), format!("{err:#}"))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use aws_lambda_events::sqs::SqsMessage;

    use super::*;

    fn batch(bodies: &[Option<&str>]) -> SqsEvent {
        let mut event = SqsEvent::default();
        for (i, body) in bodies.iter().enumerate() {
            let mut message = SqsMessage::default();
            message.message_id = Some(format!("m{i}"));
            message.body = body.map(str::to_owned);
            event.records.push(message);
        }
        event
    }

    fn failed_ids(response: &SqsBatchResponse) -> Vec<&str> {
        let mut ids: Vec<&str> = (response.batch_item_failures.iter())
            .map(|f| f.item_identifier.as_str())
            .collect();
        ids.sort();
        ids
    }

    #[tokio::test]
    async fn a_message_that_does_not_decode_fails_alone() {
        let handled = AtomicUsize::new(0);
        let event = batch(&[Some("1"), Some("{not json"), None, Some("2")]);
        let response = each_message(event, 4, "number", json::<u32>, |_: u32| async {
            handled.fetch_add(1, Ordering::SeqCst);
            Ok::<_, anyhow::Error>(())
        })
        .await;
        assert_eq!(failed_ids(&response), ["m1", "m2"]);
        assert_eq!(handled.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_message_whose_handling_fails_keeps_its_id_and_the_rest_succeed() {
        let event = batch(&[Some("1"), Some("13"), Some("2"), Some("13")]);
        let response = each_message(event, 2, "number", json::<u32>, |n: u32| async move {
            if n == 13 {
                anyhow::bail!("unlucky")
            }
            Ok(())
        })
        .await;
        assert_eq!(failed_ids(&response), ["m1", "m3"]);
    }

    #[tokio::test]
    async fn no_more_messages_than_the_bound_are_handled_at_once() {
        let (running, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let event = batch(&[Some("1"); 10]);
        let response = each_message(event, 3, "number", json::<u32>, |_: u32| async {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            tokio::task::yield_now().await;
            running.fetch_sub(1, Ordering::SeqCst);
            Ok::<_, anyhow::Error>(())
        })
        .await;
        assert!(response.batch_item_failures.is_empty());
        assert_eq!(most.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn a_decoding_error_does_not_quote_the_body() {
        let err = json::<Vec<u32>>(r#"["someone@example.org"]"#).unwrap_err();
        assert!(!err.to_string().contains("someone"), "{err}");
        assert!(err.is_permanent());
    }
}
