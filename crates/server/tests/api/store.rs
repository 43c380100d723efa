//! The store's own promises, on whichever backend the run uses: uniqueness per pool, atomic writes, not-found.

use chrono::{TimeDelta, Utc};
use denglu_domain::{Clock, Email, NewPasswordUser, PasswordHash, PoolId, User, UserId, Username};
use denglu_store::{Constraint, PurgeCount, Revocation, StoreError};

use crate::helpers::{PostgresAdmin, spawn_app};

fn user(pool: &PoolId, username: &str, email: &str) -> User {
    let new = NewPasswordUser {
        username: Some(Username::parse(username).expect("valid")),
        email: Some(Email::parse(email).expect("valid")),
        nickname: None,
        password_hash: PasswordHash::from_phc("$argon2id$placeholder".to_owned()),
    };
    User::sign_up_with_password(pool.clone(), new, Utc::now())
}

#[tokio::test]
async fn usernames_and_emails_are_unique_per_pool_and_a_conflict_writes_nothing() {
    let app = spawn_app().await;
    let pool = app.pool.pool.id.clone();
    app.store
        .insert_user(&user(&pool, "Quinn", "quinn@example.com"))
        .await
        .expect("first insert");

    let same_name = app
        .store
        .insert_user(&user(&pool, "QUINN", "other@example.com"))
        .await;
    assert!(
        matches!(
            same_name,
            Err(StoreError::Conflict {
                constraint: Constraint::Username
            })
        ),
        "{same_name:?}"
    );
    let same_email = app
        .store
        .insert_user(&user(&pool, "rose", "quinn@example.com"))
        .await;
    assert!(
        matches!(
            same_email,
            Err(StoreError::Conflict {
                constraint: Constraint::Email
            })
        ),
        "{same_email:?}"
    );
    assert_eq!(app.store.users(&pool, 10, 0).await.expect("list").len(), 1);

    let other_pool = app
        .services
        .pools()
        .create(crate::helpers::pool_settings(
            Default::default(),
            Default::default(),
        ))
        .await
        .expect("pool");
    app.store
        .insert_user(&user(&other_pool.pool.id, "quinn", "quinn@example.com"))
        .await
        .expect("another pool is another namespace");
}

