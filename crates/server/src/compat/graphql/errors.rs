//! Authing's GraphQL error shape (spec §2, §5.2): every error's `message` is an object `{code, message}`,
//! which the SDKs read as `errors[0].message.code`. Resolvers fail with a `ServiceError` (kept as the error's
//! source, shown by the compatible surface's one rule); anything else async-graphql reports (syntax, unknown
//! fields, variable types) is 1002.

use async_graphql::{PathSegment, Pos, Response, ServerError};
use denglu_service::{ErrorCode, ServiceError};
use serde::Serialize;

/// The response body: `{data, errors?}`, `data` in the order the document selected it.
#[derive(Debug, Serialize)]
pub(crate) struct CompatBody {
    data: async_graphql::Value,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<GraphqlError>,
}

/// One error: Authing's `message` object, and where it happened.
#[derive(Debug, Serialize)]
struct GraphqlError {
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

/// The body for a request that never reached the schema (too large, or not a GraphQL request).
pub(crate) fn request_error(error: crate::compat::CompatError) -> CompatBody {
    CompatBody {
        data: async_graphql::Value::Null,
        errors: vec![GraphqlError {
            message: error.into(),
            locations: Vec::new(),
            path: Vec::new(),
        }],
    }
}

fn compat_error(error: &ServerError) -> GraphqlError {
    let message = match error.source::<ServiceError>() {
        Some(service) => CompatMessage::from(crate::compat::CompatError::from(service)),
        None => CompatMessage {
            code: ErrorCode::InvalidRequest.number(),
            message: error.message.clone(),
        },
    };
    GraphqlError {
        message,
        locations: error.locations.clone(),
        path: error.path.clone(),
    }
}

impl From<crate::compat::CompatError> for CompatMessage {
    fn from(error: crate::compat::CompatError) -> Self {
        Self {
            code: error.code(),
            message: error.message().to_owned(),
        }
    }
}
