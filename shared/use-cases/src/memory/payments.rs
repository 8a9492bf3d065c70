//! In-memory payments ports: orders with the open-order guard and the event ledger, and
//! a card processor whose answers a test sets.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use domain::StoreError;
use domain::payment::{EventStatus, LedgerEntry, Order, OrderStatus, ProcessorEvent};
use domain::ports::payments::OrderStore;
use domain::ports::{PaymentProcessor, PaymentSession};

#[derive(Debug, Default)]
struct Held {
    orders: HashMap<String, Order>,
    /// Application → its latest order number.
    latest: HashMap<String, String>,
    ledger: HashMap<String, LedgerEntry>,
}

/// Orders and the ledger in memory. Clones share them. Every call lets other tasks run
/// first, so that deliveries started together interleave.
#[derive(Debug, Clone, Default)]
pub struct MemoryOrders {
    held: Arc<Mutex<Held>>,
}

impl MemoryOrders {
    fn held(&self) -> std::sync::MutexGuard<'_, Held> {
        self.held.lock().expect("not poisoned")
    }

    /// Stores `order` as its application's latest, as an earlier request would have.
    pub fn insert(&self, order: Order) {
        let mut held = self.held();
        held.latest
            .insert(order.application.clone(), order.order_number.clone());
        held.orders.insert(order.order_number.clone(), order);
    }

    /// The order `order_number` as stored now.
    pub fn get(&self, order_number: &str) -> Option<Order> {
        self.held().orders.get(order_number).cloned()
    }

    /// Every ledger entry of an order.
    pub fn ledger_of(&self, order_number: &str) -> Vec<LedgerEntry> {
        self.held()
            .ledger
            .values()
            .filter(|e| e.event.order_number == order_number)
            .cloned()
            .collect()
    }
}

impl OrderStore for MemoryOrders {
    async fn order(&self, order_number: &str) -> Result<Option<Order>, StoreError> {
        tokio::task::yield_now().await;
        Ok(self.get(order_number))
    }

    async fn latest_order_of(&self, application: &str) -> Result<Option<Order>, StoreError> {
        tokio::task::yield_now().await;
        let held = self.held();
        Ok(held
            .latest
            .get(application)
            .and_then(|number| held.orders.get(number))
            .cloned())
    }

    async fn open_order(&self, order: &Order, replacing: Option<&str>) -> Result<(), StoreError> {
        tokio::task::yield_now().await;
        let mut held = self.held();
        let latest = held.latest.get(&order.application).map(String::as_str);
        if held.orders.contains_key(&order.order_number) || latest != replacing {
            return Err(StoreError::Conflict);
        }
        held.orders
            .insert(order.order_number.clone(), order.clone());
        held.latest
            .insert(order.application.clone(), order.order_number.clone());
        Ok(())
    }

    async fn ledger_entry(&self, event_id: &str) -> Result<Option<LedgerEntry>, StoreError> {
        tokio::task::yield_now().await;
        Ok(self.held().ledger.get(event_id).cloned())
    }

    async fn record_event(&self, entry: &LedgerEntry) -> Result<(), StoreError> {
        tokio::task::yield_now().await;
        let mut held = self.held();
        if held.ledger.contains_key(&entry.event.event_id) {
            return Err(StoreError::Conflict);
        }
        held.ledger
            .insert(entry.event.event_id.clone(), entry.clone());
        Ok(())
    }

    async fn save_order(
        &self,
        next: &Order,
        entry: Option<&LedgerEntry>,
    ) -> Result<(), StoreError> {
        tokio::task::yield_now().await;
        let mut held = self.held();
        let read = held.orders.get(&next.order_number).map(|o| o.version);
        let recorded = entry.is_some_and(|e| held.ledger.contains_key(&e.event.event_id));
        if read != Some(next.version - 1) || recorded {
            return Err(StoreError::Conflict);
        }
        held.orders.insert(next.order_number.clone(), next.clone());
        if let Some(entry) = entry {
            held.ledger
                .insert(entry.event.event_id.clone(), entry.clone());
        }
        Ok(())
    }

    async fn pending_expired(&self, now: u64) -> Result<Vec<Order>, StoreError> {
        tokio::task::yield_now().await;
        Ok(self
            .held()
            .orders
            .values()
            .filter(|o| o.status == OrderStatus::Pending && o.expires_at < now)
            .cloned()
            .collect())
    }
}

#[derive(Debug, Default)]
struct Sessions {
    opened: HashMap<String, PaymentSession>,
    last: HashMap<String, ProcessorEvent>,
    charged: usize,
}

/// A card processor in memory: it opens sessions and answers what a test charged.
/// Clones share its sessions.
#[derive(Debug, Clone, Default)]
pub struct MemoryProcessor {
    sessions: Arc<Mutex<Sessions>>,
}

impl MemoryProcessor {
    /// The session opened for `order_number`.
    pub fn session(&self, order_number: &str) -> Option<PaymentSession> {
        let sessions = self.sessions.lock().expect("not poisoned");
        sessions.opened.get(order_number).cloned()
    }

    /// Charges the order's card for its full amount at `occurred_at`; the event the
    /// processor reports (and answers when asked). `None` for an unknown order.
    pub fn charge(
        &self,
        order_number: &str,
        status: EventStatus,
        occurred_at: u64,
    ) -> Option<ProcessorEvent> {
        let mut sessions = self.sessions.lock().expect("not poisoned");
        let session = sessions.opened.get(order_number)?.clone();
        sessions.charged += 1;
        let event = ProcessorEvent {
            event_id: format!("evt_{}", sessions.charged),
            order_number: order_number.to_owned(),
            status,
            amount_minor: session.amount_minor,
            currency: session.currency,
            occurred_at,
        };
        sessions.last.insert(order_number.to_owned(), event.clone());
        Some(event)
    }
}

impl PaymentProcessor for MemoryProcessor {
    type Error = Infallible;

    async fn open_session(&self, session: &PaymentSession) -> Result<String, Infallible> {
        let mut sessions = self.sessions.lock().expect("not poisoned");
        sessions
            .opened
            .insert(session.order_number.clone(), session.clone());
        Ok(format!(
            "https://processor.test/checkout/{}",
            session.order_number
        ))
    }

    async fn status(&self, order_number: &str) -> Result<Option<ProcessorEvent>, Infallible> {
        let sessions = self.sessions.lock().expect("not poisoned");
        Ok(sessions.last.get(order_number).cloned())
    }
}
