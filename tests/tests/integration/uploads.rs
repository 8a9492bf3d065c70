//! Documents: a form S3 enforces, the upload event reaching the image check through the
//! dev host, findings on the record, and nobody else's documents.

use std::io::Cursor;
use std::time::Duration;

use dev_host::DevHost;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::operators::active_host;

pub(crate) fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 255) as u8, (y % 255) as u8, 200])
    })
    .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
    .unwrap();
    out
}

/// Asks for an upload of `kind` and posts `bytes` with the form; the document's id.
pub(crate) async fn upload(
    host: &DevHost,
    token: &str,
    kind: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> String {
    let (status, issued) = api(
        host,
        Method::POST,
        "/v1/uploads",
        Some(token),
        Some(&json!({"kind": kind, "content_type": content_type})),
    )
    .await;
    assert_eq!(status, 201, "{issued}");
    post_form(&issued, bytes).await
}

/// Posts `bytes` with the form an upload request issued; the document's id.
pub(crate) async fn post_form(issued: &Value, bytes: Vec<u8>) -> String {
    assert_eq!(issued["document"]["status"], "awaiting_upload");
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in issued["form"]["fields"].as_object().unwrap() {
        form = form.text(name.clone(), value.as_str().unwrap().to_owned());
    }
    form = form.part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name("upload.jpg"),
    );
    let response = reqwest::Client::new()
        .post(issued["form"]["url"].as_str().unwrap())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    issued["document"]["upload_id"].as_str().unwrap().to_owned()
}

/// The document once its check has run.
pub(crate) async fn checked(host: &DevHost, token: &str, id: &str) -> Value {
    eventually(Duration::from_secs(30), "the image check", || async {
        let (_, document) = api(
            host,
            Method::GET,
            &format!("/v1/uploads/{id}"),
            Some(token),
            None,
        )
        .await;
        (document["status"] != "awaiting_upload").then_some(document)
    })
    .await
}

pub(crate) async fn print_copy_exists(host: &DevHost, id: &str) -> bool {
    host.deps
        .s3
        .head_object()
        .bucket(host.deps.resources.bucket(adapters::Bucket::Uploads))
        .key(adapters::documents::DocumentRecord::print_copy_key(id))
        .send()
        .await
        .is_ok()
}

/// Whether the bucket still holds the file of document `id`.
pub(crate) async fn object_exists(host: &DevHost, id: &str) -> bool {
    let bucket = host.deps.resources.bucket(adapters::Bucket::Uploads);
    let listed = host
        .deps
        .s3
        .list_objects_v2()
        .bucket(bucket)
        .send()
        .await
        .unwrap();
    listed
        .contents()
        .iter()
        .any(|o| o.key().is_some_and(|k| k.ends_with(id)))
}

