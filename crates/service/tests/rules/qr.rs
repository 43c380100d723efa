//! QR login (flow A): the browser starts a session and polls it; the scanner mini program scans, then confirms or
//! cancels; the first poll after the confirmation collects the login, and only that one.

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicU32, Ordering},
};

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use denglu_crypto::hash_secret;
use denglu_domain::{
    AppId, AppLoginSettings, AppTicket, CachedAccessToken, Clock, LoginName, ManualClock, Pool,
    PoolId, QrOptions, QrSession, QrSettings, QrState, RegistrationPolicy, Requester, Scanner,
    SecretHash, ServerKey, SigningKey, User, UserId, WechatIdentity,
};
use denglu_service::{ErrorCode, QrPoll, ScanInput, ServiceResult, StartedQr};
use denglu_store::{LoginRecord, NewAvatar, QrChanges, Store, StoreError, StoreResult};
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
            .poll(
                random,
                Requester {
                    ip: Some("198.51.100.4".to_owned()),
                    user_agent: Some("Test browser".to_owned()),
                },
            )
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

/// What a [`Flaky`] store does differently, switched on by a test.
#[derive(Default)]
struct Faults {
    /// How many of the next claims fail with `Unavailable` before reaching the store (a rolled-back transaction).
    failing_claims: AtomicU32,
    /// How many of the next login counts fail with `Unavailable` before reaching the store.
    failing_login_records: AtomicU32,
    /// Set this clock to this instant at the next WeChat identity lookup (which a confirm makes after checking the
    /// session, before moving it).
    expire_at_identity_lookup: Mutex<Option<(ManualClock, DateTime<Utc>)>>,
}

/// The real store, but failing or moving the clock where [`Faults`] says.
struct Flaky {
    inner: Arc<dyn Store>,
    faults: Arc<Faults>,
}

/// Whether a switch is on, turning it down by one.
fn take(switch: &AtomicU32) -> bool {
    switch
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
}

impl World {
    /// The world over a [`Flaky`] store, with the switches of its faults.
    async fn flaky() -> (Self, Arc<Faults>) {
        let faults = Arc::new(Faults::default());
        let switches = Arc::clone(&faults);
        let world = World::over(move |inner| {
            Arc::new(Flaky {
                inner,
                faults: switches,
            })
        })
        .await;
        (world, faults)
    }

    /// `user` scans the session of `scene` and confirms it.
    async fn scan_and_confirm(&self, scene: &str, user: WechatUser) {
        let scan_token = self.scan(scene, user).await.expect("scanned");
        self.services
            .qr()
            .confirm(scene, &scan_token, None)
            .await
            .expect("confirmed");
    }
}

#[tokio::test]
async fn a_collect_that_fails_in_the_store_leaves_the_session_for_the_next_poll() {
    let (world, faults) = World::flaky().await;
    let started = world.start_qr(RANDOM).await;
    let scene = started.session.scene.as_str();
    world
        .scan_and_confirm(scene, world.wechat_user("Unlucky", None))
        .await;
    // Every store write a collection makes fails once: the claim and the count of the login.
    faults.failing_claims.store(1, Ordering::SeqCst);
    faults.failing_login_records.store(1, Ordering::SeqCst);

    let first = world.services.qr().poll(RANDOM, Requester::default()).await;
    assert_eq!(refusal(first), ErrorCode::SystemBusy);
    assert_eq!(ErrorCode::SystemBusy.number(), 1000);
    let stored = world.stored_session(scene).await;
    assert_eq!(stored.state, QrState::Confirmed, "still collectable");

    let second = world.poll(RANDOM).await;
    let QrPoll::Collected { session, .. } = second else {
        panic!("the next poll collects the login: {second:?}");
    };
    assert_eq!(Some(&session.user.id), stored.user_id.as_ref());
    assert_eq!(session.user.logins_count, 1);
    world
        .services
        .verify_token(Some(&session.token))
        .await
        .expect("the token verifies");
    let third = world.poll(RANDOM).await;
    assert!(matches!(third, QrPoll::Used), "{third:?}");
    let user = world.stored_user(world.pool_id(), &session.user).await;
    assert_eq!(user.logins_count, 1, "the login was counted once");
}

