//! Stay registrations tests start from: the homes the registry knows, a host's housing,
//! the form filled from a passport scan's zone, and registrations submitted, paid
//! through the payment port, and confirmed.

use adapters::stay_lifecycle::{MoveError, Payment};
use domain::stay::Stay;
use reqwest::Method;
use serde_json::{Value, json};

use super::accounts::PinHost;
use super::host::TestHost;

/// A home the registry lists the helpers' hosts (personal number 21505199012345) as
/// owner of.
pub const OWN_HOME: &str = "1-04-03-0178-9183-097";
/// Another home of the same owner.
pub const OTHER_OWN_HOME: &str = "3-01-07-0557-2618-074";
/// A home of someone else.
pub const STRANGERS_HOME: &str = "1-01-01-0325-2069";
/// The passport scan (a synthetic sample) the helpers' guests carry.
pub const GUEST_SCAN: u64 = 52;
/// The ereg fee in tyiyn.
pub const FEE_MINOR: u64 = 10_300;

/// The date `days` from today in Bishkek, as the forms write it.
pub fn days_from_today(days: i64) -> String {
    (domain::clock::today_in_bishkek() + time::Duration::days(days)).to_string()
}

/// The (field, code) pairs of a problem's field errors, in order.
pub fn codes_of(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// [`codes_of`], sorted.
pub fn sorted_codes_of(problem: &Value) -> Vec<(String, String)> {
    let mut codes = codes_of(problem);
    codes.sort();
    codes
}

/// A registration ready to submit: the host's form, its PIN and what the form names.
#[derive(Debug, Clone)]
pub struct GuestForm {
    /// The form as checked (`/v1/registrations/check`), without the PIN.
    pub form: Value,
    /// The host's action PIN.
    pub pin: String,
    pub scan: String,
    pub photo: String,
    /// The zone lines of the guest's passport.
    pub lines: Vec<String>,
}

impl GuestForm {
    /// The form with the host's PIN, as submitted.
    pub fn with_pin(&self) -> Value {
        let mut form = self.form.clone();
        form["pin"] = json!(self.pin);
        form
    }

    /// [`Self::with_pin`] for the `slot`-th ten days from now (slots never overlap).
    pub fn in_slot(&self, slot: i64) -> Value {
        let mut form = self.with_pin();
        form["stay_from"] = json!(days_from_today(slot * 10));
        form["stay_to"] = json!(days_from_today(slot * 10 + 5));
        form
    }

    /// The guest's document country, as the zone writes it.
    pub fn document_country(&self) -> String {
        self.lines[0][2..5].trim_end_matches('<').to_owned()
    }

    /// The guest's document number, as the zone reads it.
    pub fn document_number(&self) -> String {
        self.lines[1][..9].trim_end_matches('<').to_owned()
    }
}

impl TestHost {
    /// Adds `code` to the host's housing with a technical passport scan.
    pub async fn add_housing(&self, token: &str, code: &str) {
        let document = self
            .upload(token, "technical_passport", imaging::fixtures::pdf(1))
            .await;
        assert_eq!(self.checked(token, &document).await["status"], "checked");
        let (status, body) = self
            .api(
                Method::POST,
                "/v1/housing",
                Some(token),
                Some(&json!({"housing_code": code, "document": document})),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }

    /// The form, filled from the scan's prefill as a host would after checking it.
    pub async fn form_from_prefill(
        &self,
        token: &str,
        scan: &str,
        photo: &str,
        housing: &str,
    ) -> Value {
        let (status, zone) = self
            .api(
                Method::GET,
                &format!("/v1/uploads/{scan}/mrz"),
                Some(token),
                None,
            )
            .await;
        assert_eq!(status, 200, "{zone}");
        let f = &zone["prefill"];
        json!({
            "housing_code": housing, "passport_scan": scan, "photo": photo,
            "surname": f["surname"], "given_names": f["given_names"],
            "birth_date": f["birth_date"], "sex": f["sex"], "nationality": f["nationality"],
            "document_type": f["document_type"],
            "document_country": f["document_country"], "document_number": f["document_number"],
            "document_issued": "2021-05-17", "document_expires": f["document_expires"],
            "entry_date": days_from_today(-2), "phone": "996700123456", "email": "guest@example.com",
            "stay_from": days_from_today(-1), "stay_to": days_from_today(60), "purpose": "tourism"
        })
    }

    /// Adds [`OWN_HOME`] to `host`'s housing, uploads the guest's passport scan (the
    /// synthetic sample `seed`) and a photo, and fills the form from the zone.
    pub async fn guest_form(&self, host: &PinHost, seed: u64) -> GuestForm {
        self.add_housing(&host.token, OWN_HOME).await;
        let (scan, lines) = self.passport_scan(&host.token, seed).await;
        let photo = self.photo(&host.token).await;
        let form = self
            .form_from_prefill(&host.token, &scan, &photo, OWN_HOME)
            .await;
        GuestForm {
            form,
            pin: host.pin.clone(),
            scan,
            photo,
            lines,
        }
    }

    /// Submits `form`; the registration number.
    pub async fn submitted_registration(&self, token: &str, form: &Value) -> String {
        let (status, submitted) = self
            .api(Method::POST, "/v1/registrations", Some(token), Some(form))
            .await;
        assert_eq!(status, 201, "{submitted}");
        submitted["registration"]["number"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Reports the fee of registration `number` paid in full through the payment port.
    pub async fn pay(&self, number: &str) -> Result<Stay, MoveError> {
        self.pay_amount(number, FEE_MINOR).await
    }

    /// Reports `amount_minor` tyiyn paid for registration `number` through the payment
    /// port.
    pub async fn pay_amount(&self, number: &str, amount_minor: u64) -> Result<Stay, MoveError> {
        self.deps
            .stay_lifecycle()
            .record_payment(
                number,
                &Payment {
                    amount_minor,
                    currency: "KGS".into(),
                },
            )
            .await
    }

    /// Submits `form` and pays the fee; the registration number.
    pub async fn paid_registration(&self, token: &str, form: &Value) -> String {
        let number = self.submitted_registration(token, form).await;
        self.pay(&number).await.unwrap();
        number
    }

    /// Submits `form`, pays the fee, and has `registrar` confirm it: the registration
    /// number and the answer to the confirmation.
    pub async fn confirmed_registration(
        &self,
        token: &str,
        form: &Value,
        registrar: &str,
    ) -> (String, Value) {
        let number = self.paid_registration(token, form).await;
        let (status, confirmed) = self
            .api(
                Method::POST,
                &format!("/v1/operator/registrations/{number}/confirm"),
                Some(registrar),
                None,
            )
            .await;
        assert_eq!(status, 200, "{confirmed}");
        (number, confirmed)
    }

    /// Registration `number` as its host sees it.
    pub async fn registration(&self, token: &str, number: &str) -> Value {
        self.api(
            Method::GET,
            &format!("/v1/registrations/{number}"),
            Some(token),
            None,
        )
        .await
        .1
    }
}
