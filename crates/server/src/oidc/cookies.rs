//! The provider's cookies: the IdP session (HttpOnly, `SameSite=Lax` so that a client's redirect to the
//! authorization endpoint carries it, `Secure` under https, host-only, sent to its issuer's paths only, a new value at
//! every login) and the CSRF cookie the pages' forms are sealed to.

use axum::{
    http::{HeaderValue, header},
    response::Response,
};
use cookie::{Cookie, SameSite, time::Duration};
use denglu_domain::PoolId;

use crate::oidc::body::{CSRF_COOKIE, SESSION_COOKIE};

/// How long a browser keeps its CSRF cookie.
const CSRF_MAX_AGE_SECONDS: i64 = 24 * 3600;

/// The `Set-Cookie` value of a cookie of the issuer of `pool`.
fn cookie(pool: &PoolId, name: &'static str, value: &str, max_age: i64, secure: bool) -> String {
    Cookie::build((name, value.to_owned()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path(format!("/oidc/{pool}/"))
        .secure(secure)
        .max_age(Duration::seconds(max_age))
        .build()
        .to_string()
}

/// Gives the browser the session cookie `value` for `max_age` seconds.
pub(crate) fn set_session(
    response: &mut Response,
    pool: &PoolId,
    value: &str,
    max_age: i64,
    secure: bool,
) {
    append(
        response,
        &cookie(pool, SESSION_COOKIE, value, max_age, secure),
    );
}

/// Makes the browser forget its session cookie.
pub(crate) fn clear_session(response: &mut Response, pool: &PoolId, secure: bool) {
    append(response, &cookie(pool, SESSION_COOKIE, "", 0, secure));
}

/// Gives the browser the CSRF cookie `value`.
pub(crate) fn set_csrf(response: &mut Response, pool: &PoolId, value: &str, secure: bool) {
    append(
        response,
        &cookie(pool, CSRF_COOKIE, value, CSRF_MAX_AGE_SECONDS, secure),
    );
}

fn append(response: &mut Response, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}
