//! Payments: amounts, orders for fees and their settlement, the events a card processor
//! reports about them, and the signature that proves an event came from the processor
//! (HMAC-SHA256 over the timestamp and the raw body, as processors sign webhooks).

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

mod amount;
mod order;

pub use amount::{Amount, fee_fields};
pub use order::{LedgerEntry, NewOrder, Order, OrderStatus, Settlement, settle};

/// A webhook body larger than this is refused before anything else.
pub const WEBHOOK_MAX_BYTES: usize = 4096;
/// A webhook signed longer ago than this (or this far in the future) is a replay.
pub const REPLAY_WINDOW_SECS: u64 = 5 * 60;
/// An ereg fee is payable this long after the order is made (the processor's session).
pub const EREG_PAYMENT_SECS: u64 = 20 * 60;
/// The header with the signing time, seconds since the epoch.
pub const TIMESTAMP_HEADER: &str = "x-processor-timestamp";
/// The header with the hex HMAC-SHA256 of `<timestamp>.<raw body>`.
pub const SIGNATURE_HEADER: &str = "x-processor-signature";

/// What the processor says happened to a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Succeeded,
    Failed,
}

/// One processor event, as its webhook body carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessorEvent {
    /// Unique per event; a repeated delivery carries the same id.
    pub event_id: String,
    pub order_number: String,
    pub status: EventStatus,
    pub amount_minor: u64,
    pub currency: String,
    /// When the processor charged or declined the card, seconds since the epoch.
    pub occurred_at: u64,
}

impl ProcessorEvent {
    /// Parses a body; `None` for anything that is not an event.
    pub fn parse(body: &[u8]) -> Option<Self> {
        let event: ProcessorEvent = serde_json::from_slice(body).ok()?;
        let ok = (1..=100).contains(&event.event_id.len())
            && event.event_id.bytes().all(|b| b.is_ascii_graphic())
            && parse_order_number(&event.order_number).is_some()
            && event.currency.len() == 3;
        ok.then_some(event)
    }

    /// The amount the processor charged (or tried to).
    pub fn amount(&self) -> Amount {
        Amount::new(self.amount_minor, self.currency.clone())
    }
}

/// An amount in minor units as printed: `10300` → `103.00`.
pub fn amount_text(amount_minor: u64) -> String {
    format!("{}.{:02}", amount_minor / 100, amount_minor % 100)
}

/// A new order number: the application number, `_`, and the time (as the seed's
/// `9754336625_1682365175`; `Q-93854103_1682365175` for an e-work state fee).
pub fn order_number(application: &str, now: u64) -> String {
    format!("{application}_{now}")
}

/// An order number as typed; `None` for anything else.
pub fn parse_order_number(raw: &str) -> Option<String> {
    let (application, time) = raw.trim().split_once('_')?;
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    // An ereg number, or the shape of an e-work one (a capital letter, a dash and 8
    // digits): which letters name which kind is e-work's to say, not the payments'.
    let e_work = application.split_once('-').is_some_and(|(letter, number)| {
        letter.len() == 1 && letter.bytes().all(|b| b.is_ascii_uppercase()) && digits(number, 8..=8)
    });
    let application_ok = digits(application, 8..=14) || e_work;
    (application_ok && digits(time, 9..=11)).then(|| raw.trim().to_owned())
}

/// Why a webhook is not believed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the timestamp or signature header is missing or malformed")]
    Missing,
    #[error("the timestamp is outside the replay window")]
    Stale,
    #[error("the signature does not match")]
    Mismatch,
}

fn mac(secret: &[u8], timestamp: u64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The signature a processor sends with `body` at `timestamp`.
pub fn sign(secret: &[u8], timestamp: u64, body: &[u8]) -> String {
    hex::encode(mac(secret, timestamp, body).finalize().into_bytes())
}

/// Checks a webhook's headers against its raw body, in constant time, within the
/// replay window around `now`.
pub fn verify(
    secret: &[u8],
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now: u64,
) -> Result<(), SignatureError> {
    let timestamp: u64 = timestamp
        .and_then(|t| t.trim().parse().ok())
        .ok_or(SignatureError::Missing)?;
    let signature = signature
        .and_then(|s| hex::decode(s.trim()).ok())
        .ok_or(SignatureError::Missing)?;
    if now.abs_diff(timestamp) > REPLAY_WINDOW_SECS {
        return Err(SignatureError::Stale);
    }
    mac(secret, timestamp, body)
        .verify_slice(&signature)
        .map_err(|_| SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"processor-test-secret";

    #[test]
    fn a_signed_body_verifies_and_any_change_does_not() {
        let body = br#"{"event_id":"evt_1"}"#;
        let signature = sign(SECRET, 1_800_000_000, body);
        let now = 1_800_000_100;
        assert_eq!(
            verify(SECRET, Some("1800000000"), Some(&signature), body, now),
            Ok(())
        );
        assert_eq!(
            verify(SECRET, Some("1800000000"), Some(&signature), b"{}", now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(SECRET, Some("1800000001"), Some(&signature), body, now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(b"other", Some("1800000000"), Some(&signature), body, now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(SECRET, None, Some(&signature), body, now),
            Err(SignatureError::Missing)
        );
        assert_eq!(
            verify(SECRET, Some("1800000000"), Some("zz"), body, now),
            Err(SignatureError::Missing)
        );
    }

    #[test]
    fn amounts_print_with_two_decimals() {
        assert_eq!(amount_text(10_300), "103.00");
        assert_eq!(amount_text(5), "0.05");
    }

    #[test]
    fn replays_older_than_five_minutes_are_refused() {
        let body = b"{}";
        let signature = sign(SECRET, 1_800_000_000, body);
        let late = 1_800_000_000 + REPLAY_WINDOW_SECS + 1;
        assert_eq!(
            verify(SECRET, Some("1800000000"), Some(&signature), body, late),
            Err(SignatureError::Stale)
        );
    }

    #[test]
    fn events_parse_only_when_whole() {
        let event = ProcessorEvent {
            event_id: "evt_1".into(),
            order_number: order_number("9754336625", 1_682_365_175),
            status: EventStatus::Succeeded,
            amount_minor: 10_300,
            currency: "KGS".into(),
            occurred_at: 1_682_365_200,
        };
        let body = serde_json::to_vec(&event).unwrap();
        assert_eq!(ProcessorEvent::parse(&body), Some(event));
        assert_eq!(ProcessorEvent::parse(b"not json"), None);
        assert_eq!(
            ProcessorEvent::parse(br#"{"event_id":"e","order_number":"x","status":"succeeded","amount_minor":1,"currency":"KGS","occurred_at":1}"#),
            None
        );
        assert_eq!(
            parse_order_number("9754336625_1682365175").as_deref(),
            Some("9754336625_1682365175")
        );
        assert_eq!(parse_order_number("9754336625-1682365175"), None);
        assert_eq!(
            parse_order_number("Q-93854103_1682365175").as_deref(),
            Some("Q-93854103_1682365175")
        );
        for bad in [
            "q-93854103_1682365175",
            "Q-9385410_1682365175",
            "QQ-93854103_1682365175",
        ] {
            assert_eq!(parse_order_number(bad), None, "{bad}");
        }
    }
}
