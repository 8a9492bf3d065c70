//! The sample events in `events/` go through the functions as Lambda would deliver them:
//! one handler test per trigger (API Gateway, the authorizer, SQS, S3 via SQS, the
//! payments queue, the payment webhook, and each schedule). Where a sample needs what
//! only exists at test time, the test fills its placeholders (`events/README.md`).

use std::time::Duration;

use aws_lambda_events::sqs::SqsEvent;
use domain::document::DocumentStatus;
use reqwest::Method;
use serde_json::Value;
use tower::ServiceExt;

use crate::helpers::*;

const SQS_BATCH: &str = include_str!("../../../events/notifications/sqs-batch.json");
const CREATE_CHALLENGE: &str = include_str!("../../../events/sign-up/apigw-create-challenge.json");
const SIGN_IN: &str = include_str!("../../../events/sessions/apigw-sign-in.json");
const AUTHORIZER: &str = include_str!("../../../events/authorizer/request.json");
const REGISTER_HOST: &str = include_str!("../../../events/sign-up/apigw-register-host.json");
const PUBLIC_STATUS: &str = include_str!("../../../events/submissions/apigw-public-status.json");
const PHOTO_UPLOADED: &str = include_str!("../../../events/image-check/sqs-s3-object-created.json");
const SCAN_UPLOADED: &str = include_str!("../../../events/mrz-extract/sqs-s3-object-created.json");
const PAYMENT_EVENT: &str = include_str!("../../../events/payment-settle/sqs-processor-event.json");
const WEBHOOK: &str = include_str!("../../../events/payment-webhook/apigw-webhook.json");
/// A sample per HTTP function beyond those above, for measuring its cold start: its
/// router, the sample, and the status it answers with nobody signed in.
type App = fn(&adapters::Deps) -> axum::Router;
const MORE_HTTP_SAMPLES: [(App, &str, u16); 7] = [
    (
        applications::app,
        include_str!("../../../events/applications/apigw-quota-check.json"),
        401,
    ),
    (
        labour_review::app,
        include_str!("../../../events/labour-review/apigw-operator-queue.json"),
        401,
    ),
    (
        operators::app,
        include_str!("../../../events/operators/apigw-operator-accounts.json"),
        401,
    ),
    (
        payments::app,
        include_str!("../../../events/payments/apigw-order-status.json"),
        401,
    ),
    (
        printing::app,
        include_str!("../../../events/printing/apigw-verification-key.json"),
        200,
    ),
    (
        review::app,
        include_str!("../../../events/review/apigw-operator-queue.json"),
        401,
    ),
    (
        uploads::app,
        include_str!("../../../events/uploads/apigw-list-uploads.json"),
        401,
    ),
];
const STAY_EXPIRY: &str = include_str!("../../../events/stay-expiry/schedule.json");
const ALLOCATION_LAPSE: &str = include_str!("../../../events/allocation-lapse/schedule.json");
const DRAFT_SWEEP: &str = include_str!("../../../events/draft-sweep/schedule.json");
const PAYMENT_RECONCILE: &str = include_str!("../../../events/payment-reconcile/schedule.json");

#[tokio::test]
async fn the_sample_sqs_batch_is_sent_by_the_notifications_handler() {
    let host = spawn_env().await;
    let event: SqsEvent = serde_json::from_str(SQS_BATCH).unwrap();
    let response = notifications::AwsNotifier::from_deps(&host.deps)
        .handle(event)
        .await;
    assert!(response.batch_item_failures.is_empty());
    eventually(Duration::from_secs(5), "the sample emails", || async {
        (!emails_to("employer@example.kg").await.is_empty()
            && !emails_to("host@example.kg").await.is_empty())
        .then_some(())
    })
    .await;
}

#[tokio::test]
async fn the_sample_api_gateway_events_reach_the_registration_router() {
    let host = spawn_env().await;
    let request =
        lambda_http::request::from_str(CREATE_CHALLENGE).expect("an API Gateway v2 event");
    let response = sign_up::app(&host.deps).oneshot(request).await.unwrap();
    assert_eq!(response.status(), 201);

    // The sample registration names a made-up draft: refused as such, in Russian.
    let request = lambda_http::request::from_str(REGISTER_HOST).expect("an API Gateway v2 event");
    let response = sign_up::app(&host.deps).oneshot(request).await.unwrap();
    assert_eq!(response.status(), 422);
    assert_eq!(response.headers()["content-language"], "ru");
    let body = json_body(response).await;
    assert_eq!(body["errors"][0]["field"], "draft_token");
    assert_eq!(body["errors"][0]["code"], "draft_expired");
}

