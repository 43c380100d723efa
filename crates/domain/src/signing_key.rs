//! A pool's token signing key as stored: the private part sealed with the master key, the public part as a JWK.

use chrono::{DateTime, Utc};

use crate::{JwtAlgorithm, PoolId, Sealed};

/// One signing key of a pool. A pool signs with its newest key of its algorithm and accepts all of its keys of
/// that algorithm, so keys can be rotated with overlap.
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
}

impl SigningKey {
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
