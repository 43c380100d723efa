//! Password accounts through the native API, and the compatible token check that reports on their tokens.

use denglu_domain::{JwtAlgorithm, RegistrationPolicy, UserId};
use serde_json::json;

use crate::helpers::{Reply, TestApp, pool_settings, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_registered_user_logs_in_and_the_token_is_reported_valid_with_the_documented_fields() {
    let app = spawn_app().await;

    let registered = app.register("Alice", "correct horse").await;
    assert_eq!(registered.status, 201, "{}", registered.body);
    assert_eq!(registered.body["username"], "Alice");
    assert_eq!(
        registered.body["registerMethod"],
        "default:username-password"
    );
    assert_eq!(registered.body["registerInClient"], app.pool_id().as_str());
    assert!(
        registered.body.get("password").is_none() && registered.body.get("passwordHash").is_none()
    );

    let login = app.login("alice", "correct horse").await;
    assert_eq!(login.status, 200, "{}", login.body);
    assert_eq!(login.body["user"]["loginsCount"], 1);
    assert_eq!(login.body["user"]["lastIP"], "127.0.0.1");
    let token = login.body["token"].as_str().expect("token");
    assert_eq!(login.body["user"]["token"], token);

    let status = app.check_token(token).await;
    assert_eq!(status["status"], true);
    assert_eq!(status["code"], 200);
    assert_eq!(status["message"], "已登录");
    assert_eq!(status["token"]["data"]["id"], registered.body["_id"]);
    assert_eq!(status["token"]["data"]["clientId"], app.pool_id().as_str());
    let (iat, exp) = (
        status["token"]["iat"].as_i64().expect("iat"),
        status["token"]["exp"].as_i64().expect("exp"),
    );
    assert_eq!(exp - iat, 15 * 24 * 3600, "15 days by default");
}

#[tokio::test]
async fn logout_revokes_the_token_and_a_new_login_works_at_once() {
    let app = spawn_app().await;
    let token = app.signed_up_token("bob").await;

    let logout = app
        .send(
            app.client
                .post(format!("{}/api/v1/logout", app.base))
                .bearer_auth(&token),
        )
        .await;
    assert_eq!(logout.status, 204, "{}", logout.body);
    let status = app.check_token(&token).await;
    assert_eq!(
        (status["status"].clone(), status["code"].clone()),
        (json!(false), json!(2206))
    );

    let again = app.login("bob", "correct horse").await;
    let fresh = again.body["token"].as_str().expect("token");
    assert_eq!(
        app.check_token(fresh).await["status"],
        true,
        "a login right after logout is valid"
    );
}

#[tokio::test]
async fn blocking_revokes_tokens_and_refuses_login_until_unblocked() {
    let app = spawn_app().await;
    let token = app.signed_up_token("carol").await;
    let me = app
        .send(
            app.client
                .get(format!("{}/api/v1/me", app.base))
                .bearer_auth(&token),
        )
        .await;
    let id = UserId::parse(me.body["_id"].as_str().expect("id")).expect("valid id");

    app.services
        .accounts()
        .set_user_blocked(&app.pool.pool.id, &id, true)
        .await
        .expect("block");
    let status = app.check_token(&token).await;
    assert_eq!(
        (status["status"].clone(), status["code"].clone()),
        (json!(false), json!(2005))
    );
    let refused = app.login("carol", "correct horse").await;
    assert_eq!(
        (refused.status, refused.body["code"].clone()),
        (403, json!(2005))
    );

    app.services
        .accounts()
        .set_user_blocked(&app.pool.pool.id, &id, false)
        .await
        .expect("unblock");
    let status = app.check_token(&token).await;
    assert_eq!(
        status["code"], 2206,
        "tokens revoked by the block stay revoked"
    );
    assert_eq!(app.login("carol", "correct horse").await.status, 200);
}

#[tokio::test]
async fn login_failures_and_conflicts_get_their_documented_codes() {
    let app = spawn_app().await;
    assert_eq!(app.register("dave", "correct horse").await.status, 201);

    let cases = [
        (app.login("dave", "wrong horse!").await, 401, 2006),
        (app.login("nobody", "correct horse").await, 404, 2004),
        (app.register("DAVE", "another pass").await, 409, 2026),
        (
            app.post_json(
                &format!("/api/v1/pools/{}/users", app.pool_id()),
                &json!({"email": "not@mail", "password": "123456"}),
            )
            .await,
            422,
            2003,
        ),
        (app.register("erin", "short").await, 400, 1002),
        (
            app.post_json(
                &format!("/api/v1/pools/{}/users", app.pool_id()),
                &json!({"password": "long enough"}),
            )
            .await,
            400,
            1002,
        ),
    ];
    for (reply, status, code) in cases {
        assert_eq!(
            (reply.status, reply.body["code"].as_u64()),
            (status, Some(code)),
            "{}",
            reply.body
        );
        assert!(
            reply.body["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
}

#[tokio::test]
async fn email_accounts_log_in_ignoring_case() {
    let app = spawn_app().await;
    let path = format!("/api/v1/pools/{}/users", app.pool_id());
    let reply = app
        .post_json(
            &path,
            &json!({"email": "Frank@Example.com", "password": "correct horse"}),
        )
        .await;
    assert_eq!(reply.status, 201);
    assert_eq!(reply.body["email"], "frank@example.com");
    let login = app
        .post_json(
            &format!("/api/v1/pools/{}/login", app.pool_id()),
            &json!({"email": "FRANK@example.com", "password": "correct horse"}),
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.body);
    let status = app
        .check_token(login.body["token"].as_str().expect("token"))
        .await;
    assert_eq!(status["token"]["data"]["email"], "frank@example.com");
}

#[tokio::test]
async fn login_only_pools_refuse_sign_up() {
    let app = spawn_app().await;
    let closed = app
        .services
        .pools()
        .create(pool_settings(
            JwtAlgorithm::ES256,
            RegistrationPolicy::LoginOnly,
        ))
        .await
        .expect("pool");
    let reply = app
        .register_in(&closed.pool.id.to_string(), "gina", "correct horse")
        .await;
    assert_eq!(
        (reply.status, reply.body["code"].clone()),
        (403, json!(4001))
    );
}

#[tokio::test]
async fn the_current_user_needs_a_token_in_any_form_the_sdks_send() {
    let app = spawn_app().await;
    let token = app.signed_up_token("hank").await;
    let url = format!("{}/api/v1/me", app.base);

    for header in [format!("Bearer {token}"), token.clone()] {
        let reply = app
            .send(app.client.get(&url).header("authorization", header))
            .await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body["username"], "hank");
    }
    for header in ["", "Bearer undefined", "Bearer null"] {
        let reply = app
            .send(app.client.get(&url).header("authorization", header))
            .await;
        assert_eq!(
            (reply.status, reply.body["code"].clone()),
            (401, json!(2020)),
            "{header:?}"
        );
    }
    let reply = app.send(app.client.get(&url)).await;
    assert_eq!(reply.body["code"], 2020);
}

#[tokio::test]
async fn password_guessing_is_limited_per_account() {
    let app = spawn_app().await;
    app.register("guarded", "correct horse").await;
    for attempt in 0..10 {
        let wrong = app
            .login("guarded", &format!("wrong guess {attempt}"))
            .await;
        assert_eq!(
            wrong.body["code"], 2006,
            "attempt {attempt}: {}",
            wrong.body
        );
    }

    let blocked = app.login("GUARDED", "correct horse").await;

    assert_eq!(
        (blocked.status, blocked.body["code"].clone()),
        (429, json!(4290))
    );
    let other = app.register("neighbour", "correct horse").await;
    assert_eq!(other.status, 201);
    assert_eq!(
        app.login("neighbour", "correct horse").await.status,
        200,
        "other accounts are unaffected"
    );
}

/// A password login of `account` on the server at `base` (the test app or another replica).
async fn login_at(app: &TestApp, base: &str, account: &str, password: &str) -> Reply {
    let request = app
        .client
        .post(format!("{base}/api/v1/pools/{}/login", app.pool_id()))
        .json(&json!({"account": account, "password": password}));
    app.send(request).await
}

#[tokio::test]
async fn the_password_guessing_limit_per_account_holds_across_replicas() {
    let app = spawn_app().await;
    let replica = app.spawn_replica().await;
    app.register("guarded", "correct horse").await;
    for attempt in 0..10 {
        let wrong = app
            .login("guarded", &format!("wrong guess {attempt}"))
            .await;
        assert_eq!(
            wrong.body["code"], 2006,
            "attempt {attempt}: {}",
            wrong.body
        );
    }

    let eleventh = login_at(&app, &replica, "Guarded", "wrong guess 10").await;
    let right = login_at(&app, &replica, "guarded", "correct horse").await;

    for limited in [&eleventh, &right] {
        assert_eq!(
            (limited.status, limited.body["code"].clone()),
            (429, json!(4290)),
            "{}",
            limited.body
        );
    }
    assert_eq!(app.register("neighbour", "correct horse").await.status, 201);
    let other = login_at(&app, &replica, "neighbour", "correct horse").await;
    assert_eq!(
        other.status, 200,
        "other accounts are unaffected: {}",
        other.body
    );
    app.clock.advance(chrono::TimeDelta::minutes(1));
    let later = login_at(&app, &replica, "guarded", "correct horse").await;
    assert_eq!(later.status, 200, "a minute later: {}", later.body);
}

#[tokio::test]
async fn the_password_guessing_limit_per_address_holds_across_replicas() {
    let app = spawn_app().await;
    let replica = app.spawn_replica().await;
    for attempt in 0..60 {
        let base = if attempt % 2 == 0 {
            &app.base
        } else {
            &replica
        };
        let unknown = login_at(&app, base, &format!("nobody{attempt}"), "correct horse").await;
        assert_eq!(
            unknown.body["code"], 2004,
            "attempt {attempt}: {}",
            unknown.body
        );
    }

    for base in [&app.base, &replica] {
        let limited = login_at(&app, base, "somebody", "correct horse").await;
        assert_eq!(
            (limited.status, limited.body["code"].clone()),
            (429, json!(4290)),
            "{}",
            limited.body
        );
    }
}

/// Alice logs in through a proxy that sends `forwarded` as `X-Forwarded-For`.
async fn login_from(app: &TestApp, forwarded: &str) -> Reply {
    let request = app
        .client
        .post(format!("{}/api/v1/pools/{}/login", app.base, app.pool_id()))
        .header("x-forwarded-for", forwarded)
        .json(&json!({"account": "alice", "password": "correct horse"}));
    app.send(request).await
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_address_is_the_last_forwarded_entry_and_otherwise_the_peer() {
    let proxied = spawn_app_with(denglu_server::HttpSettings {
        trust_forwarded_for: true,
        ..denglu_server::HttpSettings::default()
    })
    .await;
    assert_eq!(proxied.register("alice", "correct horse").await.status, 201);
    // The client wrote the first entry itself; the proxy appended the address it saw.
    let login = login_from(&proxied, "6.6.6.6, 203.0.113.9").await;
    assert_eq!(login.status, 200, "{}", login.body);
    assert_eq!(login.body["user"]["lastIP"], "203.0.113.9");

    let direct = spawn_app().await;
    assert_eq!(direct.register("alice", "correct horse").await.status, 201);
    let login = login_from(&direct, "203.0.113.9").await;
    assert_eq!(login.status, 200, "{}", login.body);
    assert_eq!(
        login.body["user"]["lastIP"], "127.0.0.1",
        "not trusted by default"
    );
}
