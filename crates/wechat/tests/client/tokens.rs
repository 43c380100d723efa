//! The access token holder: caching, single flight, sharing, busy retries and the refresh-once rule.

use std::{sync::Arc, time::Duration};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use denglu_wechat::{
    AccessToken, CacheError, Clock, ErrorKind, MemoryTokenCache, TokenCache, WechatClient,
};
use denglu_wechat_sim::{Api, Fault, Simulator};
use tokio::task::JoinSet;

use crate::helpers::{APP, World, world, world_with};

#[tokio::test]
async fn a_token_is_fetched_once_and_reused() {
    let world = world().await;

    let first = world.client.access_token(&world.app).await.expect("token");
    let second = world.client.access_token(&world.app).await.expect("token");

    assert_eq!(first.value(), second.value());
    assert_eq!(world.calls(Api::StableToken), 1);
    assert!(first.refresh_at() < first.expires_at());
}

#[tokio::test]
async fn a_hundred_concurrent_callers_cause_one_refresh() {
    let world = world().await;
    // Slow token answers make the callers pile up behind the first refresh.
    world
        .sim
        .add_fault(Fault::delay(
            Some(Api::StableToken),
            Duration::from_millis(200),
        ))
        .expect("fault");

    let mut callers = JoinSet::new();
    for _ in 0..100 {
        let client = world.client.clone();
        let app = world.app.clone();
        callers.spawn(async move { client.access_token(&app).await });
    }
    let mut values = Vec::new();
    while let Some(joined) = callers.join_next().await {
        values.push(joined.expect("task").expect("token").value().to_owned());
    }

    assert_eq!(values.len(), 100);
    assert!(values.iter().all(|v| v == &values[0]));
    assert_eq!(
        world.calls(Api::StableToken),
        1,
        "one refresh for all callers"
    );
}

#[tokio::test]
async fn clients_sharing_a_cache_share_one_token() {
    let world = world().await;
    let cache = Arc::new(MemoryTokenCache::default());
    let replica_a = world.client_with_cache(cache.clone());
    let replica_b = world.client_with_cache(cache);

    let a = replica_a.access_token(&world.app).await.expect("token");
    let b = replica_b.access_token(&world.app).await.expect("token");

    assert_eq!(a.value(), b.value());
    assert_eq!(world.calls(Api::StableToken), 1);
}

#[tokio::test]
async fn busy_answers_are_retried_a_bounded_number_of_times() {
    let world = world().await;
    let retries = world.config.busy_retries;

    world
        .sim
        .add_fault(Fault::error(Some(Api::StableToken), -1).times(retries))
        .expect("fault");
    world
        .client
        .access_token(&world.app)
        .await
        .expect("succeeds on the last allowed retry");
    assert_eq!(world.calls(Api::StableToken), u64::from(retries) + 1);

    world.sim.clear_faults();
    let other = world.another_client();
    world
        .sim
        .add_fault(Fault::error(Some(Api::StableToken), -1).times(retries + 1))
        .expect("fault");
    let error = other
        .access_token(&world.app)
        .await
        .expect_err("one busy answer too many");
    assert_eq!(
        (error.errcode(), error.kind()),
        (Some(-1), ErrorKind::Unavailable)
    );
    assert_eq!(
        world.calls(Api::StableToken),
        2 * (u64::from(retries) + 1),
        "no attempt beyond the bound"
    );
}

#[tokio::test]
async fn an_expired_token_is_replaced_and_the_call_retried_once() {
    let world = world().await;
    let user = world.user();
    world.sim.login(APP, user).expect("wx.login");
    let stale = world.client.access_token(&world.app).await.expect("token");

    // WeChat's clock moves past the token's expiry; the client's does not, so it still trusts its cached token.
    world.sim.advance(Duration::from_secs(7300));
    let detail = world.sim.phone_number(APP, user).expect("getPhoneNumber");
    let phone = world
        .client
        .phone_number(&world.app, &detail.code, None)
        .await
        .expect("retried with a fresh token");

    assert_eq!(phone.pure_phone_number, "13580006666");
    let fresh = world.client.access_token(&world.app).await.expect("token");
    assert_ne!(fresh.value(), stale.value());
    assert_eq!(world.tokens_issued(), 2);
}

#[tokio::test]
async fn a_rejected_token_is_retried_exactly_once_never_in_a_loop() {
    let world = world().await;
    let user = world.user();
    world.sim.login(APP, user).expect("wx.login");

    // One rejection: the retry succeeds.
    world
        .sim
        .add_fault(Fault::error(Some(Api::Getuserphonenumber), 40001).times(1))
        .expect("fault");
    let detail = world.sim.phone_number(APP, user).expect("getPhoneNumber");
    world
        .client
        .phone_number(&world.app, &detail.code, None)
        .await
        .expect("the single retry succeeds");

    // Two rejections in a row: the client gives up after its one retry (a third attempt would have succeeded).
    world
        .sim
        .add_fault(Fault::error(Some(Api::Getuserphonenumber), 40001).times(2))
        .expect("fault");
    let detail = world.sim.phone_number(APP, user).expect("getPhoneNumber");
    let error = world
        .client
        .phone_number(&world.app, &detail.code, None)
        .await
        .expect_err("gives up");
    assert_eq!(
        (error.errcode(), error.kind()),
        (Some(40001), ErrorKind::TokenRejected)
    );
    assert_eq!(
        world.calls(Api::Getuserphonenumber),
        4,
        "two calls, each retried once"
    );
    world
        .client
        .phone_number(&world.app, &detail.code, None)
        .await
        .expect("the phone code was never consumed by the rejected calls");
}

