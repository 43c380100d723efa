//! `GET /wxa/checksession` and `GET /wxa/resetusersessionkey` with real HMAC signatures.

use denglu_wechat_crypto::login_state_signature;
use serde_json::{Value, json};

use crate::common::{APP, BOUND, BOUND_SECRET, Harness, SECRET, assert_error, errcode, text};

fn query(token: &str, openid: &str, signature: &str, method: &str) -> String {
    format!("access_token={token}&openid={openid}&signature={signature}&sig_method={method}")
}

#[tokio::test]
async fn checksession_verifies_the_hmac_over_an_empty_body() {
    let h = Harness::default().await;
    let user = h.user("ada");
    h.sim.login(APP, user).expect("login");
    let key = h.sim.session_key(APP, user).expect("key");
    let openid = h.sim.openid(APP, user).expect("openid");
    let token = h.token_for(APP, SECRET).await;
    let good = login_state_signature(&key, b"");

    let ok = h
        .get(&format!(
            "/wxa/checksession?{}",
            query(&token, &openid, &good, "hmac_sha256")
        ))
        .await;
    assert_eq!(ok.content_type, "application/json; encoding=utf-8");
    assert_eq!(ok.json(), json!({ "errcode": 0, "errmsg": "ok" }));

    let over_openid = login_state_signature(&key, openid.as_bytes());
    let bad = h
        .get(&format!(
            "/wxa/checksession?{}",
            query(&token, &openid, &over_openid, "hmac_sha256")
        ))
        .await;
    assert_error(&bad.json(), 87009);
    let method = h
        .get(&format!(
            "/wxa/checksession?{}",
            query(&token, &openid, &good, "md5")
        ))
        .await;
    assert_error(&method.json(), 87008);
    let stranger = h
        .get(&format!(
            "/wxa/checksession?{}",
            query(&token, "oNobody", &good, "hmac_sha256")
        ))
        .await;
    assert_error(&stranger.json(), 40003);
}

#[tokio::test]
async fn openids_are_per_app() {
    let h = Harness::default().await;
    let user = h.user("ada");
    h.sim.login(APP, user).expect("login");
    let key = h.sim.session_key(APP, user).expect("key");
    let openid = h.sim.openid(APP, user).expect("openid");
    let other_token = h.token_for(BOUND, BOUND_SECRET).await;
    let sig = login_state_signature(&key, b"");
    let reply = h
        .get(&format!(
            "/wxa/checksession?{}",
            query(&other_token, &openid, &sig, "hmac_sha256")
        ))
        .await;
    assert_error(&reply.json(), 40003);
}

#[tokio::test]
async fn reset_issues_a_new_key_and_kills_the_old() {
    let h = Harness::default().await;
    let user = h.user("ada");
    h.sim.login(APP, user).expect("login");
    let old = h.sim.session_key(APP, user).expect("key");
    let openid = h.sim.openid(APP, user).expect("openid");
    let token = h.token_for(APP, SECRET).await;
    let old_sig = login_state_signature(&old, b"");

    let reset = h
        .get(&format!(
            "/wxa/resetusersessionkey?{}",
            query(&token, &openid, &old_sig, "hmac_sha256")
        ))
        .await
        .json();
    assert_eq!(errcode(&reset), 0);
    assert_eq!(reset.get("errmsg"), Some(&json!("ok")));
    assert_eq!(text(&reset, "openid"), openid);
    let new = text(&reset, "session_key");
    assert_ne!(new, old);
    assert_eq!(new.len(), 24);
    assert_eq!(h.sim.session_key(APP, user).expect("key"), new);

    let stale = h
        .get(&format!(
            "/wxa/checksession?{}",
            query(&token, &openid, &old_sig, "hmac_sha256")
        ))
        .await;
    assert_error(&stale.json(), 87009);
    let new_sig = login_state_signature(&new, b"");
    let fresh = h
        .get(&format!(
            "/wxa/checksession?{}",
            query(&token, &openid, &new_sig, "hmac_sha256")
        ))
        .await;
    assert_eq!(errcode(&fresh.json()), 0);
    let again = h
        .get(&format!(
            "/wxa/resetusersessionkey?{}",
            query(&token, &openid, &old_sig, "hmac_sha256")
        ))
        .await;
    assert_error(&again.json(), 87009);

    let code = h.sim.login(APP, user).expect("login");
    let session: Value = h.code2session(APP, SECRET, &code).await;
    assert_eq!(
        text(&session, "session_key"),
        new,
        "code2Session returns the current key"
    );
}
