//! `GET /sns/jscode2session` (code2Session).

use axum::extract::State as AxumState;
use axum::http::Uri;
use axum::response::Response;
use serde::Serialize;

use crate::api::{Flavor, Params, error_reply, guarded, reply};
use crate::errors::{
    APPID_MISSING, APPSECRET_MISSING, CODE_MISSING, INVALID_APPSECRET, INVALID_GRANT_TYPE,
    SYSTEM_ERROR, WxError,
};
use crate::ids;
use crate::simulator::Simulator;
use crate::state::State;
use crate::state::codes::ExchangeRules;
use crate::state::faults::Api;

/// The success body; no `errcode`, `unionid` only for apps bound to an Open Platform.
#[derive(Debug, Serialize)]
struct Session {
    openid: String,
    session_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    unionid: Option<String>,
}

/// Exchanges a `wx.login` code for openid, session_key and (maybe) unionid.
pub(super) async fn jscode2session(AxumState(sim): AxumState<Simulator>, uri: Uri) -> Response {
    let params = Params::from_uri(&uri);
    let result = guarded(&sim, Api::Jscode2session, |state| exchange(state, &params)).await;
    reply(result, Flavor::Text)
}

/// WeChat reads only the query string here, so a POST (params in the body) is `41002`.
pub(super) async fn jscode2session_post() -> Response {
    error_reply(&WxError::new(APPID_MISSING), Flavor::Text)
}

/// Checks run in this order so that a wrong appid or secret never burns the code.
fn exchange(state: &mut State, params: &Params) -> Result<Session, WxError> {
    let appid = params.require("appid", APPID_MISSING)?;
    let app = state.wx_app(appid)?;
    let secret = params.require("secret", APPSECRET_MISSING)?;
    if secret != app.secret {
        return Err(WxError::new(INVALID_APPSECRET));
    }
    let open_platform = app.bound_open_platform.clone();
    let code = params.require("js_code", CODE_MISSING)?;
    if params.get("grant_type") != Some("authorization_code") {
        return Err(WxError::new(INVALID_GRANT_TYPE));
    }
    let now = state.clock.now();
    let rules = ExchangeRules {
        lifetime: state.settings.code_lifetime,
        per_minute: state.settings.quotas.jscode2session_per_user_per_minute,
    };
    let user = state.codes.redeem_login(appid, code, now, rules)?;
    let session_key = state
        .users
        .session_key(appid, user)
        .ok_or_else(|| WxError::new(SYSTEM_ERROR))?
        .to_owned();
    Ok(Session {
        openid: ids::openid(appid, user.0),
        session_key,
        unionid: open_platform.map(|platform| ids::unionid(&platform, user.0)),
    })
}
