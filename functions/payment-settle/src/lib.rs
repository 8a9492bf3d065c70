//! The `payment-settle` function: consumes verified processor events from the payments
//! queue and settles each once (the ledger is keyed by the processor's event id), so a
//! duplicate, reordered or late delivery has only the effect it should. A message that
//! is no event, or whose settlement fails, is reported as a batch item failure and
//! reaches the DLQ after `maxReceiveCount`.

use adapters::Deps;
use adapters::payments::Payments;
use adapters::sqs_batch::{self, Undecodable};
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use domain::payment::ProcessorEvent;

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[];

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
        sqs_batch::each_message(
            event,
            CONCURRENCY,
            "payment event",
            |body| {
                ProcessorEvent::parse(body.as_bytes())
                    .ok_or_else(|| Undecodable::new("not a processor event"))
            },
            |event| self.settle(event),
        )
        .await
    }

    async fn settle(&self, event: ProcessorEvent) -> anyhow::Result<()> {
        let settled = self.payments.settle(&event).await?;
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
