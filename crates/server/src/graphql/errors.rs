//! Authing's GraphQL error shape (spec §2, §5.2): every error's `message` is an object `{code, message}`,
//! which the SDKs read as `errors[0].message.code`. Resolvers fail with a `ServiceError` (kept as the error's
//! source); anything else async-graphql reports (syntax, unknown fields, variable types) is 1002.

use async_graphql::{PathSegment, Pos, Response, ServerError};
use denglu_service::{ErrorCode, ServiceError};
use serde::Serialize;

/// The response body: `{data, errors?}`, `data` in the order the document selected it.
#[derive(Debug, Serialize)]
pub(crate) struct CompatBody {
    data: async_graphql::Value,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<CompatError>,
}

/// One error: Authing's `message` object, and where it happened.
#[derive(Debug, Serialize)]
struct CompatError {
    message: CompatMessage,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Pos>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    path: Vec<PathSegment>,
}

/// `{code, message}`.
#[derive(Debug, Serialize)]
struct CompatMessage {
    code: u32,
    message: String,
}

/// The body of an executed request, each error in Authing's shape.
pub(crate) fn compat_body(response: Response) -> CompatBody {
    CompatBody {
        data: response.data,
        errors: response.errors.iter().map(compat_error).collect(),
    }
}

/// The body for a request that never reached the schema (unreadable or not JSON).
pub(crate) fn request_error(code: ErrorCode, message: impl Into<String>) -> CompatBody {
    CompatBody {
        data: async_graphql::Value::Null,
        errors: vec![CompatError {
            message: CompatMessage {
                code: code.number(),
                message: message.into(),
            },
            locations: Vec::new(),
            path: Vec::new(),
        }],
    }
}

fn compat_error(error: &ServerError) -> CompatError {
    let message = match error.source::<ServiceError>() {
        Some(service) => compat_message(service),
        None => CompatMessage {
            code: ErrorCode::InvalidRequest.number(),
            message: error.message.clone(),
        },
    };
    CompatError {
        message,
        locations: error.locations.clone(),
        path: error.path.clone(),
    }
}

/// The code and the message a compatible client shows: the specific text for a client's mistake, the
/// Chinese compat message otherwise. Server faults are logged here and never described.
fn compat_message(error: &ServiceError) -> CompatMessage {
    match error {
        ServiceError::Internal(detail) | ServiceError::Unavailable(detail) => {
            tracing::error!(%detail, "GraphQL request failed");
        }
        ServiceError::Wechat(_, detail) => {
            tracing::warn!(%detail, "GraphQL request failed at WeChat")
        }
        _ => {}
    }
    let code = error.code();
    let message = match error {
        ServiceError::Rejected(_) | ServiceError::UserExists(_) | ServiceError::Invalid(_) => {
            error.to_string()
        }
        _ => code.compat_message().to_owned(),
    };
    CompatMessage {
        code: code.number(),
        message,
    }
}
