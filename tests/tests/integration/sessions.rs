//! Signing in and out over HTTP on the dev host, with the authorizer in front.

use adapters::Table;
use aws_sdk_dynamodb::types::AttributeValue;
use dev_host::DevHost;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::registration::{activated_host, employer_form, link_in_email, post, solved_challenge};

const PASSWORD: &str = "Tash-Rabat#1994";

async fn sign_in(
    host: &DevHost,
    login: &str,
    password: &str,
    source: &str,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/v1/sessions", host.url()))
        .header("x-forwarded-for", source)
        .header("accept-language", "en")
        .json(&json!({"login": login, "password": password}))
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

async fn call(
    host: &DevHost,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", host.url()))
        .header("accept-language", "ru");
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn source() -> String {
    let n = uuid::Uuid::new_v4().as_u128();
    format!("198.51.{}.{}", (n % 250) as u8, ((n >> 8) % 250) as u8)
}

#[tokio::test]
async fn a_host_signs_in_sees_its_masked_account_and_signs_out() {
    let host = spawn_env().await;
    let (email, _) = activated_host(&host).await;
    let (status, _, session) = sign_in(&host, &email.to_uppercase(), PASSWORD, &source()).await;
    assert_eq!(status, 201, "{session}");
    assert_eq!(session["token_type"], "Bearer");
    assert_eq!(session["idle_expires_in_secs"], 1800);
    let token = session["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);

    let (status, me) = call(&host, reqwest::Method::GET, "/v1/me", Some(&token)).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["email"], email);
    assert_eq!(me["type"], "host_citizen");
    assert_eq!(me["document"], "KGZ AC***67");
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

    let (status, _) = call(
        &host,
        reqwest::Method::DELETE,
        "/v1/sessions/current",
        Some(&token),
    )
    .await;
    assert_eq!(status, 204);
    let (status, body) = call(&host, reqwest::Method::GET, "/v1/me", Some(&token)).await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], "unauthenticated");
    assert_eq!(body["detail"], "Войдите в личный кабинет.");
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session() {
    let host = spawn_env().await;
    let (email, _) = activated_host(&host).await;
    let (_, _, a) = sign_in(&host, &email, PASSWORD, &source()).await;
    let (_, _, b) = sign_in(&host, &email, PASSWORD, &source()).await;
    let (a, b) = (
        a["token"].as_str().unwrap().to_owned(),
        b["token"].as_str().unwrap().to_owned(),
    );
    assert_eq!(
        call(&host, reqwest::Method::GET, "/v1/me", Some(&b))
            .await
            .0,
        200
    );
    assert_eq!(
        call(&host, reqwest::Method::DELETE, "/v1/sessions", Some(&a))
            .await
            .0,
        204
    );
    assert_eq!(
        call(&host, reqwest::Method::GET, "/v1/me", Some(&a))
            .await
            .0,
        401
    );
    assert_eq!(
        call(&host, reqwest::Method::GET, "/v1/me", Some(&b))
            .await
            .0,
        401
    );
    // A new sign-in works again.
    let (status, _, c) = sign_in(&host, &email, PASSWORD, &source()).await;
    assert_eq!(status, 201);
    assert_eq!(
        call(&host, reqwest::Method::GET, "/v1/me", c["token"].as_str())
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_login_answer_the_same() {
    let host = spawn_env().await;
    let (email, _) = activated_host(&host).await;
    let (status, _, wrong) = sign_in(&host, &email, "Wrong-Pass#1", &source()).await;
    let (status2, _, unknown) = sign_in(&host, &unique_email(), PASSWORD, &source()).await;
    assert_eq!((status, status2), (401, 401));
    assert_eq!(wrong["code"], "invalid_credentials");
    assert_eq!(unknown["code"], wrong["code"]);
    assert_eq!(unknown["detail"], wrong["detail"]);
}

#[tokio::test]
async fn repeated_failures_make_the_account_wait_even_with_the_right_password() {
    let host = spawn_env().await;
    let (email, _) = activated_host(&host).await;
    for _ in 0..5 {
        // A new source address each time: the account's own count trips.
        let (status, _, _) = sign_in(&host, &email, "Wrong-Pass#1", &source()).await;
        assert_eq!(status, 401);
    }
    let (status, headers, body) = sign_in(&host, &email, PASSWORD, &source()).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["code"], "too_many_attempts");
    assert!(headers.contains_key("retry-after"));
}

#[tokio::test]
async fn one_source_address_failing_on_many_logins_is_slowed_down() {
    let host = spawn_env().await;
    let address = source();
    for _ in 0..5 {
        let (status, _, _) = sign_in(&host, &unique_email(), "Wrong-Pass#1", &address).await;
        assert_eq!(status, 401);
    }
    let (status, _, body) = sign_in(&host, &unique_email(), "Wrong-Pass#1", &address).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("too_many_attempts"))
    );
}

#[tokio::test]
async fn an_employer_waiting_for_activation_is_told_so_after_a_right_password_only() {
    let host = spawn_env().await;
    let email = unique_email();
    let login = format!("emp{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    post(
        &host,
        "/v1/accounts",
        &employer_form(&email, &login, solved_challenge(&host).await),
        "en",
    )
    .await;
    let (status, _, body) = sign_in(&host, &login, "Kok-Jar7ly!", &source()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("account_not_confirmed"))
    );
    let link = link_in_email(&email, "Confirm your email address").await;
    reqwest::get(&link).await.unwrap();
    let (status, _, body) = sign_in(&host, &login, "Kok-Jar7ly!", &source()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("awaiting_activation"))
    );
    let (status, _, body) = sign_in(&host, &login, "Kok-Jar7lx!", &source()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("invalid_credentials"))
    );
}

