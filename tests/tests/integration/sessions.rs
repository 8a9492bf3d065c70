//! Signing in and out over HTTP on the dev host, with the authorizer in front.

use adapters::Table;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn a_host_signs_in_sees_its_masked_account_and_signs_out() {
    let host = spawn_env().await;
    let (email, _) = host.activated_host().await;
    let (status, _, session) = host
        .sign_in_from(&email.to_uppercase(), HOST_PASSWORD, &unique_source())
        .await;
    assert_eq!(status, 201, "{session}");
    assert_eq!(session["token_type"], "Bearer");
    assert_eq!(session["idle_expires_in_secs"], 1800);
    let token = session["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);

    let (status, me) = host
        .api_lang(Method::GET, "/v1/me", Some(&token), None, "ru")
        .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["email"], email);
    assert_eq!(me["type"], "host_citizen");
    assert_eq!(
        (&me["document_country"], &me["document_number"]),
        (&serde_json::json!("KGZ"), &serde_json::json!("AC***67"))
    );
    assert!(!me.to_string().contains("AC1234567"));

    // The token is stored only as a digest.
    let tokens = host
        .deps
        .dynamo
        .scan()
        .table_name(host.deps.resources.table(Table::Tokens))
        .send()
        .await
        .unwrap();
    assert!(!format!("{:?}", tokens.items()).contains(&token));

    let (status, _) = host
        .api_lang(
            Method::DELETE,
            "/v1/sessions/current",
            Some(&token),
            None,
            "ru",
        )
        .await;
    assert_eq!(status, 204);
    let (status, body) = host
        .api_lang(Method::GET, "/v1/me", Some(&token), None, "ru")
        .await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], "unauthenticated");
    assert_eq!(body["detail"], "Войдите в личный кабинет.");
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session() {
    let host = spawn_env().await;
    let (email, _) = host.activated_host().await;
    let (_, _, a) = host
        .sign_in_from(&email, HOST_PASSWORD, &unique_source())
        .await;
    let (_, _, b) = host
        .sign_in_from(&email, HOST_PASSWORD, &unique_source())
        .await;
    let (a, b) = (
        a["token"].as_str().unwrap().to_owned(),
        b["token"].as_str().unwrap().to_owned(),
    );
    assert_eq!(
        host.api_lang(Method::GET, "/v1/me", Some(&b), None, "ru")
            .await
            .0,
        200
    );
    assert_eq!(
        host.api_lang(Method::DELETE, "/v1/sessions", Some(&a), None, "ru")
            .await
            .0,
        204
    );
    assert_eq!(
        host.api_lang(Method::GET, "/v1/me", Some(&a), None, "ru")
            .await
            .0,
        401
    );
    assert_eq!(
        host.api_lang(Method::GET, "/v1/me", Some(&b), None, "ru")
            .await
            .0,
        401
    );
    // A new sign-in works again.
    let (status, _, c) = host
        .sign_in_from(&email, HOST_PASSWORD, &unique_source())
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        host.api_lang(Method::GET, "/v1/me", c["token"].as_str(), None, "ru")
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_login_answer_the_same() {
    let host = spawn_env().await;
    let (email, _) = host.activated_host().await;
    let (status, _, wrong) = host
        .sign_in_from(&email, "Wrong-Pass#1", &unique_source())
        .await;
    let (status2, _, unknown) = host
        .sign_in_from(&unique_email(), HOST_PASSWORD, &unique_source())
        .await;
    assert_eq!((status, status2), (401, 401));
    assert_eq!(wrong["code"], "invalid_credentials");
    assert_eq!(unknown["code"], wrong["code"]);
    assert_eq!(unknown["detail"], wrong["detail"]);
}

/// `(status, code)` of a problem, or of the first field error of `invalid_fields`.
fn refusal(status: u16, body: &Value) -> (u16, String) {
    let code = match body["code"].as_str() {
        Some("invalid_fields") => body["errors"][0]["code"].as_str(),
        code => code,
    };
    (status, code.unwrap_or_default().to_owned())
}

#[tokio::test]
async fn an_address_guessing_at_one_account_waits_and_another_account_there_signs_in() {
    let host = spawn_env().await;
    let (guessed, _) = host.activated_host().await;
    let (neighbour, _) = host.activated_host().await;
    let office = unique_source();
    for _ in 0..5 {
        let (status, _, _) = host.sign_in_from(&guessed, "Wrong-Pass#1", &office).await;
        assert_eq!(status, 401);
    }
    // That address waits for that account, even with the right password.
    let (status, headers, body) = host.sign_in_from(&guessed, HOST_PASSWORD, &office).await;
    assert_eq!(refusal(status, &body), (429, "too_many_attempts".into()));
    assert!(headers.contains_key("retry-after"));
    // Another account's holder at the same address signs in as usual.
    let (status, _, body) = host.sign_in_from(&neighbour, HOST_PASSWORD, &office).await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn failures_of_an_account_from_anywhere_ask_its_holder_for_the_challenge_not_a_wall() {
    let host = spawn_env().await;
    let (email, _) = host.activated_host().await;
    for _ in 0..5 {
        // A new source address each time: the account's own count trips.
        let (status, _, _) = host
            .sign_in_from(&email, "Wrong-Pass#1", &unique_source())
            .await;
        assert_eq!(status, 401);
    }
    let home = unique_source();
    let (status, _, body) = host.sign_in_from(&email, HOST_PASSWORD, &home).await;
    assert_eq!(refusal(status, &body), (422, "challenge_required".into()));
    // A wrong password with the challenge solved is still wrong, and counted.
    let (status, _, body) = host
        .sign_in_solving_from(&email, "Wrong-Pass#1", &home)
        .await;
    assert_eq!(refusal(status, &body), (401, "invalid_credentials".into()));
    let (status, _, body) = host
        .sign_in_solving_from(&email, HOST_PASSWORD, &home)
        .await;
    assert_eq!(status, 201, "{body}");
    // The success cleared the account's count: no challenge the next time.
    let (status, _, body) = host.sign_in_from(&email, HOST_PASSWORD, &home).await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn a_busy_address_is_asked_for_the_challenge_and_then_signs_in() {
    let host = spawn_env().await;
    let (email, _) = host.activated_host().await;
    let hotel = unique_source();
    for _ in 0..10 {
        let (status, _, _) = host
            .sign_in_from(&unique_email(), "Wrong-Pass#1", &hotel)
            .await;
        assert_eq!(status, 401);
    }
    let (status, _, body) = host.sign_in_from(&email, HOST_PASSWORD, &hotel).await;
    assert_eq!(refusal(status, &body), (422, "challenge_required".into()));
    let (status, _, body) = host
        .sign_in_solving_from(&email, HOST_PASSWORD, &hotel)
        .await;
    assert_eq!(status, 201, "{body}");
    // A made-up answer is refused as such.
    let body = json!({"login": email, "password": HOST_PASSWORD,
        "challenge_id": "chl_0123456789abcdef0123456789abcdef", "challenge_answer": "ABCDE"});
    let response = reqwest::Client::new()
        .post(format!("{}/v1/sessions", host.url()))
        .header("x-forwarded-for", &hotel)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_eq!(refusal(status, &body), (422, "challenge_failed".into()));
}

#[tokio::test]
async fn an_employer_waiting_for_activation_is_told_so_after_a_right_password_only() {
    let host = spawn_env().await;
    let Employer { email, login } = host.registered_employer().await;
    let (status, _, body) = host
        .sign_in_from(&login, EMPLOYER_PASSWORD, &unique_source())
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("account_not_confirmed"))
    );
    let link = link_in_email(&email, "Confirm your email address").await;
    reqwest::get(confirmation_request(&link)).await.unwrap();
    let (status, _, body) = host
        .sign_in_from(&login, EMPLOYER_PASSWORD, &unique_source())
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("awaiting_activation"))
    );
    let (status, _, body) = host
        .sign_in_from(&login, "Kok-Jar7lx!", &unique_source())
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("invalid_credentials"))
    );
}

