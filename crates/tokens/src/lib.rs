//! User tokens: the documented Authing JWT payload, signed per pool (HS256, RS256 or ES256), verified strictly.

mod claims;
mod keys;
mod verify;

pub use claims::{ClaimsData, UserClaims};
pub use keys::{KeyError, KeyMaterial, generate_signing_key, jwks};
pub use verify::{CLOCK_LEEWAY_SECONDS, TokenError, VerifyRules, peek_pool_id, verify};
