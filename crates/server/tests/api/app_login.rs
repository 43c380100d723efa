//! App-launched login over HTTP: the scanner mini program mints a ticket, the app's backend exchanges it once.

use chrono::Duration as TimeDelta;
use denglu_wechat_sim::{NewUser, PhoneSpec};
use serde_json::{Value, json};

use crate::helpers::{MINI_PROGRAM, Reply, TestApp, spawn_app};

impl TestApp {
    /// The app-launch page: a WeChat user logs in and gets a ticket (optionally sharing their phone).
    pub(crate) async fn mint_ticket(&self, with_phone: bool) -> String {
        let reply = self.mint_with(with_phone, json!({})).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let ticket = reply.body["ticket"].as_str().expect("ticket").to_owned();
        assert!(
            !ticket.contains('&') && !ticket.contains('='),
            "safe in app-parameter: {ticket}"
        );
        ticket
    }

    /// Mints with `extra` fields in the body (e.g. a code challenge).
    async fn mint_with(&self, with_phone: bool, extra: Value) -> Reply {
        let user = self
            .wechat
            .create_user(NewUser {
                nickname: "App user".to_owned(),
                avatar_url: String::new(),
                phone: Some(PhoneSpec {
                    number: "13700001234".to_owned(),
                    country_code: "86".to_owned(),
                }),
            })
            .expect("user");
        let code = self.wechat.login(MINI_PROGRAM.0, user).expect("wx.login");
        let mut body = json!({"userPoolId": self.pool_id(), "code": code, "nickname": "阿明"});
        if with_phone {
            body["phoneCode"] = json!(
                self.wechat
                    .phone_number(MINI_PROGRAM.0, user)
                    .expect("phone")
                    .code
            );
        }
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        self.post_json("/api/v1/app-login/tickets", &body).await
    }

    /// The app's backend exchanges a ticket.
    pub(crate) async fn exchange(&self, body: &Value) -> Value {
        let reply: Reply = self
            .post_json(&format!("/oauth/app2wxapp/auth/{}", self.pool_id()), body)
            .await;
        assert_eq!(reply.status, 200, "always HTTP 200: {}", reply.body);
        reply.body
    }
}

#[tokio::test]
async fn a_ticket_is_exchanged_once_for_the_user_as_a_json_string() {
    let app = spawn_app().await;
    let ticket = app.mint_ticket(false).await;

    let reply = app
        .exchange(&json!({"ticket": ticket, "secret": app.pool.secret}))
        .await;

    assert_eq!(reply["code"], 200, "{reply}");
    assert_eq!(reply["message"], "获取用户信息成功");
    let user: Value =
        serde_json::from_str(reply["data"].as_str().expect("data is a string")).expect("JSON");
    assert_eq!(user["registerMethod"], "oauth:app2wxapp");
    assert_eq!(user["nickname"], "阿明");
    for field in ["nickname", "photo", "unionid", "token"] {
        assert!(user[field].is_string(), "{field} is a string: {user}");
    }
    assert!(user["phone"].is_null());
    let token = user["token"].as_str().expect("token");
    assert_eq!(
        app.get(&format!("/authing/token?access_token={token}"))
            .await
            .body["status"],
        true
    );

    let again = app
        .exchange(&json!({"ticket": ticket, "secret": app.pool.secret}))
        .await;
    assert_eq!(again["code"], 4403, "{again}");
}

#[tokio::test]
async fn the_pool_secret_is_checked_first_and_a_wrong_one_does_not_burn_the_ticket() {
    let app = spawn_app().await;
    let ticket = app.mint_ticket(false).await;

    for secret in [json!("wrong"), json!(""), json!(null)] {
        let refused = app
            .exchange(&json!({"ticket": ticket, "secret": secret}))
            .await;
        assert_eq!(refused["code"], 1001, "{secret}: {refused}");
    }
    let accepted = app
        .exchange(&json!({"ticket": ticket, "secret": app.pool.secret}))
        .await;
    assert_eq!(accepted["code"], 200, "{accepted}");
}

#[tokio::test]
async fn a_secret_rotated_by_another_replica_counts_here_within_the_pool_cache_lifetime() {
    let app = spawn_app().await;
    let ticket = app.mint_ticket(false).await;
    let old_secret = app.pool.secret.clone();
    let new_secret = "rotated-elsewhere-0123456789abcdef";
    // What `denglu pool rotate-secret` or another replica does: write the store, not these services.
    app.store
        .set_pool_secret(
            &app.pool.pool.id,
            &denglu_crypto::hash_secret(new_secret),
            chrono::Utc::now(),
        )
        .await
        .expect("rotated in the store");

    tokio::time::sleep(denglu_service::POOL_CACHE_TTL + std::time::Duration::from_millis(500))
        .await;
    let refused = app
        .exchange(&json!({"ticket": ticket, "secret": old_secret}))
        .await;
    assert_eq!(refused["code"], 1001, "the old secret is gone: {refused}");
    let accepted = app
        .exchange(&json!({"ticket": ticket, "secret": new_secret}))
        .await;
    assert_eq!(accepted["code"], 200, "{accepted}");
}

