//! Registrations of foreigners at the place of stay (ereg) in DynamoDB: the property
//! registry's local stand-in, each host's housing, the registrations with their indexes,
//! and the append-only audit trail. Every change of a registration's status is one
//! transaction: the record (conditional on the version it was read at) and its audit
//! entry, so two operators deciding at once cannot both win and no decision goes
//! unrecorded.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};
use domain::account::AccountId;
use domain::account::values::PropertyCode;
use domain::ports::{Property, PropertyRegistry};
use domain::stay::{Flag, Guest, PaymentStatus, Purpose, StayStatus};
use domain::{EmailAddress, PhoneNumber};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::store::{Doing, StoreError, Written};

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

/// The registry rows shipped for the local stack: a few hundred synthetic Bishkek and
/// Osh properties with their owners' personal numbers, tax ids or passport numbers.
pub const REGISTRY_CSV: &str = include_str!("../data/property_registry.csv");

/// The rows of a registry CSV (`code,city,address,owners`, owners joined by `;`).
pub fn registry_rows(csv_text: &str) -> Result<Vec<Property>, csv::Error> {
    #[derive(Deserialize)]
    struct Row {
        code: String,
        city: String,
        address: String,
        owners: String,
    }
    csv::Reader::from_reader(csv_text.as_bytes())
        .deserialize::<Row>()
        .map(|row| {
            let row = row?;
            Ok(Property {
                code: row.code,
                city: row.city,
                address: row.address,
                owners: row.owners.split(';').map(str::to_owned).collect(),
            })
        })
        .collect()
}

/// The property registry read from a table (the local stand-in for the state system).
#[derive(Debug, Clone)]
pub struct DynamoRegistry {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl DynamoRegistry {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// Loads `rows` unless the table already holds the first of them.
    pub async fn seed(&self, rows: &[Property]) -> anyhow::Result<()> {
        let Some(first) = rows.first() else {
            return Ok(());
        };
        let code = PropertyCode::parse(&first.code)
            .map_err(|_| anyhow::anyhow!("bad property code {}", first.code))?;
        if self.find(&code).await?.is_some() {
            return Ok(());
        }
        for chunk in rows.chunks(25) {
            let mut requests = Vec::new();
            for row in chunk {
                let put = aws_sdk_dynamodb::types::PutRequest::builder()
                    .set_item(Some(serde_dynamo::to_item(row)?))
                    .build()?;
                requests.push(
                    aws_sdk_dynamodb::types::WriteRequest::builder()
                        .put_request(put)
                        .build(),
                );
            }
            let mut pending = HashMap::from([(self.table.clone(), requests)]);
            // Unprocessed items come back under throttling: write them again.
            for _ in 0..10 {
                let out = self
                    .client
                    .batch_write_item()
                    .set_request_items(Some(pending))
                    .send()
                    .await?;
                pending = out.unprocessed_items.unwrap_or_default();
                if pending.values().all(Vec::is_empty) {
                    break;
                }
            }
        }
        Ok(())
    }
}

impl PropertyRegistry for DynamoRegistry {
    type Error = StoreError;

    async fn find(&self, code: &PropertyCode) -> Result<Option<Property>, StoreError> {
        crate::store::get(
            &self.client,
            &self.table,
            crate::store::key("code", code.as_ref()),
        )
        .await
    }
}

/// One housing of a host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HousingRecord {
    pub owner: AccountId,
    pub code: String,
    pub city: String,
    pub address: String,
    /// The technical passport or purchase contract scan (upload id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// RFC 3339, UTC.
    pub added_at: String,
    /// The registration operator who added it, for a legal-entity host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_by: Option<AccountId>,
}

