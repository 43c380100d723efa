//! AES-128-CBC with strict PKCS#7 padding over base64 inputs, as WeChat's open data uses it.

use aes::Aes128;
use base64::{Engine, engine::general_purpose::STANDARD};
use cbc::cipher::{
    BlockDecryptMut, BlockEncryptMut, KeyIvInit,
    block_padding::{NoPadding, Pkcs7},
};

use crate::OpenDataError;

/// The AES block size, which is also the size of the key and the iv.
const BLOCK: usize = 16;
/// The length of standard base64 for 16 bytes (`22` digits and `==`).
const ENCODED_BLOCK_LEN: usize = 24;

/// Decodes a session_key or iv: exactly 24 characters of standard base64 encoding 16 bytes.
fn decode_block(text: &str) -> Option<[u8; BLOCK]> {
    if text.len() != ENCODED_BLOCK_LEN {
        return None;
    }
    STANDARD.decode(text).ok()?.try_into().ok()
}

/// The decoded AES key and iv.
pub(crate) struct KeyIv {
    key: [u8; BLOCK],
    iv: [u8; BLOCK],
}

impl KeyIv {
    /// Checks and decodes the key first (`IllegalAesKey`), then the iv (`IllegalIv`).
    pub(crate) fn decode(session_key: &str, iv: &str) -> Result<Self, OpenDataError> {
        let key = decode_block(session_key).ok_or(OpenDataError::IllegalAesKey)?;
        let iv = decode_block(iv).ok_or(OpenDataError::IllegalIv)?;
        Ok(Self { key, iv })
    }

    /// Decodes base64 `encryptedData`, decrypts it and strictly removes the PKCS#7 padding.
    pub(crate) fn decrypt(&self, encrypted_data: &str) -> Result<Vec<u8>, OpenDataError> {
        let ciphertext = STANDARD
            .decode(encrypted_data)
            .map_err(|_| OpenDataError::DecodeBase64)?;
        if ciphertext.is_empty() || ciphertext.len() % BLOCK != 0 {
            return Err(OpenDataError::CiphertextLength);
        }
        let mut padded = cbc::Decryptor::<Aes128>::new(&self.key.into(), &self.iv.into())
            .decrypt_padded_vec_mut::<NoPadding>(&ciphertext)
            .map_err(|_| OpenDataError::CiphertextLength)?;
        let plaintext_len = unpadded_len(&padded).ok_or(OpenDataError::Padding)?;
        padded.truncate(plaintext_len);
        Ok(padded)
    }

    /// Pads with PKCS#7, encrypts and encodes as standard base64.
    pub(crate) fn encrypt(&self, plaintext: &[u8]) -> String {
        let ciphertext = cbc::Encryptor::<Aes128>::new(&self.key.into(), &self.iv.into())
            .encrypt_padded_vec_mut::<Pkcs7>(plaintext);
        STANDARD.encode(ciphertext)
    }
}

/// The length of the data before its PKCS#7 padding: the last byte `n` must be in `1..=16` and the
/// last `n` bytes must all equal `n`.
fn unpadded_len(padded: &[u8]) -> Option<usize> {
    let &last = padded.last()?;
    let n = usize::from(last);
    if n == 0 || n > BLOCK {
        return None;
    }
    let data_len = padded.len().checked_sub(n)?;
    let padding = padded.get(data_len..)?;
    padding.iter().all(|&b| b == last).then_some(data_len)
}

#[cfg(test)]
mod tests {
    use super::unpadded_len;

    #[test]
    fn padding_is_checked_strictly() {
        assert_eq!(unpadded_len(b"abc\x01"), Some(3));
        assert_eq!(unpadded_len(&[16; 16]), Some(0));
        assert_eq!(unpadded_len(b"ab\x02\x02"), Some(2));
        assert_eq!(
            unpadded_len(b"ab\x01\x02"),
            None,
            "every padding byte must equal n"
        );
        assert_eq!(unpadded_len(b"abc\x00"), None, "n = 0 is not padding");
        assert_eq!(unpadded_len(&[17; 32]), None, "n > 16 is not padding");
        assert_eq!(unpadded_len(b"\x05\x05"), None, "n longer than the data");
        assert_eq!(unpadded_len(b""), None);
    }
}