#[tokio::test]
async fn a_photo_goes_up_through_the_form_is_checked_and_comes_back_by_link() {
    let host = spawn_env().await;
    let (_, token, _) = active_host(&host).await;
    let bytes = imaging::fixtures::portrait_jpeg();
    let id = upload(&host, &token, "photo", "image/jpeg", bytes.clone()).await;
    let document = checked(&host, &token, &id).await;
    assert_eq!(document["status"], "checked", "{document}");
    assert_eq!(document["findings"], json!([]));
    assert_eq!(document["size"], bytes.len());
    use sha2::Digest;
    assert_eq!(
        document["sha256"],
        hex::encode(sha2::Sha256::digest(&bytes))
    );

    let (_, list) = api(&host, Method::GET, "/v1/uploads", Some(&token), None).await;
    assert_eq!(list["documents"][0]["upload_id"], id.as_str());
    let (status, link) = api(
        &host,
        Method::GET,
        &format!("/v1/uploads/{id}/download"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let fetched = reqwest::get(link["url"].as_str().unwrap())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(fetched.as_ref(), bytes.as_slice());

    // Its print copy goes when the photo is replaced, and the file when it is deleted.
    assert!(print_copy_exists(&host, &id).await);
    let (status, _) = api(
        &host,
        Method::PUT,
        &format!("/v1/uploads/{id}"),
        Some(&token),
        Some(&json!({"kind": "photo", "content_type": "image/jpeg"})),
    )
    .await;
    assert_eq!(status, 200);
    assert!(!print_copy_exists(&host, &id).await);
    let (status, _) = api(
        &host,
        Method::DELETE,
        &format!("/v1/uploads/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert!(!object_exists(&host, &id).await);
}

#[tokio::test]
async fn a_non_image_named_jpg_and_an_oversized_photo_are_rejected_with_their_codes_and_deleted() {
    let host = spawn_env().await;
    let (_, token, _) = active_host(&host).await;
    let fake = upload(
        &host,
        &token,
        "photo",
        "image/jpeg",
        b"GIF89a this is not a JPEG at all".to_vec(),
    )
    .await;
    let document = checked(&host, &token, &fake).await;
    assert_eq!(document["status"], "rejected");
    assert_eq!(document["findings"][0]["code"], "unsupported_document_type");
    assert_eq!(
        document["findings"][0]["message"],
        domain::Code::UnsupportedDocumentType.message(domain::Lang::En)
    );
    assert!(
        !object_exists(&host, &fake).await,
        "a refused file is deleted"
    );

    // The emulator does not enforce the form's size range; the check does.
    let mut big = jpeg(600, 800);
    big.resize(domain::document::PHOTO_MAX_BYTES as usize + 1, 0);
    let oversized = upload(&host, &token, "photo", "image/jpeg", big).await;
    let document = checked(&host, &token, &oversized).await;
    assert_eq!(document["status"], "rejected");
    assert_eq!(document["findings"][0]["code"], "file_too_large");
    assert!(!object_exists(&host, &oversized).await);

    // A small, square photo gets codes the user can act on.
    let small = upload(&host, &token, "photo", "image/jpeg", jpeg(300, 300)).await;
    let document = checked(&host, &token, &small).await;
    let codes: Vec<&str> = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["resolution_too_low", "wrong_aspect_ratio"]);
}

#[tokio::test]
async fn requests_name_their_bad_fields_and_nobody_reaches_another_accounts_documents() {
    let host = spawn_env().await;
    let (_, owner, _) = active_host(&host).await;
    let (_, stranger, _) = active_host(&host).await;
    for (body, expected) in [
        (
            json!({"kind": "selfie", "content_type": "image/jpeg"}),
            ("kind", "invalid_document_kind"),
        ),
        (
            json!({"kind": "photo", "content_type": "application/pdf"}),
            ("content_type", "unsupported_document_type"),
        ),
    ] {
        let (status, answer) = api(
            &host,
            Method::POST,
            "/v1/uploads",
            Some(&owner),
            Some(&body),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(
            (
                answer["errors"][0]["field"].as_str().unwrap(),
                answer["errors"][0]["code"].as_str().unwrap()
            ),
            expected
        );
    }
    let (status, _) = api(&host, Method::GET, "/v1/uploads", None, None).await;
    assert_eq!(status, 401);

    let id = upload(
        &host,
        &owner,
        "passport_scan",
        "image/jpeg",
        jpeg(1200, 900),
    )
    .await;
    let photo = json!({"kind": "passport_scan", "content_type": "image/png"});
    for (method, path, body) in [
        (Method::GET, format!("/v1/uploads/{id}"), None),
        (Method::GET, format!("/v1/uploads/{id}/download"), None),
        (Method::PUT, format!("/v1/uploads/{id}"), Some(&photo)),
        (Method::DELETE, format!("/v1/uploads/{id}"), None),
    ] {
        let (status, answer) = api(&host, method, &path, Some(&stranger), body).await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (404, Some("document_not_found")),
            "{path}"
        );
    }
    let (_, list) = api(&host, Method::GET, "/v1/uploads", Some(&stranger), None).await;
    assert_eq!(list["documents"], json!([]));
    // The owner still has it, replaces it (the kind stays), and deletes it.
    let (status, _) = api(
        &host,
        Method::GET,
        &format!("/v1/uploads/{id}"),
        Some(&owner),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (status, answer) = api(
        &host,
        Method::PUT,
        &format!("/v1/uploads/{id}"),
        Some(&owner),
        Some(&json!({"kind": "photo", "content_type": "image/jpeg"})),
    )
    .await;
    assert_eq!(
        (status, answer["errors"][0]["code"].as_str()),
        (422, Some("not_expected"))
    );
    let (status, replaced) = api(
        &host,
        Method::PUT,
        &format!("/v1/uploads/{id}"),
        Some(&owner),
        Some(&photo),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(replaced["document"]["content_type"], "image/png");
    let (status, _) = api(
        &host,
        Method::DELETE,
        &format!("/v1/uploads/{id}"),
        Some(&owner),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = api(
        &host,
        Method::GET,
        &format!("/v1/uploads/{id}"),
        Some(&owner),
        None,
    )
    .await;
    assert_eq!(status, 404);
}

/// A synthetic passport data page, scanned a quarter turn round and skewed 6.7°.
fn passport_scan() -> mrz_reader::synth::Sample {
    let sample = mrz_reader::synth::sample(11);
    assert_eq!(sample.layout, mrz_reader::Layout::Td3);
    sample
}

#[tokio::test]
async fn a_passport_scan_is_read_into_its_zone_for_the_form_and_the_cross_check() {
    let host = spawn_env().await;
    let (_, token, _) = active_host(&host).await;
    let scan = passport_scan();
    let id = upload(
        &host,
        &token,
        "passport_scan",
        "image/jpeg",
        scan.jpeg.clone(),
    )
    .await;
    let document = checked(&host, &token, &id).await;
    assert_eq!(document["status"], "checked", "{document}");
    assert_eq!(document["mrz_read"], true, "{document}");

    let (status, zone) = api(
        &host,
        Method::GET,
        &format!("/v1/uploads/{id}/mrz"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{zone}");
    assert_eq!(zone["layout"], "TD3");
    assert_eq!(zone["lines"], json!(scan.lines));
    assert_eq!(zone["valid"], true);
    assert_eq!(zone["checks"]["composite"], true);
    let fields = &zone["fields"];
    let line2 = &scan.lines[1];
    assert_eq!(fields["document_number"], line2[..9].trim_end_matches('<'));
    assert_eq!(fields["nationality"], line2[10..13].trim_end_matches('<'));
    let surname = scan.lines[0][5..]
        .split("<<")
        .next()
        .unwrap()
        .replace('<', " ");
    assert_eq!(fields["surname"], surname.as_str());
    assert!(zone["confidence"]["document_number"].as_f64().unwrap() >= 0.95);

    // What the user typed, compared with the zone.
    let typed = json!({
        "surname": surname.to_lowercase(),
        "document_number": fields["document_number"],
        "birth_date": fields["birth_date"],
    });
    let path = format!("/v1/uploads/{id}/mrz/cross-check");
    let (status, same) = api(&host, Method::POST, &path, Some(&token), Some(&typed)).await;
    assert_eq!(status, 200, "{same}");
    assert_eq!(same["matches"], true, "{same}");
    let (_, differs) = api(
        &host,
        Method::POST,
        &path,
        Some(&token),
        Some(&json!({"surname": "Someone Else", "birth_date": "1901-01-01"})),
    )
    .await;
    assert_eq!(differs["matches"], false);
    let fields_named: Vec<&str> = differs["mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields_named, ["surname", "birth_date"]);
    let (status, problem) = api(
        &host,
        Method::POST,
        &path,
        Some(&token),
        Some(&json!({"colour": "blue"})),
    )
    .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (400, Some("invalid_body")),
        "{problem}"
    );

    // Nobody else reads it.
    let (_, other, _) = active_host(&host).await;
    let (status, problem) = api(
        &host,
        Method::GET,
        &format!("/v1/uploads/{id}/mrz"),
        Some(&other),
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(problem["code"], "document_not_found");
}

#[tokio::test]
async fn a_scan_without_a_zone_is_kept_with_a_warning_and_the_prefill_says_why() {
    let host = spawn_env().await;
    let (_, token, _) = active_host(&host).await;
    let id = upload(
        &host,
        &token,
        "passport_scan",
        "image/jpeg",
        jpeg(1400, 1000),
    )
    .await;
    let document = checked(&host, &token, &id).await;
    assert_eq!(document["status"], "checked", "{document}");
    assert_eq!(document["mrz_read"], false);
    assert_eq!(document["findings"][0]["code"], "mrz_not_found");
    assert_eq!(document["findings"][0]["severity"], "warning");
    let (status, problem) = api_lang(
        &host,
        Method::GET,
        &format!("/v1/uploads/{id}/mrz"),
        Some(&token),
        None,
        "ru",
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(problem["code"], "mrz_not_found");
    assert!(
        problem["detail"].as_str().unwrap().contains("MRZ"),
        "{problem}"
    );

    // A scan whose file has not arrived has no zone yet.
    let (_, issued) = api(
        &host,
        Method::POST,
        "/v1/uploads",
        Some(&token),
        Some(&json!({"kind": "passport_scan", "content_type": "image/jpeg"})),
    )
    .await;
    let waiting = issued["document"]["upload_id"].as_str().unwrap();
    for (method, path) in [
        (Method::GET, format!("/v1/uploads/{waiting}/mrz")),
        (
            Method::POST,
            format!("/v1/uploads/{waiting}/mrz/cross-check"),
        ),
    ] {
        let (status, problem) = api(&host, method, &path, Some(&token), Some(&json!({}))).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("document_not_checked")),
            "{path}"
        );
    }
    let (status, problem) = api(
        &host,
        Method::POST,
        &format!("/v1/uploads/{id}/mrz/cross-check"),
        Some(&token),
        Some(&json!({"surname": "Asanov"})),
    )
    .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (422, Some("mrz_not_found"))
    );

    // A photo has no zone to read.
    let photo = upload(
        &host,
        &token,
        "photo",
        "image/jpeg",
        imaging::fixtures::portrait_jpeg(),
    )
    .await;
    checked(&host, &token, &photo).await;
    let (status, problem) = api(
        &host,
        Method::GET,
        &format!("/v1/uploads/{photo}/mrz"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(problem["code"], "not_a_passport_scan");
}

#[tokio::test]
async fn a_pdf_with_too_many_pages_is_rejected_and_a_short_one_kept() {
    let host = spawn_env().await;
    let (_, token, _) = active_host(&host).await;
    let long = upload(
        &host,
        &token,
        "licence",
        "application/pdf",
        imaging::fixtures::pdf(21),
    )
    .await;
    let short = upload(
        &host,
        &token,
        "licence",
        "application/pdf",
        imaging::fixtures::pdf(3),
    )
    .await;
    let long = checked(&host, &token, &long).await;
    assert_eq!(long["status"], "rejected", "{long}");
    assert_eq!(long["findings"][0]["code"], "too_many_pages");
    let short = checked(&host, &token, &short).await;
    assert_eq!(short["status"], "checked", "{short}");
    assert_eq!(short["content_type"], "application/pdf");
}
