//! QR login end to end over HTTP: the browser's compatible calls, the scanner API played by the WeChat simulator,
//! the image, the push channel, and the rules (one collection, only the scanner confirms, expiry, cancel).

use std::time::Duration;

use chrono::Duration as TimeDelta;
use denglu_crypto::hash_secret;
use denglu_domain::{QrState, UserId};
use denglu_store::LoginRecord;
use denglu_wechat_sim::{NewUser, PhoneSpec, UserId as WechatUser};
use serde_json::{Value, json};

use crate::helpers::{MINI_PROGRAM, Reply, TestApp, spawn_app, spawn_app_with};

mod events;

const RANDOM: &str = "browserRandom0123456789";

impl TestApp {
    /// The browser asks for a QR code.
    pub(crate) async fn start_qr(&self, random: &str) -> Reply {
        self.get(&format!(
            "/oauth/wxapp/qrcode/{}?random={random}&useSelfWxapp=false&enableFetchPhone=false",
            self.pool_id()
        ))
        .await
    }

    /// The browser polls.
    pub(crate) async fn poll(&self, random: &str) -> Value {
        let reply = self
            .send(self.client.post(format!(
                "{}/oauth/wxapp/confirm/qr?random={random}&useSelfWxapp=false",
                self.base
            )))
            .await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body["code"], 200, "{}", reply.body);
        reply.body["data"].clone()
    }

    /// A WeChat user with a phone number.
    pub(crate) fn wechat_user(&self, nickname: &str) -> WechatUser {
        self.wechat
            .create_user(NewUser {
                nickname: nickname.to_owned(),
                avatar_url: String::new(),
                phone: Some(PhoneSpec {
                    number: "13580006666".to_owned(),
                    country_code: "86".to_owned(),
                }),
            })
            .expect("WeChat user")
    }

    /// The scanner mini program: wx.login then scan; returns the scan token.
    pub(crate) async fn scan(&self, scene: &str, user: WechatUser) -> String {
        let code = self.wechat.login(MINI_PROGRAM.0, user).expect("wx.login");
        let reply = self
            .post_json(
                &format!("/api/v1/scanner/sessions/{scene}/scan"),
                &json!({"code": code, "nickname": "小明"}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.body["scanToken"]
            .as_str()
            .expect("scan token")
            .to_owned()
    }

    pub(crate) async fn confirm(&self, scene: &str, body: &Value) -> Reply {
        self.post_json(&format!("/api/v1/scanner/sessions/{scene}/confirm"), body)
            .await
    }
}

pub(crate) fn scene_of(started: &Reply) -> String {
    started.body["data"]["scene"]
        .as_str()
        .expect("scene")
        .to_owned()
}

#[tokio::test]
async fn a_scanned_and_confirmed_code_logs_the_browser_in_exactly_once() {
    let app = spawn_app().await;
    let started = app.start_qr(RANDOM).await;
    assert_eq!(started.body["code"], 200, "{}", started.body);
    let data = &started.body["data"];
    assert_eq!(data["client"], app.pool_id());
    assert_eq!(data["success"], false);
    assert!(
        !data.to_string().contains(RANDOM)
            || data["events"].as_str().is_some_and(|e| e.contains(RANDOM)),
        "the poll secret appears only in the browser's own events URL"
    );
    let scene = scene_of(&started);
    assert_eq!(app.poll(RANDOM).await["code"], 500);
    assert_eq!(app.poll(RANDOM).await["message"], "have not been authed");

    let user = app.wechat_user("Ming");
    let token = app.scan(&scene, user).await;
    let waiting = app.poll(RANDOM).await;
    assert_eq!(
        (waiting["code"].clone(), waiting["state"].clone()),
        (json!(500), json!("scanned"))
    );
    assert_eq!(waiting["nickname"], "小明");

    let confirmed = app.confirm(&scene, &json!({"scanToken": token})).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);

    let success = app.poll(RANDOM).await;
    assert_eq!(success["code"], 200, "{success}");
    assert_eq!(success["message"], "扫码登录成功");
    let user_json = &success["data"];
    assert_eq!(user_json["registerMethod"], "oauth:wxapp");
    assert_eq!(
        user_json["openid"],
        app.wechat.openid(MINI_PROGRAM.0, user).expect("openid")
    );
    let jwt = user_json["token"].as_str().expect("token");
    let check = app.get(&format!("/authing/token?access_token={jwt}")).await;
    assert_eq!(check.body["status"], true, "{}", check.body);

    let again = app.poll(RANDOM).await;
    assert_eq!(
        (again["code"].clone(), again["state"].clone()),
        (json!(4204), json!("used"))
    );
}

