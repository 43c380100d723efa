//! Row shapes of the operator area's tables, and their checked conversion into domain values.

use chrono::{DateTime, Utc};
use denglu_domain::{
    AdminScope, AdminToken, AdminTokenId, AppId, AuditEvent, NewAuditEvent, PoolId, SecretHash,
    UserId, WechatIdentity,
};
use denglu_store::StoreError;

fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {detail}"))
}

/// The columns of [`AdminTokenRow`], for `SELECT` lists.
pub(crate) const ADMIN_TOKEN_COLUMNS: &str =
    "id, name, secret_hash, pools, can_write, created_at, expires_at, revoked_at";

/// The columns of [`AuditEventRow`], for `SELECT` lists.
pub(crate) const AUDIT_EVENT_COLUMNS: &str =
    "id, at, actor, kind, pool_id, user_id, code, ip, user_agent, detail";

/// The columns of [`WechatIdentityRow`], for `SELECT` lists.
pub(crate) const WECHAT_IDENTITY_COLUMNS: &str =
    "pool_id, appid, openid, user_id, unionid, created_at";

/// An `admin_tokens` row.
#[derive(Debug, sqlx::FromRow)]
pub struct AdminTokenRow {
    id: String,
    name: String,
    secret_hash: Vec<u8>,
    pools: Option<String>,
    can_write: bool,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
}

/// How a scope is stored: NULL for the deployment, else the pool ids joined with commas.
pub(crate) fn scope_column(scope: &AdminScope) -> Option<String> {
    match scope {
        AdminScope::Deployment => None,
        AdminScope::Pools(pools) => Some(
            pools
                .iter()
                .map(PoolId::as_str)
                .collect::<Vec<_>>()
                .join(","),
        ),
    }
}

/// A scope as [`scope_column`] stored it.
pub(crate) fn scope_from_column(pools: Option<String>) -> Result<AdminScope, StoreError> {
    Ok(match pools {
        None => AdminScope::Deployment,
        Some(list) => AdminScope::Pools(
            list.split(',')
                .filter(|id| !id.is_empty())
                .map(|id| PoolId::parse(id).map_err(|e| corrupt("scope pool", e)))
                .collect::<Result<_, _>>()?,
        ),
    })
}

impl TryFrom<AdminTokenRow> for AdminToken {
    type Error = StoreError;
    fn try_from(row: AdminTokenRow) -> Result<Self, Self::Error> {
        let scope = scope_from_column(row.pools)?;
        Ok(AdminToken {
            id: AdminTokenId::parse(&row.id).map_err(|e| corrupt("admin token id", e))?,
            name: row.name,
            secret_hash: SecretHash::from_slice(&row.secret_hash)
                .ok_or_else(|| corrupt("admin token hash", "length"))?,
            scope,
            write: row.can_write,
            created_at: row.created_at,
            expires_at: row.expires_at,
            revoked_at: row.revoked_at,
        })
    }
}

/// An `audit_events` row.
#[derive(Debug, sqlx::FromRow)]
pub struct AuditEventRow {
    id: i64,
    at: DateTime<Utc>,
    actor: String,
    kind: String,
    pool_id: Option<String>,
    user_id: Option<String>,
    code: Option<i64>,
    ip: Option<String>,
    user_agent: Option<String>,
    detail: Option<String>,
}

impl TryFrom<AuditEventRow> for AuditEvent {
    type Error = StoreError;
    fn try_from(row: AuditEventRow) -> Result<Self, Self::Error> {
        Ok(AuditEvent {
            id: row.id,
            event: NewAuditEvent {
                at: row.at,
                actor: row.actor,
                kind: row.kind,
                pool_id: row
                    .pool_id
                    .map(|id| PoolId::parse(&id).map_err(|e| corrupt("audit pool", e)))
                    .transpose()?,
                user_id: row
                    .user_id
                    .map(|id| UserId::parse(&id).map_err(|e| corrupt("audit user", e)))
                    .transpose()?,
                code: row
                    .code
                    .map(|code| u32::try_from(code).map_err(|e| corrupt("audit code", e)))
                    .transpose()?,
                ip: row.ip,
                user_agent: row.user_agent,
                detail: row
                    .detail
                    .map(|text| serde_json::from_str(&text).map_err(|e| corrupt("audit detail", e)))
                    .transpose()?,
            },
        })
    }
}

/// A `wechat_identities` row.
#[derive(Debug, sqlx::FromRow)]
pub struct WechatIdentityRow {
    pool_id: String,
    appid: String,
    openid: String,
    user_id: String,
    unionid: Option<String>,
    created_at: DateTime<Utc>,
}

impl TryFrom<WechatIdentityRow> for WechatIdentity {
    type Error = StoreError;
    fn try_from(row: WechatIdentityRow) -> Result<Self, Self::Error> {
        Ok(WechatIdentity {
            pool_id: PoolId::parse(&row.pool_id).map_err(|e| corrupt("identity pool", e))?,
            appid: AppId::parse(&row.appid).map_err(|e| corrupt("identity appid", e))?,
            openid: row.openid,
            user_id: UserId::parse(&row.user_id).map_err(|e| corrupt("identity user", e))?,
            unionid: row.unionid,
            created_at: row.created_at,
        })
    }
}