#[tokio::test]
async fn the_ticket_may_come_as_tickett_or_in_the_query_and_bad_ones_are_named() {
    let app = spawn_app().await;
    let secret = app.pool.secret.clone();
    let typo = app.mint_ticket(false).await;
    assert_eq!(
        app.exchange(&json!({"tickett": typo, "secret": secret}))
            .await["code"],
        200
    );
    let in_query = app.mint_ticket(false).await;
    let reply = app
        .post_json(
            &format!("/oauth/app2wxapp/auth/{}?ticket={in_query}", app.pool_id()),
            &json!({"secret": secret}),
        )
        .await;
    assert_eq!(reply.body["code"], 200, "{}", reply.body);

    assert_eq!(app.exchange(&json!({"secret": secret})).await["code"], 1002);
    assert_eq!(
        app.exchange(&json!({"ticket": "never-issued", "secret": secret}))
            .await["code"],
        4401
    );
    let garbage = app
        .send(
            app.client
                .post(format!(
                    "{}/oauth/app2wxapp/auth/{}",
                    app.base,
                    app.pool_id()
                ))
                .body("{not json"),
        )
        .await;
    assert_eq!(garbage.body["code"], 1002);
    let unknown_pool = app
        .post_json(
            &format!("/oauth/app2wxapp/auth/{}", "0".repeat(24)),
            &json!({"ticket": "x"}),
        )
        .await;
    assert_eq!(unknown_pool.body["code"], 2224);
}

#[tokio::test]
async fn a_ticket_tried_in_another_pool_still_works_in_its_own() {
    let app = spawn_app().await;
    let ticket = app.mint_ticket(false).await;
    let other = app
        .services
        .pools()
        .create(crate::helpers::pool_settings(
            Default::default(),
            Default::default(),
        ))
        .await
        .expect("pool");
    let elsewhere = app
        .post_json(
            &format!("/oauth/app2wxapp/auth/{}", other.pool.id),
            &json!({"ticket": ticket, "secret": other.secret}),
        )
        .await;
    assert_eq!(elsewhere.body["code"], 4401);

    let home = app
        .exchange(&json!({"ticket": ticket, "secret": app.pool.secret}))
        .await;

    assert_eq!(home["code"], 200, "{home}");
}

#[tokio::test]
async fn tickets_expire_and_only_work_in_their_own_pool() {
    let app = spawn_app().await;
    let ticket = app.mint_ticket(false).await;
    let other = app
        .services
        .pools()
        .create(crate::helpers::pool_settings(
            Default::default(),
            Default::default(),
        ))
        .await
        .expect("pool");
    let elsewhere = app
        .post_json(
            &format!("/oauth/app2wxapp/auth/{}", other.pool.id),
            &json!({"ticket": ticket, "secret": other.secret}),
        )
        .await;
    assert_eq!(elsewhere.body["code"], 4401, "{}", elsewhere.body);

    app.clock.advance(TimeDelta::seconds(121));
    let late = app
        .exchange(&json!({"ticket": ticket, "secret": app.pool.secret}))
        .await;
    assert_eq!(late["code"], 4402, "{late}");
    let again = app
        .exchange(&json!({"ticket": ticket, "secret": app.pool.secret}))
        .await;
    assert_eq!(
        again["code"], 4403,
        "an expired ticket is used up by the try: {again}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_many_concurrent_exchanges_of_one_ticket_exactly_one_succeeds() {
    let app = spawn_app().await;
    let ticket = app.mint_ticket(false).await;
    let body = json!({"ticket": ticket, "secret": app.pool.secret});

    let replies = futures_util::future::join_all((0..50).map(|_| app.exchange(&body))).await;

    assert_eq!(
        replies.iter().filter(|r| r["code"] == 200).count(),
        1,
        "{replies:?}"
    );
    assert!(
        replies
            .iter()
            .filter(|r| r["code"] != 200)
            .all(|r| r["code"] == 4403)
    );
}

#[tokio::test]
async fn a_shared_phone_number_comes_with_the_user() {
    let app = spawn_app().await;
    let ticket = app.mint_ticket(true).await;

    let reply = app
        .exchange(&json!({"ticket": ticket, "secret": app.pool.secret}))
        .await;

    let user: Value = serde_json::from_str(reply["data"].as_str().expect("data")).expect("JSON");
    assert_eq!(user["phone"], "13700001234");
    assert_eq!(user["phoneVerified"], true);
}

#[tokio::test]
async fn a_pool_may_turn_the_secret_off_and_lengthen_tickets() {
    let app = spawn_app().await;
    let settings_url = format!(
        "{}/api/v1/pools/{}/app-login-settings",
        app.base,
        app.pool_id()
    );
    let changed = app
        .send(
            app.client
                .put(&settings_url)
                .header("x-pool-secret", &app.pool.secret)
                .json(&json!({"requireSecret": false, "ticketLifetimeSeconds": 300})),
        )
        .await;
    assert_eq!(
        changed.body,
        json!({"ticketLifetimeSeconds": 300, "requireSecret": false, "requirePkce": false})
    );
    let ticket = app.mint_ticket(false).await;

    app.clock.advance(TimeDelta::seconds(200));
    let reply = app.exchange(&json!({"ticket": ticket})).await;

    assert_eq!(reply["code"], 200, "{reply}");
}

#[tokio::test]
async fn minting_refuses_bad_codes_and_unknown_pools() {
    let app = spawn_app().await;
    let bad_code = app
        .post_json(
            "/api/v1/app-login/tickets",
            &json!({"userPoolId": app.pool_id(), "code": "bogus"}),
        )
        .await;
    assert_eq!(
        (bad_code.status, bad_code.body["code"].clone()),
        (400, json!(4301))
    );
    let unknown = app
        .post_json(
            "/api/v1/app-login/tickets",
            &json!({"userPoolId": "0".repeat(24), "code": "x"}),
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.body["code"].clone()),
        (404, json!(2224))
    );
    let half_phone = app
        .post_json(
            "/api/v1/app-login/tickets",
            &json!({"userPoolId": app.pool_id(), "code": "x", "encryptedData": "abc"}),
        )
        .await;
    assert_eq!(
        (half_phone.status, half_phone.body["code"].clone()),
        (400, json!(1002))
    );
}

