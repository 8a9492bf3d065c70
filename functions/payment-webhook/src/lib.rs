//! The `payment-webhook` function: the card processor calls it for every payment event.
//! It refuses bodies over a few kilobytes, checks the HMAC-SHA256 signature over the raw
//! bytes and the timestamp (older than five minutes is a replay), and puts the event on
//! the payments queue, answering at once; settlement happens behind the queue. A bad
//! signature answers 401 and queues nothing.

use std::sync::Arc;

use adapters::Deps;
use adapters::payments::SqsPaymentEvents;
use anyhow::Context;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::{Json, Router};
use domain::payment::{
    ProcessorEvent, SIGNATURE_HEADER, TIMESTAMP_HEADER, WEBHOOK_MAX_BYTES, verify,
};
use domain::{Code, DomainError};
use http_edge::ApiError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[adapters::secrets::Secret::PaymentWebhook];

pub struct App {
    events: SqsPaymentEvents,
    secret: Vec<u8>,
}

/// The routes, with their OpenAPI description.
pub fn router(deps: &Deps) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(webhook))
        .with_state(Arc::new(App {
            events: deps.payment_events(),
            secret: deps.settings.secrets.payment_webhook().to_vec(),
        }))
}

/// The whole function as Lambda runs it.
pub fn app(deps: &Deps) -> Router {
    let (router, _) = router(deps).split_for_parts();
    http_edge::lambda_app(router)
}

/// The event was taken; it is settled shortly.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Received {
    pub received: bool,
}

/// The processor's webhook. Headers `x-processor-timestamp` (seconds since the epoch)
/// and `x-processor-signature` (hex HMAC-SHA256 of `<timestamp>.<raw body>`).
#[utoipa::path(post, path = "/v1/payments/webhook", tag = "payments", request_body = ProcessorEvent,
    responses(
        (status = 200, description = "Queued for settlement", body = Received),
        (status = 401, description = "`invalid_signature`: missing, wrong, or older than five minutes; nothing is queued", body = http_edge::ProblemBody),
        (status = 413, description = "`payload_too_large`: over 4 KB", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_body`: signed, but not an event", body = http_edge::ProblemBody),
    ))]
async fn webhook(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Received>, ApiError> {
    if body.len() > WEBHOOK_MAX_BYTES {
        return Err(ApiError::edge(
            StatusCode::PAYLOAD_TOO_LARGE,
            Code::PayloadTooLarge,
        ));
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Err(err) = verify(
        &app.secret,
        header(TIMESTAMP_HEADER),
        header(SIGNATURE_HEADER),
        &body,
        domain::clock::now_secs(),
    ) {
        tracing::warn!(reason = %err, "webhook refused");
        return Err(DomainError::Unauthenticated(Code::InvalidSignature).into());
    }
    if ProcessorEvent::parse(&body).is_none() {
        return Err(ApiError::edge(
            StatusCode::UNPROCESSABLE_ENTITY,
            Code::InvalidBody,
        ));
    }
    let text = String::from_utf8(body.to_vec()).context("reading an event as text")?;
    app.events.enqueue(text).await?;
    Ok(Json(Received { received: true }))
}