#[tokio::test]
async fn of_concurrent_polls_one_collects_and_the_login_counts_once() {
    let world = World::new().await;
    let started = world.start_qr(RANDOM).await;
    let scene = started.session.scene.as_str();
    world
        .scan_and_confirm(scene, world.wechat_user("Popular", None))
        .await;

    let polls = tokio::join!(
        world.poll(RANDOM),
        world.poll(RANDOM),
        world.poll(RANDOM),
        world.poll(RANDOM),
    );

    let polls = [polls.0, polls.1, polls.2, polls.3];
    let collected: Vec<&User> = polls
        .iter()
        .filter_map(|poll| match poll {
            QrPoll::Collected { session, .. } => Some(&session.user),
            _ => None,
        })
        .collect();
    assert_eq!(collected.len(), 1, "{polls:?}");
    assert!(
        polls
            .iter()
            .all(|poll| matches!(poll, QrPoll::Collected { .. } | QrPoll::Used)),
        "{polls:?}"
    );
    let user = world.stored_user(world.pool_id(), collected[0]).await;
    assert_eq!(user.logins_count, 1);
}

#[tokio::test]
async fn the_stores_moves_change_nothing_at_the_expiry() {
    let world = World::new().await;
    let user = world
        .register_in(world.pool_id(), "someone")
        .await
        .expect("registered");
    let started = world.start_qr(RANDOM).await;
    let scene = started.session.scene.as_str();
    let expiry = started.session.expires_at;
    world
        .scan(scene, world.wechat_user("Racer", None))
        .await
        .expect("scanned");
    let store = &world.store;
    let just_before = expiry - Duration::milliseconds(1);

    let confirmed = store.confirm_qr(scene, &user.id, expiry).await;
    let cancelled = store.cancel_qr(scene, expiry).await;

    assert!(!confirmed.expect("store answers"), "confirm at the expiry");
    assert!(!cancelled.expect("store answers"), "cancel at the expiry");
    let stored = world.stored_session(scene).await;
    assert_eq!((stored.state, stored.user_id), (QrState::Scanned, None));

    assert!(
        store
            .confirm_qr(scene, &user.id, just_before)
            .await
            .expect("store answers")
    );
    let login = |at| LoginRecord {
        at,
        ip: None,
        token_expires_at: at + Duration::hours(1),
    };
    let hash = hash_secret(RANDOM);
    let late_claim = store
        .claim_qr(&hash, world.pool_id(), &user.id, &login(expiry))
        .await;
    assert!(!late_claim.expect("store answers"), "claim at the expiry");
    assert_eq!(world.stored_session(scene).await.state, QrState::Confirmed);
    let counted = world.stored_user(world.pool_id(), &user).await.logins_count;
    assert_eq!(counted, 0, "a refused claim counts nothing");
    assert!(
        store
            .claim_qr(&hash, world.pool_id(), &user.id, &login(just_before))
            .await
            .expect("store answers")
    );
    assert_eq!(world.stored_session(scene).await.state, QrState::Claimed);
    let counted = world.stored_user(world.pool_id(), &user).await.logins_count;
    assert_eq!(counted, 1);

    let pending = world.start_qr("browser-random-0002").await;
    let late_scan = Scanner {
        at: pending.session.expires_at,
        ..stored.scanner.clone().expect("the first session's scanner")
    };
    let scanned = store
        .record_qr_scan(&pending.session.scene, &late_scan)
        .await;
    assert!(!scanned.expect("store answers"), "scan at the expiry");
    let unchanged = world.stored_session(&pending.session.scene).await;
    assert_eq!(unchanged.state, QrState::Pending);
}

