//! The WeChat API surface: routes, query parsing, token checks, fault hooks and replies.

mod phone;
mod session;
mod sns;
mod token;
mod wxacode;

use std::collections::HashMap;

use axum::Router;
use axum::extract::Query;
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::errors::{REQUIRE_POST, SYSTEM_ERROR, WxError};
use crate::ids;
use crate::simulator::Simulator;
use crate::state::State;
use crate::state::faults::Api;

/// Content type of JSON replies, as observed from WeChat.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json; encoding=utf-8";
/// Content type of `sns/*` replies (JSON body, `text/plain` header), as observed.
const TEXT_CONTENT_TYPE: &str = "text/plain";

/// The WeChat endpoints.
pub(crate) fn routes() -> Router<Simulator> {
    Router::new()
        .route(
            "/sns/jscode2session",
            get(sns::jscode2session).post(sns::jscode2session_post),
        )
        .route("/cgi-bin/token", get(token::legacy))
        .route(
            "/cgi-bin/stable_token",
            post(token::stable).get(require_post),
        )
        .route(
            "/wxa/business/getuserphonenumber",
            post(phone::getuserphonenumber).get(require_post),
        )
        .route("/wxa/checksession", get(session::checksession))
        .route(
            "/wxa/resetusersessionkey",
            get(session::resetusersessionkey),
        )
        .route(
            "/wxa/getwxacodeunlimit",
            post(wxacode::getwxacodeunlimit).get(require_post),
        )
}

/// How a reply's `Content-Type` is labelled.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Flavor {
    /// `application/json; encoding=utf-8`.
    Json,
    /// `text/plain` with a JSON body (`sns/*`).
    Text,
}

impl Flavor {
    fn content_type(self) -> &'static str {
        match self {
            Self::Json => JSON_CONTENT_TYPE,
            Self::Text => TEXT_CONTENT_TYPE,
        }
    }
}

/// Query-string parameters; a malformed query reads as empty (WeChat reports the missing
/// parameter rather than a parse error).
#[derive(Debug, Default)]
pub(crate) struct Params(HashMap<String, String>);

impl Params {
    /// Parses the query of `uri`.
    pub(crate) fn from_uri(uri: &Uri) -> Self {
        Self(
            Query::<HashMap<String, String>>::try_from_uri(uri)
                .map(|q| q.0)
                .unwrap_or_default(),
        )
    }

    /// The value of `name`, treating an empty value as absent.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The value of `name`, or `errcode` when absent.
    pub(crate) fn require(&self, name: &str, errcode: i64) -> Result<&str, WxError> {
        self.get(name).ok_or_else(|| WxError::new(errcode))
    }
}

/// Counts the call, applies any injected fault for `api` (sleeping without the lock), then
/// runs `op` with the state locked.
pub(crate) async fn guarded<T>(
    sim: &Simulator,
    api: Api,
    op: impl FnOnce(&mut State) -> Result<T, WxError> + Send,
) -> Result<T, WxError> {
    let fault = sim.with_state(|state| {
        *state.calls.entry(api).or_default() += 1;
        state.faults.take(api)
    });
    if let Some(action) = fault {
        if !action.delay.is_zero() {
            tokio::time::sleep(action.delay).await;
        }
        if let Some(error) = action.error {
            return Err(error);
        }
    }
    sim.with_state(op)
}

/// The appid of the request's `access_token`, or `41001`/`40001`/`42001`.
pub(crate) fn authorize(state: &State, params: &Params) -> Result<String, WxError> {
    let now = state.clock.now();
    state
        .tokens
        .validate(params.get("access_token"), now)
        .map(str::to_owned)
}

/// The request body as a JSON object, or `None` when it is not one.
pub(crate) fn json_object(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// A JSON reply (HTTP 200) for a success or an error.
pub(crate) fn reply<T: Serialize>(result: Result<T, WxError>, flavor: Flavor) -> Response {
    match result {
        Ok(body) => match serde_json::to_vec(&body) {
            Ok(bytes) => with_content_type(bytes, flavor.content_type()),
            Err(_) => error_reply(&WxError::new(SYSTEM_ERROR), flavor),
        },
        Err(error) => error_reply(&error, flavor),
    }
}

/// An error reply: HTTP 200, `{"errcode":N,"errmsg":"<text>, rid: <rid>"}`.
pub(crate) fn error_reply(error: &WxError, flavor: Flavor) -> Response {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    let body = serde_json::to_vec(&error.body(&ids::rid(now))).unwrap_or_default();
    with_content_type(body, flavor.content_type())
}

/// HTTP 200 with `bytes` labelled `content_type`.
pub(crate) fn with_content_type(bytes: Vec<u8>, content_type: &'static str) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        bytes,
    )
        .into_response()
}

/// GET on a POST-only endpoint: `43002 require POST method`.
async fn require_post() -> Response {
    error_reply(&WxError::new(REQUIRE_POST), Flavor::Json)
}
