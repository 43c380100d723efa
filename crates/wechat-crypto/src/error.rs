//! Why open data or a signature was rejected, with the error numbers of WeChat's official sample code.

/// Why open data (`encryptedData`) was rejected. `code()` gives the official sample's error number.
///
/// The messages never contain key material. They are meant for logs and debugging tools: do not hand
/// the precise kind back to an untrusted client, which could use it as a padding oracle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenDataError {
    /// The session_key is not 24 characters of standard base64 decoding to 16 bytes.
    #[error("session_key is not 24 characters of standard base64 encoding 16 bytes")]
    IllegalAesKey,
    /// The iv is not 24 characters of standard base64 decoding to 16 bytes.
    #[error("iv is not 24 characters of standard base64 encoding 16 bytes")]
    IllegalIv,
    /// `encryptedData` is not standard base64 (with padding).
    #[error(
        "encryptedData is not standard base64 (a '+' turned into a space by URL decoding is a common cause)"
    )]
    DecodeBase64,
    /// The ciphertext is empty or its length is not a multiple of the 16-byte AES block.
    #[error("ciphertext is empty or its length is not a multiple of 16 bytes")]
    CiphertextLength,
    /// The decrypted data does not end in valid PKCS#7 padding (usually a wrong session_key).
    #[error(
        "decrypted data has invalid PKCS#7 padding (wrong session_key or corrupted encryptedData)"
    )]
    Padding,
    /// The decrypted data is not UTF-8 (usually a wrong iv or session_key).
    #[error("decrypted data is not UTF-8 (wrong iv or session_key, or corrupted encryptedData)")]
    NotUtf8,
    /// The decrypted text is not a JSON object, or lacks the fields the requested payload type needs.
    #[error("decrypted data is not a JSON object of the expected shape")]
    NotJson,
    /// The decrypted object has no `watermark` object with a string `appid` and an integer `timestamp`.
    #[error("decrypted data has no watermark with an appid and an integer timestamp")]
    MissingWatermark,
    /// The watermark names another app: the data was not issued to this appid.
    #[error("watermark appid is {found:?}, expected {expected:?}")]
    WatermarkMismatch {
        /// The appid the caller expects.
        expected: String,
        /// The appid found in the watermark.
        found: String,
    },
    /// The watermark timestamp is older than the allowed age, or too far in the future.
    #[error("watermark timestamp {timestamp} is not fresh (now is {now})")]
    Stale {
        /// The watermark timestamp (unix seconds).
        timestamp: i64,
        /// The time it was checked against (unix seconds).
        now: i64,
    },
}

impl OpenDataError {
    /// The error number WeChat's official sample code (`errorCode.php`) gives this failure:
    /// -41001 IllegalAesKey, -41002 IllegalIv, -41003 IllegalBuffer, -41004 DecodeBase64Error.
    pub fn code(&self) -> i32 {
        match self {
            Self::IllegalAesKey => -41001,
            Self::IllegalIv => -41002,
            Self::DecodeBase64 => -41004,
            Self::CiphertextLength
            | Self::Padding
            | Self::NotUtf8
            | Self::NotJson
            | Self::MissingWatermark
            | Self::WatermarkMismatch { .. }
            | Self::Stale { .. } => -41003,
        }
    }
}

/// Why a `rawData` or login-state signature was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The signature is not hex of the digest's length (40 digits for SHA-1, 64 for HMAC-SHA256).
    #[error("signature is not a hex digest of the right length")]
    Malformed,
    /// The signature is well formed but does not match the data and session_key.
    #[error("signature does not match the data and session_key")]
    Mismatch,
}