#[tokio::test]
async fn changes_to_unknown_records_are_not_found() {
    let app = spawn_app().await;
    let pool = app.pool.pool.id.clone();
    let ghost = UserId::generate(Utc::now());
    assert!(matches!(
        app.store.set_blocked(&pool, &ghost, true, Utc::now()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        app.store.revoke_tokens(&pool, &ghost, Utc::now()).await,
        Err(StoreError::NotFound)
    ));
    let unknown_pool = PoolId::generate(Utc::now());
    let hash = denglu_crypto::hash_secret("x");
    assert!(matches!(
        app.store
            .set_pool_secret(&unknown_pool, &hash, Utc::now())
            .await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn a_rotated_pool_secret_replaces_the_old_one() {
    let app = spawn_app().await;
    let id = app.pool.pool.id.clone();
    assert!(denglu_crypto::secret_matches(
        &app.pool.secret,
        &app.services.pool(&id).await.expect("pool").secret_hash
    ));
    let new_secret = app
        .services
        .pools()
        .rotate_secret(&id)
        .await
        .expect("rotated");
    let stored = app.services.pool(&id).await.expect("pool").secret_hash;
    assert!(denglu_crypto::secret_matches(&new_secret, &stored));
    assert!(!denglu_crypto::secret_matches(&app.pool.secret, &stored));
}

#[tokio::test]
async fn keys_are_listed_newest_added_first_whatever_their_dates_and_only_older_live_keys_retire() {
    let app = spawn_app().await;
    let pool = app.pool.pool.id.clone();
    let first = app.store.signing_keys(&pool).await.expect("keys").remove(0);
    let key = |created_at| {
        denglu_tokens::generate_signing_key(
            pool.clone(),
            first.algorithm,
            created_at,
            &app.master_key,
        )
    };
    let second = key(first.created_at);
    let third = key(first.created_at - TimeDelta::days(1));
    app.store.insert_signing_key(&second).await.expect("second");
    app.store.insert_signing_key(&third).await.expect("third");
    let kids = |keys: Vec<denglu_domain::SigningKey>| -> Vec<String> {
        keys.into_iter().map(|key| key.kid).collect()
    };
    let newest_first = vec![third.kid.clone(), second.kid.clone(), first.kid.clone()];
    let listed = kids(app.store.signing_keys(&pool).await.expect("keys"));
    assert_eq!(listed, newest_first);

    let now = Utc::now();
    let retire = |kid: String| {
        let (store, pool) = (app.store.clone(), pool.clone());
        async move {
            store
                .retire_signing_key(&pool, &kid, now)
                .await
                .expect("store")
        }
    };
    assert!(
        !retire(third.kid.clone()).await,
        "the newest key never retires"
    );
    assert!(!retire("unknown".to_owned()).await);
    assert!(retire(first.kid.clone()).await);
    assert!(!retire(first.kid.clone()).await, "a key retires once");
    let keys = app.store.signing_keys(&pool).await.expect("keys");
    let retired: Vec<bool> = keys.iter().map(|key| key.retired_at.is_some()).collect();
    assert_eq!(retired, [false, false, true]);
    assert_eq!(kids(keys), newest_first);
}

#[tokio::test]
async fn qr_change_notices_reach_every_replica_sharing_the_database() {
    let app = spawn_app().await;
    let mut here = app.store.qr_changes();
    app.store
        .announce_qr_change("scene-one")
        .await
        .expect("announce");
    let heard = tokio::time::timeout(std::time::Duration::from_secs(10), here.recv()).await;
    assert_eq!(
        heard.expect("in time").expect("a notice").as_ref(),
        "scene-one"
    );

    // Another replica on the same database: PostgreSQL carries notices between them (LISTEN/NOTIFY); SQLite serves
    // one node, so there the check is that nothing breaks.
    if app.database_url.starts_with("postgres") {
        let other = denglu_server::connect(&app.database_url, 2, std::time::Duration::from_secs(2))
            .await
            .expect("second replica");
        let mut there = other.qr_changes();
        app.store
            .announce_qr_change("scene-two")
            .await
            .expect("announce");
        let heard = tokio::time::timeout(std::time::Duration::from_secs(10), there.recv()).await;
        assert_eq!(
            heard.expect("in time").expect("a notice").as_ref(),
            "scene-two"
        );
    }
}

#[tokio::test]
async fn blocking_logging_out_and_deleting_a_user_are_announced_to_every_replica() {
    let app = spawn_app().await;
    let pool = app.pool.pool.id.clone();
    let someone = user(&pool, "Rita", "rita@example.com");
    app.store.insert_user(&someone).await.expect("insert");
    let mut here = app.store.revocations();
    // Another replica on the same database hears them through PostgreSQL; SQLite serves one node.
    let other = if app.database_url.starts_with("postgres") {
        let other = denglu_server::connect(&app.database_url, 2, std::time::Duration::from_secs(2))
            .await
            .expect("second replica");
        Some(other)
    } else {
        None
    };
    let mut there = other.as_ref().map(|other| other.revocations());
    let now = app.clock.now();
    app.store
        .set_blocked(&pool, &someone.id, true, now)
        .await
        .expect("block");
    app.store
        .revoke_tokens(&pool, &someone.id, now)
        .await
        .expect("log out everywhere");
    assert!(
        app.store
            .admin()
            .delete_user(&pool, &someone.id)
            .await
            .expect("delete")
    );
    assert!(
        !app.store
            .admin()
            .delete_user(&pool, &someone.id)
            .await
            .expect("delete again"),
        "nothing deleted, nothing announced"
    );
    let expected = Revocation::User(pool.clone(), someone.id.clone());
    // This replica hears its own notices before the changes return (and on PostgreSQL once more, as they come back).
    for change in ["block", "logout", "deletion"] {
        assert_eq!(
            here.try_recv().expect("heard already"),
            expected,
            "{change}"
        );
    }
    if let Some(there) = &mut there {
        for change in ["block", "logout", "deletion"] {
            let heard =
                tokio::time::timeout(std::time::Duration::from_secs(10), there.recv()).await;
            assert_eq!(
                heard.expect("in time").expect("a notice"),
                expected,
                "{change}"
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert!(there.try_recv().is_err(), "one notice per change");
    }
}

#[tokio::test]
async fn a_lost_notice_connection_is_reconnected_and_every_watcher_told_to_recheck() {
    let app = spawn_app().await;
    let Some(mut admin) = PostgresAdmin::of(&app).await else {
        return;
    };
    let mut here = app.store.qr_changes();
    let mut revocations = app.store.revocations();
    assert_eq!(admin.terminate("LISTEN").await, 1, "one notice connection");
    // Bounded waits only so that a regression fails instead of hanging.
    let wait = std::time::Duration::from_secs(30);
    let recheck = tokio::time::timeout(wait, here.recv()).await;
    assert_eq!(
        recheck.expect("told").expect("a notice").as_ref(),
        denglu_store::EVERY_QR_SCENE,
        "every watcher is told to re-read its session"
    );
    let forget = tokio::time::timeout(wait, revocations.recv()).await;
    assert_eq!(
        forget.expect("told").expect("a notice"),
        Revocation::Everyone,
        "every remembered standing is forgotten"
    );
    app.store
        .announce_qr_change("scene-after")
        .await
        .expect("announce");
    let heard = tokio::time::timeout(wait, here.recv()).await;
    assert_eq!(
        heard.expect("in time").expect("a notice").as_ref(),
        "scene-after",
        "notices flow again"
    );
}

/// Short-lived records made through the services: QR sessions (their scenes) and app-login tickets (their hashes).
async fn start_qr_sessions(app: &crate::helpers::TestApp, randoms: &[&str]) -> Vec<String> {
    let mut scenes = Vec::new();
    for random in randoms {
        let started = app
            .services
            .qr()
            .start(
                &app.pool.pool.id,
                random,
                denglu_domain::QrOptions::default(),
                denglu_domain::Requester {
                    ip: Some("203.0.113.7".to_owned()),
                    user_agent: Some("Mozilla/5.0".to_owned()),
                },
            )
            .await
            .expect("QR session");
        scenes.push(started.session.scene);
    }
    scenes
}

async fn mint_tickets(
    app: &crate::helpers::TestApp,
    count: usize,
) -> Vec<denglu_domain::SecretHash> {
    let mut hashes = Vec::new();
    for _ in 0..count {
        let user = app
            .wechat
            .create_user(denglu_wechat_sim::NewUser {
                nickname: "Purge".to_owned(),
                avatar_url: String::new(),
                phone: None,
            })
            .expect("WeChat user");
        let code = app
            .wechat
            .login(crate::helpers::MINI_PROGRAM.0, user)
            .expect("wx.login");
        let minted = app
            .services
            .app_login()
            .mint_ticket(
                &app.pool.pool.id,
                denglu_service::MintTicket {
                    code,
                    phone: None,
                    nickname: None,
                    avatar: None,
                    code_challenge: None,
                    appid: None,
                },
            )
            .await
            .expect("ticket");
        hashes.push(denglu_crypto::hash_secret(&minted.ticket));
    }
    hashes
}

/// Which of `scenes` and `tickets` are still stored.
async fn kept(
    app: &crate::helpers::TestApp,
    scenes: &[String],
    tickets: &[denglu_domain::SecretHash],
) -> (Vec<bool>, Vec<bool>) {
    let mut kept_scenes = Vec::new();
    for scene in scenes {
        kept_scenes.push(app.store.qr_session(scene).await.expect("read").is_some());
    }
    let mut kept_tickets = Vec::new();
    for hash in tickets {
        kept_tickets.push(app.store.app_ticket(hash).await.expect("read").is_some());
    }
    (kept_scenes, kept_tickets)
}

fn purged(qr_sessions: u64, app_tickets: u64) -> PurgeCount {
    PurgeCount {
        qr_sessions,
        app_tickets,
        ..PurgeCount::default()
    }
}

#[tokio::test]
async fn expired_sessions_and_tickets_are_purged_in_batches_and_unexpired_ones_stay() {
    let app = spawn_app().await;
    let mut scenes = start_qr_sessions(
        &app,
        &[
            "purgeRandomA0123456789",
            "purgeRandomB0123456789",
            "purgeRandomC0123456789",
        ],
    )
    .await;
    let mut tickets = mint_tickets(&app, 2).await;
    app.clock.advance(TimeDelta::hours(1));
    scenes.extend(start_qr_sessions(&app, &["purgeRandomD0123456789"]).await);
    tickets.extend(mint_tickets(&app, 1).await);
    let now = app.clock.now();

    let first = app.store.purge_expired(now, 2).await.expect("purge");
    assert_eq!(first, purged(2, 2), "at most a batch of each");
    let second = app.store.purge_expired(now, 2).await.expect("purge");
    assert_eq!(second, purged(1, 0), "the rest");
    let third = app.store.purge_expired(now, 2).await.expect("purge");
    assert_eq!(third, PurgeCount::default(), "nothing left that expired");
    assert_eq!(
        kept(&app, &scenes, &tickets).await,
        (vec![false, false, false, true], vec![false, false, true]),
        "only the unexpired ones stay"
    );
}

#[tokio::test]
async fn the_services_keep_expired_records_for_the_grace_period_then_purge_them_all() {
    let app = spawn_app().await;
    let grace = std::time::Duration::from_secs(86_400);
    let mut scenes = start_qr_sessions(
        &app,
        &[
            "graceRandomA0123456789",
            "graceRandomB0123456789",
            "graceRandomC0123456789",
        ],
    )
    .await;
    let mut tickets = mint_tickets(&app, 2).await;
    app.clock.advance(TimeDelta::hours(12));
    scenes.extend(start_qr_sessions(&app, &["graceRandomD0123456789"]).await);
    tickets.extend(mint_tickets(&app, 1).await);

    let within_grace = app.services.purge_expired(grace, 2).await.expect("purge");
    assert_eq!(
        within_grace,
        PurgeCount::default(),
        "all within the grace period"
    );

    app.clock.advance(TimeDelta::hours(13));
    let past_grace = app.services.purge_expired(grace, 2).await.expect("purge");
    assert_eq!(
        past_grace,
        purged(3, 2),
        "batches until one comes back short"
    );
    assert_eq!(
        kept(&app, &scenes, &tickets).await,
        (vec![false, false, false, true], vec![false, false, true]),
        "the later ones are still within the grace period"
    );
    let again = app.services.purge_expired(grace, 2).await.expect("purge");
    assert_eq!(again, PurgeCount::default());

    let at_once = app
        .services
        .purge_expired(std::time::Duration::ZERO, 2)
        .await
        .expect("purge");
    assert_eq!(
        at_once,
        purged(1, 1),
        "a zero grace purges whatever expired"
    );
}

#[tokio::test]
async fn concurrent_purges_from_two_replicas_delete_each_record_once() {
    let app = spawn_app().await;
    let randoms: Vec<String> = (0..7)
        .map(|i| format!("replicaRandom{i:02}0123456789"))
        .collect();
    let randoms: Vec<&str> = randoms.iter().map(String::as_str).collect();
    let scenes = start_qr_sessions(&app, &randoms).await;
    let tickets = mint_tickets(&app, 5).await;
    app.clock.advance(TimeDelta::hours(1));
    let now = app.clock.now();
    // A second replica on the same database (on SQLite, a second pool on the same file).
    let other = denglu_server::connect(&app.database_url, 2, std::time::Duration::from_secs(5))
        .await
        .expect("second replica");

    let mut total = PurgeCount::default();
    loop {
        let (here, there) =
            tokio::join!(app.store.purge_expired(now, 2), other.purge_expired(now, 2));
        let (here, there) = (here.expect("purge here"), there.expect("purge there"));
        if here == PurgeCount::default() && there == PurgeCount::default() {
            break;
        }
        for count in [here, there] {
            assert!(
                count.qr_sessions <= 2 && count.app_tickets <= 2,
                "{count:?}"
            );
            total.qr_sessions += count.qr_sessions;
            total.app_tickets += count.app_tickets;
        }
    }
    assert_eq!(total, purged(7, 5), "each record deleted exactly once");
    assert_eq!(
        kept(&app, &scenes, &tickets).await,
        (vec![false; 7], vec![false; 5])
    );
}

#[tokio::test]
async fn concurrent_attempts_on_one_rate_limit_from_two_replicas_are_allowed_exactly_up_to_the_limit()
 {
    let app = spawn_app().await;
    let other = denglu_server::connect(&app.database_url, 4, std::time::Duration::from_secs(5))
        .await
        .expect("second replica");
    let key = denglu_crypto::hash_secret("a shared limit");
    let (now, window) = (app.clock.now(), TimeDelta::minutes(1));

    let attempts: Vec<_> = (0..40)
        .map(|i| {
            let store = std::sync::Arc::clone(if i % 2 == 0 { &app.store } else { &other });
            let key = key.clone();
            tokio::spawn(async move { store.count_attempt(&key, 10, now, window).await })
        })
        .collect();
    let mut allowed = 0;
    for attempt in attempts {
        let answer = attempt.await.expect("the attempt ran");
        allowed += usize::from(answer.expect("the store answers"));
    }

    assert_eq!(allowed, 10, "exactly the limit, whichever replica counted");
    let at_the_end = now + window - TimeDelta::microseconds(1);
    let still = app.store.count_attempt(&key, 10, at_the_end, window).await;
    assert!(!still.expect("answers"), "the window lasts a minute");
    let next = other.count_attempt(&key, 10, now + window, window).await;
    assert!(next.expect("answers"), "then a new window opens");
    let another = denglu_crypto::hash_secret("another limit");
    let apart = app.store.count_attempt(&another, 10, now, window).await;
    assert!(apart.expect("answers"), "keys are counted apart");
}

#[tokio::test]
async fn ended_rate_limit_windows_are_purged() {
    let app = spawn_app().await;
    let window = TimeDelta::minutes(1);
    for name in ["window a", "window b", "window c"] {
        let key = denglu_crypto::hash_secret(name);
        let counted = app.store.count_attempt(&key, 10, app.clock.now(), window);
        assert!(counted.await.expect("counted"));
    }
    app.clock.advance(TimeDelta::seconds(90));
    let open = denglu_crypto::hash_secret("window d");
    let counted = app.store.count_attempt(&open, 1, app.clock.now(), window);
    assert!(counted.await.expect("counted"));
    let now = app.clock.now();

    let first = app.store.purge_expired(now, 2).await.expect("purge");
    let second = app.store.purge_expired(now, 2).await.expect("purge");
    let third = app.store.purge_expired(now, 2).await.expect("purge");

    let windows = [first, second, third].map(|count| count.rate_limit_windows);
    assert_eq!(windows, [2, 1, 0], "in batches, the open window stays");
    let again = app.store.count_attempt(&open, 1, now, window).await;
    assert!(
        !again.expect("answers"),
        "the open window still counts its attempt"
    );
}
