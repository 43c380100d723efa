//! Token verification: expiry on the injected clock, forgeries, `alg: none`, local verification by backends, and checks
//! remembered by a replica giving way at once to a block, a logout or a deletion made anywhere.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Duration;
use denglu_domain::{Clock, JwtAlgorithm, PoolId, RegistrationPolicy, UserId};
use denglu_tokens::{KeyMaterial, UserClaims};
use jsonwebtoken::{DecodingKey, EncodingKey, Header, Validation, jwk::JwkSet};
use serde_json::json;

use denglu_service::CreatedPool;

use crate::helpers::{Reply, TestApp, pool_settings, spawn_app};

fn claims_of(token: &str) -> UserClaims {
    let payload = token.split('.').nth(1).expect("three parts");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("claims")
}

/// A new open pool signing with `algorithm`, and the login reply of `username`, signed up in it.
async fn login_in_new_pool(
    app: &TestApp,
    algorithm: JwtAlgorithm,
    username: &str,
) -> (CreatedPool, Reply) {
    let pool = app
        .services
        .pools()
        .create(pool_settings(algorithm, RegistrationPolicy::Open))
        .await
        .expect("pool");
    let pool_id = pool.pool.id.to_string();
    let signed_up = app.register_in(&pool_id, username, "correct horse").await;
    assert_eq!(signed_up.status, 201, "{}", signed_up.body);
    let login = app.login_in(&pool_id, username, "correct horse").await;
    (pool, login)
}

async fn assert_rejected(app: &TestApp, token: &str, code: u64) {
    let status = app.check_token(token).await;
    assert_eq!(status["status"], false, "{status}");
    assert_eq!(status["code"], code, "{status}");
    assert!(status.get("token").is_none());
}

#[tokio::test]
async fn a_token_expires_on_the_servers_clock() {
    let app = spawn_app().await;
    let token = app.signed_up_token("ivan").await;
    app.clock.advance(Duration::days(15) - Duration::seconds(2));
    assert_eq!(app.check_token(&token).await["status"], true);
    app.clock.advance(Duration::seconds(2));
    assert_rejected(&app, &token, 2206).await;
}

#[tokio::test]
async fn a_token_signed_with_another_pools_key_is_invalid() {
    let app = spawn_app().await;
    let token = app.signed_up_token("judy").await;
    let other = app
        .services
        .pools()
        .create(pool_settings(JwtAlgorithm::ES256, RegistrationPolicy::Open))
        .await
        .expect("pool");
    let other_key = app
        .store
        .signing_keys(&other.pool.id)
        .await
        .expect("keys")
        .remove(0);
    let forged = KeyMaterial::open(&other_key, &app.master_key)
        .expect("opens")
        .sign(&claims_of(&token));
    assert_rejected(&app, &forged, 2207).await;
}

#[tokio::test]
async fn unsigned_and_garbage_tokens_are_invalid_and_a_missing_one_is_not_logged_in() {
    let app = spawn_app().await;
    let token = app.signed_up_token("kate").await;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = token.split('.').nth(1).expect("payload");
    assert_rejected(&app, &format!("{header}.{payload}."), 2207).await;
    let mut tampered = token.clone();
    tampered.pop();
    tampered.push(if token.ends_with('A') { 'B' } else { 'A' });
    assert_rejected(&app, &tampered, 2207).await;
    assert_rejected(&app, "not-a-jwt", 2207).await;

    let reply = app.get("/authing/token").await;
    assert_eq!(
        (reply.body["status"].clone(), reply.body["code"].clone()),
        (json!(false), json!(2020))
    );
}

