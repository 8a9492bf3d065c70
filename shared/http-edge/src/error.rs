//! `ApiError`, the one error type of HTTP handlers, and its problem+json form.

use axum::response::{IntoResponse, Response};
use domain::{Code, DomainError, FieldError, Lang};
use http::StatusCode;
use serde::Serialize;

/// What went wrong, before it is put in words: the status, the stable code, the fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub status: StatusCode,
    pub code: Code,
    pub fields: Vec<FieldError>,
    pub retry_after_secs: Option<u64>,
}

/// The RFC 9457 body, in one language.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProblemBody {
    /// A URI naming the problem type: `urn:kg-migration:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The message in the caller's language.
    pub title: String,
    pub status: u16,
    /// The message in the caller's language.
    pub detail: String,
    /// The stable code to branch on.
    pub code: String,
    /// The path of the request.
    pub instance: String,
    /// The id to quote to support; the logs carry the cause under it.
    pub request_id: String,
    /// The fields that failed validation, when the code is `invalid_fields`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

/// One field that failed validation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    /// The field's path in the request body, e.g. `to.email`.
    pub field: String,
    pub code: String,
    pub detail: String,
}

impl Problem {
    pub fn new(status: StatusCode, code: Code) -> Self {
        Self {
            status,
            code,
            fields: Vec::new(),
            retry_after_secs: None,
        }
    }

    /// The body in `lang`, for the request at `instance`.
    pub fn body(&self, lang: Lang, instance: &str, request_id: &str) -> ProblemBody {
        let message = self.code.message(lang).to_owned();
        ProblemBody {
            kind: format!("urn:kg-migration:problem:{}", self.code),
            title: message.clone(),
            status: self.status.as_u16(),
            detail: message,
            code: self.code.as_str().to_owned(),
            instance: instance.to_owned(),
            request_id: request_id.to_owned(),
            errors: self
                .fields
                .iter()
                .map(|f| ProblemField {
                    field: f.field.clone(),
                    code: f.code.as_str().to_owned(),
                    detail: f.code.message(lang).to_owned(),
                })
                .collect(),
        }
    }
}

/// The error of every HTTP handler, built with `From` from the layers below.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// A failure at the edge itself (malformed body, wrong media type, no such route).
    #[error("{code} ({status})")]
    Edge { status: StatusCode, code: Code },
    /// Anything we did not expect. The response says only `internal`; the cause chain
    /// goes to the log under the request id.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
    /// A service we depend on was out of reach: `503 unavailable` with `Retry-After`,
    /// never the caller's fault. The cause goes to the log.
    #[error("unavailable: {0}")]
    Unavailable(anyhow::Error),
}

/// Seconds a caller is asked to wait when a dependency is out of reach.
pub const RETRY_AFTER_UNAVAILABLE_SECS: u64 = 5;

impl ApiError {
    pub fn edge(status: StatusCode, code: Code) -> Self {
        ApiError::Edge { status, code }
    }

    /// The problem this error is, mapped once for the whole system.
    pub fn problem(&self) -> Problem {
        match self {
            ApiError::Domain(err) => {
                let status = match err {
                    DomainError::Invalid(_) | DomainError::Refused(_) => {
                        StatusCode::UNPROCESSABLE_ENTITY
                    }
                    DomainError::NotFound(_) => StatusCode::NOT_FOUND,
                    DomainError::Conflict(_) => StatusCode::CONFLICT,
                    DomainError::Forbidden(_) => StatusCode::FORBIDDEN,
                    DomainError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
                    DomainError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
                };
                Problem {
                    status,
                    code: err.code(),
                    fields: match err {
                        DomainError::Invalid(fields) => fields.clone(),
                        _ => Vec::new(),
                    },
                    retry_after_secs: match err {
                        DomainError::TooManyRequests {
                            retry_after_secs, ..
                        } => Some(*retry_after_secs),
                        _ => None,
                    },
                }
            }
            ApiError::Edge { status, code } => Problem::new(*status, *code),
            ApiError::Unexpected(_) => {
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, Code::Internal)
            }
            ApiError::Unavailable(_) => Problem {
                retry_after_secs: Some(RETRY_AFTER_UNAVAILABLE_SECS),
                ..Problem::new(StatusCode::SERVICE_UNAVAILABLE, Code::Unavailable)
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            // The full chain, for the log only.
            ApiError::Unexpected(err) => {
                tracing::error!(error = format!("{err:#}"), "unexpected error");
            }
            ApiError::Unavailable(err) => {
                tracing::warn!(error = format!("{err:#}"), "a dependency is out of reach");
            }
            _ => {}
        }
        let problem = self.problem();
        let mut response = problem.status.into_response();
        response.extensions_mut().insert(problem);
        response
    }
}

/// A store's failure, reaching a handler through `?`, is one we did not expect: a
/// condition a handler expects to fail (a concurrent decision, a taken login) is matched
/// before it gets here. A store out of reach is `503`. The store's sentence of what it
/// was doing goes to the log.
impl From<adapters::StoreError> for ApiError {
    fn from(err: adapters::StoreError) -> Self {
        if err.is_unavailable() {
            ApiError::Unavailable(anyhow::Error::new(err))
        } else {
            ApiError::Unexpected(anyhow::Error::new(err))
        }
    }
}

/// An outside service reached through a port (the notifications queue, the card
/// processor) failed: unexpected, with what the code was doing in the log.
impl From<domain::PortFailure> for ApiError {
    fn from(err: domain::PortFailure) -> Self {
        ApiError::Unexpected(anyhow::Error::new(err))
    }
}

/// A use case refused to move a registration or its payment: a registration that is not
/// there (or not the caller's) is 404, any other refusal a 409 with its code. A store,
/// processor or notification failure is unexpected.
impl From<use_cases::stays::MoveError> for ApiError {
    fn from(err: use_cases::stays::MoveError) -> Self {
        use use_cases::stays::MoveError;
        match err {
            MoveError::Refused(code @ (Code::RegistrationNotFound | Code::ApplicationNotFound)) => {
                DomainError::NotFound(code).into()
            }
            MoveError::Refused(code) => DomainError::Conflict(code).into(),
            MoveError::Store(err) => err.into(),
            other => ApiError::Unexpected(anyhow::Error::new(other)),
        }
    }
}

/// A use case refused to move an e-work application: one that is not there (or not
/// the caller's) is 404, documents that are not the caller's to attach and reasons the
/// lookups give are field errors, any other refusal a 409 with its code.
impl From<use_cases::ework::ApplicationError> for ApiError {
    fn from(err: use_cases::ework::ApplicationError) -> Self {
        use use_cases::ework::ApplicationError;
        match err {
            ApplicationError::Refused(code @ Code::ApplicationNotFound) => {
                DomainError::NotFound(code).into()
            }
            ApplicationError::Refused(code) => DomainError::Conflict(code).into(),
            ApplicationError::Documents(fields) | ApplicationError::Ineligible(fields) => {
                DomainError::Invalid(fields).into()
            }
            ApplicationError::Store(err) => err.into(),
            other => ApiError::Unexpected(anyhow::Error::new(other)),
        }
    }
}

/// For `map_err`: any failure we did not expect becomes a 500 `internal`.
pub fn unexpected(err: impl Into<anyhow::Error>) -> ApiError {
    ApiError::Unexpected(err.into())
}

/// Runs CPU-heavy work (Argon2id: tens of milliseconds) off the async workers.
pub async fn blocking<T, F>(work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work).await.map_err(unexpected)
}
