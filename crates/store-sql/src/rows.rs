//! Row shapes of the SQL schema, and their checked conversion into domain values.
//!
//! Both schemas use the same column names; only types differ (TEXT/INTEGER in SQLite, TIMESTAMPTZ/BOOLEAN/BYTEA in
//! PostgreSQL), and sqlx decodes both into these fields.

use chrono::{DateTime, Utc};
use denglu_domain::{
    AppId, CachedAccessToken, Email, PasswordHash, Pool, PoolId, PoolName, Sealed, SecretHash,
    SigningKey, TokenLifetime, User, UserId, Username,
};

use denglu_store::StoreError;

fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {detail}"))
}

/// The columns of [`PoolRow`], for `SELECT` lists.
pub(crate) const POOL_COLUMNS: &str = "id, name, secret_hash, jwt_algorithm, token_lifetime_seconds, registration_policy, created_at, updated_at";

/// The columns of [`SigningKeyRow`], for `SELECT` lists.
pub(crate) const SIGNING_KEY_COLUMNS: &str =
    "kid, pool_id, algorithm, secret, public_jwk, created_at";

/// The columns of [`UserRow`], for `SELECT` and `RETURNING` lists.
pub(crate) const USER_COLUMNS: &str = "id, pool_id, username, nickname, photo, email, email_verified, phone, phone_verified, \
     unionid, openid, oauth, register_method, password_hash, logins_count, last_login, last_ip, signed_up, blocked, \
     tokens_valid_after, token_expired_at, updated_at";

/// The columns of [`WechatAccessTokenRow`], for `SELECT` lists.
pub(crate) const WECHAT_ACCESS_TOKEN_COLUMNS: &str =
    "appid, token_sealed, token_hash, refresh_at, expires_at, updated_at";

/// A `pools` row.
#[derive(Debug, sqlx::FromRow)]
pub struct PoolRow {
    id: String,
    name: String,
    secret_hash: Vec<u8>,
    jwt_algorithm: String,
    token_lifetime_seconds: i64,
    registration_policy: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<PoolRow> for Pool {
    type Error = StoreError;
    fn try_from(row: PoolRow) -> Result<Self, Self::Error> {
        Ok(Pool {
            id: PoolId::parse(&row.id).map_err(|e| corrupt("pool id", e))?,
            name: PoolName::parse(&row.name).map_err(|e| corrupt("pool name", e))?,
            secret_hash: SecretHash::from_slice(&row.secret_hash)
                .ok_or_else(|| corrupt("pool secret hash", "length"))?,
            jwt_algorithm: row
                .jwt_algorithm
                .parse()
                .map_err(|e| corrupt("jwt algorithm", e))?,
            token_lifetime: TokenLifetime::from_seconds(row.token_lifetime_seconds)
                .map_err(|e| corrupt("token lifetime", e))?,
            registration_policy: row
                .registration_policy
                .parse()
                .map_err(|e| corrupt("registration policy", e))?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// A `signing_keys` row.
#[derive(Debug, sqlx::FromRow)]
pub struct SigningKeyRow {
    kid: String,
    pool_id: String,
    algorithm: String,
    secret: Vec<u8>,
    public_jwk: Option<String>,
    created_at: DateTime<Utc>,
}

impl TryFrom<SigningKeyRow> for SigningKey {
    type Error = StoreError;
    fn try_from(row: SigningKeyRow) -> Result<Self, Self::Error> {
        Ok(SigningKey {
            kid: row.kid,
            pool_id: PoolId::parse(&row.pool_id).map_err(|e| corrupt("signing key pool", e))?,
            algorithm: row
                .algorithm
                .parse()
                .map_err(|e| corrupt("signing key algorithm", e))?,
            secret: Sealed::from_bytes(row.secret),
            public_jwk: row.public_jwk,
            created_at: row.created_at,
        })
    }
}

/// A `wechat_access_tokens` row.
#[derive(Debug, sqlx::FromRow)]
pub struct WechatAccessTokenRow {
    appid: String,
    token_sealed: Vec<u8>,
    token_hash: Vec<u8>,
    refresh_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<WechatAccessTokenRow> for CachedAccessToken {
    type Error = StoreError;
    fn try_from(row: WechatAccessTokenRow) -> Result<Self, Self::Error> {
        Ok(CachedAccessToken {
            appid: AppId::parse(&row.appid).map_err(|e| corrupt("access token appid", e))?,
            sealed: Sealed::from_bytes(row.token_sealed),
            hash: SecretHash::from_slice(&row.token_hash)
                .ok_or_else(|| corrupt("access token hash", "length"))?,
            refresh_at: row.refresh_at,
            expires_at: row.expires_at,
            updated_at: row.updated_at,
        })
    }
}

/// A `users` row.
#[derive(Debug, sqlx::FromRow)]
pub struct UserRow {
    id: String,
    pool_id: String,
    username: Option<String>,
    nickname: Option<String>,
    photo: Option<String>,
    email: Option<String>,
    email_verified: bool,
    phone: Option<String>,
    phone_verified: bool,
    unionid: Option<String>,
    openid: Option<String>,
    oauth: Option<String>,
    register_method: String,
    password_hash: Option<String>,
    logins_count: i64,
    last_login: Option<DateTime<Utc>>,
    last_ip: Option<String>,
    signed_up: DateTime<Utc>,
    blocked: bool,
    tokens_valid_after: Option<DateTime<Utc>>,
    token_expired_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(row: UserRow) -> Result<Self, Self::Error> {
        Ok(User {
            id: UserId::parse(&row.id).map_err(|e| corrupt("user id", e))?,
            pool_id: PoolId::parse(&row.pool_id).map_err(|e| corrupt("user pool", e))?,
            username: row
                .username
                .as_deref()
                .map(Username::parse)
                .transpose()
                .map_err(|e| corrupt("username", e))?,
            nickname: row.nickname,
            photo: row.photo,
            email: row
                .email
                .as_deref()
                .map(Email::parse)
                .transpose()
                .map_err(|e| corrupt("email", e))?,
            email_verified: row.email_verified,
            phone: row.phone,
            phone_verified: row.phone_verified,
            unionid: row.unionid,
            openid: row.openid,
            oauth: row.oauth,
            register_method: row
                .register_method
                .parse()
                .map_err(|e| corrupt("register method", e))?,
            password_hash: row.password_hash.map(PasswordHash::from_phc),
            logins_count: row.logins_count,
            last_login: row.last_login,
            last_ip: row.last_ip,
            signed_up: row.signed_up,
            blocked: row.blocked,
            tokens_valid_after: row.tokens_valid_after,
            token_expired_at: row.token_expired_at,
            updated_at: row.updated_at,
        })
    }
}
