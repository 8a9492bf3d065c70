//! The registration talon end to end: printed only once valid, rasterised with poppler's
//! `pdftoppm`, its QR code decoded with rxing and followed to the public verification;
//! its text (`pdftotext`) carries the Kyrgyz, Russian and English labels.

use std::process::Command;

use adapters::audit::AuditEntry;
use adapters::registrations::Payment;
use domain::stay::Actor;
use reqwest::Method;
use serde_json::{Value, json};

use crate::ereg::{OWN_HOME, add_housing, form_from_prefill, host_with_pin, passport_scan, photo};
use crate::helpers::*;

/// Runs a poppler tool on `pdf`; its output file's bytes (or stdout for pdftotext).
fn poppler(tool: &str, pdf: &[u8]) -> Vec<u8> {
    let dir = std::env::temp_dir().join(format!("talon-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("talon.pdf");
    std::fs::write(&input, pdf).unwrap();
    let out = match tool {
        "pdftotext" => {
            let status = Command::new("pdftotext")
                .arg("-layout")
                .arg(&input)
                .arg(dir.join("talon.txt"))
                .status()
                .expect("pdftotext runs (poppler-utils; ./localstack/test.sh installs it)");
            assert!(status.success());
            std::fs::read(dir.join("talon.txt")).unwrap()
        }
        _ => {
            let status = Command::new("pdftoppm")
                .args(["-r", "150", "-png", "-singlefile"])
                .arg(&input)
                .arg(dir.join("talon"))
                .status()
                .expect("pdftoppm runs (poppler-utils; ./localstack/test.sh installs it)");
            assert!(status.success());
            std::fs::read(dir.join("talon.png")).unwrap()
        }
    };
    let _ = std::fs::remove_dir_all(&dir);
    out
}

#[tokio::test]
async fn a_valid_registration_prints_a_talon_whose_qr_code_verifies() {
    let host = spawn_env_with(|config| config.ereg.auto_confirm = true).await;
    let (_, token, _, pin) = host_with_pin(&host).await;
    add_housing(&host, &token, OWN_HOME).await;
    let (scan, _) = passport_scan(&host, &token, 52).await;
    let photo = photo(&host, &token).await;
    let mut form = form_from_prefill(&host, &token, &scan, &photo, OWN_HOME).await;
    form["pin"] = json!(pin);
    let (status, submitted) = api(
        &host,
        Method::POST,
        "/v1/registrations",
        Some(&token),
        Some(&form),
    )
    .await;
    assert_eq!(status, 201, "{submitted}");
    let number = submitted["registration"]["number"]
        .as_str()
        .unwrap()
        .to_owned();
    let print = format!("/v1/registrations/{number}/talon");

    // Not before it is valid, and never another host's.
    let (status, body) = api(&host, Method::POST, &print, Some(&token), None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("not_printable"))
    );
    let payment = Payment {
        amount_minor: 10_300,
        currency: "KGS".into(),
    };
    let valid = host
        .deps
        .registrations()
        .record_payment(&number, &payment)
        .await
        .unwrap();
    assert_eq!(valid.status, domain::stay::StayStatus::Valid);
    let (_, stranger, _, _) = host_with_pin(&host).await;
    let (status, _) = api(&host, Method::POST, &print, Some(&stranger), None).await;
    assert_eq!(status, 404);
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/registrations/not-a-number/talon",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("registration_not_found"))
    );
    let registrar = crate::operators::operator(&host, "registration_operator").await;
    let (status, body) = api(&host, Method::POST, &print, Some(&registrar), None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("not_for_account_type"))
    );

    let (status, printed) = api(&host, Method::POST, &print, Some(&token), None).await;
    assert_eq!(status, 200, "{printed}");
    let registration_number = valid.registration_number.clone().unwrap();
    assert_eq!(printed["document_id"], format!("T{registration_number}"));
    let pdf = reqwest::get(printed["url"].as_str().unwrap())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    assert!(pdf.starts_with(b"%PDF"));
    assert!(pdf.len() < 80 * 1024, "{} bytes with the photo", pdf.len());
    // The photo is the print copy the photo check stored, embedded byte for byte.
    let copy = (host.deps.uploads_bucket())
        .read_whole(&adapters::documents::DocumentRecord::print_copy_key(&photo))
        .await
        .unwrap()
        .expect("the checked photo has its print copy");
    assert!(pdf.windows(copy.len()).any(|w| w == copy.as_slice()));

    // The labels in three languages, Kyrgyz letters included, and the data.
    let text = String::from_utf8(poppler("pdftotext", &pdf)).unwrap();
    for label in [
        "КАТТОО ТАЛОНУ",
        "РЕГИСТРАЦИОННЫЙ ТАЛОН",
        "REGISTRATION CARD",
        "Туулган күнү",
        "Дата рождения",
        "Date of birth",
        "Кабыл алуучу тарап",
        "Department of Population Registration",
        registration_number.as_str(),
        valid.guest_name.as_str(),
    ] {
        assert!(text.contains(label), "{label:?} missing from:\n{text}");
    }

    // The QR code, read off the rasterised page, leads to "valid".
    let png = poppler("pdftoppm", &pdf);
    if let Ok(path) = std::env::var("TALON_PNG") {
        std::fs::write(path, &png).unwrap();
    }
    let page = image::load_from_memory(&png).unwrap().to_luma8();
    let (width, height) = page.dimensions();
    let decoded = rxing::helpers::detect_in_luma(
        page.into_raw(),
        width,
        height,
        Some(rxing::BarcodeFormat::QR_CODE),
    )
    .expect("the QR code reads");
    let verify_url = decoded.getText().to_owned();
    assert_eq!(verify_url, printed["verify_url"].as_str().unwrap());
    let check = |url: String| async move {
        reqwest::get(url)
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
    };
    let verdict = check(verify_url.clone()).await;
    assert_eq!(verdict["status"], "valid", "{verdict}");
    assert_eq!(verdict["name"], valid.guest_name.as_str());
    assert_eq!(verdict["valid_to"], valid.stay_to.to_string());
    assert_eq!(verdict.as_object().unwrap().len(), 5, "no more: {verdict}");

    // Offline: the published key verifies the payload; a tampered one fails.
    let (_, key) = api(
        &host,
        Method::GET,
        "/v1/public/verification-key",
        None,
        None,
    )
    .await;
    let public_key = domain::printed::public_key(key["public_key"].as_str().unwrap()).unwrap();
    let payload = verify_url.split("?d=").nth(1).unwrap().to_owned();
    assert!(domain::printed::verify_with(&public_key, &payload).is_some());
    let tampered = payload.replacen(&format!(".{}.", valid.version), ".99.", 1);
    assert!(domain::printed::verify_with(&public_key, &tampered).is_none());
    let tampered_url = verify_url.replace(&payload, &tampered);
    assert_eq!(check(tampered_url).await["status"], "unknown");
    let bare = verify_url.split('?').next().unwrap().to_owned();
    assert_eq!(check(bare).await, json!({"status": "unknown"}));

    // The same version prints the same stored file.
    let (_, again) = api(&host, Method::POST, &print, Some(&token), None).await;
    assert_eq!(again["version"], printed["version"]);
    assert_eq!(again["verify_url"], printed["verify_url"]);

    // Changed data make a new version: the old paper no longer holds.
    let mut corrected = valid.moved_to(
        domain::stay::StayStatus::Valid,
        &domain::clock::now_rfc3339(),
    );
    corrected.address = format!("{} (corrected)", corrected.address);
    let audit = AuditEntry::new(
        &corrected,
        Some(valid.status),
        &Actor::System,
        "corrected",
        None,
    );
    host.deps.stays().save(&corrected, &audit).await.unwrap();
    assert_eq!(check(verify_url.clone()).await["status"], "revoked");
    let (_, reprinted) = api(&host, Method::POST, &print, Some(&token), None).await;
    assert_ne!(reprinted["version"], printed["version"]);
    assert_eq!(
        check(reprinted["verify_url"].as_str().unwrap().to_owned()).await["status"],
        "valid"
    );

    // Past its last day it verifies as expired and no longer prints.
    let expiry = stay_expiry::StayExpiry::from_deps(&host.deps);
    let after = valid.stay_to + time::Duration::days(1);
    assert_eq!(expiry.run_on(after).await.unwrap().expired, 1);
    assert_eq!(
        check(reprinted["verify_url"].as_str().unwrap().to_owned()).await["status"],
        "expired"
    );
    let (status, _) = api(&host, Method::POST, &print, Some(&token), None).await;
    assert_eq!(status, 409);
}
