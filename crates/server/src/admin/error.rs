//! The admin API's error type. Operators' tools read it as they read the native API, so it has the native shape
//! (`{code, message}`) and statuses: 401 with 4501/4502 for a missing or bad admin token, 4503 for a failed sign-in
//! and 4506 for an ended session, 403 with 4504 for a change without the session's CSRF token and with 1001 for an
//! operator whose pools or read/write scope do not cover the request.

use axum::response::{IntoResponse, Response};
use denglu_service::{ErrorCode, ServiceError};

use crate::native::ApiError;

/// An error answered by an admin route.
#[derive(Debug)]
pub(crate) struct AdminError(ApiError);

impl AdminError {
    /// 1002 with `message` (safe to show).
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self(ApiError::with_message(ErrorCode::InvalidRequest, message))
    }

    /// An error with the code's default message.
    pub(crate) fn code(code: ErrorCode) -> Self {
        Self(ApiError::new(code))
    }
}

impl From<ServiceError> for AdminError {
    fn from(error: ServiceError) -> Self {
        Self(error.into())
    }
}

impl From<ApiError> for AdminError {
    fn from(error: ApiError) -> Self {
        Self(error)
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}
