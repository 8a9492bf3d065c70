//! Admins create operators; labour operators activate or refuse e-work accounts;
//! registration operators create legal-entity hosts. Each acts only within its
//! authority, and applicants not at all.

use dev_host::DevHost;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::registration::{
    activated_host, codes_sent_to, employer_form, link_in_email, post, solved_challenge,
};
use crate::uploads::{checked, upload};

pub(crate) const OPERATOR_PASSWORD: &str = "Op3rator-Pass!";

/// The token in a set-password or reset link.
fn token_of(link: &str) -> String {
    link.split("token=").nth(1).unwrap().to_owned()
}

/// Sets the password of an account made by staff from the link mailed to `email`.
pub(crate) async fn set_password_by_link(host: &DevHost, email: &str, password: &str) {
    let link = link_in_email(email, "Set the password for your account").await;
    assert!(link.contains("/set-password?token="), "{link}");
    let (status, body) = api(
        host,
        Method::POST,
        "/v1/password-resets/complete",
        None,
        Some(&json!({"token": token_of(&link), "password": password, "password_repeat": password})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

/// An operator of `role`, created by the admin, with the password set; its session token.
pub(crate) async fn operator(host: &DevHost, role: &str) -> String {
    let admin = session(host, "admin", ADMIN_PASSWORD).await;
    let email = unique_email();
    let login = format!("op{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let (status, body) = api(
        host,
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
    set_password_by_link(host, &email, OPERATOR_PASSWORD).await;
    session(host, &login, OPERATOR_PASSWORD).await
}

/// An employer that registered and confirmed its email: (email, login).
pub(crate) async fn confirmed_employer(host: &DevHost) -> (String, String) {
    let email = unique_email();
    let login = format!("emp{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let (status, _, _) = post(
        host,
        "/v1/accounts",
        &employer_form(&email, &login, solved_challenge(host).await),
        "en",
    )
    .await;
    assert_eq!(status, 202);
    let link = link_in_email(&email, "Confirm your email address").await;
    let confirmed: Value = reqwest::get(&link).await.unwrap().json().await.unwrap();
    assert_eq!(confirmed["status"], "awaiting_activation");
    (email, login)
}

/// The id of the waiting account with `email`, as a labour operator's list shows it.
pub(crate) async fn waiting_id(host: &DevHost, labour: &str, email: &str) -> String {
    let (status, list) = api(
        host,
        Method::GET,
        "/v1/operator/accounts",
        Some(labour),
        None,
    )
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

/// An ereg host that registered and activated: (email, session token, phone).
pub(crate) async fn active_host(host: &DevHost) -> (String, String, String) {
    let (email, phone) = activated_host(host).await;
    let token = session(host, &email, "Tash-Rabat#1994").await;
    (email, token, phone)
}

#[tokio::test]
async fn the_admin_creates_operators_who_set_their_own_password_by_link() {
    let host = spawn_env().await;
    let token = operator(&host, "labour_operator").await;
    let (status, me) = api(&host, Method::GET, "/v1/me", Some(&token), None).await;
    assert_eq!(status, 200);
    assert_eq!(me["type"], "labour_operator");
    assert_eq!(me["status"], "active");

    let admin = session(&host, "admin", ADMIN_PASSWORD).await;
    // Every field is checked, all at once.
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/operators",
        Some(&admin),
        Some(&json!({"role": "admin", "login": "a!", "phone": "12"})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("invalid_fields"))
    );
    let fields: Vec<(&str, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    for expected in [
        ("role", "invalid_role"),
        ("login", "invalid_login"),
        ("email", "required"),
        ("phone", "invalid_phone"),
        ("surname", "required"),
    ] {
        assert!(fields.contains(&expected), "{expected:?} in {fields:?}");
    }
    // The admin's own login cannot be taken again.
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/operators",
        Some(&admin),
        Some(&json!({
            "role": "registration_operator", "login": "admin", "email": unique_email(),
            "phone": "+996312610001", "surname": "A", "given_names": "B"
        })),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("already_registered"))
    );
    // Only an admin creates operators: not an operator, not an applicant, not a stranger.
    let (_, applicant, _) = active_host(&host).await;
    let form = json!({
        "role": "labour_operator", "login": "sneaky1", "email": unique_email(),
        "phone": "+996312610002", "surname": "A", "given_names": "B"
    });
    for (who, expected) in [
        (Some(token.as_str()), (403, "admin_only")),
        (Some(applicant.as_str()), (403, "admin_only")),
        (None, (401, "unauthenticated")),
    ] {
        let (status, body) = api(&host, Method::POST, "/v1/operators", who, Some(&form)).await;
        assert_eq!((status, body["code"].as_str().unwrap()), expected);
    }
}

#[tokio::test]
async fn a_labour_operator_activates_one_employer_and_refuses_another_with_the_reason() {
    let host = spawn_env().await;
    let (first_email, first_login) = confirmed_employer(&host).await;
    let (second_email, second_login) = confirmed_employer(&host).await;
    let labour = operator(&host, "labour_operator").await;
    let first = waiting_id(&host, &labour, &first_email).await;
    let second = waiting_id(&host, &labour, &second_email).await;

    let (status, list) = api(
        &host,
        Method::GET,
        "/v1/operator/accounts",
        Some(&labour),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [first.as_str(), second.as_str()], "oldest first");

    let (status, file) = api(
        &host,
        Method::GET,
        &format!("/v1/operator/accounts/{first}"),
        Some(&labour),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(file["status"], "awaiting_activation");
    assert_eq!(file["profile"]["legal_name"], "Ala-Too Kurulush LLC");
    assert_eq!(file["profile"]["tax_id"], "01234567891234");

    let (status, activated) = api(
        &host,
        Method::POST,
        &format!("/v1/operator/accounts/{first}/activation"),
        Some(&labour),
        None,
    )
    .await;
    assert_eq!(status, 200, "{activated}");
    assert_eq!(activated["status"], "active");
    assert_eq!(activated["decision"]["outcome"], "active");
    let link = link_in_email(&first_email, "Your account has been activated").await;
    assert!(link.ends_with("/sign-in"), "{link}");
    session(&host, &first_login, "Kok-Jar7ly!").await;
    // Deciding twice: the second answer says it is no longer waiting.
    let (status, body) = api(
        &host,
        Method::POST,
        &format!("/v1/operator/accounts/{first}/activation"),
        Some(&labour),
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("not_awaiting_activation"))
    );

    // A refusal needs its reason; the reason reaches the applicant.
    let refusal = format!("/v1/operator/accounts/{second}/refusal");
    let (status, body) = api(
        &host,
        Method::POST,
        &refusal,
        Some(&labour),
        Some(&json!({"reason": "  "})),
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some("reason"))
    );
    let reason = "The tax id does not match the registration certificate";
    let (status, refused) = api(
        &host,
        Method::POST,
        &refusal,
        Some(&labour),
        Some(&json!({ "reason": reason })),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(refused["status"], "refused");
    let mail = eventually(
        std::time::Duration::from_secs(20),
        "refusal email",
        || async {
            emails_to(&second_email)
                .await
                .into_iter()
                .find(|m| m.subject == "Your account was not activated")
        },
    )
    .await;
    assert!(mail.html.contains(reason), "{}", mail.html);
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/sessions",
        None,
        Some(&json!({"login": second_login, "password": "Kok-Jar7ly!"})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("account_refused"))
    );

    let (_, list) = api(
        &host,
        Method::GET,
        "/v1/operator/accounts",
        Some(&labour),
        None,
    )
    .await;
    assert_eq!(list["accounts"], json!([]), "nobody waits any more");
}

#[tokio::test]
async fn operators_act_only_within_their_authority_and_applicants_not_at_all() {
    let host = spawn_env().await;
    let (employer_email, _) = confirmed_employer(&host).await;
    let registration = operator(&host, "registration_operator").await;
    let labour = operator(&host, "labour_operator").await;
    let employer = waiting_id(&host, &labour, &employer_email).await;
    let (_, applicant, _) = active_host(&host).await;
    let (_, other_applicant, _) = active_host(&host).await;
    let (_, me) = api(&host, Method::GET, "/v1/me", Some(&other_applicant), None).await;
    let other_host = me["account_id"].as_str().unwrap().to_owned();

    // The registration authority does not see e-work accounts, nor the labour one ereg hosts.
    for (token, id) in [(&registration, &employer), (&labour, &other_host)] {
        for (method, path) in [
            (Method::GET, format!("/v1/operator/accounts/{id}")),
            (
                Method::POST,
                format!("/v1/operator/accounts/{id}/activation"),
            ),
        ] {
            let (status, body) = api(&host, method, &path, Some(token), None).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (404, Some("account_not_found")),
                "{path}"
            );
        }
        let (status, body) = api(
            &host,
            Method::POST,
            &format!("/v1/operator/accounts/{id}/refusal"),
            Some(token),
            Some(&json!({"reason": "no"})),
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("account_not_found"))
        );
    }
    let (_, list) = api(
        &host,
        Method::GET,
        "/v1/operator/accounts",
        Some(&registration),
        None,
    )
    .await;
    assert_eq!(list["accounts"], json!([]));
    // Nothing was decided by those attempts.
    let (_, file) = api(
        &host,
        Method::GET,
        &format!("/v1/operator/accounts/{employer}"),
        Some(&labour),
        None,
    )
    .await;
    assert_eq!(file["status"], "awaiting_activation");

    // Applicants reach no operator route, with their own id or another's.
    let routes = [
        (Method::GET, "/v1/operator/accounts".to_owned(), None),
        (
            Method::GET,
            format!("/v1/operator/accounts/{other_host}"),
            None,
        ),
        (
            Method::GET,
            format!("/v1/operator/accounts/{employer}"),
            None,
        ),
        (
            Method::POST,
            format!("/v1/operator/accounts/{employer}/activation"),
            None,
        ),
        (
            Method::POST,
            format!("/v1/operator/accounts/{employer}/refusal"),
            Some(json!({"reason": "x"})),
        ),
        (
            Method::POST,
            "/v1/operator/legal-entity-hosts".to_owned(),
            Some(json!({})),
        ),
        (Method::GET, "/v1/operator/change-requests".to_owned(), None),
        (
            Method::POST,
            "/v1/operator/change-requests/chg_0123456789abcdef0123456789abcdef/approval".to_owned(),
            None,
        ),
    ];
    for (method, path, body) in &routes {
        let (status, answer) =
            api(&host, method.clone(), path, Some(&applicant), body.as_ref()).await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (403, Some("operator_only")),
            "{path}"
        );
        let (status, _) = api(&host, method.clone(), path, None, body.as_ref()).await;
        assert_eq!(status, 401, "{path}");
    }
    // Only the registration authority creates legal-entity hosts.
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/operator/legal-entity-hosts",
        Some(&labour),
        Some(&json!({})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("not_for_account_type"))
    );
}

