//! WeChat access tokens kept in the store: every replica uses the one token, sealed at rest, and a token WeChat
//! rejected is replaced for all of them.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use denglu_domain::{AppId, CachedAccessToken, SecretHash};
use denglu_wechat::{AppCredentials, WechatClient};
use denglu_wechat_sim::{Api, Fault, NewUser, PhoneSpec};

use crate::helpers::{MINI_PROGRAM, TestApp, spawn_app};

fn credentials() -> AppCredentials {
    AppCredentials::new(MINI_PROGRAM.0, MINI_PROGRAM.1)
}

/// Another denglu replica: its own WeChat client over the same database.
fn another_replica(app: &TestApp) -> WechatClient {
    denglu_service::wechat_client(
        app.wechat_config.clone(),
        Arc::clone(&app.store),
        app.master_key.clone(),
        Arc::new(app.clock.clone()),
        &denglu_service::Metrics::new(Arc::clone(&app.store)),
    )
    .expect("client")
}

/// From now on WeChat answers every token request with "system busy": a replica only gets a token from the store.
fn token_endpoint_down(app: &TestApp) {
    app.wechat
        .add_fault(Fault::error(Some(Api::StableToken), -1))
        .expect("fault");
}

#[tokio::test]
async fn replicas_share_one_access_token_kept_sealed_in_the_store() {
    let app = spawn_app().await;
    let token = app
        .services
        .wechat()
        .access_token(&credentials())
        .await
        .expect("token");

    token_endpoint_down(&app);
    let seen_by_other = another_replica(&app)
        .access_token(&credentials())
        .await
        .expect("read from the store");

    assert_eq!(seen_by_other.value(), token.value());
    let appid = AppId::parse(MINI_PROGRAM.0).expect("appid");
    let stored = app
        .store
        .wechat_access_token(&appid)
        .await
        .expect("store")
        .expect("a cached token");
    let needle = token.value().as_bytes();
    assert!(
        !stored
            .sealed
            .as_bytes()
            .windows(needle.len())
            .any(|w| w == needle),
        "the token is encrypted at rest"
    );
    assert_eq!(stored.hash, denglu_crypto::hash_secret(token.value()));
}

#[tokio::test]
async fn a_token_wechat_rejects_is_replaced_for_every_replica() {
    let app = spawn_app().await;
    let first = app
        .services
        .wechat()
        .access_token(&credentials())
        .await
        .expect("token");
    let user = app
        .wechat
        .create_user(NewUser {
            nickname: "Lin".to_owned(),
            avatar_url: String::new(),
            phone: Some(PhoneSpec {
                number: "13900001111".to_owned(),
                country_code: "86".to_owned(),
            }),
        })
        .expect("user");
    app.wechat.login(MINI_PROGRAM.0, user).expect("wx.login");

    // WeChat's clock passes the token's expiry; denglu's does not, so it uses the cached token and is told 42001.
    app.wechat.advance(Duration::from_secs(7300));
    let detail = app
        .wechat
        .phone_number(MINI_PROGRAM.0, user)
        .expect("phone code");
    let phone = app
        .services
        .wechat()
        .phone_number(&credentials(), &detail.code, None)
        .await
        .expect("refreshed and retried");
    assert_eq!(phone.pure_phone_number, "13900001111");

    token_endpoint_down(&app);
    let seen_by_other = another_replica(&app)
        .access_token(&credentials())
        .await
        .expect("read from the store");
    assert_ne!(seen_by_other.value(), first.value());
}

#[tokio::test]
async fn a_replica_discards_only_the_token_it_saw_rejected() {
    let app = spawn_app().await;
    let appid = AppId::parse(MINI_PROGRAM.0).expect("appid");
    app.services
        .wechat()
        .access_token(&credentials())
        .await
        .expect("token");

    app.store
        .discard_wechat_access_token(&appid, &denglu_crypto::hash_secret("an older token"))
        .await
        .expect("discard");
    assert!(
        app.store
            .wechat_access_token(&appid)
            .await
            .expect("store")
            .is_some(),
        "a newer token stays"
    );
}

/// A token record of `appid` as a replica would save it: `value`, expiring at `expires_at`, saved at `saved_at`.
fn cached_token(
    app: &TestApp,
    appid: &AppId,
    value: &str,
    expires_at: DateTime<Utc>,
    saved_at: DateTime<Utc>,
) -> CachedAccessToken {
    CachedAccessToken {
        appid: appid.clone(),
        sealed: app
            .master_key
            .seal(&CachedAccessToken::seal_context(appid), value.as_bytes()),
        hash: denglu_crypto::hash_secret(value),
        refresh_at: expires_at - TimeDelta::seconds(300),
        expires_at,
        updated_at: saved_at,
    }
}

/// The hash and expiry of the token the store keeps for `appid`.
async fn stored(app: &TestApp, appid: &AppId) -> Option<(SecretHash, DateTime<Utc>)> {
    app.store
        .wechat_access_token(appid)
        .await
        .expect("store")
        .map(|t| (t.hash, t.expires_at))
}

#[tokio::test]
async fn an_older_token_saved_late_does_not_replace_a_newer_one() {
    let app = spawn_app().await;
    let appid = AppId::parse(MINI_PROGRAM.0).expect("appid");
    let now = Utc::now().trunc_subsecs(0);
    let newer = cached_token(&app, &appid, "newer", now + TimeDelta::hours(2), now);
    // A slow replica fetched this one earlier and only saves it now.
    let older = cached_token(
        &app,
        &appid,
        "older",
        now + TimeDelta::hours(1),
        now + TimeDelta::seconds(5),
    );
    app.store
        .save_wechat_access_token(&newer)
        .await
        .expect("save the newer token");
    app.store
        .save_wechat_access_token(&older)
        .await
        .expect("an older token is ignored, not an error");
    assert_eq!(
        stored(&app, &appid).await,
        Some((newer.hash.clone(), newer.expires_at)),
        "the newer token stays"
    );

    let newest = cached_token(&app, &appid, "newest", now + TimeDelta::hours(3), now);
    app.store
        .save_wechat_access_token(&newest)
        .await
        .expect("save the newest token");
    assert_eq!(
        stored(&app, &appid).await,
        Some((newest.hash.clone(), newest.expires_at)),
        "a newer token replaces the stored one"
    );

    // Sub-second differences count too (SQLite compares the times as RFC 3339 text).
    let later = newest.expires_at + TimeDelta::microseconds(1);
    let just_newer = cached_token(&app, &appid, "just newer", later, now);
    app.store
        .save_wechat_access_token(&just_newer)
        .await
        .expect("save");
    app.store
        .save_wechat_access_token(&newest)
        .await
        .expect("save");
    assert_eq!(
        stored(&app, &appid).await,
        Some((just_newer.hash.clone(), later))
    );
}
