//! The Digital Nomad status over HTTP: applied for with the identity the account gives
//! (patronymic included) and the income evidence, granted by a labour operator for the
//! configured period, printed as the electronic card whose QR code verifies, and
//! revoked.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

/// The form, every field valid but the income evidence.
fn nomad_form() -> serde_json::Value {
    json!({
        "organization": "Individual entrepreneur",
        "purpose": "Remote software development for clients abroad",
        "planned_entry": days_from_today(10),
    })
}

/// A Digital Nomad's application with a checked income statement, submitted:
/// (labour operator, the nomad's token, the application as submitted).
async fn submitted_nomad(host: &TestHost) -> (String, String, serde_json::Value) {
    let labour = host.operator("labour_operator").await;
    let nomad = host.signed_in_as("digital_nomad", &labour).await;
    let income = host
        .upload(&nomad, "income_evidence", imaging::fixtures::pdf(2))
        .await;
    assert_eq!(host.checked(&nomad, &income).await["status"], "checked");
    let mut form = nomad_form();
    form["income_evidence"] = json!(income);
    let (status, submitted) = host
        .api(
            Method::POST,
            "/v1/nomad-applications",
            Some(&nomad),
            Some(&form),
        )
        .await;
    assert_eq!(status, 201, "{submitted}");
    (labour, nomad, submitted)
}

#[tokio::test]
async fn a_digital_nomad_applies_with_the_accounts_identity_and_the_income_evidence() {
    let host = spawn_env().await;
    let (labour, nomad, submitted) = submitted_nomad(&host).await;
    let number = submitted["number"].as_str().unwrap().to_owned();
    assert!(number.starts_with("N-"), "{number}");
    assert_eq!(submitted["status"], "submitted");
    assert_eq!(submitted["nomad"]["identity"]["patronymic"], "KARLOVNA");
    assert_eq!(submitted["nomad"]["identity"]["document_country"], "D");
    let (status, problem) = host
        .api(
            Method::POST,
            "/v1/nomad-applications/check",
            Some(&nomad),
            Some(&nomad_form()),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        codes_of(&problem),
        [("income_evidence".to_owned(), "required".to_owned())]
    );
    let employer = host.active_employer(&labour).await;
    let (status, problem) = host
        .api(
            Method::POST,
            "/v1/nomad-applications",
            Some(&employer.token),
            Some(&nomad_form()),
        )
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (403, Some("not_for_account_type"))
    );
    let (status, queue) = host
        .api(
            Method::GET,
            "/v1/operator/applications?kind=nomad",
            Some(&labour),
            None,
        )
        .await;
    assert_eq!(status, 200, "{queue}");
    assert_eq!(queue[0]["number"], json!(number));
    let (status, theirs) = host
        .api(
            Method::GET,
            &format!("/v1/applications/{number}"),
            Some(&employer.token),
            None,
        )
        .await;
    assert_eq!(
        (status, theirs["code"].as_str()),
        (404, Some("application_not_found"))
    );
}

#[tokio::test]
async fn a_granted_status_prints_the_card_whose_qr_verifies_until_revoked() {
    let host = spawn_env().await;
    let (labour, nomad, submitted) = submitted_nomad(&host).await;
    let number = submitted["number"].as_str().unwrap().to_owned();
    let print = format!("/v1/applications/{number}/card");
    let (status, early) = host.api(Method::POST, &print, Some(&nomad), None).await;
    assert_eq!(
        (status, early["code"].as_str()),
        (409, Some("not_printable"))
    );
    let (status, granted) = host
        .decide_application(&labour, &number, "approve", &json!({}))
        .await;
    assert_eq!(status, 200, "{granted}");
    assert_eq!(granted["grant"]["valid_until"], json!(days_from_today(364)));
    let (status, printed) = host.api(Method::POST, &print, Some(&nomad), None).await;
    assert_eq!(status, 200, "{printed}");
    assert_eq!(
        printed["document_id"],
        format!("D{}", number.replace('-', ""))
    );
    let pdf = talon_pdf(&printed).await;
    if let Ok(keep) = std::env::var("KEEP_PAGE") {
        std::fs::write(format!("{keep}-card.png"), poppler("pdftoppm", &pdf)).unwrap();
    }
    let text = String::from_utf8(poppler("pdftotext", &pdf)).unwrap();
    for label in [
        "ЭЛЕКТРОННАЯ КАРТОЧКА ЦИФРОВОГО КОЧЕВНИКА",
        "MULLER ANNA KARLOVNA",
        number.as_str(),
    ] {
        assert!(text.contains(label), "{label:?} in {text}");
    }
    let url = qr_code_of(&pdf);
    let valid = verdict(&url).await;
    assert_eq!(
        (valid["status"].as_str(), valid["document_type"].as_str()),
        (Some("valid"), Some("digital_nomad_card"))
    );
    let reason = json!({"text": "The income evidence was not genuine"});
    let (status, _) = host
        .decide_application(&labour, &number, "revoke", &reason)
        .await;
    assert_eq!(status, 200);
    assert_eq!(verdict(&url).await["status"], "revoked");
    let (status, after) = host.api(Method::POST, &print, Some(&nomad), None).await;
    assert_eq!(
        (status, after["code"].as_str()),
        (409, Some("not_printable"))
    );
    let texts = host.messages(&nomad, "en").await;
    let text = texts[0]["text"].as_str().unwrap();
    assert!(
        text.contains("Your Digital Nomad status application for MULLER ANNA KARLOVNA is revoked"),
        "{text}"
    );
}
