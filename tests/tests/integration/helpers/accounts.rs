//! Accounts tests start from: sign-up forms and solved challenges, ereg hosts activated
//! by the code they were sent, employers that confirmed their email, operators the
//! admin created, legal-entity hosts an operator created, and sign-in from a source
//! address of the test's choosing.

use reqwest::Method;
use serde_json::{Value, json};

use super::host::{ADMIN_PASSWORD, TestHost, test_key, unique_email, unique_phone};
use super::mail::{codes_sent_to, confirmation_request, link_in_email, token_of};

/// The password of every ereg host the helpers register.
pub const HOST_PASSWORD: &str = "Tash-Rabat#1994";
/// The password of every employer the helpers register.
pub const EMPLOYER_PASSWORD: &str = "Kok-Jar7ly!";
/// The password every operator sets by its link.
pub const OPERATOR_PASSWORD: &str = "Op3rator-Pass!";
/// The password a legal-entity host sets by its link.
pub const ENTITY_PASSWORD: &str = "Hotel-Ala-Too#1";

/// A signed-in account: where it hears from us and its session token.
#[derive(Debug, Clone)]
pub struct Account {
    pub email: String,
    pub phone: String,
    pub token: String,
}

/// An ereg host that can confirm actions: a signed-in account and its action PIN.
#[derive(Debug, Clone)]
pub struct PinHost {
    pub email: String,
    pub phone: String,
    pub token: String,
    pub pin: String,
}

/// An e-work employer's sign-up: its email and login.
#[derive(Debug, Clone)]
pub struct Employer {
    pub email: String,
    pub login: String,
}

/// A legal-entity host an operator created, its password set and signed in.
#[derive(Debug, Clone)]
pub struct LegalEntity {
    pub account_id: String,
    pub email: String,
    pub token: String,
    /// The letter the operator uploaded for it.
    pub letter: String,
}

/// A login of `prefix` and random letters, unlikely to repeat between tests.
pub fn unique_login(prefix: &str, len: usize) -> String {
    format!(
        "{prefix}{}",
        &uuid::Uuid::new_v4().simple().to_string()[..len]
    )
}

/// A source address (`x-forwarded-for`) unlikely to repeat between tests, so the
/// per-source limits of one test never trip another's.
pub fn unique_source() -> String {
    let n = uuid::Uuid::new_v4().as_u128();
    format!("198.51.{}.{}", (n % 250) as u8, ((n >> 8) % 250) as u8)
}

/// A citizen ereg host's sign-up form with a solved `challenge`.
pub fn host_form(email: &str, phone: &str, challenge: (String, String)) -> Value {
    json!({
        "type": "host_citizen", "consent": true,
        "challenge_id": challenge.0, "challenge_answer": challenge.1.to_lowercase(),
        "email": email, "phone": phone.trim_start_matches('+'),
        "password": HOST_PASSWORD, "password_repeat": HOST_PASSWORD,
        "surname": "Asanov", "given_names": "Aibek",
        "birth_date": "1990-05-15", "sex": "M", "document_country": "KGZ",
        "document_number": "AC1234567", "document_issued": "2020-01-10", "document_expires": "2030-01-09",
        "personal_number": "21505199012345"
    })
}

/// An employer's sign-up form with a solved `challenge`.
pub fn employer_form(email: &str, login: &str, challenge: (String, String)) -> Value {
    json!({
        "type": "employer", "consent": true, "challenge_id": challenge.0, "challenge_answer": challenge.1,
        "email": email, "login": login, "lang": "en",
        "password": EMPLOYER_PASSWORD, "password_repeat": EMPLOYER_PASSWORD,
        "representative_surname": "Asanova", "representative_name": "Aigerim",
        "legal_name": "Ala-Too Kurulush LLC", "registration_number": "123456-3301-OOO",
        "tax_id": "01234567891234", "founders": "Asanova A.", "activity": "Construction",
        "legal_address": "158 Toktogul Street, Bishkek", "actual_address": "158 Toktogul Street, Bishkek",
        "phones": ["+996312123456"]
    })
}

/// The form a registration operator sends to create a legal-entity host.
pub fn legal_entity_form(email: &str, phone: &str, letter: &str, scans: &[&str]) -> Value {
    json!({
        "legal_name": "Ala-Too Hotel LLC", "tax_id": "02345678912345",
        "representative_surname": "Tokonov", "representative_name": "Bakyt",
        "legal_address": "1 Kievskaya Street, Bishkek", "email": email,
        "phone": phone.trim_start_matches('+'), "lang": "en",
        "letter": letter, "scans": scans
    })
}

