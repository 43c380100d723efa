//! The OpenID Connect key of a pool whose own tokens are HS256: OIDC signs only with asymmetric keys, so such a pool
//! gets a P-256 key of its own, kept sealed among the deployment's keys under the name `oidc:<pool id>`.

use chrono::{DateTime, Utc};
use denglu_crypto::{MasterKey, hash_secret};
use denglu_domain::{JwtAlgorithm, PoolId, ServerKey};
use jsonwebtoken::{DecodingKey, EncodingKey};
use p256::pkcs8::{DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use serde_json::Value;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::{KeyError, KeyMaterial};

/// The name of a pool's OIDC key among the deployment's keys.
pub fn oidc_key_name(pool: &PoolId) -> String {
    format!("oidc:{pool}")
}

/// A fresh P-256 OIDC key for `pool`, its private part sealed with `master`.
pub fn generate_oidc_key(pool: &PoolId, now: DateTime<Utc>, master: &MasterKey) -> ServerKey {
    let key = p256::SecretKey::random(&mut rand::thread_rng());
    let private = key
        .to_pkcs8_pem(LineEnding::LF)
        .expect("a fresh P-256 key always encodes as PKCS#8");
    let public = key
        .public_key()
        .to_public_key_pem(LineEnding::LF)
        .expect("a P-256 public key always encodes as SPKI");
    let name = oidc_key_name(pool);
    ServerKey {
        sealed: master.seal(&ServerKey::seal_context(&name), private.as_bytes()),
        name,
        public_pem: public,
        created_at: now,
    }
}

/// Opens a pool's OIDC key: the key, ready to sign and verify, and its public JWK for the pool's JWKS. Its `kid` is
/// derived from the public key, so every replica names it alike.
pub fn open_oidc_key(
    key: &ServerKey,
    master: &MasterKey,
) -> Result<(KeyMaterial, Value), KeyError> {
    let kid = format!(
        "oidc-{}",
        &URL_SAFE_NO_PAD.encode(hash_secret(&key.public_pem).as_bytes())[..16]
    );
    let corrupt = |reason: String| KeyError::Corrupt {
        kid: kid.clone(),
        reason,
    };
    let private = master
        .open(&ServerKey::seal_context(&key.name), &key.sealed)
        .map_err(|_| KeyError::Sealed { kid: kid.clone() })?;
    let public = p256::PublicKey::from_public_key_pem(&key.public_pem)
        .map_err(|e| corrupt(format!("public key: {e}")))?;
    let mut jwk: Value = serde_json::from_str(&public.to_jwk_string())
        .map_err(|e| corrupt(format!("public JWK: {e}")))?;
    if let Value::Object(fields) = &mut jwk {
        fields.insert("kid".to_owned(), kid.clone().into());
        fields.insert("alg".to_owned(), "ES256".into());
        fields.insert("use".to_owned(), "sig".into());
    }
    let material = KeyMaterial {
        encoding: EncodingKey::from_ec_pem(&private).map_err(|e| corrupt(e.to_string()))?,
        decoding: DecodingKey::from_ec_pem(key.public_pem.as_bytes())
            .map_err(|e| corrupt(e.to_string()))?,
        kid,
        algorithm: JwtAlgorithm::ES256,
        shared_secret: None,
    };
    Ok((material, jwk))
}
