//! Reading a JSON request body, for every surface: what went wrong names the field and the fault in words a client
//! understands (never a Rust type), and each surface puts that into its own error shape.

use axum::{extract::rejection::BytesRejection, http::StatusCode};
use serde::de::DeserializeOwned;
use serde_json::error::Category;

/// Why a body could not be read as the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodyFault {
    /// Larger than `http.max_body_bytes` (1003).
    TooLarge,
    /// Not JSON at all, or not readable (1002).
    NotJson,
    /// JSON, but a field is missing, unknown, of the wrong type or breaks a limit (1002); says which.
    Invalid(String),
}

impl BodyFault {
    /// The fault of a body that could not be buffered.
    pub(crate) fn of_rejection(rejection: &BytesRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::TooLarge
        } else {
            Self::NotJson
        }
    }

    /// What to tell the client (the 1003 message is the code's own, so it has none).
    pub(crate) fn message(&self) -> Option<String> {
        match self {
            Self::TooLarge => None,
            Self::NotJson => Some("the body is not valid JSON".to_owned()),
            Self::Invalid(why) => Some(format!("invalid request body: {why}")),
        }
    }
}

/// Decodes `bytes` as one JSON object of type `T` (every request body is an object; serde would also read a
/// struct from an array of its fields in order, which no client means).
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, BodyFault> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(BodyFault::Invalid(
            "the body must be a JSON object".to_owned(),
        ));
    }
    let mut json = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut json).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        match inner.classify() {
            Category::Data => BodyFault::Invalid(describe(&path, &inner)),
            Category::Syntax | Category::Eof | Category::Io => BodyFault::NotJson,
        }
    })?;
    json.end().map_err(|_| BodyFault::NotJson)?;
    Ok(value)
}

/// `` `field`: what is wrong ``, without serde's position and with "an object" for a Rust type's name.
fn describe(path: &str, error: &serde_json::Error) -> String {
    let text = error.to_string();
    let text = text
        .rfind(" at line ")
        .map_or(text.as_str(), |at| &text[..at]);
    if let Some(at) = text.find("expected struct ") {
        if path == "." {
            return "the body must be a JSON object".to_owned();
        }
        return format!("`{path}`: {}expected an object", &text[..at]);
    }
    if path == "." {
        text.to_owned()
    } else {
        format!("`{path}`: {text}")
    }
}

/// For `#[serde(default, deserialize_with = "crate::http::present")]` on an `Option<Option<T>>` field: tells a field
/// given as `null` (`Some(None)`) from an absent one (`None`).
pub(crate) fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::{BodyFault, decode};
    use crate::http::Text;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        code: Text<8>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Request {
        name: String,
        inner: Option<Inner>,
    }

    fn fault(body: &str) -> BodyFault {
        decode::<Request>(body.as_bytes()).expect_err("refused")
    }

    fn invalid(body: &str) -> String {
        match fault(body) {
            BodyFault::Invalid(why) => why,
            other => panic!("{body}: {other:?}"),
        }
    }

    #[test]
    fn syntax_errors_and_trailing_garbage_are_not_json() {
        for body in ["{\"name\": ", "{nope", "{\"name\":\"a\"} x", " {"] {
            assert_eq!(fault(body), BodyFault::NotJson, "{body}");
        }
    }

    #[test]
    fn a_wrong_type_names_the_field_and_no_rust_type() {
        let why = invalid(r#"{"name": 5}"#);
        assert_eq!(why, "`name`: invalid type: integer `5`, expected a string");
        let nested = invalid(r#"{"name": "a", "inner": {"code": 5}}"#);
        assert!(nested.starts_with("`inner.code`: invalid type"), "{nested}");
    }

    #[test]
    fn a_body_or_field_that_is_not_an_object_says_so_without_the_struct_name() {
        for body in ["[1, 2]", r#"["a", null]"#, "5", "\"text\"", "nope", ""] {
            assert_eq!(invalid(body), "the body must be a JSON object", "{body}");
        }
        let why = invalid(r#"{"name": "a", "inner": "x"}"#);
        assert_eq!(
            why,
            "`inner`: invalid type: string \"x\", expected an object"
        );
        assert!(!why.contains("Inner"));
    }

    #[test]
    fn missing_and_unknown_fields_are_named() {
        assert!(invalid("{}").contains("missing field `name`"));
        assert!(invalid(r#"{"name": "a", "admin": true}"#).contains("unknown field `admin`"));
    }

    #[test]
    fn a_limited_text_field_names_its_limit() {
        let why = invalid(r#"{"name": "a", "inner": {"code": "123456789"}}"#);
        assert_eq!(why, "`inner.code`: at most 8 characters");
        let nul = invalid(r#"{"name": "a", "inner": {"code": "a\u0000b"}}"#);
        assert_eq!(nul, "`inner.code`: contains a NUL character");
    }

    #[test]
    fn a_good_body_decodes() {
        let request = decode::<Request>(br#" {"name": "a", "inner": {"code": "x"}} "#).expect("ok");
        assert_eq!(request.name, "a");
        assert_eq!(
            request.inner.map(|i| i.code.into_inner()),
            Some("x".to_owned())
        );
    }
}
