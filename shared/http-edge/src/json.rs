//! A JSON body extractor whose rejections are problems like any other error.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use domain::Code;
use http::StatusCode;
use serde::de::DeserializeOwned;

use crate::ApiError;

/// `axum::Json`, but a body that is not JSON of the right shape answers
/// `invalid_body`, a wrong content type `unsupported_media_type`, and a body over the
/// route's limit `payload_too_large`, each as problem+json in the caller's language.
#[derive(Debug, Clone)]
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => ApiError::edge(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    Code::UnsupportedMediaType,
                ),
                JsonRejection::BytesRejection(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    ApiError::edge(StatusCode::PAYLOAD_TOO_LARGE, Code::PayloadTooLarge)
                }
                _ => ApiError::edge(StatusCode::BAD_REQUEST, Code::InvalidBody),
            }),
        }
    }
}
