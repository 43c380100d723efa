//! Verifying the OpenID Connect tokens a pool issued: access tokens at userinfo and introspection, ID tokens as the
//! end-session endpoint's `id_token_hint`. Only asymmetric keys verify them, and a token of one kind is never
//! accepted as another (the header's `typ`).

use std::{borrow::Borrow, collections::HashSet};

use chrono::{DateTime, Utc};
use denglu_domain::JwtAlgorithm;
use jsonwebtoken::Validation;
use serde::de::DeserializeOwned;

use crate::{
    AccessClaims, CLOCK_LEEWAY_SECONDS, IdClaims, KeyMaterial, OidcTokenKind, TokenError,
    keys::jose_algorithm,
};

/// What a pool's OIDC token must satisfy.
#[derive(Debug, Clone, Copy)]
pub struct OidcRules<'a> {
    /// The pool's OIDC issuer URL.
    pub issuer: &'a str,
    /// The current time, read once for the request.
    pub now: DateTime<Utc>,
}

/// Verifies an access token: `typ` `at+jwt`, signed by one of `keys` (the pool's live asymmetric keys), issued by
/// the pool for itself as the resource, not dated in the future, not expired.
pub fn verify_access_token<K: Borrow<KeyMaterial>>(
    token: &str,
    rules: OidcRules<'_>,
    keys: &[K],
) -> Result<AccessClaims, TokenError> {
    let claims: AccessClaims = decode(
        token,
        OidcTokenKind::Access,
        rules,
        Some(rules.issuer),
        keys,
    )?;
    check_times(claims.iat, claims.exp, rules)?;
    Ok(claims)
}

/// Verifies an ID token the pool issued, as an `id_token_hint`: `typ` `JWT`, signed by one of `keys`, issued by the
/// pool, not dated in the future. Its audience is the caller's to check (one of the pool's clients), and so is its
/// expiry: a hint may be past it (RP-Initiated Logout 1.0 §2).
pub fn verify_id_token_hint<K: Borrow<KeyMaterial>>(
    token: &str,
    rules: OidcRules<'_>,
    keys: &[K],
) -> Result<IdClaims, TokenError> {
    let claims: IdClaims = decode(token, OidcTokenKind::Id, rules, None, keys)?;
    check_times(claims.iat, i64::MAX, rules)?;
    Ok(claims)
}

fn decode<T: DeserializeOwned, K: Borrow<KeyMaterial>>(
    token: &str,
    kind: OidcTokenKind,
    rules: OidcRules<'_>,
    audience: Option<&str>,
    keys: &[K],
) -> Result<T, TokenError> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
    let typ = header.typ.as_deref().unwrap_or_default();
    let typ = typ.strip_prefix("application/").unwrap_or(typ);
    if !typ.eq_ignore_ascii_case(kind.typ()) {
        return Err(TokenError::Invalid);
    }
    let kid = header.kid.as_deref().ok_or(TokenError::Invalid)?;
    let key = keys
        .iter()
        .map(Borrow::borrow)
        .filter(|key: &&KeyMaterial| key.algorithm != JwtAlgorithm::HS256)
        .find(|key| key.kid == kid && jose_algorithm(key.algorithm) == header.alg)
        .ok_or(TokenError::Invalid)?;
    let mut validation = Validation::new(header.alg);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.leeway = 0;
    validation.set_issuer(&[rules.issuer]);
    match audience {
        Some(audience) => validation.set_audience(&[audience]),
        None => validation.validate_aud = false,
    }
    validation.required_spec_claims = ["exp", "iss", "aud", "sub", "iat"]
        .into_iter()
        .map(str::to_owned)
        .collect::<HashSet<_>>();
    jsonwebtoken::decode(token, &key.decoding, &validation)
        .map(|data| data.claims)
        .map_err(|_| TokenError::Invalid)
}

fn check_times(iat: i64, exp: i64, rules: OidcRules<'_>) -> Result<(), TokenError> {
    if iat > rules.now.timestamp().saturating_add(CLOCK_LEEWAY_SECONDS) {
        return Err(TokenError::Invalid);
    }
    if exp <= rules.now.timestamp() {
        return Err(TokenError::Expired);
    }
    Ok(())
}
