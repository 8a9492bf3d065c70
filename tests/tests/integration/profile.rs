//! The holder's own profile: every type edits its data through an operator of its
//! authority; phone changes by a code to the new number; a second factor at sign-in.

use std::time::Duration;

use dev_host::DevHost;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::operators::{active_host, operator, waiting_id};
use crate::registration::{codes_sent_to, link_in_email, post, solved_challenge};
use crate::uploads::{checked, jpeg, upload};

fn person(kind: &str, country: &str) -> Value {
    json!({
        "type": kind, "consent": true, "lang": "en",
        "password": "Sary-Chelek#87x", "password_repeat": "Sary-Chelek#87x",
        "surname": "Muller", "given_names": "Anna", "birth_date": "1988-02-29", "sex": "F",
        "document_country": country, "document_number": "C01X00T47",
        "document_issued": "2021-06-01", "document_expires": "2031-05-31"
    })
}

/// A registration form of `kind` with fresh contacts: (form, login, phone).
fn form_of(kind: &str, email: &str) -> (Value, String, String) {
    let login = format!("u{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let phone = unique_phone();
    let mut form = match kind {
        "employer" => json!({
            "type": "employer", "consent": true, "lang": "en",
            "password": "Sary-Chelek#87x", "password_repeat": "Sary-Chelek#87x",
            "representative_surname": "Asanova", "representative_name": "Aigerim",
            "legal_name": "Ala-Too Kurulush LLC", "registration_number": "123456-3301-OOO",
            "tax_id": "01234567891234", "founders": "Asanova A.", "activity": "Construction",
            "legal_address": "158 Toktogul Street, Bishkek", "actual_address": "158 Toktogul Street, Bishkek",
            "phones": [phone]
        }),
        "foreign_entrepreneur" => {
            let mut f = person(kind, "D");
            f["birth_place"] = json!("Hamburg");
            f
        }
        "digital_nomad" => {
            let mut f = person(kind, "D");
            f["document_type"] = json!("passport");
            f
        }
        "host_foreign_owner" => person(kind, "KAZ"),
        other => panic!("{other}"),
    };
    form["email"] = json!(email);
    if kind.starts_with("host") {
        form["phone"] = json!(phone.trim_start_matches('+'));
    } else {
        form["login"] = json!(login);
        if kind != "employer" {
            form["phone"] = json!(phone);
        }
    }
    let login = if kind.starts_with("host") {
        email.to_owned()
    } else {
        login
    };
    (form, login, phone)
}

/// Registers `kind`, confirms it and, for e-work, has a labour operator activate it;
/// returns the signed-in session.
async fn signed_in_as(host: &DevHost, kind: &str, labour: &str) -> String {
    let email = unique_email();
    let (mut form, login, phone) = form_of(kind, &email);
    let (id, answer) = solved_challenge(host).await;
    form["challenge_id"] = json!(id);
    form["challenge_answer"] = json!(answer);
    let (status, _, body) = post(host, "/v1/accounts", &form, "en").await;
    assert_eq!(status, 202, "{kind}: {body}");
    if kind.starts_with("host") {
        let code = codes_sent_to(&phone, 1).await.remove(0);
        let (status, _, _) = post(
            host,
            "/v1/accounts/activation",
            &json!({"email": email, "code": code}),
            "en",
        )
        .await;
        assert_eq!(status, 200, "{kind}");
    } else {
        let link = link_in_email(&email, "Confirm your email address").await;
        assert_eq!(reqwest::get(&link).await.unwrap().status(), 200);
        let id = waiting_id(host, labour, &email).await;
        let (status, _) = api(
            host,
            Method::POST,
            &format!("/v1/operator/accounts/{id}/activation"),
            Some(labour),
            None,
        )
        .await;
        assert_eq!(status, 200, "{kind}");
    }
    session(host, &login, "Sary-Chelek#87x").await
}

#[tokio::test]
async fn every_type_registers_signs_in_and_edits_its_profile_through_its_authority() {
    let host = spawn_env().await;
    let labour = operator(&host, "labour_operator").await;
    let registration = operator(&host, "registration_operator").await;
    for (kind, field, value, expected) in [
        (
            "employer",
            "activity",
            "Construction and design",
            "Construction and design",
        ),
        (
            "foreign_entrepreneur",
            "surname",
            "Muller-Lang",
            "MULLER-LANG",
        ),
        ("digital_nomad", "given_names", "Anna Maria", "ANNA MARIA"),
        (
            "host_foreign_owner",
            "document_number",
            "N12345678",
            "N1***78",
        ),
    ] {
        let token = signed_in_as(&host, kind, &labour).await;
        let (status, profile) = api(&host, Method::GET, "/v1/me/profile", Some(&token), None).await;
        assert_eq!(status, 200);
        assert_eq!(profile["type"], kind);
        if kind != "employer" {
            assert_eq!(
                profile["data"]["document_number"], "C0***47",
                "{kind}: masked"
            );
        }
        let (status, request) = api(
            &host,
            Method::POST,
            "/v1/me/change-requests",
            Some(&token),
            Some(&json!({"changes": { field: value }})),
        )
        .await;
        assert_eq!(status, 202, "{kind}: {request}");
        let id = request["request_id"].as_str().unwrap();
        let (right, wrong) = if kind.starts_with("host") {
            (&registration, &labour)
        } else {
            (&labour, &registration)
        };
        let approval = format!("/v1/operator/change-requests/{id}/approval");
        let (status, _) = api(&host, Method::POST, &approval, Some(wrong), None).await;
        assert_eq!(status, 404, "{kind}: the other authority cannot decide it");
        let (status, file) = api(
            &host,
            Method::GET,
            &format!("/v1/operator/change-requests/{id}"),
            Some(right),
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(file["changes"][field], value);
        let (status, decided) = api(&host, Method::POST, &approval, Some(right), None).await;
        assert_eq!(
            (status, decided["status"].as_str()),
            (200, Some("approved")),
            "{kind}"
        );
        let (_, profile) = api(&host, Method::GET, "/v1/me/profile", Some(&token), None).await;
        assert_eq!(profile["data"][field], expected, "{kind}");
        assert!(profile.get("pending_change").is_none());
        let (status, body) = api(&host, Method::POST, &approval, Some(right), None).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (409, Some("already_decided"))
        );
        let email = profile["email"].as_str().unwrap().to_owned();
        eventually(Duration::from_secs(20), "approval email", || async {
            emails_to(&email)
                .await
                .iter()
                .any(|m| m.subject == "Your account data change has been approved")
                .then_some(())
        })
        .await;
    }
}

#[tokio::test]
async fn a_change_request_is_checked_at_once_waits_alone_and_is_refused_with_a_reason() {
    let host = spawn_env().await;
    let (email, token, _) = active_host(&host).await;
    let (_, other, _) = active_host(&host).await;
    let registration = operator(&host, "registration_operator").await;
    let labour = operator(&host, "labour_operator").await;
    let change = |changes: Value| json!({ "changes": changes });

    for (changes, expected) in [
        (
            json!({"document_expires": "2019-01-01"}),
            ("document_expires", "expiry_before_issue"),
        ),
        (json!({"email": "new@mail.kg"}), ("email", "not_expected")),
        (json!({"legal_name": "LLC"}), ("legal_name", "not_expected")),
        (
            json!({"personal_number": "123"}),
            ("personal_number", "invalid_personal_number"),
        ),
        (
            json!({"photo": "selfie.jpg"}),
            ("photo", "invalid_upload_id"),
        ),
    ] {
        let (status, body) = api(
            &host,
            Method::POST,
            "/v1/me/change-requests",
            Some(&token),
            Some(&change(changes.clone())),
        )
        .await;
        assert_eq!(status, 422, "{changes}");
        let first = &body["errors"][0];
        assert_eq!(
            (
                first["field"].as_str().unwrap(),
                first["code"].as_str().unwrap()
            ),
            expected
        );
    }
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/me/change-requests",
        Some(&token),
        Some(&change(json!({"surname": "ASANOV"}))),
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("no_changes")));
    // Nothing of those was stored.
    let (_, list) = api(
        &host,
        Method::GET,
        "/v1/operator/change-requests",
        Some(&registration),
        None,
    )
    .await;
    assert_eq!(list["requests"], json!([]));

    // Documents must be the holder's own uploads, of the right kind, not refused.
    let (_, stranger, _) = active_host(&host).await;
    let strangers = upload(&host, &stranger, "photo", "image/jpeg", jpeg(600, 800)).await;
    let refused = upload(
        &host,
        &token,
        "photo",
        "image/jpeg",
        b"GIF89a no photo".to_vec(),
    )
    .await;
    checked(&host, &token, &refused).await;
    let scan = upload(
        &host,
        &token,
        "passport_scan",
        "image/jpeg",
        jpeg(1200, 900),
    )
    .await;
    for (id, expected) in [
        ("upl_0123456789abcdef0123456789abcdef", "document_not_found"),
        (strangers.as_str(), "document_not_found"),
        (scan.as_str(), "document_not_found"),
        (refused.as_str(), "document_rejected"),
    ] {
        let (status, body) = api(
            &host,
            Method::POST,
            "/v1/me/change-requests",
            Some(&token),
            Some(&change(json!({ "photo": id }))),
        )
        .await;
        assert_eq!(status, 422, "{id}");
        assert_eq!(body["errors"][0]["code"], expected, "{id}");
    }
    let photo = upload(
        &host,
        &token,
        "photo",
        "image/jpeg",
        imaging::fixtures::portrait_jpeg(),
    )
    .await;
    assert_eq!(checked(&host, &token, &photo).await["status"], "checked");
    let (status, request) = api(
        &host,
        Method::POST,
        "/v1/me/change-requests",
        Some(&token),
        Some(&change(json!({ "photo": photo }))),
    )
    .await;
    assert_eq!(status, 202);
    let id = request["request_id"].as_str().unwrap().to_owned();
    // The photo it names cannot be swapped or deleted behind the operator's back.
    for method in [Method::DELETE, Method::PUT] {
        let (status, body) = api(
            &host,
            method,
            &format!("/v1/uploads/{photo}"),
            Some(&token),
            Some(&json!({"kind": "photo", "content_type": "image/jpeg"})),
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (409, Some("document_in_use"))
        );
    }
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/me/change-requests",
        Some(&token),
        Some(&change(json!({"surname": "Asanova"}))),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("change_request_pending"))
    );

    // Only the holder and the registration authority see it.
    let own = format!("/v1/me/change-requests/{id}");
    let (status, _) = api(&host, Method::GET, &own, Some(&token), None).await;
    assert_eq!(status, 200);
    let (status, body) = api(&host, Method::GET, &own, Some(&other), None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("change_request_not_found"))
    );
    let (_, list) = api(
        &host,
        Method::GET,
        "/v1/operator/change-requests",
        Some(&labour),
        None,
    )
    .await;
    assert_eq!(list["requests"], json!([]));
    let (_, list) = api(
        &host,
        Method::GET,
        "/v1/operator/change-requests",
        Some(&registration),
        None,
    )
    .await;
    assert_eq!(list["requests"][0]["request_id"], id.as_str());

    let reason = "The photo does not meet the requirements";
    let (status, refused) = api(
        &host,
        Method::POST,
        &format!("/v1/operator/change-requests/{id}/refusal"),
        Some(&registration),
        Some(&json!({ "reason": reason })),
    )
    .await;
    assert_eq!((status, refused["status"].as_str()), (200, Some("refused")));
    let (_, mine) = api(&host, Method::GET, &own, Some(&token), None).await;
    assert_eq!(mine["reason"], reason);
    let (_, profile) = api(&host, Method::GET, "/v1/me/profile", Some(&token), None).await;
    assert!(profile["data"].get("photo").is_none(), "the data stay");
    let mail = eventually(Duration::from_secs(20), "refusal email", || async {
        emails_to(&email)
            .await
            .into_iter()
            .find(|m| m.subject == "Your account data change has been refused")
    })
    .await;
    assert!(mail.html.contains(reason));
    // Refused, the holder may ask again.
    let (status, _) = api(
        &host,
        Method::POST,
        "/v1/me/change-requests",
        Some(&token),
        Some(&change(json!({"surname": "Asanova"}))),
    )
    .await;
    assert_eq!(status, 202);
}