#[tokio::test]
async fn the_qr_image_is_a_scannable_link_to_the_scene() {
    let app = spawn_app().await;
    let scene = scene_of(&app.start_qr(RANDOM).await);

    let response = app
        .client
        .get(format!("{}/qrcode/{scene}.png", app.base))
        .send()
        .await
        .expect("image");
    assert_eq!(response.headers()["content-type"], "image/png");
    let bytes = response.bytes().await.expect("bytes");
    let picture = image::load_from_memory(&bytes)
        .expect("a real image")
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(picture);
    let grids = prepared.detect_grids();
    let (_, content) = grids
        .first()
        .expect("one QR code")
        .decode()
        .expect("decodes");

    assert_eq!(content, format!("{}/s/{scene}", app.base));
    let page = app.client.get(&content).send().await.expect("page");
    assert!(page.text().await.expect("html").contains("微信"));
}

#[tokio::test]
async fn two_overlapping_polls_never_both_collect_the_login() {
    let app = spawn_app().await;
    let scene = scene_of(&app.start_qr(RANDOM).await);
    let token = app.scan(&scene, app.wechat_user("Ann")).await;
    app.confirm(&scene, &json!({"scanToken": token})).await;

    let polls = futures_util::future::join_all((0..8).map(|_| app.poll(RANDOM))).await;

    let winners: Vec<&Value> = polls.iter().filter(|p| p["code"] == 200).collect();
    assert_eq!(winners.len(), 1, "{polls:?}");
    assert!(
        polls
            .iter()
            .filter(|p| p["code"] != 200)
            .all(|p| p["code"] == 4204)
    );
    let user = &winners[0]["data"];
    assert_eq!(user["loginsCount"], 1, "{user}");
    let id = UserId::parse(user["_id"].as_str().expect("_id")).expect("user id");
    let stored = app
        .store
        .user(&app.pool.pool.id, &id)
        .await
        .expect("store answers")
        .expect("the user");
    assert_eq!(stored.logins_count, 1, "the login was counted once");
}

#[tokio::test]
async fn no_state_move_happens_at_the_expiry_even_after_a_live_check() {
    let app = spawn_app().await;
    let pool = &app.pool.pool.id;
    // A confirmed session, for its user and for the claim.
    let confirmed_random = "browserRandomConfirmed01";
    let confirmed = scene_of(&app.start_qr(confirmed_random).await);
    let token = app.scan(&confirmed, app.wechat_user("Ann")).await;
    let reply = app.confirm(&confirmed, &json!({"scanToken": token})).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let session = app
        .store
        .qr_session(&confirmed)
        .await
        .expect("store answers");
    let session = session.expect("the session");
    let user = session.user_id.clone().expect("confirmed for a user");
    // A scanned one.
    let scanned = scene_of(&app.start_qr(RANDOM).await);
    app.scan(&scanned, app.wechat_user("Bob")).await;
    // A pending one.
    let pending = scene_of(&app.start_qr("browserRandomPending0001").await);
    let expiry = session.expires_at;
    let just_before = expiry - TimeDelta::microseconds(1);
    let store = &app.store;

    // What a request that checked the session just before the expiry then reaches the store with.
    let confirm = store.confirm_qr(&scanned, &user, expiry).await;
    let cancel = store.cancel_qr(&scanned, expiry).await;
    let scanner = session.scanner.clone().expect("scanner");
    let late_scan = denglu_domain::Scanner {
        at: expiry,
        ..scanner
    };
    let scan = store.record_qr_scan(&pending, &late_scan).await;
    let login = |at| LoginRecord {
        at,
        ip: None,
        token_expires_at: at + TimeDelta::hours(1),
    };
    let hash = hash_secret(confirmed_random);
    let claim = store.claim_qr(&hash, pool, &user, &login(expiry)).await;

    assert!(!confirm.expect("store answers"), "confirm");
    assert!(!cancel.expect("store answers"), "cancel");
    assert!(!scan.expect("store answers"), "scan");
    assert!(!claim.expect("store answers"), "claim");
    for (scene, state) in [
        (&scanned, QrState::Scanned),
        (&pending, QrState::Pending),
        (&confirmed, QrState::Confirmed),
    ] {
        let stored = store.qr_session(scene).await.expect("store answers");
        assert_eq!(stored.map(|s| s.state), Some(state));
    }
    let counted = store.user(pool, &user).await.expect("store answers");
    assert_eq!(counted.map(|u| u.logins_count), Some(0), "nothing counted");

    // A moment earlier, each move happens.
    let claimed = store
        .claim_qr(&hash, pool, &user, &login(just_before))
        .await;
    assert!(claimed.expect("store answers"));
    let counted = store.user(pool, &user).await.expect("store answers");
    assert_eq!(counted.map(|u| u.logins_count), Some(1));
    let again = store
        .claim_qr(&hash, pool, &user, &login(just_before))
        .await;
    assert!(!again.expect("store answers"), "claimed once");
    let counted = store.user(pool, &user).await.expect("store answers");
    assert_eq!(counted.map(|u| u.logins_count), Some(1));
    let confirm = store.confirm_qr(&scanned, &user, just_before).await;
    assert!(confirm.expect("store answers"));
    let scan = store
        .record_qr_scan(
            &pending,
            &denglu_domain::Scanner {
                at: just_before,
                ..late_scan
            },
        )
        .await;
    assert!(scan.expect("store answers"));
}

