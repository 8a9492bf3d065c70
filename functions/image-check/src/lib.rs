//! The `image-check` function: S3 tells a queue when a photo (`photo/`) or a scan
//! (`scan/`) arrives; this runs the document check on it
//! ([`use_cases::documents::DocumentCheck`]): it reads the file, identifies it by its
//! bytes, and records on its document what it found. A refused file is deleted from the
//! bucket, the reason stays on the record for the owner to read.
//!
//! Duplicates are normal: a document already checked is left alone, and a file nobody
//! asked to upload is deleted. A failure to read or write is reported for that message
//! alone, so the queue retries it and, in the end, dead-letters it.

use adapters::Deps;
use adapters::bucket::S3UploadsBucket;
use adapters::documents::DynamoDocuments;
use adapters::s3_events;
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use domain::PortFailure;
use domain::clock::now_rfc3339;
use domain::document::DocumentKind;
use use_cases::documents::{DocumentCheck, Examined, Examiner, Readers};

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[];

/// Messages checked at once: one file in memory at a time, as a decoded photo or
/// scan can take much of the function's memory.
const CONCURRENCY: usize = 1;

/// The readers, run on a blocking thread off the async workers.
struct Blocking(Readers);

impl Examiner for Blocking {
    async fn examine(&self, kind: DocumentKind, bytes: Vec<u8>) -> Result<Examined, PortFailure> {
        let readers = self.0;
        tokio::task::spawn_blocking(move || readers.examine(kind, &bytes))
            .await
            .map_err(|err| PortFailure::new("inspecting an upload", err))
    }
}

/// The consumer of the queue S3 reports photos and scans to.
pub struct Inspector {
    documents: DynamoDocuments,
    bucket: S3UploadsBucket,
    readers: Blocking,
}

impl Inspector {
    pub fn from_deps(deps: &Deps) -> Self {
        Inspector {
            documents: deps.documents(),
            bucket: deps.uploads_bucket(),
            readers: Blocking(Readers {
                inspect: imaging::inspect,
                zones: None,
            }),
        }
    }

    /// Handles one SQS batch of S3 events; the messages that failed are returned for retry.
    pub async fn handle(&self, event: SqsEvent) -> SqsBatchResponse {
        s3_events::each_object(event, CONCURRENCY, |object| async move {
            let check = DocumentCheck {
                documents: &self.documents,
                bucket: &self.bucket,
                examiner: &self.readers,
            };
            check
                .run(&object.key, now_rfc3339())
                .await
                .map(drop)
                .map_err(anyhow::Error::from)
        })
        .await
    }
}
