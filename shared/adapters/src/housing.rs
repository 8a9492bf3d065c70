//! Each host's housing in DynamoDB: the properties a host may register foreigners at.

use aws_sdk_dynamodb::types::AttributeValue;
use domain::account::AccountId;
use domain::account::values::PropertyCode;
use serde::{Deserialize, Serialize};

use crate::store::{Doing, StoreError};

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
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

/// The housing table: one item per host and property code.
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

    /// Adds the housing; `Err(StoreError::Conflict)` when the host has it already.
    pub async fn add(&self, record: &HousingRecord) -> Result<(), StoreError> {
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
        crate::store::held(result, "adding a host's housing").map(drop)
    }

    /// The housing `code` of `owner`.
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
