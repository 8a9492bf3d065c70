//! Document records in the documents table (`doc#<upload id>`), listed by owner
//! through `by_owner`. The record itself is the domain's [`DocumentRecord`].

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use domain::account::AccountId;
use domain::document::{DocumentKind, DocumentStatus};

pub use domain::document::record::{DocumentRecord, Finding, refusal};

use crate::store::{Doing, StoreError, held};

/// The key of the record of `upload_id` (`doc#<upload id>`).
pub(crate) fn record_key(upload_id: &str) -> String {
    format!("doc#{upload_id}")
}

/// The item of `record`: the record and its key.
fn item(
    record: &DocumentRecord,
    doing: &'static str,
) -> Result<HashMap<String, AttributeValue>, StoreError> {
    let mut item: HashMap<String, AttributeValue> = serde_dynamo::to_item(record).doing(doing)?;
    item.insert(
        "pk".to_owned(),
        AttributeValue::S(record_key(&record.upload_id)),
    );
    Ok(item)
}

#[derive(Debug, Clone)]
pub struct DynamoDocuments {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

fn key(pk: String) -> HashMap<String, AttributeValue> {
    HashMap::from([("pk".to_owned(), AttributeValue::S(pk))])
}

impl DynamoDocuments {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    pub async fn put_new(&self, record: &DocumentRecord) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item(record, "storing a new document record")?))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await
            .doing("storing a new document record")?;
        Ok(())
    }

    pub async fn get(&self, upload_id: &str) -> Result<Option<DocumentRecord>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(record_key(upload_id))))
            .consistent_read(true)
            .send()
            .await
            .doing("reading a document record")?;
        out.item
            .map(serde_dynamo::from_item)
            .transpose()
            .doing("reading a document record")
    }

    /// The owner's documents, oldest first (at most 200).
    pub async fn of_owner(&self, owner: &AccountId) -> Result<Vec<DocumentRecord>, StoreError> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .index_name("by_owner")
            .key_condition_expression("#owner = :owner")
            .expression_attribute_names("#owner", "owner")
            .expression_attribute_values(":owner", AttributeValue::S(owner.to_string()))
            .limit(200)
            .send()
            .await
            .doing("listing an account's documents")?;
        serde_dynamo::from_items(out.items.unwrap_or_default())
            .doing("listing an account's documents")
    }

    /// Checks that each named document (form field, upload id, the kind it must be, if
    /// any) is `owner`'s upload whose check passed; one field error per one that is not
    /// (see [`refusal`]).
    pub async fn checked_of_owner(
        &self,
        owner: &AccountId,
        named: impl IntoIterator<Item = (String, String, Option<DocumentKind>)>,
    ) -> Result<Vec<domain::FieldError>, StoreError> {
        let mut errors = Vec::new();
        for (field, id, kind) in named {
            let document = self.get(id.trim()).await?;
            errors.extend(
                refusal(document.as_ref(), owner, kind)
                    .map(|code| domain::FieldError::new(field, code)),
            );
        }
        Ok(errors)
    }

    /// Writes the whole record over the stored one if the same owner holds it and no
    /// application names it; `Err(StoreError::Conflict)` otherwise.
    pub async fn replace_owned(&self, record: &DocumentRecord) -> Result<(), StoreError> {
        self.conditional_put(record, "#owner = :owner AND attribute_not_exists(in_use)")
            .await
    }

    /// Records what a check found, unless the document was replaced or deleted since
    /// (`status` must still be what the check started from): `Err(StoreError::Conflict)`.
    pub async fn record_check(
        &self,
        record: &DocumentRecord,
        expected: DocumentStatus,
    ) -> Result<(), StoreError> {
        let expected = serde_json::to_value(expected)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item(record, "recording a document's check")?))
            .condition_expression("#owner = :owner AND #status = :expected")
            .expression_attribute_names("#owner", "owner")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":owner", AttributeValue::S(record.owner.to_string()))
            .expression_attribute_values(":expected", AttributeValue::S(expected))
            .send()
            .await;
        held(result, "recording a document's check").map(drop)
    }

    async fn conditional_put(
        &self,
        record: &DocumentRecord,
        condition: &str,
    ) -> Result<(), StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item(record, "writing a document record")?))
            .condition_expression(condition)
            .expression_attribute_names("#owner", "owner")
            .expression_attribute_values(":owner", AttributeValue::S(record.owner.to_string()))
            .send()
            .await;
        held(result, "writing a document record").map(drop)
    }

    /// Deletes the record if `owner` owns it and no application names it;
    /// `Err(StoreError::Conflict)` otherwise.
    pub async fn delete_owned(&self, upload_id: &str, owner: &AccountId) -> Result<(), StoreError> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(record_key(upload_id))))
            .condition_expression("#owner = :owner AND attribute_not_exists(in_use)")
            .expression_attribute_names("#owner", "owner")
            .expression_attribute_values(":owner", AttributeValue::S(owner.to_string()))
            .send()
            .await;
        held(result, "deleting a document record").map(drop)
    }
}

impl domain::ports::documents::DocumentStore for DynamoDocuments {
    async fn get(&self, upload_id: &str) -> Result<Option<DocumentRecord>, StoreError> {
        DynamoDocuments::get(self, upload_id).await
    }

    async fn record_check(
        &self,
        record: &DocumentRecord,
        expected: DocumentStatus,
    ) -> Result<(), StoreError> {
        DynamoDocuments::record_check(self, record, expected).await
    }
}

/// Marks a checked document of `owner` as named by a registration or an application,
/// for the transaction that submits or attaches it: it fails unless the document is
/// still `owner`'s and checked, and from then on the document cannot be replaced or
/// deleted.
pub(crate) fn in_use_op(
    documents_table: &str,
    upload_id: &str,
    owner: &AccountId,
) -> Result<TransactWriteItem, StoreError> {
    let update = Update::builder()
        .table_name(documents_table)
        .key("pk", AttributeValue::S(record_key(upload_id)))
        .update_expression("SET in_use = :yes")
        .condition_expression("#owner = :owner AND #status = :checked")
        .expression_attribute_names("#owner", "owner")
        .expression_attribute_names("#status", "status")
        .expression_attribute_values(":owner", AttributeValue::S(owner.as_ref().to_owned()))
        .expression_attribute_values(":checked", AttributeValue::S("checked".to_owned()))
        .expression_attribute_values(":yes", AttributeValue::Bool(true))
        .build()
        .doing("building a document lock")?;
    Ok(TransactWriteItem::builder().update(update).build())
}
