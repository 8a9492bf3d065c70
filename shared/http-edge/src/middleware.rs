//! The edge middleware: request ids, and problems rendered in the caller's language.

use axum::Json;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::{Code, Lang};
use http::header::{ACCEPT_LANGUAGE, CONTENT_LANGUAGE, CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use http::{HeaderName, StatusCode};

use crate::{ApiError, Problem};

/// The header a request id travels in, both ways.
pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the request, in the request's extensions for handlers that want it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

impl RequestId {
    /// Keeps a caller's id when it is short and plain, so it can be traced end to end;
    /// otherwise makes one.
    fn from_header(value: Option<&HeaderValue>) -> Self {
        let given = value.and_then(|v| v.to_str().ok()).filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
        RequestId(
            given
                .map(str::to_owned)
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
        )
    }
}

/// The middleware every HTTP function's router is wrapped in (`axum::middleware::from_fn(edge)`).
pub async fn edge(mut request: Request, next: Next) -> Response {
    let request_id = RequestId::from_header(request.headers().get(&REQUEST_ID));
    let lang = Lang::negotiate(
        request
            .headers()
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let instance = request.uri().path().to_owned();
    request.extensions_mut().insert(request_id.clone());
    request.extensions_mut().insert(lang);

    let mut response = next.run(request).await;

    let problem = response
        .extensions_mut()
        .remove::<Problem>()
        .or_else(|| framework_rejection(&response));
    if let Some(problem) = problem {
        let allow = response.headers().get(http::header::ALLOW).cloned();
        let body = problem.body(lang, &instance, &request_id.0);
        response = (problem.status, Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        headers.insert(CONTENT_LANGUAGE, HeaderValue::from_static(lang.as_str()));
        if let Some(secs) = problem.retry_after_secs {
            headers.insert(RETRY_AFTER, HeaderValue::from(secs));
        }
        if let Some(allow) = allow {
            headers.insert(http::header::ALLOW, allow);
        }
    }
    if let Ok(value) = HeaderValue::from_str(&request_id.0) {
        response.headers_mut().insert(REQUEST_ID.clone(), value);
    }
    response
}

/// The problem for an answer the framework gave by itself, before our code ran: a
/// known path with a wrong method (empty body), a path or query parameter its
/// extractor could not take (`text/plain`), a body over the router's limit. Our own
/// errors carry their problem already.
fn framework_rejection(response: &Response) -> Option<Problem> {
    let code = match response.status() {
        StatusCode::METHOD_NOT_ALLOWED => Code::MethodNotAllowed,
        StatusCode::BAD_REQUEST => Code::InvalidParameters,
        StatusCode::PAYLOAD_TOO_LARGE => Code::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Code::UnsupportedMediaType,
        _ => return None,
    };
    Some(Problem::new(response.status(), code))
}

/// The answer for a path no route matches.
pub async fn fallback() -> ApiError {
    ApiError::edge(StatusCode::NOT_FOUND, Code::RouteNotFound)
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::routing::post;
    use domain::{DomainError, FieldError};
    use serde::Deserialize;
    use tower::ServiceExt;

    use super::*;
    use crate::JsonBody;

    #[derive(Deserialize)]
    struct Greeting {
        email: String,
    }

    async fn greet(JsonBody(g): JsonBody<Greeting>) -> Result<String, ApiError> {
        domain::EmailAddress::parse(&g.email)
            .map(|e| e.to_string())
            .map_err(|code| DomainError::Invalid(vec![FieldError::new("email", code)]).into())
    }

    async fn boom() -> Result<String, ApiError> {
        Err(anyhow::anyhow!("table accounts: secret cause").into())
    }

    #[derive(Deserialize)]
    struct Page {
        #[allow(dead_code)]
        limit: u32,
    }

    async fn item(
        axum::extract::Path(_id): axum::extract::Path<u32>,
        axum::extract::Query(_page): axum::extract::Query<Page>,
    ) -> &'static str {
        "ok"
    }

    async fn raw(_body: axum::body::Bytes) -> &'static str {
        "ok"
    }

    fn app() -> Router {
        Router::new()
            .route("/greet", post(greet))
            .route("/boom", post(boom))
            .route("/items/{id}", axum::routing::get(item))
            .route(
                "/raw",
                post(raw).layer(axum::extract::DefaultBodyLimit::max(8)),
            )
            .fallback(fallback)
            .layer(axum::middleware::from_fn(edge))
    }

    async fn call(
        request: http::Request<Body>,
    ) -> (StatusCode, http::HeaderMap, serde_json::Value) {
        let response = app().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
        (status, headers, json)
    }

    fn post_json(path: &str, body: &str, lang: &str) -> http::Request<Body> {
        http::Request::post(path)
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT_LANGUAGE, lang)
            .body(Body::from(body.to_owned()))
            .unwrap()
    }

    #[tokio::test]
    async fn a_field_error_is_a_problem_in_the_callers_language() {
        let (status, headers, body) = call(post_json("/greet", r#"{"email":"nope"}"#, "ru")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(headers[CONTENT_TYPE], "application/problem+json");
        assert_eq!(headers[CONTENT_LANGUAGE], "ru");
        assert_eq!(body["code"], "invalid_fields");
        assert_eq!(body["type"], "urn:kg-migration:problem:invalid_fields");
        assert_eq!(body["status"], 422);
        assert_eq!(body["instance"], "/greet");
        assert_eq!(body["errors"][0]["field"], "email");
        assert_eq!(body["errors"][0]["code"], "invalid_email");
        assert_eq!(
            body["errors"][0]["detail"],
            Code::InvalidEmail.message(Lang::Ru)
        );
        assert_eq!(body["request_id"], headers[&REQUEST_ID].to_str().unwrap());
    }

    #[tokio::test]
    async fn what_the_framework_rejects_is_a_problem_too() {
        let get = |uri: &str| {
            http::Request::get(uri)
                .header(ACCEPT_LANGUAGE, "ky")
                .body(Body::empty())
                .unwrap()
        };
        for uri in [
            "/items/abc?limit=1",
            "/items/%FF?limit=1",
            "/items/1?limit=x",
            "/items/1",
        ] {
            let (status, headers, body) = call(get(uri)).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
            assert_eq!(headers[CONTENT_TYPE], "application/problem+json", "{uri}");
            assert_eq!(body["code"], "invalid_parameters", "{uri}");
            assert_eq!(body["detail"], Code::InvalidParameters.message(Lang::Ky));
        }
        let (status, _, body) = call(get("/items/1?limit=1")).await;
        assert_eq!((status, body), (StatusCode::OK, serde_json::Value::Null));
        let big = http::Request::post("/raw")
            .body(Body::from("0123456789abcdef"))
            .unwrap();
        let (status, headers, body) = call(big).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(headers[CONTENT_TYPE], "application/problem+json");
        assert_eq!(body["code"], "payload_too_large");
    }

    #[tokio::test]
    async fn malformed_json_is_invalid_body() {
        let (status, _, body) = call(post_json("/greet", "{not json", "en")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["code"], "invalid_body");
        assert_eq!(body["detail"], Code::InvalidBody.message(Lang::En));
        let (status, _, body) = call(post_json("/greet", r#"{"mail":"x"}"#, "en")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["code"], "invalid_body");
    }

    #[tokio::test]
    async fn a_body_without_json_content_type_is_unsupported() {
        let request = http::Request::post("/greet")
            .body(Body::from("{}"))
            .unwrap();
        let (status, _, body) = call(request).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(body["code"], "unsupported_media_type");
        assert_eq!(body["detail"], Code::UnsupportedMediaType.message(Lang::Ky));
    }

    #[tokio::test]
    async fn unknown_routes_and_wrong_methods_are_problems() {
        let (status, _, body) = call(post_json("/nowhere", "{}", "en")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["code"], "route_not_found");
        let request = http::Request::get("/greet").body(Body::empty()).unwrap();
        let (status, headers, body) = call(request).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(body["code"], "method_not_allowed");
        assert!(headers.contains_key(http::header::ALLOW));
    }

    #[tokio::test]
    async fn unexpected_errors_hide_their_cause() {
        let (status, _, body) = call(post_json("/boom", "{}", "en")).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["code"], "internal");
        assert!(!body.to_string().contains("secret cause"));
    }

    #[tokio::test]
    async fn a_plain_caller_request_id_is_kept_and_a_hostile_one_replaced() {
        let mut request = post_json("/nowhere", "{}", "en");
        request
            .headers_mut()
            .insert(&REQUEST_ID, HeaderValue::from_static("trace-123"));
        let (_, headers, body) = call(request).await;
        assert_eq!(headers[&REQUEST_ID], "trace-123");
        assert_eq!(body["request_id"], "trace-123");

        let mut request = post_json("/nowhere", "{}", "en");
        request
            .headers_mut()
            .insert(&REQUEST_ID, HeaderValue::from_static("<script>"));
        let (_, headers, _) = call(request).await;
        assert_ne!(headers[&REQUEST_ID], "<script>");
    }
}
