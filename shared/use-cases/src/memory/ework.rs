//! In-memory e-work ports: applications with their audit trail and messages, each move
//! conditional on the version read, and the documents they lock, as the DynamoDB
//! stores' are; the places of quota allocations that granted permits take; and the
//! border service and visa registry as lists of people.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use domain::account::AccountId;
use domain::account::values::{CountryCode, DocumentNumber};
use domain::ework::permit::holder_key;
use domain::ework::{Application, Change, Holder, Message, Place, PlaceRef, Request, Visa};
use domain::ports::ework::{ApplicationStore, BorderService, MessageStore, VisaRegistry};
use domain::{StoreError, Taken};

#[derive(Debug, Default)]
struct Held {
    applications: HashMap<String, Application>,
    audit: Vec<(String, Change)>,
    messages: Vec<Message>,
    locked: HashSet<String>,
    /// Uploads that are no longer usable (replaced or deleted meanwhile).
    withdrawn: HashSet<String>,
    /// Places taken per allocation row.
    taken: HashMap<PlaceRef, u32>,
}

/// Applications and messages in memory. Clones share them. Every call lets other tasks
/// run first, so that two moves started together interleave as two requests would.
#[derive(Debug, Clone, Default)]
pub struct MemoryApplications {
    held: Arc<Mutex<Held>>,
}

impl MemoryApplications {
    fn held(&self) -> std::sync::MutexGuard<'_, Held> {
        self.held.lock().expect("not poisoned")
    }

    /// The application `number` as stored now.
    pub fn get(&self, number: &str) -> Option<Application> {
        self.held().applications.get(number).cloned()
    }

    /// The audit trail of `number`, oldest first.
    pub fn audit(&self, number: &str) -> Vec<Change> {
        let held = self.held();
        held.audit
            .iter()
            .filter(|(n, _)| n == number)
            .map(|(_, c)| c.clone())
            .collect()
    }

    /// Every message so far, oldest first.
    pub fn messages(&self) -> Vec<Message> {
        self.held().messages.clone()
    }

    /// Whether the upload is locked by an application.
    pub fn is_locked(&self, upload_id: &str) -> bool {
        self.held().locked.contains(upload_id)
    }

    /// Makes the upload unusable, as a replacement or deletion would.
    pub fn withdraw(&self, upload_id: &str) {
        self.held().withdrawn.insert(upload_id.to_owned());
    }
}

impl ApplicationStore for MemoryApplications {
    async fn application(&self, number: &str) -> Result<Option<Application>, StoreError> {
        tokio::task::yield_now().await;
        Ok(self.get(number))
    }

    async fn create(&self, application: &Application, change: &Change) -> Result<(), StoreError> {
        tokio::task::yield_now().await;
        let mut held = self.held();
        if held.applications.contains_key(&application.number) {
            return Err(StoreError::Taken(Taken::ApplicationNumber));
        }
        if application
            .upload_ids()
            .any(|id| held.withdrawn.contains(id))
        {
            return Err(StoreError::Conflict);
        }
        let ids: Vec<String> = application.upload_ids().map(str::to_owned).collect();
        held.locked.extend(ids);
        held.audit
            .push((application.number.clone(), change.clone()));
        held.applications
            .insert(application.number.clone(), application.clone());
        Ok(())
    }

    async fn record_move(
        &self,
        next: &Application,
        change: &Change,
        attached: &[&str],
        message: Option<&Message>,
    ) -> Result<(), StoreError> {
        tokio::task::yield_now().await;
        let mut held = self.held();
        let current = held.applications.get(&next.number).map(|a| a.version);
        if current != Some(next.version - 1)
            || attached.iter().any(|id| held.withdrawn.contains(*id))
        {
            return Err(StoreError::Conflict);
        }
        held.locked
            .extend(attached.iter().map(|id| (*id).to_owned()));
        held.audit.push((next.number.clone(), change.clone()));
        held.messages.extend(message.cloned());
        held.applications.insert(next.number.clone(), next.clone());
        Ok(())
    }

    async fn awaiting_fee(&self) -> Result<Vec<Application>, StoreError> {
        tokio::task::yield_now().await;
        Ok(self.fee_due())
    }

    async fn record_grant(
        &self,
        next: &Application,
        change: &Change,
        message: &Message,
        place: &PlaceRef,
        allocated: u32,
    ) -> Result<(), StoreError> {
        tokio::task::yield_now().await;
        let mut held = self.held();
        let current = held.applications.get(&next.number).map(|a| a.version);
        if current != Some(next.version - 1) {
            return Err(StoreError::Conflict);
        }
        let taken = held.taken.get(place).copied().unwrap_or(0);
        if taken >= allocated {
            return Err(StoreError::Taken(Taken::QuotaPlace));
        }
        held.taken.insert(place.clone(), taken + 1);
        held.audit.push((next.number.clone(), change.clone()));
        held.messages.push(message.clone());
        held.applications.insert(next.number.clone(), next.clone());
        Ok(())
    }

    async fn permits_of(&self, key: &str) -> Result<Vec<Application>, StoreError> {
        tokio::task::yield_now().await;
        Ok(self
            .held()
            .applications
            .values()
            .filter(|a| match &a.request {
                Request::Permit(p) => p.holder.key() == key,
                Request::Entrepreneur(e) => e.holder.key() == key,
                _ => false,
            })
            .cloned()
            .collect())
    }

    async fn places_of(&self, owner: &AccountId) -> Result<Vec<Place>, StoreError> {
        tokio::task::yield_now().await;
        let held = self.held();
        let mut quotas: Vec<&Application> = held
            .applications
            .values()
            .filter(|a| &a.owner == owner && a.allocation_usable())
            .collect();
        quotas.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        Ok(quotas
            .into_iter()
            .flat_map(|quota| quota.places(|p| held.taken.get(p).copied().unwrap_or(0)))
            .collect())
    }
}

/// The border service and the visa registry as lists of people and visas.
#[derive(Debug, Clone, Default)]
pub struct MemoryBorder {
    pub holders: Vec<Holder>,
    /// Visas by the passport's key.
    pub visas: Vec<(String, Visa)>,
}

impl BorderService for MemoryBorder {
    async fn holder(
        &self,
        country: &CountryCode,
        number: &DocumentNumber,
    ) -> Result<Option<Holder>, StoreError> {
        let key = holder_key(country, number);
        Ok(self.holders.iter().find(|h| h.key() == key).cloned())
    }
}

impl VisaRegistry for MemoryBorder {
    async fn visas(
        &self,
        country: &CountryCode,
        number: &DocumentNumber,
    ) -> Result<Vec<Visa>, StoreError> {
        let key = holder_key(country, number);
        Ok(self
            .visas
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
            .collect())
    }
}

impl MemoryApplications {
    fn fee_due(&self) -> Vec<Application> {
        self.held()
            .applications
            .values()
            .filter(|a| {
                a.status == domain::ework::Status::Confirmed
                    && a.fee
                        .as_ref()
                        .is_some_and(|f| f.status == domain::ework::FeeStatus::Due)
            })
            .cloned()
            .collect()
    }
}

impl MessageStore for MemoryApplications {
    async fn post(&self, message: &Message) -> Result<(), StoreError> {
        tokio::task::yield_now().await;
        self.held().messages.push(message.clone());
        Ok(())
    }
}
