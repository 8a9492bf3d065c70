//! Registrations of foreigners at the place of stay (ereg) in DynamoDB, with their
//! indexes: the record is the domain's [`Stay`] with the table's key and the index keys
//! its status implies. Every change of a registration is one transaction: the record
//! (conditional on the version it was read at) and its audit entry, so two operators
//! deciding at once cannot both win and no decision goes unrecorded.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use domain::account::AccountId;
use domain::ports::stays::StayStore;
use domain::stay::{Actor, ArchiveFilter, Change, Stay, StayStatus};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::audit::AuditEntry;
use crate::store::{Doing, StoreError};

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

/// The index key of paid registrations waiting for an operator.
const QUEUE_KEY: &str = "ereg#paid";
/// The index key of valid registrations, by last day.
const VALID_KEY: &str = "ereg#valid";

/// The day in Bishkek of the RFC 3339 time `at`, `YYYY-MM-DD`.
fn bishkek_day(at: &str) -> Option<String> {
    let at =
        time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()?;
    Some(
        at.to_offset(domain::clock::bishkek_offset())
            .date()
            .to_string(),
    )
}

/// A registration as stored: the stay and the keys of the table and its indexes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StayRecord {
    /// `stay#<number>`.
    pub pk: String,
    #[serde(flatten)]
    pub stay: Stay,
    /// The passport's number: `by_passport`.
    pub passport_key: String,
    /// Set while paid and undecided: `by_queue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_key: Option<String>,
    /// When it joined the queue: its payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queued_at: Option<String>,
    /// Set while valid: `by_expiry`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_key: Option<String>,
    /// The day (in Bishkek) its fee was paid, once paid: `by_paid_day`, sorted by
    /// `paid_at`, for the registrations due on a day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_day: Option<String>,
}

impl StayRecord {
    /// The table key of registration `number`; its audit trail is under the same.
    pub fn key(number: &str) -> String {
        format!("stay#{number}")
    }
}

/// The record of `stay`, its index keys following its status.
impl From<&Stay> for StayRecord {
    fn from(stay: &Stay) -> Self {
        let paid = stay.status == StayStatus::Paid;
        StayRecord {
            pk: StayRecord::key(&stay.number),
            passport_key: stay.guest.document_number.to_string(),
            queue_key: paid.then(|| QUEUE_KEY.to_owned()),
            queued_at: paid.then(|| {
                stay.paid_at
                    .clone()
                    .unwrap_or_else(|| stay.updated_at.clone())
            }),
            valid_key: (stay.status == StayStatus::Valid).then(|| VALID_KEY.to_owned()),
            paid_day: stay.paid_at.as_deref().and_then(bishkek_day),
            stay: stay.clone(),
        }
    }
}

/// One page of an archive and where the next one starts.
#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<Stay>,
    pub next: Option<String>,
}

/// The registrations table and the audit trail.
#[derive(Debug, Clone)]
pub struct DynamoStays {
    client: aws_sdk_dynamodb::Client,
    table: String,
    audit: String,
    /// The documents a registration names are marked in use as it is submitted.
    documents: String,
}

impl DynamoStays {
    /// Registrations in `table`, their audit trail in `audit`, and the documents they
    /// name in `documents`.
    pub fn new(
        client: aws_sdk_dynamodb::Client,
        table: impl Into<String>,
        audit: impl Into<String>,
        documents: impl Into<String>,
    ) -> Self {
        Self {
            client,
            table: table.into(),
            audit: audit.into(),
            documents: documents.into(),
        }
    }

    /// The registration with application number `number`.
    pub async fn get(&self, number: &str) -> Result<Option<Stay>, StoreError> {
        let record: Option<StayRecord> = crate::store::get(
            &self.client,
            &self.table,
            crate::store::key("pk", StayRecord::key(number)),
        )
        .await?;
        Ok(record.map(|r| r.stay))
    }

    /// The registration that was given `registration_number` on confirmation.
    pub async fn by_registration_number(
        &self,
        registration_number: &str,
    ) -> Result<Option<Stay>, StoreError> {
        #[derive(Deserialize)]
        struct Guard {
            number: String,
        }
        let guard: Option<Guard> = crate::store::get(
            &self.client,
            &self.table,
            crate::store::key("pk", format!("regno#{registration_number}")),
        )
        .await?;
        let Some(guard) = guard else {
            return Ok(None);
        };
        self.get(&guard.number).await
    }

