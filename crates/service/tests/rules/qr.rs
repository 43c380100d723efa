//! QR login (flow A): the browser starts a session and polls it; the scanner mini program scans, then confirms or
//! cancels; the first poll after the confirmation collects the login, and only that one.

use denglu_crypto::hash_secret;
use denglu_domain::{PoolId, QrOptions, QrSession, QrState, RegistrationPolicy, Requester};
use denglu_service::{ErrorCode, QrPoll, ScanInput, ServiceResult, StartedQr};
use denglu_wechat_sim::UserId as WechatUser;

use crate::helpers::{World, refusal};

const RANDOM: &str = "browser-random-0001";

impl World {
    /// Starts a QR session in `pool` for the browser holding `random`.
    async fn start_qr_in(&self, pool: &PoolId, random: &str) -> ServiceResult<StartedQr> {
        let requester = Requester {
            ip: Some("198.51.100.4".to_owned()),
            user_agent: Some("Test browser".to_owned()),
        };
        self.services
            .qr()
            .start(pool, random, QrOptions::default(), requester)
            .await
    }

    /// Starts a QR session in the open pool.
    async fn start_qr(&self, random: &str) -> StartedQr {
        self.start_qr_in(self.pool_id(), random)
            .await
            .expect("QR session started")
    }

    /// `user` scans the code of `scene`; returns the scan token.
    async fn scan(&self, scene: &str, user: WechatUser) -> ServiceResult<String> {
        let input = ScanInput {
            code: self.code(user),
            nickname: Some("Scanner".to_owned()),
            avatar: None,
        };
        self.services.qr().scan(scene, input).await
    }

    /// The browser polls.
    async fn poll(&self, random: &str) -> QrPoll {
        self.services
            .qr()
            .poll(random, Some("198.51.100.4".to_owned()))
            .await
            .expect("poll answers")
    }

    /// The session as stored.
    async fn stored_session(&self, scene: &str) -> QrSession {
        self.store
            .qr_session(scene)
            .await
            .expect("store answers")
            .expect("the session is stored")
    }
}

#[tokio::test]
async fn start_refuses_a_malformed_or_reused_poll_secret() {
    let world = World::new().await;
    for bad in [
        "short",
        "has spaces in it",
        "slashes/are/not/allowed",
        &"a".repeat(65),
    ] {
        let refused = world.start_qr_in(world.pool_id(), bad).await;
        assert_eq!(refusal(refused), ErrorCode::InvalidRequest, "{bad}");
    }
    let first = world.start_qr(RANDOM).await;

    let reused = world.start_qr_in(world.pool_id(), RANDOM).await;

    assert_eq!(refusal(reused), ErrorCode::InvalidRequest);
    assert_eq!(ErrorCode::InvalidRequest.number(), 1002);
    let stored = world
        .store
        .qr_session_by_poll_secret(&hash_secret(RANDOM))
        .await
        .expect("store answers")
        .expect("the first session");
    assert_eq!(
        stored.scene, first.session.scene,
        "the random still polls the first session"
    );
    assert_eq!(stored.state, QrState::Pending);
}

#[tokio::test]
async fn scan_confirm_then_the_first_poll_collects_and_the_next_says_used() {
    let world = World::new().await;
    let started = world.start_qr(RANDOM).await;
    let scene = started.session.scene.as_str();
    let user = world.wechat_user("Scanner", None);

    let before = world.poll(RANDOM).await;
    assert!(
        matches!(&before, QrPoll::Waiting(s) if s.state == QrState::Pending && s.scanner.is_none()),
        "{before:?}"
    );

    let scan_token = world.scan(scene, user).await.expect("scanned");
    let scanned = world.poll(RANDOM).await;
    let QrPoll::Waiting(scanned) = scanned else {
        panic!("still waiting after the scan: {scanned:?}");
    };
    assert_eq!(scanned.state, QrState::Scanned);
    assert_eq!(
        scanned.scanner.as_ref().map(|s| s.openid.clone()),
        Some(world.openid(user))
    );
    let view = world.services.qr().scanner_view(scene).await.expect("view");
    assert_eq!(&view.pool.id, world.pool_id());

    world
        .services
        .qr()
        .confirm(scene, &scan_token, None)
        .await
        .expect("confirmed");
    let confirmed = world.stored_session(scene).await;
    assert_eq!(confirmed.state, QrState::Confirmed);

    let collected = world.poll(RANDOM).await;
    let QrPoll::Collected { session, redirect } = collected else {
        panic!("the first poll collects: {collected:?}");
    };
    assert_eq!(redirect, None, "the pool has no callback");
    assert_eq!(Some(&session.user.id), confirmed.user_id.as_ref());
    assert_eq!(session.user.openid, Some(world.openid(user)));
    assert_eq!(session.user.nickname.as_deref(), Some("Scanner"));
    assert_eq!(session.user.logins_count, 1);
    let verified = world
        .services
        .verify_token(Some(&session.token))
        .await
        .expect("the token verifies");
    assert_eq!(verified.user.id, session.user.id);

    let again = world.poll(RANDOM).await;
    assert!(matches!(again, QrPoll::Used), "{again:?}");
    assert_eq!(world.stored_session(scene).await.state, QrState::Claimed);
    let late_confirm = world.services.qr().confirm(scene, &scan_token, None).await;
    assert_eq!(refusal(late_confirm), ErrorCode::QrUsed);
    let stored = world.stored_user(world.pool_id(), &session.user).await;
    assert_eq!(stored.logins_count, 1, "one login was counted");
}

