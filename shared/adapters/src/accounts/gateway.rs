//! The accounts table: one item per account (`account#<id>`) and one guard item per
//! sign-in name and email (`signin#<key>`, `email#<address>`), written in one
//! transaction so that two registrations can never take the same login or email; and
//! the conditional writes the named methods of the other modules are made of.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use domain::EmailAddress;
use domain::account::AccountId;
use serde::Serialize;

use super::records::AccountRecord;
use crate::store::{Doing, StoreError, Taken, reserved_names};

/// The accounts table.
#[derive(Debug, Clone)]
pub struct DynamoAccounts {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

/// A string attribute value.
pub(super) fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

/// A number attribute value.
pub(super) fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn key(pk: String) -> HashMap<String, AttributeValue> {
    HashMap::from([("pk".to_owned(), s(pk))])
}

fn guard(table: &str, pk: String, account: &AccountId) -> Result<Put, StoreError> {
    Put::builder()
        .table_name(table)
        .set_item(Some(HashMap::from([
            ("pk".to_owned(), s(pk)),
            ("account_id".to_owned(), s(account.as_ref())),
        ])))
        .condition_expression("attribute_not_exists(pk)")
        .build()
        .doing("building an accounts write")
}

impl DynamoAccounts {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// Creates the account and its guards, or says which guard is taken
    /// (`StoreError::Taken`).
    pub async fn create(&self, record: &AccountRecord) -> Result<(), StoreError> {
        self.create_claiming(record, None).await
    }

    /// Creates the account as [`Self::create`] does and, in the same transaction,
    /// deletes the registration draft it was made from: the draft's uploads are owned by
    /// the account's id already, so they are the account's from then on. The draft must
    /// still be live and hold that id (else [`Taken::Draft`]).
    pub async fn create_claiming(
        &self,
        record: &AccountRecord,
        draft: Option<&crate::drafts::DraftRecord>,
    ) -> Result<(), StoreError> {
        let item = serde_dynamo::to_item(record).doing("creating an account")?;
        let account = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .doing("building an accounts write")?;
        let sign_in = guard(
            &self.table,
            format!("signin#{}", record.sign_in),
            &record.account_id,
        )?;
        let email = guard(
            &self.table,
            format!("email#{}", record.email),
            &record.account_id,
        )?;
        let mut ops = vec![
            TransactWriteItem::builder().put(account).build(),
            TransactWriteItem::builder().put(sign_in).build(),
            TransactWriteItem::builder().put(email).build(),
        ];
        if let Some(draft) = draft {
            let claim = aws_sdk_dynamodb::types::Delete::builder()
                .table_name(&self.table)
                .set_key(Some(key(draft.pk.clone())))
                .condition_expression(
                    "attribute_exists(pk) AND expires_at > :now AND account_id = :id",
                )
                .expression_attribute_values(
                    ":now",
                    AttributeValue::N(domain::clock::now_secs().to_string()),
                )
                .expression_attribute_values(":id", s(record.account_id.as_ref()))
                .build()
                .doing("building an accounts write")?;
            ops.push(TransactWriteItem::builder().delete(claim).build());
        }
        let failed = crate::store::failed_conditions(&self.client, ops).await?;
        match failed.as_slice() {
            [_, _, true, ..] => Err(StoreError::Taken(Taken::Email)),
            [_, true, ..] => Err(StoreError::Taken(Taken::SignIn)),
            [_, _, _, true] => Err(StoreError::Taken(Taken::Draft)),
            [true, ..] => Err(StoreError::Conflict),
            _ => Ok(()),
        }
    }

