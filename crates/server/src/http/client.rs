//! Who sends a request: the client's address, its user agent and the token of its `Authorization` header, for
//! every surface.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, header, request::Parts},
};

use denglu_domain::Requester;

use crate::AppState;

/// The header through which a pool's backend proves it holds the pool secret (native pool settings, GraphQL).
pub(crate) const POOL_SECRET_HEADER: &str = "x-pool-secret";

/// The token of an `Authorization` header, with or without the `Bearer ` prefix (the real SDKs send both).
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    if value.eq_ignore_ascii_case("bearer") {
        // "Bearer " with nothing after it: no token.
        return Some("");
    }
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .unwrap_or(value);
    Some(token.trim())
}

/// The client's address: the peer, or, when the server is configured to trust its reverse proxy, the last
/// `X-Forwarded-For` entry (the one that proxy appended; earlier entries come from the client and may be forged).
pub(crate) struct ClientIp(pub(crate) Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = state
            .http
            .trust_forwarded_for
            .then(|| parts.headers.get("x-forwarded-for"))
            .flatten()
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.rsplit(',').next())
            .and_then(|last| last.trim().parse().ok());
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        Ok(Self(forwarded.or(peer)))
    }
}

/// The longest `User-Agent` kept, in characters.
const MAX_USER_AGENT_CHARS: usize = 512;

/// Who sends a request: the address ([`ClientIp`], for rate limits) and the `User-Agent`, which services record
/// (a QR session's requester, the audit log).
pub(crate) struct Client {
    /// The client's address.
    pub(crate) ip: Option<IpAddr>,
    /// Its `User-Agent`, cut to 512 characters.
    pub(crate) user_agent: Option<String>,
}

impl Client {
    /// The client as services record it.
    pub(crate) fn requester(&self) -> Requester {
        Requester {
            ip: self.ip.map(|ip| ip.to_string()),
            user_agent: self.user_agent.clone(),
        }
    }
}

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Ok(ClientIp(ip)) = ClientIp::from_request_parts(parts, state).await;
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .map(|agent| agent.chars().take(MAX_USER_AGENT_CHARS).collect());
        Ok(Self { ip, user_agent })
    }
}
