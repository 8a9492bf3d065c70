//! Payments through the local processor on the dev host: orders, the checkout page, the
//! signed webhook, settlement behind the payments queue, and every way a callback can go
//! wrong (twice, out of order, late, wrong amount, badly signed, lost, poison), each with
//! its effect and no other.

use std::time::{Duration, Instant};

use adapters::Queue;
use adapters::processor::{CARD_SUCCEEDS, CARD_WEBHOOK_LOST};
use domain::payment::EventStatus;
use domain::ports::PaymentProcessor;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn one_order_is_open_per_application_and_only_for_its_host() {
    let host = spawn_env().await;
    let payer = host.payer().await;
    let (token, number) = (&payer.host.token, &payer.number);
    let (status, first) = host.order(token, number).await;
    assert_eq!(status, 200, "{first}");
    let order_number = first["order_number"].as_str().unwrap();
    assert!(
        order_number.starts_with(&format!("{number}_")),
        "{order_number}"
    );
    assert_eq!(first["amount"], "103.00");
    assert_eq!(first["amount_minor"], 10_300);
    assert_eq!(first["status"], "pending");
    // One open order per application.
    let (_, again) = host.order(token, number).await;
    assert_eq!(again["order_number"], order_number);
    let stranger = host.active_ereg_host().await.token;
    assert_eq!(host.order(&stranger, number).await.0, 404);
    assert_eq!(host.order(token, "12345").await.0, 404);
    let (status, body) = host
        .api(
            Method::POST,
            "/v1/payments/orders",
            Some(token),
            Some(&json!({})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["field"], "application");
    assert_eq!(body["errors"][0]["code"], "required");
}

#[tokio::test]
async fn a_payment_at_the_checkout_settles_the_registration_and_sends_a_receipt() {
    let host = spawn_env().await;
    let payer = host.payer().await;
    let (token, number) = (&payer.host.token, &payer.number);
    let (_, first) = host.order(token, number).await;
    let order_number = first["order_number"].as_str().unwrap();

    let heading = checkout(first["checkout_url"].as_str().unwrap(), CARD_SUCCEEDS).await;
    assert_eq!(heading, "Payment successful");
    eventually(Duration::from_secs(20), "the registration paid", || async {
        (host.registration(token, number).await["status"] == "paid").then_some(())
    })
    .await;
    assert_eq!(host.outcomes(order_number).await, ["settled"]);
    let (status, body) = host.order(token, number).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("not_payable")));
    receipt_arrives(&payer.host.email, number).await;

    // The payer's view of the order.
    let path = format!("/v1/payments/orders/{order_number}");
    let (status, seen) = host.api(Method::GET, &path, Some(token), None).await;
    assert_eq!((status, seen["status"].as_str()), (200, Some("paid")));
    let stranger = host.active_ereg_host().await.token;
    let (status, _) = host.api(Method::GET, &path, Some(&stranger), None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_repeated_success_and_a_later_failure_change_nothing_after_settlement() {
    let host = spawn_env().await;
    let payer = host.payer().await;
    let order_number = host.paid_at_checkout(&payer).await;
    assert_eq!(host.outcomes(&order_number).await, ["settled"]);

    // The same callback again: recorded once, settled once.
    let processor = host.deps.processor.clone();
    let success = processor.status(&order_number).await.unwrap().unwrap();
    assert_eq!(processor.deliver(&success).await.unwrap(), 200);
    // A failure reported after the success: recorded, but nothing is unpaid.
    let failure = processor.event(
        &order_number,
        EventStatus::Failed,
        10_300,
        "KGS",
        success.occurred_at + 5,
    );
    assert_eq!(processor.deliver(&failure).await.unwrap(), 200);
    host.settled_all().await;
    assert_eq!(
        host.outcomes(&order_number).await,
        ["settled", "failure_after_success"]
    );
    let seen = host.registration(&payer.host.token, &payer.number).await;
    assert_eq!(seen["payment"], "paid");
    assert_eq!(host.paid_actions(&payer.number).await, 1);
}

#[tokio::test]
async fn an_event_for_an_order_nobody_made_is_recorded_as_such() {
    let host = spawn_env().await;
    let processor = host.deps.processor.clone();
    let stray = processor.event(
        "9999999999_1800000000",
        EventStatus::Succeeded,
        10_300,
        "KGS",
        domain::clock::now_secs(),
    );
    assert_eq!(processor.deliver(&stray).await.unwrap(), 200);
    host.settled_all().await;
    assert_eq!(
        host.outcomes("9999999999_1800000000").await,
        ["unknown_order"]
    );
}

#[tokio::test]
async fn badly_signed_replayed_oversized_and_junk_webhooks_are_refused_and_queue_nothing() {
    let host = spawn_env().await;
    let payer = host.payer().await;
    let order_number = host.paid_at_checkout(&payer).await;
    host.settled_all().await;
    let processor = host.deps.processor.clone();
    let success = processor.status(&order_number).await.unwrap().unwrap();

    let body = serde_json::to_vec(&success).unwrap();
    let now = domain::clock::now_secs();
    let signed_junk = br#"{"event_id":"evt_x"}"#.to_vec();
    let junk_signature = processor.sign(now, &signed_junk);
    let deliver = |body: Vec<u8>, at: u64, signature: String| {
        let processor = processor.clone();
        async move { processor.deliver_raw(body, at, &signature).await.unwrap() }
    };
    assert_eq!(deliver(signed_junk, now, junk_signature).await, 422);
    assert_eq!(deliver(body.clone(), now, "00".repeat(32)).await, 401);
    let old = now - domain::payment::REPLAY_WINDOW_SECS - 1;
    assert_eq!(
        deliver(body.clone(), old, processor.sign(old, &body)).await,
        401
    );
    let huge = vec![b' '; domain::payment::WEBHOOK_MAX_BYTES + 1];
    let signed = processor.sign(now, &huge);
    assert_eq!(deliver(huge, now, signed).await, 413);
    let (status, problem) = {
        let response = reqwest::Client::new()
            .post(processor.webhook_url())
            .header("accept-language", "ru")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.json::<Value>().await.unwrap(),
        )
    };
    assert_eq!(
        (status, problem["code"].as_str()),
        (401, Some("invalid_signature"))
    );
    assert_eq!(host.queue_depth(host.queue_url(Queue::Payments)).await, 0);
    assert_eq!(host.outcomes(&order_number).await, ["settled"]);
}

