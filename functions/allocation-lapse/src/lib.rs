//! The `allocation-lapse` function, run daily just after midnight in Bishkek: every
//! confirmed e-work application whose state fee was not paid by its last day lapses —
//! its allocation can no longer be used — with its audit entry, a message to the
//! applicant and an email that one waits. Running it twice, or late, changes nothing
//! more.

use adapters::Deps;
use adapters::ework::ApplicationLifecycle;
use serde::Serialize;

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[];

/// What one run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Lapsed {
    pub lapsed: usize,
}

pub struct AllocationLapse {
    applications: ApplicationLifecycle,
}

impl AllocationLapse {
    pub fn from_deps(deps: &Deps) -> Self {
        Self {
            applications: deps.application_lifecycle(),
        }
    }

    /// Lapses what is due today in Bishkek.
    pub async fn run(&self) -> anyhow::Result<Lapsed> {
        self.run_on(domain::clock::today_in_bishkek()).await
    }

    /// Lapses allocations whose fee's last day is before `today`.
    pub async fn run_on(&self, today: time::Date) -> anyhow::Result<Lapsed> {
        // Boxed: the use case nests the store's and the queue's futures deep.
        let lapsed = Box::pin(self.applications.lapse_unpaid(today)).await?;
        tracing::info!(lapsed, %today, "unpaid allocations lapsed");
        Ok(Lapsed { lapsed })
    }
}
