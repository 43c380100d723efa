//! The business rules tested on the services themselves, without HTTP: each test wires [`denglu_service::Services`]
//! over a fresh SQLite file, a manual clock (expiry is tested by moving it, never by sleeping), cheap Argon2
//! parameters and the WeChat simulator on a free port, then calls a flow and checks what it answered (the error's
//! documented code) and what it left in the store.
//!
//! SQLite only: the HTTP suite (`crates/server/tests/api`) runs the same rules on PostgreSQL too, when
//! `TEST_DATABASE_URL` names one.
//!
//! One file per flow: `accounts` (password accounts, blocking, logout), `pools` (reading pools without their keys),
//! `qr` (flow A), `app_login` (flow B) and `wxapp` (flow C); `helpers` builds the world they run in.

mod accounts;
mod app_login;
mod helpers;
mod pools;
mod qr;
mod wxapp;
