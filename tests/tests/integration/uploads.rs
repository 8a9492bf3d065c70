//! Documents: a form S3 enforces, the upload event reaching the image check through the
//! dev host, findings on the record, and nobody else's documents.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_photo_goes_up_through_the_form_is_checked_and_comes_back_by_link() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let bytes = imaging::fixtures::portrait_jpeg();
    let id = host.upload(&token, "photo", bytes.clone()).await;
    let document = host.checked(&token, &id).await;
    assert_eq!(document["status"], "checked", "{document}");
    assert_eq!(document["findings"], json!([]));
    assert_eq!(document["size"], bytes.len());
    use sha2::Digest;
    assert_eq!(
        document["sha256"],
        hex::encode(sha2::Sha256::digest(&bytes))
    );

    let (_, list) = host
        .api(Method::GET, "/v1/uploads", Some(&token), None)
        .await;
    // Listed beside the passport scan and photo the account registered with.
    let listed: Vec<&str> = (list["documents"].as_array().unwrap().iter())
        .map(|d| d["upload_id"].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 3, "{list}");
    assert!(listed.contains(&id.as_str()), "{list}");
    let (status, link) = host
        .api(
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
    assert!(host.print_copy_exists(&id).await);
    let (status, _) = host
        .api(
            Method::PUT,
            &format!("/v1/uploads/{id}"),
            Some(&token),
            Some(&json!({"kind": "photo", "content_type": "image/jpeg"})),
        )
        .await;
    assert_eq!(status, 200);
    assert!(!host.print_copy_exists(&id).await);
    let (status, _) = host
        .api(
            Method::DELETE,
            &format!("/v1/uploads/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 204);
    assert!(!host.object_exists(&id).await);
}

#[tokio::test]
async fn a_non_image_named_jpg_and_an_oversized_photo_are_rejected_with_their_codes_and_deleted() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let fake = host
        .upload_as(
            &token,
            "photo",
            "image/jpeg",
            b"GIF89a this is not a JPEG at all".to_vec(),
        )
        .await;
    let document = host.checked(&token, &fake).await;
    assert_eq!(document["status"], "rejected");
    assert_eq!(document["findings"][0]["code"], "unsupported_document_type");
    assert_eq!(
        document["findings"][0]["message"],
        domain::Code::UnsupportedDocumentType.message(domain::Lang::En)
    );
    assert!(
        !host.object_exists(&fake).await,
        "a refused file is deleted"
    );

    // The emulator does not enforce the form's size range; the check does.
    let mut big = jpeg(600, 800);
    big.resize(domain::document::PHOTO_MAX_BYTES as usize + 1, 0);
    let oversized = host.upload(&token, "photo", big).await;
    let document = host.checked(&token, &oversized).await;
    assert_eq!(document["status"], "rejected");
    assert_eq!(document["findings"][0]["code"], "file_too_large");
    assert!(!host.object_exists(&oversized).await);

    // A small, square photo gets codes the user can act on.
    let small = host.upload(&token, "photo", jpeg(300, 300)).await;
    let document = host.checked(&token, &small).await;
    let codes: Vec<&str> = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["resolution_too_low", "wrong_aspect_ratio"]);
}

