//! HTTP integration tests: a real server on a port-0 listener, on SQLite by default or on PostgreSQL when
//! `TEST_DATABASE_URL` is set; every test gets its own database.

mod accounts;
mod admin;
mod app_login;
mod avatars;
mod bad_input;
mod bad_input_corpus;
mod compat_faults;
mod console;
mod database_faults;
mod graphql;
mod graphql_register;
mod health;
mod helpers;
mod key_rotation;
mod metrics;
mod oidc;
mod oidc_store;
mod openapi;
mod pool_admin;
mod qr;
mod rate_limits;
mod store;
mod tokens;
mod wechat_tokens;
mod wxapp;
