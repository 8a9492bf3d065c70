//! A second factor at sign-in: an authenticator app (with single-use codes and backup
//! codes) or a code by SMS, turned on and off with the password.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn an_authenticator_is_on_only_once_a_code_from_the_app_is_confirmed() {
    let host = spawn_env().await;
    let Account { email, token, .. } = host.active_ereg_host().await;
    let enrol = "/v1/me/second-factor/totp";
    let (status, body) = host
        .api(
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
    let (status, enrolment) = host
        .api(
            Method::POST,
            enrol,
            Some(&token),
            Some(&json!({ "password": HOST_PASSWORD })),
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
    let (status, _) = host.sign_in_step(&email, HOST_PASSWORD).await;
    assert_eq!(status, 201);
    let confirm = "/v1/me/second-factor/totp/confirm";
    let (status, body) = host
        .api(
            Method::POST,
            confirm,
            Some(&token),
            Some(&json!({"code": "12345"})),
        )
        .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_code")));
    let code = app.generate(domain::clock::now_secs()).to_string();
    let (status, on) = host
        .api(
            Method::POST,
            confirm,
            Some(&token),
            Some(&json!({ "code": code })),
        )
        .await;
    assert_eq!(status, 200, "{on}");
    assert_eq!(on["backup_codes"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn with_an_authenticator_a_sign_in_needs_a_fresh_code_and_its_token_works_once() {
    let host = spawn_env().await;
    let Account { email, token, .. } = host.active_ereg_host().await;
    let authenticator = host.enrolled_authenticator(&token, HOST_PASSWORD).await;
    let (app, t) = (&authenticator.app, authenticator.confirmed_at);

    // The password alone no longer signs in; the code of an already used step does not either.
    let (status, pending) = host.sign_in_step(&email, HOST_PASSWORD).await;
    assert_eq!(
        (status, pending["second_factor"].as_str()),
        (202, Some("totp"))
    );
    let sign_in_token = pending["sign_in_token"].as_str().unwrap();
    let (status, body) = host
        .second_step(sign_in_token, &app.generate(t).to_string())
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("invalid_code")),
        "replayed step"
    );
    let (status, session) = host
        .second_step(sign_in_token, &app.generate(t + 30).to_string())
        .await;
    assert_eq!(status, 201, "{session}");
    let (status, _) = host
        .second_step(sign_in_token, &app.generate(t + 30).to_string())
        .await;
    assert_eq!(status, 401, "the sign-in token is spent");
}

#[tokio::test]
async fn a_backup_code_works_once_and_five_wrong_codes_end_the_sign_in() {
    let host = spawn_env().await;
    let Account { email, token, .. } = host.active_ereg_host().await;
    let backups = host
        .enrolled_authenticator(&token, HOST_PASSWORD)
        .await
        .backups;

    // A backup code works once, typed in any case.
    let (_, pending) = host.sign_in_step(&email, HOST_PASSWORD).await;
    let (status, _) = host
        .second_step(
            pending["sign_in_token"].as_str().unwrap(),
            &backups[3].to_uppercase(),
        )
        .await;
    assert_eq!(status, 201);
    let (_, pending) = host.sign_in_step(&email, HOST_PASSWORD).await;
    let pending_token = pending["sign_in_token"].as_str().unwrap().to_owned();
    let (status, _) = host.second_step(&pending_token, &backups[3]).await;
    assert_eq!(status, 422, "a spent backup code");
    // Five wrong codes end the sign-in.
    for _ in 0..3 {
        let (status, _) = host.second_step(&pending_token, "000000").await;
        assert_eq!(status, 422);
    }
    let (status, body) = host.second_step(&pending_token, "000000").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("code_attempts_exceeded"))
    );
    let (status, body) = host.second_step(&pending_token, &backups[4]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("sign_in_expired"))
    );
    // Those wrong codes count against the account like wrong passwords: the next
    // sign-in needs the anti-bot challenge.
    let (status, body) = host.sign_in_step(&email, HOST_PASSWORD).await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("challenge_required"))
    );
}

#[tokio::test]
async fn turning_the_second_factor_off_takes_the_password_and_the_password_alone_signs_in_again() {
    let host = spawn_env().await;
    let Account { email, token, .. } = host.active_ereg_host().await;
    host.enrolled_authenticator(&token, HOST_PASSWORD).await;
    let (status, _) = host.sign_in_step(&email, HOST_PASSWORD).await;
    assert_eq!(status, 202, "the second factor is on");

    let off = "/v1/me/second-factor";
    let (status, _) = host
        .api(
            Method::DELETE,
            off,
            Some(&token),
            Some(&json!({"password": "nope"})),
        )
        .await;
    assert_eq!(status, 422);
    let (status, _) = host
        .api(
            Method::DELETE,
            off,
            Some(&token),
            Some(&json!({ "password": HOST_PASSWORD })),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = host.sign_in_step(&email, HOST_PASSWORD).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn a_code_by_sms_can_be_the_second_factor() {
    let host = spawn_env().await;
    let Account {
        email,
        token,
        phone,
    } = host.active_ereg_host().await;
    // The activation code and the PIN have come.
    codes_sent_to(&phone, 2).await;
    let use_sms = json!({ "password": HOST_PASSWORD });
    let sms = "/v1/me/second-factor/sms";
    let (status, body) = host
        .api(Method::PUT, sms, Some(&token), Some(&use_sms))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("phone_not_verified"))
    );
    // The phone is proven by a code sent to it: the third SMS.
    let prove = json!({ "phone": phone.trim_start_matches('+'), "password": HOST_PASSWORD });
    let (status, _) = host
        .api(Method::POST, "/v1/me/phone", Some(&token), Some(&prove))
        .await;
    assert_eq!(status, 202);
    let code = codes_sent_to(&phone, 3).await.remove(2);
    let confirm = json!({ "code": code });
    let (status, me) = host
        .api(
            Method::POST,
            "/v1/me/phone/confirm",
            Some(&token),
            Some(&confirm),
        )
        .await;
    assert_eq!((status, &me["phone_verified"]), (200, &json!(true)), "{me}");
    let (status, on) = host
        .api(Method::PUT, sms, Some(&token), Some(&use_sms))
        .await;
    assert_eq!((status, on["second_factor"].as_str()), (200, Some("sms")));
    let (_, me) = host.api(Method::GET, "/v1/me", Some(&token), None).await;
    assert_eq!(me["second_factor"], "sms");
    let (status, pending) = host.sign_in_step(&email, HOST_PASSWORD).await;
    assert_eq!(
        (status, pending["second_factor"].as_str()),
        (202, Some("sms"))
    );
    // An SMS code lives three minutes, as ESI states.
    assert_eq!(pending["expires_in_secs"], 180);
    let code = codes_sent_to(&phone, 4).await.remove(3);
    let (status, body) = host.second_step("not-a-token", &code).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("sign_in_expired"))
    );
    let (status, session) = host
        .second_step(pending["sign_in_token"].as_str().unwrap(), &code)
        .await;
    assert_eq!(status, 201, "{session}");
    assert!(session["token"].as_str().is_some());
}
