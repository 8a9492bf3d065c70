//! Registration drafts: a token to upload the passport and photo with before the
//! account exists.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::clock::now_secs;
use domain::document::draft;
use http_edge::{ApiError, SourceIp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::App;

/// Drafts a source may start in an hour.
pub const DRAFTS_PER_HOUR: u32 = 30;

/// A registration draft: the token to upload documents with before the account exists.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DraftIssued {
    /// Send as the `X-Draft-Token` header to `/v1/registration-drafts/uploads…`, and as
    /// `draft_token` in the registration form. Shown once; only its digest is kept.
    pub draft_token: String,
    pub expires_in_secs: u64,
    pub max_uploads: u32,
}

/// Starts a registration draft, so that the passport scan and photo can be uploaded
/// (and the form filled from the passport's zone) before the account exists. What an
/// unclaimed draft uploaded is deleted an hour later.
#[utoipa::path(post, path = "/v1/registration-drafts", tag = "accounts",
    responses(
        (status = 201, description = "A new draft", body = DraftIssued),
        (status = 429, description = "`rate_limited`: thirty drafts an hour per source; `Retry-After` says when", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn create_draft(
    State(app): State<Arc<App>>,
    SourceIp(source): SourceIp,
) -> Result<(StatusCode, Json<DraftIssued>), ApiError> {
    app.rate_limit
        .admit("registration-draft", &source, DRAFTS_PER_HOUR, 3600)
        .await??;
    let (token, _) = app.drafts.create(now_secs()).await?;
    Ok((
        StatusCode::CREATED,
        Json(DraftIssued {
            draft_token: token,
            expires_in_secs: draft::TTL_SECS,
            max_uploads: draft::MAX_UPLOADS,
        }),
    ))
}
