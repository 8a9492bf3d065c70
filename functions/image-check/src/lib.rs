//! The `image-check` function: S3 tells a queue when a photo (`photo/`) or a scan
//! (`scan/`) arrives; this reads the file, identifies it by its bytes, and records on
//! its document what it found. A refused file is deleted from the bucket, the reason
//! stays on the record for the owner to read.
//!
//! Duplicates are normal: a document already checked is left alone, and a file nobody
//! asked to upload is deleted. A failure to read or write is reported for that message
//! alone, so the queue retries it and, in the end, dead-letters it.

use adapters::bucket::S3UploadsBucket;
use adapters::documents::DynamoDocuments;
use adapters::s3_events::{ObjectCreated, object_created};
use adapters::{Deps, StoreError};
use anyhow::Context;
use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use domain::Code;
use domain::clock::now_rfc3339;
use domain::document::{DocumentStatus, FileType, Inspection, Reader};
use domain::mrz::MrzExtract;
use domain::ports::documents::StoredFile;

/// Reads the machine-readable zone of a passport or ID image, or says why not.
pub type ZoneReader = fn(&[u8]) -> Result<MrzExtract, Code>;

pub struct ImageCheck {
    documents: DynamoDocuments,
    bucket: S3UploadsBucket,
    zones: Option<ZoneReader>,
}

impl ImageCheck {
    pub fn from_deps(deps: &Deps) -> Self {
        ImageCheck {
            documents: deps.documents(),
            bucket: deps.uploads_bucket(),
            zones: None,
        }
    }

    /// Also reads the zone of passport and ID scans that pass their check (the
    /// `mrz-extract` function is this check with a reader).
    pub fn reading_zones(self, reader: ZoneReader) -> Self {
        ImageCheck {
            zones: Some(reader),
            ..self
        }
    }

    /// Handles one SQS batch of S3 events; the messages that failed are returned for retry.
    pub async fn handle(&self, event: SqsEvent) -> SqsBatchResponse {
        let mut response = SqsBatchResponse::default();
        for message in event.records {
            let id = message.message_id.clone().unwrap_or_default();
            let outcome = match object_created(message.body.as_deref().unwrap_or_default()) {
                Ok(objects) => {
                    let mut outcome = Ok(());
                    for object in objects {
                        if let Err(err) = self.check(&object).await {
                            outcome = Err(err);
                        }
                    }
                    outcome
                }
                // Not an S3 event: retrying will not help, let it reach the DLQ.
                Err(err) => Err(anyhow::Error::from(err)),
            };
            if let Err(err) = outcome {
                tracing::warn!(message_id = %id, error = %format!("{err:#}"), "image check failed");
                let mut failure = BatchItemFailure::default();
                failure.item_identifier = id;
                response.batch_item_failures.push(failure);
            }
        }
        response
    }

    async fn check(&self, object: &ObjectCreated) -> anyhow::Result<()> {
        let upload_id = object.key.rsplit('/').next().unwrap_or_default();
        let record = self.documents.get(upload_id).await?;
        let Some(record) = record.filter(|r| r.key == object.key) else {
            // Nobody asked for this upload (or it was deleted meanwhile): drop the file.
            self.bucket.delete([object.key.clone()]).await?;
            return Ok(());
        };
        if record.status != DocumentStatus::AwaitingUpload {
            return Ok(());
        }
        let max = record.kind.max_bytes();
        let stored = self
            .bucket
            .read(&object.key, max)
            .await?
            .context("the upload is not in the bucket")?;
        // Never read more than the limit: a larger object is refused by its length.
        let (size, inspection, zone) = match stored {
            StoredFile::TooLarge { size } => (size, Inspection::too_large(), None),
            StoredFile::Read(bytes) => {
                let size = bytes.len() as u64;
                let kind = record.kind;
                let zones = self.zones.filter(|_| kind.reader() == Reader::Passport);
                tokio::task::spawn_blocking(move || {
                    let inspection = imaging::inspect(kind, &bytes, max);
                    let zone = match (zones, inspection.file_type) {
                        (Some(read), Some(FileType::Jpeg | FileType::Png))
                            if inspection.errors.is_empty() =>
                        {
                            Some(read(&bytes))
                        }
                        // A PDF is kept, but its zone is not read.
                        (Some(_), Some(FileType::Pdf)) if inspection.errors.is_empty() => {
                            Some(Err(Code::MrzNotFound))
                        }
                        _ => None,
                    };
                    (size, inspection, zone)
                })
                .await?
            }
        };
        let rejected = !inspection.errors.is_empty();
        let checked = domain::document::record::DocumentRecord {
            status: if rejected {
                DocumentStatus::Rejected
            } else {
                DocumentStatus::Checked
            },
            size: Some(size),
            sha256: (!inspection.sha256.is_empty()).then(|| inspection.sha256.clone()),
            content_type: inspection
                .file_type
                .map_or(record.content_type.clone(), |s| s.content_type().to_owned()),
            findings: inspection
                .errors
                .iter()
                .copied()
                .map(domain::document::record::Finding::error)
                .chain(
                    zone.as_ref()
                        .and_then(|z| z.as_ref().err())
                        .copied()
                        .map(domain::document::record::Finding::warning),
                )
                .collect(),
            mrz: zone.and_then(Result::ok),
            updated_at: now_rfc3339(),
            expires_at: None,
            ..record
        };
        // A photo that passed gets its print copy, stored before the record says
        // checked, so that a checked photo always has one.
        let print_key = checked
            .print_copy()
            .filter(|_| inspection.print_copy.is_some());
        if rejected {
            self.bucket.delete([object.key.clone()]).await?;
        } else if let (Some(key), Some(copy)) = (&print_key, inspection.print_copy) {
            self.bucket.write(key, "image/jpeg", copy).await?;
        }
        // A replacement or deletion since the upload wins; its copy goes then.
        let recorded = match (self.documents)
            .record_check(&checked, DocumentStatus::AwaitingUpload)
            .await
        {
            Ok(()) => true,
            Err(StoreError::Conflict) => false,
            Err(other) => return Err(other.into()),
        };
        if let (false, Some(key)) = (recorded, &print_key) {
            self.bucket.delete([key.clone()]).await?;
        }
        tracing::info!(
            upload_id,
            kind = checked.kind.as_str(),
            status = ?checked.status,
            findings = ?checked.findings.iter().map(|f| &f.code).collect::<Vec<_>>(),
            zone_read = checked.mrz.is_some(),
            "document checked"
        );
        Ok(())
    }
}
