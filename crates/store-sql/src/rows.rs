//! Row shapes of the SQL schema, and their checked conversion into domain values.
//!
//! Both schemas use the same column names; only types differ (TEXT/INTEGER in SQLite, TIMESTAMPTZ/BOOLEAN/BYTEA in
//! PostgreSQL), and sqlx decodes both into these fields.

use chrono::{DateTime, Utc};
use denglu_domain::{
    AppId, AppLoginSettings, AppTicket, CachedAccessToken, CallbackUrl, CodeChallenge, Email,
    PasswordHash, Pool, PoolId, PoolName, QrMode, QrSession, QrSettings, QrState, Requester,
    Scanner, ScannerChoice, Sealed, SecretHash, ServerKey, ShortLifetime, SigningKey,
    TokenLifetime, User, UserId, Username,
};

use denglu_store::StoreError;

fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {detail}"))
}

/// The columns of [`PoolRow`], for `SELECT` lists.
pub(crate) const POOL_COLUMNS: &str = "id, name, secret_hash, jwt_algorithm, token_lifetime_seconds, registration_policy, created_at, updated_at";

/// The columns of [`SigningKeyRow`], for `SELECT` lists.
pub(crate) const SIGNING_KEY_COLUMNS: &str =
    "kid, pool_id, algorithm, secret, public_jwk, created_at, retired_at";

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
    retired_at: Option<DateTime<Utc>>,
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
            retired_at: row.retired_at,
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

/// The columns of [`QrSettingsRow`], for `SELECT` lists.
pub(crate) const QR_SETTINGS_COLUMNS: &str =
    "pool_id, mode, lifetime_seconds, callback_url, scanner, updated_at";

/// A `qr_settings` row.
#[derive(Debug, sqlx::FromRow)]
pub struct QrSettingsRow {
    pool_id: String,
    mode: String,
    lifetime_seconds: i64,
    callback_url: Option<String>,
    scanner: String,
    updated_at: DateTime<Utc>,
}

impl TryFrom<QrSettingsRow> for QrSettings {
    type Error = StoreError;
    fn try_from(row: QrSettingsRow) -> Result<Self, Self::Error> {
        Ok(QrSettings {
            pool_id: PoolId::parse(&row.pool_id).map_err(|e| corrupt("qr settings pool", e))?,
            mode: QrMode::parse(&row.mode).ok_or_else(|| corrupt("qr mode", &row.mode))?,
            lifetime: ShortLifetime::from_seconds(row.lifetime_seconds)
                .map_err(|e| corrupt("qr lifetime", e))?,
            callback_url: row
                .callback_url
                .as_deref()
                .map(CallbackUrl::parse)
                .transpose()
                .map_err(|e| corrupt("callback url", e))?,
            scanner: ScannerChoice::parse(&row.scanner)
                .ok_or_else(|| corrupt("qr scanner", &row.scanner))?,
            updated_at: row.updated_at,
        })
    }
}

/// An image: the `png` of a `pool_logos` or `avatars` row.
#[derive(Debug, sqlx::FromRow)]
pub struct LogoRow {
    /// The PNG bytes.
    pub png: Vec<u8>,
}

/// The columns of [`QrSessionRow`], for `SELECT` and `RETURNING` lists.
pub(crate) const QR_SESSION_COLUMNS: &str = "scene, pool_id, poll_secret_hash, state, phone_requested, use_self_wxapp, \
     requester_ip, requester_user_agent, scanner_appid, scanner_openid, scanner_unionid, scanner_session_key, \
     scan_token_hash, scanner_nickname, scanner_avatar, scanned_at, user_id, created_at, expires_at, updated_at";

