//! Managing the simulated world: apps, users, the clock, faults and a state summary.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::config::AppConfig;
use crate::ids;
use crate::sim_error::SimError;
use crate::simulator::Simulator;
use crate::state::faults::{Api, Fault};
use crate::state::users::{NewUser, UserId};

/// A snapshot of the simulator for debugging (`GET /__sim/state`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Simulated time, Unix seconds.
    pub now: i64,
    /// Registered appids.
    pub apps: Vec<String>,
    /// Users, in id order.
    pub users: Vec<UserSummary>,
    /// Live (app, user) sessions.
    pub sessions: usize,
    /// `wx.login` codes issued / exchanged successfully.
    pub login_codes_issued: u64,
    /// `wx.login` codes exchanged successfully.
    pub login_codes_redeemed: u64,
    /// Phone codes issued.
    pub phone_codes_issued: u64,
    /// Phone codes redeemed successfully.
    pub phone_codes_redeemed: u64,
    /// Access tokens issued (both namespaces).
    pub tokens_issued: u64,
    /// Mini program codes generated.
    pub wxacodes_issued: usize,
    /// Active fault rules.
    pub faults: Vec<Fault>,
    /// Calls received per WeChat API (faulted calls included), e.g. `{"stable_token": 1}`.
    pub calls: std::collections::BTreeMap<Api, u64>,
}

/// One user in the [`Summary`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    /// The user id.
    pub id: UserId,
    /// Nickname.
    pub nickname: String,
    /// Whether the user can share a phone number.
    pub has_phone: bool,
    /// The user's openid in each registered app.
    pub openids: std::collections::BTreeMap<String, String>,
}

impl Simulator {
    /// Registers an app, replacing any app with the same appid.
    pub fn add_app(&self, app: AppConfig) -> Result<(), SimError> {
        app.validate()?;
        self.with_state(|state| {
            state.apps.insert(app.appid.clone(), app);
        });
        Ok(())
    }

    /// The registered apps, by appid.
    pub fn apps(&self) -> Vec<AppConfig> {
        self.with_state(|state| state.apps.values().cloned().collect())
    }

    /// Creates a WeChat user and returns its id.
    pub fn create_user(&self, user: NewUser) -> Result<UserId, SimError> {
        self.with_state(|state| state.users.create(user))
    }

    /// Moves simulated time forward (codes and tokens expire, quota windows slide).
    pub fn advance(&self, by: Duration) {
        self.with_state(|state| state.clock.advance(by));
    }

    /// Simulated time, Unix seconds.
    pub fn now_unix(&self) -> i64 {
        self.with_state(|state| state.clock.now().unix_seconds())
    }

    /// Adds a fault rule after the existing ones (first match wins).
    pub fn add_fault(&self, fault: Fault) -> Result<(), SimError> {
        self.with_state(|state| state.faults.add(fault))
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.with_state(|state| state.faults.clear());
    }

    /// The active fault rules (with their remaining `times`).
    pub fn faults(&self) -> Vec<Fault> {
        self.with_state(|state| state.faults.list())
    }

    /// A snapshot of the state for debugging.
    pub fn summary(&self) -> Summary {
        self.with_state(|state| {
            let counts = state.codes.counts();
            let users = state
                .users
                .iter()
                .map(|(id, user)| UserSummary {
                    id,
                    nickname: user.nickname.clone(),
                    has_phone: user.phone.is_some(),
                    openids: state
                        .apps
                        .keys()
                        .map(|appid| (appid.clone(), ids::openid(appid, id.0)))
                        .collect(),
                })
                .collect();
            Summary {
                now: state.clock.now().unix_seconds(),
                apps: state.apps.keys().cloned().collect(),
                users,
                sessions: state.users.session_count(),
                login_codes_issued: counts.login_issued,
                login_codes_redeemed: counts.login_redeemed,
                phone_codes_issued: counts.phone_issued,
                phone_codes_redeemed: counts.phone_redeemed,
                tokens_issued: state.tokens.issued(),
                wxacodes_issued: state.wxacodes.count(),
                faults: state.faults.list(),
                calls: state.calls.clone(),
            }
        })
    }
}
