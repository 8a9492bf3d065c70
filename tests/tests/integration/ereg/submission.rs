//! Checking and submitting a registration: the form filled from the scan checks clean
//! with its fee, submitting takes the host's own PIN, and what a host gets wrong is
//! named field by field.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_form_filled_from_the_scan_checks_clean_and_names_the_fee() {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    let (status, checked_form) = host
        .api(
            Method::POST,
            "/v1/registrations/check",
            Some(&owner.token),
            Some(&guest.form),
        )
        .await;
    assert_eq!(status, 200, "{checked_form}");
    assert_eq!(checked_form["flags"], json!([]));
    assert_eq!(checked_form["fee"]["amount"], "103.00");
    assert_eq!(checked_form["fee"]["amount_minor"], 10_300);
}

#[tokio::test]
async fn submitting_needs_the_right_pin_and_answers_the_number_to_pay_for() {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    let (status, body) = host
        .api(
            Method::POST,
            "/v1/registrations",
            Some(&owner.token),
            Some(&guest.form),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(codes_of(&body), [("pin".into(), "required".into())]);
    let mut wrong_pin = guest.form.clone();
    wrong_pin["pin"] = json!(wrong_code(&owner.pin));
    let (status, body) = host
        .api_lang(
            Method::POST,
            "/v1/registrations",
            Some(&owner.token),
            Some(&wrong_pin),
            "ru",
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["detail"], "Неверный ПИН-код.");
    let (status, submitted) = host
        .api(
            Method::POST,
            "/v1/registrations",
            Some(&owner.token),
            Some(&guest.with_pin()),
        )
        .await;
    assert_eq!(status, 201, "{submitted}");
    assert_eq!(submitted["next"], "pay");
    let registration = &submitted["registration"];
    assert_eq!(registration["number"].as_str().unwrap().len(), 10);
    assert_eq!(registration["status"], "awaiting_payment");
    assert_eq!(registration["payment"], "unpaid");
    let document_number = guest.document_number();
    assert_eq!(
        registration["guest"]["document_number"],
        format!(
            "{}***{}",
            &document_number[..2],
            &document_number[document_number.len() - 2..]
        )
    );
}

#[tokio::test]
async fn a_submitted_registration_holds_its_scan_and_its_days() {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    host.submitted_registration(&owner.token, &guest.with_pin())
        .await;

    // What a submitted registration names stays as it was.
    let (status, body) = host
        .api(
            Method::DELETE,
            &format!("/v1/uploads/{}", guest.scan),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("document_in_use"))
    );
    // The same passport cannot be registered twice for the same days.
    let (status, body) = host
        .api(
            Method::POST,
            "/v1/registrations/check",
            Some(&owner.token),
            Some(&guest.form),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        codes_of(&body),
        [("stay_from".into(), "stay_overlaps".into())]
    );
}

#[tokio::test]
async fn dates_a_host_gets_wrong_are_named_together_and_so_is_an_expired_passport() {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    let mut bad = guest.form.clone();
    bad["stay_from"] = json!(days_from_today(-30));
    bad["entry_date"] = json!(days_from_today(3));
    bad["stay_to"] = json!("2099-01-01");
    bad["patronymic"] = json!("Ivanovich");
    bad["purpose"] = json!("smuggling");
    let check = "/v1/registrations/check";
    let (status, body) = host
        .api(Method::POST, check, Some(&owner.token), Some(&bad))
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        sorted_codes_of(&body),
        [
            ("entry_date".into(), "entry_date_in_future".into()),
            ("patronymic".into(), "not_expected".into()),
            ("purpose".into(), "invalid_purpose".into()),
            ("stay_from".into(), "stay_before_entry".into()),
            ("stay_from".into(), "stay_start_too_early".into()),
            ("stay_to".into(), "stay_beyond_passport".into()),
        ]
    );
    let mut expired = guest.form.clone();
    expired["document_expires"] = json!(days_from_today(-1));
    expired["stay_to"] = json!(days_from_today(-1));
    let (_, body) = host
        .api(Method::POST, check, Some(&owner.token), Some(&expired))
        .await;
    assert!(codes_of(&body).contains(&("document_expires".into(), "document_expired".into())));
}

#[tokio::test]
async fn another_host_can_use_neither_this_hosts_housing_nor_its_documents() {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let stranger = host.active_ereg_host().await.token;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    let (status, body) = host
        .api(
            Method::POST,
            "/v1/registrations/check",
            Some(&stranger),
            Some(&guest.form),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        sorted_codes_of(&body),
        [
            ("housing_code".into(), "housing_not_found".into()),
            ("passport_scan".into(), "document_not_found".into()),
            ("photo".into(), "document_not_found".into()),
        ]
    );
}

