//! The web portal as the dev host serves it, the way the CDN serves it on AWS: pages
//! are `index.html` under the security headers, files are themselves or `404`, and the
//! API's own paths never turn into pages.

use crate::helpers::*;

async fn get(host: &TestHost, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}{path}", host.url()))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn every_page_address_is_the_portal_under_a_strict_content_policy() {
    let host = spawn_env().await;
    for path in [
        "/",
        "/sign-in",
        "/ereg/registrations/1234567890",
        "/verify?d=x",
    ] {
        let response = get(&host, path).await;
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(policy.starts_with("default-src 'self';"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let body = response.text().await.unwrap();
        assert!(
            body.contains(r#"<script type="module" src="/app/main.js">"#),
            "{path}"
        );
    }
}

#[tokio::test]
async fn files_are_served_as_themselves_and_missing_ones_are_not_pages() {
    let host = spawn_env().await;
    let script = get(&host, "/app/main.js").await;
    assert_eq!(script.status(), 200);
    assert!(
        script.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert_eq!(get(&host, "/app/no-such-file.js").await.status(), 404);
    // A way out of the portal's folder, encoded so that no client tidies it first.
    assert_eq!(
        get(&host, "/app/%2e%2e/%2e%2e/Cargo.toml").await.status(),
        404
    );
}

#[tokio::test]
async fn unknown_api_paths_stay_problem_json_and_writes_never_reach_the_files() {
    let host = spawn_env().await;
    let response = get(&host, "/v1/no-such-thing").await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let posted = reqwest::Client::new()
        .post(format!("{}/sign-in", host.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 404);
    assert_eq!(posted.headers()["content-type"], "application/problem+json");
}
