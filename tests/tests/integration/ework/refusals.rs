//! What e-work refuses: broken forms field by field with nothing stored, another
//! account's application, the wrong kind of account, and the second of two operators
//! deciding at once.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_broken_form_is_refused_field_by_field_and_nothing_is_stored() {
    let host = spawn_env().await;
    let labour = host.operator("labour_operator").await;
    let employer = host.active_employer(&labour).await;
    let mut form = quota_form(None);
    form["total"] = json!(7);
    form["rows"][1]["country"] = json!("ZZZ");
    form["tax_payments"] = json!({"monthly": ["1", "2"]});
    form["staff_list"] = json!("upl_0123456789abcdef0123456789abcdef");
    let (status, checked) = host
        .api_lang(
            Method::POST,
            "/v1/quota-applications/check",
            Some(&employer.token),
            Some(&form),
            "ru",
        )
        .await;
    assert_eq!(status, 422, "{checked}");
    let fields: Vec<(&str, &str)> = checked["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert!(
        fields.contains(&("rows[1].country", "invalid_country")),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("tax_payments.monthly", "six_months_expected")),
        "{fields:?}"
    );
    let (status, body) = host
        .api(
            Method::POST,
            "/v1/quota-applications",
            Some(&employer.token),
            Some(&form),
        )
        .await;
    assert_eq!(status, 422, "{body}");

    let mut unusable = quota_form(Some("upl_0123456789abcdef0123456789abcdef"));
    unusable["total"] = json!(6);
    let (status, body) = host
        .api(
            Method::POST,
            "/v1/quota-applications",
            Some(&employer.token),
            Some(&unusable),
        )
        .await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("document_not_usable"))
    );
    let (status, checked) = host
        .api(
            Method::POST,
            "/v1/quota-applications/check",
            Some(&employer.token),
            Some(&quota_form(None)),
        )
        .await;
    assert_eq!((status, checked["total"].as_u64()), (200, Some(6)));
    let (_, archive) = host
        .api(Method::GET, "/v1/applications", Some(&employer.token), None)
        .await;
    assert_eq!(archive["items"], json!([]));
}

#[tokio::test]
async fn another_employer_sees_nothing_and_other_accounts_get_their_refusals() {
    let host = spawn_env().await;
    let labour = host.operator("labour_operator").await;
    let first = host.active_employer(&labour).await;
    let other = host.active_employer(&labour).await;
    let number = host.submitted_quota(&first.token).await;
    let body = json!({"upload_id": "upl_0123456789abcdef0123456789abcdef"});
    for (method, path, body) in [
        (Method::GET, format!("/v1/applications/{number}"), None),
        (
            Method::POST,
            format!("/v1/applications/{number}/documents"),
            Some(&body),
        ),
        (
            Method::POST,
            format!("/v1/applications/{number}/resubmit"),
            None,
        ),
    ] {
        let (status, answer) = host.api(method, &path, Some(&other.token), body).await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (404, Some("application_not_found")),
            "{path}"
        );
    }
    let (_, archive) = host
        .api(Method::GET, "/v1/applications", Some(&other.token), None)
        .await;
    assert_eq!(archive["items"], json!([]));

    let ereg_host = host.active_ereg_host().await;
    let registrar = host.operator("registration_operator").await;
    let queue = "/v1/operator/applications";
    let submit = "/v1/quota-applications";
    for (token, path, status, code) in [
        (
            Some(ereg_host.token.as_str()),
            submit,
            403,
            "not_for_account_type",
        ),
        (Some(labour.as_str()), submit, 403, "not_for_account_type"),
        (None, submit, 401, "unauthenticated"),
        (Some(first.token.as_str()), queue, 403, "operator_only"),
        (Some(registrar.as_str()), queue, 403, "not_for_account_type"),
        (None, queue, 401, "unauthenticated"),
    ] {
        let method = if path == submit {
            Method::POST
        } else {
            Method::GET
        };
        let form = quota_form(None);
        let (got, answer) = host
            .api(method, path, token, Some(&form).filter(|_| path == submit))
            .await;
        assert_eq!(
            (got, answer["code"].as_str()),
            (status, Some(code)),
            "{path}"
        );
    }
}