#[tokio::test]
async fn the_sample_sign_in_and_authorizer_events_run_through_their_functions() {
    let host = spawn_env().await;
    let request = lambda_http::request::from_str(SIGN_IN).expect("an API Gateway v2 event");
    let response = sessions::app(&host.deps).oneshot(request).await.unwrap();
    // Nobody has that account here: refused as any wrong login is.
    assert_eq!(response.status(), 401);

    let event: aws_lambda_events::apigw::ApiGatewayV2CustomAuthorizerV2Request =
        serde_json::from_str(AUTHORIZER).unwrap();
    let response = authorizer::Authorizer::from_deps(&host.deps)
        .handle(event)
        .await;
    assert!(
        response.is_authorized,
        "the authorizer never refuses; routes do"
    );
    assert_eq!(
        response.context,
        serde_json::json!({}),
        "an unknown token resolves to no principal"
    );
}

#[tokio::test]
async fn the_sample_public_status_request_is_answered_by_the_submissions_router() {
    let host = spawn_env().await;
    let request = lambda_http::request::from_str(PUBLIC_STATUS).expect("an API Gateway v2 event");
    let response = submissions::app(&host.deps).oneshot(request).await.unwrap();
    // Nothing is registered here for that passport: not found, in Russian.
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["content-language"], "ru");
    assert_eq!(json_body(response).await["code"], "registration_not_found");
}

#[tokio::test]
async fn every_other_http_function_answers_its_sample_as_problem_json_or_its_document() {
    let host = spawn_env().await;
    for (app, sample, status) in MORE_HTTP_SAMPLES {
        let request = lambda_http::request::from_str(sample).expect("an API Gateway v2 event");
        let path = request.uri().path().to_owned();
        let response = app(&host.deps).oneshot(request).await.unwrap();
        assert_eq!(response.status(), status, "{path}");
        let kind = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        let body = json_body(response).await;
        if status == 401 {
            assert_eq!(kind, "application/problem+json", "{path}");
            assert_eq!(body["code"], "unauthenticated", "{path}: {body}");
        } else {
            assert!(body["public_key"].is_string(), "{path}: {body}");
        }
    }
}

#[tokio::test]
async fn the_sample_s3_notification_of_a_photo_has_the_image_check_check_it() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let issued = host.upload_request(&token, "photo", "image/jpeg").await;
    let id = issued["document"]["upload_id"].as_str().unwrap().to_owned();
    // Nothing else may check the file: the host's own image check stops here.
    let deps = host.into_deps().await;
    let bytes = imaging::fixtures::portrait_jpeg();
    let size = bytes.len().to_string();
    let (bucket, key) = put_upload_file(&deps, &id, bytes).await;
    let sample = filled(
        PHOTO_UPLOADED,
        &[("BUCKET", &bucket), ("KEY", &key), ("SIZE", &size)],
    );
    let event: SqsEvent = serde_json::from_str(&sample).unwrap();

    let response = image_check::Inspector::from_deps(&deps).handle(event).await;
    assert!(response.batch_item_failures.is_empty());
    let record = deps.documents().get(&id).await.unwrap().unwrap();
    assert_eq!(record.status, DocumentStatus::Checked, "{record:?}");
    assert_eq!(record.size.map(|n| n.to_string()), Some(size));
    let copy = adapters::documents::DocumentRecord::print_copy_key(&id);
    let stored = deps.s3.head_object().bucket(&bucket).key(copy).send().await;
    assert!(stored.is_ok(), "the photo's print copy is stored");
}

#[tokio::test]
async fn the_sample_s3_notification_of_a_passport_scan_has_mrz_extract_read_its_zone() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let issued = host
        .upload_request(&token, "passport_scan", "image/jpeg")
        .await;
    let id = issued["document"]["upload_id"].as_str().unwrap().to_owned();
    let deps = host.into_deps().await;
    let scan = mrz_reader::synth::sample(GUEST_SCAN);
    let size = scan.jpeg.len().to_string();
    let (bucket, key) = put_upload_file(&deps, &id, scan.jpeg).await;
    assert!(key.starts_with("passport/"), "{key}");
    let sample = filled(
        SCAN_UPLOADED,
        &[("BUCKET", &bucket), ("KEY", &key), ("SIZE", &size)],
    );
    let event: SqsEvent = serde_json::from_str(&sample).unwrap();

    // As its main builds it: the image check that also reads zones.
    let check = mrz_extract::Inspector::from_deps(&deps);
    let response = check.handle(event).await;
    assert!(response.batch_item_failures.is_empty());
    let record = deps.documents().get(&id).await.unwrap().unwrap();
    assert_eq!(record.status, DocumentStatus::Checked, "{record:?}");
    let zone = record.mrz.expect("the zone is recorded");
    assert_eq!(zone.lines, scan.lines);
    assert!(zone.valid);
}

