//! e-work applications (Ministry of Labour, Social Security and Migration): one
//! lifecycle for every kind — quota and work permit now; entrepreneur and Digital
//! Nomad next — with the seed's statuses, and the kind's own form beside it.
//!
//! An application is submitted, may go to the applicant for clarification and come
//! back any number of times, and is confirmed or rejected by a labour operator; a
//! confirmed one may later be annulled. Each move is a method that gives the next
//! version or says, with a code, why it is not allowed; who made it and why is a
//! [`Change`], which the audit trail records with it.

use serde::{Deserialize, Serialize};

use crate::Lang;
use crate::account::AccountId;
pub use crate::actor::Actor;
use crate::document::DocumentKind;
use crate::error::Code;

pub mod eligibility;
pub mod entrepreneur;
mod fee;
mod message;
pub mod nomad;
pub mod permit;
pub mod quota;
mod view;

pub use eligibility::{Eligibility, PermitPolicy, Standing, eligibility};
pub use fee::{FeeOutcome, FeePolicy, FeeStatus, StateFee};
pub use message::{MESSAGE_MAX, Message, MessageBody};
pub use permit::{Grant, GrantForm, Holder, PermitForm, PermitRequest, Place, PlaceRef, Visa};
pub use quota::{Allocation, QuotaForm, QuotaRequest};
pub use view::{ApplicationView, PermitView, QuotaView};

/// The kinds of e-work application, each with its number's letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An employer's request for foreign-labour quotas (`Q-`).
    Quota,
    /// An employer's application for one foreigner's work permit (`P-`).
    Permit,
    /// A foreigner's application for the Digital Nomad status (`N-`).
    Nomad,
    /// A foreign individual entrepreneur's application for their own permit (`E-`).
    Entrepreneur,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Quota => "quota",
            Kind::Permit => "permit",
            Kind::Nomad => "nomad",
            Kind::Entrepreneur => "entrepreneur",
        }
    }

    pub fn parse(raw: &str) -> Option<Kind> {
        match raw.trim() {
            "quota" => Some(Kind::Quota),
            "permit" => Some(Kind::Permit),
            "nomad" => Some(Kind::Nomad),
            "entrepreneur" => Some(Kind::Entrepreneur),
            _ => None,
        }
    }

    /// The letter its numbers start with.
    pub fn letter(self) -> char {
        match self {
            Kind::Quota => 'Q',
            Kind::Permit => 'P',
            Kind::Nomad => 'N',
            Kind::Entrepreneur => 'E',
        }
    }

    /// A new random number of this kind: the letter, a dash and 8 digits (`Q-93854103`).
    /// The store keeps numbers unique; a taken one is drawn again.
    pub fn new_number(self) -> String {
        format!("{}-{}", self.letter(), crate::secrets::random_code(8))
    }

    /// Whether `number` has the shape of this kind's numbers.
    pub fn owns_number(self, number: &str) -> bool {
        number_kind(number) == Some(self)
    }

    /// The application as the standard decision messages name it.
    fn noun(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Kind::Quota, Lang::Ky) => "квота алууга арызыңыз",
            (Kind::Quota, Lang::Ru) => "Ваше заявление на получение квоты",
            (Kind::Quota, Lang::En) => "Your quota application",
            (Kind::Permit, Lang::Ky) => "иштөөгө уруксат алууга арызыңыз",
            (Kind::Permit, Lang::Ru) => "Ваше заявление на получение разрешения на работу",
            (Kind::Permit, Lang::En) => "Your work permit application",
            (Kind::Nomad, Lang::Ky) => "«Санарип көчмөн» статусун алууга арызыңыз",
            (Kind::Nomad, Lang::Ru) => "Ваше заявление на получение статуса «Цифровой кочевник»",
            (Kind::Nomad, Lang::En) => "Your Digital Nomad status application",
            (Kind::Entrepreneur, Lang::Ky) => "чет өлкөлүк жеке ишкердин уруксатына арызыңыз",
            (Kind::Entrepreneur, Lang::Ru) => {
                "Ваше заявление на получение разрешения иностранному индивидуальному предпринимателю"
            }
            (Kind::Entrepreneur, Lang::En) => "Your foreign entrepreneur permit application",
        }
    }
}

