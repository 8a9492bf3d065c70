//! The public status check: anyone may ask whether a foreigner is registered, by the
//! passport number and either the registration number or the birth date. The answer is
//! the status, the period and the city, nothing more; each source may ask a few times
//! a minute.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use domain::account::values::{DocumentNumber, parse_date};
use domain::stay::StayStatus;
use domain::{Code, DomainError, FieldError};
use http_edge::{ApiError, JsonBody, SourceIp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::App;

/// Requests per source and window.
pub const STATUS_CHECKS_PER_MINUTE: u32 = 10;

/// Whom to look up.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusQuery {
    pub passport_number: Option<String>,
    /// The 14-digit registration number from the card; or give the birth date.
    pub registration_number: Option<String>,
    /// `YYYY-MM-DD`; or give the registration number.
    pub birth_date: Option<String>,
}

/// What anyone may know of a registration.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicStatus {
    /// `valid`, `expired`, `paid` (waiting for confirmation), `awaiting_payment`,
    /// `refused` or `cancelled`.
    pub status: StayStatus,
    pub valid_from: String,
    pub valid_to: String,
    pub city: String,
}

/// The status of a foreigner's latest matching registration.
#[utoipa::path(post, path = "/v1/public/registration-status", tag = "ereg", request_body = StatusQuery,
    responses(
        (status = 200, description = "The latest matching registration", body = PublicStatus),
        (status = 404, description = "`registration_not_found`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `passport_number` and one of `registration_number` or `birth_date` are required", body = http_edge::ProblemBody),
        (status = 429, description = "`rate_limited`: ten checks a minute per source; `Retry-After` says when", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn status(
    State(app): State<Arc<App>>,
    SourceIp(source): SourceIp,
    JsonBody(query): JsonBody<StatusQuery>,
) -> Result<Json<PublicStatus>, ApiError> {
    app.rate_limit
        .admit("registration-status", &source, STATUS_CHECKS_PER_MINUTE, 60)
        .await??;
    let present = |raw: &Option<String>| {
        raw.as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
    };
    let mut errors = Vec::new();
    let passport = match present(&query.passport_number) {
        None => {
            errors.push(FieldError::new("passport_number", Code::Required));
            None
        }
        Some(raw) => DocumentNumber::parse(&raw)
            .map_err(|code| errors.push(FieldError::new("passport_number", code)))
            .ok(),
    };
    let registration_number = present(&query.registration_number);
    let birth_date = present(&query.birth_date);
    let by_number = registration_number.as_deref().map(|raw| {
        domain::stay::parse_registration_number(raw).ok_or_else(|| {
            errors.push(FieldError::new(
                "registration_number",
                Code::InvalidRegistrationNumber,
            ))
        })
    });
    let by_birth = birth_date.as_deref().map(|raw| {
        parse_date(raw).map_err(|code| errors.push(FieldError::new("birth_date", code)))
    });
    if by_number.is_none() && by_birth.is_none() {
        errors.push(FieldError::new("registration_number", Code::Required));
    }
    DomainError::unless_valid(errors)?;
    let passport = passport.expect("checked");
    let by_number = by_number.and_then(Result::ok);
    let by_birth = by_birth.and_then(Result::ok);

    let mut matching: Vec<_> = app
        .stays
        .of_passport(passport.as_ref())
        .await?
        .into_iter()
        .filter(|r| {
            by_number
                .as_deref()
                .is_none_or(|n| r.registration_number.as_deref() == Some(n))
                && by_birth.is_none_or(|d| r.guest.birth_date == d)
        })
        .collect();
    matching.sort_by(|a, b| a.created_at.cmp(&b.created_at));
    let latest = matching
        .pop()
        .ok_or(DomainError::NotFound(Code::RegistrationNotFound))?;
    Ok(Json(PublicStatus {
        status: latest.status,
        valid_from: latest.stay_from.to_string(),
        valid_to: latest.stay_to.to_string(),
        city: latest.city,
    }))
}