#[tokio::test]
async fn a_registration_operator_creates_a_legal_entity_host_that_sets_its_password_and_gets_a_pin()
{
    let host = spawn_env().await;
    let registration = operator(&host, "registration_operator").await;
    let (email, phone) = (unique_email(), unique_phone());
    // The operator uploads the entity's letter and a scan first.
    let letter = upload(
        &host,
        &registration,
        "other",
        "application/pdf",
        imaging::fixtures::pdf(1),
    )
    .await;
    let scan = upload(
        &host,
        &registration,
        "certificate",
        "application/pdf",
        imaging::fixtures::pdf(2),
    )
    .await;
    for id in [&letter, &scan] {
        assert_eq!(checked(&host, &registration, id).await["status"], "checked");
    }
    let form = json!({
        "legal_name": "Ala-Too Hotel LLC", "tax_id": "02345678912345",
        "representative_surname": "Tokonov", "representative_name": "Bakyt",
        "legal_address": "1 Kievskaya Street, Bishkek", "email": email,
        "phone": phone.trim_start_matches('+'), "lang": "en",
        "letter": letter,
        "scans": [scan]
    });
    // Documents must be the operator's own, checked uploads.
    let mut foreign = form.clone();
    foreign["letter"] = json!("upl_0123456789abcdef0123456789abcdef");
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/operator/legal-entity-hosts",
        Some(&registration),
        Some(&foreign),
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("document_not_found"))
    );
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/operator/legal-entity-hosts",
        Some(&registration),
        Some(&form),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["account"]["type"], "host_legal_entity");
    assert_eq!(body["login"], email.as_str());
    // The PIN comes by SMS only; the password is never sent, only a link to set it.
    let pin = codes_sent_to(&phone, 1).await.remove(0);
    assert_eq!(pin.len(), 6);
    set_password_by_link(&host, &email, "Hotel-Ala-Too#1").await;
    let token = session(&host, &email, "Hotel-Ala-Too#1").await;
    let (_, me) = api(&host, Method::GET, "/v1/me", Some(&token), None).await;
    assert_eq!(me["type"], "host_legal_entity");
    assert_eq!(me["name"], "Tokonov Bakyt (Ala-Too Hotel LLC)");
    for mail in emails_to(&email).await {
        assert!(!mail.html.contains("Hotel-Ala-Too#1"));
    }
    // The same email again is refused, and the link works once.
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/operator/legal-entity-hosts",
        Some(&registration),
        Some(&form),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("already_registered"))
    );
    let link = link_in_email(&email, "Set the password for your account").await;
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/password-resets/complete",
        None,
        Some(&json!({"token": token_of(&link), "password": "Another-Pass#2", "password_repeat": "Another-Pass#2"})),
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_link")));
    // Bad fields are named.
    let (status, body) = api(
        &host,
        Method::POST,
        "/v1/operator/legal-entity-hosts",
        Some(&registration),
        Some(&json!({"phone": "+77011234567", "letter": "scan.pdf"})),
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for field in ["legal_name", "tax_id", "email", "phone", "letter"] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
}
