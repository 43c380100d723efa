//! [`SqlStore`]: the Store trait over any [`SqlBackend`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use denglu_domain::{
    AppId, AppLoginSettings, AppTicket, CachedAccessToken, LoginName, Pool, PoolId, QrSession,
    QrSettings, Scanner, SecretHash, ServerKey, SigningKey, User, UserId, WechatIdentity,
};
use denglu_store::{LoginRecord, NewAvatar, PurgeCount, Store, StoreError, StoreResult};

use crate::{SqlBackend, app_login, avatars, pools, purge, qr, rate_limits, users, wechat};

/// The store on a SQL backend.
#[derive(Debug, Clone)]
pub struct SqlStore<B> {
    pub(crate) backend: B,
}

impl<B: SqlBackend> SqlStore<B> {
    /// A store running its statements on `backend`.
    pub fn new(backend: B) -> Self {
        Self { backend }
    }
}

#[async_trait]
impl<B: SqlBackend> Store for SqlStore<B> {
    #[tracing::instrument(name = "store.ping", level = "debug", skip_all)]
    async fn ping(&self) -> StoreResult<()> {
        self.backend.ping().await
    }

    fn pool_use(&self) -> denglu_store::PoolUse {
        self.backend.pool_use()
    }

    fn admin(&self) -> &dyn denglu_store::AdminStore {
        self
    }

    fn operators(&self) -> &dyn denglu_store::OperatorStore {
        self
    }

    fn wechat_apps(&self) -> &dyn denglu_store::WechatAppStore {
        self
    }

    fn oidc_clients(&self) -> &dyn denglu_store::OidcClientStore {
        self
    }

    fn oidc(&self) -> &dyn denglu_store::OidcStore {
        self
    }