#[tokio::test]
async fn a_wrong_amount_is_flagged_and_a_payment_after_expiry_goes_back() {
    let host = spawn_env().await;
    let payer = host.payer().await;
    let (token, wrong) = (&payer.host.token, &payer.number);
    let processor = host.deps.processor.clone();
    let (_, wrong_order) = host.order(token, wrong).await;
    let wrong_order_number = wrong_order["order_number"].as_str().unwrap();
    let expires_at = wrong_order["expires_at"].as_u64().unwrap();
    let short = processor.event(
        wrong_order_number,
        EventStatus::Succeeded,
        100,
        "KGS",
        expires_at - 60,
    );
    assert_eq!(processor.deliver(&short).await.unwrap(), 200);
    host.settled_all().await;
    assert_eq!(host.outcomes(wrong_order_number).await, ["wrong_amount"]);
    assert_eq!(host.registration(token, wrong).await["payment"], "unpaid");
    let late = processor.event(
        wrong_order_number,
        EventStatus::Succeeded,
        10_300,
        "KGS",
        expires_at + 30,
    );
    assert_eq!(processor.deliver(&late).await.unwrap(), 200);
    host.settled_all().await;
    assert_eq!(
        host.outcomes(wrong_order_number).await,
        ["wrong_amount", "late"]
    );
    let registration_after = host.registration(token, wrong).await;
    assert_eq!(registration_after["status"], "awaiting_payment");
    let registrar = host.operator("registration_operator").await;
    let (status, flagged) = host
        .api(
            Method::GET,
            "/v1/operator/payments/flagged",
            Some(&registrar),
            None,
        )
        .await;
    assert_eq!(status, 200, "{flagged}");
    let entry = &flagged["payments"][0];
    assert_eq!(entry["order_number"], wrong_order_number);
    assert_eq!(
        entry["flags"],
        json!(["payment_mismatch", "paid_after_expiry"])
    );
    assert_eq!(entry["refund_due"], true);
    assert_eq!(entry["status"], "expired");
    // The expired order gives way to a new one.
    let (_, renewed) = host.order(token, wrong).await;
    assert_ne!(renewed["order_number"], wrong_order_number);
}

