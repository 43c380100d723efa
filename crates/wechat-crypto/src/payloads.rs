//! The typed payloads inside `encryptedData`: phone numbers, user profiles and their watermark.
//!
//! Field order follows WeChat's plaintext, so serializing a payload with `serde_json::to_string`
//! gives the same compact JSON WeChat encrypts.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, de};

/// Which app the data was issued to, and when (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watermark {
    /// When WeChat produced the data (unix seconds).
    pub timestamp: i64,
    /// The appid of the mini program the data was issued to.
    pub appid: String,
}

/// A phone number as WeChat reports it: the legacy getPhoneNumber plaintext, and `phone_info` of
/// `getuserphonenumber`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneInfo {
    /// The number with its country prefix for numbers outside mainland China (`+85261234567`).
    pub phone_number: String,
    /// The number without any country prefix.
    pub pure_phone_number: String,
    /// The country calling code, such as `86`. Read from a JSON string or number, written as a string.
    #[serde(deserialize_with = "string_or_integer")]
    pub country_code: String,
    /// Which app the number was shared with, and when.
    pub watermark: Watermark,
}

/// The user profile inside getUserInfo's `encryptedData`.
///
/// Since 2021 the profile fields are anonymised ("微信用户", gray avatar, gender 0, empty region), and
/// they may be missing: they default to empty. `openId` and the watermark are always required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserData {
    /// The user's openid for this mini program.
    pub open_id: String,
    /// Nickname ("微信用户" when anonymised).
    #[serde(default)]
    pub nick_name: String,
    /// 0 unknown, 1 male, 2 female.
    #[serde(default)]
    pub gender: u8,
    /// Language of the WeChat client, such as `zh_CN`; often empty.
    #[serde(default)]
    pub language: String,
    /// City; often empty.
    #[serde(default)]
    pub city: String,
    /// Province; often empty.
    #[serde(default)]
    pub province: String,
    /// Country; often empty.
    #[serde(default)]
    pub country: String,
    /// Avatar URL.
    #[serde(default)]
    pub avatar_url: String,
    /// The unionid, present when the app is bound to an Open Platform account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_id: Option<String>,
    /// Which app the profile was issued to, and when.
    pub watermark: Watermark,
}

/// Reads a JSON string, or a non-negative JSON integer written out in decimal.
fn string_or_integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    deserializer.deserialize_any(StringOrInteger)
}

/// The visitor behind [`string_or_integer`].
struct StringOrInteger;

impl de::Visitor<'_> for StringOrInteger {
    type Value = String;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string or a non-negative integer")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
        Ok(value.to_owned())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }
}
