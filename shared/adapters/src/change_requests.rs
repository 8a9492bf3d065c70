//! Change requests in the accounts table (`change#<id>`). Submitting one marks the
//! account (`pending_change`) in the same transaction, so an account has at most one
//! waiting; deciding one clears the mark and, when approved, replaces the profile, again
//! in one transaction and only if nobody decided first.

use aws_sdk_dynamodb::types::AttributeValue;
use domain::account::sign_up::Profile;
use domain::account::{AccountId, Portal};
use domain::clock::now_rfc3339;
use serde::{Deserialize, Serialize};

use crate::accounts::{AccountRecord, DynamoAccounts};
use crate::store::{Doing, StoreError};

/// Where a change request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeStatus {
    Pending,
    Approved,
    Refused,
}

impl ChangeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeStatus::Pending => "pending",
            ChangeStatus::Approved => "approved",
            ChangeStatus::Refused => "refused",
        }
    }
}

/// An operator's decision on a change request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeDecision {
    pub by: AccountId,
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A change request as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeRequestRecord {
    pub pk: String,
    pub request_id: String,
    pub account_id: AccountId,
    pub portal: Portal,
    pub status: ChangeStatus,
    /// The fields as the holder sent them.
    pub changes: serde_json::Map<String, serde_json::Value>,
    /// The whole profile as it becomes when approved.
    pub proposed: Profile,
    /// The account's profile version the request was made from.
    pub base_version: u64,
    pub created_at: String,
    /// `<portal>#change_request` while pending: the `by_status` index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<ChangeDecision>,
}

impl ChangeRequestRecord {
    pub fn key(id: &str) -> String {
        format!("change#{id}")
    }

    pub fn queue(portal: Portal) -> String {
        match portal {
            Portal::Ework => "ework#change_request".into(),
            Portal::Ereg => "ereg#change_request".into(),
        }
    }

    /// A new request of `account` (of `portal`), waiting for an operator: `changes` as
    /// the holder sent them, `proposed` the profile they make of version `base_version`.
    pub fn pending(
        account: AccountId,
        portal: Portal,
        changes: serde_json::Map<String, serde_json::Value>,
        proposed: Profile,
        base_version: u64,
    ) -> Self {
        let id = format!("chg_{}", &domain::secrets::random_token()[..32]);
        ChangeRequestRecord {
            pk: ChangeRequestRecord::key(&id),
            request_id: id,
            account_id: account,
            portal,
            status: ChangeStatus::Pending,
            changes,
            proposed,
            base_version,
            created_at: now_rfc3339(),
            status_key: Some(ChangeRequestRecord::queue(portal)),
            decision: None,
        }
    }

    /// A valid request id: `chg_` and 32 hex digits.
    pub fn parse_id(raw: &str) -> Option<&str> {
        let hex = raw.strip_prefix("chg_")?;
        (hex.len() == 32
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then_some(raw)
    }
}

/// Why a change request could not be decided.
#[derive(Debug, PartialEq, Eq)]
pub enum NotDecided {
    /// Someone decided it first.
    AlreadyDecided,
    /// The profile changed since the request was made.
    Stale,
}

#[derive(Debug, Clone)]
pub struct DynamoChangeRequests {
    accounts: DynamoAccounts,
}

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

impl DynamoChangeRequests {
    pub fn new(accounts: DynamoAccounts) -> Self {
        Self { accounts }
    }

    /// Stores the request and marks the account; `Err(StoreError::Conflict)` when the
    /// account already has one waiting or its profile changed meanwhile.
    pub async fn submit(&self, request: &ChangeRequestRecord) -> Result<(), StoreError> {
        let put = self.accounts.put_op(request, "attribute_not_exists(pk)")?;
        let mark = self.accounts.update_op(
            AccountRecord::key(&request.account_id),
            "SET pending_change = :id",
            "attribute_exists(pk) AND attribute_not_exists(pending_change) AND (profile_version = :version OR (attribute_not_exists(profile_version) AND :version = :zero))",
            vec![
                (":id", s(&request.request_id)),
                (":version", AttributeValue::N(request.base_version.to_string())),
                (":zero", AttributeValue::N("0".into())),
            ],
        )?;
        self.accounts.transact(vec![put, mark]).await
    }

    pub async fn get(&self, id: &str) -> Result<Option<ChangeRequestRecord>, StoreError> {
        self.accounts.get_item(ChangeRequestRecord::key(id)).await
    }

    /// Requests waiting for an operator of `portal`, oldest first.
    pub async fn waiting(&self, portal: Portal) -> Result<Vec<ChangeRequestRecord>, StoreError> {
        self.accounts
            .waiting(&ChangeRequestRecord::queue(portal), 100)
            .await
    }

    /// Records the decision and, when approved, replaces the account's profile; the
    /// request as decided. `Err(StoreError::Conflict)` when someone decided first or the
    /// profile changed since the request was made ([`Self::why_not_decided`] tells which).
    pub async fn decide(
        &self,
        request: &ChangeRequestRecord,
        by: &AccountId,
        approved: bool,
        reason: Option<String>,
    ) -> Result<ChangeRequestRecord, StoreError> {
        let status = if approved {
            ChangeStatus::Approved
        } else {
            ChangeStatus::Refused
        };
        let decision = ChangeDecision {
            by: by.clone(),
            at: now_rfc3339(),
            reason,
        };
        let record = self.accounts.update_op(
            ChangeRequestRecord::key(&request.request_id),
            "SET #status = :status, decision = :decision REMOVE status_key",
            "#status = :pending",
            vec![
                (":status", s(status.as_str())),
                (
                    ":decision",
                    serde_dynamo::to_attribute_value(&decision)
                        .doing("deciding a change request")?,
                ),
                (":pending", s(ChangeStatus::Pending.as_str())),
            ],
        )?;
        let version = AttributeValue::N(request.base_version.to_string());
        let account = if approved {
            self.accounts.update_op(
                AccountRecord::key(&request.account_id),
                "SET profile = :profile, profile_version = :next, updated_at = :now REMOVE pending_change",
                "pending_change = :id AND (profile_version = :version OR (attribute_not_exists(profile_version) AND :version = :zero))",
                vec![
                    (":profile", serde_dynamo::to_attribute_value(&request.proposed).doing("deciding a change request")?),
                    (":next", AttributeValue::N((request.base_version + 1).to_string())),
                    (":now", s(now_rfc3339())),
                    (":id", s(&request.request_id)),
                    (":version", version),
                    (":zero", AttributeValue::N("0".into())),
                ],
            )?
        } else {
            self.accounts.update_op(
                AccountRecord::key(&request.account_id),
                "REMOVE pending_change",
                "pending_change = :id",
                vec![(":id", s(&request.request_id))],
            )?
        };
        self.accounts.transact(vec![record, account]).await?;
        Ok(ChangeRequestRecord {
            status,
            status_key: None,
            decision: Some(decision),
            ..request.clone()
        })
    }

    /// Why a decision on the request `id` met a conflict: read again, a request still
    /// pending was made from a profile that has changed since.
    pub async fn why_not_decided(&self, id: &str) -> Result<NotDecided, StoreError> {
        Ok(match self.get(id).await? {
            Some(r) if r.status == ChangeStatus::Pending => NotDecided::Stale,
            _ => NotDecided::AlreadyDecided,
        })
    }
}