#[tokio::test]
async fn a_confirm_that_reaches_the_store_at_the_expiry_is_refused() {
    let (world, faults) = World::flaky().await;
    let started = world.start_qr(RANDOM).await;
    let scene = started.session.scene.as_str();
    let scan_token = world
        .scan(scene, world.wechat_user("Slow", None))
        .await
        .expect("scanned");
    // The session is live when the confirm checks it; the clock reaches the expiry while it looks the user up.
    *faults.expire_at_identity_lookup.lock().expect("lock") =
        Some((world.clock.clone(), started.session.expires_at));

    let confirm = world.services.qr().confirm(scene, &scan_token, None).await;

    assert_eq!(world.now(), started.session.expires_at, "the race happened");
    assert_eq!(refusal(confirm), ErrorCode::QrExpired);
    let stored = world.stored_session(scene).await;
    assert_eq!(
        (stored.state, stored.user_id),
        (QrState::Scanned, None),
        "never confirmed"
    );
    let poll = world.poll(RANDOM).await;
    assert!(matches!(poll, QrPoll::Expired), "{poll:?}");
}

#[async_trait]
impl Store for Flaky {
    async fn ping(&self) -> StoreResult<()> {
        self.inner.ping().await
    }

    fn pool_use(&self) -> denglu_store::PoolUse {
        self.inner.pool_use()
    }

    fn admin(&self) -> &dyn denglu_store::AdminStore {
        self.inner.admin()
    }

    fn operators(&self) -> &dyn denglu_store::OperatorStore {
        self.inner.operators()
    }

    fn wechat_apps(&self) -> &dyn denglu_store::WechatAppStore {
        self.inner.wechat_apps()
    }

    fn oidc_clients(&self) -> &dyn denglu_store::OidcClientStore {
        self.inner.oidc_clients()
    }

    fn oidc(&self) -> &dyn denglu_store::OidcStore {
        self.inner.oidc()
    }

    async fn insert_pool(&self, pool: &Pool, key: &SigningKey) -> StoreResult<()> {
        self.inner.insert_pool(pool, key).await
    }

    async fn pool(&self, id: &PoolId) -> StoreResult<Option<Pool>> {
        self.inner.pool(id).await
    }

    async fn pools(&self) -> StoreResult<Vec<Pool>> {
        self.inner.pools().await
    }

    async fn set_pool_secret(
        &self,
        id: &PoolId,
        hash: &SecretHash,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.inner.set_pool_secret(id, hash, at).await
    }

    async fn signing_keys(&self, pool: &PoolId) -> StoreResult<Vec<SigningKey>> {
        self.inner.signing_keys(pool).await
    }

    async fn insert_signing_key(&self, key: &SigningKey) -> StoreResult<()> {
        self.inner.insert_signing_key(key).await
    }

    async fn retire_signing_key(
        &self,
        pool: &PoolId,
        kid: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.inner.retire_signing_key(pool, kid, at).await
    }

    async fn server_key(&self, name: &str) -> StoreResult<Option<ServerKey>> {
        self.inner.server_key(name).await
    }

    async fn insert_server_key(&self, key: &ServerKey) -> StoreResult<()> {
        self.inner.insert_server_key(key).await
    }

    async fn insert_user(&self, user: &User) -> StoreResult<()> {
        self.inner.insert_user(user).await
    }

    async fn user(&self, pool: &PoolId, id: &UserId) -> StoreResult<Option<User>> {
        self.inner.user(pool, id).await
    }

    async fn user_by_login(&self, pool: &PoolId, login: &LoginName) -> StoreResult<Option<User>> {
        self.inner.user_by_login(pool, login).await
    }

    async fn users(&self, pool: &PoolId, limit: u32, offset: u32) -> StoreResult<Vec<User>> {
        self.inner.users(pool, limit, offset).await
    }

    async fn record_login(
        &self,
        pool: &PoolId,
        id: &UserId,
        login: &LoginRecord,
    ) -> StoreResult<User> {
        if take(&self.faults.failing_login_records) {
            return Err(StoreError::Unavailable("injected".to_owned()));
        }
        self.inner.record_login(pool, id, login).await
    }

