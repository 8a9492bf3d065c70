//! The `stay-expiry` function, run daily just after midnight in Bishkek: every valid
//! registration whose last day is before today becomes expired, with its audit entry.
//! Running it twice, or late, changes nothing more.

use adapters::Deps;
use adapters::stay_lifecycle::StayLifecycle;
use serde::Serialize;

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[];

/// What one run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Expired {
    pub expired: usize,
}

pub struct StayExpiry {
    registrations: StayLifecycle,
}

impl StayExpiry {
    pub fn from_deps(deps: &Deps) -> Self {
        Self {
            registrations: deps.stay_lifecycle(),
        }
    }

    /// Expires what is due today in Bishkek.
    pub async fn run(&self) -> anyhow::Result<Expired> {
        self.run_on(domain::clock::today_in_bishkek()).await
    }

    /// Expires registrations whose last day is before `today`.
    pub async fn run_on(&self, today: time::Date) -> anyhow::Result<Expired> {
        let expired = self.registrations.expire_due(today).await?;
        tracing::info!(expired, %today, "registrations expired");
        Ok(Expired { expired })
    }
}
