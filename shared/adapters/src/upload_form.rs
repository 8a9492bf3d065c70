//! Browser upload forms for S3 (POST policy, signature version 4). The SDK presigns
//! PUT and GET but not POST, and only a POST policy lets S3 itself enforce a size range
//! and the content type; the signing key comes from `aws-sigv4`. Functions ask for a
//! form through the bucket adapter ([`crate::bucket::S3UploadsBucket::upload_form`]).

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use aws_config::SdkConfig;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use base64::Engine;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::macros::format_description;

/// Where to POST the file and the form fields to send with it (the file last, as `file`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UploadForm {
    pub url: String,
    pub fields: BTreeMap<String, String>,
}

/// What one upload may be.
#[derive(Debug, Clone)]
pub struct UploadRules<'a> {
    pub key: &'a str,
    pub content_type: &'a str,
    pub max_bytes: u64,
    pub valid_for: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum FormError {
    #[error("no AWS credentials to sign with: {0}")]
    Credentials(String),
    #[error("the clock is outside what a policy can state")]
    Clock,
}

/// Signs upload forms for one bucket.
#[derive(Debug, Clone)]
pub struct UploadForms {
    credentials: Option<SharedCredentialsProvider>,
    region: String,
    bucket: String,
    url: String,
}

impl UploadForms {
    pub fn new(sdk: &SdkConfig, bucket: &str) -> Self {
        let region = sdk
            .region()
            .map(|r| r.as_ref().to_owned())
            .unwrap_or_else(|| "us-east-1".into());
        // Emulators serve buckets by path; AWS by virtual host.
        let url = match sdk.endpoint_url() {
            Some(endpoint) => format!("{}/{bucket}", endpoint.trim_end_matches('/')),
            None => format!("https://{bucket}.s3.{region}.amazonaws.com"),
        };
        UploadForms {
            credentials: sdk.credentials_provider(),
            region,
            bucket: bucket.to_owned(),
            url,
        }
    }

    /// A form for exactly one object: its key, its content type, at most `max_bytes`.
    pub async fn form(
        &self,
        rules: &UploadRules<'_>,
        now: SystemTime,
    ) -> Result<UploadForm, FormError> {
        let provider = self
            .credentials
            .as_ref()
            .ok_or_else(|| FormError::Credentials("none configured".into()))?;
        let credentials = provider
            .provide_credentials()
            .await
            .map_err(|e| FormError::Credentials(e.to_string()))?;
        let at = OffsetDateTime::from(now);
        let date = at
            .format(format_description!("[year][month][day]"))
            .map_err(|_| FormError::Clock)?;
        let date_time = at
            .format(format_description!(
                "[year][month][day]T[hour][minute][second]Z"
            ))
            .map_err(|_| FormError::Clock)?;
        let expiration = (at + rules.valid_for)
            .format(format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].000Z"
            ))
            .map_err(|_| FormError::Clock)?;
        let credential = format!(
            "{}/{date}/{}/s3/aws4_request",
            credentials.access_key_id(),
            self.region
        );
        let mut fields = BTreeMap::from([
            ("key".to_owned(), rules.key.to_owned()),
            ("Content-Type".to_owned(), rules.content_type.to_owned()),
            ("x-amz-algorithm".to_owned(), "AWS4-HMAC-SHA256".to_owned()),
            ("x-amz-credential".to_owned(), credential),
            ("x-amz-date".to_owned(), date_time),
        ]);
        if let Some(token) = credentials.session_token() {
            fields.insert("x-amz-security-token".into(), token.to_owned());
        }
        let mut conditions = vec![
            serde_json::json!({ "bucket": self.bucket }),
            serde_json::json!(["content-length-range", 1, rules.max_bytes]),
        ];
        conditions.extend(
            fields
                .iter()
                .map(|(name, value)| serde_json::json!({ name: value })),
        );
        let policy = serde_json::json!({ "expiration": expiration, "conditions": conditions });
        let policy = base64::engine::general_purpose::STANDARD.encode(policy.to_string());
        let signing_key = aws_sigv4::sign::v4::generate_signing_key(
            credentials.secret_access_key(),
            now,
            &self.region,
            "s3",
        );
        let signature = aws_sigv4::sign::v4::calculate_signature(signing_key, policy.as_bytes());
        fields.insert("policy".into(), policy);
        fields.insert("x-amz-signature".into(), signature);
        Ok(UploadForm {
            url: self.url.clone(),
            fields,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_policy_binds_key_type_size_and_expiry_and_is_signed() {
        let sdk = SdkConfig::builder()
            .region(aws_config::Region::new("eu-central-1"))
            .credentials_provider(SharedCredentialsProvider::new(
                aws_credential_types::Credentials::new(
                    "AKIDEXAMPLE",
                    "secret",
                    Some("tok".into()),
                    None,
                    "test",
                ),
            ))
            .build();
        let forms = UploadForms::new(&sdk, "uploads");
        let rules = UploadRules {
            key: "photo/acc_1/upl_1",
            content_type: "image/jpeg",
            max_bytes: 5_000_000,
            valid_for: Duration::from_secs(600),
        };
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000);
        let form = forms.form(&rules, at).await.unwrap();
        assert_eq!(form.url, "https://uploads.s3.eu-central-1.amazonaws.com");
        assert_eq!(form.fields["x-amz-security-token"], "tok");
        assert!(
            form.fields["x-amz-credential"].starts_with("AKIDEXAMPLE/20261118/eu-central-1/s3/")
        );
        let policy: serde_json::Value = serde_json::from_slice(
            &base64::engine::general_purpose::STANDARD
                .decode(&form.fields["policy"])
                .unwrap(),
        )
        .unwrap();
        let conditions = policy["conditions"].as_array().unwrap();
        assert!(conditions.contains(&serde_json::json!(["content-length-range", 1, 5_000_000])));
        assert!(conditions.contains(&serde_json::json!({"key": "photo/acc_1/upl_1"})));
        assert!(conditions.contains(&serde_json::json!({"Content-Type": "image/jpeg"})));
        assert_eq!(policy["expiration"], "2026-11-18T11:16:40.000Z");
        assert_eq!(form.fields["x-amz-signature"].len(), 64);
        // The same inputs sign the same; another key signs otherwise.
        let again = forms.form(&rules, at).await.unwrap();
        assert_eq!(
            again.fields["x-amz-signature"],
            form.fields["x-amz-signature"]
        );
    }
}
