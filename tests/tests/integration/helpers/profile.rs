//! Accounts of every type editing their own data, and second factors at sign-in: the
//! sign-up form of each type, a pending change request, an enrolled authenticator, and
//! the two steps of a sign-in.

use reqwest::Method;
use serde_json::{Value, json};

use super::host::{TestHost, unique_email, unique_phone};
use super::mail::{codes_sent_to, confirmation_request, link_in_email};

/// The password of every account [`TestHost::signed_in_as`] registers.
pub const PROFILE_PASSWORD: &str = "Sary-Chelek#87x";

fn person(kind: &str, country: &str) -> Value {
    json!({
        "type": kind, "consent": true, "lang": "en",
        "password": PROFILE_PASSWORD, "password_repeat": PROFILE_PASSWORD,
        "surname": "Muller", "given_names": "Anna", "birth_date": "1988-02-29", "sex": "F",
        "document_country": country, "document_number": "C01X00T47",
        "document_issued": "2021-06-01", "document_expires": "2031-05-31"
    })
}

/// A sign-up form of `kind` with fresh contacts: (form, login, phone).
pub fn form_of(kind: &str, email: &str) -> (Value, String, String) {
    let login = format!("u{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let phone = unique_phone();
    let mut form = match kind {
        "employer" => json!({
            "type": "employer", "consent": true, "lang": "en",
            "password": PROFILE_PASSWORD, "password_repeat": PROFILE_PASSWORD,
            "representative_surname": "Asanova", "representative_name": "Aigerim",
            "legal_name": "Ala-Too Kurulush LLC", "registration_number": "123456-3301-OOO",
            "tax_id": "01234567891234", "founders": "Asanova A.", "activity": "Construction",
            "legal_address": "158 Toktogul Street, Bishkek", "actual_address": "158 Toktogul Street, Bishkek",
            "phones": [phone]
        }),
        "foreign_entrepreneur" => {
            let mut f = person(kind, "D");
            f["birth_place"] = json!("Hamburg");
            f
        }
        "digital_nomad" => {
            let mut f = person(kind, "D");
            f["document_type"] = json!("ordinary_passport");
            f["patronymic"] = json!("Karlovna");
            f
        }
        "host_foreign_owner" => person(kind, "KAZ"),
        other => panic!("{other}"),
    };
    form["email"] = json!(email);
    if kind.starts_with("host") {
        form["phone"] = json!(phone.trim_start_matches('+'));
    } else {
        form["login"] = json!(login);
        if kind != "employer" {
            form["phone"] = json!(phone);
        }
    }
    let login = if kind.starts_with("host") {
        email.to_owned()
    } else {
        login
    };
    (form, login, phone)
}

/// An authenticator app enrolled and confirmed for an account.
pub struct Authenticator {
    pub app: totp_rs::Totp,
    /// The ten backup codes the confirmation answered.
    pub backups: Vec<String>,
    /// The time whose code confirmed the enrolment (that step is spent).
    pub confirmed_at: u64,
}

impl TestHost {
    /// Registers `kind`, confirms it and, for e-work, has the labour operator `labour`
    /// activate it; returns the signed-in session.
    pub async fn signed_in_as(&self, kind: &str, labour: &str) -> String {
        self.signed_in_with_passport(kind, labour, None).await
    }

    /// [`Self::signed_in_as`], holding the passport `(country, number)` when given.
    pub async fn signed_in_with_passport(
        &self,
        kind: &str,
        labour: &str,
        passport: Option<(&str, &str)>,
    ) -> String {
        let email = unique_email();
        let (mut form, login, phone) = form_of(kind, &email);
        if let Some((country, number)) = passport {
            form["document_country"] = json!(country);
            form["document_number"] = json!(number);
        }
        let (id, answer) = self.solved_challenge().await;
        form["challenge_id"] = json!(id);
        form["challenge_answer"] = json!(answer);
        let form = self.documented(form).await;
        let (status, _, body) = self.post("/v1/accounts", &form, "en").await;
        assert_eq!(status, 202, "{kind}: {body}");
        if kind.starts_with("host") {
            let code = codes_sent_to(&phone, 1).await.remove(0);
            let (status, _, _) = self
                .post(
                    "/v1/accounts/activation",
                    &json!({"email": email, "code": code}),
                    "en",
                )
                .await;
            assert_eq!(status, 200, "{kind}");
        } else {
            let link = link_in_email(&email, "Confirm your email address").await;
            let confirmed = reqwest::get(confirmation_request(&link)).await.unwrap();
            assert_eq!(confirmed.status(), 200);
            let id = self.waiting_id(labour, &email).await;
            let (status, _) = self
                .api(
                    Method::POST,
                    &format!("/v1/operator/accounts/{id}/activation"),
                    Some(labour),
                    None,
                )
                .await;
            assert_eq!(status, 200, "{kind}");
        }
        self.session(&login, PROFILE_PASSWORD).await
    }

    /// Asks, as the holder of `token`, to change its data by `changes`: status and body.
    pub async fn change_request(&self, token: &str, changes: Value) -> (u16, Value) {
        self.api(
            Method::POST,
            "/v1/me/change-requests",
            Some(token),
            Some(&json!({ "changes": changes })),
        )
        .await
    }

    /// A pending request of the holder of `token` to change its photo to a new checked
    /// one: (request id, photo id).
    pub async fn pending_photo_change(&self, token: &str) -> (String, String) {
        let photo = self.photo(token).await;
        let (status, request) = self.change_request(token, json!({ "photo": photo })).await;
        assert_eq!(status, 202);
        let id = request["request_id"].as_str().unwrap().to_owned();
        (id, photo)
    }

    /// Enrols an authenticator app for the holder of `token` (whose password is
    /// `password`) and confirms it with the app's current code.
    pub async fn enrolled_authenticator(&self, token: &str, password: &str) -> Authenticator {
        let (status, enrolment) = self
            .api(
                Method::POST,
                "/v1/me/second-factor/totp",
                Some(token),
                Some(&json!({ "password": password })),
            )
            .await;
        assert_eq!(status, 200, "{enrolment}");
        let app = totp_rs::Totp::from_url(enrolment["otpauth_uri"].as_str().unwrap()).unwrap();
        let confirmed_at = domain::clock::now_secs();
        let (status, on) = self
            .api(
                Method::POST,
                "/v1/me/second-factor/totp/confirm",
                Some(token),
                Some(&json!({"code": app.generate(confirmed_at).to_string()})),
            )
            .await;
        assert_eq!(status, 200, "{on}");
        let backups = on["backup_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();
        Authenticator {
            app,
            backups,
            confirmed_at,
        }
    }

    /// The first step of a sign-in, with the password: status and body.
    pub async fn sign_in_step(&self, login: &str, password: &str) -> (u16, Value) {
        self.api(
            Method::POST,
            "/v1/sessions",
            None,
            Some(&json!({"login": login, "password": password})),
        )
        .await
    }

    /// The second step of a sign-in, with the code of the second factor: status and
    /// body.
    pub async fn second_step(&self, sign_in_token: &str, code: &str) -> (u16, Value) {
        self.api(
            Method::POST,
            "/v1/sessions/second-factor",
            None,
            Some(&json!({"sign_in_token": sign_in_token, "code": code})),
        )
        .await
    }
}
