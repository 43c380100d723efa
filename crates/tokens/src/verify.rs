//! Strict token verification: the pool's keys, each with its own algorithm only, issuer, audience, expiry and
//! not-before on an injected clock.

use std::{borrow::Borrow, collections::HashSet};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use denglu_domain::PoolId;
use jsonwebtoken::Validation;
use serde::Deserialize;

use crate::{KeyMaterial, UserClaims, keys::jose_algorithm};

/// Why a token is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not a JWT at all, or one whose header names an algorithm we never accept (such as `none`).
    #[error("the token is malformed")]
    Malformed,
    /// A JWT that this pool did not sign as it signs its tokens: wrong key, algorithm, issuer or audience, or
    /// dated in the future (`iat` or `nbf` more than [`CLOCK_LEEWAY_SECONDS`] after now).
    #[error("the token is invalid")]
    Invalid,
    /// Correctly signed, but past its `exp`.
    #[error("the token has expired")]
    Expired,
}

/// How far after the server's clock a token's `iat` or `nbf` may be and the token still be accepted, in seconds.
///
/// A token issued in the same second as a logout gets the next second as `iat`, and servers sharing a store may
/// disagree by a few seconds; a token dated further ahead was not issued by a server of this deployment with a
/// sane clock, and accepting it would let it outlive a later logout (revocation compares `iat`). `exp` has no
/// leeway.
pub const CLOCK_LEEWAY_SECONDS: i64 = 60;

/// The claims as decoded: the token's claims plus `nbf`, which denglu does not issue but honours when present.
#[derive(Deserialize)]
struct Decoded {
    #[serde(flatten)]
    claims: UserClaims,
    #[serde(default)]
    nbf: Option<i64>,
}

/// What a token of a pool must satisfy.
#[derive(Debug, Clone, Copy)]
pub struct VerifyRules<'a> {
    /// The pool the token claims to belong to; it must be the audience and `data.clientId`.
    pub pool_id: &'a PoolId,
    /// The pool's issuer URL.
    pub issuer: &'a str,
    /// The current time, read once for the request.
    pub now: DateTime<Utc>,
}

/// Reads the pool id from an unverified token (`data.clientId`), to know whose keys to verify it with.
/// Nothing read here is trusted until [`verify`] succeeds.
pub fn peek_pool_id(token: &str) -> Option<PoolId> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    PoolId::parse(claims.get("data")?.get("clientId")?.as_str()?).ok()
}

/// Verifies `token` against the pool's rules and keys.
///
/// `keys` are the pool's live keys (retired ones left out), which may be of several algorithms while a pool moves
/// from one to another. A key verifies only with its own algorithm, which the header's must be, so no key can be
/// used with another algorithm (an RSA or EC public key as an HMAC secret, say). The key is the one the `kid`
/// names, and a `kid` naming no key in `keys` (unknown or retired) is [`TokenError::Invalid`]. A token without
/// `kid`, as Authing-era HS256 tokens are, is accepted if any key of its header's algorithm in `keys` verifies it. `jku`, `x5u` and embedded `jwk` headers are ignored: keys come only from the store. A token dated in the future (`iat`, or `nbf` when present,
/// more than [`CLOCK_LEEWAY_SECONDS`] after `rules.now`) is [`TokenError::Invalid`]; one whose `exp` is not after
/// `rules.now` is [`TokenError::Expired`].
pub fn verify<K: Borrow<KeyMaterial>>(
    token: &str,
    rules: VerifyRules<'_>,
    keys: &[K],
) -> Result<UserClaims, TokenError> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
    let kid = header.kid.as_deref();
    let mut candidates = keys
        .iter()
        .map(Borrow::borrow)
        .filter(|key: &&KeyMaterial| jose_algorithm(key.algorithm) == header.alg)
        .filter(|key| kid.is_none_or(|kid| key.kid == kid));

    let mut validation = Validation::new(header.alg);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.leeway = 0;
    validation.set_issuer(&[rules.issuer]);
    validation.set_audience(&[rules.pool_id.as_str()]);
    validation.required_spec_claims = ["exp", "iss", "aud", "sub"]
        .into_iter()
        .map(str::to_owned)
        .collect::<HashSet<_>>();

    let Decoded { claims, nbf } = candidates
        .find_map(|key| jsonwebtoken::decode::<Decoded>(token, &key.decoding, &validation).ok())
        .ok_or(TokenError::Invalid)?
        .claims;
    if claims.data.client_id != rules.pool_id.as_str() || claims.sub != claims.data.id {
        return Err(TokenError::Invalid);
    }
    let latest = rules.now.timestamp().saturating_add(CLOCK_LEEWAY_SECONDS);
    if claims.iat > latest || nbf.is_some_and(|nbf| nbf > latest) {
        return Err(TokenError::Invalid);
    }
    if claims.exp <= rules.now.timestamp() {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests;
