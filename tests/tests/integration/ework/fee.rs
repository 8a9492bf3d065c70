//! The state fee of a confirmed quota application: due once the commission allocated
//! something, paid at the checkout quoting the application's number, and only then is
//! the allocation usable.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn the_fee_is_paid_at_the_checkout_and_only_then_is_the_allocation_usable() {
    let host = spawn_env().await;
    let labour = host.operator("labour_operator").await;
    let employer = host.active_employer(&labour).await;
    let number = host.submitted_quota(&employer.token).await;
    let (status, early) = host.order(&employer.token, &number).await;
    assert_eq!((status, early["code"].as_str()), (409, Some("not_payable")));

    let allocation = json!({"protocol_number": "17/2026", "decision_date": "2026-12-01", "allocated": [2, 0, 1]});
    let (_, confirmed) = host
        .decide_application(&labour, &number, "confirm", &allocation)
        .await;
    assert_eq!(confirmed["fee"]["status"], "due");
    assert_eq!(confirmed["fee"]["amount"]["amount_minor"], 300_000);
    assert_eq!(confirmed["allocation_usable"], false);
    let other = host.active_employer(&labour).await;
    let (status, theirs) = host.order(&other.token, &number).await;
    assert_eq!(
        (status, theirs["code"].as_str()),
        (404, Some("application_not_found"))
    );

    let (status, order) = host.order(&employer.token, &number).await;
    assert_eq!(status, 200, "{order}");
    let url = order["checkout_url"].as_str().unwrap();
    let heading = checkout_of(url, adapters::processor::CARD_SUCCEEDS, "3000.00 KGS").await;
    assert_eq!(heading, "Payment successful");
    let path = format!("/v1/applications/{number}");
    let paid = eventually(Duration::from_secs(20), "the fee recorded", || async {
        let (_, seen) = host
            .api(Method::GET, &path, Some(&employer.token), None)
            .await;
        (seen["fee"]["status"] == "paid").then_some(seen)
    })
    .await;
    assert_eq!(paid["allocation_usable"], true);
    receipt_arrives(&employer.email, &number).await;
    let (status, again) = host.order(&employer.token, &number).await;
    assert_eq!((status, again["code"].as_str()), (409, Some("not_payable")));
}
