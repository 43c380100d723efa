//! Signing key rotation: a new key signs, the previous ones verify and stay in the JWKS until retired, and the
//! active key cannot be retired.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use denglu_domain::{JwtAlgorithm, PoolId, RegistrationPolicy, SigningKeyState};
use denglu_service::ServiceError;
use jsonwebtoken::{EncodingKey, Header};
use serde_json::{Value, json};

use crate::helpers::{TestApp, pool_settings, spawn_app};

fn kid_of(token: &str) -> String {
    jsonwebtoken::decode_header(token)
        .expect("a JWT header")
        .kid
        .expect("a kid")
}

async fn published_kids(app: &TestApp, pool: &PoolId) -> Vec<String> {
    let reply = app.get(&format!("/api/v1/pools/{pool}/jwks.json")).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|key| key["kid"].as_str().expect("kid").to_owned())
        .collect()
}

/// `GET /api/v1/me` with `token`: the HTTP status and the body.
async fn me(app: &TestApp, token: &str) -> (u16, Value) {
    let reply = app
        .send(
            app.client
                .get(format!("{}/api/v1/me", app.base))
                .bearer_auth(token),
        )
        .await;
    (reply.status, reply.body)
}

async fn assert_accepted(app: &TestApp, token: &str) {
    let checked = app.check_token(token).await;
    assert_eq!(checked["status"], true, "{checked}");
    let (status, body) = me(app, token).await;
    assert_eq!(status, 200, "{body}");
}

async fn assert_refused_as_invalid(app: &TestApp, token: &str) {
    let checked = app.check_token(token).await;
    assert_eq!(
        (checked["status"].clone(), checked["code"].clone()),
        (json!(false), json!(2207)),
        "{checked}"
    );
    let (status, body) = me(app, token).await;
    assert_eq!((status, body["code"].clone()), (401, json!(2207)), "{body}");
}

#[tokio::test]
async fn a_token_signed_before_a_rotation_verifies_and_stays_published_until_its_key_is_retired() {
    let app = spawn_app().await;
    let pool = app.pool.pool.id.clone();
    let before = app.signed_up_token("ada").await;
    let old_kid = kid_of(&before);

    let rotated = app
        .services
        .pools()
        .rotate_signing_key(&pool)
        .await
        .expect("rotated");
    assert_ne!(rotated.kid, old_kid);
    assert_eq!(rotated.state, SigningKeyState::Active);

    assert_accepted(&app, &before).await;
    let reply = app.login("ada", "correct horse").await;
    let after = reply.body["token"].as_str().expect("token").to_owned();
    assert_eq!(kid_of(&after), rotated.kid, "new tokens carry the new kid");
    assert_accepted(&app, &after).await;
    let mut published = published_kids(&app, &pool).await;
    published.sort();
    let mut both = vec![old_kid.clone(), rotated.kid.clone()];
    both.sort();
    assert_eq!(published, both);

    let retired = app
        .services
        .pools()
        .retire_signing_key(&pool, &old_kid)
        .await
        .expect("retired");
    assert_eq!(retired.state, SigningKeyState::Retired);
    assert_refused_as_invalid(&app, &before).await;
    assert_accepted(&app, &after).await;
    assert_eq!(published_kids(&app, &pool).await, vec![rotated.kid.clone()]);
    let states: Vec<(String, SigningKeyState)> = app
        .services
        .pools()
        .signing_keys(&pool)
        .await
        .expect("keys")
        .into_iter()
        .map(|key| (key.kid, key.state))
        .collect();
    assert_eq!(
        states,
        vec![
            (rotated.kid, SigningKeyState::Active),
            (old_kid, SigningKeyState::Retired)
        ]
    );
}

#[tokio::test]
async fn the_active_key_cannot_be_retired_and_stays_in_use() {
    let app = spawn_app().await;
    let pool = app.pool.pool.id.clone();
    let token = app.signed_up_token("bea").await;
    let active = kid_of(&token);

    let refused = app
        .services
        .pools()
        .retire_signing_key(&pool, &active)
        .await;
    let Err(error @ ServiceError::Rejected(_)) = refused else {
        panic!("retiring the active key must be refused: {refused:?}");
    };
    assert_eq!(error.code().number(), 1002);
    assert!(error.to_string().contains("rotate first"), "{error}");
    let unknown = app
        .services
        .pools()
        .retire_signing_key(&pool, "no-such-kid")
        .await;
    assert!(
        matches!(unknown, Err(ServiceError::Rejected(_))),
        "{unknown:?}"
    );

    assert_accepted(&app, &token).await;
    assert_eq!(published_kids(&app, &pool).await, vec![active.clone()]);
    let rotated = app
        .services
        .pools()
        .rotate_signing_key(&pool)
        .await
        .expect("rotated");
    app.services
        .pools()
        .retire_signing_key(&pool, &active)
        .await
        .expect("once rotated, the old key retires");
    let twice = app
        .services
        .pools()
        .retire_signing_key(&pool, &active)
        .await;
    assert!(
        twice
            .as_ref()
            .is_err_and(|e| e.to_string().contains("already retired")),
        "{twice:?}"
    );
    assert_eq!(published_kids(&app, &pool).await, vec![rotated.kid]);
}

#[tokio::test]
async fn rotating_an_hs256_pool_gives_it_a_new_jwt_secret_and_the_old_one_verifies_until_retired() {
    let app = spawn_app().await;
    let created = app
        .services
        .pools()
        .create(pool_settings(JwtAlgorithm::HS256, RegistrationPolicy::Open))
        .await
        .expect("pool");
    let pool = created.pool.id.clone();
    assert_eq!(
        app.register_in(pool.as_str(), "cy", "correct horse")
            .await
            .status,
        201
    );
    let login = app.login_in(pool.as_str(), "cy", "correct horse").await;
    let before = login.body["token"].as_str().expect("token").to_owned();
    let jwt_secret = || async {
        app.services
            .pools()
            .jwt_secret(&pool)
            .await
            .expect("pool")
            .expect("an HS256 secret")
    };
    let old_secret = jwt_secret().await;
    // An Authing-era token: no kid, signed with the pool's JWT secret.
    let payload = before.split('.').nth(1).expect("payload");
    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("json");
    let without_kid = jsonwebtoken::encode(
        &Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(old_secret.as_bytes()),
    )
    .expect("signs");

    let rotated = app
        .services
        .pools()
        .rotate_signing_key(&pool)
        .await
        .expect("rotated");
    let new_secret = jwt_secret().await;
    assert_ne!(new_secret, old_secret, "the new key is a new JWT secret");
    assert_accepted(&app, &before).await;
    assert_accepted(&app, &without_kid).await;
    let after = app.login_in(pool.as_str(), "cy", "correct horse").await;
    let after = after.body["token"].as_str().expect("token").to_owned();
    assert_eq!(kid_of(&after), rotated.kid);
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.validate_aud = false;
    jsonwebtoken::decode::<Value>(
        &after,
        &jsonwebtoken::DecodingKey::from_secret(new_secret.as_bytes()),
        &validation,
    )
    .expect("backends verify new tokens with the new secret");
    assert!(
        published_kids(&app, &pool).await.is_empty(),
        "HS256 keys are never published"
    );

    app.services
        .pools()
        .retire_signing_key(&pool, &kid_of(&before))
        .await
        .expect("retired");
    assert_refused_as_invalid(&app, &before).await;
    assert_refused_as_invalid(&app, &without_kid).await;
    assert_accepted(&app, &after).await;
}
