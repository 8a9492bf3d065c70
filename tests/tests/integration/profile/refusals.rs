//! The rarer refusals of the profile, second-factor and staff routes: each answers
//! problem+json with its code, the message in the caller's language.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// Method, path, body, and the status and code expected.
type Case = (Method, String, Option<Value>, (u16, &'static str));

#[tokio::test]
async fn the_rarer_refusals_of_an_applicants_own_routes_answer_problem_json_in_its_language() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let cases: Vec<Case> = vec![
        (
            Method::POST,
            "/v1/me/second-factor/totp/confirm".into(),
            Some(json!({"code": "123456"})),
            (409, "no_enrolment"),
        ),
        (
            Method::DELETE,
            "/v1/me/second-factor".into(),
            Some(json!({"password": HOST_PASSWORD})),
            (409, "no_second_factor"),
        ),
        (
            Method::PUT,
            "/v1/me/second-factor/sms".into(),
            Some(json!({"password": "wrong"})),
            (422, "invalid_fields"),
        ),
        (
            Method::POST,
            "/v1/me/phone/confirm".into(),
            Some(json!({"code": "123456"})),
            (409, "no_phone_change"),
        ),
        (
            Method::GET,
            "/v1/me/change-requests/not-an-id".into(),
            None,
            (404, "change_request_not_found"),
        ),
        (
            Method::POST,
            "/v1/me/change-requests".into(),
            Some(json!({"changes": {"surname": "X"}, "extra": 1})),
            (400, "invalid_body"),
        ),
        (
            Method::GET,
            "/v1/uploads/garbage".into(),
            None,
            (404, "document_not_found"),
        ),
    ];
    answer_problem_json_in_russian(&host, &token, cases).await;
}

#[tokio::test]
async fn the_rarer_refusals_of_staff_routes_answer_problem_json_in_the_callers_language() {
    let host = spawn_env().await;
    let registration = host.operator("registration_operator").await;
    let none = "chg_0123456789abcdef0123456789abcdef";
    let cases: Vec<Case> = vec![
        // Staff change their data through an admin, not by change request.
        (
            Method::POST,
            "/v1/me/change-requests".into(),
            Some(json!({"changes": {"surname": "X"}})),
            (403, "not_for_account_type"),
        ),
        (
            Method::POST,
            format!("/v1/operator/change-requests/{none}/approval"),
            None,
            (404, "change_request_not_found"),
        ),
        (
            Method::POST,
            format!("/v1/operator/change-requests/{none}/refusal"),
            Some(json!({"reason": ""})),
            (422, "invalid_fields"),
        ),
        (
            Method::POST,
            "/v1/operator/accounts/garbage/refusal".into(),
            Some(json!({"reason": "no"})),
            (404, "account_not_found"),
        ),
    ];
    answer_problem_json_in_russian(&host, &registration, cases).await;
}

#[tokio::test]
async fn a_document_whose_file_has_not_arrived_has_nothing_to_download_even_for_its_owner() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let issued = host
        .upload_request(&token, "licence", "application/pdf")
        .await;
    let id = issued["document"]["upload_id"].as_str().unwrap();
    let (status, body) = host
        .api(
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
    let (status, body) = host
        .api(
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

/// Sends each case in Russian with the session `token` and checks that it answers
/// problem+json with the expected status and code, its message in Russian.
async fn answer_problem_json_in_russian(host: &TestHost, token: &str, cases: Vec<Case>) {
    for (method, path, body, expected) in cases {
        let response = reqwest::Client::new()
            .request(method, format!("{}{path}", host.url()))
            .bearer_auth(token)
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
}