#[tokio::test]
async fn only_the_user_who_scanned_can_confirm_and_knowing_the_qr_is_not_enough() {
    let app = spawn_app().await;
    let scene = scene_of(&app.start_qr(RANDOM).await);
    let token = app.scan(&scene, app.wechat_user("Owner")).await;

    let forged = app
        .confirm(&scene, &json!({"scanToken": "not-the-token"}))
        .await;
    assert_eq!(
        (forged.status, forged.body["code"].clone()),
        (403, json!(1001))
    );

    let second_scan = app
        .wechat
        .login(MINI_PROGRAM.0, app.wechat_user("Thief"))
        .expect("wx.login");
    let rescan = app
        .post_json(
            &format!("/api/v1/scanner/sessions/{scene}/scan"),
            &json!({"code": second_scan}),
        )
        .await;
    assert_eq!(
        (rescan.status, rescan.body["code"].clone()),
        (409, json!(4206))
    );

    // A browser that only saw the QR (the scene) cannot collect the login with it.
    app.confirm(&scene, &json!({"scanToken": token})).await;
    assert_eq!(app.poll(&scene).await["code"], 4205);
    assert_eq!(app.poll(RANDOM).await["code"], 200);
}

#[tokio::test]
async fn a_cancelled_code_tells_the_browser_and_cannot_be_confirmed() {
    let app = spawn_app().await;
    let scene = scene_of(&app.start_qr(RANDOM).await);
    let token = app.scan(&scene, app.wechat_user("Lee")).await;

    let cancelled = app
        .post_json(
            &format!("/api/v1/scanner/sessions/{scene}/cancel"),
            &json!({"scanToken": token}),
        )
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.body);

    assert_eq!(app.poll(RANDOM).await["code"], 4203);
    let late = app.confirm(&scene, &json!({"scanToken": token})).await;
    assert_eq!((late.status, late.body["code"].clone()), (410, json!(4203)));
}

#[tokio::test]
async fn an_expired_code_can_be_neither_scanned_nor_collected() {
    let app = spawn_app().await;
    let scene = scene_of(&app.start_qr(RANDOM).await);
    let lookup = app.get(&format!("/api/v1/scanner/sessions/{scene}")).await;
    assert_eq!(lookup.status, 200, "{}", lookup.body);
    assert_eq!(lookup.body["pool"]["name"], app.pool.pool.name.as_str());

    app.clock.advance(TimeDelta::seconds(121));

    assert_eq!(app.poll(RANDOM).await["code"], 4202);
    let code = app
        .wechat
        .login(MINI_PROGRAM.0, app.wechat_user("Late"))
        .expect("wx.login");
    let scan = app
        .post_json(
            &format!("/api/v1/scanner/sessions/{scene}/scan"),
            &json!({"code": code}),
        )
        .await;
    assert_eq!((scan.status, scan.body["code"].clone()), (410, json!(4202)));
    let image = app.get(&format!("/qrcode/{scene}.png")).await;
    assert_eq!(image.status, 410);
}

/// The confirm page of a code that a browser at `forwarded` (behind a trusted proxy) asked for.
async fn confirm_page_for_browser_at(forwarded: &str) -> Value {
    let app = spawn_app_with(denglu_server::HttpSettings {
        trust_forwarded_for: true,
        ..denglu_server::HttpSettings::default()
    })
    .await;
    let started = app
        .send(
            app.client
                .get(format!(
                    "{}/oauth/wxapp/qrcode/{}?random={RANDOM}",
                    app.base,
                    app.pool_id()
                ))
                .header("x-forwarded-for", forwarded),
        )
        .await;
    let lookup = app
        .get(&format!("/api/v1/scanner/sessions/{}", scene_of(&started)))
        .await;
    assert_eq!(lookup.status, 200, "{}", lookup.body);
    lookup.body["requester"].clone()
}

