//! OpenID Connect tokens: ID tokens and RFC 9068 access tokens, signed with a pool's
//! asymmetric key; and their verification, each kind only where it belongs (told apart by the header's `typ`).

mod claims;
mod server_key;
mod verify;

pub use claims::{AccessClaims, IdClaims, access_token_hash};
pub use server_key::{generate_oidc_key, oidc_key_name, open_oidc_key};
pub use verify::{OidcRules, verify_access_token, verify_id_token_hint};

/// The kinds of OpenID Connect token denglu signs, by their header's `typ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OidcTokenKind {
    /// An ID token (`JWT`).
    Id,
    /// An access token in RFC 9068's profile (`at+jwt`).
    Access,
}

impl OidcTokenKind {
    /// The header's `typ`.
    pub fn typ(self) -> &'static str {
        match self {
            Self::Id => "JWT",
            Self::Access => "at+jwt",
        }
    }
}

#[cfg(test)]
mod tests;
