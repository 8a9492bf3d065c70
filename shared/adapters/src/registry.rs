//! The property registry's local stand-in in DynamoDB: the rows shipped for the local
//! stack, their seeding, and the lookup by property code.

use domain::account::values::PropertyCode;
use domain::ports::{Property, PropertyRegistry};
use serde::Deserialize;

use crate::store::StoreError;

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
        let items = rows
            .iter()
            .map(serde_dynamo::to_item)
            .collect::<Result<Vec<_>, _>>()?;
        crate::store::put_all(&self.client, &self.table, items).await
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
}
