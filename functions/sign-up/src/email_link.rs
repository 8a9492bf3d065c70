//! The e-work email link: following it confirms the email, and the account waits for a
//! labour operator.

use std::sync::Arc;

use adapters::StoreError;
use axum::Json;
use axum::extract::{Query, State};
use domain::account::{AccountId, AccountStatus};
use domain::clock::now_secs;
use domain::{Code, DomainError};
use http_edge::ApiError;
use serde::Deserialize;

use crate::App;
use crate::confirmation::{AccountState, PURPOSE_LINK};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConfirmQuery {
    /// The token from the emailed link.
    pub token: String,
}

/// Confirms an e-work account's email from the emailed link. Following it again answers the same.
#[utoipa::path(get, path = "/v1/accounts/confirm-email", tag = "accounts", params(ConfirmQuery),
    responses(
        (status = 200, description = "Confirmed; the account now waits for a labour operator", body = AccountState),
        (status = 422, description = "`invalid_link`: wrong, expired or superseded", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn confirm_email(
    State(app): State<Arc<App>>,
    Query(query): Query<ConfirmQuery>,
) -> Result<Json<AccountState>, ApiError> {
    let invalid = || ApiError::from(DomainError::Refused(Code::InvalidLink));
    let (id, token) = query.token.split_once('.').ok_or_else(invalid)?;
    let id = AccountId::parse(id).ok_or_else(invalid)?;
    let account = app.accounts.get(&id).await?.ok_or_else(invalid)?;
    let link = account.email_link.as_ref().ok_or_else(invalid)?;
    if !app.key.matches(PURPOSE_LINK, token, &link.digest) {
        return Err(invalid());
    }
    if link.used_at.is_some() {
        // The same link again: answer as the first time.
        return Ok(Json(AccountState {
            status: account.status.as_str().into(),
        }));
    }
    if link.expires_at <= now_secs() || account.status != AccountStatus::PendingConfirmation {
        return Err(invalid());
    }
    match app.accounts.confirm_email_link(&id, &link.digest).await {
        Ok(()) => Ok(Json(AccountState {
            status: AccountStatus::AwaitingActivation.as_str().into(),
        })),
        Err(StoreError::Conflict) => {
            // A concurrent click won; it set the same state.
            let account = app.accounts.get(&id).await?.ok_or_else(invalid)?;
            Ok(Json(AccountState {
                status: account.status.as_str().into(),
            }))
        }
        Err(other) => Err(other.into()),
    }
}