#[tokio::test]
async fn confirm_or_cancel_with_a_wrong_scan_token_is_forbidden() {
    let world = World::new().await;
    let started = world.start_qr(RANDOM).await;
    let scene = started.session.scene.as_str();

    let unscanned = world.services.qr().confirm(scene, "any-token", None).await;
    assert_eq!(
        refusal(unscanned),
        ErrorCode::Forbidden,
        "nobody scanned yet"
    );

    let scan_token = world
        .scan(scene, world.wechat_user("Scanner", None))
        .await
        .expect("scanned");
    let wrong = world
        .services
        .qr()
        .confirm(scene, "not-the-scan-token", None)
        .await;
    assert_eq!(refusal(wrong), ErrorCode::Forbidden);
    let wrong_cancel = world
        .services
        .qr()
        .cancel(scene, "not-the-scan-token")
        .await;
    assert_eq!(refusal(wrong_cancel), ErrorCode::Forbidden);
    assert_eq!(ErrorCode::Forbidden.number(), 1001);

    let stored = world.stored_session(scene).await;
    assert_eq!((stored.state, stored.user_id), (QrState::Scanned, None));
    assert!(
        world.stored_users(world.pool_id()).await.is_empty(),
        "nobody signed up"
    );
    world
        .services
        .qr()
        .confirm(scene, &scan_token, None)
        .await
        .expect("the right scan token still confirms");
}

#[tokio::test]
async fn the_scanner_cancels_and_the_browser_sees_it() {
    let world = World::new().await;
    let started = world.start_qr(RANDOM).await;
    let scene = started.session.scene.as_str();
    let scan_token = world
        .scan(scene, world.wechat_user("Refuser", None))
        .await
        .expect("scanned");

    world
        .services
        .qr()
        .cancel(scene, &scan_token)
        .await
        .expect("cancelled");

    let poll = world.poll(RANDOM).await;
    assert!(matches!(poll, QrPoll::Cancelled), "{poll:?}");
    assert_eq!(world.stored_session(scene).await.state, QrState::Cancelled);
    let confirm = world.services.qr().confirm(scene, &scan_token, None).await;
    assert_eq!(refusal(confirm), ErrorCode::QrCancelled);
    let rescan = world.scan(scene, world.wechat_user("Other", None)).await;
    assert_eq!(refusal(rescan), ErrorCode::QrCancelled);
    assert!(world.stored_users(world.pool_id()).await.is_empty());
}

#[tokio::test]
async fn confirm_after_expiry_is_refused_and_the_session_was_never_confirmed() {
    let world = World::new().await;
    let started = world.start_qr(RANDOM).await;
    let scene = started.session.scene.as_str();
    let scan_token = world
        .scan(scene, world.wechat_user("Late", None))
        .await
        .expect("scanned");

    world
        .clock
        .advance(started.session.expires_at - world.now());

    let confirm = world.services.qr().confirm(scene, &scan_token, None).await;
    assert_eq!(refusal(confirm), ErrorCode::QrExpired);
    assert_eq!(ErrorCode::QrExpired.number(), 4202);
    let poll = world.poll(RANDOM).await;
    assert!(matches!(poll, QrPoll::Expired), "{poll:?}");
    let stored = world.stored_session(scene).await;
    assert_eq!(
        (stored.state, stored.user_id),
        (QrState::Scanned, None),
        "never confirmed"
    );
    assert!(
        world.stored_users(world.pool_id()).await.is_empty(),
        "nobody signed up"
    );

    let unscanned = world.start_qr("browser-random-0002").await;
    world
        .clock
        .advance(unscanned.session.expires_at - world.now());
    let scan = world
        .scan(&unscanned.session.scene, world.wechat_user("Later", None))
        .await;
    assert_eq!(refusal(scan), ErrorCode::QrExpired);
}

