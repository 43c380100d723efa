//! The native API's one error type: a documented code, a message, and the HTTP status that goes with the code.
//! Service errors show their specific text for a client's mistake and the code's English message otherwise.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use denglu_service::{ErrorCode, ServiceError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::{BodyFault, log_failure};

/// The JSON body of every native API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A documented numeric code (see docs/errors.md).
    #[schema(example = 2006)]
    pub code: u32,
    /// What went wrong, for people.
    #[schema(example = "wrong password")]
    pub message: String,
}

/// An error answered by a native route.
#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
    unavailable: bool,
}

impl ApiError {
    /// An error with the code's default message.
    pub fn new(code: ErrorCode) -> Self {
        Self {
            code,
            message: code.message().to_owned(),
            unavailable: false,
        }
    }

    /// An error with a specific message (safe to show).
    pub fn with_message(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            unavailable: false,
        }
    }

    /// The HTTP status that goes with `code` on the native API.
    pub fn status_of(code: ErrorCode) -> StatusCode {
        match code {
            ErrorCode::SystemBusy => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Forbidden
            | ErrorCode::UserBlocked
            | ErrorCode::SignUpClosed
            | ErrorCode::TicketVerifierMismatch
            | ErrorCode::CsrfTokenInvalid => StatusCode::FORBIDDEN,
            ErrorCode::InvalidRequest | ErrorCode::SetupLinkInvalid => StatusCode::BAD_REQUEST,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::NoSuchEndpoint | ErrorCode::UserNotFound | ErrorCode::PoolNotFound => {
                StatusCode::NOT_FOUND
            }
            ErrorCode::InvalidEmail => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::WrongPassword
            | ErrorCode::AdminTokenMissing
            | ErrorCode::AdminTokenInvalid
            | ErrorCode::OperatorSignInFailed
            | ErrorCode::OperatorSessionEnded
            | ErrorCode::NotLoggedIn
            | ErrorCode::TokenExpired
            | ErrorCode::TokenInvalid => StatusCode::UNAUTHORIZED,
            ErrorCode::UserExists | ErrorCode::QrNotPending | ErrorCode::WechatAppExists => {
                StatusCode::CONFLICT
            }
            ErrorCode::QrNotFound
            | ErrorCode::TicketNotFound
            | ErrorCode::WechatAppNotFound
            | ErrorCode::ClientNotFound => StatusCode::NOT_FOUND,
            ErrorCode::QrExpired
            | ErrorCode::QrCancelled
            | ErrorCode::QrUsed
            | ErrorCode::TicketExpired
            | ErrorCode::TicketUsed => StatusCode::GONE,
            ErrorCode::WechatCodeInvalid
            | ErrorCode::OpenDataInvalid
            | ErrorCode::WechatCredentialsRefused => StatusCode::BAD_REQUEST,
            ErrorCode::WechatRateLimited | ErrorCode::TooManyRequests => {
                StatusCode::TOO_MANY_REQUESTS
            }
            ErrorCode::WechatUnavailable | ErrorCode::WechatMisconfigured => {
                StatusCode::BAD_GATEWAY
            }
            ErrorCode::QrUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        log_failure(&error);
        Self {
            code: error.code(),
            message: error.public_message(),
            unavailable: matches!(error, ServiceError::Unavailable(_)),
        }
    }
}

impl From<BodyFault> for ApiError {
    fn from(fault: BodyFault) -> Self {
        match fault.message() {
            None => Self::new(ErrorCode::PayloadTooLarge),
            Some(message) => Self::with_message(ErrorCode::InvalidRequest, message),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = if self.unavailable {
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            Self::status_of(self.code)
        };
        let body = ErrorBody {
            code: self.code.number(),
            message: self.message,
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
