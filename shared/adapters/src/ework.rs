//! e-work applications and messages in DynamoDB. The record is the domain's
//! [`Application`] with the table's key (`app#<number>`, which is also the guard that
//! keeps numbers unique) and the queue key its kind and status imply. Every change is
//! one transaction: the record (conditional on the version it was read at), its audit
//! entry, the applicant's message and the locks of the documents it attaches, so two
//! operators deciding at once cannot both win and nothing is half written.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use domain::Taken;
use domain::account::AccountId;
use domain::ework::{Application, Change, Kind, Message, Place, PlaceRef, Request, Status};
use domain::ports::ework::{ApplicationStore, MessageStore};
use serde::{Deserialize, Serialize};

use crate::audit::AuditEntry;

mod permits;
use crate::store::{Doing, StoreError, held};

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

/// An application as stored: the application and the keys of the table and its queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationRecord {
    /// `app#<number>`.
    pub pk: String,
    #[serde(flatten)]
    pub application: Application,
    /// `ework#<kind>#<status>`: `by_queue`, sorted by `status_at`.
    pub queue_key: String,
    /// A work permit's (or an entrepreneur's permit's) passport, `<country>#<number>`:
    /// `by_holder`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder_key: Option<String>,
}

impl ApplicationRecord {
    /// The table key of application `number`; its audit trail is under the same.
    pub fn key(number: &str) -> String {
        format!("app#{number}")
    }

    /// The key of the places taken of `place`'s row.
    pub fn place_key(place: &PlaceRef) -> String {
        format!("place#{}#{}", place.quota, place.row)
    }

    /// The queue of `kind` in `status`.
    pub fn queue(kind: Kind, status: Status) -> String {
        format!("ework#{}#{}", kind.as_str(), status.as_str())
    }
}

impl From<&Application> for ApplicationRecord {
    fn from(application: &Application) -> Self {
        ApplicationRecord {
            pk: ApplicationRecord::key(&application.number),
            queue_key: ApplicationRecord::queue(application.kind(), application.status),
            holder_key: match &application.request {
                Request::Permit(permit) => Some(permit.holder.key()),
                Request::Entrepreneur(request) => Some(request.holder.key()),
                Request::Quota(_) | Request::Nomad(_) => None,
            },
            application: application.clone(),
        }
    }
}

/// What an applicant's archive shows, narrowed by the archive's filters.
#[derive(Debug, Clone, Default)]
pub struct ArchiveFilter {
    pub kind: Option<Kind>,
    pub status: Option<Status>,
    /// Part of the number.
    pub number: Option<String>,
    /// Submitted on or after this day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Submitted on or before this day.
    pub to: Option<String>,
    /// The work-permit columns; any of them set shows work permits only.
    pub permit: domain::ework::permit::PermitColumns,
}

impl ArchiveFilter {
    fn matches(&self, application: &Application) -> bool {
        let day = &application.created_at[..10.min(application.created_at.len())];
        self.kind.is_none_or(|k| application.kind() == k)
            && self.status.is_none_or(|s| application.status == s)
            && self
                .number
                .as_deref()
                .is_none_or(|n| application.number.contains(n.trim()))
            && self.from.as_deref().is_none_or(|from| day >= from)
            && self.to.as_deref().is_none_or(|to| day <= to)
            && (self.permit.is_empty()
                || matches!(&application.request, Request::Permit(p) if self.permit.matches(p)))
    }
}

/// One page of a list and where the next one starts.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

#[cfg(feature = "sqs")]
/// Moves e-work applications, wired over DynamoDB, the accounts' contacts and the
/// notifications queue. The rules live in [`use_cases::ework`].
pub type ApplicationLifecycle = use_cases::ework::ApplicationLifecycle<
    DynamoApplications,
    DynamoApplications,
    crate::documents::DynamoDocuments,
    crate::accounts::DynamoAccounts,
    crate::queue::SqsNotificationQueue,
