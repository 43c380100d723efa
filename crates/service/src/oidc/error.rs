//! OAuth's errors (RFC 6749 §5.2, OIDC Core §3.1.2.6): a registered code and a description safe to show the client.

use crate::ServiceError;

/// The registered OAuth error codes denglu answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthCode {
    /// A parameter is missing, repeated, unknown in value or malformed.
    InvalidRequest,
    /// No pool has the issuer of the path: `invalid_request` on the wire, answered with 404.
    UnknownIssuer,
    /// The client is unknown, or its authentication failed.
    InvalidClient,
    /// The code, refresh token or device code is invalid, expired, revoked, used, or not the client's.
    InvalidGrant,
    /// The client may not use this grant type or response type.
    UnauthorizedClient,
    /// A grant type denglu does not implement.
    UnsupportedGrantType,
    /// A response type denglu does not implement (only `code` is).
    UnsupportedResponseType,
    /// A scope the client may not ask for, or no such scope.
    InvalidScope,
    /// The user or denglu refused.
    AccessDenied,
    /// `prompt=none`, and the user must log in.
    LoginRequired,
    /// `prompt=none`, and the user must consent.
    ConsentRequired,
    /// A bearer token that is missing, expired, revoked or not this pool's (RFC 6750 §3.1).
    InvalidToken,
    /// A bearer token without the scope the request needs (RFC 6750 §3.1).
    InsufficientScope,
    /// The device flow: the user has not finished yet.
    AuthorizationPending,
    /// The device flow: polled too often.
    SlowDown,
    /// The device flow: the device code expired.
    ExpiredToken,
    /// denglu failed; the detail is logged, never sent.
    ServerError,
    /// denglu cannot answer now (the database or WeChat).
    TemporarilyUnavailable,
}

impl OAuthCode {
    /// The code as the protocol spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest | Self::UnknownIssuer => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::InvalidScope => "invalid_scope",
            Self::AccessDenied => "access_denied",
            Self::LoginRequired => "login_required",
            Self::ConsentRequired => "consent_required",
            Self::InvalidToken => "invalid_token",
            Self::InsufficientScope => "insufficient_scope",
            Self::AuthorizationPending => "authorization_pending",
            Self::SlowDown => "slow_down",
            Self::ExpiredToken => "expired_token",
            Self::ServerError => "server_error",
            Self::TemporarilyUnavailable => "temporarily_unavailable",
        }
    }
}

/// An OAuth error: its code and a description for the client's developer.
#[derive(Debug, thiserror::Error)]
#[error("{}: {description}", code.as_str())]
pub struct OAuthError {
    /// The registered code.
    pub code: OAuthCode,
    /// What went wrong, in words safe to show.
    pub description: String,
}

impl OAuthError {
    /// An error with this code and description.
    pub fn new(code: OAuthCode, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
        }
    }

    /// `invalid_request` with this description.
    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(OAuthCode::InvalidRequest, description)
    }

    /// `invalid_grant` with this description.
    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(OAuthCode::InvalidGrant, description)
    }
}

impl From<ServiceError> for OAuthError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::Unavailable(_) => {
                Self::new(OAuthCode::TemporarilyUnavailable, "try again in a moment")
            }
            ServiceError::PoolNotFound => Self::new(OAuthCode::UnknownIssuer, "no such issuer"),
            ServiceError::Internal(detail) => {
                tracing::error!(%detail, "OIDC request failed");
                Self::new(OAuthCode::ServerError, "the server failed; try again later")
            }
            other => Self::invalid_request(other.to_string()),
        }
    }
}

impl From<denglu_store::StoreError> for OAuthError {
    fn from(error: denglu_store::StoreError) -> Self {
        ServiceError::from(error).into()
    }
}

/// An OIDC result.
pub type OAuthResult<T> = Result<T, OAuthError>;
