//! A foreign individual entrepreneur's own permit over HTTP: "check availability" for
//! the passport of their account, the form with the patent, its payment, the HIV test
//! certificate and the registration talon ereg confirms, and a labour operator's
//! approval.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// A checked PDF of `kind` uploaded by the holder of `token`.
async fn checked_pdf(host: &TestHost, token: &str, kind: &str) -> String {
    let id = host.upload(token, kind, imaging::fixtures::pdf(1)).await;
    assert_eq!(host.checked(token, &id).await["status"], "checked");
    id
}

async fn availability(host: &TestHost, token: &str) -> Value {
    let (status, found) = host
        .api(
            Method::POST,
            "/v1/entrepreneur-permits/availability",
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, 200, "{found}");
    found
}

/// A foreign entrepreneur whose passport is the registered guest's (a valid stay
/// registration): (labour operator, their token, the talon's number, passport country,
/// passport number).
async fn registered_entrepreneur(host: &TestHost) -> (String, String, String, String, String) {
    let owner = host.host_with_pin().await;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    let registrar = host.operator("registration_operator").await;
    let (_, confirmed) = host
        .confirmed_registration(&owner.token, &guest.with_pin(), &registrar)
        .await;
    let talon = confirmed["registration_number"]
        .as_str()
        .unwrap()
        .to_owned();
    let (country, number) = (guest.document_country(), guest.document_number());
    let labour = host.operator("labour_operator").await;
    let me = host
        .signed_in_with_passport("foreign_entrepreneur", &labour, Some((&country, &number)))
        .await;
    (labour, me, talon, country, number)
}

#[tokio::test]
async fn an_entrepreneur_checks_availability_applies_with_a_patent_and_is_approved() {
    let host = spawn_env().await;
    let (labour, me, talon, country, number) = registered_entrepreneur(&host).await;
    assert_eq!(
        availability(&host, &me).await["reasons"][0]["code"],
        "holder_not_found"
    );
    host.border_knows(&country, &number).await;
    let found = availability(&host, &me).await;
    assert_eq!(
        (found["eligible"].clone(), found["reasons"].clone()),
        (json!(true), json!([]))
    );

    let mut form = json!({
        "place_of_stay": "Osh, Lenin street 5", "activity": "Retail of clothes",
        "patent_number": "PT-2026-0042", "patent_date": days_from_today(-3),
        "work_region": "osh_city", "market_name": "Kara-Suu market",
        "market_phone": "+996700123456",
        "registration_number": talon,
        "patent_payment": checked_pdf(&host, &me, "other").await,
        "hiv_certificate": checked_pdf(&host, &me, "hiv_certificate").await,
    });
    let (status, problem) = host
        .api(
            Method::POST,
            "/v1/entrepreneur-applications/check",
            Some(&me),
            Some(&form),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        codes_of(&problem),
        [("patent".to_owned(), "required".to_owned())]
    );
    form["patent"] = json!(checked_pdf(&host, &me, "licence").await);
    let (status, submitted) = host
        .api(
            Method::POST,
            "/v1/entrepreneur-applications",
            Some(&me),
            Some(&form),
        )
        .await;
    assert_eq!(status, 201, "{submitted}");
    let application = submitted["number"].as_str().unwrap().to_owned();
    assert!(application.starts_with("E-"), "{application}");
    assert_eq!(
        submitted["entrepreneur"]["holder"]["document_number"],
        json!(number)
    );
    assert_eq!(submitted["entrepreneur"]["market_name"], "Kara-Suu market");
    assert_eq!(
        availability(&host, &me).await["reasons"][0]["code"],
        "already_holds_permit"
    );

    let (status, approved) = host
        .decide_application(&labour, &application, "approve", &json!({}))
        .await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["status"], "confirmed");
    let (_, queue) = host
        .api(
            Method::GET,
            "/v1/operator/applications?kind=entrepreneur&status=confirmed",
            Some(&labour),
            None,
        )
        .await;
    assert_eq!(queue[0]["number"], json!(application));
}
