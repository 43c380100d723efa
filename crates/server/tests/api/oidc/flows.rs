//! The flows a relying party runs: login by QR code and code exchange with the ID token checked, userinfo, refresh
//! with rotation, single sign-on for a second application, `prompt`, consent for a third-party application, the
//! password form, logout; the pages in both languages.

use jsonwebtoken::{DecodingKey, Validation, jwk::JwkSet};
use serde_json::{Value, json};

use super::{Rp, claims_of, query_of, web_app};
use crate::helpers::{TestApp, spawn_app};

/// Verifies `id_token` with the issuer's JWKS, as a relying party does; its claims.
async fn verified_id_token(app: &TestApp, rp: &Rp<'_>, id_token: &str) -> Value {
    let jwks: JwkSet = serde_json::from_value(
        app.get(&format!("/oidc/{}/jwks.json", app.pool_id()))
            .await
            .body,
    )
    .expect("a JWKS");
    let header = jsonwebtoken::decode_header(id_token).expect("header");
    assert_eq!(header.typ.as_deref(), Some("JWT"));
    let jwk = jwks
        .find(header.kid.as_deref().expect("kid"))
        .expect("the key is published");
    let mut validation = Validation::new(header.alg);
    validation.set_issuer(&[app.issuer()]);
    validation.set_audience(&[&rp.client_id]);
    jsonwebtoken::decode::<Value>(
        id_token,
        &DecodingKey::from_jwk(jwk).expect("key"),
        &validation,
    )
    .expect("the ID token verifies")
    .claims
}

#[tokio::test]
async fn a_qr_login_gives_the_client_a_code_then_verified_tokens_userinfo_and_rotating_refresh_tokens()
 {
    let app = spawn_app().await;
    let mut rp = app.rp(web_app()).await;

    let page = rp.open(&rp.authorize_url(&[])).await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("Shop") && page.text.contains("Test pool"),
        "{}",
        page.text
    );
    assert!(page.text.contains("请使用微信扫一扫登录"));
    assert!(rp.cookies.contains_key("denglu_oidc_csrf"));
    let csp = page.headers["content-security-policy"]
        .to_str()
        .expect("ascii");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");

    let resume = rp.log_in_by_qr(&page, "Ming").await;
    assert!(
        rp.cookies.contains_key("denglu_oidc"),
        "the IdP session cookie"
    );
    let back = rp.open(&resume).await;
    let location = back.location.expect("redirect");
    assert!(
        location.starts_with("https://shop.example.com/callback?"),
        "{location}"
    );
    let answer = query_of(&location);
    assert_eq!(answer["state"], "st-1");
    assert_eq!(answer["iss"], app.issuer());

    let tokens = rp.exchange(&answer["code"]).await;
    assert_eq!(tokens.status, 200, "{}", tokens.body);
    assert_eq!(tokens.body["token_type"], "Bearer");
    assert_eq!(
        tokens.body["scope"],
        "openid profile phone offline_access wechat"
    );
    let access = tokens.body["access_token"].as_str().expect("access token");
    let id_token = tokens.body["id_token"].as_str().expect("ID token");
    let claims = verified_id_token(&app, &rp, id_token).await;
    assert_eq!(claims["nonce"], "n-1");
    assert_eq!(claims["azp"], rp.client_id.as_str());
    assert_eq!(claims["amr"], json!(["wechat_qr"]));
    assert_eq!(claims["nickname"], "小明");
    assert!(
        claims["sid"].is_string() && claims["auth_time"].is_i64(),
        "{claims}"
    );
    assert_eq!(claims["at_hash"], denglu_tokens::access_token_hash(access));
    let access_claims = claims_of(access);
    assert_eq!(
        jsonwebtoken::decode_header(access)
            .expect("header")
            .typ
            .as_deref(),
        Some("at+jwt")
    );
    assert_eq!(access_claims["client_id"], rp.client_id.as_str());
    assert_eq!(access_claims["aud"], app.issuer());
    assert_eq!(access_claims["sub"], claims["sub"]);

    let info = rp.userinfo(access).await;
    assert_eq!(info.status, 200, "{}", info.body);
    assert_eq!(info.body["sub"], claims["sub"]);
    assert_eq!(info.body["nickname"], "小明");
    assert!(info.body["wechat_openid"].is_string(), "{}", info.body);
    assert!(info.body.get("email").is_none(), "email was not asked for");

    let first_refresh = tokens.body["refresh_token"]
        .as_str()
        .expect("refresh token")
        .to_owned();
    let refreshed = rp
        .token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", &first_refresh),
        ])
        .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.body);
    let second_refresh = refreshed.body["refresh_token"]
        .as_str()
        .expect("rotated")
        .to_owned();
    assert_ne!(second_refresh, first_refresh);
    let again = verified_id_token(
        &app,
        &rp,
        refreshed.body["id_token"].as_str().expect("ID token"),
    )
    .await;
    assert_eq!(
        (again["sub"].clone(), again.get("nonce")),
        (claims["sub"].clone(), None)
    );
    let narrower = rp
        .token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", &second_refresh),
            ("scope", "openid"),
        ])
        .await;
    assert_eq!(narrower.status, 200, "{}", narrower.body);
    assert_eq!(narrower.body["scope"], "openid");
}

