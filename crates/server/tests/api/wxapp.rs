//! The mini program SDK's endpoints over HTTP (`/oauth/wechatapp/...`), played by the WeChat simulator.

use denglu_wechat_sim::{NewUser, PhoneSpec, UserId as WechatUser};
use serde_json::{Value, json};

use crate::helpers::{MINI_PROGRAM, TestApp, spawn_app};

const APPID: &str = MINI_PROGRAM.0;

impl TestApp {
    fn phone_user(&self, nickname: &str, phone: &str) -> WechatUser {
        self.wechat
            .create_user(NewUser {
                nickname: nickname.to_owned(),
                avatar_url: format!("https://example.com/{nickname}.png"),
                phone: Some(PhoneSpec {
                    number: phone.to_owned(),
                    country_code: "86".to_owned(),
                }),
            })
            .expect("user")
    }

    fn code(&self, user: WechatUser) -> String {
        self.wechat.login(APPID, user).expect("wx.login")
    }

    async fn wxapp(&self, endpoint: &str, body: &Value, token: Option<&str>) -> Value {
        let mut request = self
            .client
            .post(format!(
                "{}/oauth/wechatapp/{endpoint}/{}",
                self.base,
                self.pool_id()
            ))
            .json(body);
        if let Some(token) = token {
            request = request.header("authorization", token);
        }
        let reply = self.send(request).await;
        assert_eq!(reply.status, 200, "always HTTP 200: {}", reply.body);
        reply.body
    }

    /// loginWithWxapp with the profile; returns the reply's data (the user with a token).
    pub(crate) async fn login_wxapp(&self, user: WechatUser, extra: Value) -> Value {
        let code = self.code(user);
        let detail = self.wechat.user_info(APPID, user).expect("getUserInfo");
        let mut body =
            json!({"code": code, "iv": detail.iv, "encryptedData": detail.encrypted_data});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let reply = self.wxapp("auth", &body, None).await;
        assert_eq!(reply["code"], 200, "{reply}");
        reply["data"].clone()
    }
}

#[tokio::test]
async fn login_with_wxapp_creates_the_user_once_with_the_wechat_profile() {
    let app = spawn_app().await;
    let user = app.phone_user("Mei", "13900000001");

    let first = app.login_wxapp(user, json!({})).await;
    let second = app.login_wxapp(user, json!({})).await;

    assert!(first.is_object(), "data is an object here");
    assert_eq!(first["registerMethod"], "oauth:wxapp");
    assert_eq!(first["nickname"], "Mei");
    assert_eq!(first["photo"], "https://example.com/Mei.png");
    assert_eq!(
        first["openid"],
        app.wechat.openid(APPID, user).expect("openid")
    );
    assert_eq!(first["_id"], second["_id"], "the same user");
    assert_eq!(second["loginsCount"], 2);
    let token = second["token"].as_str().expect("token");
    assert_eq!(
        app.get(&format!("/authing/token?access_token={token}"))
            .await
            .body["status"],
        true
    );

    let bare = app
        .wxapp("auth", &json!({"code": app.code(user)}), None)
        .await;
    assert_eq!(bare["data"]["_id"], first["_id"], "the profile is optional");
}

#[tokio::test]
async fn get_phone_answers_the_number_by_phone_code_or_encrypted_data() {
    let app = spawn_app().await;
    let user = app.phone_user("Phone", "13900000002");
    app.code(user);

    let by_code = app
        .wxapp(
            "getphone",
            &json!({"code": app.code(user), "phoneCode": app.wechat.phone_number(APPID, user).expect("detail").code}),
            None,
        )
        .await;
    assert_eq!(
        by_code["data"],
        json!({"phoneNumber": "13900000002", "purePhoneNumber": "13900000002", "countryCode": "86"})
    );
    let code = app.code(user);
    let detail = app.wechat.phone_number(APPID, user).expect("detail");
    let by_data = app
        .wxapp(
            "getphone",
            &json!({"code": code, "encryptedData": detail.encrypted_data, "iv": detail.iv}),
            None,
        )
        .await;
    assert_eq!(
        by_data["data"]["purePhoneNumber"], "13900000002",
        "{by_data}"
    );

    let nothing = app
        .wxapp("getphone", &json!({"code": app.code(user)}), None)
        .await;
    assert_eq!(nothing["code"], 1002);
}

