//! Changing the phone: it receives sign-in codes, so a change takes the password and
//! holds only once the code sent to the new number comes back.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_phone_change_needs_a_kyrgyz_mobile_and_the_password() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let (status, body) = host
        .api(
            Method::POST,
            "/v1/me/phone",
            Some(&token),
            Some(&json!({"phone": "+77011234567", "password": HOST_PASSWORD})),
        )
        .await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("invalid_kyrgyz_mobile"))
    );
    let new_phone = unique_phone();
    let (status, body) = host
        .api(
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
}

#[tokio::test]
async fn the_phone_changes_only_with_the_code_sent_to_the_new_number_and_once() {
    let host = spawn_env().await;
    let Account {
        token,
        phone: old_phone,
        ..
    } = host.active_ereg_host().await;
    let new_phone = unique_phone();
    let ask = json!({"phone": new_phone.trim_start_matches('+'), "password": HOST_PASSWORD});
    let (status, body) = host
        .api(Method::POST, "/v1/me/phone", Some(&token), Some(&ask))
        .await;
    assert_eq!(status, 202, "{body}");
    let (status, body) = host
        .api(Method::POST, "/v1/me/phone", Some(&token), Some(&ask))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("resend_too_soon"))
    );
    let code = codes_sent_to(&new_phone, 1).await.remove(0);
    let confirm = |code: &str| {
        let (host, token, body) = (&host, &token, json!({ "code": code }));
        async move {
            host.api(
                Method::POST,
                "/v1/me/phone/confirm",
                Some(token),
                Some(&body),
            )
            .await
        }
    };
    let (status, body) = confirm(wrong_code(&code)).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_code")));
    let (_, me) = host.api(Method::GET, "/v1/me", Some(&token), None).await;
    assert_eq!(me["phone"], old_phone.as_str(), "unchanged until the code");
    let (status, me) = confirm(&code).await;
    assert_eq!(
        (status, me["phone"].as_str()),
        (200, Some(new_phone.as_str()))
    );
    let (status, body) = confirm(&code).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("no_phone_change")),
        "single use"
    );
}

#[tokio::test]
async fn five_wrong_codes_spend_a_phone_change_and_the_right_one_no_longer_works() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let newer = unique_phone();
    host.api(
        Method::POST,
        "/v1/me/phone",
        Some(&token),
        Some(&json!({"phone": newer.trim_start_matches('+'), "password": HOST_PASSWORD})),
    )
    .await;
    let code = codes_sent_to(&newer, 1).await.remove(0);
    let confirm = |code: &str| {
        let (host, token, body) = (&host, &token, json!({ "code": code }));
        async move {
            host.api(
                Method::POST,
                "/v1/me/phone/confirm",
                Some(token),
                Some(&body),
            )
            .await
        }
    };
    for _ in 0..5 {
        let (status, _) = confirm(wrong_code(&code)).await;
        assert_eq!(status, 422);
    }
    let (status, body) = confirm(&code).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("code_attempts_exceeded"))
    );
}