impl TestHost {
    /// Issues a challenge and answers it as the key holder can: (id, answer).
    pub async fn solved_challenge(&self) -> (String, String) {
        let issued: Value = reqwest::Client::new()
            .post(format!("{}/v1/challenges", self.url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = issued["challenge_id"].as_str().unwrap().to_owned();
        assert!(
            issued["image"]
                .as_str()
                .unwrap()
                .starts_with("data:image/png;base64,")
        );
        let answer = domain::challenge::answer(
            &test_key(),
            &domain::challenge::ChallengeId::parse(&id).unwrap(),
        );
        (id, answer)
    }

    /// Registers a citizen ereg host in the language `lang` (not activated): its email
    /// and phone.
    pub async fn registered_host(&self, lang: &str) -> (String, String) {
        let (email, phone) = (unique_email(), unique_phone());
        let form = host_form(&email, &phone, self.solved_challenge().await);
        let form = self.documented(form).await;
        let (status, _, _) = self.post("/v1/accounts", &form, lang).await;
        assert_eq!(status, 202);
        (email, phone)
    }

    /// Registers and activates a citizen ereg host (not signed in): its email and phone.
    pub async fn activated_host(&self) -> (String, String) {
        let (email, phone) = self.registered_host("en").await;
        let code = codes_sent_to(&phone, 1).await.remove(0);
        let (status, _, _) = self
            .post(
                "/v1/accounts/activation",
                &json!({"email": email, "code": code}),
                "en",
            )
            .await;
        assert_eq!(status, 200);
        (email, phone)
    }

    /// An ereg host that registered, activated and signed in.
    pub async fn active_ereg_host(&self) -> Account {
        let (email, phone) = self.activated_host().await;
        let token = self.session(&email, HOST_PASSWORD).await;
        Account {
            email,
            phone,
            token,
        }
    }

    /// An active, signed-in ereg host and the action PIN it was sent after activation.
    pub async fn host_with_pin(&self) -> PinHost {
        let Account {
            email,
            phone,
            token,
        } = self.active_ereg_host().await;
        let pin = codes_sent_to(&phone, 2).await.remove(1);
        PinHost {
            email,
            phone,
            token,
            pin,
        }
    }

    /// An employer that signed up and has not confirmed its email yet.
    pub async fn registered_employer(&self) -> Employer {
        let email = unique_email();
        let login = unique_login("emp", 8);
        let form = employer_form(&email, &login, self.solved_challenge().await);
        let form = self.documented(form).await;
        let (status, _, _) = self.post("/v1/accounts", &form, "en").await;
        assert_eq!(status, 202);
        Employer { email, login }
    }

    /// An employer that signed up and confirmed its email: it waits for a labour
    /// operator.
    pub async fn employer(&self) -> Employer {
        let employer = self.registered_employer().await;
        let link = link_in_email(&employer.email, "Confirm your email address").await;
        let confirmed: Value = reqwest::get(confirmation_request(&link))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(confirmed["status"], "awaiting_activation");
        employer
    }

    /// The admin's session token.
    pub async fn admin(&self) -> String {
        self.session("admin", ADMIN_PASSWORD).await
    }

    /// An operator of `role`, created by the admin, with the password set; its session
    /// token.
    pub async fn operator(&self, role: &str) -> String {
        let admin = self.admin().await;
        let email = unique_email();
        let login = unique_login("op", 10);
        let (status, body) = self
            .api(
                Method::POST,
                "/v1/operators",
                Some(&admin),
                Some(&json!({
                    "role": role, "login": login, "email": email, "phone": "+996312610000",
                    "surname": "Осмонова", "given_names": "Жылдыз", "lang": "en"
                })),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["account"]["type"], role);
        self.set_password_by_link(&email, OPERATOR_PASSWORD).await;
        self.session(&login, OPERATOR_PASSWORD).await
    }

    /// Sets the password of an account made by staff from the link mailed to `email`.
    pub async fn set_password_by_link(&self, email: &str, password: &str) {
        let link = link_in_email(email, "Set the password for your account").await;
        assert!(link.contains("/set-password?token="), "{link}");
        let (status, body) = self
            .api(
                Method::POST,
                "/v1/password-resets/complete",
                None,
                Some(&json!({"token": token_of(&link), "password": password, "password_repeat": password})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }

    /// The id of the waiting account with `email`, as a labour operator's list shows it.
    pub async fn waiting_id(&self, labour: &str, email: &str) -> String {
        let (status, list) = self
            .api(Method::GET, "/v1/operator/accounts", Some(labour), None)
            .await;
        assert_eq!(status, 200);
        list["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["email"] == email)
            .map(|a| a["account_id"].as_str().unwrap().to_owned())
            .expect("the account is in the list")
    }

    /// A legal-entity host the registration operator `registrar` created from a
    /// checked letter, with its password set by link and signed in.
    pub async fn legal_entity(&self, registrar: &str) -> LegalEntity {
        let letter = self
            .upload(registrar, "other", imaging::fixtures::pdf(1))
            .await;
        assert_eq!(self.checked(registrar, &letter).await["status"], "checked");
        let email = unique_email();
        let form = legal_entity_form(&email, &unique_phone(), &letter, &[]);
        let (status, created) = self
            .api(
                Method::POST,
                "/v1/operator/legal-entity-hosts",
                Some(registrar),
                Some(&form),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        let account_id = created["account"]["account_id"]
            .as_str()
            .unwrap()
            .to_owned();
        self.set_password_by_link(&email, ENTITY_PASSWORD).await;
        let token = self.session(&email, ENTITY_PASSWORD).await;
        LegalEntity {
            account_id,
            email,
            token,
            letter,
        }
    }

    /// A sign-in from the source address `source`, in English: the status, the headers
    /// and the body.
    pub async fn sign_in_from(
        &self,
        login: &str,
        password: &str,
        source: &str,
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        self.sign_in_with(&json!({"login": login, "password": password}), source)
            .await
    }

    /// [`Self::sign_in_from`] with a challenge solved, as a sign-in asked for one.
    pub async fn sign_in_solving_from(
        &self,
        login: &str,
        password: &str,
        source: &str,
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let (id, answer) = self.solved_challenge().await;
        let body = json!({"login": login, "password": password,
            "challenge_id": id, "challenge_answer": answer});
        self.sign_in_with(&body, source).await
    }

    async fn sign_in_with(
        &self,
        body: &Value,
        source: &str,
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/v1/sessions", self.url()))
            .header("x-forwarded-for", source)
            .header("accept-language", "en")
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (
            status,
            headers,
            response.json().await.unwrap_or(Value::Null),
        )
    }
}
