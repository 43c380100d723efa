//! The deployment's master key and AES-256-GCM sealing of the secrets that must stay readable.

use std::fmt;

use aes_gcm::{
    Aes256Gcm, KeyInit, Nonce,
    aead::{Aead, Payload},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use denglu_domain::Sealed;
use rand::RngCore;

const NONCE_LEN: usize = 12;

/// Why a master key or a sealed value could not be used.
#[derive(Debug, thiserror::Error)]
pub enum MasterKeyError {
    /// The configured key is not 32 bytes of base64.
    #[error("the master key must be 32 random bytes in base64 (make one with `denglu keygen`)")]
    Malformed,
    /// A sealed value was made with another key, was altered, or was moved to another record.
    #[error("a sealed secret could not be opened: wrong master key or altered data")]
    CannotOpen,
}

/// The 256-bit key that seals JWT secrets, private keys and WeChat AppSecrets at rest. Never printed.
#[derive(Clone)]
pub struct MasterKey {
    cipher: Aes256Gcm,
}

impl MasterKey {
    /// Parses 32 bytes given in standard base64 (surrounding whitespace is ignored).
    pub fn from_base64(encoded: &str) -> Result<Self, MasterKeyError> {
        let bytes = STANDARD
            .decode(encoded.trim())
            .map_err(|_| MasterKeyError::Malformed)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| MasterKeyError::Malformed)?;
        Ok(Self {
            cipher: Aes256Gcm::new(&key.into()),
        })
    }

    /// A new random key, in the base64 form [`MasterKey::from_base64`] reads.
    pub fn generate_base64() -> String {
        let mut key = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        STANDARD.encode(key)
    }

    /// Encrypts `plaintext`, bound to `context` (e.g. `"signing-key:<kid>"`) so it cannot be moved to another record.
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Sealed {
        let mut nonce = [0u8; NONCE_LEN];
        rand::thread_rng().fill_bytes(&mut nonce);
        let payload = Payload {
            msg: plaintext,
            aad: context.as_bytes(),
        };
        let ciphertext = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), payload)
            .expect("AES-GCM encryption cannot fail for inputs far below its 64 GiB limit");
        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&ciphertext);
        Sealed::from_bytes(sealed)
    }

    /// Decrypts what [`MasterKey::seal`] made with the same `context`.
    pub fn open(&self, context: &str, sealed: &Sealed) -> Result<Vec<u8>, MasterKeyError> {
        let bytes = sealed.as_bytes();
        if bytes.len() < NONCE_LEN {
            return Err(MasterKeyError::CannotOpen);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let payload = Payload {
            msg: ciphertext,
            aad: context.as_bytes(),
        };
        self.cipher
            .decrypt(Nonce::from_slice(nonce), payload)
            .map_err(|_| MasterKeyError::CannotOpen)
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> MasterKey {
        MasterKey::from_base64(&MasterKey::generate_base64()).expect("generated keys parse")
    }

    #[test]
    fn sealed_values_open_with_the_same_key_and_context_only() {
        let key = key();
        let sealed = key.seal("pool:1", b"top secret");
        assert_ne!(sealed.as_bytes(), b"top secret");
        assert_eq!(
            key.open("pool:1", &sealed).expect("same key"),
            b"top secret"
        );
        assert!(matches!(
            key.open("pool:2", &sealed),
            Err(MasterKeyError::CannotOpen)
        ));
        assert!(matches!(
            super::tests::key().open("pool:1", &sealed),
            Err(MasterKeyError::CannotOpen)
        ));
        assert!(matches!(
            key.open("pool:1", &Sealed::from_bytes(vec![1, 2])),
            Err(MasterKeyError::CannotOpen)
        ));
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64_and_never_print() {
        assert!(MasterKey::from_base64("c2hvcnQ=").is_err());
        assert!(MasterKey::from_base64("not base64!").is_err());
        assert_eq!(format!("{:?}", key()), "MasterKey([redacted])");
    }
}
