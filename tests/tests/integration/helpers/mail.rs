//! Readers of what the emulator sent: emails and SMS to an address, the codes in the
//! SMS and the links in the emails. They read the emulator's record of everything, so
//! they work for any host; unique addresses keep tests apart.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::host::{endpoint, eventually};

/// A message as the emulator recorded it.
#[derive(Debug, Clone)]
pub struct SentEmail {
    pub subject: String,
    pub html: String,
}

/// The emulator's record of everything. Building it costs the emulator more as tests
/// add tables and messages, so concurrent waiters share one copy up to half a second
/// old. It is built while other tests write, and now and then fails half-way; a moment
/// later it answers.
async fn emulator_data() -> Arc<Value> {
    type Snapshot = Option<(Instant, Arc<Value>)>;
    static SHARED: std::sync::OnceLock<tokio::sync::Mutex<Snapshot>> = std::sync::OnceLock::new();
    let mut shared = SHARED
        .get_or_init(|| tokio::sync::Mutex::new(None))
        .lock()
        .await;
    if let Some((at, data)) = shared.as_ref()
        && at.elapsed() < Duration::from_millis(500)
    {
        return data.clone();
    }
    let url = format!("{}/moto-api/data.json", endpoint());
    for _ in 0..20 {
        let response = reqwest::get(&url).await.expect("the emulator answers");
        if let Ok(data) = response.json::<Value>().await {
            let data = Arc::new(data);
            *shared = Some((Instant::now(), data.clone()));
            return data;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not answer JSON in 20 tries");
}

/// Every email the emulator sent to `to`.
pub async fn emails_to(to: &str) -> Vec<SentEmail> {
    let data = emulator_data().await;
    data["ses"]["Message"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| {
            m["destinations"]["ToAddresses"]
                .as_array()
                .is_some_and(|a| a.iter().any(|d| d == to))
        })
        .map(|m| SentEmail {
            subject: m["subject"].as_str().unwrap_or_default().to_owned(),
            html: m["body"].as_str().unwrap_or_default().to_owned(),
        })
        .collect()
}

/// Every SMS text the emulator sent to `to`.
pub async fn sms_to(to: &str) -> Vec<String> {
    let data = emulator_data().await;
    data["sns"]["SMS"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["phone_number"] == to)
        .map(|m| m["message"].as_str().unwrap_or_default().to_owned())
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

/// The token in a set-password or reset link.
pub fn token_of(link: &str) -> String {
    link.split("token=").nth(1).unwrap().to_owned()
}

/// A code other than `code`, for trying a wrong one.
pub fn wrong_code(code: &str) -> &'static str {
    if code == "000000" { "111111" } else { "000000" }
}
