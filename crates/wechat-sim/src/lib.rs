//! A simulator of WeChat's mini program server APIs.
//!
//! It serves, over real HTTP, what `api.weixin.qq.com` serves to a mini program's backend —
//! `code2Session`, access tokens (legacy and stable), `getuserphonenumber`, `checksession`,
//! `resetusersessionkey` and `getwxacodeunlimit` — with WeChat's error codes, `errmsg` texts
//! (`…, rid: xxxxxxxx-xxxxxxxx-xxxxxxxx`), HTTP 200 for errors, single-use codes, token
//! rollover and quotas. A control API (under [`CONTROL_PREFIX`], and as methods on
//! [`Simulator`]) plays the phone: create users, `wx.login`, getUserInfo, getPhoneNumber,
//! scan a generated code, launch from an app, advance the clock, inject faults.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use denglu_wechat_sim::{AppConfig, NewUser, SimConfig, Simulator, serve};
//!
//! let mut config = SimConfig::default();
//! config.apps.push(AppConfig::new("wx0123456789abcdef", "secret"));
//! let sim = Simulator::new(config)?;
//! let user = sim.create_user(NewUser { nickname: "Ada".into(), avatar_url: String::new(), phone: None })?;
//! let code = sim.login("wx0123456789abcdef", user)?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! // Point the client's base URL at http://{listener.local_addr()} and exchange `code`.
//! serve(listener, sim, std::future::pending()).await?;
//! # Ok(()) }
//! ```
//!
//! See `docs/wechat-simulator.md` for every endpoint, error code and choice made where
//! WeChat's behaviour is uncertain.

mod admin;
mod api;
mod client;
mod clock;
mod config;
mod control;
mod errors;
mod ids;
mod images;
mod scene;
mod sim_error;
mod simulator;
mod state;

pub use admin::{Summary, UserSummary};
pub use client::{Launch, PhoneNumberDetail, SCENE_APP, SCENE_SCAN, UserInfo, UserInfoDetail};
pub use config::{AppConfig, Quotas, SimConfig};
pub use control::CONTROL_PREFIX;
pub use sim_error::SimError;
pub use simulator::{Simulator, serve, serve_on_loopback};
pub use state::faults::{Api, Fault};
pub use state::users::{NewUser, PhoneSpec, UserId};
