//! What work permits ask of the applications table: the grant that takes a place of
//! its allocation row in the same transaction, a passport's permits, and the free
//! places of an employer's allocations.

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};
use domain::Taken;
use domain::account::AccountId;
use domain::ework::{Application, Change, Message, Place, PlaceRef};
use serde::Deserialize;

use super::{ApplicationRecord, DynamoApplications, s};
use crate::audit::AuditEntry;
use crate::store::{Doing, StoreError};

impl DynamoApplications {
    /// Writes the granted permit `next` over version `next.version - 1` with its audit
    /// entry and message, and takes one place of `place` (of `allocated`), all or
    /// nothing: `Err(StoreError::Taken(Taken::QuotaPlace))` when none is left.
    /// Transactions that collide on the same row's count are tried again.
    pub async fn grant(
        &self,
        next: &Application,
        change: &Change,
        message: &Message,
        place: &PlaceRef,
        allocated: u32,
    ) -> Result<(), StoreError> {
        let item =
            serde_dynamo::to_item(ApplicationRecord::from(next)).doing("saving an application")?;
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("version = :read")
            .expression_attribute_values(":read", AttributeValue::N((next.version - 1).to_string()))
            .build()
            .doing("building an application write")?;
        let take = Update::builder()
            .table_name(&self.table)
            .key("pk", s(ApplicationRecord::place_key(place)))
            .update_expression("ADD taken :one")
            .condition_expression("attribute_not_exists(taken) OR taken < :allocated")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":allocated", AttributeValue::N(allocated.to_string()))
            .build()
            .doing("building a quota place write")?;
        let ops = vec![
            TransactWriteItem::builder().put(put).build(),
            TransactWriteItem::builder().update(take).build(),
            self.audit_op(&AuditEntry::of_application(next, change))?,
            self.message_op(message)?,
        ];
        for attempt in 0.. {
            let result = self
                .client
                .transact_write_items()
                .set_transact_items(Some(ops.clone()))
                .send()
                .await;
            let Some(reasons) = crate::store::cancellation_reasons(result)? else {
                return Ok(());
            };
            let failed = |i: usize| reasons.get(i).map(String::as_str);
            if failed(0) == Some("ConditionalCheckFailed") {
                return Err(StoreError::Conflict);
            }
            if failed(1) == Some("ConditionalCheckFailed") {
                return Err(StoreError::Taken(Taken::QuotaPlace));
            }
            if reasons.iter().any(|r| r == "ConditionalCheckFailed") || attempt >= 8 {
                return Err(StoreError::Conflict);
            }
            // Another grant of the same row was being written: try again shortly.
            tokio::time::sleep(std::time::Duration::from_millis(20 << attempt.min(4))).await;
        }
        unreachable!("the loop returns")
    }

    /// The work-permit applications of the passport `holder_key`.
    pub async fn permits_of(&self, holder_key: &str) -> Result<Vec<Application>, StoreError> {
        let records: Vec<ApplicationRecord> = crate::store::all(
            self.client
                .query()
                .table_name(&self.table)
                .index_name("by_holder")
                .key_condition_expression("holder_key = :key")
                .expression_attribute_values(":key", s(holder_key)),
        )
        .await?;
        Ok(records.into_iter().map(|r| r.application).collect())
    }

    /// The rows of `owner`'s usable quota allocations with their free places, oldest
    /// application first.
    pub async fn places_of(&self, owner: &AccountId) -> Result<Vec<Place>, StoreError> {
        let records: Vec<ApplicationRecord> = crate::store::all(
            self.client
                .query()
                .table_name(&self.table)
                .index_name("by_owner")
                .key_condition_expression("#owner = :owner")
                .expression_attribute_names("#owner", "owner")
                .expression_attribute_values(":owner", s(owner.as_ref())),
        )
        .await?;
        #[derive(Deserialize)]
        struct Taken {
            taken: u32,
        }
        let mut quotas: Vec<Application> = records
            .into_iter()
            .map(|r| r.application)
            .filter(Application::allocation_usable)
            .collect();
        quotas.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        let mut places = Vec::new();
        for quota in quotas {
            // What each row has taken, read first: the rows are few.
            let mut taken = std::collections::HashMap::new();
            for place in quota.places(|_| 0) {
                let counted: Option<Taken> = crate::store::get(
                    &self.client,
                    &self.table,
                    crate::store::key("pk", ApplicationRecord::place_key(&place.place)),
                )
                .await?;
                taken.insert(place.place, counted.map_or(0, |t| t.taken));
            }
            places.extend(quota.places(|p| taken.get(p).copied().unwrap_or(0)));
        }
        Ok(places)
    }
}
