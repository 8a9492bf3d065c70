//! The `payment-reconcile` function, every five minutes: pending orders past their
//! expiry are looked up at the processor. A payment it knows of is settled as its
//! webhook would have settled it (so a lost webhook loses nothing); the rest expire.

use adapters::Deps;
use adapters::payments::Payments;
use serde::Serialize;

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[];

/// What one run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reconciled {
    pub settled: usize,
    pub expired: usize,
}

pub struct Reconciler {
    payments: Payments,
}

impl Reconciler {
    pub fn from_deps(deps: &Deps) -> Self {
        Self {
            payments: deps.payments(),
        }
    }

    pub async fn run(&self) -> anyhow::Result<Reconciled> {
        self.run_at(domain::clock::now_secs()).await
    }

    /// Reconciles the orders whose session ended before `now`.
    pub async fn run_at(&self, now: u64) -> anyhow::Result<Reconciled> {
        let done = self.payments.reconcile(now).await?;
        let (settled, expired) = (done.settled, done.expired);
        tracing::info!(settled, expired, "orders reconciled");
        Ok(Reconciled { settled, expired })
    }
}
