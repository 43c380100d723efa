//! The rules of the spec's security section, each broken once: no redirect for an unknown client or redirect URI,
//! PKCE required and S256 only, codes single use (a replay revokes what was issued) and short-lived, refresh token
//! reuse revoking the family, client authentication, other pools, blocked users, rotated keys, forged hints and
//! unregistered post-logout URIs, pages sealed to their browser.

use serde_json::json;

use super::{Rp, VERIFIER, challenge, query_of, web_app};
use crate::{
    admin::{owner, post},
    helpers::{pool_settings, spawn_app},
};

#[tokio::test]
async fn an_unknown_client_or_redirect_uri_gets_an_error_page_and_never_a_redirect() {
    let app = spawn_app().await;
    let mut rp = app.rp(web_app()).await;
    for extra in [
        [("redirect_uri", Some("https://evil.example.com/callback"))],
        [("redirect_uri", Some("https://shop.example.com/callback/"))],
        [("redirect_uri", None)],
        [("client_id", Some("no-such-client-0123456789"))],
    ] {
        let page = rp.open(&rp.authorize_url(&extra)).await;
        assert_eq!(
            (page.status, page.location.as_deref()),
            (400, None),
            "{extra:?}"
        );
        assert!(page.text.contains("invalid_request"), "{}", page.text);
    }
    let other_pool = app
        .services
        .pools()
        .create(pool_settings(
            denglu_domain::JwtAlgorithm::ES256,
            denglu_domain::RegistrationPolicy::Open,
        ))
        .await
        .expect("pool");
    let elsewhere = rp
        .authorize_url(&[])
        .replace(&app.pool_id(), other_pool.pool.id.as_str());
    let page = rp.open(&elsewhere).await;
    assert_eq!(
        (page.status, page.location),
        (400, None),
        "a client of another pool is unknown here"
    );
}

/// A parameter of the authorization URL: `None` leaves it out.
type Param<'a> = (&'a str, Option<&'a str>);

