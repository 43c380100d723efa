use chrono::{Duration, TimeZone, Utc};
use denglu_crypto::MasterKey;
use denglu_domain::{JwtAlgorithm, PoolId};

use super::*;
use crate::{ClaimsData, generate_signing_key, jwks};

const ISSUER: &str = "http://denglu.test/api/v1/pools/x";

fn master() -> MasterKey {
    MasterKey::from_base64(&MasterKey::generate_base64()).expect("valid key")
}

fn claims(pool: &PoolId, iat: i64, exp: i64) -> UserClaims {
    UserClaims {
        data: ClaimsData {
            id: "5e57540f84622ae263294a42".to_owned(),
            client_id: pool.to_string(),
            unionid: None,
            email: Some("a@example.com".to_owned()),
            phone: None,
        },
        sub: "5e57540f84622ae263294a42".to_owned(),
        iss: ISSUER.to_owned(),
        aud: pool.to_string(),
        jti: "j1".to_owned(),
        iat,
        exp,
    }
}

fn setup(algorithm: JwtAlgorithm) -> (PoolId, KeyMaterial, MasterKey) {
    let now = Utc.timestamp_opt(1_000, 0).single().expect("valid");
    let pool = PoolId::generate(now);
    let master = master();
    let key = generate_signing_key(pool.clone(), algorithm, now, &master);
    let material = KeyMaterial::open(&key, &master).expect("opens");
    (pool, material, master)
}

fn rules(pool: &PoolId, now: i64) -> VerifyRules<'_> {
    VerifyRules {
        pool_id: pool,
        issuer: ISSUER,
        now: Utc.timestamp_opt(now, 0).single().expect("valid"),
    }
}

#[test]
fn tokens_of_every_algorithm_verify_until_they_expire() {
    for algorithm in [
        JwtAlgorithm::ES256,
        JwtAlgorithm::HS256,
        JwtAlgorithm::RS256,
    ] {
        let (pool, key, _) = setup(algorithm);
        let token = key.sign(&claims(&pool, 1_000, 2_000));
        assert_eq!(peek_pool_id(&token), Some(pool.clone()));
        let checked =
            verify(&token, rules(&pool, 1_999), std::slice::from_ref(&key)).expect("valid");
        assert_eq!(checked, claims(&pool, 1_000, 2_000));
        assert_eq!(
            verify(&token, rules(&pool, 2_000), &[key]),
            Err(TokenError::Expired),
            "{algorithm}"
        );
    }
}

/// Signs `claims` plus an `nbf` claim with an HS256 key (`KeyMaterial::sign` takes `UserClaims`, which has no `nbf`).
fn sign_with_nbf(key: &KeyMaterial, claims: &UserClaims, nbf: i64) -> String {
    let mut payload = serde_json::to_value(claims).expect("json");
    payload["nbf"] = nbf.into();
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some(key.kid.clone());
    let secret = key.shared_secret.as_deref().expect("an HS256 key");
    jsonwebtoken::encode(
        &header,
        &payload,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("signs")
}

#[test]
fn a_token_whose_iat_is_in_the_future_beyond_the_leeway_is_invalid() {
    let (pool, key, _) = setup(JwtAlgorithm::ES256);
    let now = 1_500;
    let token = key.sign(&claims(&pool, now + CLOCK_LEEWAY_SECONDS + 1, 9_000));
    assert_eq!(
        verify(&token, rules(&pool, now), std::slice::from_ref(&key)),
        Err(TokenError::Invalid)
    );
}

#[test]
fn a_token_whose_iat_is_ahead_within_the_leeway_verifies() {
    let (pool, key, _) = setup(JwtAlgorithm::ES256);
    let now = 1_500;
    let issued = claims(&pool, now + CLOCK_LEEWAY_SECONDS, 9_000);
    let token = key.sign(&issued);
    assert_eq!(verify(&token, rules(&pool, now), &[key]), Ok(issued));
}

#[test]
fn a_token_whose_nbf_is_in_the_future_beyond_the_leeway_is_invalid() {
    let (pool, key, _) = setup(JwtAlgorithm::HS256);
    let now = 1_500;
    let token = sign_with_nbf(
        &key,
        &claims(&pool, 1_000, 9_000),
        now + CLOCK_LEEWAY_SECONDS + 1,
    );
    assert_eq!(
        verify(&token, rules(&pool, now), std::slice::from_ref(&key)),
        Err(TokenError::Invalid)
    );
}

#[test]
fn a_token_whose_nbf_is_past_or_ahead_within_the_leeway_verifies() {
    let (pool, key, _) = setup(JwtAlgorithm::HS256);
    let now = 1_500;
    for nbf in [1_000, now, now + CLOCK_LEEWAY_SECONDS] {
        let token = sign_with_nbf(&key, &claims(&pool, 1_000, 9_000), nbf);
        assert_eq!(
            verify(&token, rules(&pool, now), std::slice::from_ref(&key)),
            Ok(claims(&pool, 1_000, 9_000)),
            "nbf {nbf}"
        );
    }
}

#[test]
fn a_token_signed_by_another_pools_key_is_invalid() {
    let (pool, key, _) = setup(JwtAlgorithm::ES256);
    let (_, other_key, _) = setup(JwtAlgorithm::ES256);
    let forged = other_key.sign(&claims(&pool, 1_000, 2_000));
    assert_eq!(
        verify(&forged, rules(&pool, 1_500), &[key]),
        Err(TokenError::Invalid)
    );
}

#[test]
fn a_key_verifies_only_with_its_own_algorithm_and_none_is_malformed() {
    let now = Utc.timestamp_opt(1_000, 0).single().expect("valid");
    let pool = PoolId::generate(now);
    let master = master();
    let stored = generate_signing_key(pool.clone(), JwtAlgorithm::ES256, now, &master);
    let es_key = KeyMaterial::open(&stored, &master).expect("opens");
    let public_jwk = stored.public_jwk.expect("an ES256 key is published");
    let forged = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims(&pool, 1_000, 2_000),
        &jsonwebtoken::EncodingKey::from_secret(public_jwk.as_bytes()),
    )
    .expect("signs");
    assert_eq!(
        verify(&forged, rules(&pool, 1_500), std::slice::from_ref(&es_key)),
        Err(TokenError::Invalid),
        "an HS256 token made with an ES256 key's public part is not checked against that key"
    );

    let (_, hs_key, _) = setup(JwtAlgorithm::HS256);
    let hs_token = hs_key.sign(&claims(&pool, 1_000, 2_000));
    let es_token = es_key.sign(&claims(&pool, 1_000, 2_000));
    let both = [es_key, hs_key];
    assert!(
        verify(&hs_token, rules(&pool, 1_500), &both).is_ok(),
        "while a pool moves from HS256 to ES256 its previous key still verifies"
    );
    assert!(verify(&es_token, rules(&pool, 1_500), &both).is_ok());

    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload =
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims(&pool, 1_000, 2_000)).expect("json"));
    let unsigned = format!("{header}.{payload}.");
    assert_eq!(
        verify(&unsigned, rules(&pool, 1_500), &both),
        Err(TokenError::Malformed)
    );
}

