//! A granted work permit over its life: printed by its employer, its QR code verifying
//! as valid; extended at the employer's request, so the former print verifies as
//! replaced and the new one as valid; an extension refused; and revoked, verifying as
//! revoked everywhere.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// A permit submitted for the registered guest and approved until `days` from today:
/// (employer, labour operator, its number).
async fn approved_permit(host: &TestHost, days: i64) -> (Account, String, String) {
    let (employer, labour, submitted, _, _) = host.submitted_permit().await;
    let number = submitted["number"].as_str().unwrap().to_owned();
    let print = format!("/v1/applications/{number}/permit");
    let (status, early) = host
        .api(Method::POST, &print, Some(&employer.token), None)
        .await;
    assert_eq!(
        (status, early["code"].as_str()),
        (409, Some("not_printable"))
    );
    let until = json!({"valid_until": days_from_today(days)});
    let (status, approved) = host
        .decide_application(&labour, &number, "approve", &until)
        .await;
    assert_eq!(status, 200, "{approved}");
    (employer, labour, number)
}

/// Prints permit `number` as the employer signed in with `token`: the answer and the
/// PDF's text and QR code.
async fn printed(host: &TestHost, token: &str, number: &str) -> (Value, String, String) {
    let print = format!("/v1/applications/{number}/permit");
    let (status, printed) = host.api(Method::POST, &print, Some(token), None).await;
    assert_eq!(status, 200, "{printed}");
    let pdf = talon_pdf(&printed).await;
    if let Ok(keep) = std::env::var("KEEP_PAGE") {
        // The page as printed, for the documentation.
        std::fs::write(format!("{keep}-permit.png"), poppler("pdftoppm", &pdf)).unwrap();
    }
    let text = String::from_utf8(poppler("pdftotext", &pdf)).unwrap();
    (printed, text, qr_code_of(&pdf))
}

#[tokio::test]
async fn a_printed_permit_verifies_until_an_extension_replaces_it_with_a_new_print() {
    let host = spawn_env().await;
    let (employer, labour, number) = approved_permit(&host, 100).await;
    let (first, text, url) = printed(&host, &employer.token, &number).await;
    assert_eq!(
        first["document_id"],
        format!("W{}", number.replace('-', ""))
    );
    assert_eq!(url, first["verify_url"].as_str().unwrap());
    for label in [
        "РАЗРЕШЕНИЕ НА РАБОТУ",
        "WORK PERMIT",
        number.as_str(),
        "WANG LEI",
        "welder",
    ] {
        assert!(text.contains(label), "{label:?} in {text}");
    }
    let valid = verdict(&url).await;
    assert_eq!(
        (valid["status"].as_str(), valid["document_type"].as_str()),
        (Some("valid"), Some("work_permit"))
    );
    assert_eq!(valid["valid_to"], json!(days_from_today(100)));
    assert!(valid.get("document_number").is_none(), "{valid}");

    let extension = format!("/v1/applications/{number}/extension");
    let far = json!({"valid_until": days_from_today(500)});
    let (status, problem) = host
        .api(Method::POST, &extension, Some(&employer.token), Some(&far))
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (409, Some("invalid_extension"))
    );
    let asked = json!({"valid_until": days_from_today(300)});
    let (status, pending) = host
        .api(
            Method::POST,
            &extension,
            Some(&employer.token),
            Some(&asked),
        )
        .await;
    assert_eq!(status, 200, "{pending}");
    assert_eq!(pending["status"], "extension_requested");
    assert_eq!(
        verdict(&url).await["status"],
        "valid",
        "valid while being decided"
    );
    let (status, extended) = host
        .decide_application(&labour, &number, "extend", &json!({}))
        .await;
    assert_eq!(status, 200, "{extended}");
    assert_eq!(
        extended["grant"]["valid_until"],
        json!(days_from_today(300))
    );
    let replaced = verdict(&url).await;
    assert_eq!(
        (replaced["status"].as_str(), replaced["reason"].as_str()),
        (Some("revoked"), Some("superseded"))
    );
    let (second, _, new_url) = printed(&host, &employer.token, &number).await;
    assert!(second["version"].as_u64() > first["version"].as_u64());
    let renewed = verdict(&new_url).await;
    assert_eq!(renewed["status"], "valid", "{renewed}");
    assert_eq!(renewed["valid_to"], json!(days_from_today(300)));
    let texts = host.messages(&employer.token, "en").await;
    let text = texts[0]["text"].as_str().unwrap();
    assert!(
        text.contains(&format!("extended until {}", days_from_today(300))),
        "{text}"
    );
}

