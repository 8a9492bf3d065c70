//! Payment orders and the ledger of processor events in DynamoDB. An application's
//! open order is guarded by an `open#<application>` item; every processor event is
//! recorded once under `event#<event id>`, in the same transaction as the change it makes
//! to its order. Settlement and reconciliation themselves are use cases
//! ([`use_cases::payments`]); this is their store, and the queue that carries the
//! processor's events to them.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use domain::payment::{LedgerEntry, Order, OrderStatus};
use domain::ports::payments::OrderStore;
use serde::{Deserialize, Serialize};

use crate::store::{Doing, StoreError};

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

/// Orders, settlement and reconciliation wired over DynamoDB, the local processor, the
/// accounts' contacts and the notifications queue.
#[cfg(feature = "processor")]
pub type Payments = use_cases::payments::Payments<
    DynamoPayments,
    crate::processor::LocalProcessor,
    crate::stays::DynamoStays,
    crate::accounts::DynamoAccounts,
    crate::queue::SqsNotificationQueue,
    crate::ework::ApplicationLifecycle,
>;

/// The index key of pending orders.
const PENDING_KEY: &str = "pending";
/// The index key of flagged orders.
const FLAG_KEY: &str = "flagged";

/// A payment order as stored: the order and the keys of the table and its indexes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRecord {
    /// `order#<order number>`.
    pub pk: String,
    #[serde(flatten)]
    pub order: Order,
    /// Set while pending: `by_pending`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_key: Option<String>,
    /// Set once flagged: `by_flag`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag_key: Option<String>,
}

impl OrderRecord {
    /// The table key of order `order_number`.
    pub fn key(order_number: &str) -> String {
        format!("order#{order_number}")
    }
}

/// The record of `order`, its index keys following its status and flags.
impl From<&Order> for OrderRecord {
    fn from(order: &Order) -> Self {
        OrderRecord {
            pk: OrderRecord::key(&order.order_number),
            status_key: (order.status == OrderStatus::Pending).then(|| PENDING_KEY.to_owned()),
            flag_key: (!order.flags.is_empty()).then(|| FLAG_KEY.to_owned()),
            order: order.clone(),
        }
    }
}

/// One processor event as the ledger stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerRecord {
    /// `event#<event id>`.
    pub pk: String,
    #[serde(flatten)]
    pub entry: LedgerEntry,
}

impl LedgerRecord {
    /// The table key of the event `event_id`.
    pub fn key(event_id: &str) -> String {
        format!("event#{event_id}")
    }
}

impl From<&LedgerEntry> for LedgerRecord {
    fn from(entry: &LedgerEntry) -> Self {
        LedgerRecord {
            pk: LedgerRecord::key(&entry.event.event_id),
            entry: entry.clone(),
        }
    }
}

/// The payments table.
#[derive(Debug, Clone)]
pub struct DynamoPayments {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl DynamoPayments {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    async fn get_item<T: serde::de::DeserializeOwned>(
        &self,
        pk: String,
    ) -> Result<Option<T>, StoreError> {
        crate::store::get(&self.client, &self.table, crate::store::key("pk", pk)).await
    }

    /// The order `order_number`.
    pub async fn order(&self, order_number: &str) -> Result<Option<Order>, StoreError> {
        let record: Option<OrderRecord> = self.get_item(OrderRecord::key(order_number)).await?;
        Ok(record.map(|r| r.order))
    }

    /// The ledger entry of the event `event_id`.
    pub async fn ledger_entry(&self, event_id: &str) -> Result<Option<LedgerEntry>, StoreError> {
        let record: Option<LedgerRecord> = self.get_item(LedgerRecord::key(event_id)).await?;
        Ok(record.map(|r| r.entry))
    }

    /// Every ledger entry of an order (a scan: for tests and support, not hot paths).
    pub async fn ledger_of(&self, order_number: &str) -> Result<Vec<LedgerEntry>, StoreError> {
        let items = self
            .client
            .scan()
            .table_name(&self.table)
            .filter_expression("begins_with(pk, :event) AND order_number = :order")
            .expression_attribute_values(":event", s("event#"))
            .expression_attribute_values(":order", s(order_number))
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .doing("reading an order's ledger entries")?;
        let records: Vec<LedgerRecord> =
            serde_dynamo::from_items(items).doing("reading an order's ledger entries")?;
        Ok(records.into_iter().map(|r| r.entry).collect())
    }

    /// The order the application's guard names, if any: open (pending and not past its
    /// expiry) or not.
    pub async fn latest_order_of(&self, application: &str) -> Result<Option<Order>, StoreError> {
        #[derive(Deserialize)]
        struct Guard {
            order_number: String,
        }
        let Some(guard) = self
            .get_item::<Guard>(format!("open#{application}"))
            .await?
        else {
            return Ok(None);
        };
        self.order(&guard.order_number).await
    }

