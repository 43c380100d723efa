//! The OIDC door's extractors: the issuer's pool from the path, form bodies (RFC 6749 §3.2: form-encoded, no
//! repeated parameter), the browser's cookies (IdP session and CSRF) and client credentials from the
//! `Authorization: Basic` header (RFC 6749 §2.3.1: each part form-encoded).

use axum::{
    extract::{Form, FromRequest, FromRequestParts, Path, Request},
    http::{HeaderMap, header, request::Parts},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use cookie::Cookie;
use denglu_domain::PoolId;
use denglu_service::{ClientCredentials, OAuthCode, OAuthError};
use serde::de::DeserializeOwned;

use crate::oidc::OidcError;

/// The IdP session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "denglu_oidc";
/// The CSRF cookie's name: the pages' forms are sealed to it.
pub(crate) const CSRF_COOKIE: &str = "denglu_oidc_csrf";

/// The pool of the path's `{pool_id}`: the issuer.
pub(crate) struct OidcPool(pub(crate) PoolId);

impl<S: Send + Sync> FromRequestParts<S> for OidcPool {
    type Rejection = OidcError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, OidcError> {
        let unknown = || OidcError(OAuthError::new(OAuthCode::UnknownIssuer, "no such issuer"));
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| unknown())?;
        PoolId::parse(&raw).map(Self).map_err(|_| unknown())
    }
}

/// A form-encoded body of type `T`; anything else, or a repeated parameter, is `invalid_request`.
pub(crate) struct OidcForm<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for OidcForm<T> {
    type Rejection = OidcError;

    async fn from_request(request: Request, state: &S) -> Result<Self, OidcError> {
        Form::<T>::from_request(request, state)
            .await
            .map(|Form(form)| Self(form))
            .map_err(|rejection| {
                OidcError::invalid(format!(
                    "the body must be application/x-www-form-urlencoded without repeated parameters: {}",
                    rejection.body_text()
                ))
            })
    }
}

/// The browser's cookies of the issuer: its IdP session and its CSRF cookie.
#[derive(Debug, Default)]
pub(crate) struct BrowserCookies {
    pub(crate) session: Option<String>,
    pub(crate) csrf: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for BrowserCookies {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let mut cookies = Self::default();
        let all = parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(Cookie::split_parse)
            .filter_map(Result::ok);
        for cookie in all {
            let value = Some(cookie.value().to_owned()).filter(|v| !v.is_empty());
            match cookie.name() {
                SESSION_COOKIE => cookies.session = value,
                CSRF_COOKIE => cookies.csrf = value,
                _ => {}
            }
        }
        Ok(cookies)
    }
}

/// The client's credentials: the `Authorization: Basic` header or the form's `client_id` and `client_secret`, not
/// both.
pub(crate) fn client_credentials(
    headers: &HeaderMap,
    form_id: Option<String>,
    form_secret: Option<String>,
) -> Result<ClientCredentials, OidcError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            value
                .strip_prefix("Basic ")
                .or_else(|| value.strip_prefix("basic "))
        });
    let Some(encoded) = basic else {
        return Ok(ClientCredentials {
            id: form_id,
            secret: form_secret,
        });
    };
    if form_secret.is_some() {
        return Err(OidcError::invalid(
            "authenticate with the Authorization header or with client_secret in the form, not both",
        ));
    }
    let malformed =
        || OidcError::invalid("the Authorization header is not valid Basic credentials");
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| malformed())?;
    let decoded = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(malformed)?;
    let (id, secret) = (form_decode(id), form_decode(secret));
    if form_id.as_deref().is_some_and(|form_id| form_id != id) {
        return Err(OidcError::invalid(
            "client_id differs from the Authorization header's",
        ));
    }
    Ok(ClientCredentials {
        id: Some(id),
        secret: Some(secret),
    })
}

/// A part of Basic credentials, form-decoded as RFC 6749 §2.3.1 asks.
fn form_decode(part: &str) -> String {
    url::form_urlencoded::parse(format!("v={part}").as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}