#[tokio::test]
async fn a_confirmed_session_not_collected_in_time_expires() {
    let world = World::new().await;
    let started = world.start_qr(RANDOM).await;
    let scene = started.session.scene.as_str();
    let scan_token = world
        .scan(scene, world.wechat_user("Confirmer", None))
        .await
        .expect("scanned");
    world
        .services
        .qr()
        .confirm(scene, &scan_token, None)
        .await
        .expect("confirmed");

    world
        .clock
        .advance(started.session.expires_at - world.now());

    let poll = world.poll(RANDOM).await;
    assert!(matches!(poll, QrPoll::Expired), "{poll:?}");
    assert_eq!(
        world.stored_session(scene).await.state,
        QrState::Confirmed,
        "not collected"
    );
}

#[tokio::test]
async fn a_scanned_session_cannot_be_scanned_again() {
    let world = World::new().await;
    let started = world.start_qr(RANDOM).await;
    let scene = started.session.scene.as_str();
    let first = world.wechat_user("First", None);
    let second = world.wechat_user("Second", None);
    world.scan(scene, first).await.expect("scanned");

    let code = world.code(second);
    let again = world
        .services
        .qr()
        .scan(
            scene,
            ScanInput {
                code: code.clone(),
                nickname: None,
                avatar: None,
            },
        )
        .await;

    assert_eq!(refusal(again), ErrorCode::QrNotPending);
    assert_eq!(ErrorCode::QrNotPending.number(), 4206);
    let stored = world.stored_session(scene).await;
    assert_eq!(
        stored.scanner.map(|s| s.openid),
        Some(world.openid(first)),
        "the first scanner stays"
    );
    // Refused before the second scanner's wx.login code was spent: it still logs them in elsewhere.
    world
        .services
        .wxapp()
        .login(
            world.pool_id(),
            denglu_service::WxappLogin {
                code,
                ..denglu_service::WxappLogin::default()
            },
        )
        .await
        .expect("the code is still good");
}

#[tokio::test]
async fn unknown_sessions_are_unknown() {
    let world = World::new().await;

    let poll = world.poll("never-started-random").await;
    assert!(matches!(poll, QrPoll::Unknown), "{poll:?}");
    let malformed = world.poll("bad").await;
    assert!(matches!(malformed, QrPoll::Unknown), "{malformed:?}");
    let scan = world
        .scan("AAAAAAAAAAAAAAAAAAAAAA", world.wechat_user("Lost", None))
        .await;
    assert_eq!(refusal(scan), ErrorCode::QrNotFound);
}

#[tokio::test]
async fn a_login_only_pool_refuses_a_new_wechat_user_at_confirm() {
    let world = World::new().await;
    let closed = world.another_pool(RegistrationPolicy::LoginOnly).await;
    let started = world
        .start_qr_in(&closed.pool.id, RANDOM)
        .await
        .expect("started");
    let scene = started.session.scene.as_str();
    let scan_token = world
        .scan(scene, world.wechat_user("Stranger", None))
        .await
        .expect("scanned");

    let confirm = world.services.qr().confirm(scene, &scan_token, None).await;

    assert_eq!(refusal(confirm), ErrorCode::SignUpClosed);
    assert_eq!(world.stored_session(scene).await.state, QrState::Scanned);
    assert!(world.stored_users(&closed.pool.id).await.is_empty());
}

#[tokio::test]
async fn without_a_scanner_mini_program_qr_login_is_unavailable() {
    let world = World::without_scanner().await;

    let refused = world.start_qr_in(world.pool_id(), RANDOM).await;

    assert_eq!(refusal(refused), ErrorCode::QrUnavailable);
    let stored = world
        .store
        .qr_session_by_poll_secret(&hash_secret(RANDOM))
        .await
        .expect("store answers");
    assert!(stored.is_none(), "no session was stored");
}
