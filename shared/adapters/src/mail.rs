//! Email through SESv2. Templates are rendered by the domain (SES templates are not
//! available on the local endpoint, and our own rendering is tested anyway).

use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};
use domain::notification::Email;
use domain::ports::{Mailer, SendError};

/// Sends through SESv2 from the configured sender.
#[derive(Debug, Clone)]
pub struct SesMailer {
    client: aws_sdk_sesv2::Client,
    from: String,
}

impl SesMailer {
    pub fn new(client: aws_sdk_sesv2::Client, from: impl Into<String>) -> Self {
        Self {
            client,
            from: from.into(),
        }
    }
}

fn utf8(data: &str) -> Content {
    Content::builder()
        .data(data)
        .charset("UTF-8")
        .build()
        .expect("content has data")
}

impl Mailer for SesMailer {
    async fn send(&self, email: &Email) -> Result<String, SendError> {
        let message = Message::builder()
            .subject(utf8(&email.subject))
            .body(
                Body::builder()
                    .text(utf8(&email.text))
                    .html(utf8(&email.html))
                    .build(),
            )
            .build();
        let result = self
            .client
            .send_email()
            .from_email_address(&self.from)
            .destination(
                Destination::builder()
                    .to_addresses(email.to.as_ref())
                    .build(),
            )
            .content(EmailContent::builder().simple(message).build())
            .send()
            .await;
        match result {
            Ok(out) => Ok(out.message_id.unwrap_or_default()),
            Err(err) => {
                let permanent = err.as_service_error().is_some_and(|e| {
                    e.is_message_rejected()
                        || e.is_mail_from_domain_not_verified_exception()
                        || e.is_bad_request_exception()
                        || e.is_account_suspended_exception()
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
