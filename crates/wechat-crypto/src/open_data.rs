//! Decrypting and checking `encryptedData`, and encrypting it the way WeChat does.

use serde::{Deserialize, de::DeserializeOwned};
use serde_json::{Map, Value};

use crate::{OpenDataError, PhoneInfo, UserData, Watermark, WatermarkCheck, cipher::KeyIv};

/// Decrypts `encryptedData` with the session_key and iv, and checks its watermark against `check`.
///
/// Returns the decrypted JSON object, watermark included. The checks run in this order: session_key,
/// iv, base64 of the data, ciphertext length, padding, UTF-8, JSON object, watermark, appid, freshness.
pub fn decrypt(
    session_key: &str,
    iv: &str,
    encrypted_data: &str,
    check: &WatermarkCheck<'_>,
) -> Result<Map<String, Value>, OpenDataError> {
    let plaintext = KeyIv::decode(session_key, iv)?.decrypt(encrypted_data)?;
    let text = std::str::from_utf8(&plaintext).map_err(|_| OpenDataError::NotUtf8)?;
    let object: Map<String, Value> =
        serde_json::from_str(text).map_err(|_| OpenDataError::NotJson)?;
    let watermark = object
        .get("watermark")
        .and_then(|value| Watermark::deserialize(value).ok())
        .ok_or(OpenDataError::MissingWatermark)?;
    check.verify(&watermark)?;
    Ok(object)
}

/// Decrypts and checks a legacy getPhoneNumber `encryptedData` (see [`decrypt`]).
///
/// A checked object without the phone fields gives [`OpenDataError::NotJson`].
pub fn decrypt_phone(
    session_key: &str,
    iv: &str,
    encrypted_data: &str,
    check: &WatermarkCheck<'_>,
) -> Result<PhoneInfo, OpenDataError> {
    decrypt_as(session_key, iv, encrypted_data, check)
}

/// Decrypts and checks a getUserInfo `encryptedData` (see [`decrypt`]).
///
/// A checked object without a string `openId` gives [`OpenDataError::NotJson`].
pub fn decrypt_user(
    session_key: &str,
    iv: &str,
    encrypted_data: &str,
    check: &WatermarkCheck<'_>,
) -> Result<UserData, OpenDataError> {
    decrypt_as(session_key, iv, encrypted_data, check)
}

/// Encrypts a plaintext the way WeChat does: AES-128-CBC with PKCS#7 padding, base64 encoded.
///
/// Only the session_key (`IllegalAesKey`) and the iv (`IllegalIv`) can be rejected.
pub fn encrypt(session_key: &str, iv: &str, plaintext: &[u8]) -> Result<String, OpenDataError> {
    Ok(KeyIv::decode(session_key, iv)?.encrypt(plaintext))
}

/// [`decrypt`], then reads the object as `T`.
fn decrypt_as<T: DeserializeOwned>(
    session_key: &str,
    iv: &str,
    encrypted_data: &str,
    check: &WatermarkCheck<'_>,
) -> Result<T, OpenDataError> {
    let object = decrypt(session_key, iv, encrypted_data, check)?;
    serde_json::from_value(Value::Object(object)).map_err(|_| OpenDataError::NotJson)
}
