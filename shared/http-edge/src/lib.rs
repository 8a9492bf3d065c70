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

pub use auth::{Authenticated, bearer_token, from_lambda_authorizer};
pub use error::{ApiError, Problem, ProblemBody, ProblemField};
pub use json::JsonBody;
pub use middleware::{RequestId, edge, fallback};