#[tokio::test]
async fn another_hosts_pin_does_not_submit_and_its_archive_stays_empty() {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let stranger = host.host_with_pin().await;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    host.submitted_registration(&owner.token, &guest.in_slot(0))
        .await;

    let (_, theirs) = host
        .api(
            Method::GET,
            "/v1/registrations",
            Some(&stranger.token),
            None,
        )
        .await;
    assert_eq!(theirs["registrations"], json!([]));
    let mut wrong_pin = guest.in_slot(1);
    wrong_pin["pin"] = json!(stranger.pin);
    if stranger.pin != owner.pin {
        let (status, _) = host
            .api(
                Method::POST,
                "/v1/registrations",
                Some(&owner.token),
                Some(&wrong_pin),
            )
            .await;
        assert_eq!(status, 422);
    }
}

#[tokio::test]
async fn wrong_pins_are_counted_and_then_made_to_wait() {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    let mut form = guest.form.clone();
    form["pin"] = json!(wrong_code(&owner.pin));
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(
            host.api(
                Method::POST,
                "/v1/registrations",
                Some(&owner.token),
                Some(&form),
            )
            .await
            .0,
        );
    }
    assert_eq!(statuses, [422, 422, 422, 422, 422, 429]);
    // Even the right PIN waits now.
    let (status, body) = host
        .api(
            Method::POST,
            "/v1/registrations",
            Some(&owner.token),
            Some(&guest.with_pin()),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("too_many_attempts"))
    );
    // Nothing was saved, and the scan can still be replaced.
    let (_, archive) = host
        .api(Method::GET, "/v1/registrations", Some(&owner.token), None)
        .await;
    assert_eq!(archive["registrations"], json!([]));
    let (status, _) = host
        .api(
            Method::PUT,
            &format!("/v1/uploads/{}", guest.scan),
            Some(&owner.token),
            Some(&json!({"kind": "passport_scan", "content_type": "image/jpeg"})),
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn another_hosts_registration_of_the_passport_is_not_disclosed_but_flagged_for_the_operator()
{
    let host = spawn_env().await;
    let first = host.host_with_pin().await;
    let guest = host.guest_form(&first, GUEST_SCAN).await;
    host.submitted_registration(&first.token, &guest.with_pin())
        .await;
    // A second host registers the same passport for the same days.
    let second = host.host_with_pin().await;
    let theirs = host.guest_form(&second, GUEST_SCAN).await;
    let (status, checked) = host
        .api(
            Method::POST,
            "/v1/registrations/check",
            Some(&second.token),
            Some(&theirs.form),
        )
        .await;
    assert_eq!(status, 200, "{checked}");
    assert!(!checked.to_string().contains("stay_overlaps"), "{checked}");
    let number = host
        .submitted_registration(&second.token, &theirs.with_pin())
        .await;
    let seen = host.registration(&second.token, &number).await;
    assert!(!seen.to_string().contains("stay_overlaps"), "{seen}");
    // The operator sees it before deciding.
    let registrar = host.operator("registration_operator").await;
    let (status, review) = host
        .api(
            Method::GET,
            &format!("/v1/operator/registrations/{number}"),
            Some(&registrar),
            None,
        )
        .await;
    assert_eq!(status, 200, "{review}");
    assert!(review.to_string().contains("stay_overlaps"), "{review}");
}

#[tokio::test]
async fn a_passport_of_unspecified_sex_registers_as_x_from_its_zone() {
    let host = spawn_env_with(|config| config.ereg.auto_confirm = true).await;
    let owner = host.host_with_pin().await;
    // Synthetic sample 102: a TD3 zone whose sex is `<`, unspecified.
    let guest = host.guest_form(&owner, 102).await;
    assert_eq!(guest.lines[1].as_bytes()[20], b'<');
    assert_eq!(guest.form["sex"], "X");
    let (status, checked) = host
        .api(
            Method::POST,
            "/v1/registrations/check",
            Some(&owner.token),
            Some(&guest.form),
        )
        .await;
    assert_eq!((status, &checked["flags"]), (200, &json!([])), "{checked}");
    // Nothing to flag: `X` typed agrees with the zone's `<`, so it confirms itself.
    let number = host
        .submitted_registration(&owner.token, &guest.with_pin())
        .await;
    let valid = host.pay(&number).await.unwrap();
    assert_eq!(valid.status, domain::stay::StayStatus::Valid);
    let registration = host.registration(&owner.token, &number).await;
    assert_eq!(registration["guest"]["sex"], "X");
    // The talon says so too.
    let talon = format!("/v1/registrations/{number}/talon");
    let (status, printed) = host
        .api(Method::POST, &talon, Some(&owner.token), None)
        .await;
    assert_eq!(status, 200, "{printed}");
    let text = String::from_utf8(poppler("pdftotext", &talon_pdf(&printed).await)).unwrap();
    assert!(text.contains("Date of birth, sex"), "{text}");
    assert!(text.lines().any(|l| l.trim().ends_with(", X")), "{text}");
}