#[tokio::test]
async fn es256_tokens_verify_locally_against_the_published_jwks() {
    let app = spawn_app().await;
    let token = app.signed_up_token("liam").await;
    let reply = app
        .get(&format!("/api/v1/pools/{}/jwks.json", app.pool_id()))
        .await;
    assert_eq!(reply.status, 200);
    let set: JwkSet = serde_json::from_value(reply.body).expect("a JWKS");
    let kid = jsonwebtoken::decode_header(&token)
        .expect("header")
        .kid
        .expect("kid");
    let jwk = set.find(&kid).expect("the signing key is published");
    let mut validation = Validation::new(jsonwebtoken::Algorithm::ES256);
    validation.set_audience(&[app.pool_id()]);
    validation.set_issuer(&[format!("{}/api/v1/pools/{}", app.base, app.pool_id())]);
    let decoded = jsonwebtoken::decode::<serde_json::Value>(
        &token,
        &DecodingKey::from_jwk(jwk).expect("key"),
        &validation,
    )
    .expect("verifies locally");
    assert_eq!(decoded.claims["data"]["clientId"], app.pool_id().as_str());
}

#[tokio::test]
async fn hs256_pools_sign_tokens_that_their_jwt_secret_verifies_as_authing_backends_did() {
    let app = spawn_app().await;
    let (pool, login) = login_in_new_pool(&app, JwtAlgorithm::HS256, "mia").await;
    let pool_id = pool.pool.id.to_string();
    let token = login.body["token"].as_str().expect("token");

    let secret = app
        .services
        .pools()
        .jwt_secret(&pool.pool.id)
        .await
        .expect("pool")
        .expect("HS256 secret");
    let mut validation = Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.validate_aud = false;
    let decoded = jsonwebtoken::decode::<serde_json::Value>(
        token,
        &DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    )
    .expect("verifies with the pool's JWT secret");
    assert_eq!(decoded.claims["data"]["id"], login.body["user"]["_id"]);
    assert_eq!(
        app.get(&format!("/api/v1/pools/{pool_id}/jwks.json"))
            .await
            .body,
        json!({"keys": []})
    );
    assert_eq!(app.check_token(token).await["status"], true);
}

