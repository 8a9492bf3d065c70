//! Account sign-up, email confirmation and ereg activation over HTTP on the dev host,
//! reading codes and links back from the emails and SMS the emulator sent.

use std::time::Duration;

use adapters::Table;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn an_ereg_host_registers_and_activates_once_with_the_code_sent_by_sms_and_email() {
    let host = spawn_env().await;
    let (email, phone) = (unique_email(), unique_phone());
    let (status, _, body) = host
        .post(
            "/v1/accounts",
            &host
                .documented(host_form(&email, &phone, host.solved_challenge().await))
                .await,
            "ru",
        )
        .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(
        body,
        json!({"status": "accepted", "next": "enter_activation_code", "code_expires_in_secs": 600, "resend_after_secs": 60})
    );

    let code = codes_sent_to(&phone, 1).await.remove(0);
    let activation_email = emails_to(&email).await;
    assert_eq!(
        activation_email[0].subject,
        "Код активации личного кабинета"
    );
    assert!(activation_email[0].html.contains(&code));

    let (status, _, body) = host
        .post(
            "/v1/accounts/activation",
            &json!({"email": email.to_uppercase(), "code": code}),
            "ru",
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "active");

    // The code is single-use.
    let (status, _, body) = host
        .post(
            "/v1/accounts/activation",
            &json!({"email": email, "code": code}),
            "en",
        )
        .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_code")));
}

