//! Producers' side of the queues.

use domain::Notification;

/// Puts notifications on the notifications queue.
#[derive(Debug, Clone)]
pub struct SqsNotificationQueue {
    client: aws_sdk_sqs::Client,
    url: String,
}

impl SqsNotificationQueue {
    pub fn new(client: aws_sdk_sqs::Client, url: impl Into<String>) -> Self {
        Self {
            client,
            url: url.into(),
        }
    }

    /// Enqueues one notification. Enqueuing the same notification id again is safe:
    /// the consumer sends each id once.
    pub async fn enqueue(&self, notification: &Notification) -> anyhow::Result<()> {
        let body = serde_json::to_string(notification)?;
        self.client
            .send_message()
            .queue_url(&self.url)
            .message_body(body)
            .send()
            .await?;
        Ok(())
    }
}