#[tokio::test]
async fn after_the_redirect_uri_matches_errors_go_back_to_the_client_with_state_and_iss() {
    let app = spawn_app().await;
    let mut rp = app.rp(web_app()).await;
    let cases: [(&[Param<'_>], &str); 6] = [
        (
            &[("code_challenge", None), ("code_challenge_method", None)],
            "invalid_request",
        ),
        (
            &[("code_challenge_method", Some("plain"))],
            "invalid_request",
        ),
        (&[("code_challenge_method", None)], "invalid_request"),
        (
            &[("response_type", Some("token"))],
            "unsupported_response_type",
        ),
        (&[("scope", Some("openid admin"))], "invalid_scope"),
        (&[("prompt", Some("none login"))], "invalid_request"),
    ];
    for (extra, error) in cases {
        let page = rp.open(&rp.authorize_url(extra)).await;
        let location = page
            .location
            .unwrap_or_else(|| panic!("{extra:?}: {}", page.text));
        assert!(
            location.starts_with("https://shop.example.com/callback?"),
            "{location}"
        );
        let answer = query_of(&location);
        assert_eq!(answer["error"], error, "{extra:?}");
        assert_eq!(
            (answer["state"].as_str(), answer["iss"].clone()),
            ("st-1", app.issuer())
        );
        assert!(!answer["error_description"].is_empty());
    }
}

#[tokio::test]
async fn a_code_is_used_once_and_its_replay_revokes_what_it_gave() {
    let app = spawn_app().await;
    let mut rp = app.rp(web_app()).await;
    let code = query_of(&rp.log_in("Ming").await)["code"].clone();
    let tokens = rp.exchange(&code).await;
    assert_eq!(tokens.status, 200, "{}", tokens.body);
    let access = tokens.body["access_token"].as_str().expect("access");
    assert_eq!(rp.userinfo(access).await.status, 200);

    let replay = rp.exchange(&code).await;
    assert_eq!(
        (replay.status, replay.body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let revoked = rp.userinfo(access).await;
    assert_eq!(revoked.status, 401, "{}", revoked.body);
    assert_eq!(revoked.body["error"], "invalid_token");
    let refresh = tokens.body["refresh_token"].as_str().expect("refresh");
    let dead = rp
        .token(&[("grant_type", "refresh_token"), ("refresh_token", refresh)])
        .await;
    assert_eq!(dead.body["error"], "invalid_grant");
}

#[tokio::test]
async fn the_exchange_checks_the_verifier_the_redirect_uri_the_expiry_and_the_client() {
    let app = spawn_app().await;
    let mut rp = app.rp(web_app()).await;
    let other = app.rp(web_app()).await;

    let code = query_of(&rp.log_in("Ming").await)["code"].clone();
    let wrong = challenge("a-verifier-that-was-never-sent-with-the-request");
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "https://shop.example.com/callback"),
        ("code_verifier", &wrong[..43]),
    ];
    let mismatch = rp.token(&form).await;
    assert_eq!(mismatch.body["error"], "invalid_grant", "{}", mismatch.body);
    assert!(
        mismatch.body["error_description"]
            .as_str()
            .expect("text")
            .contains("code_verifier")
    );

    let code =
        query_of(&rp.open(&rp.authorize_url(&[])).await.location.expect("SSO"))["code"].clone();
    form[1].1 = &code;
    form[3].1 = VERIFIER;
    form[2].1 = "https://shop.example.com/other";
    assert_eq!(
        rp.token(&form).await.body["error"],
        "invalid_grant",
        "another redirect_uri"
    );

    let code =
        query_of(&rp.open(&rp.authorize_url(&[])).await.location.expect("SSO"))["code"].clone();
    let stolen = other.exchange(&code).await;
    assert_eq!(
        stolen.body["error"], "invalid_grant",
        "another client's code"
    );

    let code =
        query_of(&rp.open(&rp.authorize_url(&[])).await.location.expect("SSO"))["code"].clone();
    app.clock.advance(chrono::Duration::seconds(61));
    let late = rp.exchange(&code).await;
    assert_eq!(late.body["error"], "invalid_grant", "{}", late.body);
    assert!(
        late.body["error_description"]
            .as_str()
            .expect("text")
            .contains("expired")
    );

    let mut impostor = app.rp(web_app()).await;
    impostor.client_id = rp.client_id.clone();
    impostor.secret = Some("not-the-secret".to_owned());
    let refused = impostor.exchange(&code).await;
    assert_eq!(
        (refused.status, refused.body["error"].as_str()),
        (401, Some("invalid_client"))
    );
}

#[tokio::test]
async fn a_reused_refresh_token_revokes_its_whole_family() {
    let app = spawn_app().await;
    let mut rp = app.rp(web_app()).await;
    let code = query_of(&rp.log_in("Ming").await)["code"].clone();
    let first = rp.exchange(&code).await.body["refresh_token"]
        .as_str()
        .expect("refresh")
        .to_owned();
    let rotated = rp
        .token(&[("grant_type", "refresh_token"), ("refresh_token", &first)])
        .await;
    let second = rotated.body["refresh_token"]
        .as_str()
        .expect("rotated")
        .to_owned();
    let access = rotated.body["access_token"]
        .as_str()
        .expect("access")
        .to_owned();

    let reuse = rp
        .token(&[("grant_type", "refresh_token"), ("refresh_token", &first)])
        .await;
    assert_eq!(reuse.body["error"], "invalid_grant");
    let successor = rp
        .token(&[("grant_type", "refresh_token"), ("refresh_token", &second)])
        .await;
    assert_eq!(
        successor.body["error"], "invalid_grant",
        "the family is revoked"
    );
    assert_eq!(rp.userinfo(&access).await.status, 401);
}

#[tokio::test]
async fn blocking_the_user_or_retiring_the_key_stops_userinfo_and_refresh_at_once() {
    let app = spawn_app().await;
    let mut rp = app.rp(web_app()).await;
    let code = query_of(&rp.log_in("Ming").await)["code"].clone();
    let tokens = rp.exchange(&code).await;
    let access = tokens.body["access_token"]
        .as_str()
        .expect("access")
        .to_owned();
    let refresh = tokens.body["refresh_token"]
        .as_str()
        .expect("refresh")
        .to_owned();
    let sub = super::claims_of(&access)["sub"]
        .as_str()
        .expect("sub")
        .to_owned();

    let rotated = app
        .services
        .pools()
        .rotate_signing_key(&app.pool.pool.id)
        .await
        .expect("rotated");
    assert_eq!(
        rp.userinfo(&access).await.status,
        200,
        "the previous key still verifies"
    );
    let fresh = rp
        .token(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)])
        .await;
    let fresh_access = fresh.body["access_token"]
        .as_str()
        .expect("access")
        .to_owned();
    let refresh = fresh.body["refresh_token"]
        .as_str()
        .expect("refresh")
        .to_owned();
    let header = jsonwebtoken::decode_header(&fresh_access).expect("header");
    assert_eq!(
        header.kid.as_deref(),
        Some(rotated.kid.as_str()),
        "the new key signs"
    );
    let old_kid = jsonwebtoken::decode_header(&access)
        .expect("header")
        .kid
        .expect("kid");
    app.services
        .pools()
        .retire_signing_key(&app.pool.pool.id, &old_kid)
        .await
        .expect("retired");
    assert_eq!(
        rp.userinfo(&access).await.status,
        401,
        "a retired key verifies nothing"
    );
    assert_eq!(rp.userinfo(&fresh_access).await.status, 200);

    let root = owner(&app).await;
    let blocked = post(
        &app,
        &root,
        &format!("/api/v1/admin/pools/{}/users/{sub}/block", app.pool_id()),
        &json!({}),
    )
    .await;
    assert_eq!(blocked.status, 200, "{}", blocked.body);
    assert_eq!(rp.userinfo(&fresh_access).await.status, 401);
    let refused = rp
        .token(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)])
        .await;
    assert_eq!(refused.body["error"], "invalid_grant");
    let page = rp.open(&rp.authorize_url(&[])).await;
    assert_eq!(
        page.status, 200,
        "a blocked user's session no longer logs in"
    );
}

