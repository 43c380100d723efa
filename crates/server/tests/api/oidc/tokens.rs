//! The client's token endpoints besides the code: `client_credentials`, introspection (active only while the token
//! stands, for confidential clients), revocation (the client's own tokens, the whole grant), and tokens of one kind
//! refused where another is expected.

use super::{query_of, web_app};
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_client_acting_for_itself_gets_an_access_token_that_introspects_until_revoked() {
    let app = spawn_app().await;
    let rp = app.rp(web_app()).await;
    let tokens = rp
        .token(&[("grant_type", "client_credentials"), ("scope", "profile")])
        .await;
    assert_eq!(tokens.status, 200, "{}", tokens.body);
    assert!(tokens.body.get("id_token").is_none() && tokens.body.get("refresh_token").is_none());
    let access = tokens.body["access_token"].as_str().expect("access");

    let seen = rp.about_token("introspect", access).await;
    assert_eq!(seen.body["active"], true, "{}", seen.body);
    assert_eq!(seen.body["client_id"], rp.client_id.as_str());
    assert_eq!(seen.body["sub"], rp.client_id.as_str());
    assert_eq!(seen.body["scope"], "profile");
    assert_eq!(rp.userinfo(access).await.status, 403, "no user behind it");

    let revoked = rp.about_token("revoke", access).await;
    assert_eq!(revoked.status, 200);
    assert_eq!(
        rp.about_token("introspect", access).await.body["active"],
        false
    );

    let openid = rp
        .token(&[("grant_type", "client_credentials"), ("scope", "openid")])
        .await;
    assert_eq!(openid.body["error"], "invalid_scope");
    let unknown = rp.token(&[("grant_type", "password")]).await;
    assert_eq!(unknown.body["error"], "unsupported_grant_type");
}

#[tokio::test]
async fn introspection_is_for_confidential_clients_and_says_inactive_for_anything_not_standing() {
    let app = spawn_app().await;
    let mut rp = app.rp(web_app()).await;
    let mut spa_body = web_app();
    spa_body["kind"] = serde_json::json!("public");
    spa_body["grantTypes"] = serde_json::json!(["authorization_code", "refresh_token"]);
    let spa = app.rp(spa_body).await;
    let code = query_of(&rp.log_in("Ming").await)["code"].clone();
    let tokens = rp.exchange(&code).await;
    let refresh = tokens.body["refresh_token"].as_str().expect("refresh");
    let id_token = tokens.body["id_token"].as_str().expect("id");

    assert_eq!(
        rp.about_token("introspect", refresh).await.body["token_type"],
        "refresh_token"
    );
    for junk in ["junk", id_token] {
        let seen = rp.about_token("introspect", junk).await;
        assert_eq!(seen.body, serde_json::json!({"active": false}), "{junk}");
    }
    let public = spa.about_token("introspect", refresh).await;
    assert_eq!(
        (public.status, public.body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert!(
        rp.userinfo(id_token).await.status == 401,
        "an ID token is no access token"
    );
    let authing = app.signed_up_token("bob").await;
    assert_eq!(
        rp.userinfo(&authing).await.status,
        401,
        "nor is a pool's own user token"
    );

    let not_its_own = spa.about_token("revoke", refresh).await;
    assert_eq!(not_its_own.status, 200, "the same answer as for any token");
    assert_eq!(
        rp.about_token("introspect", refresh).await.body["active"],
        true,
        "another client's token stands"
    );
    rp.about_token("revoke", refresh).await;
    assert_eq!(
        rp.about_token("introspect", refresh).await.body["active"],
        false
    );
    let access = tokens.body["access_token"].as_str().expect("access");
    assert_eq!(
        rp.about_token("introspect", access).await.body["active"],
        false,
        "the grant is revoked"
    );
}
