//! The local card processor: the stand-in for the real one on the dev host and in tests.
//! It keeps its sessions in memory, serves a small checkout page (through the dev host),
//! and posts webhooks signed exactly as a processor does: HMAC-SHA256 over
//! `<timestamp>.<raw body>` with the shared secret, the timestamp in its own header. Tests
//! drive it to send the same callback twice, out of order, late, with a wrong amount,
//! badly signed, or not at all.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use domain::payment::{EventStatus, ProcessorEvent, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use domain::ports::{PaymentProcessor, PaymentSession};

/// Test cards, as processors publish them.
pub const CARD_SUCCEEDS: &str = "4111111111111111";
pub const CARD_DECLINED: &str = "4000000000000002";
/// Charged, but the processor's webhook never arrives: reconciliation must find it.
pub const CARD_WEBHOOK_LOST: &str = "4000000000000119";

/// What a test card does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Card {
    Succeeds,
    Declined,
    WebhookLost,
}

impl Card {
    pub fn of(number: &str) -> Option<Card> {
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        match digits.as_str() {
            CARD_SUCCEEDS => Some(Card::Succeeds),
            CARD_DECLINED => Some(Card::Declined),
            CARD_WEBHOOK_LOST => Some(Card::WebhookLost),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
struct Session {
    session: PaymentSession,
    last: Option<ProcessorEvent>,
}

/// The local processor. Clones share their sessions.
#[derive(Debug, Clone)]
pub struct LocalProcessor {
    sessions: Arc<Mutex<HashMap<String, Session>>>,
    base_url: String,
    secret: Arc<Vec<u8>>,
    http: reqwest::Client,
}

#[derive(Debug, thiserror::Error)]
pub enum ProcessorError {
    #[error("delivering the webhook: {0}")]
    Delivery(#[from] reqwest::Error),
}

impl LocalProcessor {
    /// A processor whose pages and webhook target live under `base_url`.
    pub fn new(base_url: &str, secret: Vec<u8>) -> Self {
        Self {
            sessions: Arc::default(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            secret: Arc::new(secret),
            http: reqwest::Client::new(),
        }
    }

    pub fn checkout_url(&self, order_number: &str) -> String {
        format!("{}/local-processor/checkout/{order_number}", self.base_url)
    }

    pub fn webhook_url(&self) -> String {
        format!("{}/v1/payments/webhook", self.base_url)
    }

    /// The session of an order, for its checkout page.
    pub fn session(&self, order_number: &str) -> Option<PaymentSession> {
        let sessions = self.sessions.lock().expect("not poisoned");
        sessions.get(order_number).map(|s| s.session.clone())
    }

    /// A new event about an order, as the processor would report it.
    pub fn event(
        &self,
        order_number: &str,
        status: EventStatus,
        amount_minor: u64,
        currency: &str,
        occurred_at: u64,
    ) -> ProcessorEvent {
        ProcessorEvent {
            event_id: format!("evt_{}", &domain::secrets::random_token()[..24]),
            order_number: order_number.to_owned(),
            status,
            amount_minor,
            currency: currency.to_owned(),
            occurred_at,
        }
    }

    /// Charges a test card for the order's full amount and remembers the outcome (what
    /// `status` answers later). `None` for an unknown order or card.
    pub fn charge(&self, order_number: &str, card: Card, now: u64) -> Option<ProcessorEvent> {
        let mut sessions = self.sessions.lock().expect("not poisoned");
        let session = sessions.get_mut(order_number)?;
        let status = match card {
            Card::Succeeds | Card::WebhookLost => EventStatus::Succeeded,
            Card::Declined => EventStatus::Failed,
        };
        let event = self.event(
            order_number,
            status,
            session.session.amount_minor,
            &session.session.currency,
            now,
        );
        session.last = Some(event.clone());
        Some(event)
    }

    /// Signs `event` now and posts it to the webhook; the HTTP status.
    pub async fn deliver(&self, event: &ProcessorEvent) -> Result<u16, ProcessorError> {
        let body = serde_json::to_vec(event).expect("an event serialises");
        let now = domain::clock::now_secs();
        let signature = domain::payment::sign(&self.secret, now, &body);
        self.deliver_raw(body, now, &signature).await
    }

    /// Posts any body with any timestamp and signature; the HTTP status.
    pub async fn deliver_raw(
        &self,
        body: Vec<u8>,
        timestamp: u64,
        signature: &str,
    ) -> Result<u16, ProcessorError> {
        let response = self
            .http
            .post(self.webhook_url())
            .header("content-type", "application/json")
            .header(TIMESTAMP_HEADER, timestamp.to_string())
            .header(SIGNATURE_HEADER, signature)
            .body(body)
            .send()
            .await?;
        Ok(response.status().as_u16())
    }

    /// The signature of `body` at `timestamp` under this processor's secret.
    pub fn sign(&self, timestamp: u64, body: &[u8]) -> String {
        domain::payment::sign(&self.secret, timestamp, body)
    }
}

impl PaymentProcessor for LocalProcessor {
    type Error = ProcessorError;

    async fn open_session(&self, session: &PaymentSession) -> Result<String, ProcessorError> {
        let mut sessions = self.sessions.lock().expect("not poisoned");
        sessions.insert(
            session.order_number.clone(),
            Session {
                session: session.clone(),
                last: None,
            },
        );
        Ok(self.checkout_url(&session.order_number))
    }

    async fn status(&self, order_number: &str) -> Result<Option<ProcessorEvent>, ProcessorError> {
        let sessions = self.sessions.lock().expect("not poisoned");
        Ok(sessions.get(order_number).and_then(|s| s.last.clone()))
    }
}
