//! Change requests of an ereg host: checked at once, one at a time, seen only by the
//! holder and the registration authority, and refused with a reason that reaches the
//! holder.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_change_request_with_bad_fields_or_no_change_is_refused_and_nothing_is_stored() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let registration = host.operator("registration_operator").await;
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
        let (status, body) = host.change_request(&token, changes.clone()).await;
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
    let (status, body) = host
        .change_request(&token, json!({"surname": "ASANOV"}))
        .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("no_changes")));
    // Nothing of those was stored.
    let (_, list) = host
        .api(
            Method::GET,
            "/v1/operator/change-requests",
            Some(&registration),
            None,
        )
        .await;
    assert_eq!(list["requests"], json!([]));
}

#[tokio::test]
async fn a_change_request_names_only_the_holders_own_unrefused_photos() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let stranger = host.active_ereg_host().await.token;
    let strangers = host.upload(&stranger, "photo", jpeg(600, 800)).await;
    let refused = host
        .upload_as(&token, "photo", "image/jpeg", b"GIF89a no photo".to_vec())
        .await;
    host.checked(&token, &refused).await;
    let scan = host.upload(&token, "passport_scan", jpeg(1200, 900)).await;
    for (id, expected) in [
        ("upl_0123456789abcdef0123456789abcdef", "document_not_found"),
        (strangers.as_str(), "document_not_found"),
        (scan.as_str(), "document_not_found"),
        (refused.as_str(), "document_rejected"),
    ] {
        let (status, body) = host.change_request(&token, json!({ "photo": id })).await;
        assert_eq!(status, 422, "{id}");
        assert_eq!(body["errors"][0]["code"], expected, "{id}");
    }
}

#[tokio::test]
async fn a_pending_change_request_holds_its_photo_and_waits_alone() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let (_, photo) = host.pending_photo_change(&token).await;
    // The photo it names cannot be swapped or deleted behind the operator's back.
    for method in [Method::DELETE, Method::PUT] {
        let (status, body) = host
            .api(
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
    let (status, body) = host
        .change_request(&token, json!({"surname": "Asanova"}))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("change_request_pending"))
    );
}

#[tokio::test]
async fn only_the_holder_and_the_registration_authority_see_a_change_request() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let other = host.active_ereg_host().await.token;
    let registration = host.operator("registration_operator").await;
    let labour = host.operator("labour_operator").await;
    let (id, _) = host.pending_photo_change(&token).await;

    let own = format!("/v1/me/change-requests/{id}");
    let (status, _) = host.api(Method::GET, &own, Some(&token), None).await;
    assert_eq!(status, 200);
    let (status, body) = host.api(Method::GET, &own, Some(&other), None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("change_request_not_found"))
    );
    let list = "/v1/operator/change-requests";
    let (_, labours) = host.api(Method::GET, list, Some(&labour), None).await;
    assert_eq!(labours["requests"], json!([]));
    let (_, registrations) = host.api(Method::GET, list, Some(&registration), None).await;
    assert_eq!(registrations["requests"][0]["request_id"], id.as_str());
}

#[tokio::test]
async fn a_refused_change_request_keeps_the_data_tells_the_holder_why_and_allows_another() {
    let host = spawn_env().await;
    let Account { email, token, .. } = host.active_ereg_host().await;
    let registration = host.operator("registration_operator").await;
    let (id, new_photo) = host.pending_photo_change(&token).await;

    let reason = "The photo does not meet the requirements";
    let (status, refused) = host
        .api(
            Method::POST,
            &format!("/v1/operator/change-requests/{id}/refusal"),
            Some(&registration),
            Some(&json!({ "reason": reason })),
        )
        .await;
    assert_eq!((status, refused["status"].as_str()), (200, Some("refused")));
    let own = format!("/v1/me/change-requests/{id}");
    let (_, mine) = host.api(Method::GET, &own, Some(&token), None).await;
    assert_eq!(mine["reason"], reason);
    let (_, profile) = host
        .api(Method::GET, "/v1/me/profile", Some(&token), None)
        .await;
    assert!(profile["data"]["photo"].is_string(), "{profile}");
    assert_ne!(
        profile["data"]["photo"],
        new_photo.as_str(),
        "the data stay"
    );
    let mail = email_with_subject(&email, "Your account data change has been refused").await;
    assert!(mail.html.contains(reason));
    // Refused, the holder may ask again.
    let (status, _) = host
        .change_request(&token, json!({"surname": "Asanova"}))
        .await;
    assert_eq!(status, 202);
}
