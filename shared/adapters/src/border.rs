//! The border service's and the visa registry's local stand-in in DynamoDB: the
//! synthetic people shipped for the local stack, their seeding, and the lookups by
//! passport. One table: per passport (`holder` = `<country>#<number>`) the person
//! (`item` = `person`) and each visa (`item` = `visa#<number>`).
//!
//! The shipped files give dates as days from the day of seeding (`valid_days`,
//! `entered_days_ago`, …), so each demo person stays in the same situation whenever
//! the stack starts.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use domain::account::values::{CountryCode, DocumentNumber, Sex};
use domain::country::Country;
use domain::ework::permit::holder_key;
use domain::ework::{Holder, Visa};
use domain::ports::ework::{BorderService, VisaRegistry};
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::store::{Doing, StoreError};

/// The people shipped for the local stack: several hundred synthetic foreigners of
/// many citizenships, in every situation the eligibility rules know.
pub const PEOPLE_CSV: &str = include_str!("../data/border_people.csv");
/// Their visas.
pub const VISAS_CSV: &str = include_str!("../data/visas.csv");

#[derive(Deserialize)]
struct PersonRow {
    document_country: String,
    document_number: String,
    nationality: String,
    surname: String,
    given_names: String,
    patronymic: String,
    birth_date: String,
    sex: String,
    document_type: String,
    valid_days: i64,
    entered_days_ago: Option<i64>,
    left_days_ago: Option<i64>,
}

#[derive(Deserialize)]
struct VisaRow {
    document_country: String,
    document_number: String,
    visa_number: String,
    visa_type: String,
    multiple: bool,
    from_days_ago: i64,
    to_days_ahead: i64,
}

/// Visas, each with the key of the passport it was issued on.
pub type KeyedVisas = Vec<(String, Visa)>;

/// The people and visas of the shipped files (or of `people` and `visas` given as
/// CSV text), their dates counted from `today`.
pub fn border_rows(
    people: &str,
    visas: &str,
    today: Date,
) -> anyhow::Result<(Vec<Holder>, KeyedVisas)> {
    let parse = |what: &str, raw: &str| anyhow::anyhow!("bad {what} in the border data: {raw}");
    let mut holders = Vec::new();
    for row in csv::Reader::from_reader(people.as_bytes()).deserialize::<PersonRow>() {
        let row = row?;
        let birth = domain::account::values::parse_date(&row.birth_date)
            .map_err(|_| parse("birth date", &row.birth_date))?;
        holders.push(Holder {
            document_country: CountryCode::parse(&row.document_country)
                .map_err(|_| parse("country", &row.document_country))?,
            document_number: DocumentNumber::parse(&row.document_number)
                .map_err(|_| parse("number", &row.document_number))?,
            nationality: Country::parse(&row.nationality)
                .map_err(|_| parse("nationality", &row.nationality))?,
            surname: row.surname,
            given_names: row.given_names,
            patronymic: Some(row.patronymic).filter(|p| !p.is_empty()),
            birth_date: birth,
            sex: Sex::parse(&row.sex).map_err(|_| parse("sex", &row.sex))?,
            document_type: row.document_type,
            document_valid_until: today + Duration::days(row.valid_days),
            last_entry: row.entered_days_ago.map(|d| today - Duration::days(d)),
            last_exit: row.left_days_ago.map(|d| today - Duration::days(d)),
        });
    }
    let mut all_visas = Vec::new();
    for row in csv::Reader::from_reader(visas.as_bytes()).deserialize::<VisaRow>() {
        let row = row?;
        let country = CountryCode::parse(&row.document_country)
            .map_err(|_| parse("country", &row.document_country))?;
        let number = DocumentNumber::parse(&row.document_number)
            .map_err(|_| parse("number", &row.document_number))?;
        all_visas.push((
            holder_key(&country, &number),
            Visa {
                number: row.visa_number,
                visa_type: row.visa_type,
                multiple: row.multiple,
                valid_from: today - Duration::days(row.from_days_ago),
                valid_to: today + Duration::days(row.to_days_ahead),
            },
        ));
    }
    Ok((holders, all_visas))
}

