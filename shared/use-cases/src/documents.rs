//! The check of an uploaded document. S3 reports a file under a reader's prefix; the
//! check reads the document record that asked for it and the file, inspects the file by
//! its bytes and records what it found:
//!
//! - no document awaits the file (never asked for, or deleted since): the file goes;
//! - the document was checked before (a repeated event): nothing happens;
//! - the inspection refuses the file: the file goes, the reasons stay on the record for
//!   the owner to read;
//! - it passes: the findings are recorded; a photo gets its print copy (stored before
//!   the record says checked, so that a checked photo always has one), a passport scan
//!   its machine-readable zone when a zone reader is given;
//! - the document was replaced or deleted while the file was read: nothing is recorded,
//!   and a print copy made for it goes again.
//!
//! The inspection itself is a parameter ([`Readers`]): the functions pass the image
//! rules of the `imaging` crate, the unit tests stand-ins.

use std::future::Future;

use domain::document::record::DocumentRecord;
use domain::document::{DocumentKind, DocumentStatus, Inspection, Reader};
use domain::mrz::MrzExtract;
use domain::ports::documents::{DocumentStore, StoredFile, UploadsBucket};
use domain::{Code, PortFailure, StoreError};

/// Inspects the bytes of a file uploaded as a document of a kind, at most so many bytes
/// long (`imaging::inspect`).
pub type Inspect = fn(DocumentKind, &[u8], u64) -> Inspection;

/// Reads the machine-readable zone of a passport or ID image, or says why not.
pub type ZoneReader = fn(&[u8]) -> Result<MrzExtract, Code>;

/// What reads an uploaded file: the inspection and, where passport scans go
/// (`mrz-extract`), the zone reader.
#[derive(Debug, Clone, Copy)]
pub struct Readers {
    pub inspect: Inspect,
    pub zones: Option<ZoneReader>,
}

/// What reading one file found.
#[derive(Debug, Clone, PartialEq)]
pub struct Examined {
    pub inspection: Inspection,
    /// For a passport scan that passed, with a zone reader: the zone, or why it was not read.
    pub zone: Option<Result<MrzExtract, Code>>,
}

impl Readers {
    /// Reads `bytes`, uploaded as a document of `kind`. CPU-bound: the caller chooses the
    /// thread (see [`Examiner`]).
    pub fn examine(&self, kind: DocumentKind, bytes: &[u8]) -> Examined {
        let inspection = (self.inspect)(kind, bytes, kind.max_bytes());
        let zone = match self.zones.filter(|_| kind.reader() == Reader::Passport) {
            Some(read) if inspection.passed() => match inspection.file_type {
                Some(file_type) if file_type.is_image() => Some(read(bytes)),
                // A PDF is kept, but its zone is not read.
                Some(_) => Some(Err(Code::MrzNotFound)),
                None => None,
            },
            _ => None,
        };
        Examined { inspection, zone }
    }
}

/// Runs the readers on one file, where its owner sees fit: a function moves the work
/// off the async threads, a test runs it in place.
pub trait Examiner: Send + Sync {
    fn examine(
        &self,
        kind: DocumentKind,
        bytes: Vec<u8>,
    ) -> impl Future<Output = Result<Examined, PortFailure>> + Send;
}

/// The readers run in place, on the caller's thread.
impl Examiner for Readers {
    async fn examine(&self, kind: DocumentKind, bytes: Vec<u8>) -> Result<Examined, PortFailure> {
        Ok(Readers::examine(self, kind, &bytes))
    }
}

/// What became of one uploaded file.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckOutcome {
    /// No document awaits the file (never asked for, or deleted since): it was deleted.
    Unasked,
    /// The document's file was checked before: nothing was done.
    AlreadyChecked,
    /// What the check found is recorded: checked, or rejected and the file deleted.
    Recorded(Box<DocumentRecord>),
    /// The document was replaced or deleted while its file was read: nothing recorded.
    ChangedMeanwhile,
}

/// Why a check could not finish; the event is tried again.
#[derive(Debug, thiserror::Error)]
pub enum CheckFailed {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Bucket(#[from] PortFailure),
}

/// The document check over its ports.
pub struct DocumentCheck<'a, D, B, E> {
    pub documents: &'a D,
    pub bucket: &'a B,
    pub examiner: &'a E,
}

