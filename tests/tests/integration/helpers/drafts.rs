//! Registration drafts: calls with a draft's token, a draft's uploads, and the sign-up
//! form of a foreign host filled from the draft's passport scan.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use super::accounts::HOST_PASSWORD;
use super::host::{TestHost, eventually, unique_email, unique_phone};
use super::mail::codes_sent_to;
use super::uploads::post_form;

/// A draft with a passport scan and a photo, both checked.
#[derive(Debug, Clone)]
pub struct DraftWithUploads {
    pub draft: String,
    pub scan: String,
    pub photo: String,
}

/// The sign-up of a foreign host owner filled from a draft's passport scan: fill in a
/// challenge and a draft token with [`ForeignOwnerSignUp::form`].
#[derive(Debug, Clone)]
pub struct ForeignOwnerSignUp {
    pub email: String,
    pub phone: String,
    /// The zone's fields.
    pub fields: Value,
    pub scan: String,
    pub photo: String,
}

impl ForeignOwnerSignUp {
    /// The form with `challenge` solved, naming `draft` (or no draft).
    pub fn form(&self, challenge: (String, String), draft: Option<&str>) -> Value {
        let f = &self.fields;
        json!({
            "type": "host_foreign_owner", "consent": true,
            "challenge_id": challenge.0, "challenge_answer": challenge.1,
            "draft_token": draft,
            "email": self.email, "phone": self.phone.trim_start_matches('+'),
            "password": HOST_PASSWORD, "password_repeat": HOST_PASSWORD,
            "surname": f["surname"], "given_names": f["given_names"],
            "birth_date": f["birth_date"], "sex": f["sex"],
            "document_country": f["issuing_state"], "document_number": f["document_number"],
            "document_issued": "2021-05-17", "document_expires": f["expiry_date"],
            "passport_scan": self.scan, "photo": self.photo
        })
    }
}

