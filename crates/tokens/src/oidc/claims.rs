//! The claims of each OpenID Connect token denglu signs.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// An ID token (OIDC Core §2): who logged in, for which client, when and how; plus the claims of the granted scopes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdClaims {
    /// The pool's issuer URL.
    pub iss: String,
    /// The user id.
    pub sub: String,
    /// The client id.
    pub aud: String,
    /// Expires at, in seconds.
    pub exp: i64,
    /// Issued at, in seconds.
    pub iat: i64,
    /// When the user logged in, in seconds.
    pub auth_time: i64,
    /// The authorization request's `nonce`, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// The client id again (the authorized party).
    pub azp: String,
    /// The IdP session, when the login came from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// How the user logged in (`wechat_qr`, `pwd`).
    pub amr: Vec<String>,
    /// The left half of the SHA-256 of the access token issued with it, base64url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_hash: Option<String>,
    /// The claims of the granted scopes (`name`, `phone_number`, …).
    #[serde(flatten)]
    pub scoped: Map<String, Value>,
}

/// An access token (RFC 9068 §2.2), verifiable offline against the pool's JWKS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The pool's issuer URL.
    pub iss: String,
    /// The user id, or the client id when a client acts on its own behalf.
    pub sub: String,
    /// The resource: the issuer.
    pub aud: String,
    /// Expires at, in seconds.
    pub exp: i64,
    /// Issued at, in seconds.
    pub iat: i64,
    /// A unique token id.
    pub jti: String,
    /// The client the token was issued to.
    pub client_id: String,
    /// The granted scopes, separated by spaces.
    pub scope: String,
    /// The grant the token came from: revoking it revokes the token.
    pub gid: String,
    /// When the user logged in, when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_time: Option<i64>,
}

/// `at_hash` of an access token signed with ES256 or RS256: the left half of its SHA-256, base64url.
pub fn access_token_hash(access_token: &str) -> String {
    let digest = Sha256::digest(access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..16])
}
