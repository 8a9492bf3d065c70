//! The sample events in `events/`, with what only exists at test time filled in.

use adapters::{Bucket, Deps};
use serde_json::Value;

/// `sample` with each `{{NAME}}` placeholder named in `fills` replaced by its value;
/// panics if a placeholder is left (see `events/README.md` for what each sample needs).
pub fn filled(sample: &str, fills: &[(&str, &str)]) -> String {
    let mut text = sample.to_owned();
    for (name, value) in fills {
        let placeholder = format!("{{{{{name}}}}}");
        assert!(
            text.contains(&placeholder),
            "the sample has no {placeholder}"
        );
        text = text.replace(&placeholder, value);
    }
    assert!(!text.contains("{{"), "a placeholder is left in:\n{text}");
    text
}

/// Puts `bytes` where upload `id` expects its file, as the browser's form post would,
/// and returns the bucket and key an S3 notification of it names.
pub async fn put_upload_file(deps: &Deps, id: &str, bytes: Vec<u8>) -> (String, String) {
    let record = deps
        .documents()
        .get(id)
        .await
        .unwrap()
        .expect("the upload was asked for");
    let bucket = deps.resources.bucket(Bucket::Uploads).to_owned();
    deps.s3
        .put_object()
        .bucket(&bucket)
        .key(&record.key)
        .body(aws_sdk_s3::primitives::ByteStream::from(bytes))
        .send()
        .await
        .unwrap();
    (bucket, record.key)
}

/// The body of an axum response, as JSON.
pub async fn json_body(response: axum::response::Response) -> Value {
    let body = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .unwrap();
    serde_json::from_slice(&body).unwrap()
}

/// A schedule's sample parsed as the `serde_json::Value` its function's `main` takes
/// (and ignores: the schedule says only that it is time).
pub fn schedule_event(sample: &str) -> Value {
    let event: Value = serde_json::from_str(sample).unwrap();
    assert_eq!(event["detail-type"], "Scheduled Event");
    event
}
