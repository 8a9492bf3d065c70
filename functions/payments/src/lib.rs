//! The `payments` function: a payment order for an application the caller owns (an
//! ereg registration's fee, or the state fee of a confirmed e-work application), with the
//! processor's checkout URL. One open order per application: asking again gives the same
//! order until its session ends (20 minutes for an ereg fee), then a new one.

use std::sync::Arc;

use adapters::Deps;
use adapters::payments::{DynamoPayments, Payments};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Json, Router};
use domain::payment::OrderStatus;
use domain::{Code, DomainError, FieldError};
use http_edge::{ApiError, Authenticated, JsonBody};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[];

pub struct App {
    payments: Payments,
    orders: DynamoPayments,
}

/// The routes, with their OpenAPI description.
pub fn router(deps: &Deps) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(order))
        .routes(routes!(read))
        .with_state(Arc::new(App {
            payments: deps.payments(),
            orders: deps.orders(),
        }))
}

/// The whole function as Lambda runs it.
pub fn app(deps: &Deps) -> Router {
    let (router, _) = router(deps).split_for_parts();
    http_edge::lambda_app(router)
}

/// What to pay for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderRequest {
    /// The application number: a 10-digit ereg registration, or a confirmed e-work
    /// application (`Q-` and 8 digits) whose state fee is due.
    pub application: Option<String>,
}

/// A payment order as its payer sees it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Order {
    /// `<application>_<unix time>`, e.g. `9754336625_1682365175`.
    pub order_number: String,
    pub application: String,
    /// Integer minor units (tyiyn).
    pub amount_minor: u64,
    pub currency: String,
    /// `103.00`.
    pub amount: String,
    pub status: OrderStatus,
    /// Seconds since the epoch; the processor's session ends then.
    pub expires_at: u64,
    /// Send the payer here.
    pub checkout_url: String,
}

impl From<&domain::payment::Order> for Order {
    fn from(o: &domain::payment::Order) -> Self {
        Order {
            order_number: o.order_number.clone(),
            application: o.application.clone(),
            amount_minor: o.amount.amount_minor,
            currency: o.amount.currency.clone(),
            amount: o.amount.text(),
            status: o.status,
            expires_at: o.expires_at,
            checkout_url: o.checkout_url.clone(),
        }
    }
}

/// The open order of one of the caller's applications, or a new one.
#[utoipa::path(post, path = "/v1/payments/orders", tag = "payments", request_body = OrderRequest, security(("session" = [])),
    responses(
        (status = 200, description = "The order (the open one when there is one)", body = Order),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 404, description = "`registration_not_found` or `application_not_found`, also for another account's", body = http_edge::ProblemBody),
        (status = 409, description = "`not_payable`: paid, cancelled or decided; for an e-work application, not confirmed, its fee paid or lapsed", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `application` is `required`", body = http_edge::ProblemBody),
    ))]
async fn order(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    JsonBody(request): JsonBody<OrderRequest>,
) -> Result<Json<Order>, ApiError> {
    let Some(raw) = request
        .application
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    else {
        return Err(
            DomainError::Invalid(vec![FieldError::new("application", Code::Required)]).into(),
        );
    };
    // An e-work application's state fee (`Q-` and 8 digits) or an ereg registration's.
    let application = match domain::ework::number_kind(raw) {
        Some(_) => raw.to_owned(),
        None => domain::stay::parse_application_number(raw)
            .ok_or(DomainError::NotFound(Code::RegistrationNotFound))?,
    };
    let order = app
        .payments
        .order_for_registration(&principal.account_id, &application)
        .await?;
    Ok(Json(Order::from(&order)))
}

/// One of the caller's orders.
#[utoipa::path(get, path = "/v1/payments/orders/{order_number}", operation_id = "read_order", tag = "payments", security(("session" = [])),
    params(("order_number" = String, Path, description = "`<application>_<unix time>`")),
    responses(
        (status = 200, description = "The order", body = Order),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 404, description = "`order_not_found`, also for another account's", body = http_edge::ProblemBody),
    ))]
async fn read(
    State(app): State<Arc<App>>,
    Authenticated(principal): Authenticated,
    Path(order_number): Path<String>,
) -> Result<(StatusCode, Json<Order>), ApiError> {
    let not_found = || ApiError::from(DomainError::NotFound(Code::OrderNotFound));
    let number = domain::payment::parse_order_number(&order_number).ok_or_else(not_found)?;
    let order = app
        .orders
        .order(&number)
        .await?
        .filter(|o| o.owner == principal.account_id)
        .ok_or_else(not_found)?;
    Ok((StatusCode::OK, Json(Order::from(&order))))
}