    fn audit_op(&self, entry: &AuditEntry) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(&self.audit)
            .set_item(Some(
                serde_dynamo::to_item(entry).doing("preparing an audit entry")?,
            ))
            .condition_expression("attribute_not_exists(#at)")
            .expression_attribute_names("#at", "at")
            .build()
            .doing("building a registration write")?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    /// Stores a new registration submitted by `actor`, with its audit entry, and marks
    /// the documents it names (upload ids) in use, all or nothing:
    /// `Err(StoreError::Conflict)` when a document is no longer its host's checked one,
    /// or (rarely) the number is taken.
    pub async fn submit(
        &self,
        stay: &Stay,
        actor: &Actor,
        documents: &[&str],
    ) -> Result<(), StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(
                serde_dynamo::to_item(StayRecord::from(stay)).doing("creating a registration")?,
            ))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .doing("building a registration write")?;
        let audit = AuditEntry::of(stay, &Change::submitted(actor.clone()));
        let mut ops = vec![
            TransactWriteItem::builder().put(put).build(),
            self.audit_op(&audit)?,
        ];
        for upload_id in documents {
            ops.push(crate::documents::in_use_op(
                &self.documents,
                upload_id,
                &stay.owner,
            )?);
        }
        crate::store::transact(&self.client, ops).await
    }

    /// Writes `next` over the stored registration if that is still at
    /// `next.version - 1`, with `audit`, all or nothing: `Err(StoreError::Conflict)`
    /// when someone changed it first.
    pub async fn save(&self, next: &Stay, audit: &AuditEntry) -> Result<(), StoreError> {
        self.write(next, audit, Vec::new()).await
    }

    async fn write(
        &self,
        next: &Stay,
        audit: &AuditEntry,
        extra: Vec<TransactWriteItem>,
    ) -> Result<(), StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(
                serde_dynamo::to_item(StayRecord::from(next)).doing("saving a registration")?,
            ))
            .condition_expression("version = :read")
            .expression_attribute_values(":read", AttributeValue::N((next.version - 1).to_string()))
            .build()
            .doing("building a registration write")?;
        let mut ops = vec![
            TransactWriteItem::builder().put(put).build(),
            self.audit_op(audit)?,
        ];
        ops.extend(extra);
        crate::store::transact(&self.client, ops).await
    }

    /// The guard that keeps a registration number unique.
    fn registration_number_guard(
        &self,
        registration_number: &str,
        number: &str,
    ) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .item("pk", s(format!("regno#{registration_number}")))
            .item("number", s(number))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .doing("building a registration write")?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    async fn stays(
        &self,
        query: aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder,
    ) -> Result<Vec<Stay>, StoreError> {
        let records: Vec<StayRecord> = crate::store::all(query).await?;
        Ok(records.into_iter().map(|r| r.stay).collect())
    }

    /// Every registration of the passport `number`, any status.
    pub async fn of_passport(&self, number: &str) -> Result<Vec<Stay>, StoreError> {
        self.stays(
            self.client
                .query()
                .table_name(&self.table)
                .index_name("by_passport")
                .key_condition_expression("passport_key = :key")
                .expression_attribute_values(":key", s(number)),
        )
        .await
    }

    /// Paid registrations waiting for a decision, oldest payment first.
    pub async fn queue(&self, limit: i32) -> Result<Vec<Stay>, StoreError> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .index_name("by_queue")
            .key_condition_expression("queue_key = :key")
            .expression_attribute_values(":key", s(QUEUE_KEY))
            .scan_index_forward(true)
            .limit(limit)
            .send()
            .await
            .doing("listing the registrations waiting for a decision")?;
        let records: Vec<StayRecord> = serde_dynamo::from_items(out.items.unwrap_or_default())
            .doing("listing the registrations waiting for a decision")?;
        Ok(records.into_iter().map(|r| r.stay).collect())
    }

    /// The registrations whose fee was paid on one of `days` (in Bishkek), whatever
    /// became of them since.
    pub async fn paid_on(&self, days: &[Date]) -> Result<Vec<Stay>, StoreError> {
        let mut paid = Vec::new();
        for day in days {
            paid.extend(
                self.stays(
                    self.client
                        .query()
                        .table_name(&self.table)
                        .index_name("by_paid_day")
                        .key_condition_expression("paid_day = :day")
                        .expression_attribute_values(":day", s(day.to_string())),
                )
                .await?,
            );
        }
        Ok(paid)
    }

    /// Valid registrations whose last day is before `today`.
    pub async fn past_their_last_day(&self, today: Date) -> Result<Vec<Stay>, StoreError> {
        self.stays(
            self.client
                .query()
                .table_name(&self.table)
                .index_name("by_expiry")
                .key_condition_expression("valid_key = :key AND stay_to < :today")
                .expression_attribute_values(":key", s(VALID_KEY))
                .expression_attribute_values(":today", s(today.to_string())),
        )
        .await
    }

    /// The audit trail of one registration, oldest first.
    pub async fn audit_of(&self, number: &str) -> Result<Vec<AuditEntry>, StoreError> {
        crate::store::all(
            self.client
                .query()
                .table_name(&self.audit)
                .key_condition_expression("subject = :subject")
                .expression_attribute_values(":subject", s(StayRecord::key(number))),
        )
        .await
    }

    /// One page of the host's archive, newest first, filtered; `after` is the `next` of
    /// the page before.
    pub async fn archive(
        &self,
        owner: &AccountId,
        filter: &ArchiveFilter,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page, StoreError> {
        let mut start = after.and_then(decode_cursor);
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
                .doing("reading a host's archive")?;
            let exhausted = out.last_evaluated_key.is_none();
            for item in out.items.unwrap_or_default() {
                let record: StayRecord =
                    serde_dynamo::from_item(item).doing("reading a host's archive")?;
                if filter.matches(&record.stay) {
                    items.push(record.stay);
                    if items.len() == limit {
                        let next = items.last().map(cursor_of);
                        return Ok(Page { items, next });
                    }
                }
            }
            if exhausted {
                return Ok(Page { items, next: None });
            }
            start = out.last_evaluated_key;
        }
    }
}