>;

/// Searches foreigners and turns work-permit forms into requests, wired over DynamoDB.
#[cfg(feature = "sqs")]
pub type WorkPermits = use_cases::ework::permits::WorkPermits<
    DynamoApplications,
    crate::border::DynamoBorder,
    crate::border::DynamoBorder,
    crate::stays::DynamoStays,
    crate::queue::SqsNotificationQueue,
>;

/// The applications table, the audit trail, the documents they lock and the messages.
#[derive(Debug, Clone)]
pub struct DynamoApplications {
    client: aws_sdk_dynamodb::Client,
    table: String,
    audit: String,
    documents: String,
    messages: String,
}

impl DynamoApplications {
    pub fn new(
        client: aws_sdk_dynamodb::Client,
        table: impl Into<String>,
        audit: impl Into<String>,
        documents: impl Into<String>,
        messages: impl Into<String>,
    ) -> Self {
        Self {
            client,
            table: table.into(),
            audit: audit.into(),
            documents: documents.into(),
            messages: messages.into(),
        }
    }

    /// The application numbered `number`.
    pub async fn get(&self, number: &str) -> Result<Option<Application>, StoreError> {
        let record: Option<ApplicationRecord> = crate::store::get(
            &self.client,
            &self.table,
            crate::store::key("pk", ApplicationRecord::key(number)),
        )
        .await?;
        Ok(record.map(|r| r.application))
    }

    fn put_op(
        table: &str,
        item: HashMap<String, AttributeValue>,
        condition: &str,
        doing: &'static str,
    ) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(table)
            .set_item(Some(item))
            .condition_expression(condition)
            .build()
            .doing(doing)?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    fn audit_op(&self, entry: &AuditEntry) -> Result<TransactWriteItem, StoreError> {
        let item = serde_dynamo::to_item(entry).doing("preparing an audit entry")?;
        let mut op = Self::put_op(
            &self.audit,
            item,
            "attribute_not_exists(#at)",
            "building an application write",
        )?;
        if let Some(put) = op.put.as_mut() {
            put.expression_attribute_names = Some(HashMap::from([("#at".into(), "at".into())]));
        }
        Ok(op)
    }

    fn message_op(&self, message: &Message) -> Result<TransactWriteItem, StoreError> {
        let item = serde_dynamo::to_item(message).doing("preparing a message")?;
        Self::put_op(
            &self.messages,
            item,
            "attribute_not_exists(id)",
            "building a message write",
        )
    }

    /// Stores a new application with its audit entry and locks its documents, all or
    /// nothing.
    pub async fn create(
        &self,
        application: &Application,
        change: &Change,
    ) -> Result<(), StoreError> {
        let item = serde_dynamo::to_item(ApplicationRecord::from(application))
            .doing("creating an application")?;
        let mut ops = vec![
            Self::put_op(
                &self.table,
                item,
                "attribute_not_exists(pk)",
                "building an application write",
            )?,
            self.audit_op(&AuditEntry::of_application(application, change))?,
        ];
        for upload_id in application.upload_ids() {
            ops.push(crate::documents::in_use_op(
                &self.documents,
                upload_id,
                &application.owner,
            )?);
        }
        let failed = crate::store::failed_conditions(&self.client, ops).await?;
        match failed.as_slice() {
            [true, ..] => Err(StoreError::Taken(Taken::ApplicationNumber)),
            failed if failed.iter().any(|f| *f) => Err(StoreError::Conflict),
            _ => Ok(()),
        }
    }

