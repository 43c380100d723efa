use chrono::{TimeZone, Utc};
use denglu_crypto::MasterKey;
use denglu_domain::{JwtAlgorithm, PoolId};
use serde_json::Map;

use super::*;
use crate::{ClaimsData, KeyMaterial, TokenError, UserClaims, generate_signing_key};

const ISSUER: &str = "http://denglu.test/oidc/p";
const NOW: i64 = 1_000_000;

fn master() -> MasterKey {
    MasterKey::from_base64(&MasterKey::generate_base64()).expect("valid key")
}

fn key(algorithm: JwtAlgorithm) -> KeyMaterial {
    let now = Utc.timestamp_opt(NOW, 0).single().expect("valid");
    let master = master();
    let stored = generate_signing_key(PoolId::generate(now), algorithm, now, &master);
    KeyMaterial::open(&stored, &master).expect("opens")
}

fn rules(at: i64) -> OidcRules<'static> {
    OidcRules {
        issuer: ISSUER,
        now: Utc.timestamp_opt(at, 0).single().expect("valid"),
    }
}

fn access(exp: i64) -> AccessClaims {
    AccessClaims {
        iss: ISSUER.to_owned(),
        sub: "user".to_owned(),
        aud: ISSUER.to_owned(),
        exp,
        iat: NOW,
        jti: "j".to_owned(),
        client_id: "c".to_owned(),
        scope: "openid".to_owned(),
        gid: "g".to_owned(),
        auth_time: Some(NOW),
    }
}

fn id(exp: i64) -> IdClaims {
    IdClaims {
        iss: ISSUER.to_owned(),
        sub: "user".to_owned(),
        aud: "c".to_owned(),
        exp,
        iat: NOW,
        auth_time: NOW,
        nonce: Some("n".to_owned()),
        azp: "c".to_owned(),
        sid: Some("s".to_owned()),
        amr: vec!["wechat_qr".to_owned()],
        at_hash: None,
        scoped: Map::new(),
    }
}

#[test]
fn an_access_token_verifies_with_its_key_until_it_expires() {
    for algorithm in [JwtAlgorithm::ES256, JwtAlgorithm::RS256] {
        let key = key(algorithm);
        let token = key.sign_as(OidcTokenKind::Access, &access(NOW + 60));
        let header = jsonwebtoken::decode_header(&token).expect("header");
        assert_eq!(header.typ.as_deref(), Some("at+jwt"));
        assert_eq!(
            verify_access_token(&token, rules(NOW), &[&key]),
            Ok(access(NOW + 60))
        );
        assert_eq!(
            verify_access_token(&token, rules(NOW + 60), &[&key]),
            Err(TokenError::Expired)
        );
        assert_eq!(
            verify_access_token(&token, rules(NOW - 3600), &[&key]),
            Err(TokenError::Invalid),
            "dated in the future"
        );
    }
}

#[test]
fn a_token_of_one_kind_is_never_accepted_as_another() {
    let key = key(JwtAlgorithm::ES256);
    let id_token = key.sign_as(OidcTokenKind::Id, &id(NOW + 60));
    let access_token = key.sign_as(OidcTokenKind::Access, &access(NOW + 60));
    assert_eq!(
        verify_access_token(&id_token, rules(NOW), &[&key]),
        Err(TokenError::Invalid)
    );
    assert_eq!(
        verify_id_token_hint(&access_token, rules(NOW), &[&key]),
        Err(TokenError::Invalid)
    );
    assert_eq!(
        verify_id_token_hint(&id_token, rules(NOW), &[&key]),
        Ok(id(NOW + 60))
    );
    assert_eq!(
        verify_id_token_hint(&id_token, rules(NOW + 3600), &[&key]),
        Ok(id(NOW + 60)),
        "a hint past its expiry is the caller's to judge"
    );
    let authing = UserClaims {
        data: ClaimsData {
            id: "user".to_owned(),
            client_id: "p".to_owned(),
            unionid: None,
            email: None,
            phone: None,
        },
        sub: "user".to_owned(),
        iss: ISSUER.to_owned(),
        aud: ISSUER.to_owned(),
        jti: "j".to_owned(),
        iat: NOW,
        exp: NOW + 60,
    };
    let authing = key.sign(&authing);
    assert_eq!(
        verify_access_token(&authing, rules(NOW), &[&key]),
        Err(TokenError::Invalid)
    );
    assert_eq!(
        verify_id_token_hint(&authing, rules(NOW), &[&key]),
        Err(TokenError::Invalid),
        "an Authing token has no azp nor amr"
    );
}

#[test]
fn only_the_named_asymmetric_key_verifies() {
    let signer = key(JwtAlgorithm::ES256);
    let other = key(JwtAlgorithm::ES256);
    let token = signer.sign_as(OidcTokenKind::Access, &access(NOW + 60));
    assert_eq!(
        verify_access_token(&token, rules(NOW), &[&other]),
        Err(TokenError::Invalid)
    );
    let hmac = key(JwtAlgorithm::HS256);
    let token = hmac.sign_as(OidcTokenKind::Access, &access(NOW + 60));
    assert_eq!(
        verify_access_token(&token, rules(NOW), &[&hmac]),
        Err(TokenError::Invalid),
        "HS256 keys never verify OIDC tokens"
    );
}

#[test]
fn a_pools_own_oidc_key_opens_alike_everywhere_and_publishes_its_jwk() {
    let master = master();
    let now = Utc.timestamp_opt(NOW, 0).single().expect("valid");
    let pool = PoolId::generate(now);
    let stored = generate_oidc_key(&pool, now, &master);
    assert_eq!(stored.name, format!("oidc:{pool}"));
    let (key, jwk) = open_oidc_key(&stored, &master).expect("opens");
    let (again, _) = open_oidc_key(&stored, &master).expect("opens");
    assert_eq!(key.kid, again.kid);
    assert_eq!(jwk["kid"], key.kid.as_str());
    assert_eq!(
        (jwk["kty"].as_str(), jwk["alg"].as_str()),
        (Some("EC"), Some("ES256"))
    );
    assert!(jwk.get("d").is_none(), "no private part is published");
    let token = key.sign_as(OidcTokenKind::Access, &access(NOW + 60));
    let decoding =
        jsonwebtoken::DecodingKey::from_jwk(&serde_json::from_value(jwk).expect("a JWK"))
            .expect("usable");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
    validation.validate_exp = false;
    validation.set_audience(&[ISSUER]);
    assert!(jsonwebtoken::decode::<AccessClaims>(&token, &decoding, &validation).is_ok());
    assert!(
        open_oidc_key(&stored, &self::master()).is_err(),
        "another master key"
    );
}

#[test]
fn at_hash_is_the_left_half_of_the_sha256() {
    // OpenID Connect Core 1.0, Appendix A.3 and A.4.
    assert_eq!(
        access_token_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
        "77QmUPtjPfzWtF2AnpK9RQ"
    );
}