#[tokio::test]
async fn the_confirm_page_shows_the_browsers_region_and_never_its_whole_address() {
    let requester = confirm_page_for_browser_at("114.114.114.114").await;
    assert_eq!(
        (
            &requester["region"],
            &requester["regionCode"],
            &requester["ip"]
        ),
        (&json!("中国"), &json!("CN"), &json!("114.114.114.*"))
    );
    let requester = confirm_page_for_browser_at("2001:4860:4860::8888").await;
    assert_eq!(
        (
            &requester["region"],
            &requester["regionCode"],
            &requester["ip"]
        ),
        (&json!("美国"), &json!("US"), &json!("2001:4860:4860::*"))
    );
    let requester = confirm_page_for_browser_at("192.168.1.20").await;
    assert_eq!(
        (&requester["region"], &requester["ip"]),
        (&json!("局域网"), &json!("192.168.1.*"))
    );
    assert!(requester.get("regionCode").is_none(), "{requester}");
}

#[tokio::test]
async fn bad_requests_get_documented_codes() {
    let app = spawn_app().await;
    for random in ["short", "has spaces in it!", ""] {
        let reply = app.start_qr(random).await;
        assert_eq!(reply.body["code"], 1002, "{random}: {}", reply.body);
    }
    assert_eq!(app.start_qr(RANDOM).await.body["code"], 200);
    let reused = app.start_qr(RANDOM).await;
    assert_eq!(reused.body["code"], 1002, "a random is single use");
    assert!(
        reused.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("used for another QR code")),
        "says why: {}",
        reused.body
    );
    let unknown_pool = app
        .get(&format!(
            "/oauth/wxapp/qrcode/{}?random={RANDOM}x",
            "0".repeat(24)
        ))
        .await;
    assert_eq!(unknown_pool.body["code"], 2224);
    assert_eq!(app.poll("neverIssuedRandom1").await["code"], 4205);
    let garbage = app.get("/api/v1/scanner/sessions/no-such-scene").await;
    assert_eq!(
        (garbage.status, garbage.body["code"].clone()),
        (404, json!(4205))
    );
    let scene = scene_of(&app.start_qr("anotherRandom1234").await);
    let bad_code = app
        .post_json(
            &format!("/api/v1/scanner/sessions/{scene}/scan"),
            &json!({"code": "bogus"}),
        )
        .await;
    assert_eq!(
        (bad_code.status, bad_code.body["code"].clone()),
        (400, json!(4301))
    );
    let empty_code = app
        .post_json(
            &format!("/api/v1/scanner/sessions/{scene}/scan"),
            &json!({"code": ""}),
        )
        .await;
    assert_eq!(
        (empty_code.status, empty_code.body["code"].clone()),
        (400, json!(1002))
    );
    // A bad avatar is refused before the code is spent: the same code then scans.
    let user = app.wechat_user("Avatar");
    let code = app.wechat.login(MINI_PROGRAM.0, user).expect("wx.login");
    let bad_avatar = app
        .post_json(
            &format!("/api/v1/scanner/sessions/{scene}/scan"),
            &json!({"code": code, "avatar": "file:///etc/passwd"}),
        )
        .await;
    assert_eq!(
        (bad_avatar.status, bad_avatar.body["code"].clone()),
        (400, json!(1002)),
        "{}",
        bad_avatar.body
    );
    let scanned = app
        .post_json(
            &format!("/api/v1/scanner/sessions/{scene}/scan"),
            &json!({"code": code}),
        )
        .await;
    assert_eq!(scanned.status, 200, "{}", scanned.body);
}