    /// Writes `next` over version `next.version - 1` with its audit entry, the message
    /// and the locks of `attached`, all or nothing.
    pub async fn save(
        &self,
        next: &Application,
        change: &Change,
        attached: &[&str],
        message: Option<&Message>,
    ) -> Result<(), StoreError> {
        let item =
            serde_dynamo::to_item(ApplicationRecord::from(next)).doing("saving an application")?;
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("version = :read")
            .expression_attribute_values(":read", AttributeValue::N((next.version - 1).to_string()))
            .build()
            .doing("building an application write")?;
        let mut ops = vec![
            TransactWriteItem::builder().put(put).build(),
            self.audit_op(&AuditEntry::of_application(next, change))?,
        ];
        if let Some(message) = message {
            ops.push(self.message_op(message)?);
        }
        for upload_id in attached {
            ops.push(crate::documents::in_use_op(
                &self.documents,
                upload_id,
                &next.owner,
            )?);
        }
        crate::store::transact(&self.client, ops).await
    }

    /// Applications of `kind` in `status`, oldest status change first.
    pub async fn queue(
        &self,
        kind: Kind,
        status: Status,
        limit: i32,
    ) -> Result<Vec<Application>, StoreError> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .index_name("by_queue")
            .key_condition_expression("queue_key = :key")
            .expression_attribute_values(":key", s(ApplicationRecord::queue(kind, status)))
            .scan_index_forward(true)
            .limit(limit)
            .send()
            .await
            .doing("listing an operators' queue of applications")?;
        let records: Vec<ApplicationRecord> =
            serde_dynamo::from_items(out.items.unwrap_or_default())
                .doing("listing an operators' queue of applications")?;
        Ok(records.into_iter().map(|r| r.application).collect())
    }

    /// Confirmed applications whose state fee is still due. They are read from the
    /// queue of confirmed ones, every page: a daily job, and confirmed applications
    /// number in the thousands at most.
    pub async fn awaiting_fee(&self) -> Result<Vec<Application>, StoreError> {
        let mut due = Vec::new();
        for kind in [Kind::Quota] {
            let records: Vec<ApplicationRecord> = crate::store::all(
                self.client
                    .query()
                    .table_name(&self.table)
                    .index_name("by_queue")
                    .key_condition_expression("queue_key = :key")
                    .expression_attribute_values(
                        ":key",
                        s(ApplicationRecord::queue(kind, Status::Confirmed)),
                    ),
            )
            .await?;
            due.extend(records.into_iter().map(|r| r.application).filter(|a| {
                a.fee
                    .as_ref()
                    .is_some_and(|f| f.status == domain::ework::FeeStatus::Due)
            }));
        }
        Ok(due)
    }

    /// The audit trail of application `number`, oldest first.
    pub async fn audit_of(&self, number: &str) -> Result<Vec<AuditEntry>, StoreError> {
        crate::store::all(
            self.client
                .query()
                .table_name(&self.audit)
                .key_condition_expression("subject = :subject")
                .expression_attribute_values(":subject", s(ApplicationRecord::key(number))),
        )
        .await
    }

    /// One page of `owner`'s archive, newest first, filtered; `after` is the `next` of
    /// the page before.
    pub async fn archive(
        &self,
        owner: &AccountId,
        filter: &ArchiveFilter,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page<Application>, StoreError> {
        let mut start = after.and_then(|c| decode_cursor(c, &["pk", "owner", "created_at"]));
        let mut items = Vec::new();
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .index_name("by_owner")
                .key_condition_expression("#owner = :owner")
                .expression_attribute_names("#owner", "owner")
                .expression_attribute_values(":owner", s(owner.as_ref()))
                .scan_index_forward(false)
                .set_exclusive_start_key(start.take())
                .limit(100)
                .send()
                .await
                .doing("reading an applicant's archive")?;
            let exhausted = out.last_evaluated_key.is_none();
            for item in out.items.unwrap_or_default() {
                let record: ApplicationRecord =
                    serde_dynamo::from_item(item).doing("reading an applicant's archive")?;
                if filter.matches(&record.application) {
                    let a = &record.application;
                    let cursor = encode_cursor(&[&record.pk, a.owner.as_ref(), &a.created_at]);
                    items.push(record.application);
                    if items.len() == limit {
                        return Ok(Page {
                            items,
                            next: Some(cursor),
                        });
                    }
                }
            }
            if exhausted {
                return Ok(Page { items, next: None });
            }
            start = out.last_evaluated_key;
        }
    }

    /// One page of `recipient`'s messages, newest first.
    pub async fn messages_of(
        &self,
        recipient: &AccountId,
        after: Option<&str>,
        limit: i32,
    ) -> Result<Page<Message>, StoreError> {
        let out = self
            .client
            .query()
            .table_name(&self.messages)
            .key_condition_expression("recipient = :recipient")
            .expression_attribute_values(":recipient", s(recipient.as_ref()))
            .scan_index_forward(false)
            .set_exclusive_start_key(after.and_then(|c| decode_cursor(c, &["recipient", "id"])))
            .limit(limit)
            .send()
            .await
            .doing("reading an applicant's messages")?;
        let items: Vec<Message> = serde_dynamo::from_items(out.items.unwrap_or_default())
            .doing("reading an applicant's messages")?;
        let next = out
            .last_evaluated_key
            .and(items.last())
            .map(|m| encode_cursor(&[m.recipient.as_ref(), &m.id]));
        Ok(Page { items, next })
    }

    /// Marks `recipient`'s message `id` read: `Err(StoreError::Conflict)` when they have
    /// no such message.
    pub async fn mark_read(&self, recipient: &AccountId, id: &str) -> Result<(), StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.messages)
            .key("recipient", s(recipient.as_ref()))
            .key("id", s(id))
            .update_expression("SET #read = :yes")
            .condition_expression("attribute_exists(id)")
            .expression_attribute_names("#read", "read")
            .expression_attribute_values(":yes", AttributeValue::Bool(true))
            .send()
            .await;
        held(result, "marking a message read").map(|_| ())
    }
}

