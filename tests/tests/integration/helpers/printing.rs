//! The registration talon: a valid registration to print, poppler's tools to read the
//! PDF, the QR code read off the rasterised page, and the public verification it
//! leads to.

use std::process::Command;

use domain::stay::Stay;
use reqwest::Method;
use serde_json::Value;

use super::accounts::PinHost;
use super::ereg::{GUEST_SCAN, GuestForm};
use super::host::{TestHost, spawn_env_with};

/// Runs a poppler tool on `pdf`; its output file's bytes (or stdout for pdftotext).
pub fn poppler(tool: &str, pdf: &[u8]) -> Vec<u8> {
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

/// The text of the QR code on the first page of `pdf`, rasterised by `pdftoppm`. With
/// `TALON_PNG` set, the page is also written there to look at.
pub fn qr_code_of(pdf: &[u8]) -> String {
    let png = poppler("pdftoppm", pdf);
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
    decoded.getText().to_owned()
}

/// What the public verification answers for a talon's `url`.
pub async fn verdict(link: &str) -> Value {
    let (page, query) = link.split_once('?').unwrap_or((link, ""));
    let origin = page
        .strip_suffix("/verify")
        .unwrap_or_else(|| panic!("not the portal's verification page: {link}"));
    reqwest::get(format!("{origin}/v1/public/documents/verify?{query}"))
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()
}

/// The PDF a print answer links to.
pub async fn talon_pdf(printed: &Value) -> Vec<u8> {
    reqwest::get(printed["url"].as_str().unwrap())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

/// A registration to print: its host, its form, its number and the record once valid.
pub struct Printable {
    pub host: PinHost,
    pub guest: GuestForm,
    pub number: String,
    /// The path that prints its talon.
    pub print: String,
}

/// A test host that confirms clean registrations by itself, and a submitted, unpaid
/// registration on it.
pub async fn printable_registration() -> (TestHost, Printable) {
    let host = spawn_env_with(|config| config.ereg.auto_confirm = true).await;
    let owner = host.host_with_pin().await;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    let number = host
        .submitted_registration(&owner.token, &guest.with_pin())
        .await;
    let print = format!("/v1/registrations/{number}/talon");
    let printable = Printable {
        host: owner,
        guest,
        number,
        print,
    };
    (host, printable)
}

impl TestHost {
    /// Pays the fee of `printable` (the host confirms it at once): the valid record.
    pub async fn valid(&self, printable: &Printable) -> Stay {
        let valid = self.pay(&printable.number).await.unwrap();
        assert_eq!(valid.status, domain::stay::StayStatus::Valid);
        valid
    }

    /// Prints the talon of `printable` as its host: the answer (`200` asserted).
    pub async fn print_talon(&self, printable: &Printable) -> Value {
        let (status, printed) = self
            .api(
                Method::POST,
                &printable.print,
                Some(&printable.host.token),
                None,
            )
            .await;
        assert_eq!(status, 200, "{printed}");
        printed
    }
}
