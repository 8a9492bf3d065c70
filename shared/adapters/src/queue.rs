//! Producers' side of the queues.

use anyhow::Context;
use domain::notification::{NotificationId, Recipient, Template};
use domain::{Lang, Notification};

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

    /// Builds and enqueues a notification; `id` names the event that causes it.
    pub async fn notify(
        &self,
        id: &str,
        lang: Lang,
        to: Recipient,
        template: Template,
    ) -> anyhow::Result<()> {
        let id = NotificationId::parse(id).with_context(|| format!("notification id {id:?}"))?;
        self.enqueue(&Notification {
            id,
            lang,
            to,
            template,
        })
        .await
        .context("enqueueing a notification")
    }
}

impl domain::ports::Notifier for SqsNotificationQueue {
    async fn notify(
        &self,
        id: &str,
        lang: Lang,
        to: Recipient,
        template: Template,
    ) -> Result<(), domain::PortFailure> {
        SqsNotificationQueue::notify(self, id, lang, to, template)
            .await
            .map_err(|err| domain::PortFailure::new("enqueueing a notification", err))
    }
}