#[tokio::test]
async fn short_lived_tokens_are_replaced_half_way() {
    let world = world_with(|config| config.token_expires_in = 400).await;

    let token = world.client.access_token(&world.app).await.expect("token");

    assert_eq!(
        (token.expires_at() - token.refresh_at()).num_seconds(),
        200,
        "with a 300 s margin and a 400 s lifetime the token is replaced after 200 s"
    );
}

/// The client's clock on the simulator's: moving WeChat's time moves the client's too.
struct SimClock(Simulator);

impl Clock for SimClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.0.now_unix(), 0).expect("valid time")
    }
}

/// A client whose clock is the simulator's.
fn client_on_sim_time(world: &World) -> WechatClient {
    client_on_sim_time_with(world, Arc::new(MemoryTokenCache::default()))
}

/// A client whose clock is the simulator's, keeping its tokens in `cache`.
fn client_on_sim_time_with(world: &World, cache: Arc<dyn TokenCache>) -> WechatClient {
    WechatClient::builder(world.config.clone())
        .token_cache(cache)
        .clock(Arc::new(SimClock(world.sim.clone())))
        .build()
        .expect("client")
}

/// A cache that cannot forget a token (its database is read-only, say).
#[derive(Default)]
struct CannotDiscard(MemoryTokenCache);

#[async_trait]
impl TokenCache for CannotDiscard {
    async fn load(&self, appid: &str) -> Result<Option<AccessToken>, CacheError> {
        self.0.load(appid).await
    }

    async fn save(&self, appid: &str, token: &AccessToken) -> Result<(), CacheError> {
        self.0.save(appid, token).await
    }

    async fn discard(&self, _appid: &str, _value: &str) -> Result<(), CacheError> {
        Err("read-only".into())
    }
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_token_in_use_until_it_really_expires() {
    let world = world().await;
    let client = client_on_sim_time(&world);
    let user = world.user();
    world.sim.login(APP, user).expect("wx.login");
    let token = client.access_token(&world.app).await.expect("token");

    // Into the refresh margin (300 s before expiry), and WeChat's token endpoint answers "system busy".
    let margin = (token.expires_at() - token.refresh_at()).num_seconds();
    assert_eq!(margin, 300, "the default margin");
    world.sim.advance(Duration::from_secs(7200 - 100));
    world
        .sim
        .add_fault(Fault::error(Some(Api::StableToken), -1))
        .expect("fault");
    let detail = world.sim.phone_number(APP, user).expect("getPhoneNumber");
    let phone = client
        .phone_number(&world.app, &detail.code, None)
        .await
        .expect("the cached token is still valid");
    assert_eq!(phone.pure_phone_number, "13580006666");
    let in_hand = client.access_token(&world.app).await.expect("token");
    assert_eq!(in_hand.value(), token.value());
    assert!(
        world.calls(Api::StableToken) > 1,
        "each call tried to refresh"
    );

    // Past the token's real expiry there is nothing left to fall back on: WeChat's error is the answer.
    world.sim.advance(Duration::from_secs(100));
    let error = client
        .access_token(&world.app)
        .await
        .expect_err("no unexpired token");
    assert_eq!(
        (error.errcode(), error.kind()),
        (Some(-1), ErrorKind::Unavailable)
    );
    let detail = world.sim.phone_number(APP, user).expect("getPhoneNumber");
    let error = client
        .phone_number(&world.app, &detail.code, None)
        .await
        .expect_err("no unexpired token");
    assert_eq!(error.errcode(), Some(-1));
    assert_eq!(
        world.calls(Api::Getuserphonenumber),
        1,
        "not called without a token"
    );
}

#[tokio::test]
async fn callers_queued_behind_a_failed_refresh_use_the_cached_token_without_trying_again() {
    let world = world().await;
    let client = client_on_sim_time(&world);
    client.access_token(&world.app).await.expect("token");
    world.sim.advance(Duration::from_secs(7200 - 100));
    // Slow failures make the callers pile up behind the first refresh.
    world
        .sim
        .add_fault(Fault {
            delay_ms: 50,
            ..Fault::error(Some(Api::StableToken), -1)
        })
        .expect("fault");
    let before = world.calls(Api::StableToken);

    let mut callers = JoinSet::new();
    for _ in 0..20 {
        let client = client.clone();
        let app = world.app.clone();
        callers.spawn(async move { client.access_token(&app).await });
    }
    while let Some(joined) = callers.join_next().await {
        joined.expect("task").expect("the cached token");
    }

    assert_eq!(
        world.calls(Api::StableToken) - before,
        u64::from(world.config.busy_retries) + 1,
        "one refresh (with its busy retries) for all the waiting callers"
    );
}

#[tokio::test]
async fn a_rejected_token_is_not_used_again_when_its_refresh_fails() {
    let world = world().await;
    // Even when the cache cannot forget the rejected token.
    let client = client_on_sim_time_with(&world, Arc::new(CannotDiscard::default()));
    let user = world.user();
    world.sim.login(APP, user).expect("wx.login");
    client.access_token(&world.app).await.expect("token");
    world.sim.advance(Duration::from_secs(7200 - 100));
    world
        .sim
        .add_fault(Fault::error(Some(Api::Getuserphonenumber), 40001).times(1))
        .expect("fault");
    world
        .sim
        .add_fault(Fault::error(Some(Api::StableToken), -1))
        .expect("fault");

    let detail = world.sim.phone_number(APP, user).expect("getPhoneNumber");
    let error = client
        .phone_number(&world.app, &detail.code, None)
        .await
        .expect_err("the rejected token is not used again and no other could be fetched");

    assert_eq!(
        (error.errcode(), error.kind()),
        (Some(-1), ErrorKind::Unavailable)
    );
    assert_eq!(
        world.calls(Api::Getuserphonenumber),
        1,
        "the rejected token was not tried again"
    );
}
