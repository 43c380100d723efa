//! The OIDC door's errors, in OAuth's shape: `{error, error_description}` with RFC 6749 §5.2's statuses (401 and a
//! `WWW-Authenticate` challenge for a failed client authentication, RFC 6750 §3's for a bad bearer token), and
//! the HTML error page of the browser endpoints, which never redirects to a client that could not be trusted.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use denglu_service::{OAuthCode, OAuthError, ServiceError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::oidc::pages::{self, Locale};

/// An OAuth error answered as JSON.
#[derive(Debug)]
pub(crate) struct OidcError(pub(crate) OAuthError);

/// The body of every OAuth error.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OAuthErrorBody {
    /// The registered error code (`invalid_request`, `invalid_client`, `invalid_grant`, …).
    error: &'static str,
    /// What went wrong, for the client's developer.
    error_description: String,
}

impl OidcError {
    /// `invalid_request` with this description.
    pub(crate) fn invalid(description: impl Into<String>) -> Self {
        Self(OAuthError::invalid_request(description))
    }
}

impl From<OAuthError> for OidcError {
    fn from(error: OAuthError) -> Self {
        Self(error)
    }
}

impl From<ServiceError> for OidcError {
    fn from(error: ServiceError) -> Self {
        crate::http::log_failure(&error);
        Self(error.into())
    }
}

/// The HTTP status of an OAuth error code.
pub(crate) fn status_of(code: OAuthCode) -> StatusCode {
    match code {
        OAuthCode::InvalidClient | OAuthCode::InvalidToken => StatusCode::UNAUTHORIZED,
        OAuthCode::InsufficientScope => StatusCode::FORBIDDEN,
        OAuthCode::UnknownIssuer => StatusCode::NOT_FOUND,
        OAuthCode::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
        OAuthCode::TemporarilyUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::BAD_REQUEST,
    }
}

impl IntoResponse for OidcError {
    fn into_response(self) -> Response {
        let OAuthError { code, description } = self.0;
        let body = OAuthErrorBody {
            error: code.as_str(),
            error_description: description,
        };
        let mut response = (status_of(code), Json(&body)).into_response();
        let challenge = match code {
            OAuthCode::InvalidClient => Some("Basic realm=\"denglu\"".to_owned()),
            OAuthCode::InvalidToken | OAuthCode::InsufficientScope => Some(format!(
                "Bearer error=\"{}\", error_description=\"{}\"",
                code.as_str(),
                body.error_description.replace(['"', '\\'], "'")
            )),
            _ => None,
        };
        let headers = response.headers_mut();
        if let Some(value) = challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            headers.insert(header::WWW_AUTHENTICATE, value);
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

/// An error of a browser endpoint, shown as a page in the user's language.
#[derive(Debug)]
pub(crate) struct ErrorPage {
    pub(crate) error: OAuthError,
    pub(crate) locale: Locale,
}

impl IntoResponse for ErrorPage {
    fn into_response(self) -> Response {
        if let OAuthCode::ServerError | OAuthCode::TemporarilyUnavailable = self.error.code {
            tracing::warn!(error = self.error.code.as_str(), "OIDC page failed");
        }
        let status = status_of(self.error.code);
        pages::error_page(&self.error, self.locale, status)
    }
}
