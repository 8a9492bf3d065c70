//! Stay registration end to end over HTTP on the dev host: a host adds housing the
//! registry lists them as an owner of, registers a foreigner from a synthetic passport
//! scan and a photo, submits with the PIN, the fee is paid through the payment port, an
//! operator (or the automatic confirmation) confirms, and the host, the public status
//! and the notifications all say "registration valid".

use std::time::{Duration, Instant};

use adapters::registrations::{MoveError, Payment};
use dev_host::DevHost;
use domain::Code;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::operators::{active_host, operator};
use crate::registration::codes_sent_to;
use crate::uploads::{checked, upload};

/// Homes the registry lists the test host (personal number 21505199012345) as owner of.
pub(crate) const OWN_HOME: &str = "1-04-03-0178-9183-097";
const OTHER_OWN_HOME: &str = "3-01-07-0557-2618-074";
/// A home of someone else.
const STRANGERS_HOME: &str = "1-01-01-0325-2069";

/// An active ereg host: (email, session token, phone, action PIN).
pub(crate) async fn host_with_pin(host: &DevHost) -> (String, String, String, String) {
    let (email, token, phone) = active_host(host).await;
    let pin = codes_sent_to(&phone, 2).await.remove(1);
    (email, token, phone, pin)
}

/// Adds `code` to the host's housing with a technical passport scan.
pub(crate) async fn add_housing(host: &DevHost, token: &str, code: &str) {
    let document = upload(
        host,
        token,
        "technical_passport",
        "application/pdf",
        imaging::fixtures::pdf(1),
    )
    .await;
    assert_eq!(checked(host, token, &document).await["status"], "checked");
    let (status, body) = api(
        host,
        Method::POST,
        "/v1/housing",
        Some(token),
        Some(&json!({"housing_code": code, "document": document})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
}

/// A synthetic TD3 passport scan that reads back exactly: (upload id, zone lines).
pub(crate) async fn passport_scan(host: &DevHost, token: &str, seed: u64) -> (String, Vec<String>) {
    let sample = mrz_reader::synth::sample(seed);
    assert_eq!(sample.layout, mrz_reader::Layout::Td3);
    let id = upload(host, token, "passport_scan", "image/jpeg", sample.jpeg).await;
    let document = checked(host, token, &id).await;
    assert_eq!(document["mrz_read"], true, "{document}");
    (id, sample.lines)
}

pub(crate) async fn photo(host: &DevHost, token: &str) -> String {
    let id = upload(
        host,
        token,
        "photo",
        "image/jpeg",
        imaging::fixtures::portrait_jpeg(),
    )
    .await;
    assert_eq!(checked(host, token, &id).await["status"], "checked");
    id
}

fn days_from_today(days: i64) -> String {
    (domain::clock::today_in_bishkek() + time::Duration::days(days)).to_string()
}

/// The form, filled from the scan's prefill as a host would after checking it.
pub(crate) async fn form_from_prefill(
    host: &DevHost,
    token: &str,
    scan: &str,
    photo: &str,
    housing: &str,
) -> Value {
    let (status, zone) = api(
        host,
        Method::GET,
        &format!("/v1/uploads/{scan}/mrz"),
        Some(token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{zone}");
    let f = &zone["fields"];
    json!({
        "housing_code": housing, "passport_scan": scan, "photo": photo,
        "surname": f["surname"], "given_names": f["given_names"],
        "birth_date": f["birth_date"], "sex": f["sex"], "nationality": f["nationality"],
        "document_country": f["issuing_state"], "document_number": f["document_number"],
        "document_issued": "2021-05-17", "document_expires": f["expiry_date"],
        "entry_date": days_from_today(-2), "phone": "996700123456", "email": "guest@example.com",
        "stay_from": days_from_today(-1), "stay_to": days_from_today(60), "purpose": "tourism"
    })
}

async fn pay(host: &DevHost, number: &str) -> Result<domain::stay::Stay, MoveError> {
    host.deps
        .registrations()
        .record_payment(
            number,
            &Payment {
                amount_minor: 10_300,
                currency: "KGS".into(),
            },
        )
        .await
}

pub(crate) fn codes_of(problem: &Value) -> Vec<(String, String)> {
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

#[tokio::test]
async fn a_host_registers_a_guest_an_operator_confirms_and_everyone_sees_it_valid() {
    let host = spawn_env().await;
    let (email, token, phone, pin) = host_with_pin(&host).await;

    // Housing: the registry resolves codes; only the owner may add a home.
    for (code, expected) in [
        ("9-99-99-9999-9999", "property_not_found"),
        (STRANGERS_HOME, "not_property_owner"),
        ("Lenina 5", "invalid_property_code"),
    ] {
        let (status, body) = api(
            &host,
            Method::POST,
            "/v1/housing/check",
            Some(&token),
            Some(&json!({ "housing_code": code })),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(codes_of(&body), [("housing_code".into(), expected.into())]);
    }
    let (status, property) = api(
        &host,
        Method::POST,
        "/v1/housing/check",
        Some(&token),
        Some(&json!({ "housing_code": OWN_HOME })),
    )
    .await;
    assert_eq!(status, 200, "{property}");
    assert_eq!(property["city"], "Бишкек");
    assert!(
        property["address"]
            .as_str()
            .unwrap()
            .contains("ул. Исанова")
    );
    add_housing(&host, &token, OWN_HOME).await;
    let (status, again) = api(
        &host,
        Method::POST,
        "/v1/housing",
        Some(&token),
        Some(
            &json!({"housing_code": OWN_HOME, "document": "upl_0123456789abcdef0123456789abcdef"}),
        ),
    )
    .await;
    assert_eq!(status, 422, "the document is not the host's: {again}");
    assert_eq!(
        codes_of(&again),
        [("document".into(), "document_not_found".into())]
    );
    let (_, missing) = api(
        &host,
        Method::POST,
        "/v1/housing",
        Some(&token),
        Some(&json!({"housing_code": OTHER_OWN_HOME})),
    )
    .await;
    assert_eq!(codes_of(&missing), [("document".into(), "required".into())]);
    let (_, list) = api(&host, Method::GET, "/v1/housing", Some(&token), None).await;
    assert_eq!(list["housing"].as_array().unwrap().len(), 1);
    assert_eq!(list["housing"][0]["code"], OWN_HOME);

    // The guest's passport scan and photo, and the form filled from the zone.
    let (scan, lines) = passport_scan(&host, &token, 52).await;
    let photo = photo(&host, &token).await;
    let form = form_from_prefill(&host, &token, &scan, &photo, OWN_HOME).await;
    let (status, checked_form) = api(
        &host,
        Method::POST,
        "/v1/registrations/check",
        Some(&token),
        Some(&form),
    )
    .await;
    assert_eq!(status, 200, "{checked_form}");
    assert_eq!(checked_form["flags"], json!([]));
    assert_eq!(checked_form["fee"]["amount"], "103.00");
    assert_eq!(checked_form["fee"]["amount_minor"], 10_300);

    // Submitting needs the PIN.
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/registrations",
        Some(&token),
        Some(&form),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(codes_of(&body), [("pin".into(), "required".into())]);
    let mut with_pin = form.clone();
    with_pin["pin"] = json!(if pin == "000000" { "111111" } else { "000000" });
    let (status, body) = api_lang(
        &host,
        Method::POST,
        "/v1/registrations",
        Some(&token),
        Some(&with_pin),
        "ru",
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["detail"], "Неверный ПИН-код.");
    with_pin["pin"] = json!(pin);
    let submitted_at = Instant::now();
    let (status, submitted) = api(
        &host,
        Method::POST,
        "/v1/registrations",
        Some(&token),
        Some(&with_pin),
    )
    .await;
    assert_eq!(status, 201, "{submitted}");
    assert_eq!(submitted["next"], "pay");
    let registration = &submitted["registration"];
    let number = registration["number"].as_str().unwrap().to_owned();
    assert_eq!(number.len(), 10);
    assert_eq!(registration["status"], "awaiting_payment");
    assert_eq!(registration["payment"], "unpaid");
    let document_number = lines[1][..9].trim_end_matches('<').to_owned();
    assert_eq!(
        registration["guest"]["document_number"],
        format!(
            "{}***{}",
            &document_number[..2],
            &document_number[document_number.len() - 2..]
        )
    );

    // What a submitted registration names stays as it was.
    let (status, body) = api(
        &host,
        Method::DELETE,
        &format!("/v1/uploads/{scan}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("document_in_use"))
    );
    // The same passport cannot be registered twice for the same days.
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/registrations/check",
        Some(&token),
        Some(&form),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        codes_of(&body),
        [("stay_from".into(), "stay_overlaps".into())]
    );

    // Payment through the payment port: a wrong amount settles nothing.
    let wrong = host
        .deps
        .registrations()
        .record_payment(
            &number,
            &Payment {
                amount_minor: 100,
                currency: "KGS".into(),
            },
        )
        .await;
    assert!(matches!(
        wrong,
        Err(MoveError::Refused(Code::PaymentMismatch))
    ));
    let paid = pay(&host, &number).await.unwrap();
    assert_eq!(paid.status, domain::stay::StayStatus::Paid);
    // A duplicate payment report changes nothing.
    assert_eq!(pay(&host, &number).await.unwrap().version, paid.version);

    // The operator's queue, the review and the decision.
    let registrar = operator(&host, "registration_operator").await;
    let labour = operator(&host, "labour_operator").await;
    for (who, code) in [(&labour, "not_for_account_type"), (&token, "operator_only")] {
        let (status, body) = api(
            &host,
            Method::GET,
            "/v1/operator/registrations",
            Some(who),
            None,
        )
        .await;
        assert_eq!((status, body["code"].as_str()), (403, Some(code)));
    }
    let (status, queue) = api(
        &host,
        Method::GET,
        "/v1/operator/registrations",
        Some(&registrar),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(queue["registrations"][0]["number"], number.as_str());
    assert_eq!(queue["registrations"][0]["flags"], json!([]));
    let (status, review) = api(
        &host,
        Method::GET,
        &format!("/v1/operator/registrations/{number}"),
        Some(&registrar),
        None,
    )
    .await;
    assert_eq!(status, 200, "{review}");
    assert_eq!(review["document_number"], document_number.as_str());
    assert_eq!(review["mrz"]["lines"], json!(lines));
    assert_eq!(review["mismatches"], json!([]));
    assert_eq!(review["host"]["email"], email.as_str());
    let link = review["photo"]["link"].as_str().unwrap();
    assert_eq!(reqwest::get(link).await.unwrap().status(), 200);
    let actions: Vec<&str> = review["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["submitted", "paid"]);

    let (status, confirmed) = api(
        &host,
        Method::POST,
        &format!("/v1/operator/registrations/{number}/confirm"),
        Some(&registrar),
        None,
    )
    .await;
    assert_eq!(status, 200, "{confirmed}");
    assert_eq!(confirmed["status"], "valid");
    let registration_number = confirmed["registration_number"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(registration_number.len(), 14);
    let elapsed = submitted_at.elapsed();
    let (status, body) = api(
        &host,
        Method::POST,
        &format!("/v1/operator/registrations/{number}/confirm"),
        Some(&registrar),
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("registration_not_awaiting_decision"))
    );
    let (_, queue) = api(
        &host,
        Method::GET,
        "/v1/operator/registrations",
        Some(&registrar),
        None,
    )
    .await;
    assert_eq!(queue["registrations"], json!([]));

    // The host's archive, filtered.
    let (status, archive) = api(
        &host,
        Method::GET,
        "/v1/registrations?status=valid&name=smith",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{archive}");
    assert_eq!(archive["registrations"][0]["status"], "valid");
    assert_eq!(
        archive["registrations"][0]["registration_number"],
        registration_number.as_str()
    );
    assert_eq!(archive["registrations"][0]["payment"], "paid");
    let (_, none) = api(
        &host,
        Method::GET,
        "/v1/registrations?status=cancelled",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(none["registrations"], json!([]));

    // The public status, by registration number or birth date.
    let birth_date = review["registration"]["guest"]["birth_date"].clone();
    for query in [
        json!({"passport_number": document_number, "registration_number": registration_number}),
        json!({"passport_number": document_number, "birth_date": birth_date}),
    ] {
        let (status, public) = api(
            &host,
            Method::POST,
            "/v1/public/registration-status",
            None,
            Some(&query),
        )
        .await;
        assert_eq!(status, 200, "{public}");
        assert_eq!(public["status"], "valid");
        assert_eq!(public["city"], "Бишкек");
        assert_eq!(public["valid_to"], days_from_today(60));
        assert_eq!(
            public.as_object().unwrap().len(),
            4,
            "nothing more: {public}"
        );
    }

    // The host hears by email and SMS.
    let subject = format!("Registration {number} is valid");
    eventually(Duration::from_secs(20), "the decision email", || async {
        emails_to(&email)
            .await
            .iter()
            .any(|m| m.subject == subject && m.html.contains(&registration_number))
            .then_some(())
    })
    .await;
    eventually(Duration::from_secs(20), "the decision SMS", || async {
        sms_to(&phone)
            .await
            .iter()
            .any(|text| text.contains(&registration_number))
            .then_some(())
    })
    .await;
    println!("submit to registration valid with an operator: {elapsed:?}");
}

#[tokio::test]
async fn with_automatic_confirmation_a_clean_registration_is_valid_at_once_and_a_mismatch_waits() {
    let host = spawn_env_with(|config| config.ereg.auto_confirm = true).await;
    let (_, token, _, pin) = host_with_pin(&host).await;
    add_housing(&host, &token, OWN_HOME).await;
    let (scan, _) = passport_scan(&host, &token, 117).await;
    let photo = photo(&host, &token).await;
    let mut form = form_from_prefill(&host, &token, &scan, &photo, OWN_HOME).await;
    form["pin"] = json!(pin);

    let started = Instant::now();
    let (status, submitted) = api(
        &host,
        Method::POST,
        "/v1/registrations",
        Some(&token),
        Some(&form),
    )
    .await;
    assert_eq!(status, 201, "{submitted}");
    let number = submitted["registration"]["number"]
        .as_str()
        .unwrap()
        .to_owned();
    let decided = pay(&host, &number).await.unwrap();
    assert_eq!(decided.status, domain::stay::StayStatus::Valid);
    assert_eq!(decided.decided_by.as_deref(), Some("system"));
    let (_, seen) = api(
        &host,
        Method::GET,
        &format!("/v1/registrations/{number}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(seen["status"], "valid");
    println!(
        "submit to registration valid with automatic confirmation, payment included: {:?}",
        started.elapsed()
    );
    let audit = host.deps.stays().audit_of(&number).await.unwrap();
    let trail: Vec<(&str, &str)> = audit
        .iter()
        .map(|e| (e.action.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(trail[2], ("confirmed", "system"));

    // A typed name that differs from the zone is flagged, and waits for an operator.
    let (other_scan, _) = passport_scan(&host, &token, 118).await;
    let mut mismatched = form_from_prefill(&host, &token, &other_scan, &photo, OWN_HOME).await;
    mismatched["given_names"] = json!("Mariya");
    let (status, checked_form) = api(
        &host,
        Method::POST,
        "/v1/registrations/check",
        Some(&token),
        Some(&mismatched),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(checked_form["flags"][0]["code"], "mrz_mismatch");
    assert_eq!(checked_form["flags"][0]["field"], "given_names");
    assert_eq!(checked_form["flags"][0]["read"], "MARIA");
    mismatched["pin"] = json!(pin);
    let (status, submitted) = api(
        &host,
        Method::POST,
        "/v1/registrations",
        Some(&token),
        Some(&mismatched),
    )
    .await;
    assert_eq!(status, 201, "{submitted}");
    let flagged = submitted["registration"]["number"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        pay(&host, &flagged).await.unwrap().status,
        domain::stay::StayStatus::Paid
    );
    let registrar = operator(&host, "registration_operator").await;
    let (_, queue) = api(
        &host,
        Method::GET,
        "/v1/operator/registrations",
        Some(&registrar),
        None,
    )
    .await;
    assert_eq!(queue["registrations"][0]["number"], flagged.as_str());
    assert_eq!(queue["registrations"][0]["flags"], json!(["mrz_mismatch"]));
}

#[tokio::test]
async fn rules_and_access_hold_for_every_route() {
    let host = spawn_env().await;
    let (email, token, _, pin) = host_with_pin(&host).await;
    let (_, stranger, _, stranger_pin) = host_with_pin(&host).await;
    add_housing(&host, &token, OWN_HOME).await;
    add_housing(&host, &token, OTHER_OWN_HOME).await;
    let (scan, _) = passport_scan(&host, &token, 52).await;
    let photo = photo(&host, &token).await;
    let form = form_from_prefill(&host, &token, &scan, &photo, OWN_HOME).await;

    // Dates a host gets wrong, all at once, and an expired passport.
    let mut bad = form.clone();
    bad["stay_from"] = json!(days_from_today(-30));
    bad["entry_date"] = json!(days_from_today(3));
    bad["stay_to"] = json!("2099-01-01");
    bad["patronymic"] = json!("Ivanovich");
    bad["purpose"] = json!("smuggling");
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/registrations/check",
        Some(&token),
        Some(&bad),
    )
    .await;
    assert_eq!(status, 422);
    let mut codes = codes_of(&body);
    codes.sort();
    assert_eq!(
        codes,
        [
            ("entry_date".into(), "entry_date_in_future".into()),
            ("patronymic".into(), "not_expected".into()),
            ("purpose".into(), "invalid_purpose".into()),
            ("stay_from".into(), "stay_before_entry".into()),
            ("stay_from".into(), "stay_start_too_early".into()),
            ("stay_to".into(), "stay_beyond_passport".into()),
        ]
    );
    let mut expired = form.clone();
    expired["document_expires"] = json!(days_from_today(-1));
    expired["stay_to"] = json!(days_from_today(-1));
    let (_, body) = api(
        &host,
        Method::POST,
        "/v1/registrations/check",
        Some(&token),
        Some(&expired),
    )
    .await;
    assert!(codes_of(&body).contains(&("document_expires".into(), "document_expired".into())));

    // Another host can use neither this host's housing nor its documents.
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/registrations/check",
        Some(&stranger),
        Some(&form),
    )
    .await;
    assert_eq!(status, 422);
    let mut codes = codes_of(&body);
    codes.sort();
    assert_eq!(
        codes,
        [
            ("housing_code".into(), "housing_not_found".into()),
            ("passport_scan".into(), "document_not_found".into()),
            ("photo".into(), "document_not_found".into()),
        ]
    );

    // Cancel before payment; cancel after payment marks the fee for refund.
    let mut with_pin = form.clone();
    with_pin["pin"] = json!(pin);
    let submit = |body: Value| {
        let (host, token) = (&host, &token);
        async move {
            let (status, submitted) = api(
                host,
                Method::POST,
                "/v1/registrations",
                Some(token),
                Some(&body),
            )
            .await;
            assert_eq!(status, 201, "{submitted}");
            submitted["registration"]["number"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let unpaid = submit(with_pin.clone()).await;
    for (who, expected) in [(&stranger, 404), (&token, 200)] {
        let (status, _) = api(
            &host,
            Method::GET,
            &format!("/v1/registrations/{unpaid}"),
            Some(who),
            None,
        )
        .await;
        assert_eq!(status, expected);
    }
    let (status, _) = api(
        &host,
        Method::POST,
        &format!("/v1/registrations/{unpaid}/cancel"),
        Some(&stranger),
        None,
    )
    .await;
    assert_eq!(status, 404);
    let (status, cancelled) = api(
        &host,
        Method::POST,
        &format!("/v1/registrations/{unpaid}/cancel"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    // Paid after the cancellation: the money goes back.
    assert_eq!(
        pay(&host, &unpaid).await.unwrap().payment,
        domain::stay::PaymentStatus::RefundDue
    );

    let paid = submit(with_pin.clone()).await;
    pay(&host, &paid).await.unwrap();
    let (_, cancelled) = api(
        &host,
        Method::POST,
        &format!("/v1/registrations/{paid}/cancel"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(cancelled["payment"], "refund_due");
    let (status, body) = api(
        &host,
        Method::POST,
        &format!("/v1/registrations/{paid}/cancel"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("registration_not_cancellable"))
    );

    // Refusal needs a reason, marks the fee for refund and tells the host.
    let refused = submit(with_pin.clone()).await;
    pay(&host, &refused).await.unwrap();
    let registrar = operator(&host, "registration_operator").await;
    let path = format!("/v1/operator/registrations/{refused}/refuse");
    let (status, body) = api(
        &host,
        Method::POST,
        &path,
        Some(&registrar),
        Some(&json!({})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(codes_of(&body), [("reason".into(), "required".into())]);
    let (status, body) = api(
        &host,
        Method::POST,
        &path,
        Some(&stranger),
        Some(&json!({"reason": "x"})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("operator_only"))
    );
    let (status, decided) = api(
        &host,
        Method::POST,
        &path,
        Some(&registrar),
        Some(&json!({"reason": "The passport scan does not show the photo page."})),
    )
    .await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(decided["status"], "refused");
    assert_eq!(decided["payment"], "refund_due");
    eventually(Duration::from_secs(20), "the refusal email", || async {
        emails_to(&email)
            .await
            .iter()
            .any(|m| {
                m.subject == format!("Registration {refused} is refused")
                    && m.html.contains("does not show the photo page")
            })
            .then_some(())
    })
    .await;

    // Two operators deciding at once: exactly one wins.
    let contested = submit(with_pin.clone()).await;
    pay(&host, &contested).await.unwrap();
    let second = operator(&host, "registration_operator").await;
    let confirm = format!("/v1/operator/registrations/{contested}/confirm");
    let refuse = format!("/v1/operator/registrations/{contested}/refuse");
    let reason = json!({"reason": "Duplicate"});
    let (a, b) = tokio::join!(
        api(&host, Method::POST, &confirm, Some(&registrar), None),
        api(&host, Method::POST, &refuse, Some(&second), Some(&reason)),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
    let audit = host.deps.stays().audit_of(&contested).await.unwrap();
    assert_eq!(
        audit.len(),
        3,
        "submitted, paid and one decision: {audit:?}"
    );

    // A valid registration expires once its last day has passed.
    let expiry = stay_expiry::StayExpiry::from_deps(&host.deps);
    let valid_one = if a.0 == 200 {
        contested.clone()
    } else {
        let again = submit(with_pin.clone()).await;
        pay(&host, &again).await.unwrap();
        let (status, _) = api(
            &host,
            Method::POST,
            &format!("/v1/operator/registrations/{again}/confirm"),
            Some(&registrar),
            None,
        )
        .await;
        assert_eq!(status, 200);
        again
    };
    assert_eq!(expiry.run().await.unwrap().expired, 0);
    let after_last_day = domain::clock::today_in_bishkek() + time::Duration::days(61);
    assert_eq!(expiry.run_on(after_last_day).await.unwrap().expired, 1);
    assert_eq!(expiry.run_on(after_last_day).await.unwrap().expired, 0);
    let (_, seen) = api(
        &host,
        Method::GET,
        &format!("/v1/registrations/{valid_one}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(seen["status"], "expired");

    // The archive pages through everything, newest first.
    let (_, first) = api(
        &host,
        Method::GET,
        "/v1/registrations?limit=2",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(first["registrations"].as_array().unwrap().len(), 2);
    let next = first["next"].as_str().unwrap();
    let (_, rest) = api(
        &host,
        Method::GET,
        &format!("/v1/registrations?limit=100&cursor={next}"),
        Some(&token),
        None,
    )
    .await;
    let total = 2 + rest["registrations"].as_array().unwrap().len();
    assert!(total >= 4, "{total}");
    assert!(rest.get("next").is_none());
    let (status, body) = api(
        &host,
        Method::GET,
        "/v1/registrations?status=bogus&birth_date=yesterday",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 422);
    let mut codes = codes_of(&body);
    codes.sort();
    assert_eq!(
        codes,
        [
            ("birth_date".into(), "invalid_date".into()),
            ("status".into(), "invalid_value".into())
        ]
    );

    // The stranger's PIN does not submit for this host, and its own archive is empty.
    let (_, theirs) = api(
        &host,
        Method::GET,
        "/v1/registrations",
        Some(&stranger),
        None,
    )
    .await;
    assert_eq!(theirs["registrations"], json!([]));
    let mut wrong_pin = with_pin.clone();
    wrong_pin["pin"] = json!(stranger_pin);
    if stranger_pin != pin {
        let (status, _) = api(
            &host,
            Method::POST,
            "/v1/registrations",
            Some(&token),
            Some(&wrong_pin),
        )
        .await;
        assert_eq!(status, 422);
    }

    // Housing of a legal-entity host comes from an operator; the entity cannot add its own.
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/operator/hosts/acc_0123456789abcdef0123456789abcdef/housing",
        Some(&registrar),
        Some(&json!({"housing_code": OWN_HOME})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("account_not_found"))
    );

    // The public status check names what is missing or malformed.
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/public/registration-status",
        None,
        Some(&json!({"registration_number": "123"})),
    )
    .await;
    assert_eq!(status, 422);
    let mut codes = codes_of(&body);
    codes.sort();
    assert_eq!(
        codes,
        [
            ("passport_number".into(), "required".into()),
            (
                "registration_number".into(),
                "invalid_registration_number".into()
            ),
        ]
    );

    // The public status check answers a few times a minute per source. Twenty-five
    // tries see the limit even if a minute turns over among them.
    let query = json!({"passport_number": "ZZ0000000", "birth_date": "1990-01-01"});
    let mut statuses = Vec::new();
    for _ in 0..25 {
        statuses.push(
            api(
                &host,
                Method::POST,
                "/v1/public/registration-status",
                None,
                Some(&query),
            )
            .await
            .0,
        );
    }
    assert_eq!(statuses[0], 404);
    assert!(statuses.contains(&429), "{statuses:?}");
    // Ten a minute, every request counted: the malformed one above was the first.
    assert!(
        statuses.iter().filter(|s| **s == 404).count() >= 9,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn wrong_pins_are_counted_and_then_made_to_wait() {
    let host = spawn_env().await;
    let (_, token, _, pin) = host_with_pin(&host).await;
    add_housing(&host, &token, OWN_HOME).await;
    let (scan, _) = passport_scan(&host, &token, 52).await;
    let photo = photo(&host, &token).await;
    let mut form = form_from_prefill(&host, &token, &scan, &photo, OWN_HOME).await;
    form["pin"] = json!(if pin == "000000" { "111111" } else { "000000" });
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(
            api(
                &host,
                Method::POST,
                "/v1/registrations",
                Some(&token),
                Some(&form),
            )
            .await
            .0,
        );
    }
    assert_eq!(statuses, [422, 422, 422, 422, 422, 429]);
    // Even the right PIN waits now.
    form["pin"] = json!(pin);
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/registrations",
        Some(&token),
        Some(&form),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("too_many_attempts"))
    );
    // Nothing was saved, and the scan can still be replaced.
    let (_, archive) = api(&host, Method::GET, "/v1/registrations", Some(&token), None).await;
    assert_eq!(archive["registrations"], json!([]));
    let (status, _) = api(
        &host,
        Method::PUT,
        &format!("/v1/uploads/{scan}"),
        Some(&token),
        Some(&json!({"kind": "passport_scan", "content_type": "image/jpeg"})),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn an_operator_adds_the_housing_of_a_legal_entity_host_and_others_cannot() {
    let host = spawn_env().await;
    let registrar = operator(&host, "registration_operator").await;
    let labour = operator(&host, "labour_operator").await;
    let letter = upload(
        &host,
        &registrar,
        "other",
        "application/pdf",
        imaging::fixtures::pdf(1),
    )
    .await;
    assert_eq!(
        checked(&host, &registrar, &letter).await["status"],
        "checked"
    );
    let email = unique_email();
    let (status, created) = api(
        &host,
        Method::POST,
        "/v1/operator/legal-entity-hosts",
        Some(&registrar),
        Some(&json!({
            "legal_name": "Ala-Too Hotel LLC", "tax_id": "02345678912345",
            "representative_surname": "Tokonov", "representative_name": "Bakyt",
            "legal_address": "1 Kievskaya Street, Bishkek", "email": email,
            "phone": unique_phone().trim_start_matches('+'), "lang": "en",
            "letter": letter, "scans": []
        })),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let entity = created["account"]["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    crate::operators::set_password_by_link(&host, &email, "Hotel-Ala-Too#1").await;
    let entity_token = session(&host, &email, "Hotel-Ala-Too#1").await;

    // The entity cannot add housing itself; the labour authority cannot either.
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/housing",
        Some(&entity_token),
        Some(&json!({"housing_code": STRANGERS_HOME, "document": letter})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("not_for_account_type"))
    );
    let path = format!("/v1/operator/hosts/{entity}/housing");
    let (status, body) = api(
        &host,
        Method::POST,
        &path,
        Some(&labour),
        Some(&json!({"housing_code": STRANGERS_HOME})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("not_for_account_type"))
    );
    let (status, body) = api(
        &host,
        Method::POST,
        &path,
        Some(&registrar),
        Some(&json!({"housing_code": "9-99-99-9999-9999"})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        codes_of(&body),
        [("housing_code".into(), "property_not_found".into())]
    );
    let (status, added) = api(
        &host,
        Method::POST,
        &path,
        Some(&registrar),
        Some(&json!({"housing_code": STRANGERS_HOME, "document": letter})),
    )
    .await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["city"], "Бишкек");
    let (status, _) = api(
        &host,
        Method::POST,
        &path,
        Some(&registrar),
        Some(&json!({"housing_code": STRANGERS_HOME})),
    )
    .await;
    assert_eq!(status, 409);
    let (_, list) = api(&host, Method::GET, "/v1/housing", Some(&entity_token), None).await;
    assert_eq!(list["housing"][0]["code"], STRANGERS_HOME);

    // No review route answers the labour authority or an applicant.
    let number = "1234567890";
    for (method, route) in [
        (Method::GET, format!("/v1/operator/registrations/{number}")),
        (
            Method::POST,
            format!("/v1/operator/registrations/{number}/confirm"),
        ),
        (
            Method::POST,
            format!("/v1/operator/registrations/{number}/refuse"),
        ),
        (Method::GET, "/v1/operator/payments/flagged".to_owned()),
    ] {
        for (who, code) in [
            (&labour, "not_for_account_type"),
            (&entity_token, "operator_only"),
        ] {
            let (status, body) = api(
                &host,
                method.clone(),
                &route,
                Some(who),
                Some(&json!({"reason": "x"})),
            )
            .await;
            assert_eq!(
                (status, body["code"].as_str()),
                (403, Some(code)),
                "{route}"
            );
        }
    }
    let (status, body) = api(
        &host,
        Method::GET,
        &format!("/v1/operator/registrations/{number}"),
        Some(&registrar),
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("registration_not_found"))
    );
}