#[tokio::test]
async fn the_phone_changes_only_with_the_code_sent_to_the_new_number() {
    let host = spawn_env().await;
    let (_, token, old_phone) = active_host(&host).await;
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/me/phone",
        Some(&token),
        Some(&json!({"phone": "+77011234567", "password": "Tash-Rabat#1994"})),
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("invalid_kyrgyz_mobile"))
    );
    let new_phone = unique_phone();
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/me/phone",
        Some(&token),
        Some(&json!({"phone": new_phone.trim_start_matches('+'), "password": "wrong"})),
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some("password")),
        "the phone receives sign-in codes: changing it takes the password"
    );
    let ask = json!({"phone": new_phone.trim_start_matches('+'), "password": "Tash-Rabat#1994"});
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/me/phone",
        Some(&token),
        Some(&ask),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/me/phone",
        Some(&token),
        Some(&ask),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("resend_too_soon"))
    );
    let code = codes_sent_to(&new_phone, 1).await.remove(0);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/me/phone/confirm",
        Some(&token),
        Some(&json!({ "code": wrong })),
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_code")));
    let (_, me) = api(&host, Method::GET, "/v1/me", Some(&token), None).await;
    assert_eq!(me["phone"], old_phone.as_str(), "unchanged until the code");
    let (status, me) = api(
        &host,
        Method::POST,
        "/v1/me/phone/confirm",
        Some(&token),
        Some(&json!({ "code": code })),
    )
    .await;
    assert_eq!(
        (status, me["phone"].as_str()),
        (200, Some(new_phone.as_str()))
    );
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/me/phone/confirm",
        Some(&token),
        Some(&json!({ "code": code })),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("no_phone_change")),
        "single use"
    );

    // Five wrong codes spend it; the right one no longer works.
    let (_, token, _) = active_host(&host).await;
    let newer = unique_phone();
    api(
        &host,
        Method::POST,
        "/v1/me/phone",
        Some(&token),
        Some(&json!({"phone": newer.trim_start_matches('+'), "password": "Tash-Rabat#1994"})),
    )
    .await;
    let code = codes_sent_to(&newer, 1).await.remove(0);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let (status, _) = api(
            &host,
            Method::POST,
            "/v1/me/phone/confirm",
            Some(&token),
            Some(&json!({ "code": wrong })),
        )
        .await;
        assert_eq!(status, 422);
    }
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/me/phone/confirm",
        Some(&token),
        Some(&json!({ "code": code })),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("code_attempts_exceeded"))
    );
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

