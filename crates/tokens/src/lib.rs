//! User tokens: the documented Authing JWT payload, signed per pool (HS256, RS256 or ES256), verified strictly; and
//! the OpenID Connect provider's ID and access tokens.

mod claims;
mod keys;
mod oidc;
mod verify;

pub use claims::{ClaimsData, UserClaims};
pub use keys::{KeyError, KeyMaterial, generate_signing_key, jwks};
pub use oidc::{
    AccessClaims, IdClaims, OidcRules, OidcTokenKind, access_token_hash, generate_oidc_key,
    oidc_key_name, open_oidc_key, verify_access_token, verify_id_token_hint,
};
pub use verify::{CLOCK_LEEWAY_SECONDS, TokenError, VerifyRules, peek_pool_id, verify};
