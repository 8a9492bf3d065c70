//! The sample events in `events/` go through the functions as Lambda would deliver them.

use std::time::Duration;

use aws_lambda_events::sqs::SqsEvent;
use tower::ServiceExt;

use crate::helpers::*;

const SQS_BATCH: &str = include_str!("../../../events/notifications/sqs-batch.json");
const CREATE_CHALLENGE: &str =
    include_str!("../../../events/registration/apigw-create-challenge.json");
const SIGN_IN: &str = include_str!("../../../events/sessions/apigw-sign-in.json");
const AUTHORIZER: &str = include_str!("../../../events/authorizer/request.json");
const REGISTER_HOST: &str = include_str!("../../../events/registration/apigw-register-host.json");

#[tokio::test]
async fn the_sample_sqs_batch_is_sent_by_the_notifications_handler() {
    let host = spawn_env().await;
    let event: SqsEvent = serde_json::from_str(SQS_BATCH).unwrap();
    let response = notifications::AwsNotifier::from_deps(&host.deps)
        .handle(event)
        .await;
    assert!(response.batch_item_failures.is_empty());
    eventually(Duration::from_secs(5), "the sample emails", || async {
        (!emails_to("employer@example.kg").await.is_empty()
            && !emails_to("host@example.kg").await.is_empty())
        .then_some(())
    })
    .await;
}

#[tokio::test]
async fn the_sample_api_gateway_events_reach_the_registration_router() {
    let host = spawn_env().await;
    let request =
        lambda_http::request::from_str(CREATE_CHALLENGE).expect("an API Gateway v2 event");
    let response = registration::app(&host.deps)
        .oneshot(request)
        .await
        .unwrap();
    assert_eq!(response.status(), 201);

    // The sample registration carries a made-up challenge: refused as such, in Russian.
    let request = lambda_http::request::from_str(REGISTER_HOST).expect("an API Gateway v2 event");
    let response = registration::app(&host.deps)
        .oneshot(request)
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert_eq!(response.headers()["content-language"], "ru");
    let body = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["errors"][0]["code"], "challenge_failed");
}

#[tokio::test]
async fn the_sample_sign_in_and_authorizer_events_run_through_their_functions() {
    let host = spawn_env().await;
    let request = lambda_http::request::from_str(SIGN_IN).expect("an API Gateway v2 event");
    let response = sessions::app(&host.deps).oneshot(request).await.unwrap();
    // Nobody has that account here: refused as any wrong login is.
    assert_eq!(response.status(), 401);

    let event: aws_lambda_events::apigw::ApiGatewayV2CustomAuthorizerV2Request =
        serde_json::from_str(AUTHORIZER).unwrap();
    let response = authorizer::Authorizer::from_deps(&host.deps)
        .handle(event)
        .await;
    assert!(
        response.is_authorized,
        "the authorizer never refuses; routes do"
    );
    assert_eq!(
        response.context,
        serde_json::json!({}),
        "an unknown token resolves to no principal"
    );
}
