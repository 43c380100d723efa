//! Making, opening and publishing a pool's signing keys.

use chrono::{DateTime, Utc};
use denglu_crypto::{MasterKey, random_token};
use denglu_domain::{JwtAlgorithm, PoolId, SigningKey};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, jwk::Jwk};
use p256::pkcs8::{EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::UserClaims;

/// A stored key that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The sealed secret does not open with this master key.
    #[error("signing key {kid} cannot be opened with this master key")]
    Sealed {
        /// The key id.
        kid: String,
    },
    /// The opened material is not a valid key for its algorithm.
    #[error("signing key {kid} is corrupt: {reason}")]
    Corrupt {
        /// The key id.
        kid: String,
        /// What is wrong.
        reason: String,
    },
}

/// A fresh key for `algorithm` in `pool_id`, its secret part sealed with `master`.
///
/// HS256 keys are a 43-character random string (what Authing-era backends pass to `jwt.verify`); RS256 keys are
/// 2048-bit RSA; ES256 keys are P-256.
pub fn generate_signing_key(
    pool_id: PoolId,
    algorithm: JwtAlgorithm,
    now: DateTime<Utc>,
    master: &MasterKey,
) -> SigningKey {
    let kid = random_token(12);
    let mut rng = rand::thread_rng();
    let (secret, public_jwk) = match algorithm {
        JwtAlgorithm::HS256 => (random_token(32).into_bytes(), None),
        JwtAlgorithm::ES256 => {
            let key = p256::SecretKey::random(&mut rng);
            let pem = key
                .to_pkcs8_pem(LineEnding::LF)
                .expect("a fresh P-256 key always encodes as PKCS#8");
            let jwk: Value = serde_json::from_str(&key.public_key().to_jwk_string())
                .expect("p256 writes its JWK as a JSON object");
            (
                pem.as_bytes().to_vec(),
                Some(with_key_params(jwk, &kid, algorithm)),
            )
        }
        JwtAlgorithm::RS256 => {
            let key = rsa::RsaPrivateKey::new(&mut rng, 2048)
                .expect("2048-bit RSA key generation succeeds");
            let pem = key
                .to_pkcs8_pem(LineEnding::LF)
                .expect("a fresh RSA key always encodes as PKCS#8");
            let jwk = json!({
                "kty": "RSA",
                "n": URL_SAFE_NO_PAD.encode(key.n().to_bytes_be()),
                "e": URL_SAFE_NO_PAD.encode(key.e().to_bytes_be()),
            });
            (
                pem.as_bytes().to_vec(),
                Some(with_key_params(jwk, &kid, algorithm)),
            )
        }
    };
    SigningKey {
        secret: master.seal(&SigningKey::seal_context(&kid), &secret),
        kid,
        pool_id,
        algorithm,
        public_jwk: public_jwk.map(|jwk| jwk.to_string()),
        created_at: now,
        retired_at: None,
    }
}

fn with_key_params(mut jwk: Value, kid: &str, algorithm: JwtAlgorithm) -> Value {
    if let Value::Object(fields) = &mut jwk {
        fields.insert("kid".to_owned(), kid.into());
        fields.insert("alg".to_owned(), algorithm.as_str().into());
        fields.insert("use".to_owned(), "sig".into());
    }
    jwk
}

/// The JWKS document (`{"keys": [...]}`) of a pool's public keys; HS256 keys and retired keys are never published.
pub fn jwks(keys: &[SigningKey]) -> Value {
    let published: Vec<Value> = keys
        .iter()
        .filter(|key| key.retired_at.is_none())
        .filter_map(|key| key.public_jwk.as_deref())
        .filter_map(|jwk| serde_json::from_str(jwk).ok())
        .collect();
    json!({ "keys": published })
}

/// A signing key opened for use.
pub struct KeyMaterial {
    /// The key id.
    pub kid: String,
    /// The key's algorithm.
    pub algorithm: JwtAlgorithm,
    /// For HS256, the JWT secret; `None` for asymmetric keys.
    pub shared_secret: Option<String>,
    pub(crate) encoding: EncodingKey,
    pub(crate) decoding: DecodingKey,
}

impl KeyMaterial {
    /// Opens a stored key with the master key.
    pub fn open(key: &SigningKey, master: &MasterKey) -> Result<Self, KeyError> {
        let kid = key.kid.clone();
        let corrupt = |reason: String| KeyError::Corrupt {
            kid: key.kid.clone(),
            reason,
        };
        let secret = master
            .open(&SigningKey::seal_context(&key.kid), &key.secret)
            .map_err(|_| KeyError::Sealed {
                kid: key.kid.clone(),
            })?;
        let public = || -> Result<DecodingKey, KeyError> {
            let jwk: Jwk = serde_json::from_str(key.public_jwk.as_deref().unwrap_or_default())
                .map_err(|e| corrupt(format!("public JWK: {e}")))?;
            DecodingKey::from_jwk(&jwk).map_err(|e| corrupt(format!("public JWK: {e}")))
        };
        let (encoding, decoding, shared_secret) = match key.algorithm {
            JwtAlgorithm::HS256 => {
                let text = String::from_utf8(secret)
                    .map_err(|_| corrupt("JWT secret is not UTF-8".to_owned()))?;
                (
                    EncodingKey::from_secret(text.as_bytes()),
                    DecodingKey::from_secret(text.as_bytes()),
                    Some(text),
                )
            }
            JwtAlgorithm::ES256 => (
                EncodingKey::from_ec_pem(&secret).map_err(|e| corrupt(e.to_string()))?,
                public()?,
                None,
            ),
            JwtAlgorithm::RS256 => (
                EncodingKey::from_rsa_pem(&secret).map_err(|e| corrupt(e.to_string()))?,
                public()?,
                None,
            ),
        };
        Ok(Self {
            kid,
            algorithm: key.algorithm,
            shared_secret,
            encoding,
            decoding,
        })
    }

    /// Signs `claims` into a compact JWT whose header names this key.
    pub fn sign(&self, claims: &UserClaims) -> String {
        self.sign_as(crate::OidcTokenKind::Id, claims)
    }

    /// Signs `claims` into a compact JWT of this `kind` (its header's `typ`) whose header names this key.
    pub fn sign_as(&self, kind: crate::OidcTokenKind, claims: &impl serde::Serialize) -> String {
        let mut header = Header::new(jose_algorithm(self.algorithm));
        header.kid = Some(self.kid.clone());
        header.typ = Some(kind.typ().to_owned());
        jsonwebtoken::encode(&header, claims, &self.encoding)
            .expect("signing serialisable claims with an opened key cannot fail")
    }
}

pub(crate) fn jose_algorithm(algorithm: JwtAlgorithm) -> Algorithm {
    match algorithm {
        JwtAlgorithm::HS256 => Algorithm::HS256,
        JwtAlgorithm::RS256 => Algorithm::RS256,
        JwtAlgorithm::ES256 => Algorithm::ES256,
    }
}
