//! The `draft-sweep` function, run every quarter hour: a registration draft nobody
//! registered with lapses after its hour, and then its uploads (files, print copies,
//! records) and the draft itself are deleted. Passport scans of people who never
//! finished registering are kept no longer than that. Running it twice deletes nothing
//! more; a draft that was claimed is no longer listed, so its uploads are never touched.

use adapters::bucket::S3UploadsBucket;
use adapters::documents::DynamoDocuments;
use adapters::drafts::DynamoDrafts;
use adapters::{Deps, StoreError};
use domain::clock::{now_secs, rfc3339};
use domain::document::draft;
use serde::Serialize;

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[adapters::secrets::Secret::Key];

/// A draft is swept this long after it lapsed, so that a registration sent in its last
/// second is never raced.
pub const GRACE_SECS: u64 = 300;

/// What one run deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Swept {
    pub drafts: usize,
    pub documents: usize,
}

pub struct DraftSweep {
    drafts: DynamoDrafts,
    documents: DynamoDocuments,
    bucket: S3UploadsBucket,
}

impl DraftSweep {
    pub fn from_deps(deps: &Deps) -> Self {
        Self {
            drafts: deps.drafts(),
            documents: deps.documents(),
            bucket: deps.uploads_bucket(),
        }
    }

    /// Sweeps what has lapsed by now.
    pub async fn run(&self) -> anyhow::Result<Swept> {
        self.run_at(now_secs()).await
    }

    /// Sweeps the drafts lapsed (with the grace) by `now`, seconds since the epoch.
    pub async fn run_at(&self, now: u64) -> anyhow::Result<Swept> {
        let before = rfc3339(now.saturating_sub(draft::TTL_SECS + GRACE_SECS));
        let mut swept = Swept::default();
        for lapsed in self.drafts.created_before(&before).await? {
            // Its documents first: if this stops halfway, the draft is still listed and
            // the next run finishes the job.
            for document in self.documents.of_owner(&lapsed.account_id).await? {
                self.bucket.delete(document.stored_keys()).await?;
                match (self.documents)
                    .delete_owned(&document.upload_id, &lapsed.account_id)
                    .await
                {
                    Ok(()) => swept.documents += 1,
                    // Named by an application or deleted meanwhile: not this run's to sweep.
                    Err(StoreError::Conflict) => {}
                    Err(other) => return Err(other.into()),
                }
            }
            if self.drafts.delete_lapsed(&lapsed, now).await? {
                swept.drafts += 1;
            }
        }
        tracing::info!(
            drafts = swept.drafts,
            documents = swept.documents,
            "drafts swept"
        );
        Ok(swept)
    }
}
