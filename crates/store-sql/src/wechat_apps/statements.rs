//! Statements of the `wechat_apps` table.

use denglu_domain::{AppId, PoolId, Sealed, WechatApp};

use crate::{Statement, wechat_apps::rows::WECHAT_APP_COLUMNS};

pub(crate) fn of_pool(pool: &PoolId) -> Statement {
    Statement::new(format!(
        "SELECT {WECHAT_APP_COLUMNS} FROM wechat_apps WHERE pool_id = $1 ORDER BY created_at, appid"
    ))
    .bind(pool.as_str())
}

pub(crate) fn insert(app: &WechatApp) -> Statement {
    with_app_values(app, "")
}

pub(crate) fn update(app: &WechatApp) -> Statement {
    Statement::new(
        "UPDATE wechat_apps SET name = $3, qr_login = $4, app_launch = $5, sdk = $6, secret_sealed = $7, \
         link_prefix = $8, confirm_page = $9, updated_at = $10 WHERE pool_id = $1 AND appid = $2",
    )
    .bind(app.pool_id.as_str())
    .bind(app.appid.as_str())
    .bind(app.name.as_str())
    .bind(app.roles.qr_login)
    .bind(app.roles.app_launch)
    .bind(app.roles.sdk)
    .bind(app.secret.as_ref().map(Sealed::as_bytes))
    .bind(app.link_prefix.as_deref())
    .bind(app.confirm_page.as_deref())
    .bind(app.updated_at)
}

/// Adds the own app, or gives the pool's app with its AppID its credentials, pages and every role.
pub(crate) fn put_own(app: &WechatApp) -> Statement {
    with_app_values(
        app,
        " ON CONFLICT (pool_id, appid) DO UPDATE SET kind = excluded.kind, qr_login = excluded.qr_login, \
         app_launch = excluded.app_launch, sdk = excluded.sdk, secret_sealed = excluded.secret_sealed, \
         link_prefix = excluded.link_prefix, confirm_page = excluded.confirm_page, updated_at = excluded.updated_at",
    )
}

/// `INSERT` of every column of `app`, followed by `on_conflict`.
fn with_app_values(app: &WechatApp, on_conflict: &str) -> Statement {
    Statement::new(format!(
        "INSERT INTO wechat_apps (pool_id, appid, kind, name, qr_login, app_launch, sdk, secret_sealed, \
         link_prefix, confirm_page, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)\
         {on_conflict}"
    ))
    .bind(app.pool_id.as_str())
    .bind(app.appid.as_str())
    .bind(app.kind.as_str())
    .bind(app.name.as_str())
    .bind(app.roles.qr_login)
    .bind(app.roles.app_launch)
    .bind(app.roles.sdk)
    .bind(app.secret.as_ref().map(Sealed::as_bytes))
    .bind(app.link_prefix.as_deref())
    .bind(app.confirm_page.as_deref())
    .bind(app.created_at)
    .bind(app.updated_at)
}

pub(crate) fn delete(pool: &PoolId, appid: &AppId) -> Statement {
    Statement::new("DELETE FROM wechat_apps WHERE pool_id = $1 AND appid = $2")
        .bind(pool.as_str())
        .bind(appid.as_str())
}