impl TestHost {
    /// One call with a draft's token (or none) in `X-Draft-Token`: status and body.
    pub async fn with_draft(
        &self,
        method: Method,
        path: &str,
        draft: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let mut request = reqwest::Client::new()
            .request(method, format!("{}{path}", self.url()))
            .header("accept-language", "en");
        if let Some(draft) = draft {
            request = request.header("x-draft-token", draft);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A new registration draft's token.
    pub async fn new_draft(&self) -> String {
        let (status, draft) = self
            .with_draft(Method::POST, "/v1/registration-drafts", None, None)
            .await;
        assert_eq!(status, 201, "{draft}");
        assert_eq!(draft["expires_in_secs"], 3600);
        assert_eq!(draft["max_uploads"], 10);
        draft["draft_token"].as_str().unwrap().to_owned()
    }

    /// Asks for an upload of `kind` under `draft` and sends no file: status and answer.
    pub async fn draft_upload_request(&self, draft: &str, kind: &str) -> (u16, Value) {
        self.with_draft(
            Method::POST,
            "/v1/registration-drafts/uploads",
            Some(draft),
            Some(&json!({"kind": kind, "content_type": "image/jpeg"})),
        )
        .await
    }

    /// Uploads `bytes` as a document of `kind` of the draft; its id.
    pub async fn draft_upload(&self, draft: &str, kind: &str, bytes: Vec<u8>) -> String {
        let (status, issued) = self.draft_upload_request(draft, kind).await;
        assert_eq!(status, 201, "{issued}");
        post_form(&issued, bytes).await
    }

    /// The draft's document once its check has run.
    pub async fn draft_checked(&self, draft: &str, id: &str) -> Value {
        eventually(Duration::from_secs(30), "the check", || async {
            let (status, document) = self
                .with_draft(
                    Method::GET,
                    &format!("/v1/registration-drafts/uploads/{id}"),
                    Some(draft),
                    None,
                )
                .await;
            assert_eq!(status, 200, "{document}");
            (document["status"] != "awaiting_upload").then_some(document)
        })
        .await
    }

    /// A new draft with the passport scan of synthetic sample 52 (a foreign passport)
    /// and a portrait photo, both checked.
    pub async fn draft_with_uploads(&self) -> DraftWithUploads {
        let draft = self.new_draft().await;
        let sample = mrz_reader::synth::sample(52);
        let scan = self
            .draft_upload(&draft, "passport_scan", sample.jpeg)
            .await;
        let photo = self
            .draft_upload(&draft, "photo", imaging::fixtures::portrait_jpeg())
            .await;
        assert_eq!(self.draft_checked(&draft, &scan).await["mrz_read"], true);
        assert_eq!(
            self.draft_checked(&draft, &photo).await["status"],
            "checked"
        );
        DraftWithUploads { draft, scan, photo }
    }

    /// The sign-up of a foreign host owner with fresh contacts, filled from the zone of
    /// the draft's scan.
    pub async fn foreign_owner_sign_up(&self, uploads: &DraftWithUploads) -> ForeignOwnerSignUp {
        let (status, zone) = self
            .with_draft(
                Method::GET,
                &format!("/v1/registration-drafts/uploads/{}/mrz", uploads.scan),
                Some(&uploads.draft),
                None,
            )
            .await;
        assert_eq!(status, 200, "{zone}");
        ForeignOwnerSignUp {
            email: unique_email(),
            phone: unique_phone(),
            fields: zone["fields"].clone(),
            scan: uploads.scan.clone(),
            photo: uploads.photo.clone(),
        }
    }

    /// Signs up a foreign host owner with the draft's documents, activates it with the
    /// code it was sent and signs in: its session token. The draft is used up.
    pub async fn claimed(&self, uploads: &DraftWithUploads) -> String {
        let sign_up = self.foreign_owner_sign_up(uploads).await;
        let form = sign_up.form(self.solved_challenge().await, Some(&uploads.draft));
        let (status, _, body) = self.post("/v1/accounts", &form, "en").await;
        assert_eq!(status, 202, "{body}");
        let code = codes_sent_to(&sign_up.phone, 1).await.remove(0);
        let (status, _, _) = self
            .post(
                "/v1/accounts/activation",
                &json!({"email": sign_up.email, "code": code}),
                "en",
            )
            .await;
        assert_eq!(status, 200);
        self.session(&sign_up.email, HOST_PASSWORD).await
    }
}

/// The documents the sign-up of `form`'s account type must name: (field, kind).
fn required_documents(form: &Value) -> Vec<(&'static str, &'static str)> {
    match form["type"].as_str().unwrap_or_default() {
        "host_citizen" | "host_foreign_owner" => {
            vec![("passport_scan", "passport_scan"), ("photo", "photo")]
        }
        "employer" => {
            let mut documents = vec![
                ("staff_list", "staff_list"),
                ("registration_certificate", "certificate"),
            ];
            if form["licensed_activity"] == true {
                documents.push(("licence", "licence"));
            }
            documents
        }
        "foreign_entrepreneur" | "digital_nomad" => vec![
            ("photo", "photo"),
            ("passport_page1", "passport_scan"),
            ("passport_page2", "passport_scan"),
        ],
        _ => Vec::new(),
    }
}

impl TestHost {
    /// `form` with a new draft holding the documents its account type must name, each
    /// checked: a portrait photo, and a one-page PDF for every other document. Fields
    /// the form already names are left as they are.
    pub async fn documented(&self, mut form: Value) -> Value {
        let missing: Vec<_> = required_documents(&form)
            .into_iter()
            .filter(|(field, _)| form.get(*field).is_none_or(Value::is_null))
            .collect();
        if missing.is_empty() {
            return form;
        }
        let draft = self.new_draft().await;
        let mut uploaded = Vec::new();
        for (field, kind) in missing {
            let bytes = if kind == "photo" {
                imaging::fixtures::portrait_jpeg()
            } else {
                imaging::fixtures::pdf(1)
            };
            uploaded.push((field, self.draft_upload(&draft, kind, bytes).await));
        }
        for (field, id) in uploaded {
            let document = self.draft_checked(&draft, &id).await;
            assert_eq!(document["status"], "checked", "{document}");
            form[field] = json!(id);
        }
        form["draft_token"] = json!(draft);
        form
    }
}
