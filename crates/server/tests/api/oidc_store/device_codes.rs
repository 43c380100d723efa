//! The device flow's pending authorizations: found by device code hash or user code in their pool only, a user code
//! taken once, purge, and what deleting a pool or an application takes with it.

use chrono::TimeDelta;
use denglu_domain::{ClientId, DeviceCode, PoolId, Scope};
use denglu_store::{PurgeCount, StoreError};

use super::{Fixture, client_id, fixture, hash, other_pool, user_and_client};

impl Fixture {
    /// A pending authorization of `client` in `pool` with user code `user_code`, whose device code hashes to
    /// `hash(n)`, for ten minutes.
    fn device_code_in(
        &self,
        pool: &PoolId,
        client: &ClientId,
        user_code: &str,
        n: u8,
    ) -> DeviceCode {
        DeviceCode {
            user_code: user_code.to_owned(),
            device_code_hash: hash(n),
            pool_id: pool.clone(),
            client_id: client.clone(),
            scene: format!("scene-{n}"),
            scopes: vec![Scope::Openid, Scope::Profile],
            created_at: self.now,
            expires_at: self.now + TimeDelta::minutes(10),
        }
    }

    /// [`Fixture::device_code_in`] the fixture's pool and application.
    fn device_code(&self, user_code: &str, n: u8) -> DeviceCode {
        self.device_code_in(&self.pool, &self.client, user_code, n)
    }
}

#[tokio::test]
async fn a_device_code_is_found_by_its_hash_and_by_its_user_code_in_its_pool_only() {
    let f = fixture().await;
    let oidc = f.app.store.oidc();
    let code = f.device_code("BCDF-GHJK", 1);
    oidc.insert_device_code(&code).await.expect("insert");

    let by_hash = oidc.device_code(&f.pool, &hash(1)).await;
    assert_eq!(by_hash.expect("read"), Some(code.clone()));
    let by_user_code = oidc.device_code_by_user_code(&f.pool, "BCDF-GHJK").await;
    assert_eq!(by_user_code.expect("read"), Some(code));
    let unknown = oidc.device_code(&f.pool, &hash(2)).await;
    assert_eq!(unknown.expect("read"), None, "another hash");
    let unknown = oidc.device_code_by_user_code(&f.pool, "BCDF-GHJL").await;
    assert_eq!(unknown.expect("read"), None, "another user code");

    let other = other_pool(&f.app).await;
    let elsewhere = oidc.device_code(&other, &hash(1)).await;
    assert_eq!(elsewhere.expect("read"), None, "another pool, by hash");
    let elsewhere = oidc.device_code_by_user_code(&other, "BCDF-GHJK").await;
    assert_eq!(elsewhere.expect("read"), None, "another pool, by user code");
}

#[tokio::test]
async fn a_taken_user_code_is_a_conflict_and_the_first_stays() {
    let f = fixture().await;
    let oidc = f.app.store.oidc();
    let first = f.device_code("BCDF-GHJK", 1);
    oidc.insert_device_code(&first).await.expect("first");

    let second = oidc
        .insert_device_code(&f.device_code("BCDF-GHJK", 2))
        .await;
    assert!(
        matches!(second, Err(StoreError::Conflict { .. })),
        "{second:?}"
    );
    let found = oidc.device_code_by_user_code(&f.pool, "BCDF-GHJK").await;
    assert_eq!(found.expect("read"), Some(first));
    let second = oidc.device_code(&f.pool, &hash(2)).await;
    assert_eq!(second.expect("read"), None, "nothing was written");
}

#[tokio::test]
async fn purge_takes_expired_device_codes_and_keeps_live_ones() {
    let f = fixture().await;
    let oidc = f.app.store.oidc();
    let expired = DeviceCode {
        expires_at: f.now - TimeDelta::seconds(1),
        ..f.device_code("BCDF-GHJK", 1)
    };
    oidc.insert_device_code(&expired).await.expect("expired");
    let live = f.device_code("LMNP-QRST", 2);
    oidc.insert_device_code(&live).await.expect("live");

    let purged = f.app.store.purge_expired(f.now, 100).await.expect("purge");
    let expected = PurgeCount {
        oidc_device_codes: 1,
        ..PurgeCount::default()
    };
    assert_eq!(purged, expected);
    let again = f.app.store.purge_expired(f.now, 100).await.expect("purge");
    assert_eq!(again, PurgeCount::default());

    let gone = oidc.device_code(&f.pool, &hash(1)).await;
    assert_eq!(gone.expect("read"), None);
    let kept = oidc.device_code(&f.pool, &hash(2)).await;
    assert_eq!(kept.expect("read"), Some(live));
}

#[tokio::test]
async fn deleting_a_pool_or_an_application_takes_its_device_codes() {
    let f = fixture().await;
    let oidc = f.app.store.oidc();
    let doomed_pool = other_pool(&f.app).await;
    let (_, doomed_pool_client) = user_and_client(&f.app, &doomed_pool, "pool", f.now).await;
    let (_, doomed_client) = user_and_client(&f.app, &f.pool, "app", f.now).await;
    let codes = [
        f.device_code_in(&doomed_pool, &doomed_pool_client, "BCDF-GHJK", 1),
        f.device_code_in(&f.pool, &doomed_client, "LMNP-QRST", 2),
        f.device_code("VWXZ-BCDF", 3),
    ];
    for code in &codes {
        oidc.insert_device_code(code).await.expect("insert");
    }

    let admin = f.app.store.admin();
    assert!(admin.delete_pool(&doomed_pool).await.expect("delete pool"));
    let clients = f.app.store.oidc_clients();
    let deleted = clients.delete_oidc_client(&f.pool, &client_id("app")).await;
    assert!(deleted.expect("delete app"));

    let mut left = Vec::new();
    for code in &codes {
        let found = oidc
            .device_code_by_user_code(&code.pool_id, &code.user_code)
            .await;
        left.push(found.expect("read").is_some());
    }
    assert_eq!(left, [false, false, true]);
}
