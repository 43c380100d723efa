//! The store's own promises, on whichever backend the run uses: uniqueness per pool, atomic writes, not-found.

use chrono::Utc;
use denglu_domain::{Email, NewPasswordUser, PasswordHash, PoolId, User, UserId, Username};
use denglu_store::{Constraint, StoreError};

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
async fn a_lost_notice_connection_is_reconnected_and_every_watcher_told_to_recheck() {
    let app = spawn_app().await;
    let Some(mut admin) = PostgresAdmin::of(&app).await else {
        return;
    };
    let mut here = app.store.qr_changes();
    assert_eq!(admin.terminate("LISTEN").await, 1, "one notice connection");
    // Bounded waits only so that a regression fails instead of hanging.
    let wait = std::time::Duration::from_secs(30);
    let recheck = tokio::time::timeout(wait, here.recv()).await;
    assert_eq!(
        recheck.expect("told").expect("a notice").as_ref(),
        denglu_store::EVERY_QR_SCENE,
        "every watcher is told to re-read its session"
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
