//! Scene values of mini program codes: what is allowed, and how a page receives them.

/// Longest scene, in bytes.
const MAX_SCENE_LEN: usize = 32;

/// Why a scene is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SceneProblem {
    /// Empty or longer than 32 bytes (`40169`).
    Length,
    /// A character outside `[0-9A-Za-z!#$&'()*+,/:;=?@._~-]` (`40129`).
    Charset,
}

/// Checks a scene against getwxacodeunlimit's rules.
pub(crate) fn validate(scene: &str) -> Result<(), SceneProblem> {
    if scene.is_empty() || scene.len() > MAX_SCENE_LEN {
        Err(SceneProblem::Length)
    } else if !scene
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"!#$&'()*+,/:;=?@._~-".contains(&b))
    {
        Err(SceneProblem::Charset)
    } else {
        Ok(())
    }
}

/// JavaScript's `encodeURIComponent`: how `options.scene` reaches `Page.onLoad`.
pub(crate) fn encode_uri_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_javascript() {
        assert_eq!(encode_uri_component("a=1&b=2"), "a%3D1%26b%3D2");
        assert_eq!(encode_uri_component("k=v/w?x@y"), "k%3Dv%2Fw%3Fx%40y");
        assert_eq!(encode_uri_component("t=Ab3_x-9.Q"), "t%3DAb3_x-9.Q");
        assert_eq!(encode_uri_component("中"), "%E4%B8%AD");
    }

    #[test]
    fn validates_length_before_charset() {
        assert_eq!(validate(""), Err(SceneProblem::Length));
        assert_eq!(validate(&"x".repeat(33)), Err(SceneProblem::Length));
        assert_eq!(validate("a b"), Err(SceneProblem::Charset));
        assert_eq!(validate("uid:42;n=7"), Ok(()));
    }
}
