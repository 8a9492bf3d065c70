//! S3 event notifications as they arrive in SQS message bodies, parsed leniently: the
//! local endpoint omits fields real S3 sends (`userIdentity`, `sequencer`, ...), so the
//! strict `aws_lambda_events` type cannot be used, and keys arrive form-encoded.

use std::future::Future;

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use serde::Deserialize;

use crate::sqs_batch::{self, MessageFailure, Undecodable};

/// One object-created record: where the object is and how big.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectCreated {
    pub bucket: String,
    /// The key, decoded.
    pub key: String,
    pub size: Option<u64>,
}

#[derive(Deserialize)]
struct Notification {
    #[serde(rename = "Records", default)]
    records: Vec<Record>,
}

#[derive(Deserialize)]
struct Record {
    #[serde(rename = "eventName", default)]
    event_name: String,
    s3: S3,
}

#[derive(Deserialize)]
struct S3 {
    bucket: BucketRef,
    object: ObjectRef,
}

#[derive(Deserialize)]
struct BucketRef {
    name: String,
}

#[derive(Deserialize)]
struct ObjectRef {
    key: String,
    size: Option<u64>,
}

/// Why a body is not an S3 notification we can act on.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum S3EventError {
    #[error("not an S3 event notification")]
    NotAnEvent,
    #[error("an object key is not valid percent-encoded UTF-8")]
    BadKey,
}

/// The object-created records of one SQS message body. The `s3:TestEvent` S3 sends when
/// notifications are configured has no records and yields an empty list.
pub fn object_created(body: &str) -> Result<Vec<ObjectCreated>, S3EventError> {
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|_| S3EventError::NotAnEvent)?;
    if value.get("Event").and_then(|e| e.as_str()) == Some("s3:TestEvent") {
        return Ok(Vec::new());
    }
    let notification: Notification =
        serde_json::from_value(value).map_err(|_| S3EventError::NotAnEvent)?;
    notification
        .records
        .into_iter()
        .filter(|r| r.event_name.starts_with("ObjectCreated:"))
        .map(|r| {
            Ok(ObjectCreated {
                bucket: r.s3.bucket.name,
                key: decode_key(&r.s3.object.key)?,
                size: r.s3.object.size,
            })
        })
        .collect()
}

/// Handles every object created that an SQS batch of S3 events reports, the messages
/// at most `concurrency` at a time (see [`sqs_batch::each_message`]). A message fails
/// when it is no S3 event (for good: it reaches the DLQ) or when any of its objects
/// does; the other objects of the message are handled all the same.
pub async fn each_object<E, Fut>(
    event: SqsEvent,
    concurrency: usize,
    handle: impl Fn(ObjectCreated) -> Fut,
) -> SqsBatchResponse
where
    E: MessageFailure,
    Fut: Future<Output = Result<(), E>>,
{
    let handle = &handle;
    sqs_batch::each_message(
        event,
        concurrency,
        "S3 event",
        |body| object_created(body).map_err(|err| Undecodable::new(err.to_string())),
        |objects| async move {
            let mut outcome = Ok(());
            for object in objects {
                if let Err(err) = handle(object).await {
                    outcome = Err(err);
                }
            }
            outcome
        },
    )
    .await
}

/// S3 form-encodes keys in events: `+` is a space, `%XX` a byte.
pub fn decode_key(raw: &str) -> Result<String, S3EventError> {
    let spaced = raw.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .map(|k| k.into_owned())
        .map_err(|_| S3EventError::BadKey)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_decoded() {
        assert_eq!(
            decode_key("photo%2Facc-1%2Fmy+photo.jpg").unwrap(),
            "photo/acc-1/my photo.jpg"
        );
        assert_eq!(
            decode_key("scan/%D0%BF%D0%B0%D1%81%D0%BF%D0%BE%D1%80%D1%82.jpg").unwrap(),
            "scan/паспорт.jpg"
        );
        assert_eq!(decode_key("bad%FF"), Err(S3EventError::BadKey));
    }

    #[test]
    fn a_record_without_the_fields_moto_omits_parses() {
        let body = r#"{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
            "eventTime":"2026-11-23T06:00:00.000Z","eventName":"ObjectCreated:Put",
            "s3":{"s3SchemaVersion":"1.0","configurationId":"c","bucket":{"name":"b","arn":"arn:aws:s3:::b"},
            "object":{"key":"passport%2Fa%2Fp.jpg","size":5,"eTag":"x","versionId":null}}}]}"#;
        assert_eq!(
            object_created(body).unwrap(),
            vec![ObjectCreated {
                bucket: "b".into(),
                key: "passport/a/p.jpg".into(),
                size: Some(5)
            }]
        );
    }

    #[test]
    fn the_test_event_has_no_objects_and_garbage_is_refused() {
        let test_event = r#"{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-23T06:00:00Z","Bucket":"b"}"#;
        assert_eq!(object_created(test_event).unwrap(), vec![]);
        assert_eq!(object_created("nope"), Err(S3EventError::NotAnEvent));
        assert_eq!(
            object_created(r#"{"Records":[{"s3":{}}]}"#),
            Err(S3EventError::NotAnEvent)
        );
    }
}
