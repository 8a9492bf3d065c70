//! Document records in the documents table (`doc#<upload id>`), listed by owner
//! through `by_owner`. A record exists before its file: the upload form is issued for
//! it, and the check that reads the file fills in the rest.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use domain::account::AccountId;
use domain::document::{DocumentKind, DocumentStatus};
use serde::{Deserialize, Serialize};

use crate::store::{Doing, StoreError, Written, held};

/// One thing a check found, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Finding {
    pub code: String,
    /// `error` refuses the document; `warning` is advice.
    pub severity: String,
}

/// A document as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub pk: String,
    pub upload_id: String,
    pub owner: AccountId,
    pub kind: DocumentKind,
    pub status: DocumentStatus,
    /// The content type the upload form allows.
    pub content_type: String,
    /// The object's key in the uploads bucket.
    pub key: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// For a passport or ID scan: its machine-readable zone, as read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mrz: Option<domain::mrz::MrzExtract>,
    /// Named by a submitted application: it can no longer be replaced or deleted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_use: bool,
    /// While awaiting its file: when the form expires (TTL cleans up what never came).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
}

impl DocumentRecord {
    pub fn key(upload_id: &str) -> String {
        format!("doc#{upload_id}")
    }

    /// Every object the document has in the uploads bucket: its file and, for a
    /// photo, its print copy.
    pub fn stored_keys(&self) -> Vec<String> {
        std::iter::once(self.key.clone())
            .chain(self.print_copy())
            .collect()
    }

    /// A photo's print copy (see [`Self::print_copy_key`]); other kinds have none.
    pub fn print_copy(&self) -> Option<String> {
        (self.kind.reader() == domain::document::Reader::Photo)
            .then(|| Self::print_copy_key(&self.upload_id))
    }

    /// Where a checked photo's print copy lives in the uploads bucket (a prefix no
    /// check listens to); it goes with the document.
    pub fn print_copy_key(upload_id: &str) -> String {
        format!("print/photo/{upload_id}.jpg")
    }
}

/// Why a document may not be named by `owner` as one of `kind` (any kind when `None`):
/// `document_not_found` (missing, someone else's, another kind), `document_not_checked`
/// or `document_rejected`; `None` when it may.
pub fn refusal(
    document: Option<&DocumentRecord>,
    owner: &AccountId,
    kind: Option<DocumentKind>,
) -> Option<domain::Code> {
    match document.filter(|d| &d.owner == owner && kind.is_none_or(|k| k == d.kind)) {
        None => Some(domain::Code::DocumentNotFound),
        Some(d) => d.status.refusal(),
    }
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
            .set_item(Some(
                serde_dynamo::to_item(record).doing("storing a new document record")?,
            ))
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
            .set_key(Some(key(DocumentRecord::key(upload_id))))
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
    /// application names it.
    pub async fn replace_owned(&self, record: &DocumentRecord) -> Result<bool, StoreError> {
        self.conditional_put(record, "#owner = :owner AND attribute_not_exists(in_use)")
            .await
    }

    /// Records what a check found, unless the document was replaced or deleted since
    /// (`status` must still be what the check started from).
    pub async fn record_check(
        &self,
        record: &DocumentRecord,
        expected: DocumentStatus,
    ) -> Result<bool, StoreError> {
        let expected = serde_json::to_value(expected)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(
                serde_dynamo::to_item(record).doing("recording a document's check")?,
            ))
            .condition_expression("#owner = :owner AND #status = :expected")
            .expression_attribute_names("#owner", "owner")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":owner", AttributeValue::S(record.owner.to_string()))
            .expression_attribute_values(":expected", AttributeValue::S(expected))
            .send()
            .await;
        held(result, "recording a document's check")
            .map(drop)
            .written()
    }

    async fn conditional_put(
        &self,
        record: &DocumentRecord,
        condition: &str,
    ) -> Result<bool, StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(
                serde_dynamo::to_item(record).doing("writing a document record")?,
            ))
            .condition_expression(condition)
            .expression_attribute_names("#owner", "owner")
            .expression_attribute_values(":owner", AttributeValue::S(record.owner.to_string()))
            .send()
            .await;
        held(result, "writing a document record")
            .map(drop)
            .written()
    }

    /// Deletes the record if `owner` owns it and no application names it; false otherwise.
    pub async fn delete_owned(
        &self,
        upload_id: &str,
        owner: &AccountId,
    ) -> Result<bool, StoreError> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(DocumentRecord::key(upload_id))))
            .condition_expression("#owner = :owner AND attribute_not_exists(in_use)")
            .expression_attribute_names("#owner", "owner")
            .expression_attribute_values(":owner", AttributeValue::S(owner.to_string()))
            .send()
            .await;
        held(result, "deleting a document record")
            .map(drop)
            .written()
    }
}
