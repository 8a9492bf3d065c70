//! The protocol extract of a confirmed quota application: printed by its employer only
//! once confirmed, its QR code verifying as valid, and as revoked once annulled.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn the_extract_of_a_confirmed_application_verifies_until_it_is_annulled() {
    let host = spawn_env().await;
    let labour = host.operator("labour_operator").await;
    let employer = host.active_employer(&labour).await;
    let number = host.submitted_quota(&employer.token).await;
    let print = format!("/v1/applications/{number}/extract");
    let (status, early) = host
        .api(Method::POST, &print, Some(&employer.token), None)
        .await;
    assert_eq!(
        (status, early["code"].as_str()),
        (409, Some("not_printable"))
    );
    let allocation = json!({"protocol_number": "17/2026", "decision_date": "2026-12-01", "allocated": [2, 0, 1]});
    let (status, _) = host
        .decide_application(&labour, &number, "confirm", &allocation)
        .await;
    assert_eq!(status, 200);
    let other = host.active_employer(&labour).await;
    let (status, _) = host
        .api(Method::POST, &print, Some(&other.token), None)
        .await;
    assert_eq!(status, 404);

    let (status, printed) = host
        .api(Method::POST, &print, Some(&employer.token), None)
        .await;
    assert_eq!(status, 200, "{printed}");
    assert_eq!(
        printed["document_id"],
        format!("E{}", number.replace('-', ""))
    );
    let pdf = talon_pdf(&printed).await;
    let text = String::from_utf8(poppler("pdftotext", &pdf)).unwrap();
    assert!(text.contains("17/2026"), "{text}");
    assert!(text.contains("ВЫПИСКА ИЗ ПРОТОКОЛА КОМИССИИ"), "{text}");
    let url = qr_code_of(&pdf);
    assert_eq!(url, printed["verify_url"].as_str().unwrap());
    let valid = verdict(&url).await;
    assert_eq!(valid["status"], "valid", "{valid}");
    assert_eq!(valid["document_type"], "protocol_extract");

    let reason = json!({"text": "The staff list was forged"});
    let (status, _) = host
        .decide_application(&labour, &number, "annul", &reason)
        .await;
    assert_eq!(status, 200);
    assert_eq!(verdict(&url).await["status"], "revoked");
    let (status, after) = host
        .api(Method::POST, &print, Some(&employer.token), None)
        .await;
    assert_eq!(
        (status, after["code"].as_str()),
        (409, Some("not_printable"))
    );
}