    fn put(&self, item: &impl Serialize, condition: &str) -> Result<Put, StoreError> {
        Put::builder()
            .table_name(&self.table)
            .set_item(Some(
                serde_dynamo::to_item(item).doing("preparing a write to the payments table")?,
            ))
            .condition_expression(condition)
            .build()
            .doing("building a payments write")
    }

    /// Stores a new order as the application's open one, unless another open order was
    /// made meanwhile (`Err(StoreError::Conflict)`); `replacing` is the expired order it
    /// takes over from.
    pub async fn open_order(
        &self,
        order: &Order,
        replacing: Option<&str>,
    ) -> Result<(), StoreError> {
        let order_put = self.put(&OrderRecord::from(order), "attribute_not_exists(pk)")?;
        let guard = HashMap::from([
            ("pk".to_owned(), s(format!("open#{}", order.application))),
            ("order_number".to_owned(), s(&order.order_number)),
        ]);
        let mut guard_put = Put::builder().table_name(&self.table).set_item(Some(guard));
        guard_put = match replacing {
            None => guard_put.condition_expression("attribute_not_exists(pk)"),
            Some(old) => guard_put
                .condition_expression("order_number = :old")
                .expression_attribute_values(":old", s(old)),
        };
        let guard_put = guard_put.build().doing("building a payments write")?;
        crate::store::transact(
            &self.client,
            vec![
                TransactWriteItem::builder().put(order_put).build(),
                TransactWriteItem::builder().put(guard_put).build(),
            ],
        )
        .await
    }

    /// Writes `next` if the stored order is still at `next.version - 1`, with `ledger` (if
    /// any, only if its event is new), all or nothing; `Err(StoreError::Conflict)` when
    /// either condition did not hold.
    pub async fn save_order(
        &self,
        next: &Order,
        ledger: Option<&LedgerEntry>,
    ) -> Result<(), StoreError> {
        let order = Put::builder()
            .table_name(&self.table)
            .set_item(Some(
                serde_dynamo::to_item(OrderRecord::from(next)).doing("saving a payment order")?,
            ))
            .condition_expression("version = :read")
            .expression_attribute_values(":read", AttributeValue::N((next.version - 1).to_string()))
            .build()
            .doing("building a payments write")?;
        let mut ops = vec![TransactWriteItem::builder().put(order).build()];
        if let Some(entry) = ledger {
            ops.push(
                TransactWriteItem::builder()
                    .put(self.put(&LedgerRecord::from(entry), "attribute_not_exists(pk)")?)
                    .build(),
            );
        }
        crate::store::transact(&self.client, ops).await
    }

    /// Records an event that changes no order; `Err(StoreError::Conflict)` when it was
    /// recorded before.
    pub async fn record_event(&self, entry: &LedgerEntry) -> Result<(), StoreError> {
        crate::store::transact(
            &self.client,
            vec![
                TransactWriteItem::builder()
                    .put(self.put(&LedgerRecord::from(entry), "attribute_not_exists(pk)")?)
                    .build(),
            ],
        )
        .await
    }

    /// Pending orders whose session ended before `now`.
    pub async fn pending_expired(&self, now: u64) -> Result<Vec<Order>, StoreError> {
        let records: Vec<OrderRecord> = crate::store::all(
            self.client
                .query()
                .table_name(&self.table)
                .index_name("by_pending")
                .key_condition_expression("status_key = :pending AND expires_at < :now")
                .expression_attribute_values(":pending", s(PENDING_KEY))
                .expression_attribute_values(":now", AttributeValue::N(now.to_string())),
        )
        .await?;
        Ok(records.into_iter().map(|r| r.order).collect())
    }

    /// Orders an operator must look at, oldest first.
    pub async fn flagged(&self, limit: i32) -> Result<Vec<Order>, StoreError> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .index_name("by_flag")
            .key_condition_expression("flag_key = :flagged")
            .expression_attribute_values(":flagged", s(FLAG_KEY))
            .limit(limit)
            .send()
            .await
            .doing("listing flagged payment orders")?;
        let records: Vec<OrderRecord> = serde_dynamo::from_items(out.items.unwrap_or_default())
            .doing("listing flagged payment orders")?;
        Ok(records.into_iter().map(|r| r.order).collect())
    }
}

/// Each future is boxed: the SDK's futures nest deep, and the use cases nest them
/// further, past what the compiler lays out by default.
impl OrderStore for DynamoPayments {
    async fn order(&self, order_number: &str) -> Result<Option<Order>, StoreError> {
        Box::pin(DynamoPayments::order(self, order_number)).await
    }

    async fn latest_order_of(&self, application: &str) -> Result<Option<Order>, StoreError> {
        Box::pin(DynamoPayments::latest_order_of(self, application)).await
    }

    async fn open_order(&self, order: &Order, replacing: Option<&str>) -> Result<(), StoreError> {
        Box::pin(DynamoPayments::open_order(self, order, replacing)).await
    }

