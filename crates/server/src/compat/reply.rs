//! The compatible surface's success reply: Authing's envelope `{code: 200, message, data}`.

use serde::Serialize;
use utoipa::ToSchema;

/// `{code: 200, message?, data}`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Envelope<T> {
    /// Always 200 here; failures are `{code, message}` (see `CompatError`).
    #[schema(example = 200)]
    code: u32,
    /// What happened, in Chinese as Authing said it.
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'static str>,
    /// The answer.
    data: T,
}

impl<T> Envelope<T> {
    /// A success with Authing's message.
    pub(crate) fn new(message: &'static str, data: T) -> Self {
        Self {
            code: 200,
            message: Some(message),
            data,
        }
    }

    /// A success without a message (the QR endpoints send none).
    pub(crate) fn bare(data: T) -> Self {
        Self {
            code: 200,
            message: None,
            data,
        }
    }
}
