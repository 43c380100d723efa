//! The control HTTP API under [`CONTROL_PREFIX`]: JSON in, JSON out, `{"error": …}` with a
//! 4xx status on bad requests. It mirrors the control methods of [`Simulator`].

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, any, get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::admin::Summary;
use crate::client::{Launch, PhoneNumberDetail, UserInfoDetail};
use crate::config::AppConfig;
use crate::sim_error::SimError;
use crate::simulator::Simulator;
use crate::state::faults::Fault;
use crate::state::users::{NewUser, UserId};

/// Path prefix of the control API; WeChat has no paths under it.
pub const CONTROL_PREFIX: &str = "/__sim";

/// Largest image accepted by `/__sim/scan`.
const MAX_SCAN_BODY: usize = 16 * 1024 * 1024;

type Reply<T> = Result<Json<T>, SimError>;

/// The control routes.
pub(crate) fn routes() -> Router<Simulator> {
    let route = |path: &str, method: MethodRouter<Simulator>| {
        Router::new().route(
            &format!("{CONTROL_PREFIX}{path}"),
            method.fallback(wrong_method),
        )
    };
    Router::new()
        .merge(route("/state", get(state)))
        .merge(route("/apps", get(list_apps).post(add_app)))
        .merge(route("/users", post(create_user)))
        .merge(route("/login", post(login)))
        .merge(route("/user-info", post(user_info)))
        .merge(route("/phone-number", post(phone_number)))
        .merge(route("/identity", post(identity)))
        .merge(route("/advance", post(advance)))
        .merge(route(
            "/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        ))
        .merge(route(
            "/scan",
            post(scan).layer(DefaultBodyLimit::max(MAX_SCAN_BODY)),
        ))
        .merge(route("/scan-scene", post(scan_scene)))
        .merge(route("/launch-mini-program", post(launch_mini_program)))
        .route(&format!("{CONTROL_PREFIX}/{{*rest}}"), any(unknown_path))
}

/// `{appid, user}`: the subject of most phone-side operations.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AppUser {
    appid: String,
    user: UserId,
}

async fn state(AxumState(sim): AxumState<Simulator>) -> Json<Summary> {
    Json(sim.summary())
}

async fn list_apps(AxumState(sim): AxumState<Simulator>) -> Json<Vec<AppConfig>> {
    Json(sim.apps())
}

async fn add_app(AxumState(sim): AxumState<Simulator>, body: Bytes) -> Reply<Value> {
    let app: AppConfig = parse(&body)?;
    let original_id = app.effective_original_id();
    let appid = app.appid.clone();
    sim.add_app(app)?;
    Ok(Json(json!({ "appid": appid, "original_id": original_id })))
}

async fn create_user(AxumState(sim): AxumState<Simulator>, body: Bytes) -> Reply<Value> {
    let user = sim.create_user(parse::<NewUser>(&body)?)?;
    Ok(Json(json!({ "user": user })))
}

async fn login(AxumState(sim): AxumState<Simulator>, body: Bytes) -> Reply<Value> {
    let AppUser { appid, user } = parse(&body)?;
    let code = sim.login(&appid, user)?;
    Ok(Json(json!({ "errMsg": "login:ok", "code": code })))
}

async fn user_info(AxumState(sim): AxumState<Simulator>, body: Bytes) -> Reply<UserInfoDetail> {
    let AppUser { appid, user } = parse(&body)?;
    sim.user_info(&appid, user).map(Json)
}

async fn phone_number(
    AxumState(sim): AxumState<Simulator>,
    body: Bytes,
) -> Reply<PhoneNumberDetail> {
    let AppUser { appid, user } = parse(&body)?;
    sim.phone_number(&appid, user).map(Json)
}

/// openid, unionid (null unless bound) and session_key (null before the first login).
async fn identity(AxumState(sim): AxumState<Simulator>, body: Bytes) -> Reply<Value> {
    let AppUser { appid, user } = parse(&body)?;
    let openid = sim.openid(&appid, user)?;
    let unionid = sim.unionid(&appid, user)?;
    let session_key = match sim.session_key(&appid, user) {
        Ok(key) => Some(key),
        Err(SimError::NotLoggedIn { .. }) => None,
        Err(other) => return Err(other),
    };
    Ok(Json(
        json!({ "openid": openid, "unionid": unionid, "session_key": session_key }),
    ))
}

/// `{seconds}` and/or `{millis}` to add to the clock.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    #[serde(default)]
    seconds: u64,
    #[serde(default)]
    millis: u64,
}

async fn advance(AxumState(sim): AxumState<Simulator>, body: Bytes) -> Reply<Value> {
    let Advance { seconds, millis } = parse(&body)?;
    sim.advance(Duration::from_secs(seconds).saturating_add(Duration::from_millis(millis)));
    Ok(Json(json!({ "now": sim.now_unix() })))
}

async fn list_faults(AxumState(sim): AxumState<Simulator>) -> Json<Vec<Fault>> {
    Json(sim.faults())
}

async fn add_fault(AxumState(sim): AxumState<Simulator>, body: Bytes) -> Reply<Vec<Fault>> {
    sim.add_fault(parse(&body)?)?;
    Ok(Json(sim.faults()))
}

async fn clear_faults(AxumState(sim): AxumState<Simulator>) -> Json<Vec<Fault>> {
    sim.clear_faults();
    Json(sim.faults())
}

/// `{"image_base64": "..."}`, or the raw image bytes as the body.
async fn scan(AxumState(sim): AxumState<Simulator>, body: Bytes) -> Reply<Launch> {
    let image = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(request)) => {
            let encoded = request
                .get("image_base64")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    SimError::InvalidInput(
                        "expected {\"image_base64\": \"...\"} or raw image bytes".to_owned(),
                    )
                })?;
            STANDARD
                .decode(encoded)
                .map_err(|e| SimError::InvalidInput(format!("image_base64 is not base64: {e}")))?
        }
        _ => body.to_vec(),
    };
    let sim_for_scan = sim.clone();
    tokio::task::spawn_blocking(move || sim_for_scan.scan(&image))
        .await
        .map_err(|e| SimError::Internal(e.to_string()))?
        .map(Json)
}

/// `{appid, scene, page?}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScanScene {
    appid: String,
    scene: String,
    #[serde(default)]
    page: Option<String>,
}

async fn scan_scene(AxumState(sim): AxumState<Simulator>, body: Bytes) -> Reply<Launch> {
    let ScanScene { appid, scene, page } = parse(&body)?;
    sim.scan_scene(&appid, &scene, page.as_deref()).map(Json)
}

/// `{original_id, path}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LaunchRequest {
    original_id: String,
    #[serde(default)]
    path: String,
}

async fn launch_mini_program(AxumState(sim): AxumState<Simulator>, body: Bytes) -> Reply<Launch> {
    let LaunchRequest { original_id, path } = parse(&body)?;
    sim.launch_mini_program(&original_id, &path).map(Json)
}

async fn unknown_path() -> Response {
    let body = json!({ "error": "unknown control endpoint" });
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

async fn wrong_method() -> Response {
    let body = json!({ "error": "method not allowed on this control endpoint" });
    (StatusCode::METHOD_NOT_ALLOWED, Json(body)).into_response()
}

/// Parses a JSON body into `T`, reporting what is wrong as [`SimError::InvalidInput`].
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, SimError> {
    serde_json::from_slice(body).map_err(|e| SimError::InvalidInput(format!("bad JSON body: {e}")))
}
