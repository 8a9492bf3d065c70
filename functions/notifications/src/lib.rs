//! The `notifications` function: consumes the notifications queue, renders each
//! notification in the recipient's language and sends it by email and SMS, once.

use std::time::Duration;

use adapters::Deps;
use adapters::ledger::DynamoNotificationLedger;
use adapters::mail::SesMailer;
use adapters::sms::SnsSms;
use adapters::sqs_batch::{self, MessageFailure};
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use domain::Notification;
use domain::notification::Rendered;
use domain::ports::{Channel, Claim, Lease, Mailer, NotificationLedger, SendError, SmsSender};

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[];

/// How many messages of one batch are sent at once.
const CONCURRENCY: usize = 4;

/// How long a consumer may hold a notification before another may retry it. Longer
/// than one send takes, shorter than the queue's visibility timeout.
const LEASE: Duration = Duration::from_secs(30);

/// The consumer with its ports.
pub struct Notifier<L, M, S> {
    ledger: L,
    mailer: M,
    sms: S,
}

/// The consumer over AWS.
pub type AwsNotifier = Notifier<DynamoNotificationLedger, SesMailer, SnsSms>;

impl AwsNotifier {
    pub fn from_deps(deps: &Deps) -> Self {
        Notifier {
            ledger: deps.notification_ledger(),
            mailer: SesMailer::new(deps.ses.clone(), deps.resources.mail_from.clone()),
            sms: SnsSms::new(deps.sns.clone()),
        }
    }
}

/// What became of one message.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Sent before under the same notification id: nothing to do.
    Duplicate,
}

/// Why a notification was not sent, and whether trying again can help.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// It can never be sent. It is retried until the queue moves it to the DLQ, where it
    /// waits for a person; the reason is logged each time.
    #[error("undeliverable: {0}")]
    Undeliverable(String),
    /// It may be sent later.
    #[error("retry: {0}")]
    Retry(String),
}

impl MessageFailure for Failure {
    fn is_permanent(&self) -> bool {
        matches!(self, Failure::Undeliverable(_))
    }
}

impl<L: NotificationLedger, M: Mailer, S: SmsSender> Notifier<L, M, S> {
    /// Handles one SQS batch and reports the messages that failed, so that only those
    /// return to the queue (`ReportBatchItemFailures`).
    pub async fn handle(&self, event: SqsEvent) -> SqsBatchResponse {
        sqs_batch::each_message(
            event,
            CONCURRENCY,
            "notification",
            sqs_batch::json::<Notification>,
            |notification| async move {
                let id = notification.id.clone();
                let outcome = self.process(notification).await?;
                tracing::info!(%id, ?outcome, "notification done");
                Ok::<_, Failure>(())
            },
        )
        .await
    }

    async fn process(&self, notification: Notification) -> Result<Outcome, Failure> {
        let rendered = notification
            .render()
            .map_err(|e| Failure::Undeliverable(e.to_string()))?;
        let lease = match self.ledger.claim(&notification.id, LEASE).await {
            Ok(Claim::Claimed(lease)) => lease,
            Ok(Claim::AlreadySent) => return Ok(Outcome::Duplicate),
            Ok(Claim::HeldElsewhere) => {
                return Err(Failure::Retry(format!(
                    "{} is being sent by another consumer",
                    notification.id
                )));
            }
            Err(e) => return Err(Failure::Retry(format!("ledger: {e}"))),
        };
        match self.send(&lease, &rendered).await {
            Ok(()) => {
                self.ledger
                    .complete(&lease)
                    .await
                    .map_err(|e| Failure::Retry(format!("ledger: {e}")))?;
                Ok(Outcome::Sent)
            }
            Err(failure) => {
                if let Err(e) = self.ledger.release(&lease).await {
                    tracing::warn!(id = %notification.id, error = %e, "could not release the lease; it will run out");
                }
                Err(failure)
            }
        }
    }

    /// Sends on every channel not yet sent under an earlier lease.
    async fn send(&self, lease: &Lease, rendered: &Rendered) -> Result<(), Failure> {
        if let (Some(email), None) = (&rendered.email, &lease.email_message_id) {
            let id = self
                .mailer
                .send(email)
                .await
                .map_err(|e| send_failure("email", e))?;
            self.record(lease, Channel::Email, &id).await?;
        }
        if let (Some(sms), None) = (&rendered.sms, &lease.sms_message_id) {
            let id = self
                .sms
                .send(sms)
                .await
                .map_err(|e| send_failure("sms", e))?;
            self.record(lease, Channel::Sms, &id).await?;
        }
        Ok(())
    }

    async fn record(
        &self,
        lease: &Lease,
        channel: Channel,
        message_id: &str,
    ) -> Result<(), Failure> {
        self.ledger
            .record_sent(lease, channel, message_id)
            .await
            .map_err(|e| Failure::Retry(format!("ledger: {e}")))
    }
}

fn send_failure(channel: &str, error: SendError) -> Failure {
    match error {
        SendError::Rejected(reason) => {
            Failure::Undeliverable(format!("{channel} rejected: {reason}"))
        }
        SendError::Transient(source) => Failure::Retry(format!("{channel}: {source}")),
    }
}
