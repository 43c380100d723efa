//! WeChat access tokens kept in the store: every replica uses the one token, sealed at rest, and a token WeChat
//! rejected is replaced for all of them.

use std::{sync::Arc, time::Duration};

use denglu_domain::AppId;
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
