//! The deployment's login key: an RSA key whose public half the SDKs use to encrypt passwords (PKCS#1 v1.5, as
//! Authing's SDKs do) before `login`, and whose private half only the server holds.

use base64::{Engine, engine::general_purpose::STANDARD};
use rsa::{
    Pkcs1v15Encrypt, RsaPrivateKey, RsaPublicKey,
    pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding},
};

/// Size of new login keys, in bits.
const BITS: usize = 2048;

/// Why a login key could not be made, read or used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LoginKeyError {
    /// The stored private key does not parse.
    #[error("the stored login key is unreadable")]
    Corrupt,
    /// The key could not be generated or encoded.
    #[error("cannot make a login key: {0}")]
    Generate(String),
    /// The ciphertext is not base64 of an RSA block made with this key.
    #[error("the password is not encrypted with this server's login key")]
    Undecryptable,
}

/// An RSA private key for password decryption.
pub struct LoginKey(RsaPrivateKey);

impl LoginKey {
    /// A new random key.
    pub fn generate() -> Result<Self, LoginKeyError> {
        RsaPrivateKey::new(&mut rand::thread_rng(), BITS)
            .map(Self)
            .map_err(|e| LoginKeyError::Generate(e.to_string()))
    }

    /// Reads a key stored by [`LoginKey::private_pem`].
    pub fn from_private_pem(pem: &str) -> Result<Self, LoginKeyError> {
        RsaPrivateKey::from_pkcs8_pem(pem)
            .map(Self)
            .map_err(|_| LoginKeyError::Corrupt)
    }

    /// The private key as PKCS#8 PEM, for sealed storage.
    pub fn private_pem(&self) -> Result<String, LoginKeyError> {
        self.0
            .to_pkcs8_pem(LineEnding::LF)
            .map(|pem| pem.to_string())
            .map_err(|e| LoginKeyError::Generate(e.to_string()))
    }

    /// The public key as SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`), what the SDKs are configured with.
    pub fn public_pem(&self) -> Result<String, LoginKeyError> {
        RsaPublicKey::from(&self.0)
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| LoginKeyError::Generate(e.to_string()))
    }

    /// Decrypts a password the SDK encrypted: standard base64 of a PKCS#1 v1.5 block. The text must be UTF-8.
    pub fn decrypt_password(&self, encrypted: &str) -> Result<String, LoginKeyError> {
        let block = STANDARD
            .decode(encrypted.trim())
            .map_err(|_| LoginKeyError::Undecryptable)?;
        let plain = self
            .0
            .decrypt(Pkcs1v15Encrypt, &block)
            .map_err(|_| LoginKeyError::Undecryptable)?;
        String::from_utf8(plain).map_err(|_| LoginKeyError::Undecryptable)
    }
}

impl std::fmt::Debug for LoginKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoginKey([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use rsa::{RsaPublicKey, pkcs8::DecodePublicKey};

    use super::*;

    #[test]
    fn a_password_encrypted_with_the_public_pem_decrypts_and_garbage_does_not() {
        let key = LoginKey::generate().expect("key");
        let public =
            RsaPublicKey::from_public_key_pem(&key.public_pem().expect("pem")).expect("parses");
        let block = public
            .encrypt(
                &mut rand::thread_rng(),
                Pkcs1v15Encrypt,
                "correct horse 密码".as_bytes(),
            )
            .expect("encrypt");
        assert_eq!(
            key.decrypt_password(&STANDARD.encode(block)),
            Ok("correct horse 密码".to_owned())
        );
        assert_eq!(
            key.decrypt_password("not base64!"),
            Err(LoginKeyError::Undecryptable)
        );
        assert_eq!(
            key.decrypt_password(&STANDARD.encode([7u8; 256])),
            Err(LoginKeyError::Undecryptable)
        );
        let again =
            LoginKey::from_private_pem(&key.private_pem().expect("pem")).expect("reads back");
        assert_eq!(again.public_pem(), key.public_pem());
        assert_eq!(
            LoginKey::from_private_pem("junk").err(),
            Some(LoginKeyError::Corrupt)
        );
    }
}