    async fn revoke_tokens(
        &self,
        pool: &PoolId,
        id: &UserId,
        at: DateTime<Utc>,
    ) -> StoreResult<User> {
        self.inner.revoke_tokens(pool, id, at).await
    }

    async fn set_blocked(
        &self,
        pool: &PoolId,
        id: &UserId,
        blocked: bool,
        at: DateTime<Utc>,
    ) -> StoreResult<User> {
        self.inner.set_blocked(pool, id, blocked, at).await
    }

    async fn wechat_access_token(&self, appid: &AppId) -> StoreResult<Option<CachedAccessToken>> {
        self.inner.wechat_access_token(appid).await
    }

    async fn save_wechat_access_token(&self, token: &CachedAccessToken) -> StoreResult<()> {
        self.inner.save_wechat_access_token(token).await
    }

    async fn discard_wechat_access_token(
        &self,
        appid: &AppId,
        hash: &SecretHash,
    ) -> StoreResult<()> {
        self.inner.discard_wechat_access_token(appid, hash).await
    }

    async fn user_by_wechat_identity(
        &self,
        pool: &PoolId,
        appid: &AppId,
        openid: &str,
        unionid: Option<&str>,
    ) -> StoreResult<Option<User>> {
        let expire = self
            .faults
            .expire_at_identity_lookup
            .lock()
            .expect("lock")
            .take();
        if let Some((clock, at)) = expire {
            clock.advance(at - clock.now());
        }
        self.inner
            .user_by_wechat_identity(pool, appid, openid, unionid)
            .await
    }

    async fn user_by_phone(&self, pool: &PoolId, phone: &str) -> StoreResult<Option<User>> {
        self.inner.user_by_phone(pool, phone).await
    }

    async fn insert_wechat_user(&self, user: &User, identity: &WechatIdentity) -> StoreResult<()> {
        self.inner.insert_wechat_user(user, identity).await
    }

    async fn link_wechat_identity(&self, identity: &WechatIdentity) -> StoreResult<()> {
        self.inner.link_wechat_identity(identity).await
    }

