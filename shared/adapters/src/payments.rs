//! Payment orders and their settlement. An application has at most one open order;
//! asking again gives the same one until it expires. Every processor event is recorded
//! once, in an append-only ledger keyed by its event id, in the same transaction as the
//! change it makes to its order; what follows (the application paid, the receipt) is
//! idempotent and runs again for a duplicate, so a crash between the two loses nothing.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use domain::Code;
use domain::account::AccountId;
use domain::clock::{now_rfc3339, now_secs};
use domain::notification::{Recipient, Template};
use domain::payment::{EventStatus, ProcessorEvent};
use domain::ports::{PaymentProcessor, PaymentSession};
use domain::stay::PaymentStatus;
use serde::{Deserialize, Serialize};

use crate::accounts::DynamoAccounts;
use crate::queue::SqsNotificationQueue;
use crate::registrations::{MoveError, Payment, Registrations};
use crate::store::{Doing, StoreError, Written};

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Waiting for the payer, until `expires_at`.
    Pending,
    Paid,
    /// Its session ended unpaid.
    Expired,
}

/// The index key of pending orders.
pub const PENDING_KEY: &str = "pending";
/// The index key of flagged orders.
pub const FLAG_KEY: &str = "flagged";

/// A payment order as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRecord {
    pub pk: String,
    pub order_number: String,
    /// The application the fee is for.
    pub application: String,
    pub owner: AccountId,
    pub amount_minor: u64,
    pub currency: String,
    pub status: OrderStatus,
    /// Every write is conditional on the version read.
    pub version: u64,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// Seconds since the epoch.
    pub expires_at: u64,
    pub checkout_url: String,
    /// The event that paid it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_at: Option<String>,
    /// Money came that must go back (late, or for a cancelled application).
    #[serde(default)]
    pub refund_due: bool,
    /// What an operator must look at: `payment_mismatch`, `paid_after_expiry`,
    /// `paid_after_cancellation`.
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag_key: Option<String>,
}

impl OrderRecord {
    pub fn key(order_number: &str) -> String {
        format!("order#{order_number}")
    }

    fn next(&self) -> OrderRecord {
        let mut next = self.clone();
        next.version += 1;
        next
    }

    fn flag(&mut self, code: Code) {
        let code = code.as_str().to_owned();
        if !self.flags.contains(&code) {
            self.flags.push(code);
        }
        self.flag_key = Some(FLAG_KEY.to_owned());
    }

    fn set_status(&mut self, status: OrderStatus) {
        self.status = status;
        self.status_key = (status == OrderStatus::Pending).then(|| PENDING_KEY.to_owned());
    }
}

/// One processor event as the ledger keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// `event#<event id>`.
    pub pk: String,
    #[serde(flatten)]
    pub event: ProcessorEvent,
    /// RFC 3339, UTC.
    pub received_at: String,
    /// What it did: `settled`, `duplicate_success`, `failed`, `failure_after_success`,
    /// `wrong_amount`, `late`, `unknown_order`.
    pub outcome: String,
}

impl LedgerEntry {
    pub fn key(event_id: &str) -> String {
        format!("event#{event_id}")
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

    pub async fn order(&self, order_number: &str) -> Result<Option<OrderRecord>, StoreError> {
        self.get_item(OrderRecord::key(order_number)).await
    }

    pub async fn ledger_entry(&self, event_id: &str) -> Result<Option<LedgerEntry>, StoreError> {
        self.get_item(LedgerEntry::key(event_id)).await
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
        serde_dynamo::from_items(items).doing("reading an order's ledger entries")
    }

    /// The order the application's guard names, if any: open (pending and not past its
    /// expiry) or not.
    pub async fn latest_order_of(
        &self,
        application: &str,
    ) -> Result<Option<OrderRecord>, StoreError> {
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
    /// made meanwhile (`Ok(false)`); `replacing` is the expired order it takes over from.
    pub async fn create_order(
        &self,
        order: &OrderRecord,
        replacing: Option<&str>,
    ) -> Result<bool, StoreError> {
        let order_put = self.put(order, "attribute_not_exists(pk)")?;
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
        .written()
    }

    /// Writes `next` if the stored order is still at `next.version - 1`, with `ledger` (if
    /// any, only if its event is new), all or nothing.
    pub async fn save(
        &self,
        next: &OrderRecord,
        ledger: Option<&LedgerEntry>,
    ) -> Result<bool, StoreError> {
        let order = Put::builder()
            .table_name(&self.table)
            .set_item(Some(
                serde_dynamo::to_item(next).doing("saving a payment order")?,
            ))
            .condition_expression("version = :read")
            .expression_attribute_values(":read", AttributeValue::N((next.version - 1).to_string()))
            .build()
            .doing("building a payments write")?;
        let mut ops = vec![TransactWriteItem::builder().put(order).build()];
        if let Some(entry) = ledger {
            ops.push(
                TransactWriteItem::builder()
                    .put(self.put(entry, "attribute_not_exists(pk)")?)
                    .build(),
            );
        }
        crate::store::transact(&self.client, ops).await.written()
    }

    /// Records an event that changes no order; `Ok(false)` when it was recorded before.
    pub async fn record(&self, entry: &LedgerEntry) -> Result<bool, StoreError> {
        crate::store::transact(
            &self.client,
            vec![
                TransactWriteItem::builder()
                    .put(self.put(entry, "attribute_not_exists(pk)")?)
                    .build(),
            ],
        )
        .await
        .written()
    }

    /// Pending orders whose session ended before `now`.
    pub async fn pending_expired(&self, now: u64) -> Result<Vec<OrderRecord>, StoreError> {
        crate::store::all(
            self.client
                .query()
                .table_name(&self.table)
                .index_name("by_pending")
                .key_condition_expression("status_key = :pending AND expires_at < :now")
                .expression_attribute_values(":pending", s(PENDING_KEY))
                .expression_attribute_values(":now", AttributeValue::N(now.to_string())),
        )
        .await
    }

    /// Orders an operator must look at, oldest first.
    pub async fn flagged(&self, limit: i32) -> Result<Vec<OrderRecord>, StoreError> {
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
        serde_dynamo::from_items(out.items.unwrap_or_default())
            .doing("listing flagged payment orders")
    }
}

/// Why an order could not be had.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    #[error("refused: {0}")]
    Refused(Code),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the processor: {0}")]
    Processor(String),
}

/// What settling one event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    pub outcome: String,
    /// False when the event had been recorded before (a duplicate delivery).
    pub first_time: bool,
}