#[tokio::test]
async fn protected_routes_refuse_missing_garbled_and_idle_sessions() {
    let host = spawn_env().await;
    assert_eq!(
        call(&host, reqwest::Method::GET, "/v1/me", None).await.0,
        401
    );
    assert_eq!(
        call(&host, reqwest::Method::GET, "/v1/me", Some("not-a-token"))
            .await
            .0,
        401
    );
    assert_eq!(
        call(&host, reqwest::Method::DELETE, "/v1/sessions", None)
            .await
            .0,
        401
    );

    let (email, _) = activated_host(&host).await;
    let (_, _, session) = sign_in(&host, &email, PASSWORD, &source()).await;
    let token = session["token"].as_str().unwrap();
    let digest = test_key().digest(authorizer::PURPOSE_SESSION, token);
    // As if the session had been unused for longer than the idle time.
    host.deps
        .dynamo
        .update_item()
        .table_name(host.deps.resources.table(Table::Tokens))
        .key("pk", AttributeValue::S(format!("session#{digest}")))
        .update_expression("SET idle_until = :past")
        .expression_attribute_values(":past", AttributeValue::N("1".into()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        call(&host, reqwest::Method::GET, "/v1/me", Some(token))
            .await
            .0,
        401
    );
}

async fn send(
    host: &DevHost,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: &Value,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", host.url()))
        .json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_forgotten_password_is_reset_once_by_link_and_every_session_ends() {
    let host = spawn_env().await;
    let (email, _) = activated_host(&host).await;
    let (_, _, session) = sign_in(&host, &email, PASSWORD, &source()).await;
    let old_token = session["token"].as_str().unwrap().to_owned();

    let (id, answer) = solved_challenge(&host).await;
    let body = json!({"email": email, "challenge_id": id, "challenge_answer": answer});
    let (status, accepted) = send(
        &host,
        reqwest::Method::POST,
        "/v1/password-resets",
        None,
        &body,
    )
    .await;
    assert_eq!((status, &accepted), (202, &json!({"status": "accepted"})));
    // An unknown email: the same answer, and no email.
    let stranger = unique_email();
    let (id, answer) = solved_challenge(&host).await;
    let body = json!({"email": stranger, "challenge_id": id, "challenge_answer": answer});
    assert_eq!(
        send(
            &host,
            reqwest::Method::POST,
            "/v1/password-resets",
            None,
            &body
        )
        .await,
        (202, accepted)
    );

    let link = link_in_email(&email, "Reset your password").await;
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let weak = json!({"token": token, "password": "short", "password_repeat": "short"});
    let (status, body) = send(
        &host,
        reqwest::Method::POST,
        "/v1/password-resets/complete",
        None,
        &weak,
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("weak_password"))
    );
    let new =
        json!({"token": token, "password": "Ala-Archa#2026", "password_repeat": "Ala-Archa#2026"});
    let (status, body) = send(
        &host,
        reqwest::Method::POST,
        "/v1/password-resets/complete",
        None,
        &new,
    )
    .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("password_changed")),
        "{body}"
    );
    let (status, body) = send(
        &host,
        reqwest::Method::POST,
        "/v1/password-resets/complete",
        None,
        &new,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("invalid_link")),
        "single use"
    );

    assert_eq!(
        call(&host, reqwest::Method::GET, "/v1/me", Some(&old_token))
            .await
            .0,
        401
    );
    assert_eq!(sign_in(&host, &email, PASSWORD, &source()).await.0, 401);
    assert_eq!(
        sign_in(&host, &email, "Ala-Archa#2026", &source()).await.0,
        201
    );
    assert!(emails_to(&stranger).await.is_empty());
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_every_session() {
    let host = spawn_env().await;
    let (email, _) = activated_host(&host).await;
    let (_, _, session) = sign_in(&host, &email, PASSWORD, &source()).await;
    let token = session["token"].as_str().unwrap().to_owned();
    let wrong = json!({"current_password": "Nope-Nope#1", "password": "Ala-Archa#2026", "password_repeat": "Ala-Archa#2026"});
    let (status, body) = send(
        &host,
        reqwest::Method::PUT,
        "/v1/me/password",
        Some(&token),
        &wrong,
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some("current_password"))
    );
    assert_eq!(
        call(&host, reqwest::Method::GET, "/v1/me", Some(&token))
            .await
            .0,
        200,
        "nothing changed"
    );

    let right = json!({"current_password": PASSWORD, "password": "Ala-Archa#2026", "password_repeat": "Ala-Archa#2026"});
    let (status, _) = send(
        &host,
        reqwest::Method::PUT,
        "/v1/me/password",
        Some(&token),
        &right,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        call(&host, reqwest::Method::GET, "/v1/me", Some(&token))
            .await
            .0,
        401
    );
    assert_eq!(
        sign_in(&host, &email, "Ala-Archa#2026", &source()).await.0,
        201
    );
    assert_eq!(
        send(&host, reqwest::Method::PUT, "/v1/me/password", None, &right)
            .await
            .0,
        401
    );
}

#[tokio::test]
async fn an_ereg_host_restores_the_pin_and_others_cannot() {
    let host = spawn_env().await;
    let (email, _) = activated_host(&host).await;
    let (_, _, session) = sign_in(&host, &email, PASSWORD, &source()).await;
    let token = session["token"].as_str().unwrap().to_owned();
    let (status, _) = send(
        &host,
        reqwest::Method::POST,
        "/v1/me/pin",
        Some(&token),
        &json!({}),
    )
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
        send(&host, reqwest::Method::POST, "/v1/me/pin", None, &json!({}))
            .await
            .0,
        401
    );
}
