//! The life of an e-work application, whoever moves it: the applicant submits, adds
//! documents while in clarification and resubmits; a labour operator asks for
//! clarification, confirms, rejects or annuls, and writes messages. Each move reads the
//! application, asks the domain whether the move is allowed, and writes the next version
//! with its audit entry and the applicant's message in one conditional write; when
//! somebody wrote first, it reads again. The applicant hears of every status change and
//! message by an email in their language that names nothing but the application's
//! number.

use domain::account::AccountId;
use domain::account::values::UploadId;
use domain::clock::{now_rfc3339, today_in_bishkek};
use domain::document::{DocumentKind, DocumentStatus};
use domain::ework::{
    Action, Actor, Allocation, Application, Attachment, Change, FeeOutcome, FeePolicy, Message,
    MessageBody, Request, Status,
};
use domain::notification::{Recipient, Template};
use domain::payment::Amount;
use domain::ports::documents::DocumentStore;
use domain::ports::ework::{ApplicationStore, MessageStore};
use domain::ports::{Contacts, Notifier};
use domain::{Code, FieldError, PortFailure, StoreError, Taken};

/// What a labour operator decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Back to the applicant, saying what is needed.
    AskClarification(String),
    Confirm(Allocation),
    Reject(String),
    /// A confirmed application, for this reason.
    Annul(String),
}

/// Why an application did not move; a refusal's code says it to the caller.
#[derive(Debug, thiserror::Error)]
pub enum ApplicationError {
    #[error("refused: {0}")]
    Refused(Code),
    /// Documents the applicant named that are not theirs to attach.
    #[error("documents not usable: {0:?}")]
    Documents(Vec<FieldError>),
    /// Fields of a form that the lookups refuse: each reason at its field.
    #[error("refused by the lookups: {0:?}")]
    Ineligible(Vec<FieldError>),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("notifying the applicant: {0}")]
    Notify(#[source] PortFailure),
}

/// How often a move is tried again when another writer got in first.
const RETRIES: usize = 5;

/// The slot of a document added during clarification.
pub const ADDED: &str = "added";

/// Moves e-work applications through their statuses.
#[derive(Debug, Clone)]
pub struct ApplicationLifecycle<A, M, D, C, N> {
    applications: A,
    messages: M,
    documents: D,
    contacts: C,
    notifier: N,
    fees: FeePolicy,
}