/// Whether `cursor` is one this store handed out for a page of `owner`'s archive (or,
/// with `messages`, of their messages): a cursor of another account, or made up, is
/// refused before it reaches the table.
pub fn cursor_is_for(cursor: &str, owner: &AccountId, messages: bool) -> bool {
    let names: &[&str] = if messages {
        &["recipient", "id"]
    } else {
        &["pk", "owner", "created_at"]
    };
    let Some(key) = decode_cursor(cursor, names) else {
        return false;
    };
    let plain = |value: &AttributeValue| {
        value.as_s().is_ok_and(|v| {
            !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_graphic())
        })
    };
    let own = if messages { "recipient" } else { "owner" };
    key.values().all(plain)
        && key.get(own) == Some(&s(owner.as_ref()))
        && (messages
            || key
                .get("pk")
                .and_then(|p| p.as_s().ok())
                .is_some_and(|p| p.starts_with("app#")))
}

/// A page's last key as an opaque cursor.
fn encode_cursor(values: &[&str]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::json!(values).to_string())
}

/// The key a cursor names, with these attribute names; `None` for anything else.
fn decode_cursor(cursor: &str, names: &[&str]) -> Option<HashMap<String, AttributeValue>> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let values: Vec<String> = serde_json::from_slice(&bytes).ok()?;
    (values.len() == names.len()).then(|| {
        names
            .iter()
            .zip(values)
            .map(|(name, value)| ((*name).to_owned(), s(value)))
            .collect()
    })
}

/// Each future is boxed: the SDK's futures nest deep, and the use cases nest them
/// further, past what the compiler lays out by default.
impl ApplicationStore for DynamoApplications {
    async fn application(&self, number: &str) -> Result<Option<Application>, StoreError> {
        Box::pin(self.get(number)).await
    }

    async fn create(&self, application: &Application, change: &Change) -> Result<(), StoreError> {
        Box::pin(DynamoApplications::create(self, application, change)).await
    }