/// An item of the table.
#[derive(Serialize, Deserialize)]
struct Item<T> {
    holder: String,
    item: String,
    #[serde(flatten)]
    value: T,
}

/// The border service and the visa registry read from a table (the local stand-in
/// for the state systems).
#[derive(Debug, Clone)]
pub struct DynamoBorder {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl DynamoBorder {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// Writes `holders` and `visas` (by passport key) over what the table holds.
    pub async fn seed(&self, holders: &[Holder], visas: &[(String, Visa)]) -> anyhow::Result<()> {
        let mut items: Vec<HashMap<String, AttributeValue>> = Vec::new();
        for holder in holders {
            items.push(serde_dynamo::to_item(Item {
                holder: holder.key(),
                item: "person".to_owned(),
                value: holder,
            })?);
        }
        for (key, visa) in visas {
            items.push(serde_dynamo::to_item(Item {
                holder: key.clone(),
                item: format!("visa#{}", visa.number),
                value: visa,
            })?);
        }
        crate::store::put_all(&self.client, &self.table, items).await
    }

    /// Every item of passport `key` whose `item` starts with `prefix`.
    async fn items<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
        prefix: &str,
    ) -> Result<Vec<T>, StoreError> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("holder = :holder AND begins_with(#item, :prefix)")
            .expression_attribute_names("#item", "item")
            .expression_attribute_values(":holder", AttributeValue::S(key.to_owned()))
            .expression_attribute_values(":prefix", AttributeValue::S(prefix.to_owned()))
            .send()
            .await
            .doing("looking a passport up at the border service")?;
        let items: Vec<Item<T>> = serde_dynamo::from_items(out.items.unwrap_or_default())
            .doing("looking a passport up at the border service")?;
        Ok(items.into_iter().map(|i| i.value).collect())
    }
}

impl BorderService for DynamoBorder {
    async fn holder(
        &self,
        country: &CountryCode,
        number: &DocumentNumber,
    ) -> Result<Option<Holder>, StoreError> {
        let found: Vec<Holder> = self.items(&holder_key(country, number), "person").await?;
        Ok(found.into_iter().next())
    }
}

impl VisaRegistry for DynamoBorder {
    async fn visas(
        &self,
        country: &CountryCode,
        number: &DocumentNumber,
    ) -> Result<Vec<Visa>, StoreError> {
        self.items(&holder_key(country, number), "visa#").await
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_shipped_people_parse_with_unique_passports_and_every_situation() {
        let today = date!(2026 - 12 - 07);
        let (holders, visas) = border_rows(PEOPLE_CSV, VISAS_CSV, today).unwrap();
        assert!(holders.len() >= 300, "{}", holders.len());
        let mut keys: Vec<String> = holders.iter().map(Holder::key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), holders.len());
        assert!(visas.iter().all(|(key, _)| keys.binary_search(key).is_ok()));
        let nations: std::collections::HashSet<&str> =
            holders.iter().map(|h| h.nationality.as_ref()).collect();
        assert!(nations.len() >= 10, "{nations:?}");
        assert!(holders.iter().any(|h| h.last_entry.is_none()));
        assert!(
            holders
                .iter()
                .any(|h| h.last_entry.is_some() && !h.in_country())
        );
        assert!(holders.iter().any(|h| h.document_valid_until < today));
        assert!(visas.iter().any(|(_, v)| v.valid_to < today));
        assert!(visas.iter().any(|(_, v)| !v.is_work()));
        for eaeu_or_visa_free in ["KAZ", "RUS", "TUR", "DEU"] {
            assert!(nations.contains(eaeu_or_visa_free), "{eaeu_or_visa_free}");
        }
        let wang = &holders[0];
        assert_eq!(wang.key(), "CHN#EA0000001");
        assert_eq!(wang.last_entry, Some(date!(2026 - 11 - 17)));
    }
}