impl<A, M, D, C, N> ApplicationLifecycle<A, M, D, C, N>
where
    A: ApplicationStore,
    M: MessageStore,
    D: DocumentStore,
    C: Contacts,
    N: Notifier,
{
    /// Moves applications in `applications`, with their `messages`, the `documents`
    /// they attach, telling applicants (found in `contacts`) through `notifier`; a
    /// confirmation makes the state fee due under `fees`.
    pub fn new(
        applications: A,
        messages: M,
        documents: D,
        contacts: C,
        notifier: N,
        fees: FeePolicy,
    ) -> Self {
        Self {
            applications,
            messages,
            documents,
            contacts,
            notifier,
            fees,
        }
    }

    /// The application `number`, whoever's it is.
    pub async fn application(&self, number: &str) -> Result<Option<Application>, StoreError> {
        self.applications.application(number).await
    }

    async fn load(&self, number: &str) -> Result<Application, ApplicationError> {
        self.applications
            .application(number)
            .await?
            .ok_or(ApplicationError::Refused(Code::ApplicationNotFound))
    }

    /// `owner`'s application `number`; another account's answers as a missing one.
    pub async fn owned(
        &self,
        number: &str,
        owner: &AccountId,
    ) -> Result<Application, ApplicationError> {
        let application = self.load(number).await?;
        if &application.owner != owner {
            return Err(ApplicationError::Refused(Code::ApplicationNotFound));
        }
        Ok(application)
    }

    /// The attachments `named` (slot, upload id, the kind the slot takes or `None` for
    /// any but a photo) make, if each is `owner`'s checked document of that kind; the
    /// field error of each that is not.
    pub async fn attachments(
        &self,
        owner: &AccountId,
        named: &[(&str, UploadId, Option<DocumentKind>)],
    ) -> Result<Vec<Attachment>, ApplicationError> {
        let now = now_rfc3339();
        let mut attachments = Vec::new();
        let mut errors = Vec::new();
        for (slot, upload_id, kind) in named {
            let record = self.documents.get(upload_id.as_ref()).await?;
            let usable = record.filter(|r| {
                &r.owner == owner
                    && r.status == DocumentStatus::Checked
                    && match kind {
                        Some(kind) => r.kind == *kind,
                        None => r.kind != DocumentKind::Photo,
                    }
            });
            match usable {
                Some(record) => attachments.push(Attachment {
                    slot: (*slot).to_owned(),
                    upload_id: record.upload_id,
                    kind: record.kind,
                    attached_at: now.clone(),
                }),
                None => errors.push(FieldError::new(*slot, Code::DocumentNotUsable)),
            }
        }
        if errors.is_empty() {
            Ok(attachments)
        } else {
            Err(ApplicationError::Documents(errors))
        }
    }

    /// Submits `request` for `owner` (named `applicant_name` in decision messages) with
    /// `attachments`, under a new number of its kind.
    pub async fn submit(
        &self,
        owner: &Actor,
        owner_id: &AccountId,
        applicant_name: String,
        request: Request,
        attachments: Vec<Attachment>,
    ) -> Result<Application, ApplicationError> {
        let kind = request.kind();
        for _ in 0..RETRIES {
            let application = Application::submitted(
                kind.new_number(),
                owner_id.clone(),
                applicant_name.clone(),
                request.clone(),
                attachments.clone(),
                &now_rfc3339(),
            );
            match self
                .applications
                .create(&application, &Change::submitted(owner.clone()))
                .await
            {
                Ok(()) => return Ok(application),
                Err(StoreError::Taken(Taken::ApplicationNumber)) => continue,
                // A document changed between the check and the write.
                Err(StoreError::Conflict) => {
                    return Err(ApplicationError::Refused(Code::DocumentNotUsable));
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(StoreError::failed(
            "drawing a free application number",
            "every number drawn was taken",
        )
        .into())
    }

    /// `owner` adds `attachment` to their application in clarification.
    pub async fn attach(
        &self,
        number: &str,
        owner: &Actor,
        owner_id: &AccountId,
        attachment: Attachment,
    ) -> Result<Application, ApplicationError> {
        for _ in 0..RETRIES {
            let before = self.owned(number, owner_id).await?;
            let next = before
                .attach(attachment.clone(), &now_rfc3339())
                .map_err(ApplicationError::Refused)?;
            let change = Change::of(&before, owner.clone(), Action::DocumentAdded, None);
            match self
                .applications
                .record_move(&next, &change, &[attachment.upload_id.as_str()], None)
                .await
            {
                Err(StoreError::Conflict) => continue,
                Err(other) => return Err(other.into()),
                Ok(()) => return Ok(next),
            }
        }
        Err(ApplicationError::Refused(Code::DocumentNotUsable))
    }

    /// `owner` sends their application in clarification back to the operators.
    pub async fn resubmit(
        &self,
        number: &str,
        owner: &Actor,
        owner_id: &AccountId,
    ) -> Result<Application, ApplicationError> {
        for _ in 0..RETRIES {
            let before = self.owned(number, owner_id).await?;
            let next = before
                .resubmit(&now_rfc3339())
                .map_err(ApplicationError::Refused)?;
            let change = Change::of(&before, owner.clone(), Action::Resubmitted, None);
            if self.moved(&next, &change, None).await? {
                return Ok(next);
            }
        }
        Err(ApplicationError::Refused(
            Code::ApplicationNotInClarification,
        ))
    }

    /// A labour operator's decision on application `number`. Decided by someone else
    /// first: `application_not_awaiting_decision` (or, to annul, `_not_confirmed`).
    pub async fn decide(
        &self,
        number: &str,
        actor: &Actor,
        decision: Decision,
    ) -> Result<Application, ApplicationError> {
        for _ in 0..RETRIES {
            let before = self.load(number).await?;
            let now = now_rfc3339();
            let (moved, action, note) = match &decision {
                Decision::AskClarification(request) => (
                    before.ask_clarification(request.clone(), actor, &now),
                    Action::ClarificationAsked,
                    Some(request.clone()),
                ),
                Decision::Confirm(allocation) => (
                    before.confirm(
                        allocation.clone(),
                        &self.fees,
                        today_in_bishkek(),
                        actor,
                        &now,
                    ),
                    Action::Confirmed,
                    None,
                ),
                Decision::Reject(reason) => (
                    before.reject(reason.clone(), actor, &now),
                    Action::Rejected,
                    Some(reason.clone()),
                ),
                Decision::Annul(reason) => (
                    before.annul(reason.clone(), actor, &now),
                    Action::Annulled,
                    Some(reason.clone()),
                ),
            };
            let next = moved.map_err(ApplicationError::Refused)?;
            let change = Change::of(&before, actor.clone(), action, note.clone());
            if self.moved(&next, &change, note).await? {
                return Ok(next);
            }
        }
        Err(ApplicationError::Refused(match decision {
            Decision::Annul(_) => Code::ApplicationNotConfirmed,
            _ => Code::ApplicationNotAwaitingDecision,
        }))
    }

    /// Writes a status change with the standard message it leaves, and tells the
    /// applicant; `false` when another writer got in first.
    async fn moved(
        &self,
        next: &Application,
        change: &Change,
        note: Option<String>,
    ) -> Result<bool, ApplicationError> {
        let message = status_message(next, change, note);
        self.recorded(next, change, &message, Some(next.status))
            .await
    }

    /// Writes a change with `message`, and emails the applicant that the status is now
    /// `status` (or, with `None`, that a message waits); `false` when another writer
    /// got in first.
    async fn recorded(
        &self,
        next: &Application,
        change: &Change,
        message: &Message,
        status: Option<Status>,
    ) -> Result<bool, ApplicationError> {
        match self
            .applications
            .record_move(next, change, &[], Some(message))
            .await
        {
            Err(StoreError::Conflict) => return Ok(false),
            Err(other) => return Err(other.into()),
            Ok(()) => {}
        }
        let id = format!("app-status:{}:{}", next.number, next.version);
        self.tell(next, &id, status).await?;
        Ok(true)
    }

    /// An operator writes `text` to the applicant of application `number`.
    pub async fn write(
        &self,
        number: &str,
        actor: &Actor,
        text: String,
    ) -> Result<Message, ApplicationError> {
        let application = self.load(number).await?;
        let message = Message::new(
            application.owner.clone(),
            &application.number,
            MessageBody::Text { text },
            actor.id(),
            &now_rfc3339(),
        );
        self.messages.post(&message).await?;
        let id = format!("app-message:{}:{}", application.number, message.id);
        self.tell(&application, &id, None).await?;
        Ok(message)
    }

    /// The state fee of `number` came: recorded once, however often it comes. Paid in
    /// time, the allocation becomes usable; paid after it lapsed or was annulled, the
    /// fee is marked to go back. Another amount: `payment_mismatch`.
    pub async fn record_fee(
        &self,
        number: &str,
        amount: &Amount,
    ) -> Result<Application, ApplicationError> {
        for _ in 0..RETRIES {
            let before = self.load(number).await?;
            let (next, action) = match before.pay_fee(amount, &now_rfc3339()) {
                Err(code) => return Err(ApplicationError::Refused(code)),
                Ok(FeeOutcome::AlreadyRecorded) => return Ok(before),
                Ok(FeeOutcome::Paid(next)) => (next, Action::FeePaid),
                Ok(FeeOutcome::RefundDue(next)) => (next, Action::FeeRefundDue),
            };
            let change = Change::of(&before, Actor::System, action, None);
            match self
                .applications
                .record_move(&next, &change, &[], None)
                .await
            {
                Err(StoreError::Conflict) => continue,
                Err(other) => return Err(other.into()),
                Ok(()) => return Ok(next),
            }
        }
        Err(ApplicationError::Refused(Code::AlreadyDecided))
    }

    /// Confirmed applications whose fee was not paid by its last day, before `today`,
    /// lapse: each with a message to the applicant and an email that one waits. How
    /// many lapsed.
    pub async fn lapse_unpaid(&self, today: time::Date) -> Result<usize, ApplicationError> {
        let mut lapsed = 0;
        for before in self.applications.awaiting_fee().await? {
            let Some(next) = before.lapse(today, &now_rfc3339()) else {
                continue;
            };
            let change = Change::of(&before, Actor::System, Action::AllocationLapsed, None);
            let due_by = next.fee.as_ref().map_or(today, |f| f.due_by);
            let body = MessageBody::AllocationLapsed {
                kind: next.kind(),
                name: next.applicant_name.clone(),
                due_by,
            };
            let message = Message::new(
                next.owner.clone(),
                &next.number,
                body,
                "system".to_owned(),
                &next.updated_at,
            );
            match self
                .applications
                .record_move(&next, &change, &[], Some(&message))
                .await
            {
                // Paid or changed meanwhile: left for the next run.
                Err(StoreError::Conflict) => continue,
                Err(other) => return Err(other.into()),
                Ok(()) => {}
            }
            let id = format!("app-lapsed:{}", next.number);
            self.tell(&next, &id, None).await?;
            lapsed += 1;
        }
        Ok(lapsed)
    }

    /// Emails the applicant that `application` changed to `status`, or that a message
    /// about it waits; once per `id`, however often the caller retries.
    async fn tell(
        &self,
        application: &Application,
        id: &str,
        status: Option<Status>,
    ) -> Result<(), ApplicationError> {
        let Some(applicant) = self.contacts.contact(&application.owner).await? else {
            return Ok(());
        };
        let template = Template::ApplicationUpdate {
            application: application.number.clone(),
            status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            status_label: status
                .map(|s| s.label(applicant.lang).to_owned())
                .unwrap_or_default(),
        };
        let to = Recipient {
            email: Some(applicant.email),
            phone: None,
        };
        self.notifier
            .notify(id, applicant.lang, to, template)
            .await
            .map_err(ApplicationError::Notify)
    }
}

/// The standard message a status change leaves the applicant.
fn status_message(next: &Application, change: &Change, note: Option<String>) -> Message {
    let body = MessageBody::StatusChanged {
        kind: next.kind(),
        status: next.status,
        name: next.applicant_name.clone(),
        note,
    };
    message(next, change, body)
}

/// A message about `next` that `change` leaves the applicant.
fn message(next: &Application, change: &Change, body: MessageBody) -> Message {
    Message::new(
        next.owner.clone(),
        &next.number,
        body,
        change.actor.id(),
        &next.updated_at,
    )
}

/// What the payments use case needs of the e-work state fees.
pub trait StateFees: Send + Sync {
    /// The fee `owner` may pay now for their application `number`.
    fn fee_due(
        &self,
        owner: &AccountId,
        number: &str,
    ) -> impl std::future::Future<Output = Result<Amount, ApplicationError>> + Send;

    /// Records the fee of `number` paid (see [`ApplicationLifecycle::record_fee`]).
    fn record_fee(
        &self,
        number: &str,
        amount: &Amount,
    ) -> impl std::future::Future<Output = Result<Application, ApplicationError>> + Send;
}

impl<A, M, D, C, N> StateFees for ApplicationLifecycle<A, M, D, C, N>
where
    A: ApplicationStore,
    M: MessageStore,
    D: DocumentStore,
    C: Contacts,
    N: Notifier,
{
    async fn fee_due(&self, owner: &AccountId, number: &str) -> Result<Amount, ApplicationError> {
        let application = self.owned(number, owner).await?;
        let fee = application
            .fee_payable()
            .map_err(ApplicationError::Refused)?;
        Ok(fee.amount.clone())
    }

    async fn record_fee(
        &self,
        number: &str,
        amount: &Amount,
    ) -> Result<Application, ApplicationError> {
        ApplicationLifecycle::record_fee(self, number, amount).await
    }
}

#[cfg(test)]
mod tests;

mod permit_moves;
pub mod permits;

pub use permit_moves::PermitDecision;
