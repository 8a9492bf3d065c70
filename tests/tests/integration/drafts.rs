//! Registration drafts: a host uploads the passport scan and photo before the account
//! exists, fills the form from the zone, and registers with the draft; the account
//! then owns the uploads. A draft nobody registered with is swept with its files.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn a_draft_upload_needs_a_known_draft() {
    let host = spawn_env().await;
    let ask = json!({"kind": "photo", "content_type": "image/jpeg"});
    for token in [None, Some("not-a-draft")] {
        let (status, body) = host
            .with_draft(
                Method::POST,
                "/v1/registration-drafts/uploads",
                token,
                Some(&ask),
            )
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("draft_expired"))
        );
    }
}

#[tokio::test]
async fn a_draft_takes_the_passport_scan_and_photo_and_refuses_kinds_no_form_names() {
    let host = spawn_env().await;
    let uploads = host.draft_with_uploads().await;
    assert!(host.print_copy_exists(&uploads.photo).await);
    let (status, body) = host
        .draft_upload_request(&uploads.draft, "technical_passport")
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        codes_of(&body),
        [("kind".into(), "invalid_document_kind".into())]
    );
}

#[tokio::test]
async fn another_draft_cannot_see_a_drafts_uploads() {
    let host = spawn_env().await;
    let uploads = host.draft_with_uploads().await;
    let stranger = host.new_draft().await;
    let scan = &uploads.scan;
    for path in [
        format!("/v1/registration-drafts/uploads/{scan}"),
        format!("/v1/registration-drafts/uploads/{scan}/mrz"),
    ] {
        let (status, body) = host
            .with_draft(Method::GET, &path, Some(&stranger), None)
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("document_not_found"))
        );
    }
}

#[tokio::test]
async fn a_sign_up_names_a_drafts_documents_only_with_that_draft_and_uses_it_up() {
    let host = spawn_env().await;
    let uploads = host.draft_with_uploads().await;
    let sign_up = host.foreign_owner_sign_up(&uploads).await;
    assert_ne!(
        sign_up.fields["issuing_state"], "KGZ",
        "the sample must be a foreign passport"
    );
    // Naming documents without the draft, or with another draft: field errors.
    let form = sign_up.form(host.solved_challenge().await, None);
    let (status, _, body) = host.post("/v1/accounts", &form, "en").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(codes_of(&body), [("draft_token".into(), "required".into())]);
    let other = host.new_draft().await;
    let form = sign_up.form(host.solved_challenge().await, Some(&other));
    let (status, _, body) = host.post("/v1/accounts", &form, "en").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        codes_of(&body),
        [
            ("passport_scan".into(), "document_not_found".into()),
            ("photo".into(), "document_not_found".into())
        ]
    );

    // With its own draft: registered, and the draft is used up.
    let form = sign_up.form(host.solved_challenge().await, Some(&uploads.draft));
    let (status, _, body) = host.post("/v1/accounts", &form, "en").await;
    assert_eq!(status, 202, "{body}");
    let (status, body) = host
        .with_draft(
            Method::GET,
            &format!("/v1/registration-drafts/uploads/{}", uploads.scan),
            Some(&uploads.draft),
            None,
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("draft_expired"))
    );
    let form = sign_up.form(host.solved_challenge().await, Some(&uploads.draft));
    let (status, _, body) = host.post("/v1/accounts", &form, "en").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        codes_of(&body),
        [("draft_token".into(), "draft_expired".into())]
    );
}

#[tokio::test]
async fn the_activated_host_owns_its_drafts_uploads_and_reads_the_zone() {
    let host = spawn_env().await;
    let uploads = host.draft_with_uploads().await;
    let token = host.claimed(&uploads).await;
    let (_, list) = host
        .api(Method::GET, "/v1/uploads", Some(&token), None)
        .await;
    let mut ids: Vec<&str> = list["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["upload_id"].as_str().unwrap())
        .collect();
    ids.sort();
    let mut expected = [uploads.scan.as_str(), uploads.photo.as_str()];
    expected.sort();
    assert_eq!(ids, expected);
    let (status, _) = host
        .api(
            Method::GET,
            &format!("/v1/uploads/{}/mrz", uploads.scan),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_draft_has_ten_uploads_at_most() {
    let host = spawn_env().await;
    let draft = host.new_draft().await;
    for _ in 0..10 {
        let (status, _) = host.draft_upload_request(&draft, "photo").await;
        assert_eq!(status, 201);
    }
    let (status, body) = host.draft_upload_request(&draft, "photo").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("too_many_uploads"))
    );
}

#[tokio::test]
async fn the_sweep_deletes_lapsed_unclaimed_drafts_with_their_files_and_never_a_claimed_drafts() {
    let host = spawn_env().await;
    let claimed = host.draft_with_uploads().await;
    let token = host.claimed(&claimed).await;
    // Two empty drafts and one with a checked photo and nine uploads that never came.
    host.new_draft().await;
    host.new_draft().await;
    let abandoned = host.new_draft().await;
    let left = host
        .draft_upload(&abandoned, "photo", imaging::fixtures::portrait_jpeg())
        .await;
    host.draft_checked(&abandoned, &left).await;
    for _ in 1..10 {
        let (status, _) = host.draft_upload_request(&abandoned, "photo").await;
        assert_eq!(status, 201);
    }

    // The sweep leaves live drafts alone; once they lapse, it deletes the unclaimed
    // ones with their files and print copies, and never the claimed draft's uploads.
    let sweep = draft_sweep::DraftSweep::from_deps(&host.deps);
    let now = domain::clock::now_secs();
    let swept = sweep.run_at(now).await.unwrap();
    assert_eq!(swept.drafts, 0);
    let later = now + domain::document::draft::TTL_SECS + draft_sweep::GRACE_SECS + 60;
    let swept = sweep.run_at(later).await.unwrap();
    assert_eq!((swept.drafts, swept.documents), (3, 10));
    assert!(host.deps.documents().get(&left).await.unwrap().is_none());
    assert!(!host.object_exists(&left).await);
    assert!(!host.print_copy_exists(&left).await);
    assert_eq!(
        sweep.run_at(later).await.unwrap(),
        draft_sweep::Swept::default()
    );
    let (_, list) = host
        .api(Method::GET, "/v1/uploads", Some(&token), None)
        .await;
    assert_eq!(list["documents"].as_array().unwrap().len(), 2);
    assert!(host.object_exists(&claimed.photo).await);
    assert!(host.print_copy_exists(&claimed.photo).await);
}

#[tokio::test]
async fn thirty_drafts_an_hour_come_from_one_source_and_the_next_waits() {
    let host = spawn_env().await;
    for _ in 1..=30 {
        host.new_draft().await;
    }
    let response = reqwest::Client::new()
        .post(format!("{}/v1/registration-drafts", host.url()))
        .header("accept-language", "ru")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
    assert!(
        body["detail"].as_str().unwrap().contains("запросов"),
        "{body}"
    );
}