#[tokio::test]
async fn an_extension_may_be_refused_and_a_revoked_permit_verifies_as_revoked() {
    let host = spawn_env().await;
    let (employer, labour, number) = approved_permit(&host, 100).await;
    let (_, _, url) = printed(&host, &employer.token, &number).await;
    let other = host.active_employer(&labour).await;
    let print = format!("/v1/applications/{number}/permit");
    let (status, _) = host
        .api(Method::POST, &print, Some(&other.token), None)
        .await;
    assert_eq!(status, 404, "another employer's permit is not found");
    let (status, problem) = host
        .decide_application(&labour, &number, "extend", &json!({}))
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (409, Some("extension_not_requested"))
    );
    let extension = format!("/v1/applications/{number}/extension");
    let asked = json!({"valid_until": days_from_today(200)});
    let (status, _) = host
        .api(
            Method::POST,
            &extension,
            Some(&employer.token),
            Some(&asked),
        )
        .await;
    assert_eq!(status, 200);
    let why = json!({"text": "The employment contract ends sooner"});
    let (status, refused) = host
        .decide_application(&labour, &number, "refuse-extension", &why)
        .await;
    assert_eq!(status, 200, "{refused}");
    assert_eq!(refused["status"], "confirmed");
    assert_eq!(refused["extension"]["refusal"], why["text"]);
    assert_eq!(refused["grant"]["valid_until"], json!(days_from_today(100)));
    assert_eq!(verdict(&url).await["status"], "valid");

    let reason = json!({"text": "The diploma was forged"});
    let (status, revoked) = host
        .decide_application(&labour, &number, "revoke", &reason)
        .await;
    assert_eq!(status, 200, "{revoked}");
    assert_eq!(revoked["revocation_reason"], reason["text"]);
    let verdict_now = verdict(&url).await;
    assert_eq!(
        (
            verdict_now["status"].as_str(),
            verdict_now["reason"].as_str()
        ),
        (Some("revoked"), Some("revoked"))
    );
    let (status, after) = host
        .api(Method::POST, &print, Some(&employer.token), None)
        .await;
    assert_eq!(
        (status, after["code"].as_str()),
        (409, Some("not_printable"))
    );
    let (status, again) = host
        .decide_application(&labour, &number, "revoke", &reason)
        .await;
    assert_eq!(
        (status, again["code"].as_str()),
        (409, Some("not_revocable"))
    );
    email_with_subject(
        &employer.email,
        &format!("Application {number}: Permit revoked"),
    )
    .await;
    // The foreigner hears of it at the email of their stay registration, in English.
    email_with_subject(
        "guest@example.com",
        &format!("Work permit {number}: revoked"),
    )
    .await;
}

#[tokio::test]
async fn an_extension_without_its_new_last_day_is_refused_at_its_field() {
    let host = spawn_env().await;
    let (employer, _, number) = approved_permit(&host, 100).await;
    let extension = format!("/v1/applications/{number}/extension");
    let (status, problem) = host
        .api(
            Method::POST,
            &extension,
            Some(&employer.token),
            Some(&json!({})),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        codes_of(&problem),
        [("valid_until".to_owned(), "required".to_owned())]
    );
    let (_, seen) = host
        .api(
            Method::GET,
            &format!("/v1/applications/{number}"),
            Some(&employer.token),
            None,
        )
        .await;
    assert_eq!(seen["status"], "confirmed", "nothing changed: {seen}");
}
