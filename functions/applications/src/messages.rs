//! The applicant's messages from the ministry: newest first, each about one
//! application, read or unread; standard texts in the reader's language.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use domain::{Code, DomainError, FieldError, Lang, StoreError};
use http_edge::{ApiError, EworkApplicant};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::App;

/// Paging of the messages.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessagesQuery {
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

/// A message as the applicant reads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub id: String,
    /// RFC 3339, UTC.
    pub at: String,
    /// The application it is about.
    pub application: String,
    /// In the reader's language (an operator's own words as written).
    pub text: String,
    pub read: bool,
}

/// One page of messages.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessagesPage {
    pub items: Vec<MessageView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// The applicant's messages, newest first, fifty at a time.
#[utoipa::path(get, path = "/v1/messages", tag = "ework", params(MessagesQuery), security(("session" = [])),
    responses(
        (status = 200, description = "One page", body = MessagesPage),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: e-work applicants only", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `cursor`: `invalid_cursor`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn list_messages(
    State(app): State<Arc<App>>,
    applicant: EworkApplicant,
    Extension(lang): Extension<Lang>,
    Query(query): Query<MessagesQuery>,
) -> Result<Json<MessagesPage>, ApiError> {
    if let Some(cursor) = query.cursor.as_deref()
        && !adapters::ework::cursor_is_for(cursor, &applicant.0.account_id, true)
    {
        return Err(
            DomainError::Invalid(vec![FieldError::new("cursor", Code::InvalidCursor)]).into(),
        );
    }
    let page = app
        .applications
        .messages_of(&applicant.0.account_id, query.cursor.as_deref(), 50)
        .await?;
    Ok(Json(MessagesPage {
        items: page
            .items
            .into_iter()
            .map(|m| MessageView {
                text: m.body.render(lang),
                id: m.id,
                at: m.at,
                application: m.application,
                read: m.read,
            })
            .collect(),
        next: page.next,
    }))
}

/// Marks one of the applicant's messages read.
#[utoipa::path(post, path = "/v1/messages/{id}/read", tag = "ework", security(("session" = [])),
    params(("id" = String, Path, description = "The message's id")),
    responses(
        (status = 204, description = "Read"),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`message_not_found`: none, or another account's", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn mark_message_read(
    State(app): State<Arc<App>>,
    applicant: EworkApplicant,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    match app
        .applications
        .mark_read(&applicant.0.account_id, &id)
        .await
    {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(StoreError::Conflict) => Err(DomainError::NotFound(Code::MessageNotFound).into()),
        Err(other) => Err(other.into()),
    }
}
