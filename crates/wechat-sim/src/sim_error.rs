//! Errors of the control surface (the Rust methods and the `/__sim` HTTP API).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Why a control request failed. WeChat API errors are never reported this way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    /// The request or configuration is malformed.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// No app with this appid (or original id) is registered.
    #[error("unknown app: {0}")]
    UnknownApp(String),
    /// No user with this id exists.
    #[error("unknown user: {0}")]
    UnknownUser(u64),
    /// The user has no session with the app: call `login` first.
    #[error("user {user} never logged in to {appid}: call login first")]
    NotLoggedIn {
        /// The app.
        appid: String,
        /// The user.
        user: u64,
    },
    /// The user has no phone number to share.
    #[error("user {0} has no phone number")]
    NoPhone(u64),
    /// The image holds no mini program code issued by this simulator.
    #[error("cannot scan image: {0}")]
    Scan(String),
    /// A bug in the simulator (e.g. serialization failed).
    #[error("internal error: {0}")]
    Internal(String),
}

impl SimError {
    /// The HTTP status the control API answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::InvalidInput(_) | Self::Scan(_) => StatusCode::BAD_REQUEST,
            Self::UnknownApp(_) | Self::UnknownUser(_) => StatusCode::NOT_FOUND,
            Self::NotLoggedIn { .. } | Self::NoPhone(_) => StatusCode::CONFLICT,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for SimError {
    fn into_response(self) -> Response {
        (self.status(), Json(json!({ "error": self.to_string() }))).into_response()
    }
}
