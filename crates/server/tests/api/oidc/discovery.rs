//! The discovery document, field by field against the spec and against what the server does, and the JWKS (an
//! HS256 pool publishes a P-256 key of its own for OIDC).

use serde_json::json;

use crate::helpers::{pool_settings, spawn_app};

#[tokio::test]
async fn the_discovery_document_lists_what_the_endpoints_do() {
    let app = spawn_app().await;
    let issuer = app.issuer();
    let reply = app
        .get(&format!(
            "/oidc/{}/.well-known/openid-configuration",
            app.pool_id()
        ))
        .await;
    assert_eq!(reply.status, 200);
    let doc = &reply.body;
    assert_eq!(doc["issuer"], issuer);
    for (field, path) in [
        ("authorization_endpoint", "/authorize"),
        ("token_endpoint", "/token"),
        ("userinfo_endpoint", "/userinfo"),
        ("jwks_uri", "/jwks.json"),
        ("revocation_endpoint", "/revoke"),
        ("introspection_endpoint", "/introspect"),
        ("end_session_endpoint", "/logout"),
        ("device_authorization_endpoint", "/device/authorize"),
    ] {
        assert_eq!(doc[field], format!("{issuer}{path}"), "{field}");
    }
    assert_eq!(doc["response_types_supported"], json!(["code"]));
    assert_eq!(doc["code_challenge_methods_supported"], json!(["S256"]));
    assert_eq!(doc["authorization_response_iss_parameter_supported"], true);
    assert_eq!(doc["subject_types_supported"], json!(["public"]));
    assert_eq!(
        doc["id_token_signing_alg_values_supported"],
        json!(["ES256"])
    );
    assert_eq!(
        doc["grant_types_supported"],
        json!([
            "authorization_code",
            "refresh_token",
            "client_credentials",
            "urn:ietf:params:oauth:grant-type:device_code"
        ])
    );
    assert_eq!(
        doc["scopes_supported"],
        json!([
            "openid",
            "profile",
            "phone",
            "email",
            "offline_access",
            "wechat"
        ])
    );
    assert_eq!(doc["backchannel_logout_supported"], false);

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let status = |url: &str, post: bool| {
        let request = if post {
            client.post(url).form(&[("x", "y")])
        } else {
            client.get(url)
        };
        async move { request.send().await.expect("answers").status().as_u16() }
    };
    let url = |field: &str| doc[field].as_str().expect("a URL").to_owned();
    assert_eq!(
        status(&url("authorization_endpoint"), false).await,
        400,
        "an error page, not 404"
    );
    assert_eq!(status(&url("token_endpoint"), true).await, 400);
    assert_eq!(status(&url("userinfo_endpoint"), false).await, 401);
    assert_eq!(status(&url("revocation_endpoint"), true).await, 400);
    assert_eq!(status(&url("introspection_endpoint"), true).await, 400);
    assert_eq!(
        status(&url("end_session_endpoint"), false).await,
        200,
        "logged out already"
    );
    let jwks = app.get(&format!("/oidc/{}/jwks.json", app.pool_id())).await;
    let keys = jwks.body["keys"].as_array().expect("keys");
    assert!(
        !keys.is_empty()
            && keys
                .iter()
                .all(|k| k["kid"].is_string() && k.get("d").is_none())
    );
}

#[tokio::test]
async fn an_hs256_pool_signs_oidc_tokens_with_a_key_of_its_own_and_unknown_issuers_are_refused() {
    let app = spawn_app().await;
    let created = app
        .services
        .pools()
        .create(pool_settings(
            denglu_domain::JwtAlgorithm::HS256,
            denglu_domain::RegistrationPolicy::Open,
        ))
        .await
        .expect("pool");
    let pool = created.pool.id.to_string();
    let doc = app
        .get(&format!("/oidc/{pool}/.well-known/openid-configuration"))
        .await;
    assert_eq!(
        doc.body["id_token_signing_alg_values_supported"],
        json!(["ES256"])
    );
    let jwks = app.get(&format!("/oidc/{pool}/jwks.json")).await;
    let keys = jwks.body["keys"].as_array().expect("keys").clone();
    assert_eq!(keys.len(), 1, "{}", jwks.body);
    assert_eq!(
        (keys[0]["kty"].as_str(), keys[0]["alg"].as_str()),
        (Some("EC"), Some("ES256"))
    );
    let again = app.get(&format!("/oidc/{pool}/jwks.json")).await;
    assert_eq!(again.body["keys"], json!(keys), "made once");
    assert_eq!(
        app.get(&format!("/api/v1/pools/{pool}/jwks.json"))
            .await
            .body["keys"],
        json!([]),
        "the pool's own HS256 tokens still publish nothing"
    );

    let unknown = app
        .get("/oidc/not-a-pool/.well-known/openid-configuration")
        .await;
    assert_eq!(
        (unknown.status, unknown.body["error"].as_str()),
        (404, Some("invalid_request"))
    );
    let absent = format!("/oidc/{}/jwks.json", "0".repeat(24));
    let absent = app.get(&absent).await;
    assert_eq!(
        absent.status, 404,
        "a well-formed id of no pool: {}",
        absent.body
    );
    let page = app
        .get(&format!("/oidc/{}/authorize", "0".repeat(24)))
        .await;
    assert_eq!(page.status, 404, "the error page says so too");
}
