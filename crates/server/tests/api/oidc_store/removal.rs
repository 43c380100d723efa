//! What goes away: expired records at purge, and everything of a deleted pool, user or application.

use chrono::TimeDelta;
use denglu_domain::{
    AuthorizationCode, CodeUse, IdpSession, OidcGrant, PoolId, Scope, Sealed, ServerKey, UserId,
};
use denglu_store::PurgeCount;

use super::{Fixture, client_id, fixture, grant_in, hash, other_pool, user_and_client};

#[tokio::test]
async fn purge_takes_expired_sessions_codes_and_grants_and_keeps_live_ones() {
    let f = fixture().await;
    let oidc = f.app.store.oidc();
    let expired_session = IdpSession {
        expires_at: f.now - TimeDelta::seconds(1),
        ..f.session("sid-old", 1)
    };
    oidc.insert_idp_session(&expired_session)
        .await
        .expect("old");
    oidc.insert_idp_session(&f.session("sid-new", 2))
        .await
        .expect("new");
    let live = f.grant("grant-live", None);
    let old_code = AuthorizationCode {
        expires_at: f.now - TimeDelta::seconds(1),
        ..f.code(3, &live)
    };
    oidc.insert_code(&old_code, &live).await.expect("old code");
    oidc.insert_refresh_token(&f.token(4, &live))
        .await
        .expect("live token");
    let ended = OidcGrant {
        expires_at: f.now - TimeDelta::seconds(1),
        ..f.grant("grant-ended", None)
    };
    oidc.insert_code(&f.code(5, &ended), &ended)
        .await
        .expect("ended grant's code");
    oidc.insert_refresh_token(&f.token(6, &ended))
        .await
        .expect("ended token");

    let purged = f.app.store.purge_expired(f.now, 100).await.expect("purge");
    let expected = PurgeCount {
        oidc_sessions: 1,
        oidc_codes: 1,
        oidc_grants: 1,
        ..PurgeCount::default()
    };
    assert_eq!(purged, expected);
    let again = f.app.store.purge_expired(f.now, 100).await.expect("purge");
    assert_eq!(again, PurgeCount::default());

    assert!(
        oidc.idp_session(&f.pool, &hash(1), expired_session.auth_time)
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        oidc.idp_session(&f.pool, &hash(2), f.now)
            .await
            .expect("read")
            .is_some()
    );
    assert_eq!(
        oidc.use_code(&f.pool, &hash(3), f.now).await.expect("use"),
        CodeUse::Unknown
    );
    assert_eq!(
        oidc.use_code(&f.pool, &hash(5), f.now).await.expect("use"),
        CodeUse::Unknown
    );
    assert!(
        oidc.refresh_token_grant(&f.pool, &hash(4))
            .await
            .expect("read")
            .is_some()
    );
    assert_eq!(
        oidc.refresh_token_grant(&f.pool, &hash(6))
            .await
            .expect("read"),
        None
    );
    assert_eq!(
        oidc.grant(&f.pool, "grant-ended").await.expect("read"),
        None
    );
}

/// Stores a session, a grant with a code and a refresh token, and a consent of a new user and application (`tag`)
/// in `pool`, with hashes `n`, `n + 1`, `n + 2`; the user.
async fn fill(f: &Fixture, pool: &PoolId, tag: &str, n: u8) -> UserId {
    let oidc = f.app.store.oidc();
    let (user, client) = user_and_client(&f.app, pool, tag, f.now).await;
    let session = IdpSession {
        pool_id: pool.clone(),
        user_id: user.clone(),
        ..f.session(&format!("sid-{tag}"), n)
    };
    oidc.insert_idp_session(&session).await.expect("session");
    let grant = grant_in(
        pool,
        &client,
        &user,
        &format!("grant-{tag}"),
        Some(&session.sid),
        f.now,
    );
    oidc.insert_code(&f.code(n + 1, &grant), &grant)
        .await
        .expect("code");
    oidc.insert_refresh_token(&f.token(n + 2, &grant))
        .await
        .expect("token");
    oidc.save_consent(pool, &user, &client, &[Scope::Openid], f.now)
        .await
        .expect("consent");
    user
}

/// Which of [`fill`]'s records are left: session, grant, code, refresh token, consent.
async fn left(f: &Fixture, pool: &PoolId, tag: &str, n: u8, user: &UserId) -> [bool; 5] {
    let oidc = f.app.store.oidc();
    let client = client_id(tag);
    [
        oidc.idp_session(pool, &hash(n), f.now)
            .await
            .expect("read")
            .is_some(),
        oidc.grant(pool, &format!("grant-{tag}"))
            .await
            .expect("read")
            .is_some(),
        oidc.use_code(pool, &hash(n + 1), f.now).await.expect("use") != CodeUse::Unknown,
        oidc.refresh_token_grant(pool, &hash(n + 2))
            .await
            .expect("read")
            .is_some(),
        oidc.consent(pool, user, &client)
            .await
            .expect("read")
            .is_some(),
    ]
}

fn oidc_key(pool: &PoolId, f: &Fixture) -> ServerKey {
    ServerKey {
        name: format!("oidc:{pool}"),
        sealed: Sealed::from_bytes(vec![1, 2, 3]),
        public_pem: String::new(),
        created_at: f.now,
    }
}

#[tokio::test]
async fn deleting_a_pool_takes_its_oidc_records_and_its_oidc_key() {
    let f = fixture().await;
    let doomed = other_pool(&f.app).await;
    let doomed_user = fill(&f, &doomed, "doomed", 10).await;
    let kept_user = fill(&f, &f.pool, "kept", 20).await;
    for pool in [&doomed, &f.pool] {
        f.app
            .store
            .insert_server_key(&oidc_key(pool, &f))
            .await
            .expect("key");
    }

    assert!(
        f.app
            .store
            .admin()
            .delete_pool(&doomed)
            .await
            .expect("delete")
    );

    assert_eq!(
        left(&f, &doomed, "doomed", 10, &doomed_user).await,
        [false; 5]
    );
    let key = f.app.store.server_key(&format!("oidc:{doomed}")).await;
    assert!(key.expect("read").is_none(), "the pool's key is gone");
    assert_eq!(left(&f, &f.pool, "kept", 20, &kept_user).await, [true; 5]);
    let kept = f.app.store.server_key(&format!("oidc:{}", f.pool)).await;
    assert!(kept.expect("read").is_some(), "another pool's key stays");
}

#[tokio::test]
async fn deleting_a_user_or_an_application_takes_their_oidc_records() {
    let f = fixture().await;
    let gone_user = fill(&f, &f.pool, "user", 10).await;
    let app_user = fill(&f, &f.pool, "app", 20).await;
    let kept_user = fill(&f, &f.pool, "kept", 30).await;
    let admin = f.app.store.admin();
    assert!(
        admin
            .delete_user(&f.pool, &gone_user)
            .await
            .expect("delete user")
    );
    let clients = f.app.store.oidc_clients();
    let deleted = clients.delete_oidc_client(&f.pool, &client_id("app")).await;
    assert!(deleted.expect("delete app"));

    let user_left = left(&f, &f.pool, "user", 10, &gone_user).await;
    assert_eq!(user_left, [false; 5]);
    let app_left = left(&f, &f.pool, "app", 20, &app_user).await;
    assert_eq!(
        app_left,
        [true, false, false, false, false],
        "the user's session stays"
    );
    assert_eq!(left(&f, &f.pool, "kept", 30, &kept_user).await, [true; 5]);
}
