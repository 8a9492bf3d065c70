//! Registration drafts: a host uploads the passport scan and photo before the account
//! exists, fills the form from the zone, and registers with the draft; the account
//! then owns the uploads. A draft nobody registered with is swept with its files.

use dev_host::DevHost;
use reqwest::Method;
use serde_json::{Value, json};

use crate::ereg::codes_of;
use crate::helpers::*;
use crate::registration::{codes_sent_to, post, solved_challenge};
use crate::uploads::{object_exists, post_form, print_copy_exists};

/// One call with a draft's token (or none) in `X-Draft-Token`: status and body.
async fn with_draft(
    host: &DevHost,
    method: Method,
    path: &str,
    draft: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", host.url()))
        .header("accept-language", "en");
    if let Some(draft) = draft {
        request = request.header("x-draft-token", draft);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn new_draft(host: &DevHost) -> String {
    let (status, draft) =
        with_draft(host, Method::POST, "/v1/registration-drafts", None, None).await;
    assert_eq!(status, 201, "{draft}");
    assert_eq!(draft["expires_in_secs"], 3600);
    assert_eq!(draft["max_uploads"], 10);
    draft["draft_token"].as_str().unwrap().to_owned()
}

/// Uploads `bytes` as a document of `kind` of the draft; its id.
async fn draft_upload(host: &DevHost, draft: &str, kind: &str, bytes: Vec<u8>) -> String {
    let (status, issued) = with_draft(
        host,
        Method::POST,
        "/v1/registration-drafts/uploads",
        Some(draft),
        Some(&json!({"kind": kind, "content_type": "image/jpeg"})),
    )
    .await;
    assert_eq!(status, 201, "{issued}");
    post_form(&issued, bytes).await
}

/// The draft's document once its check has run.
async fn draft_checked(host: &DevHost, draft: &str, id: &str) -> Value {
    eventually(std::time::Duration::from_secs(30), "the check", || async {
        let (status, document) = with_draft(
            host,
            Method::GET,
            &format!("/v1/registration-drafts/uploads/{id}"),
            Some(draft),
            None,
        )
        .await;
        assert_eq!(status, 200, "{document}");
        (document["status"] != "awaiting_upload").then_some(document)
    })
    .await
}

#[tokio::test]
async fn a_host_uploads_before_the_account_exists_and_an_abandoned_draft_is_swept() {
    let host = spawn_env().await;

    // No draft, or an unknown one: 401 draft_expired.
    let ask = json!({"kind": "photo", "content_type": "image/jpeg"});
    for token in [None, Some("not-a-draft")] {
        let (status, body) = with_draft(
            &host,
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

    // The passport scan and the photo go up under the draft.
    let draft = new_draft(&host).await;
    let sample = mrz_reader::synth::sample(52);
    let scan = draft_upload(&host, &draft, "passport_scan", sample.jpeg).await;
    let photo = draft_upload(&host, &draft, "photo", imaging::fixtures::portrait_jpeg()).await;
    assert_eq!(draft_checked(&host, &draft, &scan).await["mrz_read"], true);
    assert_eq!(
        draft_checked(&host, &draft, &photo).await["status"],
        "checked"
    );
    assert!(print_copy_exists(&host, &photo).await);
    // A kind no registration form names is refused.
    let (status, body) = with_draft(
        &host,
        Method::POST,
        "/v1/registration-drafts/uploads",
        Some(&draft),
        Some(&json!({"kind": "technical_passport", "content_type": "image/jpeg"})),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        codes_of(&body),
        [("kind".into(), "invalid_document_kind".into())]
    );

    // Another draft cannot see them.
    let stranger = new_draft(&host).await;
    for path in [
        format!("/v1/registration-drafts/uploads/{scan}"),
        format!("/v1/registration-drafts/uploads/{scan}/mrz"),
    ] {
        let (status, body) = with_draft(&host, Method::GET, &path, Some(&stranger), None).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("document_not_found"))
        );
    }

    // The form is filled from the zone.
    let (status, zone) = with_draft(
        &host,
        Method::GET,
        &format!("/v1/registration-drafts/uploads/{scan}/mrz"),
        Some(&draft),
        None,
    )
    .await;
    assert_eq!(status, 200, "{zone}");
    let f = &zone["fields"];
    assert_ne!(
        f["issuing_state"], "KGZ",
        "the sample must be a foreign passport"
    );
    let (email, phone) = (unique_email(), unique_phone());
    let form = |challenge: (String, String), draft: Option<&str>| {
        json!({
            "type": "host_foreign_owner", "consent": true,
            "challenge_id": challenge.0, "challenge_answer": challenge.1,
            "draft_token": draft,
            "email": email, "phone": phone.trim_start_matches('+'),
            "password": "Tash-Rabat#1994", "password_repeat": "Tash-Rabat#1994",
            "surname": f["surname"], "given_names": f["given_names"],
            "birth_date": f["birth_date"], "sex": f["sex"],
            "document_country": f["issuing_state"], "document_number": f["document_number"],
            "document_issued": "2021-05-17", "document_expires": f["expiry_date"],
            "passport_scan": scan, "photo": photo
        })
    };

    // Naming documents without the draft, or with another draft: field errors.
    let (status, _, body) = post(
        &host,
        "/v1/accounts",
        &form(solved_challenge(&host).await, None),
        "en",
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(codes_of(&body), [("draft_token".into(), "required".into())]);
    let other = new_draft(&host).await;
    let (status, _, body) = post(
        &host,
        "/v1/accounts",
        &form(solved_challenge(&host).await, Some(&other)),
        "en",
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        codes_of(&body),
        [
            ("passport_scan".into(), "document_not_found".into()),
            ("photo".into(), "document_not_found".into())
        ]
    );

    // With its own draft: registered, and the draft is used up.
    let (status, _, body) = post(
        &host,
        "/v1/accounts",
        &form(solved_challenge(&host).await, Some(&draft)),
        "en",
    )
    .await;
    assert_eq!(status, 202, "{body}");
    let (status, body) = with_draft(
        &host,
        Method::GET,
        &format!("/v1/registration-drafts/uploads/{scan}"),
        Some(&draft),
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("draft_expired"))
    );
    let (status, _, body) = post(
        &host,
        "/v1/accounts",
        &form(solved_challenge(&host).await, Some(&draft)),
        "en",
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        codes_of(&body),
        [("draft_token".into(), "draft_expired".into())]
    );

    // Activated and signed in, the host owns both uploads and reads the zone.
    let code = codes_sent_to(&phone, 1).await.remove(0);
    let (status, _, _) = post(
        &host,
        "/v1/accounts/activation",
        &json!({"email": email, "code": code}),
        "en",
    )
    .await;
    assert_eq!(status, 200);
    let token = session(&host, &email, "Tash-Rabat#1994").await;
    let (_, list) = api(&host, Method::GET, "/v1/uploads", Some(&token), None).await;
    let mut ids: Vec<&str> = list["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["upload_id"].as_str().unwrap())
        .collect();
    ids.sort();
    let mut expected = [scan.as_str(), photo.as_str()];
    expected.sort();
    assert_eq!(ids, expected);
    let (status, _) = api(
        &host,
        Method::GET,
        &format!("/v1/uploads/{scan}/mrz"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200);

    // A draft has ten uploads at most.
    let abandoned = new_draft(&host).await;
    let left = draft_upload(
        &host,
        &abandoned,
        "photo",
        imaging::fixtures::portrait_jpeg(),
    )
    .await;
    draft_checked(&host, &abandoned, &left).await;
    for _ in 1..10 {
        let (status, _) = with_draft(
            &host,
            Method::POST,
            "/v1/registration-drafts/uploads",
            Some(&abandoned),
            Some(&ask),
        )
        .await;
        assert_eq!(status, 201);
    }
    let (status, body) = with_draft(
        &host,
        Method::POST,
        "/v1/registration-drafts/uploads",
        Some(&abandoned),
        Some(&ask),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("too_many_uploads"))
    );

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
    assert!(!object_exists(&host, &left).await);
    assert!(!print_copy_exists(&host, &left).await);
    assert_eq!(
        sweep.run_at(later).await.unwrap(),
        draft_sweep::Swept::default()
    );
    let (_, list) = api(&host, Method::GET, "/v1/uploads", Some(&token), None).await;
    assert_eq!(list["documents"].as_array().unwrap().len(), 2);
    assert!(object_exists(&host, &photo).await);
    assert!(print_copy_exists(&host, &photo).await);

    // Thirty drafts an hour from one source (four so far); the next waits.
    for _ in 5..=30 {
        new_draft(&host).await;
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
