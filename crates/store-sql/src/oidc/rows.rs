//! The rows of OpenID Connect logins (`oidc_sessions`, `oidc_grants`, `oidc_codes`, `oidc_consents`,
//! `oidc_device_codes`) and their checked conversions into domain values. Scopes are stored space-separated.

use chrono::{DateTime, Utc};
use denglu_domain::{
    AuthMethod, AuthorizationCode, ClientId, CodeChallenge, DeviceCode, IdpSession, OidcGrant,
    PoolId, Scope, SecretHash, UserId,
};
use denglu_store::StoreError;

use crate::oidc_clients::rows::items;

fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {detail}"))
}

fn hash(what: &str, bytes: &[u8]) -> Result<SecretHash, StoreError> {
    SecretHash::from_slice(bytes).ok_or_else(|| corrupt(what, "not 32 bytes"))
}

fn method(raw: &str) -> Result<AuthMethod, StoreError> {
    AuthMethod::parse(raw).ok_or_else(|| corrupt("login method", raw))
}

/// Reads a stored scope list.
pub(crate) fn scopes(list: &str) -> Result<Vec<Scope>, StoreError> {
    Scope::parse_list(&items(list)).map_err(|e| corrupt("scopes", e))
}

/// The columns of [`OidcSessionRow`], for `SELECT` lists.
pub(crate) const OIDC_SESSION_COLUMNS: &str =
    "sid, pool_id, cookie_hash, user_id, method, auth_time, expires_at";

/// An `oidc_sessions` row.
#[derive(Debug, sqlx::FromRow)]
pub struct OidcSessionRow {
    sid: String,
    pool_id: String,
    cookie_hash: Vec<u8>,
    user_id: String,
    method: String,
    auth_time: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

impl TryFrom<OidcSessionRow> for IdpSession {
    type Error = StoreError;
    fn try_from(row: OidcSessionRow) -> Result<Self, Self::Error> {
        Ok(IdpSession {
            sid: row.sid,
            pool_id: PoolId::parse(&row.pool_id).map_err(|e| corrupt("session pool", e))?,
            cookie_hash: hash("session cookie hash", &row.cookie_hash)?,
            user_id: UserId::parse(&row.user_id).map_err(|e| corrupt("session user", e))?,
            method: method(&row.method)?,
            auth_time: row.auth_time,
            expires_at: row.expires_at,
        })
    }
}

/// The columns of [`OidcGrantRow`], for `SELECT` and `RETURNING` lists.
pub(crate) const OIDC_GRANT_COLUMNS: &str = "id, pool_id, client_id, user_id, scopes, sid, method, auth_time, \
     created_at, expires_at, revoked_at";

/// An `oidc_grants` row.
#[derive(Debug, sqlx::FromRow)]
pub struct OidcGrantRow {
    id: String,
    pool_id: String,
    client_id: String,
    user_id: Option<String>,
    scopes: String,
    sid: Option<String>,
    method: Option<String>,
    auth_time: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
}

impl TryFrom<OidcGrantRow> for OidcGrant {
    type Error = StoreError;
    fn try_from(row: OidcGrantRow) -> Result<Self, Self::Error> {
        Ok(OidcGrant {
            id: row.id,
            pool_id: PoolId::parse(&row.pool_id).map_err(|e| corrupt("grant pool", e))?,
            client_id: ClientId::parse(&row.client_id).map_err(|e| corrupt("grant client", e))?,
            user_id: row
                .user_id
                .map(|u| UserId::parse(&u).map_err(|e| corrupt("grant user", e)))
                .transpose()?,
            scopes: scopes(&row.scopes)?,
            sid: row.sid,
            method: row.method.as_deref().map(method).transpose()?,
            auth_time: row.auth_time,
            created_at: row.created_at,
            expires_at: row.expires_at,
            revoked_at: row.revoked_at,
        })
    }
}

/// A grant found through one of its refresh tokens, and whether that token was used.
#[derive(Debug, sqlx::FromRow)]
pub struct OidcTokenGrantRow {
    #[sqlx(flatten)]
    grant: OidcGrantRow,
    token_used: bool,
}

impl TryFrom<OidcTokenGrantRow> for (OidcGrant, bool) {
    type Error = StoreError;
    fn try_from(row: OidcTokenGrantRow) -> Result<Self, Self::Error> {
        Ok((OidcGrant::try_from(row.grant)?, row.token_used))
    }
}

/// The columns of [`OidcCodeRow`], for `SELECT` and `RETURNING` lists.
pub(crate) const OIDC_CODE_COLUMNS: &str =
    "code_hash, grant_id, redirect_uri, code_challenge, nonce, expires_at, used_at";

/// An `oidc_codes` row.
#[derive(Debug, sqlx::FromRow)]
pub struct OidcCodeRow {
    code_hash: Vec<u8>,
    grant_id: String,
    redirect_uri: String,
    code_challenge: Option<String>,
    nonce: Option<String>,
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
}

impl TryFrom<OidcCodeRow> for AuthorizationCode {
    type Error = StoreError;
    fn try_from(row: OidcCodeRow) -> Result<Self, Self::Error> {
        Ok(AuthorizationCode {
            code_hash: hash("code hash", &row.code_hash)?,
            grant_id: row.grant_id,
            redirect_uri: row.redirect_uri,
            code_challenge: row
                .code_challenge
                .as_deref()
                .map(CodeChallenge::parse)
                .transpose()
                .map_err(|e| corrupt("code challenge", e))?,
            nonce: row.nonce,
            expires_at: row.expires_at,
            used_at: row.used_at,
        })
    }
}

/// The scopes of an `oidc_consents` row.
#[derive(Debug, sqlx::FromRow)]
pub struct OidcConsentRow {
    /// Space-separated.
    pub scopes: String,
}

/// The columns of [`OidcDeviceCodeRow`], for `SELECT` lists.
pub(crate) const OIDC_DEVICE_CODE_COLUMNS: &str =
    "user_code, device_code_hash, pool_id, client_id, scene, scopes, created_at, expires_at";

/// An `oidc_device_codes` row.
#[derive(Debug, sqlx::FromRow)]
pub struct OidcDeviceCodeRow {
    user_code: String,
    device_code_hash: Vec<u8>,
    pool_id: String,
    client_id: String,
    scene: String,
    scopes: String,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

impl TryFrom<OidcDeviceCodeRow> for DeviceCode {
    type Error = StoreError;
    fn try_from(row: OidcDeviceCodeRow) -> Result<Self, Self::Error> {
        Ok(DeviceCode {
            user_code: row.user_code,
            device_code_hash: hash("device code hash", &row.device_code_hash)?,
            pool_id: PoolId::parse(&row.pool_id).map_err(|e| corrupt("device code pool", e))?,
            client_id: ClientId::parse(&row.client_id)
                .map_err(|e| corrupt("device code client", e))?,
            scene: row.scene,
            scopes: scopes(&row.scopes)?,
            created_at: row.created_at,
            expires_at: row.expires_at,
        })
    }
}