#[tokio::test]
async fn an_upload_request_names_its_bad_fields_and_needs_a_session() {
    let host = spawn_env().await;
    let owner = host.active_ereg_host().await.token;
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
        let (status, answer) = host
            .api(Method::POST, "/v1/uploads", Some(&owner), Some(&body))
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
    let (status, _) = host.api(Method::GET, "/v1/uploads", None, None).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn nobody_reaches_another_accounts_documents() {
    let host = spawn_env().await;
    let owner = host.active_ereg_host().await.token;
    let stranger = host.active_ereg_host().await.token;
    let id = host.upload(&owner, "passport_scan", jpeg(1200, 900)).await;
    let png = json!({"kind": "passport_scan", "content_type": "image/png"});
    for (method, path, body) in [
        (Method::GET, format!("/v1/uploads/{id}"), None),
        (Method::GET, format!("/v1/uploads/{id}/download"), None),
        (Method::PUT, format!("/v1/uploads/{id}"), Some(&png)),
        (Method::DELETE, format!("/v1/uploads/{id}"), None),
    ] {
        let (status, answer) = host.api(method, &path, Some(&stranger), body).await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (404, Some("document_not_found")),
            "{path}"
        );
    }
    let (_, list) = host
        .api(Method::GET, "/v1/uploads", Some(&stranger), None)
        .await;
    let listed = list["documents"].to_string();
    assert!(!listed.contains(id.as_str()), "{listed}");
    // The owner still has it.
    let (status, _) = host
        .api(
            Method::GET,
            &format!("/v1/uploads/{id}"),
            Some(&owner),
            None,
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_owner_replaces_a_document_of_the_same_kind_and_deletes_it() {
    let host = spawn_env().await;
    let owner = host.active_ereg_host().await.token;
    let id = host.upload(&owner, "passport_scan", jpeg(1200, 900)).await;
    let path = format!("/v1/uploads/{id}");
    let (status, answer) = host
        .api(
            Method::PUT,
            &path,
            Some(&owner),
            Some(&json!({"kind": "photo", "content_type": "image/jpeg"})),
        )
        .await;
    assert_eq!(
        (status, answer["errors"][0]["code"].as_str()),
        (422, Some("not_expected"))
    );
    let png = json!({"kind": "passport_scan", "content_type": "image/png"});
    let (status, replaced) = host.api(Method::PUT, &path, Some(&owner), Some(&png)).await;
    assert_eq!(status, 200);
    assert_eq!(replaced["document"]["content_type"], "image/png");
    let (status, _) = host.api(Method::DELETE, &path, Some(&owner), None).await;
    assert_eq!(status, 204);
    let (status, _) = host.api(Method::GET, &path, Some(&owner), None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_passport_scan_is_read_into_its_zone_for_its_owner_only() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let scan = rotated_passport_scan();
    let id = host
        .upload(&token, "passport_scan", scan.jpeg.clone())
        .await;
    let document = host.checked(&token, &id).await;
    assert_eq!(document["status"], "checked", "{document}");
    assert_eq!(document["mrz_read"], true, "{document}");

    let path = format!("/v1/uploads/{id}/mrz");
    let (status, zone) = host.api(Method::GET, &path, Some(&token), None).await;
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

    // Nobody else reads it.
    let other = host.active_ereg_host().await.token;
    let (status, problem) = host.api(Method::GET, &path, Some(&other), None).await;
    assert_eq!(status, 404);
    assert_eq!(problem["code"], "document_not_found");
}

#[tokio::test]
async fn the_cross_check_compares_what_the_user_typed_with_the_zone() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let scan = rotated_passport_scan().jpeg;
    let id = host.upload(&token, "passport_scan", scan).await;
    assert_eq!(host.checked(&token, &id).await["mrz_read"], true);
    let (_, zone) = host
        .api(
            Method::GET,
            &format!("/v1/uploads/{id}/mrz"),
            Some(&token),
            None,
        )
        .await;
    let fields = &zone["fields"];
    let surname = fields["surname"].as_str().unwrap();

    let typed = json!({
        "surname": surname.to_lowercase(),
        "document_number": fields["document_number"],
        "birth_date": fields["birth_date"],
    });
    let path = format!("/v1/uploads/{id}/mrz/cross-check");
    let (status, same) = host
        .api(Method::POST, &path, Some(&token), Some(&typed))
        .await;
    assert_eq!(status, 200, "{same}");
    assert_eq!(same["matches"], true, "{same}");
    let (_, differs) = host
        .api(
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
    let (status, problem) = host
        .api(
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
}

#[tokio::test]
async fn a_scan_without_a_zone_is_kept_with_a_warning_and_the_prefill_says_why() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let id = host.upload(&token, "passport_scan", jpeg(1400, 1000)).await;
    let document = host.checked(&token, &id).await;
    assert_eq!(document["status"], "checked", "{document}");
    assert_eq!(document["mrz_read"], false);
    assert_eq!(document["findings"][0]["code"], "mrz_not_found");
    assert_eq!(document["findings"][0]["severity"], "warning");
    let (status, problem) = host
        .api_lang(
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
    let (status, problem) = host
        .api(
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
}

#[tokio::test]
async fn a_zone_whose_check_digits_fail_is_illegible_and_prefills_nothing() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    // Sample 52 printed with every check digit of its second line wrong.
    let spoiled = mrz_reader::synth::sample_altered(52, &mrz_reader::synth::spoil_td3_check_digits);
    let id = host.upload(&token, "passport_scan", spoiled.jpeg).await;
    let document = host.checked(&token, &id).await;
    assert_eq!(
        (&document["status"], &document["mrz_read"]),
        (&json!("checked"), &json!(false)),
        "{document}"
    );
    assert_eq!(document["findings"][0]["code"], "mrz_illegible");
    let (status, problem) = host
        .api(
            Method::GET,
            &format!("/v1/uploads/{id}/mrz"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (422, Some("mrz_illegible"))
    );
    assert!(problem.get("prefill").is_none(), "{problem}");
}

#[tokio::test]
async fn a_scan_whose_file_has_not_arrived_has_no_zone_yet() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let issued = host
        .upload_request(&token, "passport_scan", "image/jpeg")
        .await;
    let waiting = issued["document"]["upload_id"].as_str().unwrap();
    for (method, path) in [
        (Method::GET, format!("/v1/uploads/{waiting}/mrz")),
        (
            Method::POST,
            format!("/v1/uploads/{waiting}/mrz/cross-check"),
        ),
    ] {
        let (status, problem) = host
            .api(method, &path, Some(&token), Some(&json!({})))
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("document_not_checked")),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_photo_has_no_zone_to_read() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    let photo = host
        .upload(&token, "photo", imaging::fixtures::portrait_jpeg())
        .await;
    host.checked(&token, &photo).await;
    let (status, problem) = host
        .api(
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
    let token = host.active_ereg_host().await.token;
    let long = host
        .upload(&token, "licence", imaging::fixtures::pdf(21))
        .await;
    let short = host
        .upload(&token, "licence", imaging::fixtures::pdf(3))
        .await;
    let long = host.checked(&token, &long).await;
    assert_eq!(long["status"], "rejected", "{long}");
    assert_eq!(long["findings"][0]["code"], "too_many_pages");
    let short = host.checked(&token, &short).await;
    assert_eq!(short["status"], "checked", "{short}");
    assert_eq!(short["content_type"], "application/pdf");
}
