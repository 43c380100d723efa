//! Authorization codes and refresh tokens are used once: the second use finds the grant to revoke, and of two
//! concurrent uses exactly one wins.

use denglu_domain::{AuthorizationCode, CodeUse, RefreshUse};

use super::{fixture, hash, other_pool};

#[tokio::test]
async fn a_code_is_used_once_then_replayed_and_unknown_in_another_pool() {
    let f = fixture().await;
    let oidc = f.app.store.oidc();
    let grant = f.grant("grant-code", Some("sid-a"));
    let code = f.code(1, &grant);
    oidc.insert_code(&code, &grant).await.expect("insert");

    let other_pool = other_pool(&f.app).await;
    assert_eq!(
        oidc.use_code(&other_pool, &hash(1), f.now)
            .await
            .expect("use"),
        CodeUse::Unknown,
        "another pool's code"
    );

    let first = oidc.use_code(&f.pool, &hash(1), f.now).await.expect("use");
    let used = AuthorizationCode {
        used_at: Some(f.now),
        ..code
    };
    assert_eq!(first, CodeUse::First(used, grant.clone()));
    let again = oidc.use_code(&f.pool, &hash(1), f.now).await.expect("use");
    assert_eq!(again, CodeUse::Replayed(grant));
    assert_eq!(
        oidc.use_code(&f.pool, &hash(2), f.now).await.expect("use"),
        CodeUse::Unknown
    );
}

#[tokio::test]
async fn of_two_concurrent_uses_of_a_code_exactly_one_is_first() {
    let f = fixture().await;
    let oidc = f.app.store.oidc();
    for n in 1..=5u8 {
        let grant = f.grant(&format!("grant-{n}"), None);
        oidc.insert_code(&f.code(n, &grant), &grant)
            .await
            .expect("insert");
        let code_hash = hash(n);
        let (one, two) = tokio::join!(
            oidc.use_code(&f.pool, &code_hash, f.now),
            oidc.use_code(&f.pool, &code_hash, f.now)
        );
        let uses = [one.expect("use"), two.expect("use")];
        let firsts = uses
            .iter()
            .filter(|u| matches!(u, CodeUse::First(..)))
            .count();
        let replays = uses
            .iter()
            .filter(|u| matches!(u, CodeUse::Replayed(g) if *g == grant))
            .count();
        assert_eq!((firsts, replays), (1, 1), "{uses:?}");
    }
}

#[tokio::test]
async fn a_refresh_token_rotates_once_and_its_reuse_finds_the_grant() {
    let f = fixture().await;
    let oidc = f.app.store.oidc();
    let grant = f.grant("grant-refresh", None);
    oidc.insert_grant(&grant).await.expect("grant");
    oidc.insert_refresh_token(&f.token(1, &grant))
        .await
        .expect("token");
    assert_eq!(
        oidc.refresh_token_grant(&f.pool, &hash(1))
            .await
            .expect("read"),
        Some((grant.clone(), false))
    );

    let rotated = oidc
        .rotate_refresh_token(&f.pool, &hash(1), &hash(2), f.now)
        .await;
    assert_eq!(rotated.expect("rotate"), RefreshUse::Rotated(grant.clone()));
    assert_eq!(
        oidc.refresh_token_grant(&f.pool, &hash(1))
            .await
            .expect("read"),
        Some((grant.clone(), true)),
        "the old token is used"
    );
    assert_eq!(
        oidc.refresh_token_grant(&f.pool, &hash(2))
            .await
            .expect("read"),
        Some((grant.clone(), false)),
        "its successor belongs to the same grant"
    );

    let reused = oidc
        .rotate_refresh_token(&f.pool, &hash(1), &hash(3), f.now)
        .await;
    assert_eq!(reused.expect("rotate"), RefreshUse::Reused(grant.clone()));
    assert_eq!(
        oidc.refresh_token_grant(&f.pool, &hash(3))
            .await
            .expect("read"),
        None,
        "a reuse stores no successor"
    );
    let next = oidc
        .rotate_refresh_token(&f.pool, &hash(2), &hash(4), f.now)
        .await;
    assert_eq!(next.expect("rotate"), RefreshUse::Rotated(grant));

    let unknown = oidc
        .rotate_refresh_token(&f.pool, &hash(9), &hash(5), f.now)
        .await;
    assert_eq!(unknown.expect("rotate"), RefreshUse::Unknown);
    let other_pool = other_pool(&f.app).await;
    let elsewhere = oidc
        .rotate_refresh_token(&other_pool, &hash(4), &hash(6), f.now)
        .await;
    assert_eq!(elsewhere.expect("rotate"), RefreshUse::Unknown);
    assert_eq!(
        oidc.refresh_token_grant(&other_pool, &hash(4))
            .await
            .expect("read"),
        None
    );
}

#[tokio::test]
async fn of_two_concurrent_rotations_exactly_one_stores_a_successor() {
    let f = fixture().await;
    let oidc = f.app.store.oidc();
    let grant = f.grant("grant-race", None);
    oidc.insert_grant(&grant).await.expect("grant");
    for n in 0..5u8 {
        let (old, left, right) = (10 * n + 1, 10 * n + 2, 10 * n + 3);
        oidc.insert_refresh_token(&f.token(old, &grant))
            .await
            .expect("token");
        let (old_hash, left_hash, right_hash) = (hash(old), hash(left), hash(right));
        let (one, two) = tokio::join!(
            oidc.rotate_refresh_token(&f.pool, &old_hash, &left_hash, f.now),
            oidc.rotate_refresh_token(&f.pool, &old_hash, &right_hash, f.now)
        );
        let uses = [one.expect("rotate"), two.expect("rotate")];
        let rotated = uses
            .iter()
            .filter(|u| matches!(u, RefreshUse::Rotated(_)))
            .count();
        let reused = uses
            .iter()
            .filter(|u| matches!(u, RefreshUse::Reused(_)))
            .count();
        assert_eq!((rotated, reused), (1, 1), "{uses:?}");
        let mut stored = 0;
        for successor in [left, right] {
            let found = oidc.refresh_token_grant(&f.pool, &hash(successor)).await;
            stored += usize::from(found.expect("read").is_some());
        }
        assert_eq!(stored, 1, "one successor");
    }
}
