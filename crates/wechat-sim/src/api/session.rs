//! `GET /wxa/checksession` and `GET /wxa/resetusersessionkey` (login-state signature over "").

use axum::extract::State as AxumState;
use axum::http::Uri;
use axum::response::Response;
use denglu_wechat_crypto::verify_login_state_signature;
use serde::Serialize;

use crate::api::{Flavor, Params, authorize, guarded, reply};
use crate::errors::{INVALID_OPENID, INVALID_SIG_METHOD, INVALID_SIGNATURE, SYSTEM_ERROR, WxError};
use crate::simulator::Simulator;
use crate::state::State;
use crate::state::faults::Api;
use crate::state::users::UserId;

/// The only supported `sig_method`.
const HMAC_SHA256: &str = "hmac_sha256";

/// `{"errcode":0,"errmsg":"ok"}`.
#[derive(Debug, Serialize)]
struct Checked {
    errcode: i64,
    errmsg: &'static str,
}

/// `{"errcode":0,"errmsg":"ok","openid":…,"session_key":…}`.
#[derive(Debug, Serialize)]
struct Reset {
    errcode: i64,
    errmsg: &'static str,
    openid: String,
    session_key: String,
}

/// Checks that `signature` was made with the user's current session_key.
pub(super) async fn checksession(AxumState(sim): AxumState<Simulator>, uri: Uri) -> Response {
    let params = Params::from_uri(&uri);
    let result = guarded(&sim, Api::Checksession, |state| {
        verified_session(state, &params).map(|_| Checked {
            errcode: 0,
            errmsg: "ok",
        })
    })
    .await;
    reply(result, Flavor::Json)
}

/// Replaces the user's session_key (the old one dies at once) and returns the new one.
pub(super) async fn resetusersessionkey(
    AxumState(sim): AxumState<Simulator>,
    uri: Uri,
) -> Response {
    let params = Params::from_uri(&uri);
    let result = guarded(&sim, Api::Resetusersessionkey, |state| {
        let (appid, user, openid) = verified_session(state, &params)?;
        let session_key = state
            .users
            .reset_session(&appid, user)
            .ok_or_else(|| WxError::new(SYSTEM_ERROR))?;
        Ok(Reset {
            errcode: 0,
            errmsg: "ok",
            openid,
            session_key,
        })
    })
    .await;
    reply(result, Flavor::Json)
}

/// Token (`41001`/`40001`/`42001`), `sig_method` (`87008`), openid (`40003`), then the
/// signature over the empty body with the current session_key (`87009`).
fn verified_session(state: &State, params: &Params) -> Result<(String, UserId, String), WxError> {
    let appid = authorize(state, params)?;
    if params.get("sig_method") != Some(HMAC_SHA256) {
        return Err(WxError::new(INVALID_SIG_METHOD));
    }
    let openid = params
        .get("openid")
        .ok_or_else(|| WxError::new(INVALID_OPENID))?;
    let user = state
        .users
        .find_by_openid(&appid, openid)
        .ok_or_else(|| WxError::new(INVALID_OPENID))?;
    let session_key = state
        .users
        .session_key(&appid, user)
        .ok_or_else(|| WxError::new(INVALID_SIGNATURE))?;
    let signature = params.get("signature").unwrap_or_default();
    verify_login_state_signature(session_key, b"", signature)
        .map_err(|_| WxError::new(INVALID_SIGNATURE))?;
    Ok((appid, user, openid.to_owned()))
}
