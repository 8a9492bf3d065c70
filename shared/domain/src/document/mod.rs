//! Documents people attach to their account and applications: what kinds there are,
//! which file types and sizes each accepts, where its object lives in the uploads
//! bucket (the key prefix decides which reader gets it when it arrives) and what an
//! inspection of a file finds. The record of one document is in [`record`].

use serde::{Deserialize, Serialize};

use crate::error::Code;

pub mod record;

/// The kinds of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Photo,
    PassportScan,
    TechnicalPassport,
    Certificate,
    Licence,
    StaffList,
    HivCertificate,
    PowerOfAttorney,
    IncomeEvidence,
    Other,
}

/// What reads a document once it is stored: the key prefix a kind uploads to sends its
/// file to one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Photo requirements (`photo/`).
    Photo,
    /// Passport data page: MRZ extraction (`passport/`).
    Passport,
    /// Any other scan: legibility (`scan/`).
    Scan,
}

/// A photo may be at most this large.
pub const PHOTO_MAX_BYTES: u64 = 5 * 1024 * 1024;
/// Any other document may be at most this large.
pub const SCAN_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// Registration drafts: a person registering uploads their passport scan and photo
/// before their account exists. A draft is a secret token (stored as its keyed digest)
/// that holds the id the account will have; its uploads are owned by that id, so the
/// account, once created from the draft, owns them with nothing to move. A draft lives
/// an hour; what an unclaimed one uploaded is then deleted.
pub mod draft {
    /// How long a draft may be used.
    pub const TTL_SECS: u64 = 3600;
    /// Uploads one draft may ask for.
    pub const MAX_UPLOADS: u32 = 10;
    /// The header that carries the draft's token.
    pub const TOKEN_HEADER: &str = "x-draft-token";
}

impl DocumentKind {
    /// The fields of account forms (registration, change requests) that name documents.
    pub const FORM_FIELDS: [&str; 7] = [
        "photo",
        "passport_scan",
        "passport_page1",
        "passport_page2",
        "staff_list",
        "registration_certificate",
        "licence",
    ];

    /// The kind a form field names, for the [`Self::FORM_FIELDS`].
    pub fn of_field(field: &str) -> Option<DocumentKind> {
        Some(match field {
            "photo" => DocumentKind::Photo,
            "passport_scan" | "passport_page1" | "passport_page2" => DocumentKind::PassportScan,
            "staff_list" => DocumentKind::StaffList,
            "registration_certificate" => DocumentKind::Certificate,
            "licence" => DocumentKind::Licence,
            _ => return None,
        })
    }

    /// Whether some account form names a document of this kind (what a registration
    /// draft may upload).
    pub fn named_by_forms(self) -> bool {
        Self::FORM_FIELDS
            .iter()
            .any(|&field| Self::of_field(field) == Some(self))
    }

    pub const ALL: [DocumentKind; 10] = [
        DocumentKind::Photo,
        DocumentKind::PassportScan,
        DocumentKind::TechnicalPassport,
        DocumentKind::Certificate,
        DocumentKind::Licence,
        DocumentKind::StaffList,
        DocumentKind::HivCertificate,
        DocumentKind::PowerOfAttorney,
        DocumentKind::IncomeEvidence,
        DocumentKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Photo => "photo",
            DocumentKind::PassportScan => "passport_scan",
            DocumentKind::TechnicalPassport => "technical_passport",
            DocumentKind::Certificate => "certificate",
            DocumentKind::Licence => "licence",
            DocumentKind::StaffList => "staff_list",
            DocumentKind::HivCertificate => "hiv_certificate",
            DocumentKind::PowerOfAttorney => "power_of_attorney",
            DocumentKind::IncomeEvidence => "income_evidence",
            DocumentKind::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Code> {
        DocumentKind::ALL
            .into_iter()
            .find(|k| k.as_str() == raw.trim())
            .ok_or(Code::InvalidDocumentKind)
    }

    /// What reads a document of this kind once its file is stored.
    pub fn reader(self) -> Reader {
        match self {
            DocumentKind::Photo => Reader::Photo,
            DocumentKind::PassportScan => Reader::Passport,
            _ => Reader::Scan,
        }
    }

    /// The bucket key prefix whose events reach this kind's check.
    pub fn prefix(self) -> &'static str {
        match self.reader() {
            Reader::Photo => "photo/",
            Reader::Passport => "passport/",
            Reader::Scan => "scan/",
        }
    }

