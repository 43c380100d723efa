//! The admin API's request parts: JSON bodies (as on the native API: 1002 naming the field, 1003 when too large),
//! raw bodies (uploads), query strings of text values parsed field by field with messages that name the field, and
//! the ids of a path (a malformed pool id names no pool: 2224; a malformed user id names no user: 2004).

use std::str::FromStr;

use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use chrono::{DateTime, FixedOffset, Utc};
use denglu_domain::{AdminScope, PoolId, UserId};
use denglu_service::ErrorCode;
use serde::de::DeserializeOwned;

use crate::{
    admin::AdminError,
    native::{ApiJson, RawBody},
};

/// A JSON request body of type `T`.
pub(crate) struct AdminJson<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AdminJson<T> {
    type Rejection = AdminError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AdminError> {
        let ApiJson(value) = ApiJson::<T>::from_request(request, state).await?;
        Ok(Self(value))
    }
}

/// A raw request body (an upload): 1003 when too large.
pub(crate) struct AdminBytes(pub(crate) Vec<u8>);

impl<S: Send + Sync> FromRequest<S> for AdminBytes {
    type Rejection = AdminError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AdminError> {
        let RawBody(bytes) = RawBody::from_request(request, state).await?;
        Ok(Self(bytes.to_vec()))
    }
}

/// A query string of type `T`, whose fields are all text (so that a wrong value is reported by [`parse`] in
/// words, naming the field): 1002 for an unknown or repeated parameter.
pub(crate) struct AdminQuery<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AdminQuery<T> {
    type Rejection = AdminError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AdminError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| Self(value))
            .map_err(|rejection| {
                let text = rejection.body_text();
                let reason = text.rsplit(": ").next().unwrap_or("unreadable");
                AdminError::invalid(format!("invalid query string: {reason}"))
            })
    }
}

/// The path's parameters as text: 1002 when one is not valid UTF-8 once percent-decoded.
pub(crate) struct AdminPath<T>(pub(crate) T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for AdminPath<T> {
    type Rejection = AdminError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AdminError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| Self(value))
            .map_err(|_| AdminError::invalid("invalid path: an id is not valid UTF-8"))
    }
}

/// The value of query parameter `name`, parsed: 1002 naming it and saying what it should be when it does not parse.
pub(crate) fn parse<T: FromStr>(
    name: &str,
    value: Option<&str>,
    expected: &str,
) -> Result<Option<T>, AdminError> {
    value
        .map(|raw| {
            raw.parse()
                .map_err(|_| AdminError::invalid(format!("invalid `{name}`: expected {expected}")))
        })
        .transpose()
}

/// The value of time parameter `name` (RFC 3339, any offset), in UTC: 1002 naming it when it does not parse.
pub(crate) fn time(name: &str, value: Option<&str>) -> Result<Option<DateTime<Utc>>, AdminError> {
    parse::<DateTime<FixedOffset>>(name, value, "an RFC 3339 time such as 2026-12-01T00:00:00Z")
        .map(|at| at.map(|at| at.with_timezone(&Utc)))
}

/// The pool a path names: 2224 when malformed.
pub(crate) fn pool_id(raw: &str) -> Result<PoolId, AdminError> {
    PoolId::parse(raw).map_err(|_| AdminError::code(ErrorCode::PoolNotFound))
}

/// The user a path names: 2004 when malformed.
pub(crate) fn user_id(raw: &str) -> Result<UserId, AdminError> {
    UserId::parse(raw).map_err(|_| AdminError::code(ErrorCode::UserNotFound))
}

/// The scope a `pools` field names: absent or `null` for the whole deployment (an owner), else those pools; 1002
/// naming the field for a malformed id.
pub(crate) fn scope(pools: Option<Vec<String>>) -> Result<AdminScope, AdminError> {
    let Some(pools) = pools else {
        return Ok(AdminScope::Deployment);
    };
    pools
        .iter()
        .map(|raw| {
            PoolId::parse(raw)
                .map_err(|_| AdminError::invalid("invalid `pools`: pool ids (24 hex characters)"))
        })
        .collect::<Result<_, _>>()
        .map(AdminScope::Pools)
}
