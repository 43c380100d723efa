//! HTTP plumbing shared by every route: errors, extractors, the middleware stack.

mod error;
mod extract;
mod layers;
mod rate_limit;

pub use error::{ApiError, ErrorBody};
pub(crate) use extract::{ApiJson, ClientIp, bearer_token};
pub(crate) use layers::apply_layers;
pub(crate) use rate_limit::{Limited, RateLimits};