#[tokio::test]
async fn protected_routes_refuse_missing_garbled_and_idle_sessions() {
    let host = spawn_env().await;
    assert_eq!(
        host.api_lang(Method::GET, "/v1/me", None, None, "ru")
            .await
            .0,
        401
    );
    assert_eq!(
        host.api_lang(Method::GET, "/v1/me", Some("not-a-token"), None, "ru")
            .await
            .0,
        401
    );
    assert_eq!(
        host.api_lang(Method::DELETE, "/v1/sessions", None, None, "ru")
            .await
            .0,
        401
    );

    let (email, _) = host.activated_host().await;
    let (_, _, session) = host
        .sign_in_from(&email, HOST_PASSWORD, &unique_source())
        .await;
    let token = session["token"].as_str().unwrap();
    // As if the session had been unused for longer than the idle time.
    host.idle_session(token).await;
    assert_eq!(
        host.api_lang(Method::GET, "/v1/me", Some(token), None, "ru")
            .await
            .0,
        401
    );
}

#[tokio::test]
async fn a_password_reset_answers_the_same_for_an_unknown_email_and_mails_only_the_owner() {
    let host = spawn_env().await;
    let (email, _) = host.activated_host().await;
    let (id, answer) = host.solved_challenge().await;
    let body = json!({"email": email, "challenge_id": id, "challenge_answer": answer});
    let (status, accepted) = host
        .api(Method::POST, "/v1/password-resets", None, Some(&body))
        .await;
    assert_eq!((status, &accepted), (202, &json!({"status": "accepted"})));
    // An unknown email: the same answer, and no email.
    let stranger = unique_email();
    let (id, answer) = host.solved_challenge().await;
    let body = json!({"email": stranger, "challenge_id": id, "challenge_answer": answer});
    assert_eq!(
        host.api(Method::POST, "/v1/password-resets", None, Some(&body))
            .await,
        (202, accepted)
    );
    // Once the owner's link has come, the stranger's would have too.
    link_in_email(&email, "Reset your password").await;
    assert!(emails_to(&stranger).await.is_empty());
}

