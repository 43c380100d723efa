//! A pool's token signing key as stored: the private part sealed with the master key, the public part as a JWK.

use chrono::{DateTime, Utc};

use crate::{JwtAlgorithm, PoolId, Sealed};

/// One signing key of a pool. A pool signs with its newest key (the active one) and accepts every key of it that
/// is not retired, so keys are rotated with overlap: a new key signs, the previous ones still verify until they
/// are retired. The active key is never retired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKey {
    /// Key id (`kid` in token headers and the JWKS).
    pub kid: String,
    /// The owning pool.
    pub pool_id: PoolId,
    /// The algorithm this key serves.
    pub algorithm: JwtAlgorithm,
    /// HS256: the JWT secret's UTF-8 bytes; RS256/ES256: the PKCS#8 private key PEM. Sealed with context
    /// [`SigningKey::seal_context`].
    pub secret: Sealed,
    /// The public JWK as JSON, for asymmetric keys.
    pub public_jwk: Option<String>,
    /// When the key was made.
    pub created_at: DateTime<Utc>,
    /// When the key was retired (its tokens refused, no longer published); `None` while it verifies.
    pub retired_at: Option<DateTime<Utc>>,
}

/// Where a key stands in its pool's rotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningKeyState {
    /// The pool's newest key: it signs every new token.
    Active,
    /// An older key, not retired: the tokens it signed still verify, and the JWKS still lists it.
    Previous,
    /// A retired key: the tokens it signed are refused, and the JWKS no longer lists it.
    Retired,
}

impl SigningKeyState {
    /// `active`, `previous` or `retired`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Previous => "previous",
            Self::Retired => "retired",
        }
    }
}

impl std::fmt::Display for SigningKeyState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl SigningKey {
    /// This key's state, given whether it is its pool's newest key.
    pub fn state(&self, newest: bool) -> SigningKeyState {
        match (self.retired_at, newest) {
            (Some(_), _) => SigningKeyState::Retired,
            (None, true) => SigningKeyState::Active,
            (None, false) => SigningKeyState::Previous,
        }
    }

    /// The sealing context that binds a key's ciphertext to its id.
    pub fn seal_context(kid: &str) -> String {
        format!("signing-key:{kid}")
    }
}

/// A deployment-wide key (not a pool's), e.g. the login key the SDKs encrypt passwords with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerKey {
    /// What the key is for (`login`).
    pub name: String,
    /// The private part, sealed with context [`ServerKey::seal_context`].
    pub sealed: Sealed,
    /// The public part as PEM.
    pub public_pem: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

impl ServerKey {
    /// The sealing context that binds a server key's ciphertext to its name.
    pub fn seal_context(name: &str) -> String {
        format!("server-key:{name}")
    }
}
