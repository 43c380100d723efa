//! `GET /cgi-bin/token` and `POST /cgi-bin/stable_token`.

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State as AxumState};
use axum::http::{Extensions, Uri};
use axum::response::Response;
use serde::Serialize;
use serde_json::Value;

use crate::api::{Flavor, Params, guarded, json_object, reply};
use crate::config::AppConfig;
use crate::errors::{
    APPID_MISSING, APPSECRET_MISSING, INVALID_APPSECRET, INVALID_GRANT_TYPE, WxError,
};
use crate::simulator::Simulator;
use crate::state::State;
use crate::state::faults::Api;
use crate::state::tokens::{IssuedToken, StableRules};

/// The only grant type of both token endpoints.
const CLIENT_CREDENTIAL: &str = "client_credential";

/// The success body.
#[derive(Debug, Serialize)]
struct TokenBody {
    access_token: String,
    expires_in: u64,
}

impl From<IssuedToken> for TokenBody {
    fn from(token: IssuedToken) -> Self {
        Self {
            access_token: token.access_token,
            expires_in: token.expires_in,
        }
    }
}

/// Issues a new legacy token, cutting the previous one's life to at most 300 s.
pub(super) async fn legacy(
    AxumState(sim): AxumState<Simulator>,
    extensions: Extensions,
    uri: Uri,
) -> Response {
    let params = Params::from_uri(&uri);
    let caller = caller_ip(&extensions);
    let result = guarded(&sim, Api::Token, |state| {
        if params.get("grant_type") != Some(CLIENT_CREDENTIAL) {
            return Err(WxError::new(INVALID_GRANT_TYPE));
        }
        let credentials = Credentials {
            appid: params.get("appid"),
            secret: params.get("secret"),
        };
        let appid = credentials.check(state, caller)?;
        let now = state.clock.now();
        let expires_in = state.settings.token_expires_in;
        let per_day = state.settings.quotas.token_per_day;
        state
            .tokens
            .issue_legacy(&appid, now, expires_in, per_day)
            .map(TokenBody::from)
    })
    .await;
    reply(result, Flavor::Json)
}

/// Returns the stable token (JSON body only; anything else is `40002`).
pub(super) async fn stable(
    AxumState(sim): AxumState<Simulator>,
    extensions: Extensions,
    body: Bytes,
) -> Response {
    let caller = caller_ip(&extensions);
    let result = guarded(&sim, Api::StableToken, |state| {
        let request = json_object(&body).ok_or_else(|| WxError::new(INVALID_GRANT_TYPE))?;
        let text = |name: &str| {
            request
                .get(name)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
        };
        if text("grant_type") != Some(CLIENT_CREDENTIAL) {
            return Err(WxError::new(INVALID_GRANT_TYPE));
        }
        let credentials = Credentials {
            appid: text("appid"),
            secret: text("secret"),
        };
        let appid = credentials.check(state, caller)?;
        let rules = StableRules {
            expires_in: state.settings.token_expires_in,
            force: request
                .get("force_refresh")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            force_per_day: state.settings.quotas.stable_force_refresh_per_day,
            force_interval: state.settings.quotas.stable_force_refresh_interval,
        };
        let now = state.clock.now();
        state.tokens.stable(&appid, now, rules).map(TokenBody::from)
    })
    .await;
    reply(result, Flavor::Json)
}

/// The appid and secret of a token request.
struct Credentials<'a> {
    appid: Option<&'a str>,
    secret: Option<&'a str>,
}

impl Credentials<'_> {
    /// `41002`, `40013`, `41004`, `40125`, then the IP whitelist (`40164`).
    fn check(&self, state: &State, caller: Option<IpAddr>) -> Result<String, WxError> {
        let appid = self.appid.ok_or_else(|| WxError::new(APPID_MISSING))?;
        let app = state.wx_app(appid)?;
        let secret = self.secret.ok_or_else(|| WxError::new(APPSECRET_MISSING))?;
        if secret != app.secret {
            return Err(WxError::new(INVALID_APPSECRET));
        }
        if !ip_allowed(app, caller) {
            return Err(WxError::ip_not_whitelisted(caller));
        }
        Ok(app.appid.clone())
    }
}

/// True when the app has no whitelist or lists the caller (IPv4-mapped IPv6 matches IPv4).
fn ip_allowed(app: &AppConfig, caller: Option<IpAddr>) -> bool {
    let Some(whitelist) = &app.ip_whitelist else {
        return true;
    };
    caller.is_some_and(|ip| whitelist.iter().any(|allowed| allowed.to_canonical() == ip))
}

/// The peer address, when the server was started with connect info.
fn caller_ip(extensions: &Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip().to_canonical())
}
