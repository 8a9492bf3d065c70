//! Admins create operators; labour operators activate or refuse e-work accounts;
//! registration operators create legal-entity hosts. Each acts only within its
//! authority, and applicants not at all.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn the_admin_lists_the_staff_oldest_first_and_no_one_else_may() {
    let host = spawn_env().await;
    let labour = host.operator("labour_operator").await;
    let registration = host.operator("registration_operator").await;
    let admin = host.admin().await;
    let (status, list) = host
        .api(Method::GET, "/v1/operators", Some(&admin), None)
        .await;
    assert_eq!(status, 200, "{list}");
    let staff: Vec<(&str, &str)> = list["operators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["type"].as_str().unwrap(), o["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        staff,
        [
            ("admin", "active"),
            ("labour_operator", "active"),
            ("registration_operator", "active")
        ]
    );
    assert_eq!(list["operators"][0]["login"], "admin");
    assert!(
        list["operators"][1]["login"]
            .as_str()
            .unwrap()
            .starts_with("op")
    );

    // Applicants are never staff, and only the admin sees the list.
    host.active_ereg_host().await;
    for token in [&labour, &registration] {
        let (status, body) = host
            .api(Method::GET, "/v1/operators", Some(token), None)
            .await;
        assert_eq!((status, body["code"].as_str()), (403, Some("admin_only")));
    }
    let (status, list) = host
        .api(Method::GET, "/v1/operators", Some(&admin), None)
        .await;
    assert_eq!(
        (status, list["operators"].as_array().unwrap().len()),
        (200, 3)
    );
}