#[tokio::test]
async fn two_operators_deciding_at_once_cannot_both_win() {
    let host = spawn_env().await;
    let first = host.operator("labour_operator").await;
    let second = host.operator("labour_operator").await;
    let employer = host.active_employer(&first).await;
    let number = host.submitted_quota(&employer.token).await;
    let allocation =
        json!({"protocol_number": "9", "decision_date": "2026-12-01", "allocated": [1, 1, 1]});
    let reason = json!({"text": "Vacancies were not advertised locally"});
    let (confirm, reject) = tokio::join!(
        host.decide_application(&first, &number, "confirm", &allocation),
        host.decide_application(&second, &number, "reject", &reason),
    );
    let statuses = [confirm.0, reject.0];
    assert!(
        statuses.contains(&200) && statuses.contains(&409),
        "{confirm:?} {reject:?}"
    );
    let lost = if confirm.0 == 409 {
        &confirm.1
    } else {
        &reject.1
    };
    assert_eq!(lost["code"], "application_not_awaiting_decision");
    let (_, review) = host
        .api(
            Method::GET,
            &format!("/v1/operator/applications/{number}"),
            Some(&first),
            None,
        )
        .await;
    assert_eq!(review["audit"].as_array().unwrap().len(), 2);
    assert_eq!(host.messages(&employer.token, "en").await.len(), 1);
}

#[tokio::test]
async fn a_page_cursor_of_another_account_or_made_up_is_refused() {
    let host = spawn_env().await;
    let labour = host.operator("labour_operator").await;
    let first = host.active_employer(&labour).await;
    let other = host.active_employer(&labour).await;
    for _ in 0..2 {
        host.submitted_quota(&first.token).await;
    }
    let (_, page) = host
        .api(
            Method::GET,
            "/v1/applications?limit=1",
            Some(&first.token),
            None,
        )
        .await;
    let cursor = page["next"].as_str().unwrap().to_owned();
    let next = format!("/v1/applications?limit=1&cursor={cursor}");
    let (status, second) = host.api(Method::GET, &next, Some(&first.token), None).await;
    assert_eq!(
        (status, second["items"].as_array().unwrap().len()),
        (200, 1)
    );
    for (token, path) in [
        (&other.token, next.clone()),
        (
            &first.token,
            "/v1/applications?cursor=bm90LWEtY3Vyc29y".to_owned(),
        ),
        (
            &first.token,
            "/v1/messages?cursor=bm90LWEtY3Vyc29y".to_owned(),
        ),
    ] {
        let (status, refused) = host.api(Method::GET, &path, Some(token), None).await;
        assert_eq!(status, 422, "{path}: {refused}");
        assert_eq!(refused["errors"][0]["code"], "invalid_cursor", "{path}");
    }
}

#[tokio::test]
async fn a_broken_decision_is_refused_and_changes_nothing() {
    let host = spawn_env().await;
    let labour = host.operator("labour_operator").await;
    let employer = host.active_employer(&labour).await;
    let number = host.submitted_quota(&employer.token).await;
    let too_long = "x".repeat(2001);
    for (action, body, field, code) in [
        ("clarification", json!({"text": "  "}), "text", "required"),
        ("reject", json!({"text": too_long}), "text", "invalid_text"),
        (
            "confirm",
            json!({"protocol_number": "1", "decision_date": "2026-12-01", "allocated": [4, 0, 0]}),
            "allocated[0]",
            "allocation_exceeds_request",
        ),
        (
            "confirm",
            json!({"protocol_number": "1", "decision_date": "2026-12-01", "allocated": [1]}),
            "allocated",
            "allocation_rows_mismatch",
        ),
    ] {
        let (status, refused) = host
            .decide_application(&labour, &number, action, &body)
            .await;
        assert_eq!(status, 422, "{action}: {refused}");
        assert_eq!(refused["errors"][0]["field"], field, "{action}");
        assert_eq!(refused["errors"][0]["code"], code, "{action}");
    }
    let (_, review) = host
        .api(
            Method::GET,
            &format!("/v1/operator/applications/{number}"),
            Some(&labour),
            None,
        )
        .await;
    assert_eq!(review["application"]["status"], "submitted");
    assert_eq!(review["audit"].as_array().unwrap().len(), 1);
    assert!(host.messages(&employer.token, "en").await.is_empty());
}
