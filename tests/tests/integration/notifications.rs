//! The notifications function end to end: queue → dev host → SESv2 and SNS, read back
//! from the emulator.

use std::time::Duration;

use adapters::Queue;
use adapters::queue::SqsNotificationQueue;
use domain::notification::{NotificationId, Recipient, Template};
use domain::{EmailAddress, Lang, Notification, PhoneNumber};

use crate::helpers::*;

fn activation_code(id: &str, email: &str, phone: &str, lang: Lang) -> Notification {
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

fn producer(host: &dev_host::DevHost) -> SqsNotificationQueue {
    SqsNotificationQueue::new(host.deps.sqs.clone(), host.queue_url(Queue::Notifications))
}

#[tokio::test]
async fn a_notification_is_sent_by_email_and_sms_in_the_recipients_language() {
    let host = spawn_env().await;
    let (email, phone) = (unique_email(), unique_phone());
    let id = format!("activation-code:{}", uuid::Uuid::new_v4());
    producer(&host)
        .enqueue(&activation_code(&id, &email, &phone, Lang::Ru))
        .await
        .unwrap();

    let sent = eventually(Duration::from_secs(20), "the email", || async {
        let sent = emails_to(&email).await;
        (!sent.is_empty()).then_some(sent)
    })
    .await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].subject, "Код активации личного кабинета");
    assert!(sent[0].html.contains("305819"));
    assert!(sent[0].html.contains("lang=\"ru\""));

    let sms = eventually(Duration::from_secs(10), "the SMS", || async {
        let sms = sms_to(&phone).await;
        (!sms.is_empty()).then_some(sms)
    })
    .await;
    assert_eq!(
        sms,
        vec!["Код активации: 305819. Действует 10 мин. Никому не сообщайте.".to_owned()]
    );
}

#[tokio::test]
async fn a_notification_enqueued_twice_is_sent_once() {
    let host = spawn_env().await;
    let (email, phone) = (unique_email(), unique_phone());
    let notification = activation_code(
        &format!("activation-code:{}", uuid::Uuid::new_v4()),
        &email,
        &phone,
        Lang::En,
    );
    let queue = producer(&host);
    // The same notification from two producers (or one producer retrying) ...
    queue.enqueue(&notification).await.unwrap();
    queue.enqueue(&notification).await.unwrap();
    // ... and once more after the first copies were handled.
    let notifications_url = host.queue_url(Queue::Notifications).to_owned();
    eventually(Duration::from_secs(20), "both copies consumed", || async {
        (queue_depth(&host, &notifications_url).await == 0 && !emails_to(&email).await.is_empty())
            .then_some(())
    })
    .await;
    queue.enqueue(&notification).await.unwrap();
    eventually(
        Duration::from_secs(20),
        "the third copy consumed",
        || async { (queue_depth(&host, &notifications_url).await == 0).then_some(()) },
    )
    .await;

    assert_eq!(
        emails_to(&email).await.len(),
        1,
        "one email for three copies"
    );
    assert_eq!(sms_to(&phone).await.len(), 1, "one SMS for three copies");
    let dlq = dlq_url(&host, Queue::Notifications).await;
    assert_eq!(
        queue_depth(&host, &dlq).await,
        0,
        "duplicates are not failures"
    );
}

#[tokio::test]
async fn distinct_notifications_to_one_person_are_each_sent() {
    let host = spawn_env().await;
    let (email, phone) = (unique_email(), unique_phone());
    let queue = producer(&host);
    for n in 0..3 {
        let id = format!("activation-code:{}:{n}", uuid::Uuid::new_v4());
        queue
            .enqueue(&activation_code(&id, &email, &phone, Lang::Ky))
            .await
            .unwrap();
    }
    let sent = eventually(Duration::from_secs(20), "three emails", || async {
        let sent = emails_to(&email).await;
        (sent.len() == 3).then_some(sent)
    })
    .await;
    assert!(
        sent.iter()
            .all(|m| m.subject == "Жеке кабинетти активдештирүү коду")
    );
    eventually(Duration::from_secs(10), "three SMS", || async {
        (sms_to(&phone).await.len() == 3).then_some(())
    })
    .await;
}

#[tokio::test]
async fn poison_messages_reach_the_dlq_while_the_rest_of_their_batch_is_sent() {
    let host = spawn_env().await;
    let url = host.queue_url(Queue::Notifications).to_owned();
    let (good_a, good_b) = (unique_email(), unique_email());
    let phone = unique_phone();
    let good = |email: &str| {
        serde_json::to_string(&activation_code(
            &format!("activation-code:{}", uuid::Uuid::new_v4()),
            email,
            &phone,
            Lang::En,
        ))
        .unwrap()
    };
    let mut bad_address: serde_json::Value = serde_json::from_str(&good(&good_a)).unwrap();
    bad_address["to"]["email"] = "not-an-address".into();
    let bad_address = bad_address.to_string();
    let bodies = [
        good(&good_a),
        bad_address.clone(),
        "{ this is not json".to_owned(),
        good(&good_b),
    ];

    // One SendMessageBatch, so the consumer gets them together.
    let entries = bodies
        .iter()
        .enumerate()
        .map(|(i, body)| {
            aws_sdk_sqs::types::SendMessageBatchRequestEntry::builder()
                .id(i.to_string())
                .message_body(body)
                .build()
                .unwrap()
        })
        .collect();
    host.deps
        .sqs
        .send_message_batch()
        .queue_url(&url)
        .set_entries(Some(entries))
        .send()
        .await
        .unwrap();

    let dlq = dlq_url(&host, Queue::Notifications).await;
    // Five receives two seconds apart, then the DLQ.
    eventually(
        Duration::from_secs(60),
        "two poison messages in the DLQ",
        || async { (queue_depth(&host, &dlq).await == 2).then_some(()) },
    )
    .await;
    let mut dead = drain(&host, &dlq).await;
    dead.sort();
    let mut expected = vec![bad_address, "{ this is not json".to_owned()];
    expected.sort();
    assert_eq!(dead, expected);

    assert_eq!(emails_to(&good_a).await.len(), 1);
    assert_eq!(emails_to(&good_b).await.len(), 1);
    assert!(emails_to("not-an-address").await.is_empty());
    assert_eq!(queue_depth(&host, &url).await, 0);
}