    #[tracing::instrument(name = "store.insert_pool", level = "debug", skip_all, fields(pool_id = %pool.id))]
    async fn insert_pool(&self, pool: &Pool, key: &SigningKey) -> StoreResult<()> {
        self.backend
            .execute(&[pools::insert(pool), pools::insert_signing_key(key)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.pool", level = "debug", skip_all, fields(pool_id = %id))]
    async fn pool(&self, id: &PoolId) -> StoreResult<Option<Pool>> {
        let rows = self.backend.fetch_pools(&pools::by_id(id)).await?;
        rows.into_iter().next().map(Pool::try_from).transpose()
    }

    #[tracing::instrument(name = "store.pools", level = "debug", skip_all)]
    async fn pools(&self) -> StoreResult<Vec<Pool>> {
        self.backend
            .fetch_pools(&pools::all())
            .await?
            .into_iter()
            .map(Pool::try_from)
            .collect()
    }

    #[tracing::instrument(name = "store.set_pool_secret", level = "debug", skip_all, fields(pool_id = %id))]
    async fn set_pool_secret(
        &self,
        id: &PoolId,
        hash: &SecretHash,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        match self
            .backend
            .execute(&[pools::set_secret(id, hash, at)])
            .await?
            .as_slice()
        {
            [0] => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }

    #[tracing::instrument(name = "store.signing_keys", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn signing_keys(&self, pool: &PoolId) -> StoreResult<Vec<SigningKey>> {
        let rows = self
            .backend
            .fetch_signing_keys(&pools::signing_keys(pool))
            .await?;
        rows.into_iter().map(SigningKey::try_from).collect()
    }

    #[tracing::instrument(name = "store.insert_signing_key", level = "debug", skip_all, fields(pool_id = %key.pool_id))]
    async fn insert_signing_key(&self, key: &SigningKey) -> StoreResult<()> {
        self.backend
            .execute(&[pools::insert_signing_key(key)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.retire_signing_key", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn retire_signing_key(
        &self,
        pool: &PoolId,
        kid: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.changed(pools::retire_signing_key(pool, kid, at)).await
    }

    #[tracing::instrument(name = "store.server_key", level = "debug", skip_all, fields(name = name))]
    async fn server_key(&self, name: &str) -> StoreResult<Option<ServerKey>> {
        let rows = self
            .backend
            .fetch_server_keys(&pools::server_key(name))
            .await?;
        Ok(rows.into_iter().next().map(ServerKey::from))
    }

    #[tracing::instrument(name = "store.insert_server_key", level = "debug", skip_all, fields(name = %key.name))]
    async fn insert_server_key(&self, key: &ServerKey) -> StoreResult<()> {
        self.backend
            .execute(&[pools::insert_server_key(key)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.insert_user", level = "debug", skip_all, fields(pool_id = %user.pool_id, user_id = %user.id))]
    async fn insert_user(&self, user: &User) -> StoreResult<()> {
        self.backend.execute(&[users::insert(user)]).await.map(drop)
    }

    #[tracing::instrument(name = "store.user", level = "debug", skip_all, fields(pool_id = %pool, user_id = %id))]
    async fn user(&self, pool: &PoolId, id: &UserId) -> StoreResult<Option<User>> {
        self.found_user(users::by_id(pool, id)).await
    }

    #[tracing::instrument(name = "store.user_by_login", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn user_by_login(&self, pool: &PoolId, login: &LoginName) -> StoreResult<Option<User>> {
        self.found_user(users::by_login(pool, login)).await
    }

    #[tracing::instrument(name = "store.users", level = "debug", skip_all, fields(pool_id = %pool, limit = limit, offset = offset))]
    async fn users(&self, pool: &PoolId, limit: u32, offset: u32) -> StoreResult<Vec<User>> {
        let rows = self
            .backend
            .fetch_users(&users::page(pool, limit, offset))
            .await?;
        rows.into_iter().map(User::try_from).collect()
    }

    #[tracing::instrument(name = "store.record_login", level = "debug", skip_all, fields(pool_id = %pool, user_id = %id))]
    async fn record_login(
        &self,
        pool: &PoolId,
        id: &UserId,
        login: &LoginRecord,
    ) -> StoreResult<User> {
        self.changed_user(users::record_login(pool, id, login))
            .await
    }

    #[tracing::instrument(name = "store.revoke_tokens", level = "debug", skip_all, fields(pool_id = %pool, user_id = %id))]
    async fn revoke_tokens(
        &self,
        pool: &PoolId,
        id: &UserId,
        at: DateTime<Utc>,
    ) -> StoreResult<User> {
        let user = self
            .changed_user(users::revoke_tokens(pool, id, at))
            .await?;
        self.announce_revocation(pool, id).await;
        Ok(user)
    }

    #[tracing::instrument(name = "store.set_blocked", level = "debug", skip_all, fields(pool_id = %pool, user_id = %id, blocked = blocked))]
    async fn set_blocked(
        &self,
        pool: &PoolId,
        id: &UserId,
        blocked: bool,
        at: DateTime<Utc>,
    ) -> StoreResult<User> {
        let user = self
            .changed_user(users::set_blocked(pool, id, blocked, at))
            .await?;
        self.announce_revocation(pool, id).await;
        Ok(user)
    }

    #[tracing::instrument(name = "store.wechat_access_token", level = "debug", skip_all, fields(appid = %appid))]
    async fn wechat_access_token(&self, appid: &AppId) -> StoreResult<Option<CachedAccessToken>> {
        let rows = self
            .backend
            .fetch_wechat_access_tokens(&wechat::access_token(appid))
            .await?;
        rows.into_iter()
            .next()
            .map(CachedAccessToken::try_from)
            .transpose()
    }

    #[tracing::instrument(name = "store.save_wechat_access_token", level = "debug", skip_all, fields(appid = %token.appid))]
    async fn save_wechat_access_token(&self, token: &CachedAccessToken) -> StoreResult<()> {
        self.backend
            .execute(&[wechat::save_access_token(token)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.discard_wechat_access_token", level = "debug", skip_all, fields(appid = %appid))]
    async fn discard_wechat_access_token(
        &self,
        appid: &AppId,
        hash: &SecretHash,
    ) -> StoreResult<()> {
        self.backend
            .execute(&[wechat::discard_access_token(appid, hash)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.user_by_wechat_identity", level = "debug", skip_all, fields(pool_id = %pool, appid = %appid))]
    async fn user_by_wechat_identity(
        &self,
        pool: &PoolId,
        appid: &AppId,
        openid: &str,
        unionid: Option<&str>,
    ) -> StoreResult<Option<User>> {
        self.found_user(wechat::user_by_identity(pool, appid, openid, unionid))
            .await
    }

    #[tracing::instrument(name = "store.user_by_phone", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn user_by_phone(&self, pool: &PoolId, phone: &str) -> StoreResult<Option<User>> {
        self.found_user(wechat::user_by_phone(pool, phone)).await
    }

    #[tracing::instrument(name = "store.insert_wechat_user", level = "debug", skip_all, fields(pool_id = %user.pool_id, user_id = %user.id, appid = %identity.appid))]
    async fn insert_wechat_user(&self, user: &User, identity: &WechatIdentity) -> StoreResult<()> {
        self.backend
            .execute(&[users::insert(user), wechat::insert_identity(identity)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.link_wechat_identity", level = "debug", skip_all, fields(pool_id = %identity.pool_id, user_id = %identity.user_id, appid = %identity.appid))]
    async fn link_wechat_identity(&self, identity: &WechatIdentity) -> StoreResult<()> {
        self.backend
            .execute(&[wechat::insert_identity(identity)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.set_verified_phone", level = "debug", skip_all, fields(pool_id = %pool, user_id = %user))]
    async fn set_verified_phone(
        &self,
        pool: &PoolId,
        user: &UserId,
        phone: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<User> {
        self.changed_user(wechat::set_verified_phone(pool, user, phone, at))
            .await
    }

    #[tracing::instrument(name = "store.record_verified_phone", level = "debug", skip_all, fields(pool_id = %pool, appid = %appid))]
    async fn record_verified_phone(
        &self,
        pool: &PoolId,
        appid: &AppId,
        openid: &str,
        phone: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.backend
            .execute(&[wechat::record_verified_phone(
                pool, appid, openid, phone, at,
            )])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.user_by_verified_phone", level = "debug", skip_all, fields(pool_id = %pool, appid = %appid))]
    async fn user_by_verified_phone(
        &self,
        pool: &PoolId,
        appid: &AppId,
        openid: &str,
        phone: &str,
    ) -> StoreResult<Option<User>> {
        self.found_user(wechat::user_by_verified_phone(pool, appid, openid, phone))
            .await
    }

    #[tracing::instrument(name = "store.set_profile", level = "debug", skip_all, fields(pool_id = %pool, user_id = %user))]
    async fn set_profile(
        &self,
        pool: &PoolId,
        user: &UserId,
        nickname: Option<&str>,
        photo: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<User> {
        self.changed_user(wechat::set_profile(pool, user, nickname, photo, at))
            .await
    }

    #[tracing::instrument(name = "store.user_metadata", level = "debug", skip_all, fields(pool_id = %pool, user_id = %user))]
    async fn user_metadata(
        &self,
        pool: &PoolId,
        user: &UserId,
    ) -> StoreResult<Vec<(String, String)>> {
        let rows = self
            .backend
            .fetch_metadata(&users::metadata(pool, user))
            .await?;
        Ok(rows.into_iter().map(|row| (row.key, row.value)).collect())
    }

    #[tracing::instrument(name = "store.set_user_metadata", level = "debug", skip_all, fields(pool_id = %pool, user_id = %user))]
    async fn set_user_metadata(
        &self,
        pool: &PoolId,
        user: &UserId,
        key: &str,
        value: &str,
        max_keys: usize,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let max_keys = i64::try_from(max_keys).unwrap_or(i64::MAX);
        let changed = self
            .backend
            .execute(&users::set_metadata(pool, user, key, value, max_keys, at))
            .await?;
        match changed.as_slice() {
            [0, _] => Err(StoreError::NotFound),
            [_, stored] => Ok(*stored > 0),
            _ => Err(StoreError::Other(format!(
                "setting metadata ran {} statements, not 2",
                changed.len()
            ))),
        }
    }

    #[tracing::instrument(name = "store.remove_user_metadata", level = "debug", skip_all, fields(pool_id = %pool, user_id = %user))]
    async fn remove_user_metadata(
        &self,
        pool: &PoolId,
        user: &UserId,
        key: &str,
    ) -> StoreResult<()> {
        self.backend
            .execute(&[users::remove_metadata(pool, user, key)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.qr_settings", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn qr_settings(&self, pool: &PoolId) -> StoreResult<Option<QrSettings>> {
        let rows = self.backend.fetch_qr_settings(&qr::settings(pool)).await?;
        rows.into_iter()
            .next()
            .map(QrSettings::try_from)
            .transpose()
    }

    #[tracing::instrument(name = "store.save_qr_settings", level = "debug", skip_all, fields(pool_id = %settings.pool_id))]
    async fn save_qr_settings(&self, settings: &QrSettings) -> StoreResult<()> {
        self.backend
            .execute(&[qr::save_settings(settings)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.pool_logo", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn pool_logo(&self, pool: &PoolId) -> StoreResult<Option<Vec<u8>>> {
        let rows = self.backend.fetch_logos(&qr::logo(pool)).await?;
        Ok(rows.into_iter().next().map(|row| row.png))
    }

    #[tracing::instrument(name = "store.save_pool_logo", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn save_pool_logo(
        &self,
        pool: &PoolId,
        png: Option<&[u8]>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let statement = match png {
            Some(png) => qr::save_logo(pool, png, at),
            None => qr::delete_logo(pool),
        };
        self.backend.execute(&[statement]).await.map(drop)
    }

    #[tracing::instrument(name = "store.set_avatar", level = "debug", skip_all, fields(pool_id = %pool, user_id = %user))]
    async fn set_avatar(
        &self,
        pool: &PoolId,
        user: &UserId,
        avatar: NewAvatar<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<User> {
        let changed = self
            .backend
            .execute(&[
                avatars::set_photo(pool, user, avatar.photo, at),
                avatars::retire(pool, user, at),
                avatars::insert(pool, user, avatar.name, avatar.png, at),
            ])
            .await?;
        if changed.first().copied().unwrap_or(0) == 0 {
            return Err(StoreError::NotFound);
        }
        self.user(pool, user).await?.ok_or(StoreError::NotFound)
    }

    #[tracing::instrument(name = "store.avatar", level = "debug", skip_all)]
    async fn avatar(&self, name: &str) -> StoreResult<Option<Vec<u8>>> {
        let rows = self.backend.fetch_logos(&avatars::image(name)).await?;
        Ok(rows.into_iter().next().map(|row| row.png))
    }

    #[tracing::instrument(name = "store.insert_qr_session", level = "debug", skip_all, fields(pool_id = %session.pool_id))]
    async fn insert_qr_session(&self, session: &QrSession) -> StoreResult<()> {
        self.backend
            .execute(&[qr::insert_session(session)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.qr_session", level = "debug", skip_all)]
    async fn qr_session(&self, scene: &str) -> StoreResult<Option<QrSession>> {
        self.found_qr_session(qr::by_scene(scene)).await
    }

    #[tracing::instrument(name = "store.qr_session_by_poll_secret", level = "debug", skip_all)]
    async fn qr_session_by_poll_secret(&self, hash: &SecretHash) -> StoreResult<Option<QrSession>> {
        self.found_qr_session(qr::by_poll_secret(hash)).await
    }

    #[tracing::instrument(name = "store.record_qr_scan", level = "debug", skip_all, fields(appid = %scanner.appid))]
    async fn record_qr_scan(&self, scene: &str, scanner: &Scanner) -> StoreResult<bool> {
        self.changed(qr::record_scan(scene, scanner)).await
    }

    #[tracing::instrument(name = "store.confirm_qr", level = "debug", skip_all, fields(user_id = %user))]
    async fn confirm_qr(&self, scene: &str, user: &UserId, at: DateTime<Utc>) -> StoreResult<bool> {
        self.changed(qr::confirm(scene, user, at)).await
    }

    #[tracing::instrument(name = "store.cancel_qr", level = "debug", skip_all)]
    async fn cancel_qr(&self, scene: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        self.changed(qr::cancel(scene, at)).await
    }

    #[tracing::instrument(name = "store.claim_qr", level = "debug", skip_all, fields(pool_id = %pool, user_id = %user))]
    async fn claim_qr(
        &self,
        hash: &SecretHash,
        pool: &PoolId,
        user: &UserId,
        login: &LoginRecord,
    ) -> StoreResult<bool> {
        let changed = self
            .backend
            .execute(&qr::claim(hash, pool, user, login))
            .await?;
        Ok(qr::claim_changed(&changed))
    }

    #[tracing::instrument(name = "store.app_login_settings", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn app_login_settings(&self, pool: &PoolId) -> StoreResult<Option<AppLoginSettings>> {
        let rows = self
            .backend
            .fetch_app_login_settings(&app_login::settings(pool))
            .await?;
        rows.into_iter()
            .next()
            .map(AppLoginSettings::try_from)
            .transpose()
    }

    #[tracing::instrument(name = "store.save_app_login_settings", level = "debug", skip_all, fields(pool_id = %settings.pool_id))]
    async fn save_app_login_settings(&self, settings: &AppLoginSettings) -> StoreResult<()> {
        self.backend
            .execute(&[app_login::save_settings(settings)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.insert_app_ticket", level = "debug", skip_all, fields(pool_id = %ticket.pool_id, user_id = %ticket.user_id))]
    async fn insert_app_ticket(&self, ticket: &AppTicket) -> StoreResult<()> {
        self.backend
            .execute(&[app_login::insert_ticket(ticket)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.app_ticket", level = "debug", skip_all)]
    async fn app_ticket(&self, hash: &SecretHash) -> StoreResult<Option<AppTicket>> {
        let rows = self
            .backend
            .fetch_app_tickets(&app_login::ticket(hash))
            .await?;
        rows.into_iter().next().map(AppTicket::try_from).transpose()
    }

    #[tracing::instrument(name = "store.redeem_app_ticket", level = "debug", skip_all, fields(pool_id = %pool, user_id = %user))]
    async fn redeem_app_ticket(
        &self,
        pool: &PoolId,
        hash: &SecretHash,
        user: &UserId,
        login: &LoginRecord,
    ) -> StoreResult<bool> {
        let changed = self
            .backend
            .execute(&app_login::redeem(pool, hash, user, login))
            .await?;
        Ok(app_login::redeem_changed(&changed))
    }

    #[tracing::instrument(name = "store.use_up_app_ticket", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn use_up_app_ticket(
        &self,
        pool: &PoolId,
        hash: &SecretHash,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let changed = self
            .backend
            .execute(&[app_login::use_up(pool, hash, at)])
            .await?;
        Ok(changed.first().is_some_and(|n| *n > 0))
    }

    #[tracing::instrument(name = "store.count_attempt", level = "debug", skip_all, fields(limit = limit))]
    async fn count_attempt(
        &self,
        key: &SecretHash,
        limit: u32,
        at: DateTime<Utc>,
        window: chrono::TimeDelta,
    ) -> StoreResult<bool> {
        self.changed(rate_limits::count_attempt(key, limit, at, window))
            .await
    }

    #[tracing::instrument(name = "store.purge_expired", level = "debug", skip(self))]
    async fn purge_expired(&self, before: DateTime<Utc>, batch: u32) -> StoreResult<PurgeCount> {
        let skip_locked = self.backend.skip_locked();
        let counts = self
            .backend
            .execute(&[
                purge::qr_sessions(before, batch, skip_locked),
                purge::app_tickets(before, batch, skip_locked),
                purge::rate_limit_windows(before, batch, skip_locked),
                purge::avatars(before, batch, skip_locked),
                purge::operator_sessions(before, batch, skip_locked),
                purge::oidc_sessions(before, batch, skip_locked),
                purge::oidc_codes(before, batch, skip_locked),
                purge::oidc_grants(before, batch, skip_locked),
                purge::oidc_device_codes(before, batch, skip_locked),
            ])
            .await?;
        Ok(PurgeCount {
            qr_sessions: counts.first().copied().unwrap_or(0),
            app_tickets: counts.get(1).copied().unwrap_or(0),
            rate_limit_windows: counts.get(2).copied().unwrap_or(0),
            avatars: counts.get(3).copied().unwrap_or(0),
            operator_sessions: counts.get(4).copied().unwrap_or(0),
            oidc_sessions: counts.get(5).copied().unwrap_or(0),
            oidc_codes: counts.get(6).copied().unwrap_or(0),
            oidc_grants: counts.get(7).copied().unwrap_or(0),
            oidc_device_codes: counts.get(8).copied().unwrap_or(0),
        })
    }

    #[tracing::instrument(name = "store.announce_qr_change", level = "debug", skip_all)]
    async fn announce_qr_change(&self, scene: &str) -> StoreResult<()> {
        self.backend.announce_qr_change(scene).await
    }

    fn qr_changes(&self) -> denglu_store::QrChanges {
        self.backend.qr_changes()
    }

    fn revocations(&self) -> denglu_store::Revocations {
        self.backend.revocations()
    }

    fn notices_reach_every_process(&self) -> bool {
        self.backend.notices_reach_every_process()
    }
}