#[test]
fn issuer_and_audience_must_be_the_pools() {
    let (pool, key, _) = setup(JwtAlgorithm::ES256);
    let mut wrong_issuer = claims(&pool, 1_000, 2_000);
    wrong_issuer.iss = "http://elsewhere".to_owned();
    let token = key.sign(&wrong_issuer);
    assert_eq!(
        verify(&token, rules(&pool, 1_500), std::slice::from_ref(&key)),
        Err(TokenError::Invalid)
    );

    let other_pool = PoolId::generate(Utc::now());
    let token = key.sign(&claims(&pool, 1_000, 2_000));
    assert_eq!(
        verify(&token, rules(&other_pool, 1_500), &[key]),
        Err(TokenError::Invalid)
    );
}

#[test]
fn garbage_is_malformed() {
    let (pool, key, _) = setup(JwtAlgorithm::ES256);
    for garbage in ["", "abc", "a.b.c", "eyJ.eyJ.sig"] {
        assert_eq!(peek_pool_id(garbage), None);
        assert!(verify(garbage, rules(&pool, 1_500), std::slice::from_ref(&key)).is_err());
    }
}

#[test]
fn jwks_publishes_asymmetric_keys_only_and_keys_need_their_master_key() {
    let now = Utc::now() - Duration::seconds(1);
    let pool = PoolId::generate(now);
    let master = master();
    let es = generate_signing_key(pool.clone(), JwtAlgorithm::ES256, now, &master);
    let hs = generate_signing_key(pool.clone(), JwtAlgorithm::HS256, now, &master);
    let document = jwks(&[es.clone(), hs]);
    let keys = document["keys"].as_array().expect("keys array");
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["kid"], es.kid.as_str());
    assert_eq!(keys[0]["alg"], "ES256");
    assert_eq!(keys[0]["crv"], "P-256");
    assert!(keys[0].get("d").is_none(), "no private part");
    assert!(KeyMaterial::open(&es, &self::master()).is_err());
}

#[test]
fn a_token_without_kid_verifies_with_any_live_key_of_the_pool() {
    let (pool, old, master) = setup(JwtAlgorithm::HS256);
    let now = Utc.timestamp_opt(1_000, 0).single().expect("valid");
    let new = KeyMaterial::open(
        &generate_signing_key(pool.clone(), JwtAlgorithm::HS256, now, &master),
        &master,
    )
    .expect("opens");
    let secret = old.shared_secret.as_deref().expect("an HS256 key");
    let without_kid = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims(&pool, 1_000, 2_000),
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("signs");
    let rules = rules(&pool, 1_500);
    assert!(verify(&without_kid, rules, &[&new, &old]).is_ok());
    assert_eq!(
        verify(&without_kid, rules, &[&new]),
        Err(TokenError::Invalid)
    );
}

#[test]
fn jwks_leaves_retired_keys_out() {
    let now = Utc.timestamp_opt(1_000, 0).single().expect("valid");
    let pool = PoolId::generate(now);
    let master = master();
    let live = generate_signing_key(pool.clone(), JwtAlgorithm::ES256, now, &master);
    let mut retired = generate_signing_key(pool, JwtAlgorithm::ES256, now, &master);
    retired.retired_at = Some(now);
    let published = jwks(&[live.clone(), retired]);
    let keys = published["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["kid"], live.kid.as_str());
}