#[derive(Debug, Clone)]
pub struct DynamoHousing {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl DynamoHousing {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// Adds the housing; `Ok(false)` when the host has it already.
    pub async fn add(&self, record: &HousingRecord) -> Result<bool, StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(
                serde_dynamo::to_item(record).doing("adding a host's housing")?,
            ))
            .condition_expression("attribute_not_exists(code)")
            .send()
            .await;
        crate::store::held(result, "adding a host's housing")
            .map(drop)
            .written()
    }

    pub async fn get(
        &self,
        owner: &AccountId,
        code: &PropertyCode,
    ) -> Result<Option<HousingRecord>, StoreError> {
        let mut key = crate::store::key("owner", owner.as_ref());
        key.insert("code".to_owned(), s(code.as_ref()));
        crate::store::get(&self.client, &self.table, key).await
    }

    /// The host's housing, by code.
    pub async fn of_owner(&self, owner: &AccountId) -> Result<Vec<HousingRecord>, StoreError> {
        crate::store::all(
            self.client
                .query()
                .table_name(&self.table)
                .key_condition_expression("#owner = :owner")
                .expression_attribute_names("#owner", "owner")
                .expression_attribute_values(":owner", s(owner.as_ref())),
        )
        .await
    }
}

/// The index key of paid registrations waiting for an operator.
pub const QUEUE_KEY: &str = "ereg#paid";
/// The index key of valid registrations, by last day.
pub const VALID_KEY: &str = "ereg#valid";

/// A registration as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StayRecord {
    pub pk: String,
    pub number: String,
    /// The host.
    pub owner: AccountId,
    /// Counts changes; every write is conditional on the version it read.
    pub version: u64,
    pub status: StayStatus,
    pub payment: PaymentStatus,
    pub fee_minor: u64,
    pub currency: String,
    pub housing_code: String,
    pub city: String,
    pub address: String,
    pub guest: Guest,
    /// Surname and given names, for the archive's name filter.
    pub guest_name: String,
    pub entry_date: Date,
    pub phone: PhoneNumber,
    pub email: EmailAddress,
    pub stay_from: Date,
    pub stay_to: Date,
    pub purpose: Purpose,
    pub passport_scan: String,
    pub photo: String,
    /// What an operator must look at; empty when nothing is flagged.
    #[serde(default)]
    pub flags: Vec<Flag>,
    /// The 14-digit number given on confirmation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_number: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
    /// The operator's account id, or `system` for an automatic confirmation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_reason: Option<String>,
    /// The passport's number: `by_passport`.
    pub passport_key: String,
    /// Set while paid and undecided: `by_queue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queued_at: Option<String>,
    /// Set while valid: `by_expiry`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_key: Option<String>,
}

impl StayRecord {
    pub fn key(number: &str) -> String {
        format!("stay#{number}")
    }

    /// This record moved to `status`, its index keys following.
    pub fn moved_to(&self, status: StayStatus, now: &str) -> StayRecord {
        StayRecord {
            version: self.version + 1,
            status,
            updated_at: now.to_owned(),
            queue_key: (status == StayStatus::Paid).then(|| QUEUE_KEY.to_owned()),
            queued_at: (status == StayStatus::Paid)
                .then(|| self.queued_at.clone().unwrap_or_else(|| now.to_owned())),
            valid_key: (status == StayStatus::Valid).then(|| VALID_KEY.to_owned()),
            ..self.clone()
        }
    }
}

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The host, an operator or an admin.
    Account { id: AccountId, role: String },
    /// The system itself: payments, the automatic confirmation, expiry.
    System,
}

impl Actor {
    fn id(&self) -> String {
        match self {
            Actor::Account { id, .. } => id.to_string(),
            Actor::System => "system".to_owned(),
        }
    }

    fn role(&self) -> String {
        match self {
            Actor::Account { role, .. } => role.clone(),
            Actor::System => "system".to_owned(),
        }
    }
}

/// One entry of the audit trail: who did what to which registration, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// `stay#<number>`.
    pub subject: String,
    /// RFC 3339 and a random suffix: entries sort by time and never collide.
    pub at: String,
    pub actor: String,
    pub actor_role: String,
    /// `submitted`, `paid`, `payment_after_cancel`, `confirmed`, `refused`, `cancelled`
    /// or `expired`.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_status: Option<String>,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl AuditEntry {
    pub fn new(
        record: &StayRecord,
        previous: Option<StayStatus>,
        actor: &Actor,
        action: &str,
        reason: Option<String>,
    ) -> Self {
        AuditEntry {
            subject: StayRecord::key(&record.number),
            at: format!(
                "{}#{}",
                record.updated_at,
                &domain::secrets::random_token()[..8]
            ),
            actor: actor.id(),
            actor_role: actor.role(),
            action: action.to_owned(),
            previous_status: previous.map(|p| p.as_str().to_owned()),
            status: record.status.as_str().to_owned(),
            reason,
        }
    }
}