/// The kind whose number `number` is (`Q-` and 8 digits), if it is one.
pub fn number_kind(number: &str) -> Option<Kind> {
    let (letter, digits) = number.split_once('-')?;
    let kind = match letter {
        "Q" => Kind::Quota,
        "P" => Kind::Permit,
        "N" => Kind::Nomad,
        "E" => Kind::Entrepreneur,
        _ => return None,
    };
    (digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(kind)
}

/// Where an application stands, with the seed's wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for a labour operator.
    Submitted,
    /// Sent back: the applicant adds what the operator asked for and resubmits.
    InClarification,
    /// Confirmed by the commission (for a quota: with its allocation).
    Confirmed,
    Rejected,
    /// Confirmed once, then annulled.
    Annulled,
    /// A valid work permit whose employer asked to extend it; it stays valid until
    /// the operator decides.
    ExtensionRequested,
    /// A work permit (or status) revoked by an operator, with the reason.
    Revoked,
    /// «Разрешение исчерпано»: a work permit that could not be granted because every
    /// place of its quota allocation was taken by other permits first. Final; the
    /// employer applies again under another allocation.
    Exhausted,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Submitted,
        Status::InClarification,
        Status::Confirmed,
        Status::Rejected,
        Status::Annulled,
        Status::Exhausted,
        Status::ExtensionRequested,
        Status::Revoked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::InClarification => "in_clarification",
            Status::Confirmed => "confirmed",
            Status::Rejected => "rejected",
            Status::Annulled => "annulled",
            Status::Exhausted => "exhausted",
            Status::ExtensionRequested => "extension_requested",
            Status::Revoked => "revoked",
        }
    }

    pub fn parse(raw: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    /// The status as the portal shows it («Заявка в процессе уточнения с заявителем»).
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::Submitted, Lang::Ky) => "Арыз берилди",
            (Status::Submitted, Lang::Ru) => "Заявка подана",
            (Status::Submitted, Lang::En) => "Application submitted",
            (Status::InClarification, Lang::Ky) => "Арыз арыз берүүчү менен тактоо процессинде",
            (Status::InClarification, Lang::Ru) => "Заявка в процессе уточнения с заявителем",
            (Status::InClarification, Lang::En) => "Application being clarified with the applicant",
            (Status::Confirmed, Lang::Ky) => "Арыз ырасталды",
            (Status::Confirmed, Lang::Ru) => "Заявка подтверждена",
            (Status::Confirmed, Lang::En) => "Application confirmed",
            (Status::Rejected, Lang::Ky) => "Арыз четке кагылды",
            (Status::Rejected, Lang::Ru) => "Заявка отклонена",
            (Status::Rejected, Lang::En) => "Application rejected",
            (Status::Annulled, Lang::Ky) => "Арыз жокко чыгарылды",
            (Status::Annulled, Lang::Ru) => "Заявка аннулирована",
            (Status::Annulled, Lang::En) => "Application annulled",
            (Status::Exhausted, Lang::Ky) => "Уруксат түгөндү",
            (Status::Exhausted, Lang::Ru) => "Разрешение исчерпано",
            (Status::Exhausted, Lang::En) => "Permit exhausted",
            (Status::ExtensionRequested, Lang::Ky) => "Уруксатты узартуу суралды",
            (Status::ExtensionRequested, Lang::Ru) => "Запрошено продление разрешения",
            (Status::ExtensionRequested, Lang::En) => "Permit extension requested",
            (Status::Revoked, Lang::Ky) => "Уруксат кайтарылып алынды",
            (Status::Revoked, Lang::Ru) => "Разрешение отозвано",
            (Status::Revoked, Lang::En) => "Permit revoked",
        }
    }

    /// Waiting for an operator's decision.
    pub fn awaits_decision(self) -> bool {
        self == Status::Submitted
    }
}

/// A document attached to an application: the applicant's own checked upload, locked
/// (no replace, no delete) from the moment it is attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Attachment {
    /// The slot it fills (`staff_list`, `power_of_attorney`, `trustee_passport`) or
    /// `added` for a document added during clarification.
    pub slot: String,
    pub upload_id: String,
    pub kind: DocumentKind,
    /// RFC 3339, UTC.
    pub attached_at: String,
}

