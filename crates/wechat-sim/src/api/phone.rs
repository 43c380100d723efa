//! `POST /wxa/business/getuserphonenumber`: redeems a phone code.

use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::Uri;
use axum::response::Response;
use denglu_wechat_crypto::{PhoneInfo, Watermark};
use serde::Serialize;
use serde_json::Value;

use crate::api::{Flavor, Params, authorize, guarded, json_object, reply};
use crate::errors::{DATA_FORMAT_ERROR, INVALID_CODE, WxError};
use crate::simulator::Simulator;
use crate::state::State;
use crate::state::faults::Api;

/// The success body: `{"errcode":0,"errmsg":"ok","phone_info":{…}}`.
#[derive(Debug, Serialize)]
struct PhoneReply {
    errcode: i64,
    errmsg: &'static str,
    phone_info: PhoneInfo,
}

/// Body `{"code": "...", "openid"?: "..."}`; `access_token` in the query.
pub(super) async fn getuserphonenumber(
    AxumState(sim): AxumState<Simulator>,
    uri: Uri,
    body: Bytes,
) -> Response {
    let params = Params::from_uri(&uri);
    let result = guarded(&sim, Api::Getuserphonenumber, |state| {
        redeem(state, &params, &body)
    })
    .await;
    reply(result, Flavor::Json)
}

fn redeem(state: &mut State, params: &Params, body: &[u8]) -> Result<PhoneReply, WxError> {
    let appid = authorize(state, params)?;
    let request = json_object(body).ok_or_else(|| WxError::new(DATA_FORMAT_ERROR))?;
    let code = match request.get("code") {
        Some(Value::String(code)) => code.as_str(),
        None | Some(Value::Null) => return Err(WxError::new(INVALID_CODE)),
        Some(_) => return Err(WxError::new(DATA_FORMAT_ERROR)),
    };
    let openid = match request.get("openid") {
        Some(Value::String(openid)) => Some(openid.as_str()),
        None | Some(Value::Null) => None,
        Some(_) => return Err(WxError::new(DATA_FORMAT_ERROR)),
    };
    let now = state.clock.now();
    let lifetime = state.settings.code_lifetime;
    let platform = |id: &str| {
        state
            .apps
            .get(id)
            .and_then(|app| app.bound_open_platform.clone())
    };
    let own_platform = platform(&appid);
    let same_subject = |other: &str| own_platform.is_some() && platform(other) == own_platform;
    let grant = state
        .codes
        .redeem_phone(&appid, code, openid, now, lifetime, same_subject)?;
    let phone = state
        .users
        .get(grant.user)
        .ok()
        .and_then(|user| user.phone.clone())
        .ok_or_else(|| WxError::new(INVALID_CODE))?;
    Ok(PhoneReply {
        errcode: 0,
        errmsg: "ok",
        phone_info: PhoneInfo {
            phone_number: phone.display_number(),
            pure_phone_number: phone.number,
            country_code: phone.country_code,
            watermark: Watermark {
                timestamp: grant.shared_at.unix_seconds(),
                appid,
            },
        },
    })
}
