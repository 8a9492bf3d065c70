//! In-memory contacts and notifier: who can be reached, and what they were told.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use domain::account::AccountId;
use domain::notification::{Recipient, Template};
use domain::ports::{Contact, Contacts, Notifier};
use domain::{Lang, PortFailure, StoreError};

/// Contacts by account. Clones share them.
#[derive(Debug, Clone, Default)]
pub struct MemoryContacts {
    contacts: Arc<Mutex<HashMap<AccountId, Contact>>>,
}

impl MemoryContacts {
    /// Makes account `id` reachable at `contact`.
    pub fn insert(&self, id: AccountId, contact: Contact) {
        self.contacts
            .lock()
            .expect("not poisoned")
            .insert(id, contact);
    }
}

impl Contacts for MemoryContacts {
    async fn contact(&self, id: &AccountId) -> Result<Option<Contact>, StoreError> {
        Ok(self.contacts.lock().expect("not poisoned").get(id).cloned())
    }
}

/// One notification put on its way.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub id: String,
    pub lang: Lang,
    pub to: Recipient,
    pub template: Template,
}

/// Keeps every notification instead of sending it. Clones share them.
#[derive(Debug, Clone, Default)]
pub struct MemoryNotifier {
    sent: Arc<Mutex<Vec<Sent>>>,
}

impl MemoryNotifier {
    /// Every notification so far, in order, repeats included.
    pub fn sent(&self) -> Vec<Sent> {
        self.sent.lock().expect("not poisoned").clone()
    }
}

impl Notifier for MemoryNotifier {
    async fn notify(
        &self,
        id: &str,
        lang: Lang,
        to: Recipient,
        template: Template,
    ) -> Result<(), PortFailure> {
        self.sent.lock().expect("not poisoned").push(Sent {
            id: id.to_owned(),
            lang,
            to,
            template,
        });
        Ok(())
    }
}
