//! In-memory documents ports: the document records and the uploads bucket.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use domain::document::DocumentStatus;
use domain::document::record::DocumentRecord;
use domain::ports::documents::{DocumentStore, StoredFile, UploadsBucket};
use domain::{PortFailure, StoreError};

/// Document records by upload id. Clones share them.
#[derive(Debug, Clone, Default)]
pub struct MemoryDocuments {
    records: Arc<Mutex<BTreeMap<String, DocumentRecord>>>,
}

impl MemoryDocuments {
    /// Stores `record` over any of the same upload id (an upload form issued, a
    /// replacement).
    pub fn put(&self, record: DocumentRecord) {
        let mut records = self.records.lock().expect("not poisoned");
        records.insert(record.upload_id.clone(), record);
    }

    /// Deletes the record of `upload_id`.
    pub fn remove(&self, upload_id: &str) {
        self.records.lock().expect("not poisoned").remove(upload_id);
    }

    /// The record of `upload_id` as stored now.
    pub fn record(&self, upload_id: &str) -> Option<DocumentRecord> {
        self.records
            .lock()
            .expect("not poisoned")
            .get(upload_id)
            .cloned()
    }
}

impl DocumentStore for MemoryDocuments {
    async fn get(&self, upload_id: &str) -> Result<Option<DocumentRecord>, StoreError> {
        Ok(self.record(upload_id))
    }

    async fn record_check(
        &self,
        record: &DocumentRecord,
        expected: DocumentStatus,
    ) -> Result<(), StoreError> {
        let mut records = self.records.lock().expect("not poisoned");
        match records.get_mut(&record.upload_id) {
            Some(stored) if stored.owner == record.owner && stored.status == expected => {
                *stored = record.clone();
                Ok(())
            }
            _ => Err(StoreError::Conflict),
        }
    }
}

/// Files by key, with their content types.
#[derive(Debug, Default)]
pub struct MemoryBucket {
    files: Mutex<BTreeMap<String, (String, Vec<u8>)>>,
}

impl MemoryBucket {
    /// Stores a file as an upload through a form would.
    pub fn upload(&self, key: &str, content_type: &str, bytes: Vec<u8>) {
        let mut files = self.files.lock().expect("not poisoned");
        files.insert(key.to_owned(), (content_type.to_owned(), bytes));
    }

    /// The keys of every file, in order.
    pub fn keys(&self) -> Vec<String> {
        self.files
            .lock()
            .expect("not poisoned")
            .keys()
            .cloned()
            .collect()
    }

    /// The content type and bytes of the file at `key`.
    pub fn file(&self, key: &str) -> Option<(String, Vec<u8>)> {
        self.files.lock().expect("not poisoned").get(key).cloned()
    }
}

impl UploadsBucket for MemoryBucket {
    async fn read(&self, key: &str, max_bytes: u64) -> Result<Option<StoredFile>, PortFailure> {
        Ok(self.file(key).map(|(_, bytes)| {
            let size = bytes.len() as u64;
            if size > max_bytes {
                StoredFile::TooLarge { size }
            } else {
                StoredFile::Read(bytes)
            }
        }))
    }

    async fn write(
        &self,
        key: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<(), PortFailure> {
        self.upload(key, content_type, bytes);
        Ok(())
    }

    async fn delete(&self, keys: Vec<String>) -> Result<(), PortFailure> {
        let mut files = self.files.lock().expect("not poisoned");
        for key in keys {
            files.remove(&key);
        }
        Ok(())
    }
}
