//! HTTP plumbing that every surface shares: the middleware stack, rate limits, who sends a request, reading JSON
//! bodies, limited text fields, image answers and the log rule for failed service calls. Each surface (`native`, `compat`) turns
//! these into its own error shape.

mod client;
mod image;
mod json_body;
mod layers;
mod rate_limit;
mod text;

use denglu_service::ServiceError;

pub(crate) use client::{Client, ClientIp, POOL_SECRET_HEADER, bearer_token};
pub(crate) use image::image_response;
pub(crate) use json_body::{BodyFault, decode, present};
pub(crate) use layers::{apply_layers, measured};
pub(crate) use rate_limit::{Limited, RateLimits};
pub(crate) use text::{EncryptedData, ShortText, Text};

/// Whether cookies must be `Secure`: when the server is reached over https (its public URL says so).
pub(crate) fn secure_cookies(state: &crate::AppState) -> bool {
    state.services.public_url().starts_with("https://")
}

/// Logs what a client is never told: server faults in full, WeChat failures as warnings. Client mistakes are the
/// client's business and are not logged.
pub(crate) fn log_failure(error: &ServiceError) {
    match error {
        ServiceError::Internal(detail) => tracing::error!(%detail, "internal error"),
        ServiceError::Unavailable(detail) => tracing::error!(%detail, "storage unavailable"),
        ServiceError::Wechat(_, detail) => tracing::warn!(%detail, "WeChat call failed"),
        _ => {}
    }
}