#[tokio::test]
async fn a_forgotten_password_is_reset_once_by_link_and_every_session_ends() {
    let host = spawn_env().await;
    let (email, _) = host.activated_host().await;
    let (_, _, session) = host
        .sign_in_from(&email, HOST_PASSWORD, &unique_source())
        .await;
    let old_token = session["token"].as_str().unwrap().to_owned();
    let (id, answer) = host.solved_challenge().await;
    let body = json!({"email": email, "challenge_id": id, "challenge_answer": answer});
    let (status, _) = host
        .api(Method::POST, "/v1/password-resets", None, Some(&body))
        .await;
    assert_eq!(status, 202);

    let token = token_of(&link_in_email(&email, "Reset your password").await);
    let weak = json!({"token": token, "password": "short", "password_repeat": "short"});
    let complete = "/v1/password-resets/complete";
    let (status, body) = host.api(Method::POST, complete, None, Some(&weak)).await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("weak_password"))
    );
    let new =
        json!({"token": token, "password": "Ala-Archa#2026", "password_repeat": "Ala-Archa#2026"});
    let (status, body) = host.api(Method::POST, complete, None, Some(&new)).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("password_changed")),
        "{body}"
    );
    let (status, body) = host.api(Method::POST, complete, None, Some(&new)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("invalid_link")),
        "single use"
    );

    assert_eq!(
        host.api_lang(Method::GET, "/v1/me", Some(&old_token), None, "ru")
            .await
            .0,
        401
    );
    assert_eq!(
        host.sign_in_from(&email, HOST_PASSWORD, &unique_source())
            .await
            .0,
        401
    );
    assert_eq!(
        host.sign_in_from(&email, "Ala-Archa#2026", &unique_source())
            .await
            .0,
        201
    );
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_every_session() {
    let host = spawn_env().await;
    let (email, _) = host.activated_host().await;
    let (_, _, session) = host
        .sign_in_from(&email, HOST_PASSWORD, &unique_source())
        .await;
    let token = session["token"].as_str().unwrap().to_owned();
    let wrong = json!({"current_password": "Nope-Nope#1", "password": "Ala-Archa#2026", "password_repeat": "Ala-Archa#2026"});
    let (status, body) = host
        .api(Method::PUT, "/v1/me/password", Some(&token), Some(&wrong))
        .await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some("current_password"))
    );
    assert_eq!(
        host.api_lang(Method::GET, "/v1/me", Some(&token), None, "ru")
            .await
            .0,
        200,
        "nothing changed"
    );

    let right = json!({"current_password": HOST_PASSWORD, "password": "Ala-Archa#2026", "password_repeat": "Ala-Archa#2026"});
    let (status, _) = host
        .api(Method::PUT, "/v1/me/password", Some(&token), Some(&right))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        host.api_lang(Method::GET, "/v1/me", Some(&token), None, "ru")
            .await
            .0,
        401
    );
    assert_eq!(
        host.sign_in_from(&email, "Ala-Archa#2026", &unique_source())
            .await
            .0,
        201
    );
    assert_eq!(
        host.api(Method::PUT, "/v1/me/password", None, Some(&right))
            .await
            .0,
        401
    );
}

#[tokio::test]
async fn an_ereg_host_restores_the_pin_and_others_cannot() {
    let host = spawn_env().await;
    let (email, _) = host.activated_host().await;
    let (_, _, session) = host
        .sign_in_from(&email, HOST_PASSWORD, &unique_source())
        .await;
    let token = session["token"].as_str().unwrap().to_owned();
    let (status, _) = host
        .api(Method::POST, "/v1/me/pin", Some(&token), Some(&json!({})))
        .await;
    assert_eq!(status, 202);
    eventually(
        std::time::Duration::from_secs(20),
        "two PIN emails",
        || async {
            let pins = emails_to(&email)
                .await
                .into_iter()
                .filter(|m| m.subject == "Your PIN for confirming actions")
                .count();
            (pins == 2).then_some(())
        },
    )
    .await;
    assert_eq!(
        host.api(Method::POST, "/v1/me/pin", None, Some(&json!({})))
            .await
            .0,
        401
    );
}
