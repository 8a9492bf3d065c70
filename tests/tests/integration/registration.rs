//! Registration, email confirmation and ereg activation over HTTP on the dev host,
//! reading codes and links back from the emails and SMS the emulator sent.

use std::time::Duration;

use adapters::Table;
use aws_sdk_dynamodb::types::AttributeValue;
use dev_host::DevHost;
use serde_json::{Value, json};

use crate::helpers::*;

/// Issues a challenge and answers it as the key holder can.
pub(crate) async fn solved_challenge(host: &DevHost) -> (String, String) {
    let issued: Value = reqwest::Client::new()
        .post(format!("{}/v1/challenges", host.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = issued["challenge_id"].as_str().unwrap().to_owned();
    assert!(
        issued["image"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64,")
    );
    let answer = domain::challenge::answer(
        &test_key(),
        &domain::challenge::ChallengeId::parse(&id).unwrap(),
    );
    (id, answer)
}

pub(crate) async fn post(
    host: &DevHost,
    path: &str,
    body: &Value,
    lang: &str,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", host.url()))
        .header("accept-language", lang)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (
        status,
        headers,
        response.json().await.unwrap_or(Value::Null),
    )
}

pub(crate) fn host_form(email: &str, phone: &str, challenge: (String, String)) -> Value {
    json!({
        "type": "host_citizen", "consent": true,
        "challenge_id": challenge.0, "challenge_answer": challenge.1.to_lowercase(),
        "email": email, "phone": phone.trim_start_matches('+'),
        "password": "Tash-Rabat#1994", "password_repeat": "Tash-Rabat#1994",
        "surname": "Asanov", "given_names": "Aibek", "patronymic": "Bakytovich",
        "birth_date": "1990-05-15", "sex": "M", "document_country": "KGZ",
        "document_number": "AC1234567", "document_issued": "2020-01-10", "document_expires": "2030-01-09",
        "personal_number": "21505199012345"
    })
}

pub(crate) fn employer_form(email: &str, login: &str, challenge: (String, String)) -> Value {
    json!({
        "type": "employer", "consent": true, "challenge_id": challenge.0, "challenge_answer": challenge.1,
        "email": email, "login": login, "lang": "en",
        "password": "Kok-Jar7ly!", "password_repeat": "Kok-Jar7ly!",
        "representative_surname": "Asanova", "representative_name": "Aigerim",
        "legal_name": "Ala-Too Kurulush LLC", "registration_number": "123456-3301-OOO",
        "tax_id": "01234567891234", "founders": "Asanova A.", "activity": "Construction",
        "legal_address": "158 Toktogul Street, Bishkek", "actual_address": "158 Toktogul Street, Bishkek",
        "phones": ["+996312123456"]
    })
}

/// Registers and activates an ereg host: its email and phone.
pub(crate) async fn activated_host(host: &DevHost) -> (String, String) {
    let (email, phone) = (unique_email(), unique_phone());
    let (status, _, _) = post(
        host,
        "/v1/accounts",
        &host_form(&email, &phone, solved_challenge(host).await),
        "en",
    )
    .await;
    assert_eq!(status, 202);
    let code = codes_sent_to(&phone, 1).await.remove(0);
    let (status, _, _) = post(
        host,
        "/v1/accounts/activation",
        &json!({"email": email, "code": code}),
        "en",
    )
    .await;
    assert_eq!(status, 200);
    (email, phone)
}

/// The 6-digit numbers in the SMS sent to `phone`, oldest first, once `count` have arrived.
pub(crate) async fn codes_sent_to(phone: &str, count: usize) -> Vec<String> {
    eventually(Duration::from_secs(20), "SMS with codes", || async {
        let codes: Vec<String> = sms_to(phone)
            .await
            .iter()
            .filter_map(|text| {
                text.split(|c: char| !c.is_ascii_digit())
                    .find(|part| part.len() == 6)
                    .map(str::to_owned)
            })
            .collect();
        (codes.len() >= count).then_some(codes)
    })
    .await
}

/// The href of the first link in the newest email to `to` with `subject`.
pub(crate) async fn link_in_email(to: &str, subject: &str) -> String {
    let html = eventually(Duration::from_secs(20), subject, || async {
        emails_to(to)
            .await
            .into_iter()
            .rev()
            .find(|m| m.subject == subject)
            .map(|m| m.html)
    })
    .await;
    let start = html.find("href=\"").expect("a link") + 6;
    let end = start + html[start..].find('"').unwrap();
    html[start..end]
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// Items in the accounts table that mention `needle` (accounts and guards).
async fn account_items_with(host: &DevHost, needle: &str) -> usize {
    let table = host.deps.resources.table(Table::Accounts);
    let out = host
        .deps
        .dynamo
        .scan()
        .table_name(table)
        .send()
        .await
        .unwrap();
    out.items()
        .iter()
        .filter(|item| format!("{item:?}").contains(needle))
        .count()
}

#[tokio::test]
async fn an_ereg_host_registers_activates_with_the_code_and_receives_a_pin() {
    let host = spawn_env().await;
    let (email, phone) = (unique_email(), unique_phone());
    let (status, _, body) = post(
        &host,
        "/v1/accounts",
        &host_form(&email, &phone, solved_challenge(&host).await),
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

    let (status, _, body) = post(
        &host,
        "/v1/accounts/activation",
        &json!({"email": email.to_uppercase(), "code": code}),
        "ru",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "active");

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

    // Stored: hashes only, never the password, code or PIN.
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
    assert!(!format!("{items:?}").contains("Tash-Rabat#1994"));
    assert!(!format!("{account:?}").contains(&format!("\"{code}\"")));

    // The code is single-use.
    let (status, _, body) = post(
        &host,
        "/v1/accounts/activation",
        &json!({"email": email, "code": code}),
        "en",
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_code")));
}

#[tokio::test]
async fn an_employer_confirms_the_email_link_twice_and_waits_for_an_operator() {
    let host = spawn_env().await;
    let email = unique_email();
    let login = format!("emp{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let (status, _, body) = post(
        &host,
        "/v1/accounts",
        &employer_form(&email, &login, solved_challenge(&host).await),
        "en",
    )
    .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(body, json!({"status": "accepted", "next": "confirm_email"}));

    let link = link_in_email(&email, "Confirm your email address").await;
    assert!(link.starts_with(&host.url()), "{link}");
    for _ in 0..2 {
        let body: Value = reqwest::get(&link).await.unwrap().json().await.unwrap();
        assert_eq!(body["status"], "awaiting_activation");
    }
    let mut tampered = link.clone();
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
    let (_, _, first) = post(
        &host,
        "/v1/accounts",
        &host_form(&email, &phone, solved_challenge(&host).await),
        "en",
    )
    .await;
    let code = codes_sent_to(&phone, 1).await.remove(0);
    let items_before = account_items_with(&host, &email).await;

    // Again while unconfirmed, within the resend minute: same answer, nothing new.
    let (status, _, again) = post(
        &host,
        "/v1/accounts",
        &host_form(&email, &unique_phone(), solved_challenge(&host).await),
        "en",
    )
    .await;
    assert_eq!((status, &again), (202, &first));
    assert_eq!(account_items_with(&host, &email).await, items_before);

    // Activated, then registered again: same answer, and the owner hears of it.
    let (status, _, _) = post(
        &host,
        "/v1/accounts/activation",
        &json!({"email": email, "code": code}),
        "en",
    )
    .await;
    assert_eq!(status, 200);
    let (status, _, again) = post(
        &host,
        "/v1/accounts",
        &host_form(&email, &phone, solved_challenge(&host).await),
        "en",
    )
    .await;
    assert_eq!((status, &again), (202, &first));
    // In the owner's language (English, as registered), not the second caller's.
    let reset = link_in_email(&email, "You already have an account").await;
    assert!(reset.ends_with("/sign-in"), "{reset}");
    assert_eq!(account_items_with(&host, &email).await, items_before);
}

#[tokio::test]
async fn a_taken_e_work_login_is_refused_and_creates_nothing() {
    let host = spawn_env().await;
    let login = format!("emp{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let (status, _, _) = post(
        &host,
        "/v1/accounts",
        &employer_form(&unique_email(), &login, solved_challenge(&host).await),
        "en",
    )
    .await;
    assert_eq!(status, 202);
    let other_email = unique_email();
    let (status, _, body) = post(
        &host,
        "/v1/accounts",
        &employer_form(
            &other_email,
            &login.to_uppercase(),
            solved_challenge(&host).await,
        ),
        "ky",
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(body["code"], "login_taken");
    assert_eq!(
        body["detail"],
        domain::Code::LoginTaken.message(domain::Lang::Ky)
    );
    assert_eq!(account_items_with(&host, &other_email).await, 0);
}

#[tokio::test]
async fn a_wrong_or_reused_challenge_answer_is_refused() {
    let host = spawn_env().await;
    let (email, phone) = (unique_email(), unique_phone());
    let (id, answer) = solved_challenge(&host).await;
    let (status, _, body) = post(
        &host,
        "/v1/accounts",
        &host_form(&email, &phone, (id.clone(), "WRONG".into())),
        "en",
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["errors"],
        json!([{"field": "challenge_answer", "code": "challenge_failed", "detail": domain::Code::ChallengeFailed.message(domain::Lang::En)}])
    );
    // The right answer after a wrong one: the challenge is spent.
    let (status, _, body) = post(
        &host,
        "/v1/accounts",
        &host_form(&email, &phone, (id, answer)),
        "en",
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("challenge_failed"))
    );
    assert_eq!(account_items_with(&host, &email).await, 0);
}

#[tokio::test]
async fn bad_fields_are_reported_together_and_write_nothing() {
    let host = spawn_env().await;
    let (email, phone) = (unique_email(), unique_phone());
    let mut form = host_form(&email, &phone, solved_challenge(&host).await);
    form["password"] = "password".into();
    form["password_repeat"] = "password".into();
    form["phone"] = "+79123456789".into();
    form["document_expires"] = "2021-01-01".into();
    let (status, headers, body) = post(&host, "/v1/accounts", &form, "ru").await;
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
    assert_eq!(account_items_with(&host, &email).await, 0);
    assert!(emails_to(&email).await.is_empty());

    let (status, _, body) = post(
        &host,
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
    post(
        &host,
        "/v1/accounts",
        &host_form(&email, &phone, solved_challenge(&host).await),
        "en",
    )
    .await;
    let code = codes_sent_to(&phone, 1).await.remove(0);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for attempt in 1..=5 {
        let (status, _, body) = post(
            &host,
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
    let (status, _, body) = post(
        &host,
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
    let (status, headers, body) = post(
        &host,
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
    backdate_code(&host, &email, "activation_code", 61, 0).await;
    let (status, _, body) = post(
        &host,
        "/v1/accounts/activation/code",
        &json!({"email": email}),
        "en",
    )
    .await;
    assert_eq!(status, 202, "{body}");
    let codes = codes_sent_to(&phone, 2).await;
    let (status, _, body) = post(
        &host,
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
    post(
        &host,
        "/v1/accounts",
        &host_form(&email, &phone, solved_challenge(&host).await),
        "en",
    )
    .await;
    let code = codes_sent_to(&phone, 1).await.remove(0);
    backdate_code(&host, &email, "activation_code", 0, 601).await;
    let (status, _, body) = post(
        &host,
        "/v1/accounts/activation",
        &json!({"email": email, "code": code}),
        "en",
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_code")));

    let (status, _, body) = post(
        &host,
        "/v1/accounts/activation",
        &json!({"email": unique_email(), "code": code}),
        "en",
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_code")));
    // A resend for an unknown email answers like any other and sends nothing.
    let stranger = unique_email();
    let (status, _, body) = post(
        &host,
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
    let week = registration::LAPSE_AFTER_SECS;
    let (email, other_email) = (unique_email(), unique_email());
    let login = format!("emp{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let register = |email: String, login: String| {
        let host = &host;
        async move {
            let form = employer_form(&email, &login, solved_challenge(host).await);
            post(host, "/v1/accounts", &form, "en").await.0
        }
    };
    assert_eq!(register(email.clone(), login.clone()).await, 202);
    // Within the week the login stays taken.
    assert_eq!(register(other_email.clone(), login.clone()).await, 409);
    backdate_code(&host, &email, "email_link", week + 1, week + 1).await;
    assert_eq!(register(other_email.clone(), login.clone()).await, 202);
    assert_eq!(
        account_items_with(&host, &email).await,
        0,
        "the lapsed one is gone"
    );
    link_in_email(&other_email, "Confirm your email address").await;

    // An ereg host's email the same way: a new registration, a new code to the new phone.
    let (host_email, first_phone, second_phone) = (unique_email(), unique_phone(), unique_phone());
    let form = |phone: &str, challenge| host_form(&host_email, phone, challenge);
    let (status, _, _) = post(
        &host,
        "/v1/accounts",
        &form(&first_phone, solved_challenge(&host).await),
        "en",
    )
    .await;
    assert_eq!(status, 202);
    codes_sent_to(&first_phone, 1).await;
    backdate_code(&host, &host_email, "activation_code", week + 1, week + 1).await;
    let (status, _, _) = post(
        &host,
        "/v1/accounts",
        &form(&second_phone, solved_challenge(&host).await),
        "en",
    )
    .await;
    assert_eq!(status, 202);
    let code = codes_sent_to(&second_phone, 1).await.remove(0);
    let (status, _, body) = post(
        &host,
        "/v1/accounts/activation",
        &json!({"email": host_email, "code": code}),
        "en",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(account_items_with(&host, &first_phone).await, 0);
}

/// Moves the send time of the stored secret `field` (`activation_code` or `email_link`)
/// back by `sent_secs` and its expiry by `expiry_secs`, as if that much time had passed.
async fn backdate_code(host: &DevHost, email: &str, field: &str, sent_secs: u64, expiry_secs: u64) {
    let table = host.deps.resources.table(Table::Accounts);
    let guard = host
        .deps
        .dynamo
        .get_item()
        .table_name(table)
        .key("pk", AttributeValue::S(format!("email#{email}")))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    let account_id = guard["account_id"].as_s().unwrap();
    let key = AttributeValue::S(format!("account#{account_id}"));
    let item = host
        .deps
        .dynamo
        .get_item()
        .table_name(table)
        .key("pk", key.clone())
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    let code = item[field].as_m().unwrap();
    let sent: u64 = code["sent_at"].as_n().unwrap().parse().unwrap();
    let expires: u64 = code["expires_at"].as_n().unwrap().parse().unwrap();
    host.deps
        .dynamo
        .update_item()
        .table_name(table)
        .key("pk", key)
        .update_expression(format!(
            "SET {field}.sent_at = :sent, {field}.expires_at = :expires"
        ))
        .expression_attribute_values(":sent", AttributeValue::N((sent - sent_secs).to_string()))
        .expression_attribute_values(
            ":expires",
            AttributeValue::N((expires - expiry_secs).to_string()),
        )
        .send()
        .await
        .unwrap();
}