#[tokio::test]
async fn logout_refuses_forged_hints_and_unregistered_return_addresses() {
    let app = spawn_app().await;
    let mut rp = app.rp(web_app()).await;
    let code = query_of(&rp.log_in("Ming").await)["code"].clone();
    let id_token = rp.exchange(&code).await.body["id_token"]
        .as_str()
        .expect("id")
        .to_owned();
    let mut forged = id_token.clone();
    forged.pop();
    forged.push(if id_token.ends_with('A') { 'B' } else { 'A' });
    let issuer = app.issuer();
    for query in [
        format!("id_token_hint={forged}"),
        format!("id_token_hint={id_token}&post_logout_redirect_uri=javascript%3Aalert(1)"),
        format!(
            "id_token_hint={id_token}&post_logout_redirect_uri=https%3A%2F%2Fevil.example.com%2F"
        ),
        "post_logout_redirect_uri=https%3A%2F%2Fshop.example.com%2Fbye".to_owned(),
    ] {
        let page = rp.open(&format!("{issuer}/logout?{query}")).await;
        assert_eq!(
            (page.status, page.location.as_deref()),
            (400, None),
            "{query}"
        );
    }
    assert!(
        rp.cookies.contains_key("denglu_oidc"),
        "no refused request ended the session"
    );

    app.clock.advance(chrono::Duration::hours(2));
    let expired_but_current = rp
        .open(&format!("{issuer}/logout?id_token_hint={id_token}"))
        .await;
    assert_eq!(
        expired_but_current.status, 200,
        "an expired hint of the current session is accepted"
    );
    let expired_elsewhere = app
        .rp(web_app())
        .await
        .open(&format!("{issuer}/logout?id_token_hint={id_token}"))
        .await;
    assert_eq!(
        expired_elsewhere.status, 400,
        "an expired hint without its session is refused"
    );
}

#[tokio::test]
async fn a_login_page_answers_only_the_browser_it_was_shown_to_and_a_fresh_qr_login() {
    let app = spawn_app().await;
    let mut rp = app.rp(web_app()).await;
    let page = rp.open(&rp.authorize_url(&[])).await;
    let interaction = Rp::interaction_of(&page);

    let mut other_browser = app.rp(web_app()).await;
    other_browser.open(&other_browser.authorize_url(&[])).await;
    let token = app.signed_up_token("bob").await;
    let url = format!("{}/login/qr", app.issuer());
    let request = other_browser
        .http
        .post(&url)
        .json(&json!({"interaction": interaction, "token": token}));
    let refused = other_browser.browse(request).await;
    assert_eq!(
        refused.status, 400,
        "the page was sealed to another browser's CSRF cookie"
    );
    assert!(!other_browser.cookies.contains_key("denglu_oidc"));

    app.clock.advance(chrono::Duration::seconds(121));
    let request = rp
        .http
        .post(&url)
        .json(&json!({"interaction": interaction, "token": token}));
    let stale = rp.browse(request).await;
    assert_eq!(
        stale.status, 400,
        "a token that is not fresh from the QR code opens no session"
    );
    let request = rp
        .http
        .post(&url)
        .json(&json!({"interaction": interaction, "token": "not-a-token"}));
    assert_eq!(rp.browse(request).await.status, 400);
    let request = rp.http.post(&url).body("{not json");
    assert_eq!(rp.browse(request).await.status, 400);
}
