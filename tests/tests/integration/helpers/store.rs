//! What tests read and change in the tables behind the functions' backs: counting an
//! account's items, and moving stored times back as if time had passed (rather than
//! waiting a minute, an hour or a week).

use adapters::Table;
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

/// The digest under which a session token is stored.
fn test_key_digest(token: &str) -> String {
    super::host::test_key().digest(authorizer::PURPOSE_SESSION, token)
}
