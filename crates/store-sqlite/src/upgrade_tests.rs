//! Migrations that move data, run over a database written by the schema before them.

use std::borrow::Cow;

use denglu_domain::{AppKind, AppRoles, PoolId, ScannerChoice};
use denglu_store::Store;
use sqlx::{migrate::Migrator, sqlite::SqlitePoolOptions};

use crate::MIGRATOR;

/// A database at the schema of the first `count` migrations.
async fn database_before(path: &std::path::Path, count: usize) -> sqlx::SqlitePool {
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let pool = SqlitePoolOptions::new()
        .connect(&url)
        .await
        .expect("database");
    let mut earlier = Migrator::new(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations"
    )))
    .await
    .expect("migrations");
    earlier.migrations = Cow::Owned(earlier.migrations[..count].to_vec());
    earlier.run(&pool).await.expect("earlier schema");
    pool
}

#[tokio::test]
async fn a_pools_own_mini_program_becomes_its_first_wechat_app_and_keeps_opening_its_codes() {
    let folder = tempfile::tempdir().expect("folder");
    let path = folder.path().join("denglu.db");
    let before = database_before(&path, 13).await;
    let (own, plain) = ("0000000000000000000000a1", "0000000000000000000000a2");
    for pool in [own, plain] {
        sqlx::query(
            "INSERT INTO pools (id, name, secret_hash, jwt_algorithm, token_lifetime_seconds, registration_policy, \
             created_at, updated_at) VALUES ($1, 'p', x'00', 'ES256', 3600, 'open', $2, $2)",
        )
        .bind(pool)
        .bind("2026-11-01T00:00:00Z")
        .execute(&before)
        .await
        .expect("pool");
    }
    sqlx::query(
        "INSERT INTO qr_settings (pool_id, mode, lifetime_seconds, callback_url, own_appid, own_secret_sealed, \
         own_link_prefix, own_confirm_page, updated_at) \
         VALUES ($1, 'url', 120, NULL, 'wx00000000000f0001', x'0102', 'https://example.com/s/', NULL, $3), \
                ($2, 'wxacode', 60, NULL, NULL, NULL, NULL, NULL, $3)",
    )
    .bind(own)
    .bind(plain)
    .bind("2026-11-02T00:00:00Z")
    .execute(&before)
    .await
    .expect("qr settings");
    before.close().await;

    let store = crate::connect(
        &format!("sqlite://{}", path.display()),
        2,
        std::time::Duration::from_secs(5),
    )
    .await
    .expect("migrated to the latest schema");
    let own = PoolId::parse(own).expect("id");
    let apps = store.wechat_apps().wechat_apps(&own).await.expect("apps");
    assert_eq!(apps.len(), 1);
    let app = &apps[0];
    assert_eq!(
        (app.appid.as_str(), app.kind, app.roles),
        ("wx00000000000f0001", AppKind::MiniProgram, AppRoles::EVERY)
    );
    assert_eq!(
        app.secret.as_ref().map(|s| s.as_bytes().to_vec()),
        Some(vec![1, 2]),
        "the sealed secret moves as it is: its context names only the pool"
    );
    assert_eq!(app.link_prefix.as_deref(), Some("https://example.com/s/"));
    let settings = store.qr_settings(&own).await.expect("read").expect("kept");
    assert_eq!(settings.scanner, ScannerChoice::Pool);

    let plain = PoolId::parse(plain).expect("id");
    assert!(
        store
            .wechat_apps()
            .wechat_apps(&plain)
            .await
            .expect("apps")
            .is_empty()
    );
    let settings = store
        .qr_settings(&plain)
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(
        (settings.scanner, settings.lifetime.seconds()),
        (ScannerChoice::Deployment, 60)
    );
    assert!(MIGRATOR.migrations.len() > 13);
}