#[tokio::test]
async fn a_second_application_of_the_pool_logs_in_without_a_scan_unless_it_asks_for_a_login() {
    let app = spawn_app().await;
    let mut shop = app.rp(web_app()).await;
    let mut blog_app = web_app();
    blog_app["name"] = json!("Blog");
    blog_app["redirectUris"] = json!(["https://blog.example.com/cb"]);
    let mut blog = app.rp(blog_app).await;
    let code = query_of(&shop.log_in("Ming").await)["code"].clone();
    let shop_sid = claims_of(
        shop.exchange(&code).await.body["id_token"]
            .as_str()
            .expect("id"),
    )
    .clone();

    blog.cookies = shop.cookies.clone();
    let sso = blog.open(&blog.authorize_url(&[])).await;
    assert_eq!(sso.status, 303, "no page: {}", sso.text);
    let location = sso.location.expect("redirect");
    assert!(
        location.starts_with("https://blog.example.com/cb?code="),
        "{location}"
    );
    let tokens = blog.exchange(&query_of(&location)["code"]).await;
    let blog_claims = claims_of(tokens.body["id_token"].as_str().expect("id"));
    assert_eq!(
        (blog_claims["sub"].clone(), blog_claims["sid"].clone()),
        (shop_sid["sub"].clone(), shop_sid["sid"].clone())
    );

    app.clock.advance(chrono::Duration::seconds(1));
    let silent = blog
        .open(&blog.authorize_url(&[("prompt", Some("none"))]))
        .await;
    assert!(query_of(&silent.location.expect("redirect")).contains_key("code"));
    let forced = blog
        .open(&blog.authorize_url(&[("prompt", Some("login"))]))
        .await;
    assert_eq!(forced.status, 200, "prompt=login shows the login page");
    app.clock.advance(chrono::Duration::seconds(30));
    let too_old = blog
        .open(&blog.authorize_url(&[("max_age", Some("10"))]))
        .await;
    assert_eq!(too_old.status, 200, "the login is older than max_age");
    let recent = blog
        .open(&blog.authorize_url(&[("max_age", Some("3600"))]))
        .await;
    assert_eq!(recent.status, 303);
    let zero = blog
        .open(&blog.authorize_url(&[("max_age", Some("0"))]))
        .await;
    let resume = blog.log_in_by_qr(&zero, "Ming").await;
    app.clock.advance(chrono::Duration::seconds(5));
    let after_login = blog.open(&resume).await;
    assert_eq!(
        after_login.status, 303,
        "a login after the request satisfies max_age=0"
    );

    let mut stranger = app.rp(web_app()).await;
    let none = stranger
        .open(&stranger.authorize_url(&[("prompt", Some("none"))]))
        .await;
    let refused = query_of(&none.location.expect("redirect"));
    assert_eq!(refused["error"], "login_required");
    assert_eq!(
        (refused["state"].as_str(), refused["iss"].clone()),
        ("st-1", app.issuer())
    );
}

