//! Documents tests upload: generated images, the upload through the form S3 enforces,
//! waiting for the check, and what the uploads bucket holds.

use std::io::Cursor;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use super::host::{TestHost, eventually};

/// A `w`×`h` JPEG of a gradient: a valid image with no face and no zone.
pub fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 255) as u8, (y % 255) as u8, 200])
    })
    .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
    .unwrap();
    out
}

/// A synthetic passport data page, scanned a quarter turn round and skewed 6.7°.
pub fn rotated_passport_scan() -> mrz_reader::synth::Sample {
    let sample = mrz_reader::synth::sample(11);
    assert_eq!(sample.layout, mrz_reader::Layout::Td3);
    sample
}

/// Posts `bytes` with the form an upload request issued; the document's id.
pub async fn post_form(issued: &Value, bytes: Vec<u8>) -> String {
    assert_eq!(issued["document"]["status"], "awaiting_upload");
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in issued["form"]["fields"].as_object().unwrap() {
        form = form.text(name.clone(), value.as_str().unwrap().to_owned());
    }
    form = form.part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name("upload.jpg"),
    );
    let response = reqwest::Client::new()
        .post(issued["form"]["url"].as_str().unwrap())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    issued["document"]["upload_id"].as_str().unwrap().to_owned()
}

impl TestHost {
    /// Asks for an upload of `kind` and posts `bytes` with the form; the document's id.
    /// The upload is declared `application/pdf` when the bytes are a PDF and
    /// `image/jpeg` otherwise (what a browser says of a file named `.jpg`); see
    /// [`Self::upload_as`] to declare something else.
    pub async fn upload(&self, token: &str, kind: &str, bytes: Vec<u8>) -> String {
        let content_type = if bytes.starts_with(b"%PDF") {
            "application/pdf"
        } else {
            "image/jpeg"
        };
        self.upload_as(token, kind, content_type, bytes).await
    }

    /// [`Self::upload`] declaring `content_type`.
    pub async fn upload_as(
        &self,
        token: &str,
        kind: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> String {
        let issued = self.upload_request(token, kind, content_type).await;
        post_form(&issued, bytes).await
    }

    /// Asks for an upload of `kind` and sends no file: the answer with the form.
    pub async fn upload_request(&self, token: &str, kind: &str, content_type: &str) -> Value {
        let (status, issued) = self
            .api(
                Method::POST,
                "/v1/uploads",
                Some(token),
                Some(&json!({"kind": kind, "content_type": content_type})),
            )
            .await;
        assert_eq!(status, 201, "{issued}");
        issued
    }

    /// The document once its check has run.
    pub async fn checked(&self, token: &str, id: &str) -> Value {
        eventually(Duration::from_secs(30), "the image check", || async {
            let (_, document) = self
                .api(Method::GET, &format!("/v1/uploads/{id}"), Some(token), None)
                .await;
            (document["status"] != "awaiting_upload").then_some(document)
        })
        .await
    }

    /// The id of a portrait photo the check passed.
    pub async fn photo(&self, token: &str) -> String {
        let id = self
            .upload(token, "photo", imaging::fixtures::portrait_jpeg())
            .await;
        assert_eq!(self.checked(token, &id).await["status"], "checked");
        id
    }

    /// A synthetic TD3 passport scan that reads back exactly: (upload id, zone lines).
    pub async fn passport_scan(&self, token: &str, seed: u64) -> (String, Vec<String>) {
        let sample = mrz_reader::synth::sample(seed);
        assert_eq!(sample.layout, mrz_reader::Layout::Td3);
        self.scan_of(token, sample).await
    }

    /// A synthetic TD1 identity card (`ID` code) that reads back exactly: (upload id,
    /// zone lines).
    pub async fn id_card_scan(&self, token: &str, seed: u64) -> (String, Vec<String>) {
        let sample = mrz_reader::synth::sample_in(mrz_reader::Layout::Td1, seed);
        assert!(sample.lines[0].starts_with("ID"), "{:?}", sample.lines);
        self.scan_of(token, sample).await
    }

    async fn scan_of(
        &self,
        token: &str,
        sample: mrz_reader::synth::Sample,
    ) -> (String, Vec<String>) {
        let id = self.upload(token, "passport_scan", sample.jpeg).await;
        let document = self.checked(token, &id).await;
        assert_eq!(document["mrz_read"], true, "{document}");
        (id, sample.lines)
    }

    /// Whether the bucket holds the print copy of photo `id`.
    pub async fn print_copy_exists(&self, id: &str) -> bool {
        self.deps
            .s3
            .head_object()
            .bucket(self.deps.resources.bucket(adapters::Bucket::Uploads))
            .key(adapters::documents::DocumentRecord::print_copy_key(id))
            .send()
            .await
            .is_ok()
    }

    /// Whether the bucket still holds the file of document `id`.
    pub async fn object_exists(&self, id: &str) -> bool {
        let bucket = self.deps.resources.bucket(adapters::Bucket::Uploads);
        let listed = self
            .deps
            .s3
            .list_objects_v2()
            .bucket(bucket)
            .send()
            .await
            .unwrap();
        listed
            .contents()
            .iter()
            .any(|o| o.key().is_some_and(|k| k.ends_with(id)))
    }
}
