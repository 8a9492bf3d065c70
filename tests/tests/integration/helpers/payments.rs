//! Payments tests make and watch: orders, the local processor's checkout page, the
//! ledger's outcomes, and the payments queue running dry.

use std::time::Duration;

use adapters::Queue;
use reqwest::Method;
use serde_json::{Value, json};

use super::accounts::PinHost;
use super::ereg::{GUEST_SCAN, GuestForm};
use super::host::{TestHost, eventually};
use super::mail::emails_to;

/// Pays an ereg fee on the checkout page with `card`; the page's heading.
pub async fn checkout(url: &str, card: &str) -> String {
    checkout_of(url, card, "103.00 KGS").await
}

/// Pays `amount` (`3000.00 KGS`) on the checkout page with `card`; the page's heading.
pub async fn checkout_of(url: &str, card: &str, amount: &str) -> String {
    let page = reqwest::get(url).await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("Оплатить {amount}")), "{page}");
    let result = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("card={card}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = result.find("<h1>").unwrap() + 4;
    result[start..start + result[start..].find("</h1>").unwrap()].to_owned()
}

/// An ereg host with a submitted, unpaid registration, and its guest's form to submit
/// more (in other slots).
pub struct Payer {
    pub host: PinHost,
    pub guest: GuestForm,
    /// The registration submitted in slot 0.
    pub number: String,
}

impl TestHost {
    /// A host that submitted a registration (in slot 0) and has not paid it.
    pub async fn payer(&self) -> Payer {
        let host = self.host_with_pin().await;
        let guest = self.guest_form(&host, GUEST_SCAN).await;
        let number = self
            .submitted_registration(&host.token, &guest.in_slot(0))
            .await;
        Payer {
            host,
            guest,
            number,
        }
    }

    /// Orders the fee of `payer`'s registration, pays it at the checkout with a card
    /// that succeeds, and waits until the registration is paid: the order number.
    pub async fn paid_at_checkout(&self, payer: &Payer) -> String {
        let (status, order) = self.order(&payer.host.token, &payer.number).await;
        assert_eq!(status, 200, "{order}");
        let url = order["checkout_url"].as_str().unwrap();
        let heading = checkout(url, adapters::processor::CARD_SUCCEEDS).await;
        assert_eq!(heading, "Payment successful");
        eventually(Duration::from_secs(20), "the registration paid", || async {
            let seen = self.registration(&payer.host.token, &payer.number).await;
            (seen["status"] == "paid").then_some(())
        })
        .await;
        order["order_number"].as_str().unwrap().to_owned()
    }

    /// Asks for the payment order of `application`: the status and the order.
    pub async fn order(&self, token: &str, application: &str) -> (u16, Value) {
        self.api(
            Method::POST,
            "/v1/payments/orders",
            Some(token),
            Some(&json!({ "application": application })),
        )
        .await
    }

    /// The outcomes the ledger recorded for `order_number`, oldest first.
    pub async fn outcomes(&self, order_number: &str) -> Vec<String> {
        let mut entries = self.deps.orders().ledger_of(order_number).await.unwrap();
        entries.sort_by(|a, b| a.received_at.cmp(&b.received_at));
        entries.into_iter().map(|e| e.outcome.to_string()).collect()
    }

    /// Waits until the payments queue has nothing left, visible or in flight.
    pub async fn settled_all(&self) {
        let url = self.queue_url(Queue::Payments).to_owned();
        eventually(
            Duration::from_secs(30),
            "the payments queue to drain",
            || {
                let url = url.clone();
                async move { (self.queue_depth(&url).await == 0).then_some(()) }
            },
        )
        .await;
    }

    /// How many times the audit trail of registration `number` says it was paid.
    pub async fn paid_actions(&self, number: &str) -> usize {
        self.deps
            .stays()
            .audit_of(number)
            .await
            .unwrap()
            .iter()
            .filter(|e| e.action == "paid")
            .count()
    }
}

/// Waits up to 20 s for the payment receipt of application `number` in `email`'s
/// mailbox.
pub async fn receipt_arrives(email: &str, number: &str) {
    let receipt = format!("Payment received for application {number}");
    eventually(Duration::from_secs(20), "the receipt", || async {
        emails_to(email)
            .await
            .iter()
            .any(|m| m.subject == receipt)
            .then_some(())
    })
    .await;
}