#[tokio::test]
async fn an_activated_ereg_host_receives_its_pin_by_sms_and_email_in_its_language() {
    let host = spawn_env().await;
    let (email, phone) = host.registered_host("ru").await;
    let code = codes_sent_to(&phone, 1).await.remove(0);
    let (status, _, body) = host
        .post(
            "/v1/accounts/activation",
            &json!({"email": email, "code": code}),
            "ru",
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let pin_sms = eventually(Duration::from_secs(20), "the PIN SMS", || async {
        sms_to(&phone).await.into_iter().find(|t| t.contains("ПИН"))
    })
    .await;
    assert!(pin_sms.chars().filter(|c| c.is_ascii_digit()).count() >= 6);
    eventually(Duration::from_secs(10), "the PIN email", || async {
        emails_to(&email)
            .await
            .iter()
            .any(|m| m.subject == "ПИН-код для подтверждения действий")
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn an_ereg_host_is_stored_with_hashes_and_never_its_password_code_or_pin() {
    let host = spawn_env().await;
    let (email, phone) = host.activated_host().await;
    // The activation code, then the PIN.
    let codes = codes_sent_to(&phone, 2).await;

    let table = host.deps.resources.table(Table::Accounts);
    let items = host
        .deps
        .dynamo
        .scan()
        .table_name(table)
        .send()
        .await
        .unwrap();
    let account = items
        .items()
        .iter()
        .find(|i| i.get("email").and_then(|v| v.as_s().ok()) == Some(&email))
        .unwrap();
    assert!(
        account["password_hash"]
            .as_s()
            .unwrap()
            .starts_with("$argon2id$")
    );
    assert!(
        account["pin_hash"]
            .as_s()
            .unwrap()
            .starts_with("$argon2id$")
    );
    assert!(!format!("{items:?}").contains(HOST_PASSWORD));
    for code in codes {
        assert!(!format!("{account:?}").contains(&format!("\"{code}\"")));
    }
}

#[tokio::test]
async fn an_employer_confirms_the_email_link_twice_and_waits_for_an_operator() {
    let host = spawn_env().await;
    let email = unique_email();
    let login = unique_login("emp", 8);
    let (status, _, body) = host
        .post(
            "/v1/accounts",
            &host
                .documented(employer_form(&email, &login, host.solved_challenge().await))
                .await,
            "en",
        )
        .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(body, json!({"status": "accepted", "next": "confirm_email"}));

    let link = link_in_email(&email, "Confirm your email address").await;
    assert!(
        link.starts_with(&format!("{}/confirm-email?token=", host.url())),
        "{link}"
    );
    let request = confirmation_request(&link);
    for _ in 0..2 {
        let body: Value = reqwest::get(&request).await.unwrap().json().await.unwrap();
        assert_eq!(body["status"], "awaiting_activation");
    }
    let mut tampered = request.clone();
    tampered.push('0');
    let response = reqwest::get(&tampered).await.unwrap();
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "invalid_link");
}

#[tokio::test]
async fn registering_the_same_email_again_answers_the_same_creates_nothing_and_mails_the_owner() {
    let host = spawn_env().await;
    let (email, phone) = (unique_email(), unique_phone());
    let (_, _, first) = host
        .post(
            "/v1/accounts",
            &host
                .documented(host_form(&email, &phone, host.solved_challenge().await))
                .await,
            "en",
        )
        .await;
    let code = codes_sent_to(&phone, 1).await.remove(0);
    let items_before = host.account_items_with(&email).await;

    // Again while unconfirmed, within the resend minute: same answer, nothing new.
    let (status, _, again) = host
        .post(
            "/v1/accounts",
            &host
                .documented(host_form(
                    &email,
                    &unique_phone(),
                    host.solved_challenge().await,
                ))
                .await,
            "en",
        )
        .await;
    assert_eq!((status, &again), (202, &first));
    assert_eq!(host.account_items_with(&email).await, items_before);

    // Activated, then registered again: same answer, and the owner hears of it.
    let (status, _, _) = host
        .post(
            "/v1/accounts/activation",
            &json!({"email": email, "code": code}),
            "en",
        )
        .await;
    assert_eq!(status, 200);
    let (status, _, again) = host
        .post(
            "/v1/accounts",
            &host
                .documented(host_form(&email, &phone, host.solved_challenge().await))
                .await,
            "en",
        )
        .await;
    assert_eq!((status, &again), (202, &first));
    // In the owner's language (English, as registered), not the second caller's.
    let reset = link_in_email(&email, "You already have an account").await;
    assert!(reset.ends_with("/sign-in"), "{reset}");
    assert_eq!(host.account_items_with(&email).await, items_before);
}

#[tokio::test]
async fn a_taken_e_work_login_is_refused_and_creates_nothing() {
    let host = spawn_env().await;
    let login = unique_login("emp", 8);
    let (status, _, _) = host
        .post(
            "/v1/accounts",
            &host
                .documented(employer_form(
                    &unique_email(),
                    &login,
                    host.solved_challenge().await,
                ))
                .await,
            "en",
        )
        .await;
    assert_eq!(status, 202);
    let other_email = unique_email();
    let (status, _, body) = host
        .post(
            "/v1/accounts",
            &host
                .documented(employer_form(
                    &other_email,
                    &login.to_uppercase(),
                    host.solved_challenge().await,
                ))
                .await,
            "ky",
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(body["code"], "login_taken");
    assert_eq!(
        body["detail"],
        domain::Code::LoginTaken.message(domain::Lang::Ky)
    );
    assert_eq!(host.account_items_with(&other_email).await, 0);
}

#[tokio::test]
async fn a_wrong_or_reused_challenge_answer_is_refused() {
    let host = spawn_env().await;
    let (email, phone) = (unique_email(), unique_phone());
    let (id, answer) = host.solved_challenge().await;
    let (status, _, body) = host
        .post(
            "/v1/accounts",
            &host
                .documented(host_form(&email, &phone, (id.clone(), "WRONG".into())))
                .await,
            "en",
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["errors"],
        json!([{"field": "challenge_answer", "code": "challenge_failed", "detail": domain::Code::ChallengeFailed.message(domain::Lang::En)}])
    );
    // The right answer after a wrong one: the challenge is spent.
    let (status, _, body) = host
        .post(
            "/v1/accounts",
            &host
                .documented(host_form(&email, &phone, (id, answer)))
                .await,
            "en",
        )
        .await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("challenge_failed"))
    );
    assert_eq!(host.account_items_with(&email).await, 0);
}

#[tokio::test]
async fn bad_fields_are_reported_together_and_write_nothing() {
    let host = spawn_env().await;
    let (email, phone) = (unique_email(), unique_phone());
    let mut form = host
        .documented(host_form(&email, &phone, host.solved_challenge().await))
        .await;
    form["password"] = "password".into();
    form["password_repeat"] = "password".into();
    form["phone"] = "+79123456789".into();
    form["document_expires"] = "2021-01-01".into();
    let (status, headers, body) = host.post("/v1/accounts", &form, "ru").await;
    assert_eq!(status, 422);
    assert_eq!(headers["content-type"], "application/problem+json");
    assert_eq!(body["code"], "invalid_fields");
    let errors: Vec<(String, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("password", "weak_password"),
        ("phone", "invalid_kyrgyz_mobile"),
        ("document_expires", "document_expired"),
    ] {
        assert!(
            errors.contains(&(expected.0.into(), expected.1.into())),
            "{expected:?} in {errors:?}"
        );
    }
    assert_eq!(host.account_items_with(&email).await, 0);
    assert!(emails_to(&email).await.is_empty());

    let (status, _, body) = host
        .post(
            "/v1/accounts",
            &json!({"type": "host_citizen", "surprise": 1}),
            "en",
        )
        .await;
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_body")));
}

#[tokio::test]
async fn the_sixth_wrong_code_is_refused_even_when_right_and_a_new_code_restarts() {
    let host = spawn_env().await;
    let (email, phone) = (unique_email(), unique_phone());
    host.post(
        "/v1/accounts",
        &host
            .documented(host_form(&email, &phone, host.solved_challenge().await))
            .await,
        "en",
    )
    .await;
    let code = codes_sent_to(&phone, 1).await.remove(0);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for attempt in 1..=5 {
        let (status, _, body) = host
            .post(
                "/v1/accounts/activation",
                &json!({"email": email, "code": wrong}),
                "en",
            )
            .await;
        let expected = if attempt < 5 {
            "invalid_code"
        } else {
            "code_attempts_exceeded"
        };
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some(expected)),
            "attempt {attempt}"
        );
    }
    let (status, _, body) = host
        .post(
            "/v1/accounts/activation",
            &json!({"email": email, "code": code}),
            "en",
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("code_attempts_exceeded"))
    );

    // A resend inside the minute is refused with the seconds to wait.
    let (status, headers, body) = host
        .post(
            "/v1/accounts/activation/code",
            &json!({"email": email}),
            "en",
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("resend_too_soon"))
    );
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));

    // After the minute (moved back in the store rather than waited), a new code works.
    host.backdate_code(&email, "activation_code", 61, 0).await;
    let (status, _, body) = host
        .post(
            "/v1/accounts/activation/code",
            &json!({"email": email}),
            "en",
        )
        .await;
    assert_eq!(status, 202, "{body}");
    let codes = codes_sent_to(&phone, 2).await;
    let (status, _, body) = host
        .post(
            "/v1/accounts/activation",
            &json!({"email": email, "code": codes[1]}),
            "en",
        )
        .await;
    assert_eq!((status, body["status"].as_str()), (200, Some("active")));
}

