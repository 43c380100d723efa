//! WeChat's errors as one typed error, and the handful of kinds callers decide on.

/// A failed WeChat call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WechatError {
    /// WeChat answered with a non-zero `errcode`.
    #[error("WeChat error {errcode}: {errmsg}")]
    Api {
        /// WeChat's error number.
        errcode: i64,
        /// WeChat's message, rid included.
        errmsg: String,
    },
    /// WeChat could not be reached (DNS, connection, TLS).
    #[error("WeChat could not be reached: {0}")]
    Unreachable(String),
    /// WeChat did not answer within the configured timeout.
    #[error("WeChat did not answer in time")]
    Timeout,
    /// WeChat answered with something that is neither a result nor an error.
    #[error("unexpected answer from WeChat: {0}")]
    Protocol(String),
}

/// What a WeChat error means for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The login or phone code is unknown, expired or for another app (40029): get a new one.
    InvalidCode,
    /// The code was already exchanged (40163): get a new one.
    CodeUsed,
    /// WeChat refuses to log this user in (40226, high-risk user).
    UserBlocked,
    /// A quota was reached (45009 daily, 45011 per minute): slow down.
    RateLimited,
    /// The AppID, AppSecret or caller IP is wrong (40002, 40013, 40125, 40164, 40243, 41002, 41004): an operator
    /// must fix the app's configuration.
    BadCredentials,
    /// The access token was rejected (40001, 40014, 41001, 42001) even after a refresh.
    TokenRejected,
    /// The request was refused as malformed (scene, page, width, version, body...).
    InvalidRequest,
    /// A login-state signature did not match (87009): the session key is no longer valid.
    SessionKeyInvalid,
    /// WeChat is busy (-1), unreachable, slow or answered nonsense: try again later.
    Unavailable,
    /// Any other WeChat error.
    Other,
}

impl WechatError {
    /// WeChat's `errcode`, when WeChat answered with one.
    pub fn errcode(&self) -> Option<i64> {
        match self {
            Self::Api { errcode, .. } => Some(*errcode),
            _ => None,
        }
    }

    /// What this error means for the caller.
    pub fn kind(&self) -> ErrorKind {
        let Some(errcode) = self.errcode() else {
            return ErrorKind::Unavailable;
        };
        match errcode {
            40029 => ErrorKind::InvalidCode,
            40163 => ErrorKind::CodeUsed,
            40226 => ErrorKind::UserBlocked,
            45009 | 45011 => ErrorKind::RateLimited,
            40002 | 40013 | 40125 | 40164 | 40243 | 41002 | 41004 | 48001 => {
                ErrorKind::BadCredentials
            }
            40001 | 40014 | 41001 | 42001 => ErrorKind::TokenRejected,
            40097 | 40129 | 40159 | 40169 | 40189 | 41008 | 41030 | 44002 | 47001 | 85096 => {
                ErrorKind::InvalidRequest
            }
            87009 => ErrorKind::SessionKeyInvalid,
            -1 => ErrorKind::Unavailable,
            _ => ErrorKind::Other,
        }
    }

    pub(crate) fn is_busy(&self) -> bool {
        self.errcode() == Some(-1)
    }

    pub(crate) fn rejects_token(&self) -> bool {
        matches!(self.errcode(), Some(40001 | 40014 | 42001))
    }

    pub(crate) fn transport(error: &reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::Timeout
        } else {
            // Never the URL: its query carries secrets and codes.
            Self::Unreachable(error_chain(error))
        }
    }
}

/// The error and its causes, without the URL.
fn error_chain(error: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut text = if error.is_connect() {
        "connection failed".to_owned()
    } else {
        "request failed".to_owned()
    };
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(errcode: i64) -> WechatError {
        WechatError::Api {
            errcode,
            errmsg: "x, rid: 1-2-3".to_owned(),
        }
    }

    #[test]
    fn kinds_follow_the_documented_codes() {
        assert_eq!(api(40029).kind(), ErrorKind::InvalidCode);
        assert_eq!(api(40163).kind(), ErrorKind::CodeUsed);
        assert_eq!(api(45011).kind(), ErrorKind::RateLimited);
        assert_eq!(api(40125).kind(), ErrorKind::BadCredentials);
        assert_eq!(api(42001).kind(), ErrorKind::TokenRejected);
        assert_eq!(api(-1).kind(), ErrorKind::Unavailable);
        assert_eq!(api(99999).kind(), ErrorKind::Other);
        assert_eq!(WechatError::Timeout.kind(), ErrorKind::Unavailable);
        assert!(api(40014).rejects_token());
        assert!(
            !api(41001).rejects_token(),
            "a missing token is our bug, not a stale token"
        );
    }
}