#[tokio::test]
async fn a_third_party_application_asks_for_consent_once_per_scope_set() {
    let app = spawn_app().await;
    let mut body = web_app();
    body["firstParty"] = json!(false);
    let mut rp = app.rp(body).await;
    let scopes = ("scope", Some("openid profile"));

    let page = rp.open(&rp.authorize_url(&[scopes])).await;
    let resume = rp.log_in_by_qr(&page, "Ming").await;
    let consent = rp.open(&resume).await;
    assert_eq!(consent.status, 200, "{}", consent.text);
    assert!(
        consent.text.contains("读取你的昵称和头像"),
        "{}",
        consent.text
    );
    let interaction = field(&consent.text, "interaction");
    let consent_url = format!("{}/consent", app.issuer());

    let denied = rp
        .submit(
            &consent_url,
            &[("interaction", &interaction), ("decision", "deny")],
        )
        .await;
    assert_eq!(
        query_of(&denied.location.expect("redirect"))["error"],
        "access_denied"
    );
    let allowed = rp
        .submit(
            &consent_url,
            &[("interaction", &interaction), ("decision", "allow")],
        )
        .await;
    assert!(query_of(&allowed.location.expect("redirect")).contains_key("code"));

    let remembered = rp.open(&rp.authorize_url(&[scopes])).await;
    assert_eq!(
        remembered.status, 303,
        "the same scopes need no new consent"
    );
    let again = rp
        .open(&rp.authorize_url(&[("scope", Some("openid")), ("prompt", Some("consent"))]))
        .await;
    let interaction = field(&again.text, "interaction");
    rp.submit(
        &consent_url,
        &[("interaction", &interaction), ("decision", "allow")],
    )
    .await;
    let still = rp.open(&rp.authorize_url(&[scopes])).await;
    assert_eq!(
        still.status, 303,
        "a narrower consent adds to what was given"
    );
    let more = rp
        .open(&rp.authorize_url(&[("scope", Some("openid profile phone"))]))
        .await;
    assert_eq!(more.status, 200, "a new scope asks again");
    let offline = rp
        .open(&rp.authorize_url(&[("scope", Some("openid offline_access"))]))
        .await;
    let code = query_of(&offline.location.expect("remembered scopes: no page"))["code"].clone();
    let tokens = rp.exchange(&code).await;
    assert_eq!(
        tokens.body["scope"], "openid",
        "offline_access needs prompt=consent for a third party"
    );
    assert!(tokens.body.get("refresh_token").is_none());
}