/// What the archive may be filtered by; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveFilter {
    pub number: Option<String>,
    /// Submitted on or after / on or before (`YYYY-MM-DD`, UTC date of `created_at`).
    pub submitted_from: Option<String>,
    pub submitted_to: Option<String>,
    pub registration_number: Option<String>,
    /// Any part of the full name, case-insensitive.
    pub name: Option<String>,
    pub birth_date: Option<Date>,
    pub passport_country: Option<String>,
    pub passport_number: Option<String>,
    pub housing_code: Option<String>,
    /// Registrations whose period includes this day.
    pub on_date: Option<Date>,
    pub payment: Option<PaymentStatus>,
    pub status: Option<StayStatus>,
}

impl ArchiveFilter {
    pub fn matches(&self, r: &StayRecord) -> bool {
        let eq = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        let day = &r.created_at[..r.created_at.len().min(10)];
        eq(&self.number, &r.number)
            && self
                .submitted_from
                .as_deref()
                .is_none_or(|from| day >= from)
            && self.submitted_to.as_deref().is_none_or(|to| day <= to)
            && self
                .registration_number
                .as_deref()
                .is_none_or(|n| r.registration_number.as_deref() == Some(n))
            && self
                .name
                .as_deref()
                .is_none_or(|n| r.guest_name.contains(&n.trim().to_uppercase()))
            && self.birth_date.is_none_or(|d| r.guest.birth_date == d)
            && eq(&self.passport_country, r.guest.document_country.as_ref())
            && eq(&self.passport_number, r.guest.document_number.as_ref())
            && eq(&self.housing_code, &r.housing_code)
            && self
                .on_date
                .is_none_or(|d| r.stay_from <= d && d <= r.stay_to)
            && self.payment.is_none_or(|p| r.payment == p)
            && self.status.is_none_or(|s| r.status == s)
    }
}

/// One page of an archive and where the next one starts.
#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<StayRecord>,
    pub next: Option<String>,
}

/// The registrations table and the audit trail.
#[derive(Debug, Clone)]
pub struct DynamoStays {
    client: aws_sdk_dynamodb::Client,
    table: String,
    audit: String,
}

impl DynamoStays {
    pub fn new(
        client: aws_sdk_dynamodb::Client,
        table: impl Into<String>,
        audit: impl Into<String>,
    ) -> Self {
        Self {
            client,
            table: table.into(),
            audit: audit.into(),
        }
    }

    pub async fn get(&self, number: &str) -> Result<Option<StayRecord>, StoreError> {
        crate::store::get(
            &self.client,
            &self.table,
            crate::store::key("pk", StayRecord::key(number)),
        )
        .await
    }

