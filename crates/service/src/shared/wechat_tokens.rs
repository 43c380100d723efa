//! WeChat access tokens kept in the store, sealed with the master key, so that every replica uses the same token
//! per app instead of fetching competing ones; each refresh counted in the metrics.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use denglu_crypto::{MasterKey, hash_secret};
use denglu_domain::{AppId, CachedAccessToken, Clock, Sealed};
use denglu_store::Store;
use denglu_wechat::{AccessToken, CacheError, ClientConfig, TokenCache, WechatClient, WechatError};

use crate::Metrics;

/// A WeChat client whose access tokens live in `store`, whose clock is `clock`, and whose calls count in `metrics`.
pub fn wechat_client(
    config: ClientConfig,
    store: Arc<dyn Store>,
    master_key: MasterKey,
    clock: Arc<dyn Clock>,
    metrics: &Metrics,
) -> Result<WechatClient, WechatError> {
    let cache = StoreTokenCache {
        store,
        master_key,
        clock: Arc::clone(&clock),
        metrics: metrics.clone(),
    };
    WechatClient::builder(config)
        .token_cache(Arc::new(cache))
        .clock(Arc::new(ClockAdapter(clock)))
        .observer(Arc::new(metrics.clone()))
        .build()
}

/// The token cache on the store.
struct StoreTokenCache {
    store: Arc<dyn Store>,
    master_key: MasterKey,
    clock: Arc<dyn Clock>,
    metrics: Metrics,
}

#[async_trait]
impl TokenCache for StoreTokenCache {
    async fn load(&self, appid: &str) -> Result<Option<AccessToken>, CacheError> {
        let appid = AppId::parse(appid)?;
        let Some(cached) = self.store.wechat_access_token(&appid).await? else {
            return Ok(None);
        };
        let context = CachedAccessToken::seal_context(&appid);
        let value = String::from_utf8(self.master_key.open(&context, &cached.sealed)?)?;
        Ok(Some(AccessToken::new(
            value,
            cached.refresh_at,
            cached.expires_at,
        )))
    }

    async fn save(&self, appid: &str, token: &AccessToken) -> Result<(), CacheError> {
        let appid = AppId::parse(appid)?;
        let sealed: Sealed = self.master_key.seal(
            &CachedAccessToken::seal_context(&appid),
            token.value().as_bytes(),
        );
        let cached = CachedAccessToken {
            hash: hash_secret(token.value()),
            appid,
            sealed,
            refresh_at: token.refresh_at(),
            expires_at: token.expires_at(),
            updated_at: self.clock.now(),
        };
        // The client saves only a token it has just fetched.
        self.metrics.token_refreshed();
        Ok(self.store.save_wechat_access_token(&cached).await?)
    }

    async fn discard(&self, appid: &str, value: &str) -> Result<(), CacheError> {
        let appid = AppId::parse(appid)?;
        Ok(self
            .store
            .discard_wechat_access_token(&appid, &hash_secret(value))
            .await?)
    }
}

/// The services' clock as the WeChat client's clock.
struct ClockAdapter(Arc<dyn Clock>);

impl denglu_wechat::Clock for ClockAdapter {
    fn now(&self) -> DateTime<Utc> {
        self.0.now()
    }
}
