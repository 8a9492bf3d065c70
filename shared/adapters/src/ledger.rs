//! The notification ledger in DynamoDB: one item per notification id, claimed with a
//! conditional write before anything is sent.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, ReturnValuesOnConditionCheckFailure};
use domain::NotificationId;
use domain::ports::{Channel, Claim, Lease, NotificationLedger};

/// How long the ledger keeps a sent notification's record (TTL cleans up after that).
const KEEP_FOR: Duration = Duration::from_secs(90 * 24 * 3600);

const SENDING: &str = "sending";
const SENT: &str = "sent";

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("DynamoDB update failed: {0}")]
    Update(String),
    #[error("the lease on {0} was lost to another consumer")]
    LeaseLost(String),
}

/// `NotificationLedger` over a DynamoDB table keyed by `id`.
#[derive(Debug, Clone)]
pub struct DynamoNotificationLedger {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl DynamoNotificationLedger {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    fn key(id: &str) -> HashMap<String, AttributeValue> {
        HashMap::from([("id".to_owned(), AttributeValue::S(id.to_owned()))])
    }

    /// An update that succeeds only while `lease` still holds the item.
    async fn update_held(
        &self,
        lease: &Lease,
        expression: &str,
        mut values: HashMap<String, AttributeValue>,
    ) -> Result<(), LedgerError> {
        values.insert(":token".into(), AttributeValue::S(lease.token.clone()));
        let mut request = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(lease.id.as_ref())))
            .update_expression(expression)
            .condition_expression("#claim = :token")
            .expression_attribute_names("#claim", "claim");
        // DynamoDB refuses names the expressions do not use.
        if expression.contains("#state") {
            request = request.expression_attribute_names("#state", "state");
        }
        let result = request
            .set_expression_attribute_values(Some(values))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(err) if is_condition_failure(&err) => {
                Err(LedgerError::LeaseLost(lease.id.to_string()))
            }
            Err(err) => Err(err.into()),
        }
    }
}

impl From<SdkError<UpdateItemError>> for LedgerError {
    fn from(err: SdkError<UpdateItemError>) -> Self {
        LedgerError::Update(aws_sdk_dynamodb::error::DisplayErrorContext(&err).to_string())
    }
}

fn is_condition_failure(err: &SdkError<UpdateItemError>) -> bool {
    err.as_service_error()
        .is_some_and(|e| e.is_conditional_check_failed_exception())
}

fn epoch_secs(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

fn string(item: &HashMap<String, AttributeValue>, name: &str) -> Option<String> {
    item.get(name).and_then(|v| v.as_s().ok()).cloned()
}

impl NotificationLedger for DynamoNotificationLedger {
    type Error = LedgerError;

    async fn claim(&self, id: &NotificationId, lease: Duration) -> Result<Claim, LedgerError> {
        let now = SystemTime::now();
        let token = uuid::Uuid::new_v4().to_string();
        // Claim when the id is new, or when an earlier claim ended without completing
        // (its lease ran out or it was released). A sent notification is never claimed.
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(id.as_ref())))
            .update_expression(
                "SET #state = :sending, #claim = :token, claim_until = :until, \
                 created_at = if_not_exists(created_at, :now), expires_at = if_not_exists(expires_at, :expires)",
            )
            .condition_expression("attribute_not_exists(id) OR (#state = :sending AND claim_until < :now)")
            .expression_attribute_names("#state", "state")
            .expression_attribute_names("#claim", "claim")
            .expression_attribute_values(":sending", AttributeValue::S(SENDING.into()))
            .expression_attribute_values(":token", AttributeValue::S(token.clone()))
            .expression_attribute_values(":until", AttributeValue::N(epoch_secs(now + lease).to_string()))
            .expression_attribute_values(":now", AttributeValue::N(epoch_secs(now).to_string()))
            .expression_attribute_values(":expires", AttributeValue::N(epoch_secs(now + KEEP_FOR).to_string()))
            .return_values(ReturnValue::AllNew)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        match result {
            Ok(out) => {
                let item = out.attributes.unwrap_or_default();
                Ok(Claim::Claimed(Lease {
                    id: id.clone(),
                    token,
                    email_message_id: string(&item, "email_message_id"),
                    sms_message_id: string(&item, "sms_message_id"),
                }))
            }
            Err(err) if is_condition_failure(&err) => {
                let old = match err.into_service_error() {
                    UpdateItemError::ConditionalCheckFailedException(e) => e.item,
                    _ => None,
                };
                let sent = old.as_ref().and_then(|i| string(i, "state")).as_deref() == Some(SENT);
                Ok(if sent {
                    Claim::AlreadySent
                } else {
                    Claim::HeldElsewhere
                })
            }
            Err(err) => Err(err.into()),
        }
    }

    async fn record_sent(
        &self,
        lease: &Lease,
        channel: Channel,
        message_id: &str,
    ) -> Result<(), LedgerError> {
        let expression = match channel {
            Channel::Email => "SET email_message_id = :message_id",
            Channel::Sms => "SET sms_message_id = :message_id",
        };
        let values = HashMap::from([(
            ":message_id".to_owned(),
            AttributeValue::S(message_id.to_owned()),
        )]);
        self.update_held(lease, expression, values).await
    }

    async fn complete(&self, lease: &Lease) -> Result<(), LedgerError> {
        let values = HashMap::from([
            (":sent".to_owned(), AttributeValue::S(SENT.into())),
            (
                ":now".to_owned(),
                AttributeValue::N(epoch_secs(SystemTime::now()).to_string()),
            ),
        ]);
        self.update_held(
            lease,
            "SET #state = :sent, sent_at = :now REMOVE #claim, claim_until",
            values,
        )
        .await
    }

    async fn release(&self, lease: &Lease) -> Result<(), LedgerError> {
        let values = HashMap::from([(":zero".to_owned(), AttributeValue::N("0".into()))]);
        self.update_held(lease, "SET claim_until = :zero", values)
            .await
    }
}
