//! In-memory stays ports: registrations with their audit trail, each write conditional
//! on the version read, as the DynamoDB store's are.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use domain::StoreError;
use domain::ports::stays::StayStore;
use domain::stay::{Change, Stay, StayStatus};
use time::Date;

#[derive(Debug, Default)]
struct Held {
    stays: HashMap<String, Stay>,
    audit: Vec<(String, Change)>,
    /// Registration number → application number.
    registration_numbers: HashMap<String, String>,
}

/// Registrations in memory. Clones share them. Every call lets other tasks run first,
/// so that two moves started together interleave as two requests would.
#[derive(Debug, Clone, Default)]
pub struct MemoryStays {
    held: Arc<Mutex<Held>>,
}

impl MemoryStays {
    fn held(&self) -> std::sync::MutexGuard<'_, Held> {
        self.held.lock().expect("not poisoned")
    }

    /// Stores `stay` as it is, as a submission would.
    pub fn insert(&self, stay: Stay) {
        self.held().stays.insert(stay.number.clone(), stay);
    }

    /// The registration `number` as stored now.
    pub fn get(&self, number: &str) -> Option<Stay> {
        self.held().stays.get(number).cloned()
    }

    /// The changes recorded for `number`, oldest first.
    pub fn audit_of(&self, number: &str) -> Vec<Change> {
        self.held()
            .audit
            .iter()
            .filter(|(n, _)| n == number)
            .map(|(_, change)| change.clone())
            .collect()
    }

    fn write(held: &mut Held, next: &Stay, change: &Change) -> Result<(), StoreError> {
        let current = held.stays.get(&next.number).ok_or(StoreError::Conflict)?;
        if current.version + 1 != next.version {
            return Err(StoreError::Conflict);
        }
        held.stays.insert(next.number.clone(), next.clone());
        held.audit.push((next.number.clone(), change.clone()));
        Ok(())
    }
}

impl StayStore for MemoryStays {
    async fn stay(&self, number: &str) -> Result<Option<Stay>, StoreError> {
        tokio::task::yield_now().await;
        Ok(self.get(number))
    }

    async fn record_move(&self, next: &Stay, change: &Change) -> Result<(), StoreError> {
        tokio::task::yield_now().await;
        Self::write(&mut self.held(), next, change)
    }

    async fn record_confirmation(&self, next: &Stay, change: &Change) -> Result<(), StoreError> {
        tokio::task::yield_now().await;
        let mut held = self.held();
        let number = next.registration_number.clone().unwrap_or_default();
        if held.registration_numbers.contains_key(&number) {
            return Err(StoreError::Conflict);
        }
        Self::write(&mut held, next, change)?;
        held.registration_numbers
            .insert(number, next.number.clone());
        Ok(())
    }

    async fn of_passport(&self, document_number: &str) -> Result<Vec<Stay>, StoreError> {
        tokio::task::yield_now().await;
        Ok(self
            .held()
            .stays
            .values()
            .filter(|s| s.guest.document_number.as_ref() == document_number)
            .cloned()
            .collect())
    }

    async fn past_their_last_day(&self, today: Date) -> Result<Vec<Stay>, StoreError> {
        tokio::task::yield_now().await;
        Ok(self
            .held()
            .stays
            .values()
            .filter(|s| s.status == StayStatus::Valid && s.stay_to < today)
            .cloned()
            .collect())
    }
}

impl domain::ports::ework::Talons for MemoryStays {
    async fn by_registration_number(
        &self,
        registration_number: &str,
    ) -> Result<Option<Stay>, StoreError> {
        tokio::task::yield_now().await;
        let held = self.held();
        Ok(held
            .stays
            .values()
            .find(|s| s.registration_number.as_deref() == Some(registration_number))
            .cloned())
    }
}
