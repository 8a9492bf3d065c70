//! A confirmed registration as everyone sees it: the host's archive, the public status
//! check, the host's email and SMS, and its expiry once its last day has passed.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn the_hosts_archive_finds_a_confirmed_registration_by_status_and_name() {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    let registrar = host.operator("registration_operator").await;
    let (_, confirmed) = host
        .confirmed_registration(&owner.token, &guest.with_pin(), &registrar)
        .await;
    let (status, archive) = host
        .api(
            Method::GET,
            "/v1/registrations?status=valid&name=smith",
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(status, 200, "{archive}");
    assert_eq!(archive["registrations"][0]["status"], "valid");
    assert_eq!(
        archive["registrations"][0]["registration_number"],
        confirmed["registration_number"]
    );
    assert_eq!(archive["registrations"][0]["payment"], "paid");
    let (_, none) = host
        .api(
            Method::GET,
            "/v1/registrations?status=cancelled",
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(none["registrations"], json!([]));
}

#[tokio::test]
async fn the_public_status_of_a_valid_registration_tells_only_that_it_is_valid_where_and_until_when()
 {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    let registrar = host.operator("registration_operator").await;
    let (number, confirmed) = host
        .confirmed_registration(&owner.token, &guest.with_pin(), &registrar)
        .await;
    let (_, review) = host
        .api(
            Method::GET,
            &format!("/v1/operator/registrations/{number}"),
            Some(&registrar),
            None,
        )
        .await;
    // By registration number or by birth date.
    let birth_date = review["registration"]["guest"]["birth_date"].clone();
    let document_number = guest.document_number();
    for query in [
        json!({"passport_number": document_number, "registration_number": confirmed["registration_number"]}),
        json!({"passport_number": document_number, "birth_date": birth_date}),
    ] {
        let (status, public) = host
            .api(
                Method::POST,
                "/v1/public/registration-status",
                None,
                Some(&query),
            )
            .await;
        assert_eq!(status, 200, "{public}");
        assert_eq!(public["status"], "valid");
        assert_eq!(public["city"], "Бишкек");
        assert_eq!(public["valid_to"], days_from_today(60));
        assert_eq!(
            public.as_object().unwrap().len(),
            4,
            "nothing more: {public}"
        );
    }
}

#[tokio::test]
async fn the_host_hears_of_the_confirmation_by_email_and_sms() {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    let registrar = host.operator("registration_operator").await;
    let (number, confirmed) = host
        .confirmed_registration(&owner.token, &guest.with_pin(), &registrar)
        .await;
    let registration_number = confirmed["registration_number"].as_str().unwrap();
    let subject = format!("Registration {number} is valid");
    eventually(Duration::from_secs(20), "the decision email", || async {
        emails_to(&owner.email)
            .await
            .iter()
            .any(|m| m.subject == subject && m.html.contains(registration_number))
            .then_some(())
    })
    .await;
    eventually(Duration::from_secs(20), "the decision SMS", || async {
        sms_to(&owner.phone)
            .await
            .iter()
            .any(|text| text.contains(registration_number))
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_valid_registration_expires_once_its_last_day_has_passed() {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    let registrar = host.operator("registration_operator").await;
    let (number, _) = host
        .confirmed_registration(&owner.token, &guest.with_pin(), &registrar)
        .await;
    let expiry = stay_expiry::StayExpiry::from_deps(&host.deps);
    assert_eq!(expiry.run().await.unwrap().expired, 0);
    let after_last_day = domain::clock::today_in_bishkek() + time::Duration::days(61);
    assert_eq!(expiry.run_on(after_last_day).await.unwrap().expired, 1);
    assert_eq!(expiry.run_on(after_last_day).await.unwrap().expired, 0);
    let seen = host.registration(&owner.token, &number).await;
    assert_eq!(seen["status"], "expired");
}

#[tokio::test]
async fn the_archive_pages_through_everything_newest_first_and_names_bad_filters() {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    for slot in 0..4 {
        host.submitted_registration(&owner.token, &guest.in_slot(slot))
            .await;
    }
    let archive = |query: String| {
        let (host, token) = (&host, &owner.token);
        async move { host.api(Method::GET, &query, Some(token), None).await }
    };
    let (_, first) = archive("/v1/registrations?limit=2".into()).await;
    assert_eq!(first["registrations"].as_array().unwrap().len(), 2);
    let next = first["next"].as_str().unwrap();
    let (_, rest) = archive(format!("/v1/registrations?limit=100&cursor={next}")).await;
    let total = 2 + rest["registrations"].as_array().unwrap().len();
    assert!(total >= 4, "{total}");
    assert!(rest.get("next").is_none());
    let (status, body) =
        archive("/v1/registrations?status=bogus&birth_date=yesterday".into()).await;
    assert_eq!(status, 422);
    assert_eq!(
        sorted_codes_of(&body),
        [
            ("birth_date".into(), "invalid_date".into()),
            ("status".into(), "invalid_value".into())
        ]
    );
}

#[tokio::test]
async fn the_public_status_check_names_bad_fields_and_answers_ten_times_a_minute() {
    let host = spawn_env().await;
    let (status, body) = host
        .api(
            Method::POST,
            "/v1/public/registration-status",
            None,
            Some(&json!({"registration_number": "123"})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        sorted_codes_of(&body),
        [
            ("passport_number".into(), "required".into()),
            (
                "registration_number".into(),
                "invalid_registration_number".into()
            ),
        ]
    );

    // Twenty-five tries see the limit even if a minute turns over among them.
    let query = json!({"passport_number": "ZZ0000000", "birth_date": "1990-01-01"});
    let mut statuses = Vec::new();
    for _ in 0..25 {
        statuses.push(
            host.api(
                Method::POST,
                "/v1/public/registration-status",
                None,
                Some(&query),
            )
            .await
            .0,
        );
    }
    assert_eq!(statuses[0], 404);
    assert!(statuses.contains(&429), "{statuses:?}");
    // Ten a minute, every request counted: the malformed one above was the first.
    assert!(
        statuses.iter().filter(|s| **s == 404).count() >= 9,
        "{statuses:?}"
    );
}