    /// The account `id`, read consistently.
    pub async fn get(&self, id: &AccountId) -> Result<Option<AccountRecord>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(AccountRecord::key(id))))
            .consistent_read(true)
            .send()
            .await
            .doing("reading an account")?;
        out.item
            .map(serde_dynamo::from_item)
            .transpose()
            .doing("reading an account")
    }

    /// The account the guard item `guard_pk` points to.
    async fn via_guard(&self, guard_pk: String) -> Result<Option<AccountRecord>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(guard_pk)))
            .consistent_read(true)
            .send()
            .await
            .doing("finding an account by its email or sign-in name")?;
        let id = out
            .item
            .as_ref()
            .and_then(|i| i.get("account_id"))
            .and_then(|v| v.as_s().ok())
            .and_then(|id| AccountId::parse(id));
        match id {
            Some(id) => self.get(&id).await,
            None => Ok(None),
        }
    }

    /// The account whose email is `email`, found through its guard.
    pub async fn find_by_email(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<AccountRecord>, StoreError> {
        self.via_guard(format!("email#{email}")).await
    }

    /// The account whose normalised sign-in key (`email:…`, `login:…`) is
    /// `sign_in_key`, found through its guard.
    pub async fn find_by_sign_in(
        &self,
        sign_in_key: &str,
    ) -> Result<Option<AccountRecord>, StoreError> {
        self.via_guard(format!("signin#{sign_in_key}")).await
    }

    /// Applies `update` to the account if `condition` holds, else
    /// `Err(StoreError::Conflict)`; `doing` says what for, in the log.
    pub(super) async fn update_if(
        &self,
        id: &AccountId,
        doing: &'static str,
        update: &str,
        condition: &str,
        values: Vec<(&str, AttributeValue)>,
    ) -> Result<(), StoreError> {
        let mut request = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(AccountRecord::key(id))))
            .update_expression(update)
            .condition_expression(condition);
        for (placeholder, name) in reserved_names(&[update, condition]) {
            request = request.expression_attribute_names(placeholder, name);
        }
        for (name, value) in values {
            request = request.expression_attribute_values(name, value);
        }
        crate::store::held(request.send().await, doing).map(drop)
    }

    /// A delete of the item `pk` for [`Self::transact`], if `condition` holds.
    pub(super) fn delete_op(
        &self,
        pk: String,
        condition: &str,
        values: Vec<(&str, AttributeValue)>,
    ) -> Result<TransactWriteItem, StoreError> {
        let mut op = aws_sdk_dynamodb::types::Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(pk)))
            .condition_expression(condition);
        for (placeholder, name) in reserved_names(&[condition]) {
            op = op.expression_attribute_names(placeholder, name);
        }
        for (name, value) in values {
            op = op.expression_attribute_values(name, value);
        }
        op.build()
            .map(|d| TransactWriteItem::builder().delete(d).build())
            .doing("building an accounts write")
    }

    /// Items waiting under `status_key` in the `by_status` index, oldest first.
    pub(crate) async fn waiting<T: serde::de::DeserializeOwned>(
        &self,
        status_key: &str,
        limit: i32,
    ) -> Result<Vec<T>, StoreError> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .index_name("by_status")
            .key_condition_expression("status_key = :key")
            .expression_attribute_values(":key", s(status_key))
            .scan_index_forward(true)
            .limit(limit)
            .send()
            .await
            .doing("listing the accounts waiting for an operator")?;
        serde_dynamo::from_items(out.items.unwrap_or_default())
            .doing("listing the accounts waiting for an operator")
    }

    /// Any item of the table by its key, as `T`.
    pub(crate) async fn get_item<T: serde::de::DeserializeOwned>(
        &self,
        pk: String,
    ) -> Result<Option<T>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(pk)))
            .consistent_read(true)
            .send()
            .await
            .doing("reading an item of the accounts table")?;
        out.item
            .map(serde_dynamo::from_item)
            .transpose()
            .doing("reading an item of the accounts table")
    }

    /// A put of `item` for [`Self::transact`], if `condition` holds.
    pub(crate) fn put_op(
        &self,
        item: &impl Serialize,
        condition: &str,
    ) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(
                serde_dynamo::to_item(item).doing("preparing a write to the accounts table")?,
            ))
            .condition_expression(condition)
            .build()
            .doing("building an accounts write")?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    /// An update of the item `pk` for [`Self::transact`], if `condition` holds.
    pub(crate) fn update_op(
        &self,
        pk: String,
        update: &str,
        condition: &str,
        values: Vec<(&str, AttributeValue)>,
    ) -> Result<TransactWriteItem, StoreError> {
        let mut op = aws_sdk_dynamodb::types::Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(pk)))
            .update_expression(update)
            .condition_expression(condition);
        for (placeholder, name) in reserved_names(&[update, condition]) {
            op = op.expression_attribute_names(placeholder, name);
        }
        for (name, value) in values {
            op = op.expression_attribute_values(name, value);
        }
        let op = op.build().doing("building an accounts write")?;
        Ok(TransactWriteItem::builder().update(op).build())
    }

    /// Writes all or nothing; `Err(StoreError::Conflict)` when a condition did not hold.
    pub(crate) async fn transact(&self, ops: Vec<TransactWriteItem>) -> Result<(), StoreError> {
        crate::store::transact(&self.client, ops).await
    }
}

/// Any serialisable value as an attribute value, for update expressions.
pub(super) fn to_attribute(value: &impl Serialize) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(value).doing("converting a value for an accounts update")
}

impl domain::ports::Contacts for DynamoAccounts {
    async fn contact(&self, id: &AccountId) -> Result<Option<domain::ports::Contact>, StoreError> {
        Ok(self.get(id).await?.map(|account| domain::ports::Contact {
            email: account.email,
            phone: account.phone,
            lang: account.lang,
        }))
    }
}
