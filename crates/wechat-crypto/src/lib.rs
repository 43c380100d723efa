//! WeChat open-data cryptography: decrypting `encryptedData`, checking `rawData` signatures and login-state HMACs.
//!
//! A mini program's server gets a `session_key` (24 characters of base64 for 16 bytes) from
//! `code2Session` and uses it in three algorithms:
//!
//! 1. **`encryptedData`** (getUserInfo, legacy getPhoneNumber): AES-128-CBC with key
//!    `base64decode(session_key)` and iv `base64decode(iv)`, PKCS#7 padding, standard base64. The
//!    plaintext is a compact JSON object whose `watermark {timestamp, appid}` must name your appid.
//!    [`decrypt`] does all of this (padding is checked strictly) and [`WatermarkCheck`] says what the
//!    watermark must satisfy; [`decrypt_phone`] and [`decrypt_user`] also read the object as
//!    [`PhoneInfo`] or [`UserData`]; [`encrypt`] does what WeChat does, for simulators.
//! 2. **`rawData` signature**: `hex(sha1(rawData + session_key))`, where the session_key is appended
//!    as its base64 text: [`raw_data_signature`], [`verify_raw_data_signature`].
//! 3. **Login-state signature** (`checkSessionKey`, `ResetUserSessionKey`):
//!    `hex(hmac_sha256(key = session_key text, message = request body))`, with an empty body for GET:
//!    [`login_state_signature`], [`verify_login_state_signature`].
//!
//! Verification hex-decodes the given signature (either case) and compares it in constant time.
//!
//! # Error codes
//!
//! [`OpenDataError::code`] gives the number WeChat's official sample code uses:
//!
//! | Code   | Sample name         | Variants |
//! |--------|---------------------|----------|
//! | -41001 | `IllegalAesKey`     | [`OpenDataError::IllegalAesKey`] |
//! | -41002 | `IllegalIv`         | [`OpenDataError::IllegalIv`] |
//! | -41003 | `IllegalBuffer`     | `CiphertextLength`, `Padding`, `NotUtf8`, `NotJson`, `MissingWatermark`, `WatermarkMismatch`, `Stale` |
//! | -41004 | `DecodeBase64Error` | [`OpenDataError::DecodeBase64`] |
//!
//! The precise kinds are for logs and debugging. Do not return them to an untrusted client: telling
//! padding errors apart from others would make the server a padding oracle.
//!
//! No function panics on any input.

mod cipher;
mod error;
mod open_data;
mod payloads;
mod signature;
mod watermark;

pub use error::{OpenDataError, SignatureError};
pub use open_data::{decrypt, decrypt_phone, decrypt_user, encrypt};
pub use payloads::{PhoneInfo, UserData, Watermark};
pub use signature::{
    login_state_signature, raw_data_signature, verify_login_state_signature,
    verify_raw_data_signature,
};
pub use watermark::{MAX_FUTURE_SKEW_SECS, WatermarkCheck};
