//! Notifications tests put on the queue themselves, as a producing function would.

use adapters::Queue;
use adapters::queue::SqsNotificationQueue;
use domain::notification::{NotificationId, Recipient, Template};
use domain::{EmailAddress, Lang, Notification, PhoneNumber};

use super::host::TestHost;

/// An activation code (305819, valid 10 minutes) for `email` and `phone` in `lang`,
/// under the notification id `id`.
pub fn activation_code(id: &str, email: &str, phone: &str, lang: Lang) -> Notification {
    Notification {
        id: NotificationId::parse(id).unwrap(),
        lang,
        to: Recipient {
            email: Some(EmailAddress::parse(email).unwrap()),
            phone: Some(PhoneNumber::parse(phone).unwrap()),
        },
        template: Template::ActivationCode {
            code: "305819".into(),
            valid_minutes: 10,
        },
    }
}

impl TestHost {
    /// A producer on the host's notifications queue.
    pub fn notification_queue(&self) -> SqsNotificationQueue {
        SqsNotificationQueue::new(self.deps.sqs.clone(), self.queue_url(Queue::Notifications))
    }
}
