//! `POST /wxa/business/getuserphonenumber` and the getPhoneNumber detail.

use std::time::Duration;

use denglu_wechat_crypto::{WatermarkCheck, decrypt_phone};
use denglu_wechat_sim::{NewUser, PhoneSpec, SimError};
use serde_json::{Value, json};

use crate::common::{
    APP, BOUND, BOUND_SECRET, Harness, SECRET, SIBLING, SIBLING_SECRET, assert_error, errcode,
};

async fn redeem(h: &Harness, token: &str, body: &Value) -> Value {
    h.post_json(
        &format!("/wxa/business/getuserphonenumber?access_token={token}"),
        body,
    )
    .await
    .json()
}

#[tokio::test]
async fn redeems_a_phone_code_once() {
    let h = Harness::default().await;
    let user = h.user("ada");
    h.sim.login(APP, user).expect("login");
    let detail = h.sim.phone_number(APP, user).expect("phone");
    assert_eq!(detail.err_msg, "getPhoneNumber:ok");
    assert_eq!(detail.code.len(), 64);
    assert!(
        detail
            .code
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    let token = h.token_for(APP, SECRET).await;

    let reply = redeem(&h, &token, &json!({ "code": detail.code })).await;
    assert_eq!(reply.get("errcode"), Some(&json!(0)));
    assert_eq!(reply.get("errmsg"), Some(&json!("ok")));
    let info = reply.get("phone_info").expect("phone_info");
    assert_eq!(info.get("phoneNumber"), Some(&json!("13580006666")));
    assert_eq!(info.get("purePhoneNumber"), Some(&json!("13580006666")));
    assert_eq!(
        info.get("countryCode"),
        Some(&json!("86")),
        "countryCode is a string"
    );
    let watermark = info.get("watermark").expect("watermark");
    assert_eq!(watermark.get("appid"), Some(&json!(APP)));
    let stamp = watermark
        .get("timestamp")
        .and_then(Value::as_i64)
        .expect("timestamp");
    assert!((stamp - h.sim.now_unix()).abs() <= 2);

    assert_error(
        &redeem(&h, &token, &json!({ "code": detail.code })).await,
        40029,
    );
}

#[tokio::test]
async fn international_numbers_carry_the_prefix() {
    let h = Harness::default().await;
    let user = h
        .sim
        .create_user(NewUser {
            nickname: "hk".to_owned(),
            avatar_url: String::new(),
            phone: Some(PhoneSpec {
                number: "61234567".to_owned(),
                country_code: "852".to_owned(),
            }),
        })
        .expect("user");
    h.sim.login(APP, user).expect("login");
    let detail = h.sim.phone_number(APP, user).expect("phone");
    let token = h.token_for(APP, SECRET).await;
    let reply = redeem(&h, &token, &json!({ "code": detail.code })).await;
    let info = reply.get("phone_info").expect("phone_info");
    assert_eq!(info.get("phoneNumber"), Some(&json!("+85261234567")));
    assert_eq!(info.get("purePhoneNumber"), Some(&json!("61234567")));
    assert_eq!(info.get("countryCode"), Some(&json!("852")));
}

#[tokio::test]
async fn legacy_payload_decrypts_with_the_session_key() {
    let h = Harness::default().await;
    let user = h.user("ada");
    h.sim.login(APP, user).expect("login");
    let detail = h.sim.phone_number(APP, user).expect("phone");
    let key = h.sim.session_key(APP, user).expect("key");
    let info = decrypt_phone(
        &key,
        &detail.iv,
        &detail.encrypted_data,
        &WatermarkCheck::appid(APP),
    )
    .expect("decrypts");
    assert_eq!(info.pure_phone_number, "13580006666");
    assert_eq!(info.country_code, "86");
    assert!(
        decrypt_phone(
            &key,
            &detail.iv,
            &detail.encrypted_data,
            &WatermarkCheck::appid(BOUND)
        )
        .is_err()
    );
}

#[tokio::test]
async fn phone_codes_expire() {
    let h = Harness::default().await;
    let user = h.user("ada");
    h.sim.login(APP, user).expect("login");
    let detail = h.sim.phone_number(APP, user).expect("phone");
    h.sim.advance(Duration::from_secs(301));
    let token = h.token_for(APP, SECRET).await;
    assert_error(
        &redeem(&h, &token, &json!({ "code": detail.code })).await,
        40029,
    );
}

#[tokio::test]
async fn codes_are_tied_to_their_app() {
    let h = Harness::default().await;
    let user = h.user("ada");
    h.sim.login(APP, user).expect("login");
    h.sim.login(BOUND, user).expect("login");
    let plain = h.sim.phone_number(APP, user).expect("phone");
    let bound = h.sim.phone_number(BOUND, user).expect("phone");
    let bound_token = h.token_for(BOUND, BOUND_SECRET).await;
    let sibling_token = h.token_for(SIBLING, SIBLING_SECRET).await;
    assert_error(
        &redeem(&h, &bound_token, &json!({ "code": plain.code })).await,
        40029,
    );
    assert_error(
        &redeem(&h, &sibling_token, &json!({ "code": bound.code })).await,
        40013,
    );
    let ok = redeem(&h, &bound_token, &json!({ "code": bound.code })).await;
    assert_eq!(
        errcode(&ok),
        0,
        "failed attempts did not burn the code: {ok}"
    );
}

#[tokio::test]
async fn openid_must_match_when_given() {
    let h = Harness::default().await;
    let ada = h.user("ada");
    let bob = h.user("bob");
    h.sim.login(APP, ada).expect("login");
    let detail = h.sim.phone_number(APP, ada).expect("phone");
    let token = h.token_for(APP, SECRET).await;
    let bob_openid = h.sim.openid(APP, bob).expect("openid");
    let ada_openid = h.sim.openid(APP, ada).expect("openid");
    assert_error(
        &redeem(
            &h,
            &token,
            &json!({ "code": detail.code, "openid": bob_openid }),
        )
        .await,
        40029,
    );
    let ok = redeem(
        &h,
        &token,
        &json!({ "code": detail.code, "openid": ada_openid }),
    )
    .await;
    assert_eq!(errcode(&ok), 0, "{ok}");
}

#[tokio::test]
async fn a_login_code_is_not_a_phone_code() {
    let h = Harness::default().await;
    let user = h.user("ada");
    let login_code = h.sim.login(APP, user).expect("login");
    let token = h.token_for(APP, SECRET).await;
    let reply = redeem(&h, &token, &json!({ "code": login_code })).await;
    assert_error(&reply, 40029);
}

#[tokio::test]
async fn body_and_token_errors() {
    let h = Harness::default().await;
    let token = h.token_for(APP, SECRET).await;
    let path = format!("/wxa/business/getuserphonenumber?access_token={token}");
    let form = h
        .post_raw(
            &path,
            "application/x-www-form-urlencoded",
            b"code=abc".to_vec(),
        )
        .await;
    assert_eq!(form.content_type, "application/json; encoding=utf-8");
    assert_error(&form.json(), 47001);
    assert_error(
        &h.post_raw(&path, "application/json", Vec::new())
            .await
            .json(),
        47001,
    );
    assert_error(&redeem(&h, &token, &json!({ "code": 42 })).await, 47001);
    assert_error(&redeem(&h, &token, &json!({})).await, 40029);
    let missing = h
        .post_json("/wxa/business/getuserphonenumber", &json!({ "code": "x" }))
        .await;
    assert_error(&missing.json(), 41001);
    assert_error(&redeem(&h, "1_nope", &json!({ "code": "x" })).await, 40001);
    h.sim.advance(Duration::from_secs(7200));
    assert_error(&redeem(&h, &token, &json!({ "code": "x" })).await, 42001);
    assert_error(&h.get(&path).await.json(), 43002);
}

#[tokio::test]
async fn phone_detail_needs_a_phone_and_a_login() {
    let h = Harness::default().await;
    let user = h.user("ada");
    assert!(matches!(
        h.sim.phone_number(APP, user),
        Err(SimError::NotLoggedIn { .. })
    ));
    let phoneless = h.user_without_phone("bob");
    h.sim.login(APP, phoneless).expect("login");
    assert_eq!(
        h.sim.phone_number(APP, phoneless),
        Err(SimError::NoPhone(phoneless.0))
    );
}