#[tokio::test]
async fn reconciliation_settles_a_lost_webhook_and_expires_the_orders_nobody_paid() {
    let host = spawn_env().await;
    let payer = host.payer().await;
    let token = &payer.host.token;
    let reconciler = payment_reconcile::Reconciler::from_deps(&host.deps);

    // A webhook that never came: reconciliation asks the processor and settles.
    let lost = &payer.number;
    let (_, lost_order) = host.order(token, lost).await;
    let heading = checkout(
        lost_order["checkout_url"].as_str().unwrap(),
        CARD_WEBHOOK_LOST,
    )
    .await;
    assert_eq!(heading, "Payment successful");
    // Two orders nobody paid expire in the same run.
    let mut unpaid_order = Value::Null;
    for slot in [1, 2] {
        let unpaid = host
            .submitted_registration(token, &payer.guest.in_slot(slot))
            .await;
        unpaid_order = host.order(token, &unpaid).await.1;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(host.registration(token, lost).await["payment"], "unpaid");
    let after_sessions = unpaid_order["expires_at"].as_u64().unwrap() + 1;
    let run = reconciler.run_at(after_sessions).await.unwrap();
    assert_eq!((run.settled, run.expired), (1, 2), "{run:?}");
    assert_eq!(host.registration(token, lost).await["status"], "paid");
    let lost_number = lost_order["order_number"].as_str().unwrap();
    assert_eq!(host.outcomes(lost_number).await, ["settled"]);
    let rerun = reconciler.run_at(after_sessions).await.unwrap();
    assert_eq!((rerun.settled, rerun.expired), (0, 0));
}

#[tokio::test]
async fn a_payment_for_an_application_cancelled_meanwhile_is_marked_for_refund_and_flagged() {
    let host = spawn_env().await;
    let payer = host.payer().await;
    let (token, cancelled) = (&payer.host.token, &payer.number);
    let (_, cancelled_order) = host.order(token, cancelled).await;
    let (status, _) = host
        .api(
            Method::POST,
            &format!("/v1/registrations/{cancelled}/cancel"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, 200);
    checkout(
        cancelled_order["checkout_url"].as_str().unwrap(),
        CARD_SUCCEEDS,
    )
    .await;
    eventually(Duration::from_secs(20), "the refund mark", || async {
        (host.registration(token, cancelled).await["payment"] == "refund_due").then_some(())
    })
    .await;
    host.settled_all().await;
    let order_record = host
        .deps
        .orders()
        .order(cancelled_order["order_number"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(order_record.refund_due);
    assert_eq!(order_record.flags, ["paid_after_cancellation"]);
}

#[tokio::test]
async fn a_payments_message_that_is_no_event_reaches_the_dlq_and_holds_nothing_up() {
    let host = spawn_env().await;
    host.deps
        .sqs
        .send_message()
        .queue_url(host.queue_url(Queue::Payments))
        .message_body("not an event")
        .send()
        .await
        .unwrap();
    let dlq = host.dlq_url(Queue::Payments).await;
    let dead = eventually(
        Duration::from_secs(60),
        "the poison message in the DLQ",
        || {
            let (host, dlq) = (&host, dlq.clone());
            async move {
                let bodies = host.drain(&dlq).await;
                (!bodies.is_empty()).then_some(bodies)
            }
        },
    )
    .await;
    assert_eq!(dead, ["not an event"]);
    assert_eq!(host.queue_depth(host.queue_url(Queue::Payments)).await, 0);
}

#[tokio::test]
async fn fifty_duplicate_callbacks_at_once_settle_exactly_once() {
    let host = spawn_env().await;
    let payer = host.payer().await;
    let (token, number) = (&payer.host.token, &payer.number);
    let (_, placed) = host.order(token, number).await;
    let order_number = placed["order_number"].as_str().unwrap().to_owned();
    let processor = host.deps.processor.clone();
    let event = processor
        .charge(
            &order_number,
            adapters::processor::Card::Succeeds,
            domain::clock::now_secs(),
        )
        .unwrap();

    let started = Instant::now();
    let deliveries = (0..50).map(|_| {
        let (processor, event) = (processor.clone(), event.clone());
        async move {
            let sent = Instant::now();
            let status = processor.deliver(&event).await.unwrap();
            (status, sent.elapsed())
        }
    });
    let results = futures::future::join_all(deliveries).await;
    assert!(results.iter().all(|(status, _)| *status == 200));
    let mut latencies: Vec<Duration> = results.iter().map(|(_, d)| *d).collect();
    latencies.sort();
    host.settled_all().await;
    let drained = started.elapsed();
    println!(
        "webhook latency over 50 concurrent deliveries: p50 {:?}, p99 {:?}; 50 events settled (1 settlement, 49 duplicates) in {drained:?}",
        latencies[24], latencies[49]
    );

    assert_eq!(host.outcomes(&order_number).await, ["settled"]);
    assert_eq!(host.paid_actions(number).await, 1);
    assert_eq!(host.registration(token, number).await["status"], "paid");
    receipt_arrives(&payer.host.email, number).await;
    // Give any stray duplicate time to be sent, then count.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let receipt = format!("Payment received for application {number}");
    let receipts = emails_to(&payer.host.email)
        .await
        .iter()
        .filter(|m| m.subject == receipt)
        .count();
    assert_eq!(receipts, 1);
}
