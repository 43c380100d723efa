//! `POST /wxa/getwxacodeunlimit`: an unlimited mini program code as a real, scannable image.

use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::Uri;
use axum::response::Response;
use serde_json::{Map, Value};

use crate::api::{Flavor, Params, authorize, error_reply, guarded, json_object, with_content_type};
use crate::errors::{
    INVALID_ARGS, INVALID_PAGE, INVALID_SCENE, INVALID_SCENE_LENGTH, SYSTEM_ERROR, WxError,
};
use crate::images::{self, CODE_URL_PREFIX};
use crate::scene::{self, SceneProblem};
use crate::simulator::Simulator;
use crate::state::State;
use crate::state::faults::Api;
use crate::state::wxacodes::WxaCode;

/// Width when none is given.
const DEFAULT_WIDTH: u32 = 430;
/// Widths outside this range are clamped into it.
const WIDTH_RANGE: std::ops::RangeInclusive<u32> = 280..=1280;
/// Accepted `env_version` values.
const ENV_VERSIONS: [&str; 3] = ["release", "trial", "develop"];

/// A validated request, ready to be drawn.
struct Drawing {
    id: String,
    width: u32,
    transparent: bool,
}

/// Validates, records the code, then renders it outside the state lock.
pub(super) async fn getwxacodeunlimit(
    AxumState(sim): AxumState<Simulator>,
    uri: Uri,
    body: Bytes,
) -> Response {
    let params = Params::from_uri(&uri);
    let drawing = match guarded(&sim, Api::Getwxacodeunlimit, |s| {
        register(s, &params, &body)
    })
    .await
    {
        Ok(drawing) => drawing,
        Err(error) => return error_reply(&error, Flavor::Json),
    };
    let text = format!("{CODE_URL_PREFIX}{}", drawing.id);
    let rendered = tokio::task::spawn_blocking(move || {
        images::render(&text, drawing.width, drawing.transparent)
    })
    .await;
    match rendered {
        Ok(Ok(image)) => with_content_type(image.bytes, image.content_type),
        Ok(Err(_)) | Err(_) => error_reply(&WxError::new(SYSTEM_ERROR), Flavor::Json),
    }
}

fn register(state: &mut State, params: &Params, body: &[u8]) -> Result<Drawing, WxError> {
    let appid = authorize(state, params)?;
    let request = json_object(body).ok_or_else(|| WxError::new(INVALID_SCENE_LENGTH))?;
    let scene = scene(&request)?;
    let app = state.wx_app(&appid)?;
    let check_path = request
        .get("check_path")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let page = match request.get("page") {
        None | Some(Value::Null) => app.home_page().to_owned(),
        Some(Value::String(page)) if page.is_empty() => app.home_page().to_owned(),
        Some(Value::String(page)) => page.clone(),
        Some(_) => return Err(WxError::new(INVALID_PAGE)),
    };
    let well_formed = !page.starts_with('/') && !page.contains('?');
    let published = app.pages.contains(&page);
    if !well_formed || (check_path && !published) {
        return Err(WxError::new(INVALID_PAGE));
    }
    let env_version = match request.get("env_version") {
        None | Some(Value::Null) => "release".to_owned(),
        Some(Value::String(env)) if ENV_VERSIONS.contains(&env.as_str()) => env.clone(),
        Some(_) => return Err(WxError::new(INVALID_ARGS)),
    };
    let width = width(request.get("width"))?;
    let transparent = request
        .get("is_hyaline")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let id = state.wxacodes.register(WxaCode {
        appid,
        page,
        scene,
        env_version,
    });
    Ok(Drawing {
        id,
        width,
        transparent,
    })
}

/// The scene: `40169` when missing, empty or over 32 bytes; `40129` for bad characters.
fn scene(request: &Map<String, Value>) -> Result<String, WxError> {
    let Some(Value::String(scene)) = request.get("scene") else {
        return Err(WxError::new(INVALID_SCENE_LENGTH));
    };
    match scene::validate(scene) {
        Ok(()) => Ok(scene.clone()),
        Err(SceneProblem::Length) => Err(WxError::new(INVALID_SCENE_LENGTH)),
        Err(SceneProblem::Charset) => Err(WxError::new(INVALID_SCENE)),
    }
}

/// The image width: a number or numeric string, clamped to 280–1280; anything else `40097`.
fn width(value: Option<&Value>) -> Result<u32, WxError> {
    let requested = match value {
        None | Some(Value::Null) => return Ok(DEFAULT_WIDTH),
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
        Some(_) => None,
    };
    let requested = requested
        .filter(|w| w.is_finite())
        .ok_or_else(|| WxError::new(INVALID_ARGS))?;
    let (min, max) = (
        f64::from(*WIDTH_RANGE.start()),
        f64::from(*WIDTH_RANGE.end()),
    );
    // In range after the clamp, so the cast cannot truncate.
    Ok(requested.round().clamp(min, max) as u32)
}
