//! Anti-bot challenges: a picture of characters to type into a form.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use domain::challenge::{self, CHALLENGE_TTL_SECS, ChallengeId};
use domain::clock::now_secs;
use http_edge::{ApiError, SourceIp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::App;

/// A fresh anti-bot challenge.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChallengeIssued {
    pub challenge_id: String,
    /// `data:image/png;base64,…`: the characters to type.
    pub image: String,
    pub expires_in_secs: u64,
}

/// Challenges one source may ask for in a minute: each one is a write.
pub const CHALLENGES_PER_MINUTE: u32 = 30;

/// Issues an anti-bot challenge: a picture of characters to type into the form.
#[utoipa::path(post, path = "/v1/challenges", tag = "accounts",
    responses(
        (status = 201, description = "A new challenge", body = ChallengeIssued),
        (status = 429, description = "`rate_limited`: thirty a minute per source; `Retry-After` says when", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn create_challenge(
    State(app): State<Arc<App>>,
    SourceIp(source): SourceIp,
) -> Result<(StatusCode, Json<ChallengeIssued>), ApiError> {
    app.rate_limit
        .admit("challenge", &source, CHALLENGES_PER_MINUTE, 60)
        .await??;
    let id = ChallengeId::new();
    let (answer, png) = challenge::image(&app.key, &id);
    app.challenges
        .put(
            id.as_ref(),
            &challenge::answer_digest(&app.key, &answer),
            now_secs() + CHALLENGE_TTL_SECS,
        )
        .await?;
    let image = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    );
    Ok((
        StatusCode::CREATED,
        Json(ChallengeIssued {
            challenge_id: id.as_ref().to_owned(),
            image,
            expires_in_secs: CHALLENGE_TTL_SECS,
        }),
    ))
}
