//! Accounts in DynamoDB. One item per account (`account#<id>`) and one guard item per
//! sign-in name and email (`signin#<key>`, `email#<address>`), written in one
//! transaction so that two registrations can never take the same login or email.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use domain::account::registration::Profile;
use domain::account::{AccountId, AccountStatus, AccountType};
use domain::second_factor::SecondFactor;
use domain::{EmailAddress, Lang, PhoneNumber};
use serde::{Deserialize, Serialize};

use crate::store::{Doing, StoreError, Taken, Written, reserved_names};

/// A one-time secret sent to the account holder: an activation code or an email link.
/// Only its keyed digest is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimeSecret {
    pub digest: String,
    /// Seconds since the epoch.
    pub sent_at: u64,
    pub expires_at: u64,
    /// Wrong answers so far.
    pub attempts: u32,
    /// When it was used; a used link answers again as used, a used code never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_at: Option<u64>,
}

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountRecord {
    pub pk: String,
    pub account_id: AccountId,
    #[serde(rename = "type")]
    pub kind: AccountType,
    pub status: AccountStatus,
    /// The normalised sign-in key (`email:<address>` or `login:<login>`).
    pub sign_in: String,
    pub email: EmailAddress,
    pub phone: PhoneNumber,
    pub lang: Lang,
    pub password_hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin_hash: Option<String>,
    /// Wrong PINs in a row, and when the last was given (seconds since the epoch):
    /// past five, each further attempt waits longer, as sign-in does.
    #[serde(default)]
    pub pin_failures: u32,
    #[serde(default)]
    pub pin_failed_at: u64,
    pub profile: Profile,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    /// Set while an operator must act (`ework#awaiting_activation`); the `by_status` index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_link: Option<OneTimeSecret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation_code: Option<OneTimeSecret>,
    /// Sessions created under an older epoch are ended ("sign out everywhere",
    /// password change or reset).
    #[serde(default)]
    pub session_epoch: u64,
    /// The operator's activation or refusal (e-work).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// Who created the account, when it was not self-registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<AccountId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_factor: Option<SecondFactor>,
    /// The seed of an authenticator enrolment not yet confirmed with a code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp_pending: Option<String>,
    /// The last authenticator time step accepted: each code works once.
    #[serde(default)]
    pub totp_last_step: u64,
    /// A new phone number waiting for the code sent to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_change: Option<PhoneChange>,
    /// The id of the change request waiting for an operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_change: Option<String>,
    /// Counts approved profile changes: a change request applies only to the version
    /// it was made from.
    #[serde(default)]
    pub profile_version: u64,
}

/// The signed-in account, as its holder may see it.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccountSummary {
    pub account_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    pub email: String,
    pub phone: String,
    pub lang: String,
    /// The holder's name, or the representative's for an employer.
    pub name: String,
    /// The identity document, its number masked (`AC***67`), when the account has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// `totp` or `sms` when sign-in asks for a second factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_factor: Option<String>,
    /// RFC 3339, UTC.
    pub registered_at: String,
}

impl From<&AccountRecord> for AccountSummary {
    fn from(account: &AccountRecord) -> Self {
        let document = account.profile.identity().map(|identity| {
            format!(
                "{} {}",
                identity.document_country,
                identity.document_number.masked()
            )
        });
        AccountSummary {
            account_id: account.account_id.to_string(),
            kind: account.kind.as_str().to_owned(),
            status: account.status.as_str().to_owned(),
            email: account.email.to_string(),
            phone: account.phone.to_string(),
            lang: account.lang.as_str().to_owned(),
            name: account.profile.display_name(),
            document,
            second_factor: account
                .second_factor
                .as_ref()
                .map(|f| f.method().to_owned()),
            registered_at: account.created_at.clone(),
        }
    }
}

/// An operator's decision on an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub by: AccountId,
    /// RFC 3339, UTC.
    pub at: String,
    pub outcome: AccountStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A phone number change waiting for its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneChange {
    pub phone: PhoneNumber,
    pub code: OneTimeSecret,
    /// Codes sent on `day` (days since the epoch): resends are capped per day, and wrong
    /// tries carry over to the next code of the same day.
    #[serde(default)]
    pub sends: u32,
    #[serde(default)]
    pub day: u64,
}

/// What every new account starts with.
pub struct NewAccount {
    pub kind: AccountType,
    pub status: AccountStatus,
    pub sign_in: String,
    pub email: EmailAddress,
    pub phone: PhoneNumber,
    pub lang: Lang,
    pub password_hash: String,
    pub profile: Profile,
    pub created_by: Option<AccountId>,
}

impl AccountRecord {
    pub fn key(id: &AccountId) -> String {
        format!("account#{id}")
    }