async fn sign_in_step(host: &DevHost, login: &str, password: &str) -> (u16, Value) {
    api(
        host,
        Method::POST,
        "/v1/sessions",
        None,
        Some(&json!({"login": login, "password": password})),
    )
    .await
}

async fn second_step(host: &DevHost, sign_in_token: &str, code: &str) -> (u16, Value) {
    api(
        host,
        Method::POST,
        "/v1/sessions/second-factor",
        None,
        Some(&json!({"sign_in_token": sign_in_token, "code": code})),
    )
    .await
}

#[tokio::test]
async fn an_authenticator_guards_sign_in_with_single_use_codes_and_backup_codes() {
    let host = spawn_env().await;
    let (email, token, _) = active_host(&host).await;
    let password = "Tash-Rabat#1994";
    let enrol = "/v1/me/second-factor/totp";
    let (status, body) = api(
        &host,
        Method::POST,
        enrol,
        Some(&token),
        Some(&json!({"password": "nope"})),
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("invalid_credentials"))
    );
    let (status, enrolment) = api(
        &host,
        Method::POST,
        enrol,
        Some(&token),
        Some(&json!({ "password": password })),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        enrolment["qr_png"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64,")
    );
    let uri = enrolment["otpauth_uri"].as_str().unwrap();
    assert!(uri.contains(&enrolment["secret"].as_str().unwrap().to_owned()));
    let app = totp_rs::Totp::from_url(uri).unwrap();

    // Not on until a code from the app is confirmed.
    let (status, _) = sign_in_step(&host, &email, password).await;
    assert_eq!(status, 201);
    let confirm = "/v1/me/second-factor/totp/confirm";
    let (status, body) = api(
        &host,
        Method::POST,
        confirm,
        Some(&token),
        Some(&json!({"code": "12345"})),
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_code")));
    let t = now();
    let (status, on) = api(
        &host,
        Method::POST,
        confirm,
        Some(&token),
        Some(&json!({"code": app.generate(t).to_string()})),
    )
    .await;
    assert_eq!(status, 200, "{on}");
    let backups: Vec<String> = on["backup_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(backups.len(), 10);

    // The password alone no longer signs in; the code of an already used step does not either.
    let (status, pending) = sign_in_step(&host, &email, password).await;
    assert_eq!(
        (status, pending["second_factor"].as_str()),
        (202, Some("totp"))
    );
    let sign_in_token = pending["sign_in_token"].as_str().unwrap();
    let (status, body) = second_step(&host, sign_in_token, &app.generate(t).to_string()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("invalid_code")),
        "replayed step"
    );
    let (status, session) =
        second_step(&host, sign_in_token, &app.generate(t + 30).to_string()).await;
    assert_eq!(status, 201, "{session}");
    let (status, _) = second_step(&host, sign_in_token, &app.generate(t + 30).to_string()).await;
    assert_eq!(status, 401, "the sign-in token is spent");

    // A backup code works once, typed in any case.
    let (_, pending) = sign_in_step(&host, &email, password).await;
    let (status, _) = second_step(
        &host,
        pending["sign_in_token"].as_str().unwrap(),
        &backups[3].to_uppercase(),
    )
    .await;
    assert_eq!(status, 201);
    let (_, pending) = sign_in_step(&host, &email, password).await;
    let pending_token = pending["sign_in_token"].as_str().unwrap().to_owned();
    let (status, _) = second_step(&host, &pending_token, &backups[3]).await;
    assert_eq!(status, 422, "a spent backup code");
    // Five wrong codes end the sign-in.
    for _ in 0..3 {
        let (status, _) = second_step(&host, &pending_token, "000000").await;
        assert_eq!(status, 422);
    }
    let (status, body) = second_step(&host, &pending_token, "000000").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("code_attempts_exceeded"))
    );
    let (status, body) = second_step(&host, &pending_token, &backups[4]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("sign_in_expired"))
    );
    // Those wrong codes count against the account like wrong passwords.
    let (status, body) = sign_in_step(&host, &email, password).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("too_many_attempts"))
    );
    // (Time passes: the delay is over.)
    host.deps
        .dynamo
        .delete_item()
        .table_name(host.deps.resources.table(adapters::Table::Tokens))
        .key(
            "pk",
            aws_sdk_dynamodb::types::AttributeValue::S(format!("throttle#account:email:{email}")),
        )
        .send()
        .await
        .unwrap();

    // Off with the password: the password alone signs in again.
    let off = "/v1/me/second-factor";
    let (status, _) = api(
        &host,
        Method::DELETE,
        off,
        Some(&token),
        Some(&json!({"password": "nope"})),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = api(
        &host,
        Method::DELETE,
        off,
        Some(&token),
        Some(&json!({ "password": password })),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = sign_in_step(&host, &email, password).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn a_code_by_sms_can_be_the_second_factor() {
    let host = spawn_env().await;
    let (email, token, phone) = active_host(&host).await;
    let password = "Tash-Rabat#1994";
    // The activation code and the PIN have come; the sign-in code will be the third.
    codes_sent_to(&phone, 2).await;
    let (status, on) = api(
        &host,
        Method::PUT,
        "/v1/me/second-factor/sms",
        Some(&token),
        Some(&json!({ "password": password })),
    )
    .await;
    assert_eq!((status, on["second_factor"].as_str()), (200, Some("sms")));
    let (_, me) = api(&host, Method::GET, "/v1/me", Some(&token), None).await;
    assert_eq!(me["second_factor"], "sms");
    let (status, pending) = sign_in_step(&host, &email, password).await;
    assert_eq!(
        (status, pending["second_factor"].as_str()),
        (202, Some("sms"))
    );
    let code = codes_sent_to(&phone, 3).await.remove(2);
    let (status, body) = second_step(&host, "not-a-token", &code).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("sign_in_expired"))
    );
    let (status, session) =
        second_step(&host, pending["sign_in_token"].as_str().unwrap(), &code).await;
    assert_eq!(status, 201, "{session}");
    assert!(session["token"].as_str().is_some());
}