/// What the application asks for, by kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "request", rename_all = "snake_case")]
pub enum Request {
    Quota(QuotaRequest),
    Permit(Box<PermitRequest>),
    Nomad(Box<nomad::NomadRequest>),
    Entrepreneur(Box<entrepreneur::EntrepreneurRequest>),
}

impl Request {
    pub fn kind(&self) -> Kind {
        match self {
            Request::Quota(_) => Kind::Quota,
            Request::Permit(_) => Kind::Permit,
            Request::Nomad(_) => Kind::Nomad,
            Request::Entrepreneur(_) => Kind::Entrepreneur,
        }
    }
}

/// The operator's decision as the application keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Outcome {
    /// For a quota: the commission's allocation.
    Confirmed(Allocation),
    /// For a work permit: its validity.
    Granted(Grant),
    Rejected {
        reason: String,
    },
}

/// An e-work application, once submitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Application {
    /// `Q-` and 8 digits.
    pub number: String,
    /// The applicant's account.
    pub owner: AccountId,
    /// The applicant's name as decision messages give it (an employer's legal name).
    pub applicant_name: String,
    /// Counts changes; every write is conditional on the version it read.
    pub version: u64,
    pub status: Status,
    /// When the status last changed (RFC 3339, UTC).
    pub status_at: String,
    #[serde(flatten)]
    pub request: Request,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// What the operator asked for, while (and after) in clarification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clarification: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// Why a confirmed application was annulled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annulment_reason: Option<String>,
    /// Why a granted permit was revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_reason: Option<String>,
    /// The last extension the employer asked for, and how it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<permit::Extension>,
    /// The operator who made the last decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// The state fee, once confirmed with something allocated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<StateFee>,
    pub created_at: String,
    pub updated_at: String,
}

impl Application {
    /// An application its applicant just submitted (at `now`, RFC 3339).
    pub fn submitted(
        number: String,
        owner: AccountId,
        applicant_name: String,
        request: Request,
        attachments: Vec<Attachment>,
        now: &str,
    ) -> Application {
        Application {
            number,
            owner,
            applicant_name,
            version: 1,
            status: Status::Submitted,
            status_at: now.to_owned(),
            request,
            attachments,
            clarification: None,
            outcome: None,
            annulment_reason: None,
            revocation_reason: None,
            extension: None,
            decided_by: None,
            fee: None,
            created_at: now.to_owned(),
            updated_at: now.to_owned(),
        }
    }

    pub fn kind(&self) -> Kind {
        self.request.kind()
    }

    /// The next version, in `status` from `now`.
    pub(crate) fn moved_to(&self, status: Status, now: &str) -> Application {
        Application {
            version: self.version + 1,
            status,
            status_at: if status == self.status {
                self.status_at.clone()
            } else {
                now.to_owned()
            },
            updated_at: now.to_owned(),
            ..self.clone()
        }
    }

    pub(crate) fn awaiting_decision(&self) -> Result<(), Code> {
        self.status
            .awaits_decision()
            .then_some(())
            .ok_or(Code::ApplicationNotAwaitingDecision)
    }

    /// Sent back to the applicant by `by`, who says in `request` what is needed.
    pub fn ask_clarification(
        &self,
        request: String,
        by: &Actor,
        now: &str,
    ) -> Result<Application, Code> {
        self.awaiting_decision()?;
        let mut next = self.moved_to(Status::InClarification, now);
        next.clarification = Some(request);
        next.decided_by = Some(by.id());
        Ok(next)
    }

    /// A document its applicant adds while the application is in clarification.
    pub fn attach(&self, attachment: Attachment, now: &str) -> Result<Application, Code> {
        if self.status != Status::InClarification {
            return Err(Code::ApplicationNotInClarification);
        }
        if self
            .attachments
            .iter()
            .any(|a| a.upload_id == attachment.upload_id)
        {
            return Err(Code::DocumentAlreadyAttached);
        }
        let mut next = self.moved_to(self.status, now);
        next.attachments.push(attachment);
        Ok(next)
    }

    /// Back to the operators' queue after clarification; what the operator asked and
    /// everything attached stay on the application.
    pub fn resubmit(&self, now: &str) -> Result<Application, Code> {
        if self.status != Status::InClarification {
            return Err(Code::ApplicationNotInClarification);
        }
        Ok(self.moved_to(Status::Submitted, now))
    }