impl<D: DocumentStore, B: UploadsBucket, E: Examiner> DocumentCheck<'_, D, B, E> {
    /// Checks the file S3 reported at `key` (`<prefix><owner>/<upload id>`); `now` is
    /// RFC 3339.
    pub async fn run(&self, key: &str, now: String) -> Result<CheckOutcome, CheckFailed> {
        let outcome = self.check(key, now).await?;
        match &outcome {
            CheckOutcome::Recorded(checked) => tracing::info!(
                upload_id = checked.upload_id,
                kind = checked.kind.as_str(),
                status = ?checked.status,
                findings = ?checked.findings.iter().map(|f| &f.code).collect::<Vec<_>>(),
                zone_read = checked.mrz.is_some(),
                "document checked"
            ),
            outcome => tracing::info!(key, ?outcome, "upload not checked"),
        }
        Ok(outcome)
    }

    async fn check(&self, key: &str, now: String) -> Result<CheckOutcome, CheckFailed> {
        let upload_id = key.rsplit('/').next().unwrap_or_default();
        let record = self.documents.get(upload_id).await?;
        let Some(record) = record.filter(|r| r.key == key) else {
            self.bucket.delete(vec![key.to_owned()]).await?;
            return Ok(CheckOutcome::Unasked);
        };
        if record.status != DocumentStatus::AwaitingUpload {
            return Ok(CheckOutcome::AlreadyChecked);
        }
        let kind = record.kind;
        let stored = self.bucket.read(key, kind.max_bytes()).await?;
        let (size, examined) = match stored {
            None => {
                let missing =
                    PortFailure::new("reading an upload", "the file is not in the bucket");
                return Err(missing.into());
            }
            // A larger file is refused by its length, never read.
            Some(StoredFile::TooLarge { size }) => (
                size,
                Examined {
                    inspection: Inspection::too_large(),
                    zone: None,
                },
            ),
            Some(StoredFile::Read(bytes)) => {
                let size = bytes.len() as u64;
                (size, self.examiner.examine(kind, bytes).await?)
            }
        };
        let Examined {
            mut inspection,
            zone,
        } = examined;
        let checked = record.checked(size, &inspection, zone, now);
        let print_copy = inspection.print_copy.take();
        let print_key = checked.print_copy().filter(|_| print_copy.is_some());
        if !inspection.passed() {
            self.bucket.delete(vec![key.to_owned()]).await?;
        } else if let (Some(key), Some(copy)) = (&print_key, print_copy) {
            self.bucket.write(key, "image/jpeg", copy).await?;
        }
        // A replacement or deletion since the upload wins; its copy goes then.
        match (self.documents)
            .record_check(&checked, DocumentStatus::AwaitingUpload)
            .await
        {
            Ok(()) => Ok(CheckOutcome::Recorded(Box::new(checked))),
            Err(StoreError::Conflict) => {
                if let Some(key) = print_key {
                    self.bucket.delete(vec![key]).await?;
                }
                Ok(CheckOutcome::ChangedMeanwhile)
            }
            Err(other) => Err(other.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use domain::account::AccountId;
    use domain::document::FileType;
    use domain::document::record::Finding;

    use super::*;
    use crate::memory::documents::{MemoryBucket, MemoryDocuments};

    const NOW: &str = "2026-11-23T06:00:00Z";

    /// Passes every file as a JPEG; a photo gets a print copy.
    fn passes(kind: DocumentKind, bytes: &[u8], _max: u64) -> Inspection {
        Inspection {
            errors: Vec::new(),
            file_type: Some(FileType::Jpeg),
            dimensions: Some((600, 800)),
            sha256: format!("{:064x}", bytes.len()),
            print_copy: (kind == DocumentKind::Photo).then(|| b"print copy".to_vec()),
        }
    }

    /// Refuses every file as blurred.
    fn refuses(_kind: DocumentKind, bytes: &[u8], _max: u64) -> Inspection {
        Inspection {
            errors: vec![Code::PhotoBlurred],
            file_type: Some(FileType::Png),
            dimensions: Some((600, 800)),
            sha256: format!("{:064x}", bytes.len()),
            print_copy: None,
        }
    }

    /// Passes every file as a PDF.
    fn passes_as_pdf(kind: DocumentKind, bytes: &[u8], max: u64) -> Inspection {
        Inspection {
            file_type: Some(FileType::Pdf),
            ..passes(kind, bytes, max)
        }
    }

    fn zone(_bytes: &[u8]) -> Result<MrzExtract, Code> {
        Err(Code::MrzIllegible)
    }

    const PASSES: Readers = Readers {
        inspect: passes,
        zones: None,
    };

    /// A document of `kind` awaiting its file, and that file in the bucket.
    fn uploaded(kind: DocumentKind, bytes: &[u8]) -> (MemoryDocuments, MemoryBucket, String) {
        let documents = MemoryDocuments::default();
        let record = DocumentRecord::awaiting_upload(
            "upl_1".into(),
            AccountId::new(),
            kind,
            "image/jpeg",
            NOW.into(),
            1_800_000_000,
        );
        let key = record.key.clone();
        documents.put(record);
        let bucket = MemoryBucket::default();
        bucket.upload(&key, "image/jpeg", bytes.to_vec());
        (documents, bucket, key)
    }

    async fn check<E: Examiner>(
        documents: &MemoryDocuments,
        bucket: &MemoryBucket,
        examiner: &E,
        key: &str,
    ) -> Result<CheckOutcome, CheckFailed> {
        let check = DocumentCheck {
            documents,
            bucket,
            examiner,
        };
        check.run(key, "2026-11-23T06:00:05Z".into()).await
    }

    /// Fails the test if a file is read.
    struct NeverExamined;

    impl Examiner for NeverExamined {
        async fn examine(&self, _: DocumentKind, _: Vec<u8>) -> Result<Examined, PortFailure> {
            panic!("this file must not be read")
        }
    }

    /// The owner deletes the document while its file is read.
    struct DeletedWhileRead<'a>(&'a MemoryDocuments);

    impl Examiner for DeletedWhileRead<'_> {
        async fn examine(
            &self,
            kind: DocumentKind,
            bytes: Vec<u8>,
        ) -> Result<Examined, PortFailure> {
            self.0.remove("upl_1");
            Ok(PASSES.examine(kind, &bytes))
        }
    }

    #[tokio::test]
    async fn a_file_no_document_awaits_is_deleted() {
        let bucket = MemoryBucket::default();
        bucket.upload("photo/acc_x/upl_9", "image/jpeg", b"stray".to_vec());
        let outcome = check(
            &MemoryDocuments::default(),
            &bucket,
            &NeverExamined,
            "photo/acc_x/upl_9",
        )
        .await;
        assert_eq!(outcome.unwrap(), CheckOutcome::Unasked);
        assert!(bucket.keys().is_empty());
    }

    #[tokio::test]
    async fn a_document_checked_before_is_left_alone() {
        let (documents, bucket, key) = uploaded(DocumentKind::Licence, b"scan");
        check(&documents, &bucket, &PASSES, &key).await.unwrap();
        let before = documents.record("upl_1");
        let again = check(&documents, &bucket, &NeverExamined, &key).await;
        assert_eq!(again.unwrap(), CheckOutcome::AlreadyChecked);
        assert_eq!(documents.record("upl_1"), before);
        assert_eq!(bucket.keys(), [key]);
    }

    #[tokio::test]
    async fn a_refused_file_is_deleted_and_the_reason_stays_on_the_record() {
        let (documents, bucket, key) = uploaded(DocumentKind::Photo, b"blurred");
        let readers = Readers {
            inspect: refuses,
            zones: None,
        };
        let outcome = check(&documents, &bucket, &readers, &key).await.unwrap();
        let stored = documents.record("upl_1").unwrap();
        assert_eq!(outcome, CheckOutcome::Recorded(Box::new(stored.clone())));
        assert_eq!(stored.status, DocumentStatus::Rejected);
        assert_eq!(stored.findings, [Finding::error(Code::PhotoBlurred)]);
        assert_eq!(stored.content_type, "image/png");
        assert_eq!(stored.size, Some(7));
        assert!(bucket.keys().is_empty());
    }

    #[tokio::test]
    async fn a_file_over_its_kinds_limit_is_refused_unread() {
        let big = vec![0xFF; DocumentKind::Photo.max_bytes() as usize + 1];
        let (documents, bucket, key) = uploaded(DocumentKind::Photo, &big);
        check(&documents, &bucket, &NeverExamined, &key)
            .await
            .unwrap();
        let stored = documents.record("upl_1").unwrap();
        assert_eq!(stored.status, DocumentStatus::Rejected);
        assert_eq!(stored.findings, [Finding::error(Code::FileTooLarge)]);
        assert_eq!(stored.size, Some(big.len() as u64));
        assert_eq!(stored.sha256, None);
        assert!(bucket.keys().is_empty());
    }

    #[tokio::test]
    async fn a_photo_that_passes_is_recorded_with_its_print_copy() {
        let (documents, bucket, key) = uploaded(DocumentKind::Photo, b"portrait");
        let outcome = check(&documents, &bucket, &PASSES, &key).await.unwrap();
        let stored = documents.record("upl_1").unwrap();
        assert_eq!(outcome, CheckOutcome::Recorded(Box::new(stored.clone())));
        assert_eq!(stored.status, DocumentStatus::Checked);
        assert_eq!(stored.findings, []);
        assert_eq!(stored.expires_at, None);
        assert_eq!(stored.sha256.as_deref().map(str::len), Some(64));
        let copy = bucket.file("print/photo/upl_1.jpg").unwrap();
        assert_eq!(copy, ("image/jpeg".to_owned(), b"print copy".to_vec()));
        assert_eq!(bucket.keys(), [key, "print/photo/upl_1.jpg".to_owned()]);
    }

    #[tokio::test]
    async fn a_passport_scan_gets_its_zone_or_a_warning_why_not() {
        let (documents, bucket, key) = uploaded(DocumentKind::PassportScan, b"passport");
        let readers = Readers {
            inspect: passes,
            zones: Some(zone),
        };
        check(&documents, &bucket, &readers, &key).await.unwrap();
        let stored = documents.record("upl_1").unwrap();
        assert_eq!(stored.status, DocumentStatus::Checked);
        assert_eq!(stored.findings, [Finding::warning(Code::MrzIllegible)]);
        assert_eq!(stored.mrz, None);
        assert_eq!(bucket.keys(), [key]);
    }

    #[tokio::test]
    async fn a_document_deleted_while_its_file_is_read_gets_nothing_recorded() {
        let (documents, bucket, key) = uploaded(DocumentKind::Photo, b"portrait");
        let outcome = check(&documents, &bucket, &DeletedWhileRead(&documents), &key).await;
        assert_eq!(outcome.unwrap(), CheckOutcome::ChangedMeanwhile);
        assert_eq!(documents.record("upl_1"), None);
        // The print copy made for it went again.
        assert_eq!(bucket.keys(), [key]);
    }

    #[tokio::test]
    async fn a_file_missing_from_the_bucket_fails_the_check_to_be_tried_again() {
        let (documents, bucket, key) = uploaded(DocumentKind::Licence, b"scan");
        bucket.delete(vec![key.clone()]).await.unwrap();
        let outcome = check(&documents, &bucket, &NeverExamined, &key).await;
        assert!(
            matches!(outcome, Err(CheckFailed::Bucket(_))),
            "{outcome:?}"
        );
        assert_eq!(
            documents.record("upl_1").unwrap().status,
            DocumentStatus::AwaitingUpload
        );
    }

    #[test]
    fn the_zone_is_read_only_on_passport_images_that_passed() {
        let with_zones = |inspect| Readers {
            inspect,
            zones: Some(zone),
        };
        let zone_of = |readers: Readers, kind| readers.examine(kind, b"bytes").zone;
        let illegible = Some(Err(Code::MrzIllegible));
        assert_eq!(
            zone_of(with_zones(passes), DocumentKind::PassportScan),
            illegible
        );
        // A PDF is kept, but its zone is not read.
        assert_eq!(
            zone_of(with_zones(passes_as_pdf), DocumentKind::PassportScan),
            Some(Err(Code::MrzNotFound))
        );
        assert_eq!(
            zone_of(with_zones(refuses), DocumentKind::PassportScan),
            None
        );
        assert_eq!(zone_of(with_zones(passes), DocumentKind::Licence), None);
        assert_eq!(zone_of(PASSES, DocumentKind::PassportScan), None);
    }
}