#[tokio::test]
async fn an_expired_code_and_an_unknown_email_are_invalid() {
    let host = spawn_env().await;
    let (email, phone) = (unique_email(), unique_phone());
    host.post(
        "/v1/accounts",
        &host
            .documented(host_form(&email, &phone, host.solved_challenge().await))
            .await,
        "en",
    )
    .await;
    let code = codes_sent_to(&phone, 1).await.remove(0);
    host.backdate_code(&email, "activation_code", 0, 601).await;
    let (status, _, body) = host
        .post(
            "/v1/accounts/activation",
            &json!({"email": email, "code": code}),
            "en",
        )
        .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_code")));

    let (status, _, body) = host
        .post(
            "/v1/accounts/activation",
            &json!({"email": unique_email(), "code": code}),
            "en",
        )
        .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_code")));
    // A resend for an unknown email answers like any other and sends nothing.
    let stranger = unique_email();
    let (status, _, body) = host
        .post(
            "/v1/accounts/activation/code",
            &json!({"email": stranger}),
            "en",
        )
        .await;
    assert_eq!(
        (status, &body),
        (
            202,
            &json!({"code_expires_in_secs": 600, "resend_after_secs": 60})
        )
    );
    assert!(emails_to(&stranger).await.is_empty());
}

#[tokio::test]
async fn a_registration_never_confirmed_lapses_after_a_week_and_frees_its_login_and_email() {
    let host = spawn_env().await;
    let week = sign_up::LAPSE_AFTER_SECS;
    let (email, other_email) = (unique_email(), unique_email());
    let login = unique_login("emp", 8);
    let register = |email: String, login: String| {
        let host = &host;
        async move {
            let form = host
                .documented(employer_form(&email, &login, host.solved_challenge().await))
                .await;
            host.post("/v1/accounts", &form, "en").await.0
        }
    };
    assert_eq!(register(email.clone(), login.clone()).await, 202);
    // Within the week the login stays taken.
    assert_eq!(register(other_email.clone(), login.clone()).await, 409);
    host.backdate_code(&email, "email_link", week + 1, week + 1)
        .await;
    assert_eq!(register(other_email.clone(), login.clone()).await, 202);
    assert_eq!(
        host.account_items_with(&email).await,
        0,
        "the lapsed one is gone"
    );
    link_in_email(&other_email, "Confirm your email address").await;

    // An ereg host's email the same way: a new registration, a new code to the new phone.
    let (host_email, first_phone, second_phone) = (unique_email(), unique_phone(), unique_phone());
    let form = |phone: &str, challenge| host_form(&host_email, phone, challenge);
    let (status, _, _) = host
        .post(
            "/v1/accounts",
            &host
                .documented(form(&first_phone, host.solved_challenge().await))
                .await,
            "en",
        )
        .await;
    assert_eq!(status, 202);
    codes_sent_to(&first_phone, 1).await;
    host.backdate_code(&host_email, "activation_code", week + 1, week + 1)
        .await;
    let (status, _, _) = host
        .post(
            "/v1/accounts",
            &host
                .documented(form(&second_phone, host.solved_challenge().await))
                .await,
            "en",
        )
        .await;
    assert_eq!(status, 202);
    let code = codes_sent_to(&second_phone, 1).await.remove(0);
    let (status, _, body) = host
        .post(
            "/v1/accounts/activation",
            &json!({"email": host_email, "code": code}),
            "en",
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(host.account_items_with(&first_phone).await, 0);
}

#[tokio::test]
async fn thirty_challenges_a_minute_come_from_one_source_and_the_next_waits() {
    let host = spawn_env().await;
    let ask = || {
        reqwest::Client::new()
            .post(format!("{}/v1/challenges", host.url()))
            .header("x-forwarded-for", "198.51.100.7")
            .header("accept-language", "en")
            .send()
    };
    for _ in 1..=30 {
        assert_eq!(ask().await.unwrap().status(), 201);
    }
    let response = ask().await.unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
    // Another source is not held back.
    let (status, _) = host
        .api(reqwest::Method::POST, "/v1/challenges", None, None)
        .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn a_registration_without_its_required_documents_is_refused_field_by_field() {
    let host = spawn_env().await;
    let (email, phone) = (unique_email(), unique_phone());
    let bare = host_form(&email, &phone, host.solved_challenge().await);
    let (status, _, body) = host.post("/v1/accounts", &bare, "en").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        sorted_codes_of(&body),
        [("passport_scan", "required"), ("photo", "required")]
            .map(|(f, c)| (f.to_owned(), c.to_owned()))
    );
    let mut licensed = employer_form(
        &email,
        &unique_login("emp", 8),
        host.solved_challenge().await,
    );
    licensed["licensed_activity"] = json!(true);
    let (status, _, body) = host.post("/v1/accounts", &licensed, "en").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        sorted_codes_of(&body),
        [
            ("licence", "required"),
            ("registration_certificate", "required"),
            ("staff_list", "required")
        ]
        .map(|(f, c)| (f.to_owned(), c.to_owned()))
    );
    // Nothing was stored; with the documents attached the same forms are accepted.
    assert_eq!(host.account_items_with(&email).await, 0);
    let (status, _, body) = host
        .post("/v1/accounts", &host.documented(licensed).await, "en")
        .await;
    assert_eq!(status, 202, "{body}");
}
