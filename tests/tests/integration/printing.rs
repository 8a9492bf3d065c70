//! The registration talon end to end: printed only once valid, rasterised with poppler's
//! `pdftoppm`, its QR code decoded with rxing and followed to the public verification;
//! its text (`pdftotext`) carries the Kyrgyz, Russian and English labels.

use adapters::audit::AuditEntry;
use domain::stay::Actor;
use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_talon_prints_only_once_valid_and_only_for_its_host() {
    let (host, printable) = printable_registration().await;
    let print = &printable.print;
    let token = &printable.host.token;

    // Not before it is valid, and never another host's.
    let (status, body) = host.api(Method::POST, print, Some(token), None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("not_printable"))
    );
    host.valid(&printable).await;
    let stranger = host.active_ereg_host().await.token;
    let (status, _) = host.api(Method::POST, print, Some(&stranger), None).await;
    assert_eq!(status, 404);
    let (status, body) = host
        .api(
            Method::POST,
            "/v1/registrations/not-a-number/talon",
            Some(token),
            None,
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("registration_not_found"))
    );
    let registrar = host.operator("registration_operator").await;
    let (status, body) = host.api(Method::POST, print, Some(&registrar), None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("not_for_account_type"))
    );
}

#[tokio::test]
async fn a_talon_embeds_the_checked_photo_and_reads_in_three_languages() {
    let (host, printable) = printable_registration().await;
    let valid = host.valid(&printable).await;
    let printed = host.print_talon(&printable).await;
    let registration_number = valid.registration_number.clone().unwrap();
    assert_eq!(printed["document_id"], format!("T{registration_number}"));
    let pdf = talon_pdf(&printed).await;
    assert!(pdf.starts_with(b"%PDF"));
    assert!(pdf.len() < 100 * 1024, "{} bytes with the photo", pdf.len());
    // The photo is the print copy the photo check stored, embedded byte for byte.
    let copy = (host.deps.uploads_bucket())
        .read_whole(&adapters::documents::DocumentRecord::print_copy_key(
            &printable.guest.photo,
        ))
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
        "МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ КЫРГЫЗСКОЙ РЕСПУБЛИКИ",
        "Surname Name Middle name",
        registration_number.as_str(),
        valid.guest_name.as_str(),
    ] {
        assert!(text.contains(label), "{label:?} missing from:\n{text}");
    }
    // Citizenship is printed as the country's name in the three languages.
    let nationality = valid.guest.nationality.as_ref();
    let country = domain::country::Country::of_zone(nationality)
        .expect("the helpers' guest is a citizen of a state");
    let names = country.names().join(" / ");
    assert!(text.contains(&names), "{names:?} missing from:\n{text}");
    if let Ok(keep) = std::env::var("KEEP_PAGE") {
        std::fs::write(format!("{keep}-talon.png"), poppler("pdftoppm", &pdf)).unwrap();
    }
}

#[tokio::test]
async fn the_qr_code_of_a_talon_leads_to_its_verification_as_valid() {
    let (host, printable) = printable_registration().await;
    let valid = host.valid(&printable).await;
    let printed = host.print_talon(&printable).await;
    let verify_url = qr_code_of(&talon_pdf(&printed).await);
    assert_eq!(verify_url, printed["verify_url"].as_str().unwrap());
    let verdict = verdict(&verify_url).await;
    assert_eq!(verdict["status"], "valid", "{verdict}");
    assert_eq!(verdict["name"], valid.guest_name.as_str());
    assert_eq!(verdict["valid_to"], valid.stay_to.to_string());
    assert_eq!(verdict.as_object().unwrap().len(), 5, "no more: {verdict}");
}

#[tokio::test]
async fn the_published_key_verifies_a_talon_offline_and_a_tampered_one_fails() {
    let (host, printable) = printable_registration().await;
    let valid = host.valid(&printable).await;
    let printed = host.print_talon(&printable).await;
    let verify_url = printed["verify_url"].as_str().unwrap();
    let (_, key) = host
        .api(Method::GET, "/v1/public/verification-key", None, None)
        .await;
    let public_key = domain::printed::public_key(key["public_key"].as_str().unwrap()).unwrap();
    let payload = verify_url.split("?d=").nth(1).unwrap().to_owned();
    assert!(domain::printed::verify_with(&public_key, &payload).is_some());
    let tampered = payload.replacen(&format!(".{}.", valid.version), ".99.", 1);
    assert!(domain::printed::verify_with(&public_key, &tampered).is_none());
    let tampered_url = verify_url.replace(&payload, &tampered);
    assert_eq!(verdict(&tampered_url).await["status"], "unknown");
    let bare = verify_url.split('?').next().unwrap();
    assert_eq!(verdict(bare).await, json!({"status": "unknown"}));
}

