//! An application as its applicant and the operators read it: the stored application
//! with its status in the reader's language, the computed ratio and the decision.

use serde::Serialize;

use super::quota::QuotaRequest;
use super::{
    Allocation, Application, Attachment, Grant, Kind, Outcome, PermitRequest, Request, StateFee,
    Status,
};
use crate::Lang;

/// A quota request with the ratio the form computes.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuotaView {
    #[serde(flatten)]
    pub request: QuotaRequest,
    /// Local staff per requested foreign worker (`"2.50"`).
    pub local_to_foreign_ratio: String,
}

/// A work-permit request with its choices in the reader's language, as the archive's
/// columns show them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PermitView {
    #[serde(flatten)]
    pub request: PermitRequest,
    /// `Высшее`.
    pub education_label: String,
    /// `Женат/замужем`.
    pub marital_status_label: String,
    pub work_region_label: String,
    /// Relatives stay with the foreigner: `Есть` / `Нет`.
    pub relatives_label: String,
}

impl PermitView {
    fn new(request: &PermitRequest, lang: Lang) -> PermitView {
        let details = &request.details;
        let relatives = match (details.relatives.is_empty(), lang) {
            (false, Lang::Ky) => "Бар",
            (false, Lang::Ru) => "Есть",
            (false, Lang::En) => "Yes",
            (true, Lang::Ky) => "Жок",
            (true, Lang::Ru) => "Нет",
            (true, Lang::En) => "No",
        };
        PermitView {
            request: request.clone(),
            education_label: details.education.label(lang).to_owned(),
            marital_status_label: details.marital_status.label(lang).to_owned(),
            work_region_label: details.work_region.label(lang).to_owned(),
            relatives_label: relatives.to_owned(),
        }
    }
}

/// An application as read.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApplicationView {
    /// `Q-` and 8 digits.
    pub number: String,
    pub kind: Kind,
    pub status: Status,
    /// The status as the portal shows it, in the reader's language.
    pub status_label: String,
    /// RFC 3339, UTC.
    pub status_at: String,
    pub created_at: String,
    /// Quotas requested in all.
    pub requested: u32,
    /// Quotas allocated in all, once confirmed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocated: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quota: Option<QuotaView>,
    /// For a work permit: the foreigner as the lookups found them, the form, and the
    /// allocation place it takes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permit: Option<PermitView>,
    /// For a Digital Nomad status: the identity from the account and the form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nomad: Option<super::nomad::NomadRequest>,
    /// For a foreign entrepreneur's permit: the person as the lookups found them, the
    /// visa and the form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entrepreneur: Option<super::entrepreneur::EntrepreneurRequest>,
    /// For a granted work permit: its validity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant: Option<Grant>,
    pub attachments: Vec<Attachment>,
    /// What the operator asked for in the last clarification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clarification: Option<String>,
    /// The commission's allocation, once confirmed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocation: Option<Allocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annulment_reason: Option<String>,
    /// Why a granted work permit was revoked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation_reason: Option<String>,
    /// The last extension asked for: the day asked, when, and the refusal if refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<super::permit::Extension>,
    /// The state fee, once confirmed with something allocated: its amount, last day
    /// and status (`due`, `paid`, `lapsed`, `refund_due`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee: Option<StateFee>,
    /// The allocation can be used for work-permit applications: confirmed and paid.
    pub allocation_usable: bool,
    /// Its printed document can be printed now: a quota's protocol extract
    /// (`/v1/applications/{number}/extract`), a work permit (`…/permit`) or a Digital
    /// Nomad's card (`…/card`) while it holds.
    pub printable: bool,
}

impl ApplicationView {
    /// `application` as read in `lang`.
    pub fn new(application: &Application, lang: Lang) -> ApplicationView {
        let entrepreneur = match &application.request {
            Request::Entrepreneur(request) => Some(request.as_ref().clone()),
            _ => None,
        };
        let (quota, permit, nomad) = match &application.request {
            Request::Quota(quota) => (
                Some(QuotaView {
                    local_to_foreign_ratio: quota.local_to_foreign_ratio(),
                    request: quota.clone(),
                }),
                None,
                None,
            ),
            Request::Permit(permit) => (None, Some(PermitView::new(permit, lang)), None),
            Request::Nomad(nomad) => (None, None, Some(nomad.as_ref().clone())),
            Request::Entrepreneur(_) => (None, None, None),
        };
        let (allocation, rejection_reason) = match &application.outcome {
            Some(Outcome::Confirmed(allocation)) => (Some(allocation.clone()), None),
            Some(Outcome::Rejected { reason }) => (None, Some(reason.clone())),
            Some(Outcome::Granted(_)) | None => (None, None),
        };
        ApplicationView {
            number: application.number.clone(),
            kind: application.kind(),
            status: application.status,
            status_label: application.status.label(lang).to_owned(),
            status_at: application.status_at.clone(),
            created_at: application.created_at.clone(),
            requested: application.requested(),
            allocated: application.allocated(),
            quota,
            permit,
            nomad,
            entrepreneur,
            grant: application.granted().cloned(),
            attachments: application.attachments.clone(),
            clarification: application.clarification.clone(),
            allocation,
            rejection_reason,
            annulment_reason: application.annulment_reason.clone(),
            revocation_reason: application.revocation_reason.clone(),
            extension: application.extension.clone(),
            fee: application.fee.clone(),
            allocation_usable: application.allocation_usable(),
            printable: match application.kind() {
                Kind::Quota => application.status == Status::Confirmed,
                Kind::Entrepreneur => false,
                Kind::Permit | Kind::Nomad => {
                    super::permit::holds(application, crate::clock::today_in_bishkek())
                }
            },
        }
    }
}