#[tokio::test]
async fn the_rarer_refusals_answer_problem_json_with_their_codes() {
    let host = spawn_env().await;
    let (_, token, _) = active_host(&host).await;
    let registration = operator(&host, "registration_operator").await;
    let none = "chg_0123456789abcdef0123456789abcdef";
    let garbage = json!({"reason": "no"});
    /// Method, path, body, whose token, and the status and code expected.
    type Case<'a> = (Method, String, Option<Value>, &'a str, (u16, &'a str));
    let cases: Vec<Case> = vec![
        (
            Method::POST,
            "/v1/me/second-factor/totp/confirm".into(),
            Some(json!({"code": "123456"})),
            token.as_str(),
            (409, "no_enrolment"),
        ),
        (
            Method::DELETE,
            "/v1/me/second-factor".into(),
            Some(json!({"password": "Tash-Rabat#1994"})),
            token.as_str(),
            (409, "no_second_factor"),
        ),
        (
            Method::PUT,
            "/v1/me/second-factor/sms".into(),
            Some(json!({"password": "wrong"})),
            token.as_str(),
            (422, "invalid_fields"),
        ),
        (
            Method::POST,
            "/v1/me/phone/confirm".into(),
            Some(json!({"code": "123456"})),
            token.as_str(),
            (409, "no_phone_change"),
        ),
        (
            Method::GET,
            "/v1/me/change-requests/not-an-id".into(),
            None,
            token.as_str(),
            (404, "change_request_not_found"),
        ),
        (
            Method::POST,
            "/v1/me/change-requests".into(),
            Some(json!({"changes": {"surname": "X"}, "extra": 1})),
            token.as_str(),
            (400, "invalid_body"),
        ),
        // Staff change their data through an admin, not by change request.
        (
            Method::POST,
            "/v1/me/change-requests".into(),
            Some(json!({"changes": {"surname": "X"}})),
            registration.as_str(),
            (403, "not_for_account_type"),
        ),
        (
            Method::POST,
            format!("/v1/operator/change-requests/{none}/approval"),
            None,
            registration.as_str(),
            (404, "change_request_not_found"),
        ),
        (
            Method::POST,
            format!("/v1/operator/change-requests/{none}/refusal"),
            Some(json!({"reason": ""})),
            registration.as_str(),
            (422, "invalid_fields"),
        ),
        (
            Method::POST,
            "/v1/operator/accounts/garbage/refusal".into(),
            Some(garbage),
            registration.as_str(),
            (404, "account_not_found"),
        ),
        (
            Method::GET,
            "/v1/uploads/garbage".into(),
            None,
            token.as_str(),
            (404, "document_not_found"),
        ),
    ];
    for (method, path, body, who, expected) in cases {
        let response = reqwest::Client::new()
            .request(method, format!("{}{path}", host.url()))
            .bearer_auth(who)
            .header("accept-language", "ru")
            .json(&body.unwrap_or(Value::Null))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
        let status = response.status().as_u16();
        let problem: Value = response.json().await.unwrap();
        assert_eq!(
            (status, problem["code"].as_str().unwrap()),
            expected,
            "{path}"
        );
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .chars()
                .any(|c| ('а'..='я').contains(&c)),
            "{path}: the message is in the caller's language"
        );
    }
    // A document whose file has not arrived has nothing to download, even for its owner.
    let (_, issued) = api(
        &host,
        Method::POST,
        "/v1/uploads",
        Some(&token),
        Some(&json!({"kind": "licence", "content_type": "application/pdf"})),
    )
    .await;
    let id = issued["document"]["upload_id"].as_str().unwrap();
    let (status, body) = api(
        &host,
        Method::GET,
        &format!("/v1/uploads/{id}/download"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("document_not_found"))
    );
    let (status, body) = api(
        &host,
        Method::PUT,
        &format!("/v1/uploads/{id}"),
        Some(&token),
        Some(&json!({"kind": "licence", "content_type": "image/gif"})),
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("unsupported_document_type"))
    );
}
