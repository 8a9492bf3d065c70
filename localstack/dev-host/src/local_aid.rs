//! What only the dev host serves, for a person trying the API by hand: the answer to an
//! anti-bot challenge, which the picture alone would give. It is not part of the API
//! (no OpenAPI entry, no route in the deployment template) and cannot be on AWS.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use domain::challenge::ChallengeId;
use domain::secrets::SecretKey;
use http_edge::ApiError;
use serde_json::{Value, json};

pub(crate) fn routes(key: SecretKey) -> Router {
    Router::new()
        .route("/local/challenges/{challenge_id}/answer", get(answer))
        .with_state(key)
}

/// `{challenge_id, answer}`; 404 `route_not_found` for what is not a challenge id.
async fn answer(
    State(key): State<SecretKey>,
    Path(challenge_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = ChallengeId::parse(&challenge_id).ok_or_else(|| {
        ApiError::edge(
            axum::http::StatusCode::NOT_FOUND,
            domain::Code::RouteNotFound,
        )
    })?;
    Ok(Json(json!({
        "challenge_id": challenge_id,
        "answer": domain::challenge::answer(&key, &id),
    })))
}
