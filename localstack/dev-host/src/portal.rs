//! The web portal's static files, served as the CDN serves them on AWS: a path whose
//! last segment has no dot is a page and gets `index.html` (the portal routes in the
//! browser), any other path is a file or `404`. API paths never reach here as files:
//! an unknown `/v1/…` route stays a problem+json `404`.

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::Request;
use axum::http::{HeaderValue, Method, Uri, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// Where the portal's files are and which origins its pages may reach besides their own.
#[derive(Debug, Clone)]
pub(crate) struct Portal {
    root: Option<PathBuf>,
    /// The headers every file goes out with, made once.
    headers: Vec<(header::HeaderName, HeaderValue)>,
}

impl Portal {
    /// The portal of the files under `root`, whose pages may also reach `endpoint` (the
    /// AWS endpoint: upload forms post there, download links point there).
    pub(crate) fn new(root: Option<PathBuf>, endpoint: &str) -> Arc<Portal> {
        // The CDN's response policy (`infra/template.yaml`), with the local endpoint in
        // place of the bucket's address.
        let policy = format!(
            "default-src 'self'; img-src 'self' data: blob: {e}; connect-src 'self' {e}; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
            e = endpoint.trim_end_matches('/')
        );
        let headers = [
            (header::CONTENT_SECURITY_POLICY, policy.as_str()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::X_FRAME_OPTIONS, "DENY"),
            // Files keep their names across releases: revalidate, never trust a stale copy.
            (header::CACHE_CONTROL, "no-cache"),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name, HeaderValue::from_str(value).ok()?)))
        .collect();
        Arc::new(Portal { root, headers })
    }
}

/// API paths: what is not one of these is the portal's.
fn is_api(path: &str) -> bool {
    ["/v1/", "/local/", "/local-processor/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
        || matches!(path, "/v1" | "/health" | "/openapi.json")
}

/// The file a path names: pages are `index.html`.
fn file_of(path: &str) -> &str {
    let last = path.rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        path
    } else {
        "/index.html"
    }
}

/// The fallback of the whole host: the portal's file, or the API's `404`.
pub(crate) fn fallback(root: Option<PathBuf>, endpoint: &str) -> axum::routing::MethodRouter {
    let portal = Portal::new(root, endpoint);
    axum::routing::any(move |request: Request| serve(portal.clone(), request))
}

async fn serve(portal: Arc<Portal>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let readable = matches!(*request.method(), Method::GET | Method::HEAD);
    let Some(root) = portal.root.as_ref().filter(|_| readable && !is_api(&path)) else {
        return http_edge::fallback().await.into_response();
    };
    let (mut parts, body) = request.into_parts();
    parts.uri = match Uri::try_from(file_of(&path)) {
        Ok(uri) => uri,
        Err(_) => return http_edge::fallback().await.into_response(),
    };
    let served = ServeDir::new(root)
        .oneshot(Request::from_parts(parts, body))
        .await;
    let mut response = match served {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    };
    response
        .headers_mut()
        .extend(portal.headers.iter().cloned());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_the_index_and_files_are_themselves() {
        assert_eq!(file_of("/"), "/index.html");
        assert_eq!(file_of("/ereg/registrations/0000000001"), "/index.html");
        assert_eq!(file_of("/app/main.js"), "/app/main.js");
        assert_eq!(file_of("/verify"), "/index.html");
    }

    #[test]
    fn api_paths_never_become_pages() {
        for path in [
            "/v1/no-such-thing",
            "/health",
            "/openapi.json",
            "/local/x",
            "/v1",
        ] {
            assert!(is_api(path), "{path}");
        }
        for path in ["/", "/sign-in", "/ereg", "/v1x", "/healthy"] {
            assert!(!is_api(path), "{path}");
        }
    }
}