#[tokio::test]
async fn the_same_version_prints_the_same_file_and_changed_data_revoke_the_old_paper() {
    let (host, printable) = printable_registration().await;
    let valid = host.valid(&printable).await;
    let printed = host.print_talon(&printable).await;
    let again = host.print_talon(&printable).await;
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
    let old_url = printed["verify_url"].as_str().unwrap();
    assert_eq!(verdict(old_url).await["status"], "revoked");
    let reprinted = host.print_talon(&printable).await;
    assert_ne!(reprinted["version"], printed["version"]);
    let new_url = reprinted["verify_url"].as_str().unwrap();
    assert_eq!(verdict(new_url).await["status"], "valid");
}

#[tokio::test]
async fn past_its_last_day_a_talon_verifies_as_expired_and_no_longer_prints() {
    let (host, printable) = printable_registration().await;
    let valid = host.valid(&printable).await;
    let printed = host.print_talon(&printable).await;
    let expiry = stay_expiry::StayExpiry::from_deps(&host.deps);
    let after = valid.stay_to + time::Duration::days(1);
    assert_eq!(expiry.run_on(after).await.unwrap().expired, 1);
    let url = printed["verify_url"].as_str().unwrap();
    assert_eq!(verdict(url).await["status"], "expired");
    let (status, _) = host
        .api(
            Method::POST,
            &printable.print,
            Some(&printable.host.token),
            None,
        )
        .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn an_id_card_holders_talon_prints_the_cards_type() {
    let host = spawn_env_with(|config| config.ereg.auto_confirm = true).await;
    let owner = host.host_with_pin().await;
    host.add_housing(&owner.token, OWN_HOME).await;
    // A Kazakh citizen's identity card: a TD1 zone with the document code `ID`.
    let (scan, lines) = host.id_card_scan(&owner.token, 3).await;
    assert!(lines[0].starts_with("IDKAZ"), "{lines:?}");
    let photo = host.photo(&owner.token).await;
    let mut form = host
        .form_from_prefill(&owner.token, &scan, &photo, OWN_HOME)
        .await;
    assert_eq!(form["document_type"], "id_card");
    form["pin"] = json!(owner.pin);

    // Typed as a passport, the card is flagged for the operator.
    let mut as_passport = form.clone();
    as_passport["document_type"] = json!("ordinary_passport");
    let (status, checked) = host
        .api(
            Method::POST,
            "/v1/registrations/check",
            Some(&owner.token),
            Some(&as_passport),
        )
        .await;
    assert_eq!(status, 200, "{checked}");
    let flagged: Vec<(&str, &str)> = (checked["flags"].as_array().unwrap().iter())
        .map(|f| {
            (
                f["code"].as_str().unwrap(),
                f["field"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(flagged, [("mrz_mismatch", "document_type")]);

    // As the zone suggests it, nothing is flagged: it confirms itself and prints the type.
    let number = host.submitted_registration(&owner.token, &form).await;
    let valid = host.pay(&number).await.unwrap();
    assert_eq!(valid.status, domain::stay::StayStatus::Valid);
    let registration = host.registration(&owner.token, &number).await;
    assert_eq!(registration["guest"]["document_type"], "id_card");
    let (status, printed) = host
        .api(
            Method::POST,
            &format!("/v1/registrations/{number}/talon"),
            Some(&owner.token),
            None,
        )
        .await;
    assert_eq!(status, 200, "{printed}");
    let text = String::from_utf8(poppler("pdftotext", &talon_pdf(&printed).await)).unwrap();
    for printed in ["ID-карта", "Identity card, KAZ"] {
        assert!(text.contains(printed), "{printed:?} missing from:\n{text}");
    }
    assert!(!text.contains("Ordinary passport"), "{text}");
}