#[tokio::test]
async fn a_token_forged_with_a_future_iat_is_refused_and_so_cannot_outlive_a_logout() {
    let app = spawn_app().await;
    let (pool, login) = login_in_new_pool(&app, JwtAlgorithm::HS256, "pia").await;
    let token = login.body["token"].as_str().expect("token").to_owned();
    let secret = app
        .services
        .pools()
        .jwt_secret(&pool.pool.id)
        .await
        .expect("pool")
        .expect("HS256 secret");
    let mut claims = claims_of(&token);
    claims.iat += Duration::days(1).num_seconds();
    claims.exp = claims.iat + Duration::days(15).num_seconds();
    claims.jti = "forged".to_owned();
    let forged = jsonwebtoken::encode(
        &Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("signs");

    let logout = app
        .send(
            app.client
                .post(format!("{}/api/v1/logout", app.base))
                .bearer_auth(&token),
        )
        .await;
    assert_eq!(logout.status, 204, "{}", logout.body);
    assert_rejected(&app, &token, 2206).await;
    assert_rejected(&app, &forged, 2207).await;
}

#[tokio::test]
async fn rs256_pools_issue_tokens_that_verify() {
    let app = spawn_app().await;
    let (pool, login) = login_in_new_pool(&app, JwtAlgorithm::RS256, "noah").await;
    let pool_id = pool.pool.id.to_string();
    let token = login.body["token"].as_str().expect("token").to_owned();
    assert_eq!(
        jsonwebtoken::decode_header(&token).expect("header").alg,
        jsonwebtoken::Algorithm::RS256
    );
    assert_eq!(app.check_token(&token).await["status"], true);
    let jwks = app
        .get(&format!("/api/v1/pools/{pool_id}/jwks.json"))
        .await
        .body;
    assert_eq!(jwks["keys"][0]["kty"], "RSA");
}

#[tokio::test]
async fn the_native_verify_endpoint_reports_valid_and_invalid_tokens() {
    let app = spawn_app().await;
    let token = app.signed_up_token("olga").await;
    let valid = app
        .post_json("/api/v1/tokens/verify", &json!({"token": token}))
        .await;
    assert_eq!(
        (
            valid.status,
            valid.body["valid"].clone(),
            valid.body["code"].clone()
        ),
        (200, json!(true), json!(200))
    );
    assert_eq!(valid.body["claims"]["aud"], app.pool_id().as_str());
    let invalid = app
        .post_json("/api/v1/tokens/verify", &json!({"token": "x.y.z"}))
        .await;
    assert_eq!(
        (invalid.body["valid"].clone(), invalid.body["code"].clone()),
        (json!(false), json!(2207))
    );
}

/// The user and pool ids of a token.
fn owner_of(token: &str) -> (PoolId, UserId) {
    let claims = claims_of(token);
    (
        PoolId::parse(&claims.data.client_id).expect("pool id"),
        UserId::parse(&claims.sub).expect("user id"),
    )
}

#[tokio::test]
async fn a_check_remembered_by_the_server_gives_way_at_once_to_a_block_a_logout_and_a_deletion() {
    let app = spawn_app().await;
    let token = app.signed_up_token("olga").await;
    let (pool, user) = owner_of(&token);
    let at = || app.clock.now();
    // Each check after the first may be answered from what the server remembers of the token and of its user.
    for _ in 0..3 {
        assert_eq!(app.check_token(&token).await["status"], true);
    }

    // Straight through the store, as `denglu user block` does: no service of this server is told.
    app.store
        .set_blocked(&pool, &user, true, at())
        .await
        .expect("block");
    assert_rejected(&app, &token, 2005).await;
    app.store
        .set_blocked(&pool, &user, false, at())
        .await
        .expect("unblock");
    assert_rejected(&app, &token, 2206).await;

    let again = app.login("olga", "correct horse").await.body["token"]
        .as_str()
        .expect("a new token")
        .to_owned();
    assert_eq!(app.check_token(&again).await["status"], true);
    // A logout revokes the tokens issued before its second; this one was issued in the block's.
    app.clock.advance(Duration::seconds(2));
    let logout = app
        .client
        .post(format!("{}/api/v1/logout", app.base))
        .bearer_auth(&again);
    assert_eq!(app.send(logout).await.status, 204);
    assert_rejected(&app, &again, 2206).await;

    let last = app.login("olga", "correct horse").await.body["token"]
        .as_str()
        .expect("a last token")
        .to_owned();
    assert_eq!(app.check_token(&last).await["status"], true);
    assert!(
        app.store
            .admin()
            .delete_user(&pool, &user)
            .await
            .expect("delete")
    );
    assert_rejected(&app, &last, 2207).await;
}

#[tokio::test]
async fn a_block_on_one_replica_is_heard_by_another_that_remembered_the_check() {
    let app = spawn_app().await;
    // SQLite serves one node (its notices stay in the process that made them); replicas share PostgreSQL.
    if !app.database_url.starts_with("postgres") {
        return;
    }
    let replica = app.spawn_replica().await;
    app.signed_up_token("pavel").await;
    // Issued by the replica, whose issuer is its own address.
    let login = app
        .client
        .post(format!("{replica}/api/v1/pools/{}/login", app.pool_id()))
        .json(&json!({"account": "pavel", "password": "correct horse"}));
    let token = app.send(login).await.body["token"]
        .as_str()
        .expect("a token from the replica")
        .to_owned();
    let (pool, user) = owner_of(&token);
    let check_there = || async {
        let request = app
            .client
            .get(format!("{replica}/authing/token"))
            .query(&[("access_token", token.as_str())]);
        app.send(request).await.body
    };
    for _ in 0..3 {
        assert_eq!(check_there().await["status"], true);
    }
    app.store
        .set_blocked(&pool, &user, true, app.clock.now())
        .await
        .expect("block");
    let refused = check_there().await;
    assert_eq!(
        (&refused["status"], &refused["code"]),
        (&json!(false), &json!(2005)),
        "{refused}"
    );
}
