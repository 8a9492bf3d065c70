//! Every account type signs in, asks to change its data and has the change approved by
//! an operator of its own authority (the other authority cannot decide it).

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn an_employer_edits_its_profile_through_the_labour_authority() {
    edits_its_profile_through_its_authority(
        "employer",
        "activity",
        "Construction and design",
        "Construction and design",
    )
    .await;
}

#[tokio::test]
async fn a_foreign_entrepreneur_edits_its_profile_through_the_labour_authority() {
    edits_its_profile_through_its_authority(
        "foreign_entrepreneur",
        "surname",
        "Muller-Lang",
        "MULLER-LANG",
    )
    .await;
}

#[tokio::test]
async fn a_digital_nomad_edits_its_profile_through_the_labour_authority() {
    edits_its_profile_through_its_authority(
        "digital_nomad",
        "given_names",
        "Anna Maria",
        "ANNA MARIA",
    )
    .await;
}

#[tokio::test]
async fn a_foreign_host_owner_edits_its_profile_through_the_registration_authority() {
    edits_its_profile_through_its_authority(
        "host_foreign_owner",
        "document_number",
        "N12345678",
        "N1***78",
    )
    .await;
}

/// The scenario of the tests above: an account of `kind` registers and signs in, asks
/// to set `field` to `value`, the other authority cannot decide it, its own approves
/// once, and the profile then shows `expected`.
async fn edits_its_profile_through_its_authority(
    kind: &str,
    field: &str,
    value: &str,
    expected: &str,
) {
    let host = spawn_env().await;
    let labour = host.operator("labour_operator").await;
    let registration = host.operator("registration_operator").await;
    let token = host.signed_in_as(kind, &labour).await;
    let (status, profile) = host
        .api(Method::GET, "/v1/me/profile", Some(&token), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(profile["type"], kind);
    if kind != "employer" {
        assert_eq!(
            profile["data"]["document_number"], "C0***47",
            "{kind}: masked"
        );
    }
    let (status, request) = host.change_request(&token, json!({ field: value })).await;
    assert_eq!(status, 202, "{kind}: {request}");
    let id = request["request_id"].as_str().unwrap();
    let (right, wrong) = if kind.starts_with("host") {
        (&registration, &labour)
    } else {
        (&labour, &registration)
    };
    let approval = format!("/v1/operator/change-requests/{id}/approval");
    let (status, _) = host.api(Method::POST, &approval, Some(wrong), None).await;
    assert_eq!(status, 404, "{kind}: the other authority cannot decide it");
    let (status, file) = host
        .api(
            Method::GET,
            &format!("/v1/operator/change-requests/{id}"),
            Some(right),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(file["changes"][field], value);
    let (status, decided) = host.api(Method::POST, &approval, Some(right), None).await;
    assert_eq!(
        (status, decided["status"].as_str()),
        (200, Some("approved")),
        "{kind}"
    );
    let (_, profile) = host
        .api(Method::GET, "/v1/me/profile", Some(&token), None)
        .await;
    assert_eq!(profile["data"][field], expected, "{kind}");
    assert!(profile.get("pending_change").is_none());
    let (status, body) = host.api(Method::POST, &approval, Some(right), None).await;
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
