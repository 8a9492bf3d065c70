//! SMS through SNS direct publish to a phone number.

use aws_sdk_sns::types::MessageAttributeValue;
use domain::notification::Sms;
use domain::ports::{SendError, SmsSender};

/// Sends transactional SMS (codes and status messages) through SNS.
#[derive(Debug, Clone)]
pub struct SnsSms {
    client: aws_sdk_sns::Client,
}

impl SnsSms {
    pub fn new(client: aws_sdk_sns::Client) -> Self {
        Self { client }
    }
}

impl SmsSender for SnsSms {
    async fn send(&self, sms: &Sms) -> Result<String, SendError> {
        let transactional = MessageAttributeValue::builder()
            .data_type("String")
            .string_value("Transactional")
            .build()
            .expect("attribute has a data type");
        let result = self
            .client
            .publish()
            .phone_number(sms.to.as_ref())
            .message(&sms.text)
            .message_attributes("AWS.SNS.SMS.SMSType", transactional)
            .send()
            .await;
        match result {
            Ok(out) => Ok(out.message_id.unwrap_or_default()),
            Err(err) => {
                let permanent = err.as_service_error().is_some_and(|e| {
                    e.is_invalid_parameter_exception() || e.is_invalid_parameter_value_exception()
                });
                if permanent {
                    Err(SendError::Rejected(
                        err.into_service_error()
                            .meta()
                            .code()
                            .unwrap_or("rejected")
                            .to_owned(),
                    ))
                } else {
                    Err(SendError::Transient(Box::new(err)))
                }
            }
        }
    }
}
