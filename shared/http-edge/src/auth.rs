//! Who a request acts for. The authorizer resolves the session; on AWS it is API
//! Gateway's Lambda authorizer, whose context [`from_lambda_authorizer`] turns into a
//! [`Principal`]; the dev host runs the same authorizer and inserts the principal itself.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use domain::Code;
use domain::session::Principal;
use http::StatusCode;

use crate::ApiError;

/// The signed-in account of a protected route. Without one: 401 `unauthenticated`;
/// when the session could not be checked at all, 503 `unavailable`.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Principal);

/// The mark the authorizer leaves when it could not check a request's session (the
/// store was out of reach): "could not check" is never "not signed in".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionUnchecked;

/// The authorizer context field, and its value, that carry [`SessionUnchecked`].
pub const UNCHECKED_FIELD: (&str, &str) = ("session", "unchecked");

impl<S: Send + Sync> FromRequestParts<S> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        if let Some(principal) = parts.extensions.get::<Principal>() {
            return Ok(Authenticated(principal.clone()));
        }
        if parts.extensions.get::<SessionUnchecked>().is_some() {
            return Err(ApiError::Unavailable(anyhow::anyhow!(
                "the session could not be checked"
            )));
        }
        Err(ApiError::edge(
            StatusCode::UNAUTHORIZED,
            Code::Unauthenticated,
        ))
    }
}

/// A signed-in ereg host (citizen, foreign owner or legal entity); anyone else: 403
/// `not_for_account_type`.
#[derive(Debug, Clone)]
pub struct EregHost(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for EregHost {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Authenticated(principal) = Authenticated::from_request_parts(parts, state).await?;
        if principal.kind.is_ereg_host() {
            Ok(EregHost(principal))
        } else {
            Err(domain::DomainError::Forbidden(Code::NotForAccountType).into())
        }
    }
}

/// A signed-in employer (the only applicant for quotas). Anyone else: 403
/// `not_for_account_type`.
#[derive(Debug, Clone)]
pub struct Employer(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Employer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Authenticated(principal) = Authenticated::from_request_parts(parts, state).await?;
        if principal.kind == domain::account::AccountType::Employer {
            Ok(Employer(principal))
        } else {
            Err(domain::DomainError::Forbidden(Code::NotForAccountType).into())
        }
    }
}

/// A signed-in foreign individual entrepreneur (the only applicant for their own
/// permit). Anyone else: 403 `not_for_account_type`.
#[derive(Debug, Clone)]
pub struct ForeignEntrepreneur(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for ForeignEntrepreneur {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Authenticated(principal) = Authenticated::from_request_parts(parts, state).await?;
        if principal.kind == domain::account::AccountType::ForeignEntrepreneur {
            Ok(ForeignEntrepreneur(principal))
        } else {
            Err(domain::DomainError::Forbidden(Code::NotForAccountType).into())
        }
    }
}

/// A signed-in Digital Nomad (the only applicant for that status). Anyone else: 403
/// `not_for_account_type`.
#[derive(Debug, Clone)]
pub struct DigitalNomad(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for DigitalNomad {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Authenticated(principal) = Authenticated::from_request_parts(parts, state).await?;
        if principal.kind == domain::account::AccountType::DigitalNomad {
            Ok(DigitalNomad(principal))
        } else {
            Err(domain::DomainError::Forbidden(Code::NotForAccountType).into())
        }
    }
}

/// A signed-in e-work applicant (employer, foreign entrepreneur, Digital Nomad): their
/// applications and messages. Anyone else: 403 `not_for_account_type`.
#[derive(Debug, Clone)]
pub struct EworkApplicant(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for EworkApplicant {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        use domain::account::{AccountType, Portal};
        let Authenticated(principal) = Authenticated::from_request_parts(parts, state).await?;
        let applicant = principal.role == domain::session::Role::Applicant
            && principal.kind.portal() == Some(Portal::Ework)
            && principal.kind != AccountType::LabourOperator;
        if applicant {
            Ok(EworkApplicant(principal))
        } else {
            Err(domain::DomainError::Forbidden(Code::NotForAccountType).into())
        }
    }
}

/// A signed-in labour operator. Applicants: 403 `operator_only`; registration
/// operators and admins: 403 `not_for_account_type`.
#[derive(Debug, Clone)]
pub struct LabourOperator(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for LabourOperator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        use domain::session::Role;
        let Authenticated(principal) = Authenticated::from_request_parts(parts, state).await?;
        match principal.role {
            Role::LabourOperator => Ok(LabourOperator(principal)),
            Role::Applicant => Err(domain::DomainError::Forbidden(Code::OperatorOnly).into()),
            Role::RegistrationOperator | Role::Admin => {
                Err(domain::DomainError::Forbidden(Code::NotForAccountType).into())
            }
        }
    }
}

/// A signed-in admin; anyone else: 403 `admin_only`.
#[derive(Debug, Clone)]
pub struct Admin(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Authenticated(principal) = Authenticated::from_request_parts(parts, state).await?;
        if principal.role == domain::session::Role::Admin {
            Ok(Admin(principal))
        } else {
            Err(domain::DomainError::Forbidden(Code::AdminOnly).into())
        }
    }
}

/// The bearer token of a request, if it carries one.
pub fn bearer_token(headers: &http::HeaderMap) -> Option<&str> {
    headers
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// Middleware for functions on Lambda: the principal from API Gateway's authorizer
/// context (`requestContext.authorizer.lambda.principal`).
pub async fn from_lambda_authorizer(mut request: Request, next: Next) -> Response {
    let fields = request
        .extensions()
        .get::<lambda_http::request::RequestContext>()
        .and_then(|context| match context {
            lambda_http::request::RequestContext::ApiGatewayV2(context) => {
                context.authorizer.as_ref()
            }
            _ => None,
        })
        .map(|authorizer| authorizer.fields.clone())
        .unwrap_or_default();
    let (field, value) = UNCHECKED_FIELD;
    if fields.get(field).and_then(|v| v.as_str()) == Some(value) {
        request.extensions_mut().insert(SessionUnchecked);
    }
    let principal = fields.get("principal").and_then(|value| match value {
        // The authorizer sends it as a JSON string; accept an object too.
        serde_json::Value::String(json) => serde_json::from_str::<Principal>(json).ok(),
        other => serde_json::from_value::<Principal>(other.clone()).ok(),
    });
    if let Some(principal) = principal {
        request.extensions_mut().insert(principal);
    }
    next.run(request).await
}

/// The address a request came from, for per-source limits: API Gateway's `sourceIp` on
/// Lambda; otherwise the last `X-Forwarded-For` entry (the address the gateway or proxy
/// in front saw, which a client cannot forge); otherwise the peer address on the dev
/// host; `unknown` when there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceIp(pub String);

impl SourceIp {
    fn of(parts: &Parts) -> Self {
        let from_gateway = parts
            .extensions
            .get::<lambda_http::request::RequestContext>()
            .and_then(|context| match context {
                lambda_http::request::RequestContext::ApiGatewayV2(context) => {
                    context.http.source_ip.clone()
                }
                _ => None,
            });
        let forwarded = || {
            parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .map(|v| v.trim().to_owned())
        };
        let peer = || {
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip().to_string())
        };
        SourceIp(
            from_gateway
                .or_else(forwarded)
                .or_else(peer)
                .filter(|v| !v.is_empty() && v.len() <= 64)
                .unwrap_or_else(|| "unknown".to_owned()),
        )
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SourceIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(SourceIp::of(parts))
    }
}
