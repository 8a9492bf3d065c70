//! An AWS endpoint out of reach is never the caller's fault: with the endpoint refusing
//! connections, then hanging, a signed-in request and a public one answer `503
//! unavailable` with `Retry-After` well inside API Gateway's 29 s, a valid session is
//! never told it is signed out, and all is as before once the endpoint is back.

use std::time::{Duration, Instant};

use reqwest::Method;

use crate::helpers::*;

/// API Gateway gives up on an integration after this long.
const GATEWAY_LIMIT: Duration = Duration::from_secs(29);

/// `GET /v1/me` and `POST /v1/challenges` during an outage: both `503` problems with
/// `Retry-After`, each answered inside the gateway's limit.
async fn both_unavailable(host: &TestHost, token: &str, outage: &str) {
    for (method, path, bearer) in [
        (Method::GET, "/v1/me", Some(token)),
        (Method::POST, "/v1/challenges", None),
    ] {
        let started = Instant::now();
        let mut request = reqwest::Client::new()
            .request(method, format!("{}{path}", host.url()))
            .header("accept-language", "en");
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let took = started.elapsed();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        assert_eq!(
            (status, body["code"].as_str()),
            (503, Some("unavailable")),
            "{outage}: {path}: {body}"
        );
        assert_eq!(headers["content-type"], "application/problem+json");
        assert!(headers.contains_key("retry-after"), "{outage}: {path}");
        assert!(took < GATEWAY_LIMIT, "{outage}: {path} took {took:?}");
    }
}

#[tokio::test]
async fn with_the_endpoint_refusing_then_hanging_requests_get_503_and_never_401() {
    let proxy = Proxy::to(&endpoint()).await;
    let host = spawn_env_with(|config| config.endpoint = proxy.url()).await;
    let token = host.active_ereg_host().await.token;

    proxy.set(Outage::Refuse);
    both_unavailable(&host, &token, "refusing").await;
    proxy.set(Outage::Hang);
    both_unavailable(&host, &token, "hanging").await;

    // Back: the same session works.
    proxy.set(Outage::Forward);
    let (status, me) = host.api(Method::GET, "/v1/me", Some(&token), None).await;
    assert_eq!(status, 200, "{me}");
}