/// Each future is boxed: the SDK's futures nest deep, and the use cases nest them
/// further, past what the compiler lays out by default.
impl StayStore for DynamoStays {
    async fn stay(&self, number: &str) -> Result<Option<Stay>, StoreError> {
        Box::pin(self.get(number)).await
    }

    async fn record_move(&self, next: &Stay, change: &Change) -> Result<(), StoreError> {
        Box::pin(self.save(next, &AuditEntry::of(next, change))).await
    }

    async fn record_confirmation(&self, next: &Stay, change: &Change) -> Result<(), StoreError> {
        let registration_number = next.registration_number.as_deref().unwrap_or_default();
        let guard = self.registration_number_guard(registration_number, &next.number)?;
        Box::pin(self.write(next, &AuditEntry::of(next, change), vec![guard])).await
    }

    async fn of_passport(&self, document_number: &str) -> Result<Vec<Stay>, StoreError> {
        Box::pin(DynamoStays::of_passport(self, document_number)).await
    }

    async fn past_their_last_day(&self, today: Date) -> Result<Vec<Stay>, StoreError> {
        Box::pin(DynamoStays::past_their_last_day(self, today)).await
    }
}

/// Whether `cursor` is one this store handed out for a page of `owner`'s archive: a
/// cursor of another account, or made up, is refused before it reaches the table.
pub fn cursor_is_for(cursor: &str, owner: &AccountId) -> bool {
    decode_cursor(cursor).is_some_and(|key| key.get("owner") == Some(&s(owner.as_ref())))
}

/// The key of a record in `by_owner`, as an opaque cursor.
fn cursor_of(stay: &Stay) -> String {
    use base64::Engine;
    let key = serde_json::json!([
        StayRecord::key(&stay.number),
        stay.owner.as_ref(),
        stay.created_at
    ]);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.to_string())
}

fn decode_cursor(cursor: &str) -> Option<HashMap<String, AttributeValue>> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let [pk, owner, created]: [String; 3] = serde_json::from_slice(&bytes).ok()?;
    let number = pk.strip_prefix("stay#")?;
    let plain = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_graphic())
    };
    let fits = number.len() == 10
        && number.bytes().all(|b| b.is_ascii_digit())
        && plain(&owner, 64)
        && plain(&created, 40);
    fits.then(|| {
        HashMap::from([
            ("pk".to_owned(), s(pk)),
            ("owner".to_owned(), s(owner)),
            ("created_at".to_owned(), s(created)),
        ])
    })
}

impl domain::ports::ework::Talons for DynamoStays {
    async fn by_registration_number(
        &self,
        registration_number: &str,
    ) -> Result<Option<domain::stay::Stay>, StoreError> {
        Box::pin(DynamoStays::by_registration_number(
            self,
            registration_number,
        ))
        .await
    }
}

#[cfg(test)]
mod tests;
