//! e-work applicants and their applications: an active employer, a labour operator, a
//! quota application form, and the calls of both sides.

use reqwest::Method;
use serde_json::{Value, json};

use super::accounts::{Account, EMPLOYER_PASSWORD};
use super::host::TestHost;
use super::mail::{email_with_subject, link_in_email};

/// A quota application form with three rows (6 quotas), every field valid; `staff_list`
/// names a document when given.
pub fn quota_form(staff_list: Option<&str>) -> Value {
    let mut form = json!({
        "total": 6,
        "rows": [
            {"country": "CHN", "position": "Welder", "count": 3},
            {"country": "TUR", "position": "Site engineer", "count": 2},
            {"country": "UZB", "position": "Cook", "count": 1}
        ],
        "reasons": "No certified welders among local applicants for two months",
        "tax_payments": {"monthly": ["120000.00", "118500.50", "121000", "119999.99", "125000", "130000"]},
        "social_fund_payments": {"monthly": ["60000", "59000", "61000", "60000", "62000", "65000"]},
        "appeal": "We ask for six quotas for the Osh bridge project",
        "local_staff_total": 40, "local_managers": 5, "local_workers": 33,
        "vacancies": 4, "earlier_applications": 2,
        "foreign_workers_two_years_ago": 3, "foreign_workers_last_year": 5
    });
    if let Some(id) = staff_list {
        form["staff_list"] = json!(id);
    }
    form
}

impl TestHost {
    /// An employer a labour operator activated, signed in: its email and token.
    pub async fn active_employer(&self, labour: &str) -> Account {
        let employer = self.employer().await;
        let id = self.waiting_id(labour, &employer.email).await;
        let (status, body) = self
            .api(
                Method::POST,
                &format!("/v1/operator/accounts/{id}/activation"),
                Some(labour),
                None,
            )
            .await;
        assert_eq!(status, 200, "{body}");
        link_in_email(&employer.email, "Your account has been activated").await;
        let token = self.session(&employer.login, EMPLOYER_PASSWORD).await;
        Account {
            email: employer.email,
            phone: String::new(),
            token,
        }
    }

    /// A checked staff list (a one-page PDF) of the account signed in with `token`.
    pub async fn staff_list(&self, token: &str) -> String {
        let id = self
            .upload(token, "staff_list", imaging::fixtures::pdf(1))
            .await;
        assert_eq!(self.checked(token, &id).await["status"], "checked");
        id
    }

    /// Submits `form` as the employer signed in with `token`; the application.
    pub async fn quota_application(&self, token: &str, form: &Value) -> Value {
        let (status, body) = self
            .api(
                Method::POST,
                "/v1/quota-applications",
                Some(token),
                Some(form),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body
    }

    /// Submits a valid quota application of three rows (no documents) as the employer
    /// signed in with `token`: its number.
    pub async fn submitted_quota(&self, token: &str) -> String {
        let submitted = self.quota_application(token, &quota_form(None)).await;
        submitted["number"].as_str().unwrap().to_owned()
    }

    /// A labour operator's decision `action` (`clarification`, `confirm`, `reject`,
    /// `annul`) on application `number`: status and body.
    pub async fn decide_application(
        &self,
        labour: &str,
        number: &str,
        action: &str,
        body: &Value,
    ) -> (u16, Value) {
        self.api(
            Method::POST,
            &format!("/v1/operator/applications/{number}/{action}"),
            Some(labour),
            Some(body),
        )
        .await
    }

    /// The messages of the applicant signed in with `token`, in `lang`.
    pub async fn messages(&self, token: &str, lang: &str) -> Vec<Value> {
        let (status, page) = self
            .api_lang(Method::GET, "/v1/messages", Some(token), None, lang)
            .await;
        assert_eq!(status, 200, "{page}");
        page["items"].as_array().unwrap().clone()
    }

    /// One round of clarification on application `number`: the labour operator asks
    /// for `what`, the employer learns of it by email, adds a checked staff list and
    /// resubmits; the application as resubmitted.
    pub async fn clarification_round(
        &self,
        labour: &str,
        employer: &Account,
        number: &str,
        what: &str,
    ) -> Value {
        let ask = json!({ "text": what });
        let (status, asked) = self
            .decide_application(labour, number, "clarification", &ask)
            .await;
        assert_eq!(status, 200, "{asked}");
        assert_eq!(asked["status"], "in_clarification");
        let subject =
            format!("Application {number}: Application being clarified with the applicant");
        email_with_subject(&employer.email, &subject).await;
        let staff = self.staff_list(&employer.token).await;
        let documents = format!("/v1/applications/{number}/documents");
        let body = json!({ "upload_id": staff });
        let (status, added) = self
            .api(Method::POST, &documents, Some(&employer.token), Some(&body))
            .await;
        assert_eq!(status, 200, "{added}");
        let resubmit = format!("/v1/applications/{number}/resubmit");
        let (status, again) = self
            .api(Method::POST, &resubmit, Some(&employer.token), None)
            .await;
        assert_eq!(status, 200, "{again}");
        again
    }
}