/// Orders, settlement and reconciliation over the payments table, the processor port
/// and the registrations the fees are for.
#[derive(Debug, Clone)]
pub struct Payments<P> {
    pub store: DynamoPayments,
    processor: P,
    registrations: Registrations,
    accounts: DynamoAccounts,
    notifications: SqsNotificationQueue,
}

/// How often a settlement is tried again when another writer got in first.
const RETRIES: usize = 8;

impl<P: PaymentProcessor> Payments<P> {
    pub fn new(
        store: DynamoPayments,
        processor: P,
        registrations: Registrations,
        accounts: DynamoAccounts,
        notifications: SqsNotificationQueue,
    ) -> Self {
        Self {
            store,
            processor,
            registrations,
            accounts,
            notifications,
        }
    }

    /// The open order of an ereg registration `owner` owns and has not paid, or a new one
    /// (20 minutes) with the processor's checkout URL.
    pub async fn order_for_registration(
        &self,
        owner: &AccountId,
        application: &str,
    ) -> Result<OrderRecord, OrderError> {
        let registration = self
            .registrations
            .stays
            .get(application)
            .await?
            .filter(|r| &r.owner == owner)
            .ok_or(OrderError::Refused(Code::RegistrationNotFound))?;
        if registration.status != domain::stay::StayStatus::AwaitingPayment
            || registration.payment != PaymentStatus::Unpaid
        {
            return Err(OrderError::Refused(Code::NotPayable));
        }
        for _ in 0..3 {
            let now = now_secs();
            let latest = self.store.latest_order_of(application).await?;
            if let Some(open) = latest
                .as_ref()
                .filter(|o| o.status == OrderStatus::Pending && o.expires_at > now)
            {
                return Ok(open.clone());
            }
            let replacing = latest.map(|o| o.order_number);
            let order_number = domain::payment::order_number(application, now);
            let expires_at = now + domain::payment::EREG_PAYMENT_SECS;
            let checkout_url = self
                .processor
                .open_session(&PaymentSession {
                    order_number: order_number.clone(),
                    amount_minor: registration.fee_minor,
                    currency: registration.currency.clone(),
                    expires_at,
                    description: format!("ereg {application}"),
                })
                .await
                .map_err(|e| OrderError::Processor(e.to_string()))?;
            let order = OrderRecord {
                pk: OrderRecord::key(&order_number),
                order_number,
                application: application.to_owned(),
                owner: owner.clone(),
                amount_minor: registration.fee_minor,
                currency: registration.currency.clone(),
                status: OrderStatus::Pending,
                version: 1,
                created_at: now_rfc3339(),
                expires_at,
                checkout_url,
                paid_event: None,
                paid_at: None,
                refund_due: false,
                flags: Vec::new(),
                status_key: Some(PENDING_KEY.to_owned()),
                flag_key: None,
            };
            if self
                .store
                .create_order(&order, replacing.as_deref())
                .await?
            {
                return Ok(order);
            }
            // Another request made one meanwhile (or in the same second): take that.
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        Err(OrderError::Refused(Code::NotPayable))
    }

    /// Settles one processor event, once however often it comes.
    pub async fn settle(&self, event: &ProcessorEvent) -> Result<Settled, MoveError> {
        for _ in 0..RETRIES {
            if let Some(recorded) = self.store.ledger_entry(&event.event_id).await? {
                if let Some(order) = self.store.order(&event.order_number).await? {
                    self.follow_up(event, &order).await?;
                }
                return Ok(Settled {
                    outcome: recorded.outcome,
                    first_time: false,
                });
            }
            let entry = |outcome: &str| LedgerEntry {
                pk: LedgerEntry::key(&event.event_id),
                event: event.clone(),
                received_at: now_rfc3339(),
                outcome: outcome.to_owned(),
            };
            let Some(order) = self.store.order(&event.order_number).await? else {
                let entry = entry("unknown_order");
                self.store.record(&entry).await?;
                tracing::warn!(event = %event.event_id, "processor event for an unknown order");
                return Ok(Settled {
                    outcome: entry.outcome,
                    first_time: true,
                });
            };
            let mut next = order.next();
            let outcome = match event.status {
                EventStatus::Failed if order.status == OrderStatus::Paid => "failure_after_success",
                EventStatus::Failed => "failed",
                EventStatus::Succeeded
                    if event.amount_minor != order.amount_minor
                        || event.currency != order.currency =>
                {
                    next.flag(Code::PaymentMismatch);
                    "wrong_amount"
                }
                EventStatus::Succeeded if order.status == OrderStatus::Paid => "duplicate_success",
                EventStatus::Succeeded
                    if order.status == OrderStatus::Expired
                        || event.occurred_at > order.expires_at =>
                {
                    next.refund_due = true;
                    next.flag(Code::PaidAfterExpiry);
                    if order.status == OrderStatus::Pending {
                        next.set_status(OrderStatus::Expired);
                    }
                    "late"
                }
                EventStatus::Succeeded => {
                    next.set_status(OrderStatus::Paid);
                    next.paid_event = Some(event.event_id.clone());
                    next.paid_at = Some(now_rfc3339());
                    "settled"
                }
            };
            let entry = entry(outcome);
            let changed = next.flags != order.flags || next.status != order.status;
            let written = if changed {
                self.store.save(&next, Some(&entry)).await?
            } else {
                self.store.record(&entry).await?
            };
            if written {
                self.follow_up(event, if changed { &next } else { &order })
                    .await?;
                return Ok(Settled {
                    outcome: entry.outcome,
                    first_time: true,
                });
            }
            // The order changed or the event was recorded meanwhile: read again.
        }
        Err(MoveError::Refused(Code::AlreadyDecided))
    }

    /// What follows a settled payment, idempotent: the application paid and the receipt.
    /// `order` is the event's order as it stands after the event.
    async fn follow_up(
        &self,
        event: &ProcessorEvent,
        order: &OrderRecord,
    ) -> Result<(), MoveError> {
        if order.paid_event.as_deref() != Some(event.event_id.as_str()) {
            return Ok(());
        }
        let registration = self
            .registrations
            .record_payment(
                &order.application,
                &Payment {
                    amount_minor: order.amount_minor,
                    currency: order.currency.clone(),
                },
            )
            .await?;
        if registration.payment == PaymentStatus::RefundDue
            && !order
                .flags
                .contains(&Code::PaidAfterCancellation.as_str().to_owned())
        {
            for _ in 0..RETRIES {
                let Some(current) = self.store.order(&order.order_number).await? else {
                    break;
                };
                let mut next = current.next();
                next.refund_due = true;
                next.flag(Code::PaidAfterCancellation);
                if next.flags == current.flags || self.store.save(&next, None).await? {
                    break;
                }
            }
        }
        if let Some(host) = self.accounts.get(&order.owner).await? {
            let template = Template::PaymentReceived {
                application: order.application.clone(),
                order_number: order.order_number.clone(),
                amount: format!(
                    "{} {}",
                    domain::payment::amount_text(order.amount_minor),
                    order.currency
                ),
            };
            let to = Recipient {
                email: Some(host.email.clone()),
                phone: None,
            };
            self.notifications
                .notify(
                    &format!("payment-received:{}", order.order_number),
                    host.lang,
                    to,
                    template,
                )
                .await
                .map_err(MoveError::Notify)?;
        }
        Ok(())
    }

    /// Asks the processor about every pending order past its expiry: a payment it knows
    /// of is settled as its webhook would have; the rest expire. How many of each.
    pub async fn reconcile(&self, now: u64) -> Result<(usize, usize), MoveError> {
        let (mut settled, mut expired) = (0, 0);
        for order in self.store.pending_expired(now).await? {
            let event = self
                .processor
                .status(&order.order_number)
                .await
                .map_err(|e| MoveError::Processor(e.to_string()))?;
            match event {
                Some(event) if event.status == EventStatus::Succeeded => {
                    // Boxed: settling nests deep futures (payment, confirmation, notice).
                    Box::pin(self.settle(&event)).await?;
                    settled += 1;
                }
                _ => {
                    let mut next = order.next();
                    next.set_status(OrderStatus::Expired);
                    if self.store.save(&next, None).await? {
                        expired += 1;
                    }
                }
            }
        }
        Ok((settled, expired))
    }
}
