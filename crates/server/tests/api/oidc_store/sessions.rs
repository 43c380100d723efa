//! IdP sessions and their end, grant revocation, consents.

use chrono::TimeDelta;
use denglu_domain::{OidcGrant, Scope};

use super::{Fixture, fixture, hash, other_pool};

#[tokio::test]
async fn a_session_is_found_by_its_cookie_until_it_expires() {
    let f = fixture().await;
    let oidc = f.app.store.oidc();
    let session = f.session("sid-a", 1);
    oidc.insert_idp_session(&session).await.expect("insert");

    let found = oidc.idp_session(&f.pool, &hash(1), f.now).await;
    assert_eq!(found.expect("read"), Some(session.clone()));
    let other = other_pool(&f.app).await;
    let elsewhere = oidc.idp_session(&other, &hash(1), f.now).await;
    assert_eq!(elsewhere.expect("read"), None, "another pool");
    let at_expiry = oidc
        .idp_session(&f.pool, &hash(1), session.expires_at)
        .await;
    assert_eq!(at_expiry.expect("read"), None, "expired");
}

/// Whether each grant is revoked now.
async fn revoked(f: &Fixture, ids: &[&str]) -> Vec<bool> {
    let mut revoked = Vec::new();
    for id in ids {
        let grant = f.app.store.oidc().grant(&f.pool, id).await.expect("read");
        revoked.push(grant.expect("grant").revoked_at.is_some());
    }
    revoked
}

#[tokio::test]
async fn ending_a_session_revokes_only_its_live_grants_and_returns_them() {
    let f = fixture().await;
    let oidc = f.app.store.oidc();
    oidc.insert_idp_session(&f.session("sid-a", 1))
        .await
        .expect("a");
    oidc.insert_idp_session(&f.session("sid-b", 2))
        .await
        .expect("b");
    let from_code = f.grant("grant-a1", Some("sid-a"));
    oidc.insert_code(&f.code(1, &from_code), &from_code)
        .await
        .expect("code");
    let earlier = f.now - TimeDelta::minutes(5);
    let already_revoked = OidcGrant {
        revoked_at: Some(earlier),
        ..f.grant("grant-a0", Some("sid-a"))
    };
    for grant in [
        f.grant("grant-a2", Some("sid-a")),
        already_revoked,
        f.grant("grant-b1", Some("sid-b")),
        f.grant("grant-none", None),
    ] {
        oidc.insert_grant(&grant).await.expect("grant");
    }

    let at = f.now + TimeDelta::minutes(1);
    let ended = oidc.end_idp_session(&f.pool, "sid-a", at).await;
    let ids: Vec<_> = ended
        .expect("end")
        .into_iter()
        .map(|g| (g.id, g.revoked_at))
        .collect();
    assert_eq!(
        ids,
        vec![
            ("grant-a1".to_owned(), Some(at)),
            ("grant-a2".to_owned(), Some(at))
        ]
    );
    let found = oidc.idp_session(&f.pool, &hash(1), f.now).await;
    assert_eq!(found.expect("read"), None, "the session is gone");
    let kept = oidc.grant(&f.pool, "grant-a0").await.expect("read");
    assert_eq!(kept.expect("grant").revoked_at, Some(earlier));
    assert_eq!(
        revoked(&f, &["grant-b1", "grant-none"]).await,
        [false, false]
    );
    let other = oidc.idp_session(&f.pool, &hash(2), f.now).await;
    assert!(other.expect("read").is_some(), "the other session stays");

    let again = oidc.end_idp_session(&f.pool, "sid-a", at).await;
    assert_eq!(again.expect("end"), Vec::new(), "no such session any more");
}

#[tokio::test]
async fn a_grant_is_revoked_once() {
    let f = fixture().await;
    let oidc = f.app.store.oidc();
    oidc.insert_grant(&f.grant("grant-x", None))
        .await
        .expect("grant");
    let other = other_pool(&f.app).await;
    assert!(
        !oidc
            .revoke_grant(&other, "grant-x", f.now)
            .await
            .expect("revoke")
    );
    assert!(
        oidc.revoke_grant(&f.pool, "grant-x", f.now)
            .await
            .expect("revoke")
    );
    let later = f.now + TimeDelta::seconds(5);
    assert!(
        !oidc
            .revoke_grant(&f.pool, "grant-x", later)
            .await
            .expect("revoke")
    );
    let grant = oidc.grant(&f.pool, "grant-x").await.expect("read");
    assert_eq!(grant.expect("grant").revoked_at, Some(f.now));
    assert_eq!(oidc.grant(&f.pool, "grant-y").await.expect("read"), None);
}

#[tokio::test]
async fn a_consent_is_remembered_and_replaced() {
    let f = fixture().await;
    let oidc = f.app.store.oidc();
    let consent = || oidc.consent(&f.pool, &f.user, &f.client);
    assert_eq!(consent().await.expect("read"), None);
    let both = [Scope::Openid, Scope::Profile];
    oidc.save_consent(&f.pool, &f.user, &f.client, &both, f.now)
        .await
        .expect("save");
    assert_eq!(consent().await.expect("read"), Some(both.to_vec()));
    oidc.save_consent(&f.pool, &f.user, &f.client, &[Scope::Openid], f.now)
        .await
        .expect("replace");
    assert_eq!(consent().await.expect("read"), Some(vec![Scope::Openid]));
}
