//! A document as the system keeps it: whose it is, its kind, where its file lives in
//! the uploads bucket, where it is in its life and what the check of its file found.
//! The record exists before its file: the upload form is issued for it, and the check
//! that reads the file fills in the rest.

use serde::{Deserialize, Serialize};

use crate::account::AccountId;
use crate::document::{DocumentKind, DocumentStatus, Inspection, Reader};
use crate::error::Code;
use crate::mrz::MrzExtract;

/// One thing a check found, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Finding {
    pub code: String,
    /// `error` refuses the document; `warning` is advice.
    pub severity: String,
}

impl Finding {
    /// A finding that refuses the document.
    pub fn error(code: Code) -> Finding {
        Finding {
            code: code.as_str().to_owned(),
            severity: "error".into(),
        }
    }

    /// Advice the owner can act on; the document is kept.
    pub fn warning(code: Code) -> Finding {
        Finding {
            code: code.as_str().to_owned(),
            severity: "warning".into(),
        }
    }
}

/// A document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub upload_id: String,
    pub owner: AccountId,
    pub kind: DocumentKind,
    pub status: DocumentStatus,
    /// The content type the upload form allows.
    pub content_type: String,
    /// The object's key in the uploads bucket.
    pub key: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// For a passport or ID scan: its machine-readable zone, as read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mrz: Option<MrzExtract>,
    /// Named by a submitted application: it can no longer be replaced or deleted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_use: bool,
    /// While awaiting its file: when the form expires (TTL cleans up what never came).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
}

impl DocumentRecord {
    /// A new document of `owner`'s awaiting its file (until `expires_at`, seconds since
    /// the epoch), its key under its kind's prefix so that the right reader gets it.
    pub fn awaiting_upload(
        upload_id: String,
        owner: AccountId,
        kind: DocumentKind,
        content_type: &str,
        now: String,
        expires_at: u64,
    ) -> DocumentRecord {
        DocumentRecord {
            key: format!("{}{owner}/{upload_id}", kind.prefix()),
            upload_id,
            owner,
            kind,
            status: DocumentStatus::AwaitingUpload,
            content_type: content_type.to_owned(),
            created_at: now.clone(),
            updated_at: now,
            size: None,
            sha256: None,
            findings: Vec::new(),
            mrz: None,
            in_use: false,
            expires_at: Some(expires_at),
        }
    }

    /// The same document awaiting a new file of `content_type`: what was found on the
    /// old one goes, its status starts again.
    pub fn replaced(self, content_type: &str, now: String) -> DocumentRecord {
        DocumentRecord {
            status: DocumentStatus::AwaitingUpload,
            content_type: content_type.to_owned(),
            updated_at: now,
            size: None,
            sha256: None,
            findings: Vec::new(),
            mrz: None,
            ..self
        }
    }

    /// What the check of the file (`size` bytes long) found: the inspection's errors
    /// refuse it; for a passport scan, the zone as read or, as a warning, why not.
    pub fn checked(
        self,
        size: u64,
        inspection: &Inspection,
        zone: Option<Result<MrzExtract, Code>>,
        now: String,
    ) -> DocumentRecord {
        let (mrz, unread) = match zone {
            Some(Ok(zone)) => (Some(zone), None),
            Some(Err(code)) => (None, Some(code)),
            None => (None, None),
        };
        DocumentRecord {
            status: if inspection.passed() {
                DocumentStatus::Checked
            } else {
                DocumentStatus::Rejected
            },
            size: Some(size),
            sha256: (!inspection.sha256.is_empty()).then(|| inspection.sha256.clone()),
            content_type: inspection
                .file_type
                .map_or(self.content_type.clone(), |t| t.content_type().to_owned()),
            findings: (inspection.errors.iter().copied().map(Finding::error))
                .chain(unread.map(Finding::warning))
                .collect(),
            mrz,
            updated_at: now,
            expires_at: None,
            ..self
        }
    }

    /// Every object the document has in the uploads bucket: its file and, for a
    /// photo, its print copy.
    pub fn stored_keys(&self) -> Vec<String> {
        std::iter::once(self.key.clone())
            .chain(self.print_copy())
            .collect()
    }

    /// A photo's print copy (see [`Self::print_copy_key`]); other kinds have none.
    pub fn print_copy(&self) -> Option<String> {
        (self.kind.reader() == Reader::Photo).then(|| Self::print_copy_key(&self.upload_id))
    }

    /// Where a checked photo's print copy lives in the uploads bucket (a prefix no
    /// reader listens to); it goes with the document.
    pub fn print_copy_key(upload_id: &str) -> String {
        format!("print/photo/{upload_id}.jpg")
    }
}

/// Why a document may not be named by `owner` as one of `kind` (any kind when `None`):
/// `document_not_found` (missing, someone else's, another kind), `document_not_checked`
/// or `document_rejected`; `None` when it may.
pub fn refusal(
    document: Option<&DocumentRecord>,
    owner: &AccountId,
    kind: Option<DocumentKind>,
) -> Option<Code> {
    match document.filter(|d| &d.owner == owner && kind.is_none_or(|k| k == d.kind)) {
        None => Some(Code::DocumentNotFound),
        Some(d) => d.status.refusal(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::FileType;

    fn awaiting(kind: DocumentKind) -> DocumentRecord {
        DocumentRecord::awaiting_upload(
            "upl_1".into(),
            AccountId::parse("acc_0123456789abcdef0123456789abcdef").unwrap(),
            kind,
            "image/png",
            "2026-01-01T00:00:00Z".into(),
            1_800_000_000,
        )
    }

    #[test]
    fn a_new_document_lives_under_its_readers_prefix_and_a_photo_has_a_print_copy() {
        let photo = awaiting(DocumentKind::Photo);
        assert_eq!(
            photo.key,
            "photo/acc_0123456789abcdef0123456789abcdef/upl_1"
        );
        assert_eq!(
            photo.stored_keys(),
            [photo.key.clone(), "print/photo/upl_1.jpg".to_owned()]
        );
        let scan = awaiting(DocumentKind::Licence);
        assert!(scan.key.starts_with("scan/"));
        assert_eq!(scan.stored_keys(), vec![scan.key]);
    }

    #[test]
    fn a_check_records_its_errors_its_type_and_an_unread_zone_as_a_warning() {
        let passed = Inspection {
            errors: Vec::new(),
            file_type: Some(FileType::Jpeg),
            dimensions: Some((1200, 900)),
            sha256: "ab".repeat(32),
            print_copy: None,
        };
        let checked = awaiting(DocumentKind::PassportScan).checked(
            7,
            &passed,
            Some(Err(Code::MrzNotFound)),
            "later".into(),
        );
        assert_eq!(checked.status, DocumentStatus::Checked);
        assert_eq!(checked.content_type, "image/jpeg");
        assert_eq!(checked.size, Some(7));
        assert_eq!(checked.findings, [Finding::warning(Code::MrzNotFound)]);
        assert_eq!(checked.expires_at, None);
        let refused = awaiting(DocumentKind::Photo).checked(
            9_000_000,
            &Inspection::too_large(),
            None,
            "later".into(),
        );
        assert_eq!(refused.status, DocumentStatus::Rejected);
        assert_eq!(refused.sha256, None);
        assert_eq!(refused.content_type, "image/png");
        assert_eq!(refused.findings, [Finding::error(Code::FileTooLarge)]);
    }
}