    async fn set_verified_phone(
        &self,
        pool: &PoolId,
        user: &UserId,
        phone: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<User> {
        self.inner.set_verified_phone(pool, user, phone, at).await
    }

    async fn record_verified_phone(
        &self,
        pool: &PoolId,
        appid: &AppId,
        openid: &str,
        phone: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.inner
            .record_verified_phone(pool, appid, openid, phone, at)
            .await
    }

    async fn user_by_verified_phone(
        &self,
        pool: &PoolId,
        appid: &AppId,
        openid: &str,
        phone: &str,
    ) -> StoreResult<Option<User>> {
        self.inner
            .user_by_verified_phone(pool, appid, openid, phone)
            .await
    }

    async fn set_profile(
        &self,
        pool: &PoolId,
        user: &UserId,
        nickname: Option<&str>,
        photo: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<User> {
        self.inner
            .set_profile(pool, user, nickname, photo, at)
            .await
    }

    async fn user_metadata(
        &self,
        pool: &PoolId,
        user: &UserId,
    ) -> StoreResult<Vec<(String, String)>> {
        self.inner.user_metadata(pool, user).await
    }

    async fn set_user_metadata(
        &self,
        pool: &PoolId,
        user: &UserId,
        key: &str,
        value: &str,
        max_keys: usize,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.inner
            .set_user_metadata(pool, user, key, value, max_keys, at)
            .await
    }

    async fn remove_user_metadata(
        &self,
        pool: &PoolId,
        user: &UserId,
        key: &str,
    ) -> StoreResult<()> {
        self.inner.remove_user_metadata(pool, user, key).await
    }

    async fn qr_settings(&self, pool: &PoolId) -> StoreResult<Option<QrSettings>> {
        self.inner.qr_settings(pool).await
    }

    async fn save_qr_settings(&self, settings: &QrSettings) -> StoreResult<()> {
        self.inner.save_qr_settings(settings).await
    }

    async fn pool_logo(&self, pool: &PoolId) -> StoreResult<Option<Vec<u8>>> {
        self.inner.pool_logo(pool).await
    }

    async fn save_pool_logo(
        &self,
        pool: &PoolId,
        png: Option<&[u8]>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.inner.save_pool_logo(pool, png, at).await
    }

    async fn set_avatar(
        &self,
        pool: &PoolId,
        user: &UserId,
        avatar: NewAvatar<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<User> {
        self.inner.set_avatar(pool, user, avatar, at).await
    }

    async fn avatar(&self, name: &str) -> StoreResult<Option<Vec<u8>>> {
        self.inner.avatar(name).await
    }

    async fn insert_qr_session(&self, session: &QrSession) -> StoreResult<()> {
        self.inner.insert_qr_session(session).await
    }

    async fn qr_session(&self, scene: &str) -> StoreResult<Option<QrSession>> {
        self.inner.qr_session(scene).await
    }

    async fn qr_session_by_poll_secret(&self, hash: &SecretHash) -> StoreResult<Option<QrSession>> {
        self.inner.qr_session_by_poll_secret(hash).await
    }

    async fn record_qr_scan(&self, scene: &str, scanner: &Scanner) -> StoreResult<bool> {
        self.inner.record_qr_scan(scene, scanner).await
    }

    async fn confirm_qr(&self, scene: &str, user: &UserId, at: DateTime<Utc>) -> StoreResult<bool> {
        self.inner.confirm_qr(scene, user, at).await
    }

    async fn cancel_qr(&self, scene: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        self.inner.cancel_qr(scene, at).await
    }

    async fn claim_qr(
        &self,
        hash: &SecretHash,
        pool: &PoolId,
        user: &UserId,
        login: &LoginRecord,
    ) -> StoreResult<bool> {
        if take(&self.faults.failing_claims) {
            return Err(StoreError::Unavailable("injected".to_owned()));
        }
        self.inner.claim_qr(hash, pool, user, login).await
    }

    async fn app_login_settings(&self, pool: &PoolId) -> StoreResult<Option<AppLoginSettings>> {
        self.inner.app_login_settings(pool).await
    }

    async fn save_app_login_settings(&self, settings: &AppLoginSettings) -> StoreResult<()> {
        self.inner.save_app_login_settings(settings).await
    }

    async fn insert_app_ticket(&self, ticket: &AppTicket) -> StoreResult<()> {
        self.inner.insert_app_ticket(ticket).await
    }

    async fn app_ticket(&self, hash: &SecretHash) -> StoreResult<Option<AppTicket>> {
        self.inner.app_ticket(hash).await
    }

    async fn redeem_app_ticket(
        &self,
        pool: &PoolId,
        hash: &SecretHash,
        user: &UserId,
        login: &LoginRecord,
    ) -> StoreResult<bool> {
        self.inner.redeem_app_ticket(pool, hash, user, login).await
    }

    async fn use_up_app_ticket(
        &self,
        pool: &PoolId,
        hash: &SecretHash,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.inner.use_up_app_ticket(pool, hash, at).await
    }

    async fn count_attempt(
        &self,
        key: &SecretHash,
        limit: u32,
        at: DateTime<Utc>,
        window: chrono::TimeDelta,
    ) -> StoreResult<bool> {
        self.inner.count_attempt(key, limit, at, window).await
    }

    async fn purge_expired(
        &self,
        before: DateTime<Utc>,
        batch: u32,
    ) -> StoreResult<denglu_store::PurgeCount> {
        self.inner.purge_expired(before, batch).await
    }

    async fn announce_qr_change(&self, scene: &str) -> StoreResult<()> {
        self.inner.announce_qr_change(scene).await
    }

    fn qr_changes(&self) -> QrChanges {
        self.inner.qr_changes()
    }

    fn revocations(&self) -> denglu_store::Revocations {
        self.inner.revocations()
    }

    fn notices_reach_every_process(&self) -> bool {
        self.inner.notices_reach_every_process()
    }
}