    /// The content types this kind accepts.
    pub fn content_types(self) -> &'static [&'static str] {
        match self {
            DocumentKind::Photo => &["image/jpeg", "image/png"],
            DocumentKind::PassportScan => &["image/jpeg", "image/png", "application/pdf"],
            _ => &["image/jpeg", "image/png", "application/pdf"],
        }
    }

    pub fn max_bytes(self) -> u64 {
        match self {
            DocumentKind::Photo => PHOTO_MAX_BYTES,
            _ => SCAN_MAX_BYTES,
        }
    }

    /// The content type if this kind accepts it (`image/jpg` is read as `image/jpeg`).
    pub fn content_type(self, raw: &str) -> Result<&'static str, Code> {
        let raw = raw.trim().to_ascii_lowercase();
        let raw = if raw == "image/jpg" {
            "image/jpeg"
        } else {
            &raw
        };
        self.content_types()
            .iter()
            .find(|t| **t == raw)
            .copied()
            .ok_or(Code::UnsupportedDocumentType)
    }
}

impl DocumentStatus {
    /// Why a document in this status cannot be used yet, if it cannot.
    pub fn refusal(self) -> Option<Code> {
        match self {
            DocumentStatus::Checked => None,
            DocumentStatus::AwaitingUpload => Some(Code::DocumentNotChecked),
            DocumentStatus::Rejected => Some(Code::DocumentRejected),
        }
    }
}

/// Where a document is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    /// The upload form was issued; no file has arrived, or its check has not finished.
    AwaitingUpload,
    /// The check passed (its findings may still hold advice).
    Checked,
    /// The check refused the file; the findings say why.
    Rejected,
}

/// The file types uploads may be, as their first bytes show (whatever the name or the
/// declared type says).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Jpeg,
    Png,
    Pdf,
}

impl FileType {
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Pdf => "application/pdf",
        }
    }

    /// A picture, as opposed to a PDF.
    pub fn is_image(self) -> bool {
        matches!(self, FileType::Jpeg | FileType::Png)
    }
}

/// What inspecting one file by its bytes found.
#[derive(Debug, Clone, PartialEq)]
pub struct Inspection {
    /// Codes that refuse the file; empty when it passes.
    pub errors: Vec<Code>,
    /// The type its bytes show, when it is one we know.
    pub file_type: Option<FileType>,
    /// Width and height as displayed (after the EXIF orientation).
    pub dimensions: Option<(u32, u32)>,
    /// Hex; empty when the file was never read.
    pub sha256: String,
    /// For a photo that passed: the small JPEG printed documents embed.
    pub print_copy: Option<Vec<u8>>,
}

impl Inspection {
    /// The file was refused by its size alone, before a byte of it was read.
    pub fn too_large() -> Inspection {
        Inspection {
            errors: vec![Code::FileTooLarge],
            file_type: None,
            dimensions: None,
            sha256: String::new(),
            print_copy: None,
        }
    }

    pub fn passed(&self) -> bool {
        self.errors.is_empty()
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn every_form_field_names_a_kind_and_drafts_take_only_those() {
        assert!(
            DocumentKind::FORM_FIELDS
                .iter()
                .all(|f| DocumentKind::of_field(f).is_some())
        );
        assert_eq!(DocumentKind::of_field("housing_code"), None);
        let named: Vec<_> = DocumentKind::ALL
            .into_iter()
            .filter(|k| k.named_by_forms())
            .collect();
        assert_eq!(
            named,
            [
                DocumentKind::Photo,
                DocumentKind::PassportScan,
                DocumentKind::Certificate,
                DocumentKind::Licence,
                DocumentKind::StaffList,
            ]
        );
    }
    use super::*;

    #[test]
    fn each_kind_routes_to_its_check_and_limits_its_types() {
        assert_eq!(DocumentKind::parse("photo"), Ok(DocumentKind::Photo));
        assert_eq!(
            DocumentKind::parse("selfie"),
            Err(Code::InvalidDocumentKind)
        );
        assert_eq!(DocumentKind::Photo.prefix(), "photo/");
        assert_eq!(DocumentKind::PassportScan.prefix(), "passport/");
        assert_eq!(DocumentKind::StaffList.prefix(), "scan/");
        assert_eq!(
            DocumentKind::Photo.content_type("image/JPG"),
            Ok("image/jpeg")
        );
        assert_eq!(
            DocumentKind::Photo.content_type("application/pdf"),
            Err(Code::UnsupportedDocumentType)
        );
        assert_eq!(
            DocumentKind::Licence.content_type("application/pdf"),
            Ok("application/pdf")
        );
        for kind in DocumentKind::ALL {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, kind.as_str());
        }
    }
}
