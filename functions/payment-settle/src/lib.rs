//! The `payment-settle` function: consumes verified processor events from the payments
//! queue and settles each once (the ledger is keyed by the processor's event id), so a
//! duplicate, reordered or late delivery has only the effect it should. A message that
//! is no event, or whose settlement fails, is reported as a batch item failure and
//! reaches the DLQ after `maxReceiveCount`.

use adapters::Deps;
use adapters::payments::Payments;
use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use domain::payment::ProcessorEvent;
use futures::StreamExt;

/// Events settled at once per batch.
const CONCURRENCY: usize = 10;

pub struct Settler {
    payments: Payments,
}

impl Settler {
    pub fn from_deps(deps: &Deps) -> Self {
        Self {
            payments: deps.payments(),
        }
    }

    /// Handles one SQS batch and reports the messages that failed.
    pub async fn handle(&self, event: SqsEvent) -> SqsBatchResponse {
        let failed: Vec<String> = futures::stream::iter(event.records)
            .map(|message| async move {
                let id = message.message_id.clone().unwrap_or_default();
                match self.process(message).await {
                    Ok(()) => None,
                    Err(reason) => {
                        tracing::warn!(message_id = %id, reason, "payment event not settled");
                        Some(id)
                    }
                }
            })
            .buffer_unordered(CONCURRENCY)
            .filter_map(|failed| async move { failed })
            .collect()
            .await;
        let mut response = SqsBatchResponse::default();
        for message_id in failed {
            let mut item = BatchItemFailure::default();
            item.item_identifier = message_id;
            response.batch_item_failures.push(item);
        }
        response
    }

    async fn process(&self, message: SqsMessage) -> Result<(), String> {
        let body = message.body.ok_or("message has no body")?;
        let event = ProcessorEvent::parse(body.as_bytes()).ok_or("not a processor event")?;
        let settled = self
            .payments
            .settle(&event)
            .await
            .map_err(|e| format!("{e:#}"))?;
        tracing::info!(
            event = %event.event_id,
            order = %event.order_number,
            outcome = %settled.outcome,
            first_time = settled.first_time,
            "payment event settled"
        );
        Ok(())
    }
}