    /// The registration that was given `registration_number` on confirmation.
    pub async fn by_registration_number(
        &self,
        registration_number: &str,
    ) -> Result<Option<StayRecord>, StoreError> {
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

    /// A new registration, its audit entry and `extra` (the documents it names), all
    /// or nothing; `Ok(false)` when a condition failed.
    pub async fn create(
        &self,
        record: &StayRecord,
        audit: &AuditEntry,
        extra: Vec<TransactWriteItem>,
    ) -> Result<bool, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(
                serde_dynamo::to_item(record).doing("creating a registration")?,
            ))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .doing("building a registration write")?;
        let mut ops = vec![
            TransactWriteItem::builder().put(put).build(),
            self.audit_op(audit)?,
        ];
        ops.extend(extra);
        crate::store::transact(&self.client, ops).await.written()
    }

    /// Writes `next` over the stored record if that is still at `next.version - 1`,
    /// with its audit entry and `extra`, all or nothing; `Ok(false)` when someone
    /// changed it first (or an extra condition failed).
    pub async fn save(
        &self,
        next: &StayRecord,
        audit: &AuditEntry,
        extra: Vec<TransactWriteItem>,
    ) -> Result<bool, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(
                serde_dynamo::to_item(next).doing("saving a registration")?,
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
        crate::store::transact(&self.client, ops).await.written()
    }

    /// The guard that keeps a registration number unique, for [`Self::save`].
    pub fn registration_number_guard(
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

    /// Every registration of the passport `number`, any status.
    pub async fn of_passport(&self, number: &str) -> Result<Vec<StayRecord>, StoreError> {
        crate::store::all(
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
    pub async fn queue(&self, limit: i32) -> Result<Vec<StayRecord>, StoreError> {
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
        serde_dynamo::from_items(out.items.unwrap_or_default())
            .doing("listing the registrations waiting for a decision")
    }

    /// Valid registrations whose last day is before `today`.
    pub async fn past_their_last_day(&self, today: Date) -> Result<Vec<StayRecord>, StoreError> {
        crate::store::all(
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
                if filter.matches(&record) {
                    items.push(record);
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

/// The key of a record in `by_owner`, as an opaque cursor.
fn cursor_of(record: &StayRecord) -> String {
    use base64::Engine;
    let key = serde_json::json!([record.pk, record.owner.as_ref(), record.created_at]);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.to_string())
}

fn decode_cursor(cursor: &str) -> Option<HashMap<String, AttributeValue>> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let [pk, owner, created]: [String; 3] = serde_json::from_slice(&bytes).ok()?;
    pk.starts_with("stay#").then(|| {
        HashMap::from([
            ("pk".to_owned(), s(pk)),
            ("owner".to_owned(), s(owner)),
            ("created_at".to_owned(), s(created)),
        ])
    })
}

/// Marks a checked document of `owner` as named by a registration, for the transaction
/// that submits it: it fails unless the document is still `owner`'s and checked, and
/// from then on the document cannot be replaced or deleted.
pub fn document_in_use_op(
    documents_table: &str,
    upload_id: &str,
    owner: &AccountId,
) -> Result<TransactWriteItem, StoreError> {
    let update = Update::builder()
        .table_name(documents_table)
        .key("pk", s(crate::documents::record_key(upload_id)))
        .update_expression("SET in_use = :yes")
        .condition_expression("#owner = :owner AND #status = :checked")
        .expression_attribute_names("#owner", "owner")
        .expression_attribute_names("#status", "status")
        .expression_attribute_values(":owner", s(owner.as_ref()))
        .expression_attribute_values(":checked", s("checked"))
        .expression_attribute_values(":yes", AttributeValue::Bool(true))
        .build()
        .doing("building a registration write")?;
    Ok(TransactWriteItem::builder().update(update).build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_registry_parses_with_unique_valid_codes() {
        let rows = registry_rows(REGISTRY_CSV).unwrap();
        assert!(rows.len() >= 300, "{}", rows.len());
        let mut codes: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), rows.len());
        for row in &rows {
            assert!(PropertyCode::parse(&row.code).is_ok(), "{}", row.code);
            assert!(["Бишкек", "Ош"].contains(&row.city.as_str()));
            assert!(row.address.starts_with("г. "), "{}", row.address);
            assert!(!row.owners.is_empty());
        }
        assert!(
            rows.iter()
                .any(|r| r.owners.contains(&"21505199012345".to_owned()))
        );
    }

    #[test]
    fn dates_are_stored_as_iso_days_so_index_ranges_sort_by_day() {
        let day = time::macros::date!(2026 - 11 - 21);
        assert_eq!(
            serde_dynamo::to_attribute_value::<_, AttributeValue>(day).unwrap(),
            s("2026-11-21")
        );
    }

    #[test]
    fn a_cursor_decodes_to_the_key_it_was_made_from() {
        let cursor = {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(r#"["stay#1234567890","acc","2026-11-23T10:00:00Z"]"#)
        };
        let key = decode_cursor(&cursor).unwrap();
        assert_eq!(key["pk"], s("stay#1234567890"));
        assert_eq!(decode_cursor("not base64!"), None);
    }
}
