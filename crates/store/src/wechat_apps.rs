//! The store's WeChat apps of each pool: mini programs with their roles, and mobile apps. Reached through
//! [`crate::Store::wechat_apps`].

use async_trait::async_trait;
use denglu_domain::{AppId, PoolId, QrSettings, WechatApp};

use crate::StoreResult;

/// What an earlier version's single "own app" of a pool becomes when set through the QR settings, in one
/// transaction with them.
#[derive(Debug, Clone, Copy)]
pub struct OwnAppChange<'a> {
    /// The QR settings to save with it (their scanner choice follows the own app).
    pub settings: &'a QrSettings,
    /// The app that served as the pool's own until now, removed when it is not `own`'s AppID.
    pub replaced: Option<&'a AppId>,
    /// The new own app: added with every role, or, when the pool has it already, given its secret, link prefix,
    /// confirm page and every role. `None` removes the own app only.
    pub own: Option<&'a WechatApp>,
}

/// Persistent state of the pools' WeChat apps. Every write is atomic, as for [`crate::Store`].
#[async_trait]
pub trait WechatAppStore: Send + Sync {
    /// The pool's apps, in the order they were added.
    async fn wechat_apps(&self, pool: &PoolId) -> StoreResult<Vec<WechatApp>>;
    /// Adds an app to its pool; `Conflict` when the pool has this AppID already.
    async fn insert_wechat_app(&self, app: &WechatApp) -> StoreResult<()>;
    /// Replaces the stored fields of the pool's app with this AppID; `false` when the pool has no such app.
    async fn update_wechat_app(&self, app: &WechatApp) -> StoreResult<bool>;
    /// Removes the pool's app with this AppID; `false` when there is none. The WeChat identities of its users stay.
    async fn delete_wechat_app(&self, pool: &PoolId, appid: &AppId) -> StoreResult<bool>;
    /// Sets or removes the pool's own app and saves its QR settings, together.
    async fn change_own_app(&self, change: OwnAppChange<'_>) -> StoreResult<()>;
}
