//! The quota application's loop: submission, clarification with a document added,
//! resubmission, the commission's allocation, annulment, and the messages each leaves.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_quota_application_goes_through_clarification_to_an_allocation() {
    let host = spawn_env().await;
    let labour = host.operator("labour_operator").await;
    let employer = host.active_employer(&labour).await;
    let submitted = host
        .quota_application(&employer.token, &quota_form(None))
        .await;
    let number = submitted["number"].as_str().unwrap().to_owned();
    assert!(number.starts_with("Q-") && number.len() == 10, "{number}");
    assert_eq!(submitted["status"], "submitted");
    assert_eq!(submitted["requested"], 6);
    assert_eq!(submitted["quota"]["local_to_foreign_ratio"], "6.66");

    let (status, queue) = host
        .api(
            Method::GET,
            "/v1/operator/applications",
            Some(&labour),
            None,
        )
        .await;
    assert_eq!(status, 200, "{queue}");
    assert!(
        queue
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["number"] == number.as_str())
    );
    let again = host
        .clarification_round(&labour, &employer, &number, "Attach the staff list")
        .await;
    assert_eq!(again["status"], "submitted");
    assert_eq!(again["attachments"][0]["kind"], "staff_list");
    assert_eq!(again["clarification"], "Attach the staff list");

    let allocation = json!({"protocol_number": "17/2026", "decision_date": "2026-12-01", "allocated": [2, 0, 1]});
    let (status, confirmed) = host
        .decide_application(&labour, &number, "confirm", &allocation)
        .await;
    assert_eq!(status, 200, "{confirmed}");
    assert_eq!(confirmed["allocated"], 3);
    assert_eq!(confirmed["printable"], true);
    assert_eq!(confirmed["allocation"]["rows"][0]["requested"], 3);
    assert_eq!(confirmed["allocation"]["rows"][0]["allocated"], 2);

    let (_, archive) = host
        .api(
            Method::GET,
            "/v1/applications?kind=quota",
            Some(&employer.token),
            None,
        )
        .await;
    let row = &archive["items"][0];
    assert_eq!(
        (
            row["number"].as_str(),
            row["requested"].as_u64(),
            row["allocated"].as_u64()
        ),
        (Some(number.as_str()), Some(6), Some(3))
    );
    let messages = host.messages(&employer.token, "ru").await;
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages.iter().all(|m| m["application"] == number.as_str()));
    let newest = messages[0]["text"].as_str().unwrap();
    assert!(
        newest.contains("Ваше заявление на получение квоты для Ala-Too Kurulush LLC подтверждено."),
        "{newest}"
    );
    let oldest = messages[2]["text"].as_str().unwrap();
    assert!(
        oldest.contains("Что необходимо: Attach the staff list"),
        "{oldest}"
    );
}

#[tokio::test]
async fn messages_are_marked_read_and_an_operators_own_words_arrive_as_written() {
    let host = spawn_env().await;
    let labour = host.operator("labour_operator").await;
    let employer = host.active_employer(&labour).await;
    let number = host.submitted_quota(&employer.token).await;
    let path = format!("/v1/operator/applications/{number}/messages");
    let note = json!({"text": "Please bring the originals on Monday"});
    let (status, written) = host
        .api(Method::POST, &path, Some(&labour), Some(&note))
        .await;
    assert_eq!(status, 201, "{written}");
    email_with_subject(
        &employer.email,
        &format!("New message about application {number}"),
    )
    .await;

    let messages = host.messages(&employer.token, "ky").await;
    assert_eq!(messages[0]["text"], "Please bring the originals on Monday");
    assert_eq!(messages[0]["read"], false);
    let read = format!("/v1/messages/{}/read", messages[0]["id"].as_str().unwrap());
    let (status, _) = host
        .api(Method::POST, &read, Some(&employer.token), None)
        .await;
    assert_eq!(status, 204);
    assert_eq!(host.messages(&employer.token, "ky").await[0]["read"], true);
    let (status, missing) = host
        .api(
            Method::POST,
            "/v1/messages/20261204-00000000/read",
            Some(&employer.token),
            None,
        )
        .await;
    assert_eq!(
        (status, missing["code"].as_str()),
        (404, Some("message_not_found"))
    );
}

#[tokio::test]
async fn a_confirmed_application_is_annulled_and_a_decided_one_moves_no_more() {
    let host = spawn_env().await;
    let labour = host.operator("labour_operator").await;
    let employer = host.active_employer(&labour).await;
    let number = host.submitted_quota(&employer.token).await;
    let reason = json!({"text": "Tax payments could not be verified"});
    let (status, early) = host
        .decide_application(&labour, &number, "annul", &reason)
        .await;
    assert_eq!(
        (status, early["code"].as_str()),
        (409, Some("application_not_confirmed"))
    );
    let allocation =
        json!({"protocol_number": "3", "decision_date": "2026-12-01", "allocated": [3, 2, 1]});
    let (status, _) = host
        .decide_application(&labour, &number, "confirm", &allocation)
        .await;
    assert_eq!(status, 200);
    let (status, again) = host
        .decide_application(&labour, &number, "reject", &reason)
        .await;
    assert_eq!(
        (status, again["code"].as_str()),
        (409, Some("application_not_awaiting_decision"))
    );
    let (status, annulled) = host
        .decide_application(&labour, &number, "annul", &reason)
        .await;
    assert_eq!(status, 200, "{annulled}");
    assert_eq!(annulled["status"], "annulled");
    assert_eq!(
        annulled["annulment_reason"],
        "Tax payments could not be verified"
    );

    let (_, review) = host
        .api(
            Method::GET,
            &format!("/v1/operator/applications/{number}"),
            Some(&labour),
            None,
        )
        .await;
    let actions: Vec<&str> = review["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["submitted", "confirmed", "annulled"]);
    assert_eq!(review["applicant"]["email"], employer.email.as_str());
    let messages = host.messages(&employer.token, "en").await;
    assert!(
        messages[0]["text"]
            .as_str()
            .unwrap()
            .contains("is annulled.")
    );
    assert!(
        messages[0]["text"]
            .as_str()
            .unwrap()
            .contains("Reason: Tax payments could not be verified")
    );
}