/// A `qr_sessions` row.
#[derive(Debug, sqlx::FromRow)]
pub struct QrSessionRow {
    scene: String,
    pool_id: String,
    poll_secret_hash: Vec<u8>,
    state: String,
    phone_requested: bool,
    use_self_wxapp: bool,
    requester_ip: Option<String>,
    requester_user_agent: Option<String>,
    scanner_appid: Option<String>,
    scanner_openid: Option<String>,
    scanner_unionid: Option<String>,
    scanner_session_key: Option<Vec<u8>>,
    scan_token_hash: Option<Vec<u8>>,
    scanner_nickname: Option<String>,
    scanner_avatar: Option<String>,
    scanned_at: Option<DateTime<Utc>>,
    user_id: Option<String>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<QrSessionRow> for QrSession {
    type Error = StoreError;
    fn try_from(row: QrSessionRow) -> Result<Self, Self::Error> {
        let scanner = match (
            row.scanner_appid,
            row.scanner_openid,
            row.scanner_session_key,
            row.scan_token_hash,
            row.scanned_at,
        ) {
            (Some(appid), Some(openid), Some(session_key), Some(token), Some(at)) => {
                Some(Scanner {
                    appid: AppId::parse(&appid).map_err(|e| corrupt("scanner appid", e))?,
                    openid,
                    unionid: row.scanner_unionid,
                    session_key: Sealed::from_bytes(session_key),
                    scan_token: SecretHash::from_slice(&token)
                        .ok_or_else(|| corrupt("scan token hash", "length"))?,
                    nickname: row.scanner_nickname,
                    avatar: row.scanner_avatar,
                    at,
                })
            }
            _ => None,
        };
        Ok(QrSession {
            pool_id: PoolId::parse(&row.pool_id).map_err(|e| corrupt("qr session pool", e))?,
            poll_secret: SecretHash::from_slice(&row.poll_secret_hash)
                .ok_or_else(|| corrupt("poll secret hash", "length"))?,
            state: QrState::parse(&row.state).ok_or_else(|| corrupt("qr state", &row.state))?,
            phone_requested: row.phone_requested,
            use_self_wxapp: row.use_self_wxapp,
            requester: Requester {
                ip: row.requester_ip,
                user_agent: row.requester_user_agent,
            },
            scanner,
            user_id: row
                .user_id
                .as_deref()
                .map(UserId::parse)
                .transpose()
                .map_err(|e| corrupt("qr session user", e))?,
            scene: row.scene,
            created_at: row.created_at,
            expires_at: row.expires_at,
            updated_at: row.updated_at,
        })
    }
}

/// The columns of [`AppLoginSettingsRow`], for `SELECT` lists.
pub(crate) const APP_LOGIN_SETTINGS_COLUMNS: &str =
    "pool_id, ticket_lifetime_seconds, require_secret, require_pkce, updated_at";

/// An `app_login_settings` row.
#[derive(Debug, sqlx::FromRow)]
pub struct AppLoginSettingsRow {
    pool_id: String,
    ticket_lifetime_seconds: i64,
    require_secret: bool,
    require_pkce: bool,
    updated_at: DateTime<Utc>,
}

impl TryFrom<AppLoginSettingsRow> for AppLoginSettings {
    type Error = StoreError;
    fn try_from(row: AppLoginSettingsRow) -> Result<Self, Self::Error> {
        Ok(AppLoginSettings {
            pool_id: PoolId::parse(&row.pool_id).map_err(|e| corrupt("app login pool", e))?,
            ticket_lifetime: ShortLifetime::from_seconds(row.ticket_lifetime_seconds)
                .map_err(|e| corrupt("ticket lifetime", e))?,
            require_secret: row.require_secret,
            require_pkce: row.require_pkce,
            updated_at: row.updated_at,
        })
    }
}

/// The columns of [`AppTicketRow`], for `SELECT` and `RETURNING` lists.
pub(crate) const APP_TICKET_COLUMNS: &str =
    "ticket_hash, pool_id, user_id, code_challenge, created_at, expires_at, used_at";

/// An `app_tickets` row.
#[derive(Debug, sqlx::FromRow)]
pub struct AppTicketRow {
    ticket_hash: Vec<u8>,
    pool_id: String,
    user_id: String,
    code_challenge: Option<String>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
}

impl TryFrom<AppTicketRow> for AppTicket {
    type Error = StoreError;
    fn try_from(row: AppTicketRow) -> Result<Self, Self::Error> {
        Ok(AppTicket {
            hash: SecretHash::from_slice(&row.ticket_hash)
                .ok_or_else(|| corrupt("ticket hash", "length"))?,
            pool_id: PoolId::parse(&row.pool_id).map_err(|e| corrupt("ticket pool", e))?,
            user_id: UserId::parse(&row.user_id).map_err(|e| corrupt("ticket user", e))?,
            code_challenge: row
                .code_challenge
                .as_deref()
                .map(CodeChallenge::parse)
                .transpose()
                .map_err(|e| corrupt("code challenge", e))?,
            created_at: row.created_at,
            expires_at: row.expires_at,
            used_at: row.used_at,
        })
    }
}

/// A `user_metadata` pair.
#[derive(Debug, sqlx::FromRow)]
pub struct MetadataRow {
    /// The key.
    pub key: String,
    /// The value.
    pub value: String,
}

/// The columns of [`ServerKeyRow`], for `SELECT` lists.
pub(crate) const SERVER_KEY_COLUMNS: &str = "name, sealed, public_pem, created_at";

/// A `server_keys` row.
#[derive(Debug, sqlx::FromRow)]
pub struct ServerKeyRow {
    name: String,
    sealed: Vec<u8>,
    public_pem: String,
    created_at: DateTime<Utc>,
}

impl From<ServerKeyRow> for ServerKey {
    fn from(row: ServerKeyRow) -> Self {
        ServerKey {
            name: row.name,
            sealed: Sealed::from_bytes(row.sealed),
            public_pem: row.public_pem,
            created_at: row.created_at,
        }
    }
}