#[tokio::test]
async fn the_sample_payments_queue_message_is_settled_once_by_payment_settle() {
    let host = spawn_env().await;
    let payer = host.payer().await;
    let (status, order) = host.order(&payer.host.token, &payer.number).await;
    assert_eq!(status, 200, "{order}");
    let order_number = order["order_number"].as_str().unwrap();
    let now = domain::clock::now_secs().to_string();
    let sample = filled(
        PAYMENT_EVENT,
        &[("ORDER_NUMBER", order_number), ("OCCURRED_AT", &now)],
    );
    let settler = payment_settle::Settler::from_deps(&host.deps);

    let event: SqsEvent = serde_json::from_str(&sample).unwrap();
    let response = settler.handle(event).await;
    assert!(response.batch_item_failures.is_empty());
    assert_eq!(host.outcomes(order_number).await, ["settled"]);
    let seen = host.registration(&payer.host.token, &payer.number).await;
    assert_eq!(seen["status"], "paid");
    receipt_arrives(&payer.host.email, &payer.number).await;
    // The same message again (SQS delivers at least once): recorded once.
    let event: SqsEvent = serde_json::from_str(&sample).unwrap();
    assert!(settler.handle(event).await.batch_item_failures.is_empty());
    assert_eq!(host.outcomes(order_number).await, ["settled"]);
    assert_eq!(host.paid_actions(&payer.number).await, 1);
}

#[tokio::test]
async fn the_sample_webhook_request_is_verified_and_queued_by_payment_webhook() {
    let host = spawn_env().await;
    // Nothing else may take the event off the queue: the host's settlement stops here.
    let deps = host.into_deps().await;
    let raw: Value = serde_json::from_str(WEBHOOK).unwrap();
    let body = raw["body"].as_str().unwrap().to_owned();
    let now = domain::clock::now_secs();
    let secret = deps.settings.secrets.payment_webhook();
    let signature = domain::payment::sign(secret, now, body.as_bytes());
    let request = |signature: &str| {
        let sample = filled(
            WEBHOOK,
            &[("TIMESTAMP", &now.to_string()), ("SIGNATURE", signature)],
        );
        lambda_http::request::from_str(&sample).expect("an API Gateway v2 event")
    };
    let payments = deps.resources.queue_url(adapters::Queue::Payments);

    // Badly signed: refused, and nothing is queued.
    let response = payment_webhook::app(&deps)
        .oneshot(request(&"00".repeat(32)))
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(json_body(response).await["code"], "invalid_signature");
    assert!(drain(&deps, payments).await.is_empty());

    let response = payment_webhook::app(&deps)
        .oneshot(request(&signature))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        json_body(response).await,
        serde_json::json!({"received": true})
    );
    assert_eq!(drain(&deps, payments).await, [body]);
}

#[tokio::test]
async fn the_sample_schedule_has_stay_expiry_expire_a_registration_past_its_last_day() {
    let (host, printable) = printable_registration().await;
    host.valid(&printable).await;
    let yesterday = domain::clock::today_in_bishkek() - time::Duration::days(1);
    move_last_day(&host.deps, &printable.number, yesterday).await;
    let _event = schedule_event(STAY_EXPIRY);

    let expiry = stay_expiry::StayExpiry::from_deps(&host.deps);
    assert_eq!(expiry.run().await.unwrap().expired, 1);
    let seen = host
        .registration(&printable.host.token, &printable.number)
        .await;
    assert_eq!(seen["status"], "expired");
    assert_eq!(expiry.run().await.unwrap().expired, 0, "once");
}