    async fn record_move(
        &self,
        next: &Application,
        change: &Change,
        attached: &[&str],
        message: Option<&Message>,
    ) -> Result<(), StoreError> {
        Box::pin(self.save(next, change, attached, message)).await
    }

    async fn awaiting_fee(&self) -> Result<Vec<Application>, StoreError> {
        Box::pin(DynamoApplications::awaiting_fee(self)).await
    }

    async fn record_grant(
        &self,
        next: &Application,
        change: &Change,
        message: &Message,
        place: &PlaceRef,
        allocated: u32,
    ) -> Result<(), StoreError> {
        Box::pin(self.grant(next, change, message, place, allocated)).await
    }

    async fn permits_of(&self, holder_key: &str) -> Result<Vec<Application>, StoreError> {
        Box::pin(DynamoApplications::permits_of(self, holder_key)).await
    }

    async fn places_of(&self, owner: &AccountId) -> Result<Vec<Place>, StoreError> {
        Box::pin(DynamoApplications::places_of(self, owner)).await
    }
}

impl MessageStore for DynamoApplications {
    async fn post(&self, message: &Message) -> Result<(), StoreError> {
        let item = serde_dynamo::to_item(message).doing("preparing a message")?;
        let put = self
            .client
            .put_item()
            .table_name(&self.messages)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(id)");
        held(Box::pin(put.send()).await, "posting a message").map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use domain::ework::Request;
    use domain::ework::quota::QuotaForm;

    use super::*;

    #[test]
    fn a_cursor_is_taken_only_from_the_account_it_was_handed_to() {
        let owner = AccountId::new();
        let page = encode_cursor(&["app#Q-00000001", owner.as_ref(), "2026-12-04T10:00:00Z"]);
        assert!(cursor_is_for(&page, &owner, false));
        assert!(!cursor_is_for(&page, &AccountId::new(), false));
        assert!(!cursor_is_for(&page, &owner, true));
        let forged = encode_cursor(&["stay#0000000001", owner.as_ref(), "2026"]);
        assert!(!cursor_is_for(&forged, &owner, false));
        let long = "x".repeat(5000);
        let huge = encode_cursor(&["app#Q-00000001", owner.as_ref(), &long]);
        assert!(!cursor_is_for(&huge, &owner, false));
        assert!(!cursor_is_for("not base64 at all!", &owner, false));
        let message = encode_cursor(&[owner.as_ref(), "20261204100000-1f2e3d4c"]);
        assert!(cursor_is_for(&message, &owner, true));
    }

    #[test]
    fn a_record_keeps_the_application_and_its_queue_through_the_table() {
        let form: QuotaForm = serde_json::from_value(serde_json::json!({
            "total": 2, "rows": [{"country": "CHN", "position": "Welder", "count": 2}],
            "reasons": "r", "tax_payments": {"monthly": ["1", "2", "3", "4", "5", "6"]},
            "social_fund_payments": {"none_reason": "new"}, "appeal": "a",
            "local_staff_total": 9, "local_managers": 1, "local_workers": 8, "vacancies": 0,
            "earlier_applications": 0, "foreign_workers_two_years_ago": 0,
            "foreign_workers_last_year": 0
        }))
        .unwrap();
        let (request, _) = form.parse(time::macros::date!(2026 - 12 - 04)).unwrap();
        let application = Application::submitted(
            "Q-00000001".into(),
            AccountId::new(),
            "Stroi".into(),
            Request::Quota(request),
            Vec::new(),
            "2026-12-04T10:00:00Z",
        );
        let record = ApplicationRecord::from(&application);
        assert_eq!(record.queue_key, "ework#quota#submitted");
        let item: HashMap<String, AttributeValue> = serde_dynamo::to_item(&record).unwrap();
        assert_eq!(item["pk"], s("app#Q-00000001"));
        assert_eq!(item["kind"], s("quota"));
        let back: ApplicationRecord = serde_dynamo::from_item(item).unwrap();
        assert_eq!(back, record);
    }
}
