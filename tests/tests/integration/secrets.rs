//! The secrets a deployed function reads from Secrets Manager at its cold start.

use adapters::secrets::{Secret, Secrets};
use domain::secrets::SecretKey;

use crate::helpers::*;

/// Creates a secret under a fresh name and gives its ARN.
async fn put(client: &aws_sdk_secretsmanager::Client, value: &str) -> String {
    client
        .create_secret()
        .name(format!("test/{}", uuid::Uuid::new_v4()))
        .secret_string(value)
        .send()
        .await
        .expect("creating a secret")
        .arn
        .expect("the new secret's ARN")
}

#[tokio::test]
async fn a_function_reads_the_secrets_it_asks_for_by_their_ids_and_no_others() {
    let sdk = adapters::deps::local_sdk_config(&endpoint()).await;
    let client = aws_sdk_secretsmanager::Client::new(&sdk);
    let key_hex = "5e".repeat(32);
    let seed_hex = "a1".repeat(32);
    let key_id = put(&client, &key_hex).await;
    let seed_id = put(&client, &format!("{seed_hex}\n")).await;
    let webhook_id = put(&client, &"w".repeat(40)).await;
    let var = |name: &str| match name {
        "SECRET_KEY_SECRET_ID" => Some(key_id.clone()),
        "PRINT_SIGNING_KEY_SECRET_ID" => Some(seed_id.clone()),
        "PAYMENT_WEBHOOK_SECRET_SECRET_ID" => Some(webhook_id.clone()),
        _ => None,
    };

    let secrets = Secrets::load(&sdk, &[Secret::Key, Secret::PrintSigning], var).await;
    let expected = SecretKey::new(hex::decode(&key_hex).unwrap()).unwrap();
    assert_eq!(
        secrets.key().digest("otp", "123456"),
        expected.digest("otp", "123456")
    );
    assert_eq!(secrets.print_signing(), [0xa1; 32]);
    assert!(
        secrets.payment_webhook.is_none(),
        "a secret not asked for is not read"
    );

    // A value in the variable itself wins: a local run needs no Secrets Manager.
    let local = |name: &str| match name {
        "PAYMENT_WEBHOOK_SECRET" => Some("l".repeat(32)),
        other => var(other),
    };
    let secrets = Secrets::load(&sdk, &[Secret::PaymentWebhook], local).await;
    assert_eq!(secrets.payment_webhook(), "l".repeat(32).as_bytes());
}

#[tokio::test]
async fn a_malformed_secret_stops_the_cold_start_with_its_name() {
    let sdk = adapters::deps::local_sdk_config(&endpoint()).await;
    let client = aws_sdk_secretsmanager::Client::new(&sdk);
    let id = put(&client, "not hex at all, and too short").await;
    let var = move |name: &str| (name == "PRINT_SIGNING_KEY_SECRET_ID").then(|| id.clone());
    let started =
        tokio::spawn(async move { Secrets::load(&sdk, &[Secret::PrintSigning], var).await });
    let failure = started
        .await
        .expect_err("a malformed seed must not start a function");
    let message = failure
        .into_panic()
        .downcast::<String>()
        .map(|m| *m)
        .unwrap_or_default();
    assert!(message.contains("PRINT_SIGNING_KEY"), "{message}");
}
