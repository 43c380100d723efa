//! A request string with a length limit and no NUL characters, checked while the body is read, so the error
//! names the field and nothing oversized reaches a service, the database or WeChat.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, de::Error as _};
use utoipa::{
    PartialSchema, ToSchema,
    openapi::{ObjectBuilder, RefOr, Schema, Type},
};

/// A WeChat code, a ticket, a secret, an `iv` or another short token: at most 256 characters.
pub(crate) type ShortText = Text<256>;

/// WeChat's `encryptedData` (a user profile or a phone record, base64): at most 16 KiB.
pub(crate) type EncryptedData = Text<16384>;

/// A string of at most `MAX` characters without U+0000.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Text<const MAX: usize>(String);

impl<const MAX: usize> Text<MAX> {
    /// The string.
    pub(crate) fn into_inner(self) -> String {
        self.0
    }

    /// The string, borrowed.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de, const MAX: usize> Deserialize<'de> for Text<MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text.chars().count() > MAX {
            return Err(D::Error::custom(format_args!("at most {MAX} characters")));
        }
        if text.contains('\0') {
            return Err(D::Error::custom("contains a NUL character"));
        }
        Ok(Self(text))
    }
}

impl<const MAX: usize> PartialSchema for Text<MAX> {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(MAX))
            .into()
    }
}

impl<const MAX: usize> ToSchema for Text<MAX> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("Text{MAX}"))
    }
}