    async fn ledger_entry(&self, event_id: &str) -> Result<Option<LedgerEntry>, StoreError> {
        Box::pin(DynamoPayments::ledger_entry(self, event_id)).await
    }

    async fn record_event(&self, entry: &LedgerEntry) -> Result<(), StoreError> {
        Box::pin(DynamoPayments::record_event(self, entry)).await
    }

    async fn save_order(
        &self,
        next: &Order,
        entry: Option<&LedgerEntry>,
    ) -> Result<(), StoreError> {
        Box::pin(DynamoPayments::save_order(self, next, entry)).await
    }

    async fn pending_expired(&self, now: u64) -> Result<Vec<Order>, StoreError> {
        Box::pin(DynamoPayments::pending_expired(self, now)).await
    }
}

/// Puts the processor's verified events on the payments queue, for settlement.
#[cfg(feature = "sqs")]
#[derive(Debug, Clone)]
pub struct SqsPaymentEvents {
    client: aws_sdk_sqs::Client,
    url: String,
}

#[cfg(feature = "sqs")]
impl SqsPaymentEvents {
    /// The queue at `url`.
    pub fn new(client: aws_sdk_sqs::Client, url: impl Into<String>) -> Self {
        Self {
            client,
            url: url.into(),
        }
    }

    /// Enqueues one event as the processor sent it (its raw body).
    pub async fn enqueue(&self, body: String) -> Result<(), domain::PortFailure> {
        self.client
            .send_message()
            .queue_url(&self.url)
            .message_body(body)
            .send()
            .await
            .map_err(|err| {
                domain::PortFailure::new(
                    "putting a processor event on the payments queue",
                    aws_sdk_sqs::error::DisplayErrorContext(&err).to_string(),
                )
            })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use domain::account::AccountId;
    use domain::payment::{EventStatus, NewOrder, ProcessorEvent, Settlement};

    use super::*;

    fn order() -> Order {
        Order::pending(
            NewOrder {
                order_number: "9754336625_1800000000".into(),
                application: "9754336625".into(),
                owner: AccountId::new(),
                amount: domain::stay::fee(),
                expires_at: 1_800_001_200,
                checkout_url: "https://processor/checkout".into(),
            },
            "2026-11-23T10:00:00Z",
        )
    }

    fn names(item: &HashMap<String, AttributeValue>) -> Vec<&str> {
        let mut names: Vec<&str> = item.keys().map(String::as_str).collect();
        names.sort();
        names
    }

    #[test]
    fn an_order_keeps_its_stored_attribute_names_and_index_keys() {
        let pending = order();
        let item: HashMap<String, AttributeValue> =
            serde_dynamo::to_item(OrderRecord::from(&pending)).unwrap();
        assert_eq!(
            names(&item),
            [
                "amount_minor",
                "application",
                "checkout_url",
                "created_at",
                "currency",
                "expires_at",
                "flags",
                "order_number",
                "owner",
                "pk",
                "refund_due",
                "status",
                "status_key",
                "version"
            ]
        );
        assert_eq!(item["pk"], s("order#9754336625_1800000000"));
        assert_eq!(item["status_key"], s(PENDING_KEY));
        assert_eq!(item["expires_at"], AttributeValue::N("1800001200".into()));
        let read: OrderRecord = serde_dynamo::from_item(item).unwrap();
        assert_eq!(read.order, pending);
        let lapsed = OrderRecord::from(&pending.lapsed());
        assert_eq!((lapsed.status_key, lapsed.flag_key), (None, None));
        let flagged = OrderRecord::from(&pending.paid_after_cancellation().unwrap());
        assert_eq!(flagged.flag_key.as_deref(), Some(FLAG_KEY));
    }

    #[test]
    fn a_ledger_entry_keeps_the_event_flat_and_its_outcome_by_name() {
        let entry = LedgerEntry {
            event: ProcessorEvent {
                event_id: "evt_1".into(),
                order_number: "9754336625_1800000000".into(),
                status: EventStatus::Succeeded,
                amount_minor: 10_300,
                currency: "KGS".into(),
                occurred_at: 1_800_000_100,
            },
            received_at: "2026-11-23T10:00:00Z".into(),
            outcome: Settlement::WrongAmount,
        };
        let item: HashMap<String, AttributeValue> =
            serde_dynamo::to_item(LedgerRecord::from(&entry)).unwrap();
        assert_eq!(
            names(&item),
            [
                "amount_minor",
                "currency",
                "event_id",
                "occurred_at",
                "order_number",
                "outcome",
                "pk",
                "received_at",
                "status"
            ]
        );
        assert_eq!(item["outcome"], s("wrong_amount"));
        assert_eq!(item["pk"], s("event#evt_1"));
        let read: LedgerRecord = serde_dynamo::from_item(item).unwrap();
        assert_eq!(read.entry, entry);
    }
}
