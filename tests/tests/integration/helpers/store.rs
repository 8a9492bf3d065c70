//! What tests read and change in the tables behind the functions' backs: counting an
//! account's items, and moving stored times back as if time had passed (rather than
//! waiting a minute, an hour or a week). The free functions take a host's [`Deps`], so
//! they also work once the host is stopped (see [`TestHost::into_deps`]).

use adapters::{Deps, Table};
use aws_sdk_dynamodb::types::AttributeValue;

use super::host::TestHost;

impl TestHost {
    /// Items in the accounts table that mention `needle` (accounts and guards).
    pub async fn account_items_with(&self, needle: &str) -> usize {
        let table = self.deps.resources.table(Table::Accounts);
        let out = self
            .deps
            .dynamo
            .scan()
            .table_name(table)
            .send()
            .await
            .unwrap();
        out.items()
            .iter()
            .filter(|item| format!("{item:?}").contains(needle))
            .count()
    }

    /// Moves the send time of the stored secret `field` (`activation_code` or
    /// `email_link`) of the account with `email` back by `sent_secs` and its expiry by
    /// `expiry_secs`, as if that much time had passed.
    pub async fn backdate_code(&self, email: &str, field: &str, sent_secs: u64, expiry_secs: u64) {
        let table = self.deps.resources.table(Table::Accounts);
        let guard = self
            .deps
            .dynamo
            .get_item()
            .table_name(table)
            .key("pk", AttributeValue::S(format!("email#{email}")))
            .send()
            .await
            .unwrap()
            .item
            .unwrap();
        let account_id = guard["account_id"].as_s().unwrap();
        let key = AttributeValue::S(format!("account#{account_id}"));
        let item = self
            .deps
            .dynamo
            .get_item()
            .table_name(table)
            .key("pk", key.clone())
            .send()
            .await
            .unwrap()
            .item
            .unwrap();
        let code = item[field].as_m().unwrap();
        let sent: u64 = code["sent_at"].as_n().unwrap().parse().unwrap();
        let expires: u64 = code["expires_at"].as_n().unwrap().parse().unwrap();
        self.deps
            .dynamo
            .update_item()
            .table_name(table)
            .key("pk", key)
            .update_expression(format!(
                "SET {field}.sent_at = :sent, {field}.expires_at = :expires"
            ))
            .expression_attribute_values(":sent", AttributeValue::N((sent - sent_secs).to_string()))
            .expression_attribute_values(
                ":expires",
                AttributeValue::N((expires - expiry_secs).to_string()),
            )
            .send()
            .await
            .unwrap();
    }

    /// Makes the session of `token` look unused for longer than the idle time.
    pub async fn idle_session(&self, token: &str) {
        let digest = test_key_digest(token);
        self.deps
            .dynamo
            .update_item()
            .table_name(self.deps.resources.table(Table::Tokens))
            .key("pk", AttributeValue::S(format!("session#{digest}")))
            .update_expression("SET idle_until = :past")
            .expression_attribute_values(":past", AttributeValue::N("1".into()))
            .send()
            .await
            .unwrap();
    }
}

/// Moves the last day of registration `number` to `last_day`, as if it had been
/// registered for those days.
pub async fn move_last_day(deps: &Deps, number: &str, last_day: time::Date) {
    deps.dynamo
        .update_item()
        .table_name(deps.resources.table(Table::Stays))
        .key("pk", AttributeValue::S(format!("stay#{number}")))
        .update_expression("SET stay_to = :last_day")
        .expression_attribute_values(":last_day", AttributeValue::S(last_day.to_string()))
        .send()
        .await
        .unwrap();
}

/// Moves the payment of registration `number` to `paid_at` (RFC 3339), its record
/// rewritten as the store writes it, as if it had been paid then.
pub async fn move_payment(deps: &Deps, number: &str, paid_at: &str) {
    let table = deps.resources.table(Table::Stays);
    let item = deps
        .dynamo
        .get_item()
        .table_name(table)
        .key("pk", AttributeValue::S(format!("stay#{number}")))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    let record: adapters::stays::StayRecord = serde_dynamo::from_item(item).unwrap();
    let mut stay = record.stay;
    stay.paid_at = Some(paid_at.to_owned());
    let record = adapters::stays::StayRecord::from(&stay);
    deps.dynamo
        .put_item()
        .table_name(table)
        .set_item(Some(serde_dynamo::to_item(record).unwrap()))
        .send()
        .await
        .unwrap();
}

/// Moves the end of payment order `order_number`'s session back by `secs`, as if
/// that much time had passed.
pub async fn backdate_order(deps: &Deps, order_number: &str, secs: u64) {
    let table = deps.resources.table(Table::Payments);
    let key = AttributeValue::S(format!("order#{order_number}"));
    let item = deps
        .dynamo
        .get_item()
        .table_name(table)
        .key("pk", key.clone())
        .send()
        .await
        .unwrap()
        .item
        .expect("the order is stored");
    let expires: u64 = item["expires_at"].as_n().unwrap().parse().unwrap();
    deps.dynamo
        .update_item()
        .table_name(table)
        .key("pk", key)
        .update_expression("SET expires_at = :expires")
        .expression_attribute_values(":expires", AttributeValue::N((expires - secs).to_string()))
        .send()
        .await
        .unwrap();
}

/// Moves the creation and expiry of every registration draft back by `secs`, as if
/// that much time had passed.
pub async fn backdate_drafts(deps: &Deps, secs: u64) {
    // Drafts live in the accounts table, under `draft#<digest>`.
    let table = deps.resources.table(Table::Accounts);
    let items = deps.dynamo.scan().table_name(table).send().await.unwrap();
    let drafts = items
        .items()
        .iter()
        .filter(|item| item["pk"].as_s().is_ok_and(|pk| pk.starts_with("draft#")));
    for item in drafts {
        let created = time::OffsetDateTime::parse(
            item["created_at"].as_s().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        let expires: u64 = item["expires_at"].as_n().unwrap().parse().unwrap();
        let created = domain::clock::rfc3339(created.unix_timestamp() as u64 - secs);
        deps.dynamo
            .update_item()
            .table_name(table)
            .key("pk", item["pk"].clone())
            .update_expression("SET created_at = :created, expires_at = :expires")
            .expression_attribute_values(":created", AttributeValue::S(created))
            .expression_attribute_values(
                ":expires",
                AttributeValue::N((expires - secs).to_string()),
            )
            .send()
            .await
            .unwrap();
    }
}

/// The digest under which a session token is stored.
fn test_key_digest(token: &str) -> String {
    super::host::test_key().digest(authorizer::PURPOSE_SESSION, token)
}
