//! The HTTP edge every HTTP function shares: JSON bodies into typed values, RFC 9457
//! `application/problem+json` errors with a stable `code` and a message in the caller's
//! language, and request ids.
//!
//! Handlers return `Result<_, ApiError>`. An `ApiError` becomes a response carrying its
//! [`Problem`]; the [`edge`] middleware, which knows the request, renders it in the
//! language of `Accept-Language` and stamps the request id. No handler builds an error
//! body itself.

mod auth;
mod error;
mod json;
mod middleware;

pub use auth::{
    Admin, Authenticated, DigitalNomad, Employer, EregHost, EworkApplicant, ForeignEntrepreneur,
    LabourOperator, SessionUnchecked, SourceIp, UNCHECKED_FIELD, bearer_token,
    from_lambda_authorizer,
};
pub use error::{ApiError, Problem, ProblemBody, ProblemField, blocking, unexpected};
pub use json::JsonBody;
pub use middleware::{RequestId, edge, fallback};

/// A function's routes as Lambda runs them: behind the edge, with the principal taken
/// from API Gateway's authorizer context and problem+json for unknown routes.
pub fn lambda_app(router: axum::Router) -> axum::Router {
    router
        .fallback(fallback)
        .layer(axum::middleware::from_fn(from_lambda_authorizer))
        .layer(axum::middleware::from_fn(edge))
}
