//! The `authorizer` function: resolves the bearer token of a request to the account it
//! acts for. It never refuses a request itself: routes that need a principal refuse
//! with a `401 unauthenticated` problem in the caller's language, which API Gateway's
//! own refusals could not give.

use std::sync::Arc;

use adapters::Deps;
use adapters::StoreError;
use adapters::accounts::DynamoAccounts;
use adapters::sessions::DynamoSessions;
use aws_lambda_events::apigw::{
    ApiGatewayV2CustomAuthorizerSimpleResponse, ApiGatewayV2CustomAuthorizerV2Request,
};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use domain::account::AccountStatus;
use domain::clock::now_secs;
use domain::secrets::SecretKey;

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[adapters::secrets::Secret::Key];

/// The purpose under which session tokens are digested (it lives in the domain).
pub use domain::session::PURPOSE_SESSION;
use domain::session::{IDLE_SECS, Principal};

pub struct Authorizer {
    accounts: DynamoAccounts,
    sessions: DynamoSessions,
    key: SecretKey,
}

impl Authorizer {
    pub fn from_deps(deps: &Deps) -> Arc<Self> {
        Arc::new(Authorizer {
            accounts: deps.accounts(),
            sessions: deps.sessions(),
            key: deps.settings.secrets.key().clone(),
        })
    }

    /// The principal of a live session, moving its idle end on; `None` for a token that
    /// is unknown, expired, ended by "sign out everywhere", or of an account no longer active.
    pub async fn resolve(&self, token: &str) -> Result<Option<Principal>, StoreError> {
        let digest = self.key.digest(PURPOSE_SESSION, token);
        let Some(session) = self.sessions.get(&digest).await? else {
            return Ok(None);
        };
        let now = now_secs();
        if session.idle_until <= now || session.absolute_until <= now {
            self.sessions.delete(&digest).await?;
            return Ok(None);
        }
        let Some(account) = self.accounts.get(&session.account_id).await? else {
            return Ok(None);
        };
        if account.session_epoch != session.epoch || account.status != AccountStatus::Active {
            return Ok(None);
        }
        // Write the new idle end only when half of the idle time is used up.
        if session.idle_until < now + IDLE_SECS / 2 {
            self.sessions
                .touch(&digest, (now + IDLE_SECS).min(session.absolute_until))
                .await?;
        }
        Ok(Some(Principal {
            account_id: account.account_id,
            kind: account.kind,
            role: account.kind.role(),
        }))
    }

    /// API Gateway's request: always authorized, with the principal in the context when
    /// the token resolves to one.
    pub async fn handle(
        &self,
        request: ApiGatewayV2CustomAuthorizerV2Request,
    ) -> ApiGatewayV2CustomAuthorizerSimpleResponse {
        let resolved = match http_edge::bearer_token(&request.headers) {
            Some(token) => self.resolve(token).await,
            None => Ok(None),
        };
        let mut response = ApiGatewayV2CustomAuthorizerSimpleResponse::default();
        response.is_authorized = true;
        response.context = match resolved {
            Ok(Some(p)) => {
                serde_json::json!({ "principal": serde_json::to_string(&p).unwrap_or_default() })
            }
            Ok(None) => serde_json::json!({}),
            Err(err) => {
                // Routes that need a principal answer 503, not 401.
                tracing::error!(error = %err, "resolving a session failed");
                let (field, value) = http_edge::UNCHECKED_FIELD;
                serde_json::json!({ field: value })
            }
        };
        response
    }
}

/// The same resolution in the dev host, as middleware in front of every HTTP function.
pub async fn middleware(
    State(authorizer): State<Arc<Authorizer>>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(token) = http_edge::bearer_token(request.headers()).map(str::to_owned) {
        match authorizer.resolve(&token).await {
            Ok(Some(principal)) => {
                request.extensions_mut().insert(principal);
            }
            Ok(None) => {}
            Err(err) => {
                tracing::error!(error = %err, "resolving a session failed");
                request.extensions_mut().insert(http_edge::SessionUnchecked);
            }
        }
    }
    next.run(request).await
}