#[tokio::test]
async fn the_admin_creates_operators_who_set_their_own_password_by_link() {
    let host = spawn_env().await;
    let token = host.operator("labour_operator").await;
    let (status, me) = host.api(Method::GET, "/v1/me", Some(&token), None).await;
    assert_eq!(status, 200);
    assert_eq!(me["type"], "labour_operator");
    assert_eq!(me["status"], "active");

    let admin = host.admin().await;
    // Every field is checked, all at once.
    let (status, body) = host
        .api(
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
    let (status, body) = host
        .api(
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
    let applicant = host.active_ereg_host().await.token;
    let form = json!({
        "role": "labour_operator", "login": "sneaky1", "email": unique_email(),
        "phone": "+996312610002", "surname": "A", "given_names": "B"
    });
    for (who, expected) in [
        (Some(token.as_str()), (403, "admin_only")),
        (Some(applicant.as_str()), (403, "admin_only")),
        (None, (401, "unauthenticated")),
    ] {
        let (status, body) = host
            .api(Method::POST, "/v1/operators", who, Some(&form))
            .await;
        assert_eq!((status, body["code"].as_str().unwrap()), expected);
    }
}

#[tokio::test]
async fn a_labour_operator_lists_the_waiting_employers_oldest_first_and_opens_their_files() {
    let host = spawn_env().await;
    let first = host.employer().await;
    let second = host.employer().await;
    let labour = host.operator("labour_operator").await;
    let first = host.waiting_id(&labour, &first.email).await;
    let second = host.waiting_id(&labour, &second.email).await;

    let (status, list) = host
        .api(Method::GET, "/v1/operator/accounts", Some(&labour), None)
        .await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [first.as_str(), second.as_str()], "oldest first");

    let (status, file) = host
        .api(
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
}

#[tokio::test]
async fn a_labour_operator_activates_an_employer_once_and_it_signs_in() {
    let host = spawn_env().await;
    let employer = host.employer().await;
    let labour = host.operator("labour_operator").await;
    let id = host.waiting_id(&labour, &employer.email).await;
    let activation = format!("/v1/operator/accounts/{id}/activation");

    let (status, activated) = host
        .api(Method::POST, &activation, Some(&labour), None)
        .await;
    assert_eq!(status, 200, "{activated}");
    assert_eq!(activated["status"], "active");
    assert_eq!(activated["decision"]["outcome"], "active");
    let link = link_in_email(&employer.email, "Your account has been activated").await;
    assert!(link.ends_with("/sign-in"), "{link}");
    host.session(&employer.login, EMPLOYER_PASSWORD).await;
    // Deciding twice: the second answer says it is no longer waiting.
    let (status, body) = host
        .api(Method::POST, &activation, Some(&labour), None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("not_awaiting_activation"))
    );
    let (_, list) = host
        .api(Method::GET, "/v1/operator/accounts", Some(&labour), None)
        .await;
    assert_eq!(list["accounts"], json!([]), "nobody waits any more");
}

#[tokio::test]
async fn a_labour_operator_refuses_an_employer_with_a_reason_that_reaches_it() {
    let host = spawn_env().await;
    let employer = host.employer().await;
    let labour = host.operator("labour_operator").await;
    let id = host.waiting_id(&labour, &employer.email).await;

    // A refusal needs its reason; the reason reaches the applicant.
    let refusal = format!("/v1/operator/accounts/{id}/refusal");
    let (status, body) = host
        .api(
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
    let (status, refused) = host
        .api(
            Method::POST,
            &refusal,
            Some(&labour),
            Some(&json!({ "reason": reason })),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(refused["status"], "refused");
    let mail = email_with_subject(&employer.email, "Your account was not activated").await;
    assert!(mail.html.contains(reason), "{}", mail.html);
    let (status, body) = host.sign_in_step(&employer.login, EMPLOYER_PASSWORD).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("account_refused"))
    );
    let (_, list) = host
        .api(Method::GET, "/v1/operator/accounts", Some(&labour), None)
        .await;
    assert_eq!(list["accounts"], json!([]), "nobody waits any more");
}

#[tokio::test]
async fn each_authority_decides_only_its_own_accounts() {
    let host = spawn_env().await;
    let employer = host.employer().await;
    let registration = host.operator("registration_operator").await;
    let labour = host.operator("labour_operator").await;
    let employer = host.waiting_id(&labour, &employer.email).await;
    let ereg_host = host.active_ereg_host().await.token;
    let (_, me) = host
        .api(Method::GET, "/v1/me", Some(&ereg_host), None)
        .await;
    let ereg_host = me["account_id"].as_str().unwrap().to_owned();

    // The registration authority does not see e-work accounts, nor the labour one ereg hosts.
    for (token, id) in [(&registration, &employer), (&labour, &ereg_host)] {
        for (method, path) in [
            (Method::GET, format!("/v1/operator/accounts/{id}")),
            (
                Method::POST,
                format!("/v1/operator/accounts/{id}/activation"),
            ),
        ] {
            let (status, body) = host.api(method, &path, Some(token), None).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (404, Some("account_not_found")),
                "{path}"
            );
        }
        let (status, body) = host
            .api(
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
    let (_, list) = host
        .api(
            Method::GET,
            "/v1/operator/accounts",
            Some(&registration),
            None,
        )
        .await;
    assert_eq!(list["accounts"], json!([]));
    // Nothing was decided by those attempts.
    let (_, file) = host
        .api(
            Method::GET,
            &format!("/v1/operator/accounts/{employer}"),
            Some(&labour),
            None,
        )
        .await;
    assert_eq!(file["status"], "awaiting_activation");
    // Only the registration authority creates legal-entity hosts.
    let (status, body) = host
        .api(
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
async fn applicants_reach_no_operator_route_with_their_own_id_or_another() {
    let host = spawn_env().await;
    let employer = host.employer().await;
    let labour = host.operator("labour_operator").await;
    let employer = host.waiting_id(&labour, &employer.email).await;
    let applicant = host.active_ereg_host().await.token;
    let other_applicant = host.active_ereg_host().await.token;
    let (_, me) = host
        .api(Method::GET, "/v1/me", Some(&other_applicant), None)
        .await;
    let other_host = me["account_id"].as_str().unwrap().to_owned();

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
        let (status, answer) = host
            .api(method.clone(), path, Some(&applicant), body.as_ref())
            .await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (403, Some("operator_only")),
            "{path}"
        );
        let (status, _) = host.api(method.clone(), path, None, body.as_ref()).await;
        assert_eq!(status, 401, "{path}");
    }
}

#[tokio::test]
async fn a_registration_operator_creates_a_legal_entity_host_from_its_own_checked_documents() {
    let host = spawn_env().await;
    let registration = host.operator("registration_operator").await;
    let (email, phone) = (unique_email(), unique_phone());
    // The operator uploads the entity's letter and a scan first.
    let letter = host
        .upload(&registration, "other", imaging::fixtures::pdf(1))
        .await;
    let scan = host
        .upload(&registration, "certificate", imaging::fixtures::pdf(2))
        .await;
    for id in [&letter, &scan] {
        assert_eq!(host.checked(&registration, id).await["status"], "checked");
    }
    let form = legal_entity_form(&email, &phone, &letter, &[&scan]);
    // Documents must be the operator's own, checked uploads.
    let mut foreign = form.clone();
    foreign["letter"] = json!("upl_0123456789abcdef0123456789abcdef");
    let create = "/v1/operator/legal-entity-hosts";
    let (status, body) = host
        .api(Method::POST, create, Some(&registration), Some(&foreign))
        .await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("document_not_found"))
    );
    let (status, body) = host
        .api(Method::POST, create, Some(&registration), Some(&form))
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["account"]["type"], "host_legal_entity");
    assert_eq!(body["login"], email.as_str());
    // The PIN comes by SMS only; the password is never sent, only a link to set it.
    let pin = codes_sent_to(&phone, 1).await.remove(0);
    assert_eq!(pin.len(), 6);
    host.set_password_by_link(&email, ENTITY_PASSWORD).await;
    let token = host.session(&email, ENTITY_PASSWORD).await;
    let (_, me) = host.api(Method::GET, "/v1/me", Some(&token), None).await;
    assert_eq!(me["type"], "host_legal_entity");
    assert_eq!(me["name"], "Tokonov Bakyt (Ala-Too Hotel LLC)");
    for mail in emails_to(&email).await {
        assert!(!mail.html.contains(ENTITY_PASSWORD));
    }
}

#[tokio::test]
async fn a_legal_entity_email_is_taken_once_and_its_password_link_works_once() {
    let host = spawn_env().await;
    let registration = host.operator("registration_operator").await;
    let entity = host.legal_entity(&registration).await;
    // The same email again is refused, and the link works once.
    let form = legal_entity_form(&entity.email, &unique_phone(), &entity.letter, &[]);
    let (status, body) = host
        .api(
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
    let link = link_in_email(&entity.email, "Set the password for your account").await;
    let (status, body) = host
        .api(
            Method::POST,
            "/v1/password-resets/complete",
            None,
            Some(&json!({"token": token_of(&link), "password": "Another-Pass#2", "password_repeat": "Another-Pass#2"})),
        )
        .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_link")));
}

#[tokio::test]
async fn a_legal_entity_hosts_bad_fields_are_named() {
    let host = spawn_env().await;
    let registration = host.operator("registration_operator").await;
    let (status, body) = host
        .api(
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
