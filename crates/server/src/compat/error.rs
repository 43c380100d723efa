//! The compatible surface's one error type: Authing's `{code, message}` with HTTP 200, the shape the real SDKs
//! parse. Service errors show their specific text for a client's mistake and the code's Chinese message, as
//! Authing sent it, otherwise; server faults are logged, never described.

use axum::{
    Json,
    response::{IntoResponse, Response},
};
use denglu_service::{ErrorCode, ServiceError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::{BodyFault, log_failure};

/// A failed compatible call: `{code, message}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CompatError {
    /// A documented numeric code (docs/errors.md), never 200.
    #[schema(example = 2224)]
    code: u32,
    /// What went wrong, for people.
    #[schema(example = "用户池不存在")]
    message: String,
}

impl CompatError {
    /// An error with the code's compatible message.
    pub(crate) fn new(code: ErrorCode) -> Self {
        Self::with_message(code, code.compat_message())
    }

    /// An error with a specific message (safe to show).
    pub(crate) fn with_message(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code: code.number(),
            message: message.into(),
        }
    }

    /// The numeric code.
    pub(crate) fn code(&self) -> u32 {
        self.code
    }

    /// The message.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }
}

impl From<ServiceError> for CompatError {
    fn from(error: ServiceError) -> Self {
        Self::from(&error)
    }
}

impl From<&ServiceError> for CompatError {
    fn from(error: &ServiceError) -> Self {
        log_failure(error);
        let code = error.code();
        match error.detail() {
            Some(detail) => Self::with_message(code, detail),
            None => Self::new(code),
        }
    }
}

impl From<BodyFault> for CompatError {
    fn from(fault: BodyFault) -> Self {
        match fault.message() {
            None => Self::new(ErrorCode::PayloadTooLarge),
            Some(message) => Self::with_message(ErrorCode::InvalidRequest, message),
        }
    }
}

impl IntoResponse for CompatError {
    fn into_response(self) -> Response {
        Json(self).into_response()
    }
}

#[cfg(test)]
mod tests {
    use denglu_service::{ErrorCode, ServiceError};

    use super::CompatError;

    #[test]
    fn a_clients_mistake_shows_its_text_and_anything_else_the_compat_message() {
        let rejected = CompatError::from(ServiceError::Rejected("give `code`".to_owned()));
        assert_eq!((rejected.code(), rejected.message()), (1002, "give `code`"));
        let taken = CompatError::from(ServiceError::UserExists("phone"));
        assert_eq!(
            (taken.code(), taken.message()),
            (2026, "the phone is already taken")
        );
        let denied = CompatError::from(ServiceError::Denied("the pool secret is missing or wrong"));
        assert_eq!(denied.code(), 1001);
        assert_eq!(denied.message(), "the pool secret is missing or wrong");
        let unknown = CompatError::from(ServiceError::PoolNotFound);
        assert_eq!((unknown.code(), unknown.message()), (2224, "用户池不存在"));
    }

    #[test]
    fn server_faults_are_never_described() {
        let fault = CompatError::from(ServiceError::Internal("disk on fire at /var/db".to_owned()));
        assert_eq!(
            (fault.code(), fault.message()),
            (1000, ErrorCode::SystemBusy.compat_message())
        );
        let wechat = CompatError::from(ServiceError::Wechat(
            ErrorCode::WechatUnavailable,
            "errcode -1 from api.weixin.qq.com".to_owned(),
        ));
        assert_eq!(
            wechat.message(),
            ErrorCode::WechatUnavailable.compat_message()
        );
    }
}
