//! Payments through the local processor on the dev host: orders, the checkout page, the
//! signed webhook, settlement behind the payments queue, and every way a callback can go
//! wrong (twice, out of order, late, wrong amount, badly signed, lost, poison), each with
//! its effect and no other.

use std::time::{Duration, Instant};

use adapters::Queue;
use adapters::processor::{CARD_SUCCEEDS, CARD_WEBHOOK_LOST};
use dev_host::DevHost;
use domain::payment::EventStatus;
use domain::ports::PaymentProcessor;
use reqwest::Method;
use serde_json::{Value, json};

use crate::ereg::{OWN_HOME, add_housing, form_from_prefill, host_with_pin, passport_scan, photo};
use crate::helpers::*;
use crate::operators::operator;

fn days_from_today(days: i64) -> String {
    (domain::clock::today_in_bishkek() + time::Duration::days(days)).to_string()
}

/// A host with a filled registration form (PIN included) for one guest.
async fn host_and_form(host: &DevHost) -> (String, String, Value) {
    let (email, token, _, pin) = host_with_pin(host).await;
    add_housing(host, &token, OWN_HOME).await;
    let (scan, _) = passport_scan(host, &token, 52).await;
    let photo = photo(host, &token).await;
    let mut form = form_from_prefill(host, &token, &scan, &photo, OWN_HOME).await;
    form["pin"] = json!(pin);
    (email, token, form)
}

