//! The access token holder: stable tokens cached until shortly before expiry, refreshed by one caller at a time,
//! kept in a [`TokenCache`] that several processes may share. When a refresh fails, the cached token is used until
//! it really expires.

use std::{
    collections::HashMap,
    fmt,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    AppCredentials, ClientConfig, Clock, WechatError,
    retry::retrying_busy,
    transport::{Transport, parse},
};

/// An access token, when to replace it and when WeChat stops accepting it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    value: String,
    refresh_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

impl AccessToken {
    /// A token read back from a cache.
    pub fn new(value: String, refresh_at: DateTime<Utc>, expires_at: DateTime<Utc>) -> Self {
        Self {
            value,
            refresh_at,
            expires_at,
        }
    }

    /// The token text, for a request's query string.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// From this time on the holder fetches a new token.
    pub fn refresh_at(&self) -> DateTime<Utc> {
        self.refresh_at
    }

    /// When WeChat stops accepting the token.
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.expires_at
    }

    /// A token WeChat just issued: replaced `margin` before expiry, or half-way when its lifetime is shorter.
    fn issued(value: String, now: DateTime<Utc>, expires_in: i64, margin: TimeDelta) -> Self {
        let lifetime = TimeDelta::seconds(expires_in.max(0));
        let usable = (lifetime - margin).max(lifetime / 2);
        Self::new(value, now + usable, now + lifetime)
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("value", &"[redacted]")
            .field("refresh_at", &self.refresh_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Why a cache operation failed; the holder logs it and carries on without the cache.
pub type CacheError = Box<dyn std::error::Error + Send + Sync>;

/// Where access tokens are kept between calls: in memory for one process, or in a database so that every
/// replica uses the same token per app.
#[async_trait]
pub trait TokenCache: Send + Sync + 'static {
    /// The cached token of `appid`, if any.
    async fn load(&self, appid: &str) -> Result<Option<AccessToken>, CacheError>;
    /// Keeps `token` as the token of `appid`, replacing one that expires earlier; a token kept that expires no
    /// earlier stays (a caller that fetched before another but saves after it must not bring back an older token).
    async fn save(&self, appid: &str, token: &AccessToken) -> Result<(), CacheError>;
    /// Forgets the token of `appid` only if it is still `value`; a newer token is left alone.
    async fn discard(&self, appid: &str, value: &str) -> Result<(), CacheError>;
}

/// A cache for one process.
#[derive(Debug, Default)]
pub struct MemoryTokenCache {
    tokens: Mutex<HashMap<String, AccessToken>>,
}

impl MemoryTokenCache {
    fn tokens(&self) -> std::sync::MutexGuard<'_, HashMap<String, AccessToken>> {
        // A panic while holding this lock cannot leave the map half-updated: every operation is one call.
        self.tokens
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[async_trait]
impl TokenCache for MemoryTokenCache {
    async fn load(&self, appid: &str) -> Result<Option<AccessToken>, CacheError> {
        Ok(self.tokens().get(appid).cloned())
    }

    async fn save(&self, appid: &str, token: &AccessToken) -> Result<(), CacheError> {
        let mut tokens = self.tokens();
        if tokens
            .get(appid)
            .is_none_or(|kept| kept.expires_at < token.expires_at)
        {
            tokens.insert(appid.to_owned(), token.clone());
        }
        Ok(())
    }

    async fn discard(&self, appid: &str, value: &str) -> Result<(), CacheError> {
        let mut tokens = self.tokens();
        if tokens.get(appid).is_some_and(|t| t.value == value) {
            tokens.remove(appid);
        }
        Ok(())
    }
}

/// `POST /cgi-bin/stable_token` body.
#[derive(Serialize)]
struct StableTokenRequest<'a> {
    grant_type: &'static str,
    appid: &'a str,
    secret: &'a str,
    force_refresh: bool,
}

/// `POST /cgi-bin/stable_token` answer.
#[derive(Deserialize)]
struct StableTokenAnswer {
    access_token: String,
    expires_in: i64,
}

/// One app's refreshes: the single flight, and how many have failed so far.
#[derive(Default)]
struct Refresh {
    lock: tokio::sync::Mutex<()>,
    failures: AtomicU64,
}

/// Hands out access tokens per app.
pub(crate) struct TokenHolder {
    cache: Arc<dyn TokenCache>,
    clock: Arc<dyn Clock>,
    margin: TimeDelta,
    refreshing: Mutex<HashMap<String, Arc<Refresh>>>,
    /// Per app, the last token WeChat rejected: never handed out when a refresh fails, even if the cache could not
    /// forget it. Forgotten when a refresh succeeds.
    rejected: Mutex<HashMap<String, String>>,
}

impl TokenHolder {
    pub(crate) fn new(
        cache: Arc<dyn TokenCache>,
        clock: Arc<dyn Clock>,
        config: &ClientConfig,
    ) -> Self {
        let margin = i64::try_from(config.token_refresh_margin_secs).unwrap_or(i64::MAX);
        Self {
            cache,
            clock,
            margin: TimeDelta::try_seconds(margin).unwrap_or(TimeDelta::MAX),
            refreshing: Mutex::default(),
            rejected: Mutex::default(),
        }
    }

    /// A usable token of `app`: the cached one, or a new one fetched by exactly one of the concurrent callers.
    /// When the refresh fails, the cached token as long as it has not expired (and WeChat has not rejected it).
    pub(crate) async fn current(
        &self,
        transport: &Transport,
        config: &ClientConfig,
        app: &AppCredentials,
    ) -> Result<AccessToken, WechatError> {
        let appid = app.appid();
        let cached = self.cached(appid).await;
        if let Some(token) = cached.filter(|t| self.clock.now() < t.refresh_at) {
            return Ok(token);
        }
        let refresh = self.refresh(appid);
        let failures = refresh.failures.load(Ordering::Acquire);
        let _refreshing = refresh.lock.lock().await;
        // Whoever held the lock before us has probably refreshed already.
        let cached = self.cached(appid).await;
        if let Some(token) = cached.as_ref().filter(|t| self.clock.now() < t.refresh_at) {
            return Ok(token.clone());
        }
        // Or failed to: then WeChat is not asked again by every caller that waited.
        if refresh.failures.load(Ordering::Acquire) != failures
            && let Some(token) = self.fallback(appid, cached.as_ref())
        {
            return Ok(token);
        }
        match retrying_busy(config, || self.fetch(transport, app)).await {
            Ok(token) => {
                self.rejected().remove(appid);
                if let Err(error) = self.cache.save(appid, &token).await {
                    tracing::warn!(appid, %error, "could not cache the WeChat access token");
                }
                Ok(token)
            }
            Err(error) => {
                refresh.failures.fetch_add(1, Ordering::Release);
                let Some(token) = self.fallback(appid, cached.as_ref()) else {
                    return Err(error);
                };
                tracing::warn!(
                    appid,
                    %error,
                    expires_at = %token.expires_at,
                    "could not refresh the WeChat access token; using the cached one until it expires"
                );
                Ok(token)
            }
        }
    }

    /// Drops `token` of `appid` from the cache, unless another caller has replaced it already.
    pub(crate) async fn discard(&self, appid: &str, token: &AccessToken) {
        self.rejected()
            .insert(appid.to_owned(), token.value().to_owned());
        if let Err(error) = self.cache.discard(appid, token.value()).await {
            tracing::warn!(appid, %error, "could not discard a rejected WeChat access token");
        }
    }

    /// The cached token of `appid`, due for replacement or not.
    async fn cached(&self, appid: &str) -> Option<AccessToken> {
        match self.cache.load(appid).await {
            Ok(token) => token,
            Err(error) => {
                tracing::warn!(appid, %error, "could not read the cached WeChat access token");
                None
            }
        }
    }

    /// `cached` when a refresh failed: only until it expires, and never a token WeChat rejected.
    fn fallback(&self, appid: &str, cached: Option<&AccessToken>) -> Option<AccessToken> {
        let rejected = self.rejected();
        cached
            .filter(|t| self.clock.now() < t.expires_at)
            .filter(|t| rejected.get(appid).is_none_or(|value| *value != t.value))
            .cloned()
    }

    /// Asks WeChat for a token with `app`'s credentials, whatever the cache holds, and caches it: how an AppSecret
    /// is tested when it is saved. Not retried: the caller shows WeChat's verdict.
    pub(crate) async fn check(
        &self,
        transport: &Transport,
        app: &AppCredentials,
    ) -> Result<(), WechatError> {
        let token = self.fetch(transport, app).await?;
        if let Err(error) = self.cache.save(app.appid(), &token).await {
            tracing::warn!(appid = app.appid(), %error, "could not cache the WeChat access token");
        }
        Ok(())
    }

    #[tracing::instrument(name = "wechat.stable_token", skip_all, fields(appid = app.appid()))]
    async fn fetch(
        &self,
        transport: &Transport,
        app: &AppCredentials,
    ) -> Result<AccessToken, WechatError> {
        let request = StableTokenRequest {
            grant_type: "client_credential",
            appid: app.appid(),
            secret: app.secret(),
            force_refresh: false,
        };
        let answer: StableTokenAnswer = parse(
            transport
                .post("/cgi-bin/stable_token", &[], &request)
                .await?,
        )?;
        tracing::info!(
            appid = app.appid(),
            expires_in = answer.expires_in,
            "fetched a WeChat access token"
        );
        let now = self.clock.now();
        Ok(AccessToken::issued(
            answer.access_token,
            now,
            answer.expires_in,
            self.margin,
        ))
    }

    fn refresh(&self, appid: &str) -> Arc<Refresh> {
        let mut refreshes = self
            .refreshing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        refreshes.entry(appid.to_owned()).or_default().clone()
    }

    fn rejected(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        // Every operation on the map is one call: a panic cannot leave it half-updated.
        self.rejected
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).expect("valid time")
    }

    #[test]
    fn tokens_are_replaced_a_margin_before_expiry_or_half_way_when_short_lived() {
        let long = AccessToken::issued("t".to_owned(), at(0), 7200, TimeDelta::seconds(300));
        assert_eq!((long.refresh_at(), long.expires_at()), (at(6900), at(7200)));
        let short = AccessToken::issued("t".to_owned(), at(0), 400, TimeDelta::seconds(300));
        assert_eq!((short.refresh_at(), short.expires_at()), (at(200), at(400)));
    }

    #[tokio::test]
    async fn the_memory_cache_discards_only_the_token_it_still_holds() {
        let cache = MemoryTokenCache::default();
        let old = AccessToken::new("old".to_owned(), at(1), at(2));
        let new = AccessToken::new("new".to_owned(), at(1), at(2));
        cache.save("wx1", &new).await.expect("save");
        cache.discard("wx1", old.value()).await.expect("discard");
        assert_eq!(cache.load("wx1").await.expect("load"), Some(new.clone()));
        cache.discard("wx1", new.value()).await.expect("discard");
        assert_eq!(cache.load("wx1").await.expect("load"), None);
    }

    #[tokio::test]
    async fn the_memory_cache_keeps_the_token_that_expires_last() {
        let cache = MemoryTokenCache::default();
        let newer = AccessToken::new("newer".to_owned(), at(1), at(3));
        let older = AccessToken::new("older".to_owned(), at(1), at(2));
        cache.save("wx1", &newer).await.expect("save");
        cache.save("wx1", &older).await.expect("save");
        assert_eq!(cache.load("wx1").await.expect("load"), Some(newer));
        let newest = AccessToken::new("newest".to_owned(), at(1), at(4));
        cache.save("wx1", &newest).await.expect("save");
        assert_eq!(cache.load("wx1").await.expect("load"), Some(newest));
    }

    #[test]
    fn debug_output_hides_the_token() {
        let token = AccessToken::new("SECRET_TOKEN".to_owned(), at(1), at(2));
        assert!(!format!("{token:?}").contains("SECRET_TOKEN"));
    }
}
