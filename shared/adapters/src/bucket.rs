//! The uploads bucket in S3: every read, write and delete of its files (uploads, print
//! copies of photos, printed documents), the links to download one and the browser
//! forms to upload one. Functions reach the bucket only through [`S3UploadsBucket`].

use std::time::{Duration, SystemTime};

use aws_sdk_s3::error::{DisplayErrorContext, SdkError};
use domain::PortFailure;
use domain::ports::documents::{StoredFile, UploadsBucket};

use crate::upload_form::{UploadForm, UploadForms, UploadRules};

/// An S3 failure, with what the code was doing.
fn failed<E: std::error::Error + 'static, R: std::fmt::Debug>(
    doing: &'static str,
) -> impl FnOnce(SdkError<E, R>) -> PortFailure {
    move |err| PortFailure::new(doing, DisplayErrorContext(&err).to_string())
}

/// The uploads bucket.
#[derive(Debug, Clone)]
pub struct S3UploadsBucket {
    s3: aws_sdk_s3::Client,
    bucket: String,
    forms: UploadForms,
}

impl S3UploadsBucket {
    pub fn new(s3: aws_sdk_s3::Client, bucket: impl Into<String>, forms: UploadForms) -> Self {
        Self {
            s3,
            bucket: bucket.into(),
            forms,
        }
    }

    /// The whole file at `key`; `None` when there is no such file.
    pub async fn read_whole(&self, key: &str) -> Result<Option<Vec<u8>>, PortFailure> {
        match self.read(key, u64::MAX).await? {
            Some(StoredFile::Read(bytes)) => Ok(Some(bytes)),
            Some(StoredFile::TooLarge { .. }) | None => Ok(None),
        }
    }

    /// The file at `key`, read only if it is at most `max_bytes` long; `None` when there
    /// is no such file.
    pub async fn read(&self, key: &str, max_bytes: u64) -> Result<Option<StoredFile>, PortFailure> {
        let object = match self
            .s3
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(object) => object,
            Err(err) if err.as_service_error().is_some_and(|e| e.is_no_such_key()) => {
                return Ok(None);
            }
            Err(err) => return Err(failed("reading a file of the uploads bucket")(err)),
        };
        let size = object.content_length().map_or(0, |n| n.max(0) as u64);
        // Never read more than the limit: the body of a larger file is left unread.
        if size > max_bytes {
            return Ok(Some(StoredFile::TooLarge { size }));
        }
        let bytes = object
            .body
            .collect()
            .await
            .map_err(|err| PortFailure::new("reading the body of an uploaded file", err))?
            .into_bytes();
        Ok(Some(StoredFile::Read(bytes.to_vec())))
    }

    /// Whether a file is stored at `key`.
    pub async fn exists(&self, key: &str) -> Result<bool, PortFailure> {
        match self
            .s3
            .head_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(err) if err.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(false),
            Err(err) => Err(failed("looking for a file in the uploads bucket")(err)),
        }
    }

    /// Stores `bytes` of `content_type` at `key`, over any file there.
    pub async fn write(
        &self,
        key: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<(), PortFailure> {
        self.s3
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(bytes.into())
            .send()
            .await
            .map_err(failed("storing a file in the uploads bucket"))?;
        Ok(())
    }

    /// Deletes the files at `keys`; a key with no file is no error.
    pub async fn delete(&self, keys: impl IntoIterator<Item = String>) -> Result<(), PortFailure> {
        for key in keys {
            self.s3
                .delete_object()
                .bucket(&self.bucket)
                .key(key)
                .send()
                .await
                .map_err(failed("deleting a file of the uploads bucket"))?;
        }
        Ok(())
    }

    /// A link to download the file at `key`, valid `valid_for`.
    pub async fn download_link(
        &self,
        key: &str,
        valid_for: Duration,
    ) -> Result<String, PortFailure> {
        let config = aws_sdk_s3::presigning::PresigningConfig::expires_in(valid_for)
            .map_err(|err| PortFailure::new("signing a download link", err))?;
        let presigned = self
            .s3
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .presigned(config)
            .await
            .map_err(failed("signing a download link"))?;
        Ok(presigned.uri().to_owned())
    }

    /// A browser form to upload exactly one file as `rules` say, signed at `now`.
    pub async fn upload_form(
        &self,
        rules: &UploadRules<'_>,
        now: SystemTime,
    ) -> Result<UploadForm, PortFailure> {
        self.forms
            .form(rules, now)
            .await
            .map_err(|err| PortFailure::new("signing an upload form", err))
    }
}

impl UploadsBucket for S3UploadsBucket {
    async fn read(&self, key: &str, max_bytes: u64) -> Result<Option<StoredFile>, PortFailure> {
        S3UploadsBucket::read(self, key, max_bytes).await
    }

    async fn write(
        &self,
        key: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<(), PortFailure> {
        S3UploadsBucket::write(self, key, content_type, bytes).await
    }

    async fn delete(&self, keys: Vec<String>) -> Result<(), PortFailure> {
        S3UploadsBucket::delete(self, keys).await
    }
}