/// Submits the form for the `slot`-th ten days from now (slots never overlap).
async fn submitted(host: &DevHost, token: &str, form: &Value, slot: i64) -> String {
    let mut form = form.clone();
    form["stay_from"] = json!(days_from_today(slot * 10));
    form["stay_to"] = json!(days_from_today(slot * 10 + 5));
    let (status, body) = api(
        host,
        Method::POST,
        "/v1/registrations",
        Some(token),
        Some(&form),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["registration"]["number"].as_str().unwrap().to_owned()
}

async fn order(host: &DevHost, token: &str, application: &str) -> (u16, Value) {
    api(
        host,
        Method::POST,
        "/v1/payments/orders",
        Some(token),
        Some(&json!({ "application": application })),
    )
    .await
}

async fn registration(host: &DevHost, token: &str, number: &str) -> Value {
    api(
        host,
        Method::GET,
        &format!("/v1/registrations/{number}"),
        Some(token),
        None,
    )
    .await
    .1
}

/// Pays on the checkout page with `card`; the page's heading.
async fn checkout(url: &str, card: &str) -> String {
    let page = reqwest::get(url).await.unwrap().text().await.unwrap();
    assert!(page.contains("Оплатить 103.00 KGS"), "{page}");
    let result = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("card={card}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = result.find("<h1>").unwrap() + 4;
    result[start..start + result[start..].find("</h1>").unwrap()].to_owned()
}

async fn outcomes(host: &DevHost, order_number: &str) -> Vec<String> {
    let mut entries = host.deps.orders().ledger_of(order_number).await.unwrap();
    entries.sort_by(|a, b| a.received_at.cmp(&b.received_at));
    entries.into_iter().map(|e| e.outcome.to_string()).collect()
}

/// Waits until the payments queue has nothing left, visible or in flight.
async fn settled_all(host: &DevHost) {
    let url = host.queue_url(Queue::Payments).to_owned();
    eventually(
        Duration::from_secs(30),
        "the payments queue to drain",
        || {
            let url = url.clone();
            async move { (queue_depth(host, &url).await == 0).then_some(()) }
        },
    )
    .await;
}

async fn paid_actions(host: &DevHost, number: &str) -> usize {
    host.deps
        .stays()
        .audit_of(number)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action == "paid")
        .count()
}

#[tokio::test]
async fn an_ereg_fee_is_paid_at_the_checkout_and_each_callback_has_only_its_effect() {
    let host = spawn_env().await;
    let (email, token, form) = host_and_form(&host).await;
    let number = submitted(&host, &token, &form, 0).await;

    let (status, first) = order(&host, &token, &number).await;
    assert_eq!(status, 200, "{first}");
    let order_number = first["order_number"].as_str().unwrap().to_owned();
    assert!(
        order_number.starts_with(&format!("{number}_")),
        "{order_number}"
    );
    assert_eq!(first["amount"], "103.00");
    assert_eq!(first["amount_minor"], 10_300);
    assert_eq!(first["status"], "pending");
    // One open order per application.
    let (_, again) = order(&host, &token, &number).await;
    assert_eq!(again["order_number"], order_number.as_str());
    let (_, stranger, _, _) = host_with_pin(&host).await;
    assert_eq!(order(&host, &stranger, &number).await.0, 404);
    assert_eq!(order(&host, &token, "12345").await.0, 404);
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/payments/orders",
        Some(&token),
        Some(&json!({})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["field"], "application");
    assert_eq!(body["errors"][0]["code"], "required");

    let heading = checkout(first["checkout_url"].as_str().unwrap(), CARD_SUCCEEDS).await;
    assert_eq!(heading, "Payment successful");
    eventually(Duration::from_secs(20), "the registration paid", || async {
        (registration(&host, &token, &number).await["status"] == "paid").then_some(())
    })
    .await;
    assert_eq!(outcomes(&host, &order_number).await, ["settled"]);
    let (status, body) = order(&host, &token, &number).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("not_payable")));
    let receipt = format!("Payment received for application {number}");
    eventually(Duration::from_secs(20), "the receipt", || async {
        emails_to(&email)
            .await
            .iter()
            .any(|m| m.subject == receipt)
            .then_some(())
    })
    .await;

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
    settled_all(&host).await;
    assert_eq!(
        outcomes(&host, &order_number).await,
        ["settled", "failure_after_success"]
    );
    assert_eq!(
        registration(&host, &token, &number).await["payment"],
        "paid"
    );
    assert_eq!(paid_actions(&host, &number).await, 1);

    // An event for an order nobody made is recorded as such and changes nothing.
    let stray = processor.event(
        "9999999999_1800000000",
        EventStatus::Succeeded,
        10_300,
        "KGS",
        success.occurred_at,
    );
    assert_eq!(processor.deliver(&stray).await.unwrap(), 200);
    settled_all(&host).await;
    assert_eq!(
        outcomes(&host, "9999999999_1800000000").await,
        ["unknown_order"]
    );

    // Bad signatures, replays, oversized bodies and signed bodies that are no event are
    // refused, and nothing is queued.
    let body = serde_json::to_vec(&success).unwrap();
    let now = domain::clock::now_secs();
    let signed_junk = br#"{"event_id":"evt_x"}"#.to_vec();
    let junk_signature = processor.sign(now, &signed_junk);
    assert_eq!(
        processor
            .deliver_raw(signed_junk, now, &junk_signature)
            .await
            .unwrap(),
        422
    );
    let forged = "00".repeat(32);
    assert_eq!(
        processor
            .deliver_raw(body.clone(), now, &forged)
            .await
            .unwrap(),
        401
    );
    let old = now - domain::payment::REPLAY_WINDOW_SECS - 1;
    let replay = processor.sign(old, &body);
    assert_eq!(
        processor
            .deliver_raw(body.clone(), old, &replay)
            .await
            .unwrap(),
        401
    );
    let huge = vec![b' '; domain::payment::WEBHOOK_MAX_BYTES + 1];
    let signed = processor.sign(now, &huge);
    assert_eq!(
        processor.deliver_raw(huge, now, &signed).await.unwrap(),
        413
    );
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
    assert_eq!(queue_depth(&host, host.queue_url(Queue::Payments)).await, 0);
    assert_eq!(outcomes(&host, &order_number).await.len(), 2);

    // The payer's view of the order.
    let (status, seen) = api(
        &host,
        Method::GET,
        &format!("/v1/payments/orders/{order_number}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!((status, seen["status"].as_str()), (200, Some("paid")));
    let (status, _) = api(
        &host,
        Method::GET,
        &format!("/v1/payments/orders/{order_number}"),
        Some(&stranger),
        None,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn late_wrong_lost_and_cancelled_payments_and_poison_messages() {
    let host = spawn_env().await;
    let (_, token, form) = host_and_form(&host).await;
    let processor = host.deps.processor.clone();
    let reconciler = payment_reconcile::Reconciler::from_deps(&host.deps);

    // A wrong amount is flagged and settles nothing; a payment after expiry goes back.
    let wrong = submitted(&host, &token, &form, 0).await;
    let (_, wrong_order) = order(&host, &token, &wrong).await;
    let wrong_order_number = wrong_order["order_number"].as_str().unwrap().to_owned();
    let expires_at = wrong_order["expires_at"].as_u64().unwrap();
    let short = processor.event(
        &wrong_order_number,
        EventStatus::Succeeded,
        100,
        "KGS",
        expires_at - 60,
    );
    assert_eq!(processor.deliver(&short).await.unwrap(), 200);
    settled_all(&host).await;
    assert_eq!(outcomes(&host, &wrong_order_number).await, ["wrong_amount"]);
    assert_eq!(
        registration(&host, &token, &wrong).await["payment"],
        "unpaid"
    );
    let late = processor.event(
        &wrong_order_number,
        EventStatus::Succeeded,
        10_300,
        "KGS",
        expires_at + 30,
    );
    assert_eq!(processor.deliver(&late).await.unwrap(), 200);
    settled_all(&host).await;
    assert_eq!(
        outcomes(&host, &wrong_order_number).await,
        ["wrong_amount", "late"]
    );
    let registration_after = registration(&host, &token, &wrong).await;
    assert_eq!(registration_after["status"], "awaiting_payment");
    let registrar = operator(&host, "registration_operator").await;
    let (status, flagged) = api(
        &host,
        Method::GET,
        "/v1/operator/payments/flagged",
        Some(&registrar),
        None,
    )
    .await;
    assert_eq!(status, 200, "{flagged}");
    let entry = &flagged["payments"][0];
    assert_eq!(entry["order_number"], wrong_order_number.as_str());
    assert_eq!(
        entry["flags"],
        json!(["payment_mismatch", "paid_after_expiry"])
    );
    assert_eq!(entry["refund_due"], true);
    assert_eq!(entry["status"], "expired");
    // The expired order gives way to a new one.
    let (_, renewed) = order(&host, &token, &wrong).await;
    assert_ne!(renewed["order_number"], wrong_order_number.as_str());

    // A webhook that never came: reconciliation asks the processor and settles.
    let lost = submitted(&host, &token, &form, 1).await;
    let (_, lost_order) = order(&host, &token, &lost).await;
    let heading = checkout(
        lost_order["checkout_url"].as_str().unwrap(),
        CARD_WEBHOOK_LOST,
    )
    .await;
    assert_eq!(heading, "Payment successful");
    // An order nobody paid expires in the same run.
    let unpaid = submitted(&host, &token, &form, 2).await;
    let (_, unpaid_order) = order(&host, &token, &unpaid).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        registration(&host, &token, &lost).await["payment"],
        "unpaid"
    );
    let after_sessions = unpaid_order["expires_at"].as_u64().unwrap() + 1;
    let run = reconciler.run_at(after_sessions).await.unwrap();
    // The renewed order of `wrong` also lapses unpaid.
    assert_eq!((run.settled, run.expired), (1, 2), "{run:?}");
    assert_eq!(registration(&host, &token, &lost).await["status"], "paid");
    let lost_number = lost_order["order_number"].as_str().unwrap();
    assert_eq!(outcomes(&host, lost_number).await, ["settled"]);
    let rerun = reconciler.run_at(after_sessions).await.unwrap();
    assert_eq!((rerun.settled, rerun.expired), (0, 0));

    // Paid for an application cancelled meanwhile: marked for refund and flagged.
    let cancelled = submitted(&host, &token, &form, 3).await;
    let (_, cancelled_order) = order(&host, &token, &cancelled).await;
    let (status, _) = api(
        &host,
        Method::POST,
        &format!("/v1/registrations/{cancelled}/cancel"),
        Some(&token),
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
        (registration(&host, &token, &cancelled).await["payment"] == "refund_due").then_some(())
    })
    .await;
    settled_all(&host).await;
    let order_record = host
        .deps
        .orders()
        .order(cancelled_order["order_number"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(order_record.refund_due);
    assert_eq!(order_record.flags, ["paid_after_cancellation"]);

    // Something that is no event reaches the DLQ and holds nothing up.
    host.deps
        .sqs
        .send_message()
        .queue_url(host.queue_url(Queue::Payments))
        .message_body("not an event")
        .send()
        .await
        .unwrap();
    let dlq = dlq_url(&host, Queue::Payments).await;
    let dead = eventually(
        Duration::from_secs(60),
        "the poison message in the DLQ",
        || {
            let (host, dlq) = (&host, dlq.clone());
            async move {
                let bodies = drain(host, &dlq).await;
                (!bodies.is_empty()).then_some(bodies)
            }
        },
    )
    .await;
    assert_eq!(dead, ["not an event"]);
}

#[tokio::test]
async fn fifty_duplicate_callbacks_at_once_settle_exactly_once() {
    let host = spawn_env().await;
    let (email, token, form) = host_and_form(&host).await;
    let number = submitted(&host, &token, &form, 0).await;
    let (_, placed) = order(&host, &token, &number).await;
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
    settled_all(&host).await;
    let drained = started.elapsed();
    println!(
        "webhook latency over 50 concurrent deliveries: p50 {:?}, p99 {:?}; 50 events settled (1 settlement, 49 duplicates) in {drained:?}",
        latencies[24], latencies[49]
    );

    assert_eq!(outcomes(&host, &order_number).await, ["settled"]);
    assert_eq!(paid_actions(&host, &number).await, 1);
    assert_eq!(registration(&host, &token, &number).await["status"], "paid");
    let receipt = format!("Payment received for application {number}");
    eventually(Duration::from_secs(20), "the receipt", || async {
        emails_to(&email)
            .await
            .iter()
            .any(|m| m.subject == receipt)
            .then_some(())
    })
    .await;
    // Give any stray duplicate time to be sent, then count.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let receipts = emails_to(&email)
        .await
        .iter()
        .filter(|m| m.subject == receipt)
        .count();
    assert_eq!(receipts, 1);
}