/// A PKCE pair: a verifier and `BASE64URL(SHA-256(verifier))`.
fn pkce() -> (String, String) {
    use base64::Engine;
    use sha2::Digest;
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".to_owned();
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

#[tokio::test]
async fn a_ticket_bound_to_a_code_challenge_needs_its_verifier_and_a_wrong_one_does_not_burn_it() {
    let app = spawn_app().await;
    let (verifier, challenge) = pkce();
    let minted = app
        .mint_with(false, json!({"codeChallenge": challenge}))
        .await;
    let ticket = minted.body["ticket"].as_str().expect("ticket").to_owned();

    for wrong in [json!(null), json!("x".repeat(43)), json!("short")] {
        let refused = app
            .exchange(&json!({"ticket": ticket, "secret": app.pool.secret, "codeVerifier": wrong}))
            .await;
        assert_eq!(refused["code"], 4404, "{wrong}: {refused}");
    }
    let accepted = app
        .exchange(&json!({"ticket": ticket, "secret": app.pool.secret, "codeVerifier": verifier}))
        .await;
    assert_eq!(accepted["code"], 200, "{accepted}");

    let bad_challenge = app
        .mint_with(false, json!({"codeChallenge": "not base64url!"}))
        .await;
    assert_eq!(
        (bad_challenge.status, bad_challenge.body["code"].clone()),
        (400, json!(1002))
    );
}

#[tokio::test]
async fn a_pool_may_require_every_ticket_to_be_bound() {
    let app = spawn_app().await;
    let settings_url = format!(
        "{}/api/v1/pools/{}/app-login-settings",
        app.base,
        app.pool_id()
    );
    let changed = app
        .send(
            app.client
                .put(&settings_url)
                .header("x-pool-secret", &app.pool.secret)
                .json(&json!({"requirePkce": true})),
        )
        .await;
    assert_eq!(changed.body["requirePkce"], true, "{}", changed.body);

    let unbound = app.mint_with(false, json!({})).await;
    assert_eq!(
        (unbound.status, unbound.body["code"].clone()),
        (400, json!(1002))
    );
    let (_, challenge) = pkce();
    let bound = app
        .mint_with(false, json!({"codeChallenge": challenge}))
        .await;
    assert_eq!(bound.status, 200, "{}", bound.body);
}

#[tokio::test]
async fn a_shared_profile_is_checked_before_the_code_is_spent() {
    let app = spawn_app().await;
    let user = app
        .wechat
        .create_user(NewUser {
            nickname: "Careful".to_owned(),
            avatar_url: String::new(),
            phone: None,
        })
        .expect("user");
    let code = app.wechat.login(MINI_PROGRAM.0, user).expect("wx.login");
    let too_long = "名".repeat(denglu_service::MAX_NICKNAME_CHARS + 1);
    for (field, value) in [
        ("nickname", too_long.as_str()),
        ("avatar", "javascript:alert(1)"),
    ] {
        let mut body = json!({"userPoolId": app.pool_id(), "code": code});
        body[field] = json!(value);
        let refused = app.post_json("/api/v1/app-login/tickets", &body).await;
        assert_eq!(
            (refused.status, refused.body["code"].clone()),
            (400, json!(1002)),
            "{}",
            refused.body
        );
        assert!(
            refused.body["message"]
                .as_str()
                .is_some_and(|m| m.contains(field)),
            "names the {field}: {}",
            refused.body
        );
    }
    let minted = app
        .post_json(
            "/api/v1/app-login/tickets",
            &json!({"userPoolId": app.pool_id(), "code": code, "nickname": "  阿明  ", "avatar": "https://example.com/a.png"}),
        )
        .await;
    assert_eq!(
        minted.status, 200,
        "the code was not spent: {}",
        minted.body
    );
}
