//! The result objects of the token and metadata fields, named and shaped as the SDKs select them.

use async_graphql::SimpleObject;
use denglu_service::{ServiceError, VerifiedToken};
use denglu_tokens::ClaimsData;

/// The answer of `checkLoginStatus`: never a GraphQL error, `status: false` with a code instead.
#[derive(Debug, SimpleObject)]
pub(crate) struct LoginStatus {
    /// Whether the token is valid.
    pub(crate) status: bool,
    /// 200 when valid; 2020 no token, 2206 expired or revoked, 2207 invalid, 2005 user blocked.
    pub(crate) code: u32,
    /// `已登录` when valid, else the code's message.
    pub(crate) message: String,
    /// The valid token's payload.
    pub(crate) token: Option<TokenPayload>,
}

impl LoginStatus {
    /// The status of a token check.
    pub(crate) fn of(outcome: Result<VerifiedToken, ServiceError>) -> Self {
        match outcome {
            Ok(verified) => Self {
                status: true,
                code: 200,
                message: "已登录".to_owned(),
                token: Some(TokenPayload::of(&verified)),
            },
            Err(error) => {
                let check = TokenCheck::failed(&error);
                Self {
                    status: false,
                    code: check.code,
                    message: check.message,
                    token: None,
                }
            }
        }
    }
}

/// A verified token's payload: `{data, iat, exp}`.
#[derive(Debug, SimpleObject)]
pub(crate) struct TokenPayload {
    /// Authing's `data` block.
    pub(crate) data: TokenData,
    /// Issued at, in seconds.
    pub(crate) iat: i64,
    /// Expires at, in seconds.
    pub(crate) exp: i64,
}

impl TokenPayload {
    fn of(verified: &VerifiedToken) -> Self {
        Self {
            data: TokenData::from(&verified.claims.data),
            iat: verified.claims.iat,
            exp: verified.claims.exp,
        }
    }
}

/// The token's `data`: who it belongs to.
#[derive(Debug, SimpleObject)]
pub(crate) struct TokenData {
    /// The user's e-mail, when set.
    pub(crate) email: Option<String>,
    /// The user id.
    pub(crate) id: String,
    /// The user pool id.
    pub(crate) client_id: String,
    /// WeChat unionid, when known.
    pub(crate) unionid: Option<String>,
    /// The user's phone, when set.
    pub(crate) phone: Option<String>,
}

impl From<&ClaimsData> for TokenData {
    fn from(data: &ClaimsData) -> Self {
        Self {
            email: data.email.clone(),
            id: data.id.clone(),
            client_id: data.client_id.clone(),
            unionid: data.unionid.clone(),
            phone: data.phone.clone(),
        }
    }
}

/// The answer of `decodeJwtToken`: the payload and a status, never a GraphQL error.
#[derive(Debug, SimpleObject)]
pub(crate) struct DecodedToken {
    /// The token's `data`, when it is valid.
    pub(crate) data: Option<TokenData>,
    /// `{code: 200, message: "token 解析正常"}` when valid, else the error's code and message.
    pub(crate) status: TokenCheck,
    /// Issued at, in seconds, when valid.
    pub(crate) iat: Option<i64>,
    /// Expires at, in seconds, when valid.
    pub(crate) exp: Option<i64>,
}

impl DecodedToken {
    /// The decoding of a token check.
    pub(crate) fn of(outcome: Result<VerifiedToken, ServiceError>) -> Self {
        match outcome {
            Ok(verified) => {
                let payload = TokenPayload::of(&verified);
                Self {
                    data: Some(payload.data),
                    status: TokenCheck {
                        code: 200,
                        message: "token 解析正常".to_owned(),
                    },
                    iat: Some(payload.iat),
                    exp: Some(payload.exp),
                }
            }
            Err(error) => Self {
                data: None,
                status: TokenCheck::failed(&error),
                iat: None,
                exp: None,
            },
        }
    }
}

/// A code and its message.
#[derive(Debug, SimpleObject)]
pub(crate) struct TokenCheck {
    /// 200, or the error code.
    pub(crate) code: u32,
    /// What it means, in Chinese as Authing sent it.
    pub(crate) message: String,
}

impl TokenCheck {
    fn failed(error: &ServiceError) -> Self {
        if let ServiceError::Internal(detail) | ServiceError::Unavailable(detail) = error {
            tracing::error!(%detail, "token check failed");
        }
        let code = error.code();
        Self {
            code: code.number(),
            message: code.compat_message().to_owned(),
        }
    }
}

/// A user's metadata after a read or a change: all of it, in key order.
#[derive(Debug, SimpleObject)]
pub(crate) struct MetadataList {
    /// How many keys the user has.
    pub(crate) total_count: usize,
    /// The pairs.
    pub(crate) list: Vec<MetadataItem>,
}

impl From<Vec<(String, String)>> for MetadataList {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Self {
            total_count: pairs.len(),
            list: pairs
                .into_iter()
                .map(|(key, value)| MetadataItem { key, value })
                .collect(),
        }
    }
}

/// One metadata pair.
#[derive(Debug, SimpleObject)]
pub(crate) struct MetadataItem {
    /// The key.
    pub(crate) key: String,
    /// The value.
    pub(crate) value: String,
}