    /// Confirmed by `by` with the commission's `allocation`, which must fit the
    /// request; the state fee of what was allocated falls due under `policy` from
    /// `today`.
    pub fn confirm(
        &self,
        allocation: Allocation,
        policy: &FeePolicy,
        today: time::Date,
        by: &Actor,
        now: &str,
    ) -> Result<Application, Code> {
        self.awaiting_decision()?;
        let mut next = self.moved_to(Status::Confirmed, now);
        next.fee = StateFee::due(policy, allocation.total(), today);
        next.outcome = Some(Outcome::Confirmed(allocation));
        next.decided_by = Some(by.id());
        Ok(next)
    }

    /// Rejected by `by` for `reason`.
    pub fn reject(&self, reason: String, by: &Actor, now: &str) -> Result<Application, Code> {
        self.awaiting_decision()?;
        let mut next = self.moved_to(Status::Rejected, now);
        next.outcome = Some(Outcome::Rejected { reason });
        next.decided_by = Some(by.id());
        Ok(next)
    }

    /// A confirmed application annulled by `by` for `reason`; its allocation and
    /// printed extract stop counting.
    pub fn annul(&self, reason: String, by: &Actor, now: &str) -> Result<Application, Code> {
        if self.status != Status::Confirmed {
            return Err(Code::ApplicationNotConfirmed);
        }
        let mut next = self.moved_to(Status::Annulled, now);
        next.annulment_reason = Some(reason);
        next.decided_by = Some(by.id());
        Ok(next)
    }

    /// The quotas requested in all (for a quota application).
    pub fn requested(&self) -> u32 {
        match &self.request {
            Request::Quota(quota) => quota.total,
            Request::Permit(_) | Request::Nomad(_) | Request::Entrepreneur(_) => 1,
        }
    }

    /// The quotas allocated in all, once confirmed.
    pub fn allocated(&self) -> Option<u32> {
        match &self.outcome {
            Some(Outcome::Confirmed(allocation)) => Some(allocation.total()),
            _ => None,
        }
    }

    /// The upload ids of its documents.
    pub fn upload_ids(&self) -> impl Iterator<Item = &str> {
        self.attachments.iter().map(|a| a.upload_id.as_str())
    }
}

/// What a change did, as the audit trail names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Submitted,
    ClarificationAsked,
    DocumentAdded,
    Resubmitted,
    Confirmed,
    Rejected,
    Annulled,
    /// The state fee came in time.
    FeePaid,
    /// The state fee came after it lapsed or after annulment: it goes back.
    FeeRefundDue,
    /// The state fee was not paid in time.
    AllocationLapsed,
    /// A permit's allocation had no place left.
    Exhausted,
    ExtensionRequested,
    Extended,
    ExtensionRefused,
    Revoked,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Submitted => "submitted",
            Action::ClarificationAsked => "clarification_asked",
            Action::DocumentAdded => "document_added",
            Action::Resubmitted => "resubmitted",
            Action::Confirmed => "confirmed",
            Action::Rejected => "rejected",
            Action::Annulled => "annulled",
            Action::FeePaid => "fee_paid",
            Action::FeeRefundDue => "fee_refund_due",
            Action::AllocationLapsed => "allocation_lapsed",
            Action::Exhausted => "exhausted",
            Action::ExtensionRequested => "extension_requested",
            Action::Extended => "extended",
            Action::ExtensionRefused => "extension_refused",
            Action::Revoked => "revoked",
        }
    }
}

/// One change of an application, for its audit entry: who did what from which status,
/// and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub actor: Actor,
    pub action: Action,
    /// The status before; `None` for a submission.
    pub previous: Option<Status>,
    pub reason: Option<String>,
}

impl Change {
    /// `actor` submitted an application.
    pub fn submitted(actor: Actor) -> Self {
        Change {
            actor,
            action: Action::Submitted,
            previous: None,
            reason: None,
        }
    }

    /// `actor` did `action` to `before`, for `reason` if one is given.
    pub fn of(before: &Application, actor: Actor, action: Action, reason: Option<String>) -> Self {
        Change {
            actor,
            action,
            previous: Some(before.status),
            reason,
        }
    }
}

#[cfg(test)]
mod tests;