#[tokio::test]
async fn a_phone_links_to_its_owner_only_when_wechat_verified_it_for_this_user() {
    let app = spawn_app().await;
    // The owner: logs in, then binds their phone.
    let owner = app.phone_user("Owner", "13900000003");
    let owner_login = app.login_wxapp(owner, json!({})).await;
    let token = owner_login["token"].as_str().expect("token").to_owned();
    let bound = app
        .wxapp(
            "phone",
            &json!({"code": app.code(owner), "phoneCode": app.wechat.phone_number(APPID, owner).expect("d").code}),
            Some(&token),
        )
        .await;
    assert_eq!(bound["data"]["phone"], "13900000003", "{bound}");

    // Someone who merely claims the phone gets their own account.
    let claimer = app.phone_user("Claimer", "13900000099");
    let claimed = app
        .login_wxapp(claimer, json!({"phone": "13900000003"}))
        .await;
    assert_ne!(claimed["_id"], owner_login["_id"]);

    // The same person on a second WeChat account, whose phone WeChat verifies, reaches the owner's account.
    let second = app.phone_user("Second", "13900000003");
    let verified = app
        .wxapp(
            "getphone",
            &json!({"code": app.code(second), "phoneCode": app.wechat.phone_number(APPID, second).expect("d").code}),
            None,
        )
        .await;
    assert_eq!(verified["code"], 200, "{verified}");
    let linked = app
        .login_wxapp(
            second,
            json!({"phone": "13900000003", "overideProfile": true}),
        )
        .await;
    assert_eq!(linked["_id"], owner_login["_id"]);
    assert_eq!(
        linked["nickname"], "Second",
        "overideProfile replaced the nickname"
    );

    // A third WeChat account of that person, without an avatar: the nickname changes, the avatar stays.
    let third = app
        .wechat
        .create_user(NewUser {
            nickname: "Third".to_owned(),
            avatar_url: String::new(),
            phone: Some(PhoneSpec {
                number: "13900000003".to_owned(),
                country_code: "86".to_owned(),
            }),
        })
        .expect("user");
    let verified = app
        .wxapp(
            "getphone",
            &json!({"code": app.code(third), "phoneCode": app.wechat.phone_number(APPID, third).expect("d").code}),
            None,
        )
        .await;
    assert_eq!(verified["code"], 200, "{verified}");
    let kept = app
        .login_wxapp(
            third,
            json!({"phone": "13900000003", "overideProfile": true}),
        )
        .await;
    assert_eq!(kept["_id"], owner_login["_id"]);
    assert_eq!(
        (&kept["nickname"], &kept["photo"]),
        (&json!("Third"), &json!("https://example.com/Second.png")),
        "an empty avatar clears nothing: {kept}"
    );
}

#[tokio::test]
async fn bind_phone_needs_a_token_and_a_free_number() {
    let app = spawn_app().await;
    let user = app.phone_user("Binder", "13900000004");
    let login = app.login_wxapp(user, json!({})).await;
    let body = || json!({"code": app.code(user), "phoneCode": app.wechat.phone_number(APPID, user).expect("d").code});

    for token in [None, Some(""), Some("undefined")] {
        let refused = app.wxapp("phone", &body(), token).await;
        assert_eq!(refused["code"], 2020, "{token:?}: {refused}");
    }
    let token = login["token"].as_str().expect("token");
    let bearer = app
        .wxapp("phone", &body(), Some(&format!("Bearer {token}")))
        .await;
    assert_eq!(bearer["data"]["phoneVerified"], true, "{bearer}");

    let other = app.phone_user("Other", "13900000004");
    let other_login = app.login_wxapp(other, json!({})).await;
    let taken = app
        .wxapp(
            "phone",
            &json!({"code": app.code(other), "phoneCode": app.wechat.phone_number(APPID, other).expect("d").code}),
            Some(other_login["token"].as_str().expect("token")),
        )
        .await;
    assert_eq!(taken["code"], 2026, "{taken}");
}

#[tokio::test]
async fn decrypt_returns_the_open_data_but_never_the_session_key() {
    let app = spawn_app().await;
    let user = app.phone_user("Dec", "13900000005");
    let code = app.code(user);
    let detail = app.wechat.user_info(APPID, user).expect("getUserInfo");

    let reply = app
        .wxapp(
            "decrypt",
            &json!({"code": code, "encryptedData": detail.encrypted_data, "iv": detail.iv}),
            None,
        )
        .await;

    assert_eq!(
        reply["data"]["openId"],
        app.wechat.openid(APPID, user).expect("openid")
    );
    assert_eq!(reply["data"]["watermark"]["appid"], APPID);
    let session_key = app.wechat.session_key(APPID, user).expect("key");
    assert!(!reply.to_string().contains(&session_key));
    let garbage = app
        .wxapp(
            "decrypt",
            &json!({"code": app.code(user), "encryptedData": "AAAA", "iv": detail.iv}),
            None,
        )
        .await;
    assert_eq!(garbage["code"], 4305);
    let used_code = app
        .wxapp(
            "decrypt",
            &json!({"code": code, "encryptedData": "x", "iv": "y"}),
            None,
        )
        .await;
    assert_eq!(used_code["code"], 4301, "a used wx.login code: {used_code}");
}

#[tokio::test]
async fn phone_lookups_are_limited_per_wechat_user() {
    let app = spawn_app().await;
    let user = app.phone_user("Busy", "13900000006");
    app.code(user);
    let mut codes = Vec::new();
    for _ in 0..11 {
        let reply = app
            .wxapp(
                "getphone",
                &json!({"code": app.code(user), "phoneCode": app.wechat.phone_number(APPID, user).expect("d").code}),
                None,
            )
            .await;
        codes.push(reply["code"].clone());
    }
    assert!(codes[..10].iter().all(|c| c == 200), "{codes:?}");
    assert_eq!(codes[10], 4290);
}

#[tokio::test]
async fn bad_bodies_and_pools_get_clear_codes() {
    let app = spawn_app().await;
    let garbage = app
        .send(
            app.client
                .post(format!(
                    "{}/oauth/wechatapp/auth/{}",
                    app.base,
                    app.pool_id()
                ))
                .body("{nope"),
        )
        .await;
    assert_eq!(garbage.body["code"], 1002);
    assert_eq!(app.wxapp("auth", &json!({}), None).await["code"], 1002);
    let unknown = app
        .post_json(
            &format!("/oauth/wechatapp/auth/{}", "0".repeat(24)),
            &json!({"code": "x"}),
        )
        .await;
    assert_eq!(unknown.body["code"], 2224);
}
