//! The Store trait implemented once, in SQL that SQLite and PostgreSQL both accept (`$1`-style parameters,
//! `RETURNING`). A backend only connects, binds parameters and runs statements: see [`SqlBackend`].

mod admin;
mod app_login;
mod avatars;
mod backend;
mod oidc;
mod oidc_clients;
mod operators;
mod pool_watch;
mod pools;
mod purge;
mod qr;
mod rate_limits;
mod results;
mod revocations;
mod rows;
mod statement;
mod store;
mod users;
mod wechat;
mod wechat_apps;

pub use admin::rows::{AdminTokenRow, AuditEventRow, WechatIdentityRow};
pub use backend::{RowSource, SqlBackend};
pub use oidc::rows::{
    OidcCodeRow, OidcConsentRow, OidcDeviceCodeRow, OidcGrantRow, OidcSessionRow, OidcTokenGrantRow,
};
pub use oidc_clients::rows::OidcClientRow;
pub use operators::rows::{CountRow, OperatorRow, OperatorSessionRow};
pub use pool_watch::PoolWatch;
pub use rows::{
    AppLoginSettingsRow, AppTicketRow, LogoRow, MetadataRow, PoolRow, QrSessionRow, QrSettingsRow,
    ServerKeyRow, SigningKeyRow, UserRow, WechatAccessTokenRow,
};
pub use statement::{Param, Statement};
pub use store::SqlStore;
pub use wechat_apps::rows::WechatAppRow;

/// What [`row_source!`] needs from this crate's dependencies, whatever the caller's.
#[doc(hidden)]
pub mod __private {
    pub use async_trait::async_trait;
    pub use denglu_store::StoreResult;
}

#[cfg(test)]
mod tests {
    use std::{collections::BTreeSet, fs, path::Path};

    fn migration_names(backend: &str) -> BTreeSet<String> {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(backend)
            .join("migrations");
        fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{} is readable: {e}", folder.display()))
            .map(|entry| {
                entry
                    .expect("directory entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }

    #[test]
    fn both_backends_have_the_same_numbered_migrations() {
        let sqlite = migration_names("store-sqlite");
        assert!(!sqlite.is_empty());
        assert!(
            sqlite
                .iter()
                .all(|name| name.len() > 5 && name[..4].bytes().all(|b| b.is_ascii_digit()))
        );
        assert_eq!(sqlite, migration_names("store-postgres"));
    }
}
