//! The notifications function end to end: queue → dev host → SESv2 and SNS, read back
//! from the emulator.

use std::time::Duration;

use adapters::Queue;
use domain::Lang;

use crate::helpers::*;

#[tokio::test]
async fn a_notification_is_sent_by_email_and_sms_in_the_recipients_language() {
    let host = spawn_env().await;
    let (email, phone) = (unique_email(), unique_phone());
    let id = format!("activation-code:{}", uuid::Uuid::new_v4());
    host.notification_queue()
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
    let queue = host.notification_queue();
    // The same notification from two producers (or one producer retrying) ...
    queue.enqueue(&notification).await.unwrap();
    queue.enqueue(&notification).await.unwrap();
    // ... and once more after the first copies were handled.
    let notifications_url = host.queue_url(Queue::Notifications).to_owned();
    eventually(Duration::from_secs(20), "both copies consumed", || async {
        (host.queue_depth(&notifications_url).await == 0 && !emails_to(&email).await.is_empty())
            .then_some(())
    })
    .await;
    queue.enqueue(&notification).await.unwrap();
    eventually(
        Duration::from_secs(20),
        "the third copy consumed",
        || async { (host.queue_depth(&notifications_url).await == 0).then_some(()) },
    )
    .await;

    assert_eq!(
        emails_to(&email).await.len(),
        1,
        "one email for three copies"
    );
    assert_eq!(sms_to(&phone).await.len(), 1, "one SMS for three copies");
    let dlq = host.dlq_url(Queue::Notifications).await;
    assert_eq!(
        host.queue_depth(&dlq).await,
        0,
        "duplicates are not failures"
    );
}

#[tokio::test]
async fn distinct_notifications_to_one_person_are_each_sent() {
    let host = spawn_env().await;
    let (email, phone) = (unique_email(), unique_phone());
    let queue = host.notification_queue();
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

    let dlq = host.dlq_url(Queue::Notifications).await;
    // Five receives two seconds apart, then the DLQ.
    eventually(
        Duration::from_secs(60),
        "two poison messages in the DLQ",
        || async { (host.queue_depth(&dlq).await == 2).then_some(()) },
    )
    .await;
    let mut dead = host.drain(&dlq).await;
    dead.sort();
    let mut expected = vec![bad_address, "{ this is not json".to_owned()];
    expected.sort();
    assert_eq!(dead, expected);

    assert_eq!(emails_to(&good_a).await.len(), 1);
    assert_eq!(emails_to(&good_b).await.len(), 1);
    assert!(emails_to("not-an-address").await.is_empty());
    assert_eq!(host.queue_depth(&url).await, 0);
}
