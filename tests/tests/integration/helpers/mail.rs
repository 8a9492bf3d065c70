//! Readers of what the emulator sent: emails and SMS to an address, the codes in the
//! SMS and the links in the emails. They ask the emulator's views of sent mail and SMS
//! (`/_aws/ses`, `/_aws/sns/sms-messages`, as LocalStack names them), so they work for
//! any host; unique addresses keep tests apart.

use std::time::Duration;

use serde_json::Value;

use super::host::{endpoint, eventually};

/// A message as the emulator recorded it.
#[derive(Debug, Clone)]
pub struct SentEmail {
    pub subject: String,
    pub html: String,
}

/// One of the emulator's views, as JSON.
async fn emulator_view(path: &str, query: &[(&str, &str)]) -> Value {
    let url = reqwest::Url::parse_with_params(&format!("{}{path}", endpoint()), query)
        .expect("a valid emulator URL");
    reqwest::get(url.clone())
        .await
        .and_then(reqwest::Response::error_for_status)
        .unwrap_or_else(|err| panic!("{url} answers: {err}"))
        .json()
        .await
        .unwrap_or_else(|err| panic!("{url} answers JSON: {err}"))
}

/// Every email the emulator sent to `to`, oldest first.
pub async fn emails_to(to: &str) -> Vec<SentEmail> {
    let sent = emulator_view("/_aws/ses", &[("to", to)]).await;
    sent["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| SentEmail {
            subject: m["Subject"].as_str().unwrap_or_default().to_owned(),
            html: m["Body"]["html_part"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        })
        .collect()
}

/// Every SMS text the emulator sent to `to`, oldest first.
pub async fn sms_to(to: &str) -> Vec<String> {
    let sent = emulator_view("/_aws/sns/sms-messages", &[("phoneNumber", to)]).await;
    sent["sms_messages"][to]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| m["Message"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Waits up to 20 s for an email to `to` with `subject`; the first one.
pub async fn email_with_subject(to: &str, subject: &str) -> SentEmail {
    eventually(Duration::from_secs(20), subject, || async {
        emails_to(to)
            .await
            .into_iter()
            .find(|m| m.subject == subject)
    })
    .await
}

/// The 6-digit numbers in the SMS sent to `phone`, oldest first, once `count` have arrived.
pub async fn codes_sent_to(phone: &str, count: usize) -> Vec<String> {
    eventually(Duration::from_secs(20), "SMS with codes", || async {
        let codes: Vec<String> = sms_to(phone)
            .await
            .iter()
            .filter_map(|text| {
                text.split(|c: char| !c.is_ascii_digit())
                    .find(|part| part.len() == 6)
                    .map(str::to_owned)
            })
            .collect();
        (codes.len() >= count).then_some(codes)
    })
    .await
}

/// The href of the first link in the newest email to `to` with `subject`.
pub async fn link_in_email(to: &str, subject: &str) -> String {
    let html = eventually(Duration::from_secs(20), subject, || async {
        emails_to(to)
            .await
            .into_iter()
            .rev()
            .find(|m| m.subject == subject)
            .map(|m| m.html)
    })
    .await;
    let start = html.find("href=\"").expect("a link") + 6;
    let end = start + html[start..].find('"').unwrap();
    html[start..end]
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// What the portal's email-confirmation page (`/confirm-email?token=`) asks the API
/// when `link` is opened.
pub fn confirmation_request(link: &str) -> String {
    let (page, query) = link.split_once('?').expect("a link with its token");
    let origin = page
        .strip_suffix("/confirm-email")
        .unwrap_or_else(|| panic!("not the portal's confirmation page: {link}"));
    format!("{origin}/v1/accounts/confirm-email?{query}")
}

/// The token in a set-password or reset link.
pub fn token_of(link: &str) -> String {
    link.split("token=").nth(1).unwrap().to_owned()
}

/// A code other than `code`, for trying a wrong one.
pub fn wrong_code(code: &str) -> &'static str {
    if code == "000000" { "111111" } else { "000000" }
}