#[tokio::test]
async fn the_password_form_logs_a_password_user_in_and_says_why_it_did_not() {
    let app = spawn_app().await;
    let mut rp = app.rp(web_app()).await;
    let empty = rp.open(&rp.authorize_url(&[])).await;
    assert!(
        !empty.text.contains("login/password"),
        "no password accounts, no form"
    );
    app.register("alice", "correct horse battery").await;

    let page = rp
        .open(&rp.authorize_url(&[("login_hint", Some("alice"))]))
        .await;
    assert!(
        page.text.contains("login/password") && page.text.contains("value=\"alice\""),
        "{}",
        page.text
    );
    let interaction = Rp::interaction_of(&page);
    let url = format!("{}/login/password", app.issuer());
    let wrong = rp
        .submit(
            &url,
            &[
                ("interaction", &interaction),
                ("account", "alice"),
                ("password", "wrong password!"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.text.contains("class=\"error\""), "{}", wrong.text);
    let right = rp
        .submit(
            &url,
            &[
                ("interaction", &interaction),
                ("account", "alice"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(right.status, 303, "{}", right.text);
    let back = rp.open(&right.location.expect("resume")).await;
    let tokens = rp
        .exchange(&query_of(&back.location.expect("redirect"))["code"])
        .await;
    assert_eq!(
        claims_of(tokens.body["id_token"].as_str().expect("id"))["amr"],
        json!(["pwd"])
    );
}

#[tokio::test]
async fn logout_ends_the_session_and_its_tokens_and_asks_first_without_a_hint() {
    let app = spawn_app().await;
    let mut rp = app.rp(web_app()).await;
    let code = query_of(&rp.log_in("Ming").await)["code"].clone();
    let tokens = rp.exchange(&code).await;
    let id_token = tokens.body["id_token"].as_str().expect("id").to_owned();
    let refresh = tokens.body["refresh_token"]
        .as_str()
        .expect("refresh")
        .to_owned();

    let ask = rp.open(&format!("{}/logout", app.issuer())).await;
    assert_eq!(ask.status, 200, "without a hint the user confirms");
    assert!(rp.cookies.contains_key("denglu_oidc"), "nothing ended yet");

    let logout = format!(
        "{}/logout?id_token_hint={id_token}&post_logout_redirect_uri=https%3A%2F%2Fshop.example.com%2Fbye&state=s2",
        app.issuer()
    );
    let done = rp.open(&logout).await;
    assert_eq!(
        done.location.as_deref(),
        Some("https://shop.example.com/bye?state=s2")
    );
    assert!(
        !rp.cookies.contains_key("denglu_oidc"),
        "the cookie is cleared"
    );
    let dead = rp
        .token(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)])
        .await;
    assert_eq!(
        (dead.status, dead.body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let access = tokens.body["access_token"].as_str().expect("access");
    assert_eq!(
        rp.userinfo(access).await.status,
        401,
        "the session's tokens are revoked"
    );
    let again = rp.open(&rp.authorize_url(&[])).await;
    assert_eq!(again.status, 200, "a new login is needed");

    let code = query_of(&rp.log_in("Ming").await)["code"].clone();
    rp.exchange(&code).await;
    let ask = rp.open(&format!("{}/logout", app.issuer())).await;
    let csrf = field(&ask.text, "csrf");
    let confirmed = rp
        .submit(
            &format!("{}/logout", app.issuer()),
            &[("confirm", "yes"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(confirmed.status, 200);
    assert!(confirmed.text.contains("已退出登录"), "{}", confirmed.text);
    assert!(!rp.cookies.contains_key("denglu_oidc"));
}

#[tokio::test]
async fn the_pages_speak_english_when_asked_and_a_phone_is_told_to_use_a_computer() {
    let app = spawn_app().await;
    let mut rp = app.rp(web_app()).await;
    let english = rp
        .open(&rp.authorize_url(&[("ui_locales", Some("en-US"))]))
        .await;
    assert!(
        english.text.contains("Scan the code with WeChat"),
        "{}",
        english.text
    );
    assert!(english.text.contains("lang=\"en\""));
    let switch = english
        .text
        .split("id=\"switch-locale\"")
        .nth(1)
        .expect("a language switch");
    assert!(switch.contains("ui_locales=zh-CN"));

    let request = rp.http.get(rp.authorize_url(&[])).header(
        "user-agent",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148",
    );
    let phone = rp.browse(request).await;
    assert!(
        phone.text.contains("手机无法扫描自己屏幕上的二维码"),
        "{}",
        phone.text
    );
    assert!(!phone.text.contains("login-data"), "no QR on a phone");
}

/// The value of the hidden field `name` of a page's form.
fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("the field") + marker.len();
    let end = start + html[start..].find('"').expect("closed");
    html[start..end].replace("&amp;", "&")
}

#[tokio::test]
async fn a_native_app_logs_in_on_any_loopback_port_without_a_secret() {
    let app = spawn_app().await;
    let mut body = web_app();
    body["kind"] = json!("public");
    body["grantTypes"] = json!(["authorization_code", "refresh_token"]);
    body["redirectUris"] = json!(["http://127.0.0.1/callback"]);
    let mut rp = app.rp(body).await;
    assert!(rp.secret.is_none());
    rp.redirect_uri = "http://127.0.0.1:53123/callback".to_owned();
    let location = rp.log_in("Ming").await;
    assert!(
        location.starts_with("http://127.0.0.1:53123/callback?code="),
        "{location}"
    );
    let tokens = rp
        .token(&[
            ("grant_type", "authorization_code"),
            ("code", &query_of(&location)["code"]),
            ("redirect_uri", "http://127.0.0.1:53123/callback"),
            ("code_verifier", super::VERIFIER),
            ("client_id", &rp.client_id),
        ])
        .await;
    assert_eq!(tokens.status, 200, "{}", tokens.body);
    let other_path = rp
        .open(&rp.authorize_url(&[("redirect_uri", Some("http://127.0.0.1:53123/other"))]))
        .await;
    assert_eq!((other_path.status, other_path.location), (400, None));
    let other_host = rp
        .open(&rp.authorize_url(&[("redirect_uri", Some("http://localhost:53123/callback"))]))
        .await;
    assert_eq!(other_host.status, 400);
}