#[tokio::test]
async fn the_sample_schedule_has_allocation_lapse_lapse_an_allocation_unpaid_past_its_window() {
    let host = spawn_env().await;
    let labour = host.operator("labour_operator").await;
    let employer = host.active_employer(&labour).await;
    let number = host.submitted_quota(&employer.token).await;
    let allocation = serde_json::json!({"protocol_number": "5", "decision_date": "2026-12-01", "allocated": [1, 1, 1]});
    let (status, _) = host
        .decide_application(&labour, &number, "confirm", &allocation)
        .await;
    assert_eq!(status, 200);
    let _event = schedule_event(ALLOCATION_LAPSE);

    // The clock moved: the day after the 90-day window.
    let lapse = allocation_lapse::AllocationLapse::from_deps(&host.deps);
    let today = domain::clock::today_in_bishkek();
    assert_eq!(lapse.run_on(today).await.unwrap().lapsed, 0, "not yet");
    let later = today + time::Duration::days(91);
    assert_eq!(lapse.run_on(later).await.unwrap().lapsed, 1);
    assert_eq!(lapse.run_on(later).await.unwrap().lapsed, 0, "once");
    let path = format!("/v1/applications/{number}");
    let (_, seen) = host
        .api(Method::GET, &path, Some(&employer.token), None)
        .await;
    assert_eq!(seen["fee"]["status"], "lapsed");
    assert_eq!(seen["allocation_usable"], false);
    let messages = host.messages(&employer.token, "en").await;
    let text = messages[0]["text"].as_str().unwrap();
    assert!(
        text.contains("the allocated quotas can no longer be used"),
        "{text}"
    );
    let (status, refused) = host.order(&employer.token, &number).await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (409, Some("not_payable"))
    );
}

#[tokio::test]
async fn the_sample_schedule_has_draft_sweep_delete_a_lapsed_draft_with_its_files() {
    let host = spawn_env().await;
    let draft = host.new_draft().await;
    let photo = host
        .draft_upload(&draft, "photo", imaging::fixtures::portrait_jpeg())
        .await;
    assert_eq!(
        host.draft_checked(&draft, &photo).await["status"],
        "checked"
    );
    // Nothing else may sweep meanwhile: the host's own schedule stops here.
    let deps = host.into_deps().await;
    let key = deps.documents().get(&photo).await.unwrap().unwrap().key;
    let lapsed = domain::document::draft::TTL_SECS + draft_sweep::GRACE_SECS + 60;
    backdate_drafts(&deps, lapsed).await;
    let _event = schedule_event(DRAFT_SWEEP);

    let sweep = draft_sweep::DraftSweep::from_deps(&deps);
    let swept = sweep.run().await.unwrap();
    assert_eq!((swept.drafts, swept.documents), (1, 1));
    assert!(deps.documents().get(&photo).await.unwrap().is_none());
    let bucket = deps.resources.bucket(adapters::Bucket::Uploads);
    let file = deps.s3.head_object().bucket(bucket).key(key).send().await;
    assert!(file.is_err(), "the file is deleted");
    assert_eq!(sweep.run().await.unwrap(), draft_sweep::Swept::default());
}

#[tokio::test]
async fn the_sample_schedule_has_payment_reconcile_settle_a_lost_webhook_and_expire_an_unpaid_order()
 {
    let host = spawn_env().await;
    let payer = host.payer().await;
    let token = &payer.host.token;
    let (_, lost) = host.order(token, &payer.number).await;
    let unpaid = host
        .submitted_registration(token, &payer.guest.in_slot(1))
        .await;
    let (_, unpaid) = host.order(token, &unpaid).await;
    // Nothing else may reconcile meanwhile: the host's own schedule stops here.
    let deps = host.into_deps().await;
    let lost = lost["order_number"].as_str().unwrap();
    let unpaid = unpaid["order_number"].as_str().unwrap();
    // Both sessions ended a minute ago; the first was paid while it was open, but the
    // processor's webhook never came.
    let ago = domain::payment::EREG_PAYMENT_SECS + 60;
    for order in [lost, unpaid] {
        backdate_order(&deps, order, ago).await;
    }
    let charged_at = domain::clock::now_secs() - ago;
    let card = adapters::processor::Card::WebhookLost;
    let charged = deps.processor.charge(lost, card, charged_at);
    assert!(charged.is_some(), "the processor knows the order");
    let _event = schedule_event(PAYMENT_RECONCILE);

    let reconciler = payment_reconcile::Reconciler::from_deps(&deps);
    let run = reconciler.run().await.unwrap();
    assert_eq!((run.settled, run.expired), (1, 1), "{run:?}");
    let store = deps.orders();
    let ledger = store.ledger_of(lost).await.unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].outcome.to_string(), "settled");
    let unpaid = store.order(unpaid).await.unwrap().unwrap();
    assert_eq!(unpaid.status, domain::payment::OrderStatus::Expired);
    let rerun = reconciler.run().await.unwrap();
    assert_eq!((rerun.settled, rerun.expired), (0, 0));
    // The lost payment reached the registration.
    let audit = deps.stays().audit_of(&payer.number).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "paid"), "{audit:?}");
}