    /// A new account with a fresh id and nothing pending.
    pub fn new(account: NewAccount) -> Self {
        let id = AccountId::new();
        let now = domain::clock::now_rfc3339();
        AccountRecord {
            pk: AccountRecord::key(&id),
            account_id: id,
            kind: account.kind,
            status: account.status,
            sign_in: account.sign_in,
            email: account.email,
            phone: account.phone,
            lang: account.lang,
            password_hash: account.password_hash,
            pin_hash: None,
            pin_failures: 0,
            pin_failed_at: 0,
            profile: account.profile,
            created_at: now.clone(),
            updated_at: now,
            status_key: None,
            email_link: None,
            activation_code: None,
            session_epoch: 0,
            decision: None,
            created_by: account.created_by,
            second_factor: None,
            totp_pending: None,
            totp_last_step: 0,
            phone_change: None,
            pending_change: None,
            profile_version: 0,
        }
    }
}

/// The accounts table.
#[derive(Debug, Clone)]
pub struct DynamoAccounts {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
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

    pub async fn find_by_email(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<AccountRecord>, StoreError> {
        self.via_guard(format!("email#{email}")).await
    }

    pub async fn find_by_sign_in(
        &self,
        sign_in_key: &str,
    ) -> Result<Option<AccountRecord>, StoreError> {
        self.via_guard(format!("signin#{sign_in_key}")).await
    }

    /// Applies an update if `condition` holds; `Ok(false)` when it does not.
    pub async fn update(
        &self,
        id: &AccountId,
        update: &str,
        condition: &str,
        values: Vec<(&str, AttributeValue)>,
    ) -> Result<bool, StoreError> {
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
        crate::store::held(request.send().await, "updating an account")
            .map(drop)
            .written()
    }
}

impl DynamoAccounts {
    /// Removes a registration that was never confirmed, with its guards, so its login
    /// and email are free again; `Ok(false)` when it was confirmed or replaced meanwhile.
    pub async fn release_unconfirmed(&self, account: &AccountRecord) -> Result<bool, StoreError> {
        let delete = |pk: String, condition: &str, values: Vec<(&str, AttributeValue)>| {
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
        };
        let id = s(account.account_id.as_ref());
        let ops = vec![
            delete(
                AccountRecord::key(&account.account_id),
                "#status = :pending AND updated_at = :updated",
                vec![
                    (":pending", s(AccountStatus::PendingConfirmation.as_str())),
                    (":updated", s(&account.updated_at)),
                ],
            )?,
            delete(
                format!("signin#{}", account.sign_in),
                "account_id = :id",
                vec![(":id", id.clone())],
            )?,
            delete(
                format!("email#{}", account.email),
                "account_id = :id",
                vec![(":id", id)],
            )?,
        ];
        self.transact(ops).await
    }

    /// Items waiting under `status_key` in the `by_status` index, oldest first.
    pub async fn waiting<T: serde::de::DeserializeOwned>(
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
    pub async fn get_item<T: serde::de::DeserializeOwned>(
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
    pub fn put_op(
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
    pub fn update_op(
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

    /// Writes all or nothing; `Ok(false)` when a condition did not hold.
    pub async fn transact(&self, ops: Vec<TransactWriteItem>) -> Result<bool, StoreError> {
        crate::store::transact(&self.client, ops).await.written()
    }
}

/// Any serialisable value as an attribute value, for update expressions.
pub fn to_attribute(value: &impl Serialize) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(value).doing("converting a value for an accounts update")
}

/// A `OneTimeSecret` as an attribute value, for update expressions.
pub fn secret_value(secret: &OneTimeSecret) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(secret)
        .doing("converting a one-time secret for an accounts update")
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

/// Anti-bot challenges in the tokens table, each spent on its first attempt.
#[derive(Debug, Clone)]
pub struct DynamoChallenges {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl DynamoChallenges {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    pub async fn put(
        &self,
        id: &str,
        answer_digest: &str,
        expires_at: u64,
    ) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(format!("challenge#{id}")))
            .item("answer_digest", s(answer_digest))
            .item("expires_at", AttributeValue::N(expires_at.to_string()))
            .send()
            .await
            .doing("storing an anti-bot challenge")?;
        Ok(())
    }

    /// Spends the challenge: true when it existed, had not expired and `answer` is right.
    /// A challenge is spent by its first attempt, right or wrong.
    pub async fn pass(
        &self,
        key: &domain::secrets::SecretKey,
        id: &str,
        answer: &str,
        now: u64,
    ) -> Result<bool, StoreError> {
        if domain::challenge::ChallengeId::parse(id).is_none() {
            return Ok(false);
        }
        let taken = self.take(id).await?;
        Ok(taken.is_some_and(|(digest, expires_at)| {
            expires_at > now && domain::challenge::is_answer(key, answer, &digest)
        }))
    }

    /// Removes the challenge and returns its answer digest and expiry, if it existed.
    pub async fn take(&self, id: &str) -> Result<Option<(String, u64)>, StoreError> {
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(format!("challenge#{id}"))))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await
            .doing("spending an anti-bot challenge")?;
        Ok(out.attributes.and_then(|item| {
            let digest = item.get("answer_digest")?.as_s().ok()?.clone();
            let expires = item.get("expires_at")?.as_n().ok()?.parse().ok()?;
            Some((digest, expires))
        }))
    }
}
