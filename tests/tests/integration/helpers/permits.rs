//! Work permits tests start from: an employer's paid quota allocation, the border
//! service's people, the documents a permit form names, and the form itself.

use domain::account::values::{CountryCode, DocumentNumber, Sex};
use domain::clock::today_in_bishkek;
use domain::country::Country;
use domain::ework::{Holder, Visa};
use reqwest::Method;
use serde_json::{Value, json};
use time::Duration;

use super::accounts::Account;
use super::ereg::GUEST_SCAN;
use super::host::TestHost;

/// A quota form whose rows the permit tests draw on: welders from China, cooks from
/// India, drivers from Pakistan, welders from Turkey.
pub fn permit_quota_form() -> Value {
    let mut form = super::ework::quota_form(None);
    form["total"] = json!(11);
    form["rows"] = json!([
        {"country": "CHN", "position": "Welder", "count": 5},
        {"country": "IND", "position": "Cook", "count": 2},
        {"country": "PAK", "position": "Driver", "count": 2},
        {"country": "TUR", "position": "Welder", "count": 2}
    ]);
    form
}

/// The documents a permit form names: photo, passport page 1 and the HIV test
/// certificate, each checked.
#[derive(Debug, Clone)]
pub struct PermitDocuments {
    pub photo: String,
    pub passport: String,
    pub hiv: String,
}

/// A permit form for the passport `country` `number`, with the registration talon
/// `talon`, every other field valid.
pub fn permit_form(country: &str, number: &str, talon: &str, documents: &PermitDocuments) -> Value {
    json!({
        "document_country": country,
        "document_number": number,
        "birth_country": "CHN",
        "document_issued": "2021-03-15",
        "education": "higher",
        "marital_status": "married",
        "place_of_stay": "Bishkek, Chui avenue 120, apt 4",
        "position": "welder",
        "work_region": "bishkek",
        "highly_qualified": false,
        "relatives": [{"surname": "WANG", "given_names": "MEI", "birth_date": "2015-06-01", "kinship": "child"}],
        "registration_number": talon,
        "photo": documents.photo,
        "passport_page_1": documents.passport,
        "hiv_certificate": documents.hiv,
    })
}

impl TestHost {
    /// A quota application of `employer` confirmed with `allocated` places per row of
    /// [`permit_quota_form`] and its state fee recorded through the payment port: its
    /// number.
    pub async fn paid_allocation(
        &self,
        labour: &str,
        employer: &Account,
        allocated: [u32; 4],
    ) -> String {
        let submitted = self
            .quota_application(&employer.token, &permit_quota_form())
            .await;
        let number = submitted["number"].as_str().unwrap().to_owned();
        let decision = json!({
            "protocol_number": "5/2026",
            "decision_date": today_in_bishkek().to_string(),
            "allocated": allocated,
        });
        let (status, confirmed) = self
            .decide_application(labour, &number, "confirm", &decision)
            .await;
        assert_eq!(status, 200, "{confirmed}");
        let fee = confirmed["fee"]["amount"]["amount_minor"].as_u64().unwrap();
        let amount = domain::payment::Amount::new(fee, domain::stay::CURRENCY);
        let paid = self
            .deps
            .application_lifecycle()
            .record_fee(&number, &amount)
            .await
            .unwrap();
        assert!(paid.allocation_usable());
        number
    }

    /// What the search says of passport `country` `number` to the employer signed in
    /// with `token`, in `lang`.
    pub async fn search_foreigner(
        &self,
        token: &str,
        country: &str,
        number: &str,
        lang: &str,
    ) -> Value {
        let body = json!({"document_country": country, "document_number": number});
        let (status, found) = self
            .api_lang(
                Method::POST,
                "/v1/work-permits/search",
                Some(token),
                Some(&body),
                lang,
            )
            .await;
        assert_eq!(status, 200, "{found}");
        found
    }

    /// The reason codes of the search for passport `country` `number`.
    pub async fn search_reasons(&self, token: &str, country: &str, number: &str) -> Vec<String> {
        let found = self.search_foreigner(token, country, number, "en").await;
        found["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Tells the border service of the holder of passport `country` `number`: a citizen
    /// of that country (`D`: Germany; China when the code is no country) who
    /// entered five days ago, with a work visa valid for a year.
    pub async fn border_knows(&self, country: &str, number: &str) -> Holder {
        let today = today_in_bishkek();
        let holder = Holder {
            document_country: CountryCode::parse(country).unwrap(),
            document_number: DocumentNumber::parse(number).unwrap(),
            nationality: Country::parse(if country == "D" { "DEU" } else { country })
                .unwrap_or_else(|_| Country::parse("CHN").unwrap()),
            surname: "WANG".into(),
            given_names: "LEI".into(),
            patronymic: None,
            birth_date: time::macros::date!(1990 - 04 - 01),
            sex: Sex::Male,
            document_type: "ORDINARY PASSPORT".into(),
            document_valid_until: today + Duration::days(2000),
            last_entry: Some(today - Duration::days(5)),
            last_exit: None,
        };
        let visa = Visa {
            number: format!("W{number}"),
            visa_type: "W1".into(),
            multiple: true,
            valid_from: today - Duration::days(10),
            valid_to: today + Duration::days(355),
        };
        self.deps
            .border()
            .seed(std::slice::from_ref(&holder), &[(holder.key(), visa)])
            .await
            .unwrap();
        holder
    }

    /// The checked documents a permit form names, uploaded by the employer signed in
    /// with `token`.
    pub async fn permit_documents(&self, token: &str) -> PermitDocuments {
        let photo = self.photo(token).await;
        let (passport, _) = self.passport_scan(token, super::ereg::GUEST_SCAN).await;
        let hiv = self
            .upload(token, "hiv_certificate", imaging::fixtures::pdf(1))
            .await;
        assert_eq!(self.checked(token, &hiv).await["status"], "checked");
        PermitDocuments {
            photo,
            passport,
            hiv,
        }
    }

    /// A valid registration of the guest passport, known to the border service, and an
    /// employer with a paid allocation: (employer, labour, talon number, guest country,
    /// guest number).
    pub async fn registered_foreigner(&self) -> (Account, String, String, String, String) {
        let owner = self.host_with_pin().await;
        let guest = self.guest_form(&owner, GUEST_SCAN).await;
        let registrar = self.operator("registration_operator").await;
        let (_, confirmed) = self
            .confirmed_registration(&owner.token, &guest.with_pin(), &registrar)
            .await;
        let talon = confirmed["registration_number"]
            .as_str()
            .unwrap()
            .to_owned();
        let (country, number) = (guest.document_country(), guest.document_number());
        self.border_knows(&country, &number).await;
        let labour = self.operator("labour_operator").await;
        let employer = self.active_employer(&labour).await;
        self.paid_allocation(&labour, &employer, [3, 0, 0, 2]).await;
        (employer, labour, talon, country, number)
    }

    /// A work-permit application for the registered guest, submitted over HTTP:
    /// (employer, labour operator, the application as submitted, guest country, guest
    /// number).
    pub async fn submitted_permit(&self) -> (Account, String, Value, String, String) {
        let (employer, labour, talon, country, number) = self.registered_foreigner().await;
        let documents = self.permit_documents(&employer.token).await;
        let form = permit_form(&country, &number, &talon, &documents);
        let (status, submitted) = self
            .api_lang(
                Method::POST,
                "/v1/work-permit-applications",
                Some(&employer.token),
                Some(&form),
                "ru",
            )
            .await;
        assert_eq!(status, 201, "{submitted}");
        (employer, labour, submitted, country, number)
    }
}
