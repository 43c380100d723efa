//! The `wechat_apps` row and its checked conversion into a [`WechatApp`].

use chrono::{DateTime, Utc};
use denglu_domain::{AppId, AppKind, AppName, AppRoles, PoolId, Sealed, WechatApp};
use denglu_store::StoreError;

fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {detail}"))
}

/// The columns of [`WechatAppRow`], for `SELECT` lists.
pub(crate) const WECHAT_APP_COLUMNS: &str = "pool_id, appid, kind, name, qr_login, app_launch, sdk, \
     secret_sealed, link_prefix, confirm_page, created_at, updated_at";

/// A `wechat_apps` row.
#[derive(Debug, sqlx::FromRow)]
pub struct WechatAppRow {
    pool_id: String,
    appid: String,
    kind: String,
    name: String,
    qr_login: bool,
    app_launch: bool,
    sdk: bool,
    secret_sealed: Option<Vec<u8>>,
    link_prefix: Option<String>,
    confirm_page: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<WechatAppRow> for WechatApp {
    type Error = StoreError;
    fn try_from(row: WechatAppRow) -> Result<Self, Self::Error> {
        Ok(WechatApp {
            pool_id: PoolId::parse(&row.pool_id).map_err(|e| corrupt("app pool", e))?,
            appid: AppId::parse(&row.appid).map_err(|e| corrupt("app appid", e))?,
            kind: AppKind::parse(&row.kind).ok_or_else(|| corrupt("app kind", &row.kind))?,
            name: AppName::parse(&row.name).map_err(|e| corrupt("app name", e))?,
            roles: AppRoles {
                qr_login: row.qr_login,
                app_launch: row.app_launch,
                sdk: row.sdk,
            },
            secret: row.secret_sealed.map(Sealed::from_bytes),
            link_prefix: row.link_prefix,
            confirm_page: row.confirm_page,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}
