//! The host's archive of registrations: newest first, filtered by any column, a page at
//! a time.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use domain::account::values::{CountryCode, DocumentNumber, PropertyCode, parse_date};
use domain::stay::{ArchiveFilter, PaymentStatus, RegistrationView, StayStatus};
use domain::{Code, DomainError, FieldError};
use http_edge::ApiError;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use http_edge::EregHost as Host;

use crate::App;

/// Filters of the archive; every one optional.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArchiveQuery {
    /// The 10-digit application number.
    pub number: Option<String>,
    /// Submitted on or after this day (`YYYY-MM-DD`).
    pub submitted_from: Option<String>,
    /// Submitted on or before this day.
    pub submitted_to: Option<String>,
    /// The 14-digit registration number.
    pub registration_number: Option<String>,
    /// Any part of the full name.
    pub name: Option<String>,
    pub birth_date: Option<String>,
    pub passport_country: Option<String>,
    pub passport_number: Option<String>,
    pub housing_code: Option<String>,
    /// Registrations whose period includes this day.
    pub on_date: Option<String>,
    /// `unpaid`, `paid` or `refund_due`.
    pub payment: Option<String>,
    /// `awaiting_payment`, `paid`, `valid`, `refused`, `cancelled` or `expired`.
    pub status: Option<String>,
    /// 1 to 100; 20 when absent.
    pub limit: Option<String>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

impl ArchiveQuery {
    fn parse(&self) -> Result<(ArchiveFilter, usize), DomainError> {
        let mut errors = Vec::new();
        let mut field =
            |name: &str, raw: &Option<String>, parse: &dyn Fn(&str) -> Result<String, Code>| {
                raw.as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .and_then(|r| {
                        parse(r)
                            .map_err(|code| errors.push(FieldError::new(name, code)))
                            .ok()
                    })
            };
        let date = |raw: &str| parse_date(raw).map(|d| d.to_string());
        let text = |raw: &str| Ok(raw.to_owned());
        let digits = |n: usize| {
            move |raw: &str| {
                (raw.len() == n && raw.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| raw.to_owned())
                    .ok_or(Code::InvalidValue)
            }
        };
        let number = field("number", &self.number, &digits(10));
        let submitted_from = field("submitted_from", &self.submitted_from, &date);
        let submitted_to = field("submitted_to", &self.submitted_to, &date);
        let registration_number = field(
            "registration_number",
            &self.registration_number,
            &digits(14),
        );
        let name = field("name", &self.name, &text);
        let birth_date = field("birth_date", &self.birth_date, &date);
        let passport_country = field("passport_country", &self.passport_country, &|raw| {
            CountryCode::parse(raw).map(|c| c.to_string())
        });
        let passport_number = field("passport_number", &self.passport_number, &|raw| {
            DocumentNumber::parse(raw).map(|n| n.to_string())
        });
        let housing_code = field("housing_code", &self.housing_code, &|raw| {
            PropertyCode::parse(raw).map(|c| c.to_string())
        });
        let on_date = field("on_date", &self.on_date, &date);
        let payment = field("payment", &self.payment, &|raw| {
            PaymentStatus::parse(raw)
                .map(|p| p.as_str().to_owned())
                .ok_or(Code::InvalidValue)
        });
        let status = field("status", &self.status, &|raw| {
            StayStatus::parse(raw)
                .map(|s| s.as_str().to_owned())
                .ok_or(Code::InvalidValue)
        });
        let limit = field("limit", &self.limit, &|raw| {
            raw.parse::<usize>()
                .ok()
                .filter(|l| (1..=100).contains(l))
                .map(|l| l.to_string())
                .ok_or(Code::InvalidValue)
        });
        DomainError::unless_valid(errors)?;
        let day = |d: Option<String>| d.and_then(|d| parse_date(&d).ok());
        Ok((
            ArchiveFilter {
                number,
                submitted_from,
                submitted_to,
                registration_number,
                name,
                birth_date: day(birth_date),
                passport_country,
                passport_number,
                housing_code,
                on_date: day(on_date),
                payment: payment.and_then(|p| PaymentStatus::parse(&p)),
                status: status.and_then(|s| StayStatus::parse(&s)),
            },
            limit.and_then(|l| l.parse().ok()).unwrap_or(20),
        ))
    }
}

/// One page of the archive.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Archive {
    pub registrations: Vec<RegistrationView>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// The host's registrations, newest first, filtered by any column, a page at a time.
#[utoipa::path(get, path = "/v1/registrations", tag = "ereg", params(ArchiveQuery), security(("session" = [])),
    responses(
        (status = 200, description = "One page", body = Archive),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: a filter that does not parse, or `cursor`: `invalid_cursor`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn archive(
    State(app): State<Arc<App>>,
    host: Host,
    Query(query): Query<ArchiveQuery>,
) -> Result<Json<Archive>, ApiError> {
    let (filter, limit) = query.parse()?;
    if let Some(cursor) = query.cursor.as_deref()
        && !adapters::stays::cursor_is_for(cursor, &host.0.account_id)
    {
        return Err(
            DomainError::Invalid(vec![FieldError::new("cursor", Code::InvalidCursor)]).into(),
        );
    }
    let page = app
        .stays
        .archive(&host.0.account_id, &filter, query.cursor.as_deref(), limit)
        .await?;
    Ok(Json(Archive {
        registrations: page
            .items
            .iter()
            .map(|r| RegistrationView::of(r, &app.policy.calendar))
            .collect(),
        next: page.next,
    }))
}
