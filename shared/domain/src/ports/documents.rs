//! The stores and the bucket the document check needs.

use std::future::Future;

use crate::document::DocumentStatus;
use crate::document::record::DocumentRecord;
use crate::store::{PortFailure, StoreError};

/// The document records.
pub trait DocumentStore: Send + Sync {
    /// The document of `upload_id`, read consistently.
    fn get(
        &self,
        upload_id: &str,
    ) -> impl Future<Output = Result<Option<DocumentRecord>, StoreError>> + Send;

    /// Writes what a check found over the record, if it is still in the `expected`
    /// status and its owner's; `Err(StoreError::Conflict)` when it was replaced or
    /// deleted since.
    fn record_check(
        &self,
        record: &DocumentRecord,
        expected: DocumentStatus,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// A file in the uploads bucket, as far as a reader with a size limit reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredFile {
    /// Its bytes.
    Read(Vec<u8>),
    /// Larger than the limit: only its size is known, nothing was read.
    TooLarge { size: u64 },
}

/// The uploads bucket: the files people upload, and the print copies of their photos.
pub trait UploadsBucket: Send + Sync {
    /// The file at `key`, read only if it is at most `max_bytes` long; `None` when
    /// there is no such file.
    fn read(
        &self,
        key: &str,
        max_bytes: u64,
    ) -> impl Future<Output = Result<Option<StoredFile>, PortFailure>> + Send;

    /// Stores `bytes` of `content_type` at `key`, over any file there.
    fn write(
        &self,
        key: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> impl Future<Output = Result<(), PortFailure>> + Send;

    /// Deletes the files at `keys`; a key with no file is no error.
    fn delete(&self, keys: Vec<String>) -> impl Future<Output = Result<(), PortFailure>> + Send;
}