#[tokio::test]
async fn the_phone_number_shared_on_the_confirm_page_is_verified_by_wechat() {
    let app = spawn_app().await;
    // By phone code.
    let user = app.wechat_user("Phone");
    let scene = scene_of(&app.start_qr(RANDOM).await);
    let token = app.scan(&scene, user).await;
    let detail = app
        .wechat
        .phone_number(MINI_PROGRAM.0, user)
        .expect("phone code");
    let confirmed = app
        .confirm(
            &scene,
            &json!({"scanToken": token, "phoneCode": detail.code}),
        )
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let login = app.poll(RANDOM).await;
    assert_eq!(login["data"]["phone"], "13580006666");
    assert_eq!(login["data"]["phoneVerified"], true);

    // By legacy encryptedData, for another WeChat user; garbage is refused with one generic code.
    let other = app
        .wechat
        .create_user(NewUser {
            nickname: "Legacy".to_owned(),
            avatar_url: String::new(),
            phone: Some(PhoneSpec {
                number: "61234567".to_owned(),
                country_code: "852".to_owned(),
            }),
        })
        .expect("user");
    let scene = scene_of(&app.start_qr("secondRandom12345").await);
    let token = app.scan(&scene, other).await;
    let detail = app
        .wechat
        .phone_number(MINI_PROGRAM.0, other)
        .expect("detail");
    let garbage = app
        .confirm(
            &scene,
            &json!({"scanToken": token, "encryptedData": "AAAA", "iv": detail.iv}),
        )
        .await;
    assert_eq!(
        (garbage.status, garbage.body["code"].clone()),
        (400, json!(4305))
    );
    let confirmed = app
        .confirm(
            &scene,
            &json!({"scanToken": token, "encryptedData": detail.encrypted_data, "iv": detail.iv}),
        )
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    assert_eq!(
        app.poll("secondRandom12345").await["data"]["phone"],
        "+85261234567"
    );
}

#[tokio::test]
async fn the_push_channel_reports_the_scan_then_delivers_the_login_once() {
    let app = spawn_app().await;
    let started = app.start_qr(RANDOM).await;
    let scene = scene_of(&started);
    let events_url = started.body["data"]["events"]
        .as_str()
        .expect("events URL")
        .to_owned();
    let mut stream = app.client.get(&events_url).send().await.expect("stream");
    assert!(
        stream.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/event-stream")
    );

    let mut seen = String::new();
    let mut next_chunk = async || {
        let chunk = tokio::time::timeout(Duration::from_secs(10), stream.chunk())
            .await
            .expect("an event within 10 s")
            .expect("stream")
            .expect("open");
        String::from_utf8_lossy(&chunk).into_owned()
    };
    seen.push_str(&next_chunk().await);
    assert!(
        seen.contains("event: state") && seen.contains("\"pending\""),
        "{seen}"
    );

    let token = app.scan(&scene, app.wechat_user("Push")).await;
    while !seen.contains("\"scanned\"") {
        seen.push_str(&next_chunk().await);
    }
    app.confirm(&scene, &json!({"scanToken": token})).await;
    while !seen.contains("event: confirmed") {
        seen.push_str(&next_chunk().await);
    }
    assert!(seen.contains("\"token\""), "{seen}");
    assert_eq!(
        app.poll(RANDOM).await["code"],
        4204,
        "the stream collected it; a poll cannot"
    );
}

#[tokio::test]
async fn login_only_pools_refuse_new_wechat_users() {
    let app = spawn_app().await;
    let pool = app
        .services
        .pools()
        .create(crate::helpers::pool_settings(
            Default::default(),
            denglu_domain::RegistrationPolicy::LoginOnly,
        ))
        .await
        .expect("pool");
    let started = app
        .get(&format!(
            "/oauth/wxapp/qrcode/{}?random={RANDOM}",
            pool.pool.id
        ))
        .await;
    let scene = scene_of(&started);
    let token = app.scan(&scene, app.wechat_user("New")).await;

    let refused = app.confirm(&scene, &json!({"scanToken": token})).await;

    assert_eq!(
        (refused.status, refused.body["code"].clone()),
        (403, json!(4001))
    );
}

#[tokio::test]
async fn one_address_may_only_ask_for_and_poll_so_many_codes_a_minute() {
    let app = crate::helpers::spawn_app_with(denglu_server::HttpSettings {
        qr_starts_per_minute: 2,
        qr_polls_per_minute: 3,
        ..denglu_server::HttpSettings::default()
    })
    .await;
    assert_eq!(app.start_qr("limitedRandom0001").await.body["code"], 200);
    assert_eq!(app.start_qr("limitedRandom0002").await.body["code"], 200);
    let third = app.start_qr("limitedRandom0003").await;
    assert_eq!(third.body["code"], 4290, "{}", third.body);

    for _ in 0..3 {
        assert_eq!(app.poll("limitedRandom0001").await["code"], 500);
    }
    assert_eq!(app.poll("limitedRandom0001").await["code"], 4290);
    // Opening a push stream counts as a poll: refused with a plain 429, so the SDK falls back to polling.
    let stream = app.get("/api/v1/qr/events?random=limitedRandom0002").await;
    assert_eq!(
        (stream.status, stream.body["code"].clone()),
        (429, json!(4290)),
        "{}",
        stream.body
    );
}
