//! The department administrator's daily figure for "confirmed within one working day":
//! of the paid registrations due on a day, how many were decided in time.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use domain::stay::Timeliness;
use domain::{DomainError, FieldError};
use http_edge::{Admin, ApiError};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::App;

/// Which day.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    /// `YYYY-MM-DD` in Bishkek; today when left out.
    pub day: Option<String>,
}

/// The registrations due on a working day, and how many were decided in time, late, or
/// not yet; a day off has none due.
#[utoipa::path(get, path = "/v1/admin/registrations/timeliness", tag = "review", params(DayQuery), security(("session" = [])),
    responses(
        (status = 200, description = "The day's figure", body = Timeliness),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`admin_only`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `day`: `invalid_date`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn daily(
    State(app): State<Arc<App>>,
    _admin: Admin,
    Query(query): Query<DayQuery>,
) -> Result<Json<Timeliness>, ApiError> {
    let day = match query.day.as_deref() {
        None => domain::clock::today_in_bishkek(),
        Some(raw) => domain::account::values::parse_date(raw)
            .map_err(|code| DomainError::Invalid(vec![FieldError::new("day", code)]))?,
    };
    let paid = app
        .stays
        .paid_on(&app.calendar.paid_days_due_on(day))
        .await?;
    Ok(Json(domain::stay::timeliness(
        day,
        &paid,
        &app.calendar,
        time::OffsetDateTime::now_utc(),
    )))
}
