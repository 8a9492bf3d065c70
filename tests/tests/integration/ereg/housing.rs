//! Housing: the registry resolves property codes, a host adds only homes it owns with
//! its own document, and an operator adds the housing of a legal-entity host.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn the_registry_resolves_housing_codes_and_only_the_owner_may_add_a_home() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    for (code, expected) in [
        ("9-99-99-9999-9999", "property_not_found"),
        (STRANGERS_HOME, "not_property_owner"),
        ("Lenina 5", "invalid_property_code"),
    ] {
        let (status, body) = host
            .api(
                Method::POST,
                "/v1/housing/check",
                Some(&token),
                Some(&json!({ "housing_code": code })),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(codes_of(&body), [("housing_code".into(), expected.into())]);
    }
    let (status, property) = host
        .api(
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
}

#[tokio::test]
async fn a_host_adds_a_home_with_its_own_document_and_sees_it_listed() {
    let host = spawn_env().await;
    let token = host.active_ereg_host().await.token;
    host.add_housing(&token, OWN_HOME).await;
    let (status, again) = host
        .api(
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
    let (_, missing) = host
        .api(
            Method::POST,
            "/v1/housing",
            Some(&token),
            Some(&json!({"housing_code": OTHER_OWN_HOME})),
        )
        .await;
    assert_eq!(codes_of(&missing), [("document".into(), "required".into())]);
    let (_, list) = host
        .api(Method::GET, "/v1/housing", Some(&token), None)
        .await;
    assert_eq!(list["housing"].as_array().unwrap().len(), 1);
    assert_eq!(list["housing"][0]["code"], OWN_HOME);
}

#[tokio::test]
async fn an_operator_adds_the_housing_of_a_legal_entity_host_and_nobody_else_can() {
    let host = spawn_env().await;
    let registrar = host.operator("registration_operator").await;
    let labour = host.operator("labour_operator").await;
    let entity = host.legal_entity(&registrar).await;

    // The entity cannot add housing itself; the labour authority cannot either.
    let (status, body) = host
        .api(
            Method::POST,
            "/v1/housing",
            Some(&entity.token),
            Some(&json!({"housing_code": STRANGERS_HOME, "document": entity.letter})),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("not_for_account_type"))
    );
    let path = format!("/v1/operator/hosts/{}/housing", entity.account_id);
    let code = |code: &str| json!({ "housing_code": code });
    let (status, body) = host
        .api(
            Method::POST,
            &path,
            Some(&labour),
            Some(&code(STRANGERS_HOME)),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("not_for_account_type"))
    );
    let (status, body) = host
        .api(
            Method::POST,
            &path,
            Some(&registrar),
            Some(&code("9-99-99-9999-9999")),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        codes_of(&body),
        [("housing_code".into(), "property_not_found".into())]
    );
    let (status, added) = host
        .api(
            Method::POST,
            &path,
            Some(&registrar),
            Some(&json!({"housing_code": STRANGERS_HOME, "document": entity.letter})),
        )
        .await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["city"], "Бишкек");
    let (status, _) = host
        .api(
            Method::POST,
            &path,
            Some(&registrar),
            Some(&code(STRANGERS_HOME)),
        )
        .await;
    assert_eq!(status, 409);
    let (_, list) = host
        .api(Method::GET, "/v1/housing", Some(&entity.token), None)
        .await;
    assert_eq!(list["housing"][0]["code"], STRANGERS_HOME);
}

#[tokio::test]
async fn an_operator_cannot_add_housing_to_a_host_that_does_not_exist() {
    let host = spawn_env().await;
    let registrar = host.operator("registration_operator").await;
    let (status, body) = host
        .api(
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
}

#[tokio::test]
async fn a_host_citizen_without_a_personal_number_adds_the_home_their_passport_owns() {
    let host = spawn_env().await;
    let (email, phone) = (unique_email(), unique_phone());
    let mut form = host
        .documented(host_form(&email, &phone, host.solved_challenge().await))
        .await;
    form.as_object_mut().unwrap().remove("personal_number");
    // The registry lists this home's owner by the passport number alone.
    form["document_number"] = json!("AB1444014");
    let (status, _, body) = host.post("/v1/accounts", &form, "en").await;
    assert_eq!(status, 202, "{body}");
    let code = codes_sent_to(&phone, 1).await.remove(0);
    let activation = json!({"email": email, "code": code});
    let (status, _, _) = host
        .post("/v1/accounts/activation", &activation, "en")
        .await;
    assert_eq!(status, 200);
    let token = host.session(&email, HOST_PASSWORD).await;
    host.add_housing(&token, "1-01-01-0333-0488-108").await;
    let (status, housing) = host
        .api(Method::GET, "/v1/housing", Some(&token), None)
        .await;
    assert_eq!(status, 200, "{housing}");
    assert!(
        housing.to_string().contains("1-01-01-0333-0488-108"),
        "{housing}"
    );
}
