//! Who calls the admin API: the holder of an admin API token (`Authorization: Bearer dgl_admin_…`), or an operator
//! signed in on a browser (the `denglu_admin` session cookie, and on every change its CSRF token in `X-CSRF-Token`);
//! with the address and user agent the audit log records.

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, Method, header, request::Parts},
};
use cookie::{Cookie, SameSite, time::Duration};
use denglu_domain::OperatorSession;
use denglu_service::{ErrorCode, Operator, OperatorCredentials};

use crate::{
    AppState,
    admin::AdminError,
    http::{Client, bearer_token},
};

/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "denglu_admin";
/// The header carrying a session's CSRF token.
pub(crate) const CSRF_HEADER: &str = "x-csrf-token";
/// The path the session cookie is sent to: the admin API only.
const COOKIE_PATH: &str = "/api/v1/admin";

/// The operator of the request: 4501 without a token or session cookie, 4502 for a bad token, 4506 for an ended
/// session, 4504 for a change without the session's CSRF token.
pub(crate) struct AdminCaller(pub(crate) Operator);

/// The operator of the request and, when they came with a session cookie, the session and its cookie secret.
pub(crate) struct Caller {
    pub(crate) operator: Operator,
    pub(crate) session: Option<(OperatorSession, String)>,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AdminError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AdminError> {
        let Ok(client) = Client::from_request_parts(parts, state).await;
        let from = client.requester();
        if let Some(token) = bearer_token(&parts.headers) {
            let token = state.services.authenticate_admin(Some(token)).await?;
            return Ok(Self {
                operator: Operator::with_token(token, from),
                session: None,
            });
        }
        let Some(secret) = session_secret(&parts.headers) else {
            return Err(AdminError::code(ErrorCode::AdminTokenMissing));
        };
        let credentials = OperatorCredentials {
            secret: &secret,
            csrf_token: parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|value| value.to_str().ok()),
            changes_state: !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS),
        };
        let (account, session) = state
            .services
            .authenticate_operator_session(credentials)
            .await?;
        Ok(Self {
            operator: Operator::with_session(account, from),
            session: Some((session, secret)),
        })
    }
}

impl FromRequestParts<AppState> for AdminCaller {
    type Rejection = AdminError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AdminError> {
        Caller::from_request_parts(parts, state)
            .await
            .map(|caller| Self(caller.operator))
    }
}

/// The session cookie's secret, if the request has one.
fn session_secret(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == SESSION_COOKIE && !cookie.value().is_empty())
        .map(|cookie| cookie.value().to_owned())
}

/// The `Set-Cookie` value that gives a browser the session `secret` for `max_age_seconds`: HttpOnly,
/// `SameSite=Strict`, sent to the admin API only, and `Secure` when the server's public URL is https.
pub(crate) fn session_cookie(secret: &str, max_age_seconds: i64, secure: bool) -> String {
    Cookie::build((SESSION_COOKIE, secret.to_owned()))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path(COOKIE_PATH)
        .secure(secure)
        .max_age(Duration::seconds(max_age_seconds))
        .build()
        .to_string()
}

/// The `Set-Cookie` value that makes a browser forget the session cookie.
pub(crate) fn cleared_cookie(secure: bool) -> String {
    session_cookie("", 0, secure)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn the_session_cookie_is_http_only_strict_scoped_and_secure_under_https() {
        let cookie = session_cookie("s3cret", 3600, true);
        for attribute in [
            "denglu_admin=s3cret",
            "HttpOnly",
            "SameSite=Strict",
            "Path=/api/v1/admin",
            "Secure",
            "Max-Age=3600",
        ] {
            assert!(cookie.contains(attribute), "{attribute} in {cookie}");
        }
        assert!(!session_cookie("s3cret", 3600, false).contains("Secure"));
        assert!(cleared_cookie(true).starts_with("denglu_admin=;"));
        assert!(cleared_cookie(true).contains("Max-Age=0"));
    }

    #[test]
    fn the_session_secret_is_found_among_other_cookies_and_headers() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; denglu_admin="),
        );
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("lang=zh; denglu_admin=abc; x=1"),
        );
        assert_eq!(session_secret(&headers).as_deref(), Some("abc"));
        assert_eq!(session_secret(&HeaderMap::new()), None);
    }
}
