//! Fault injection: make the next N calls (or all calls) of an API fail or slow down.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::errors::WxError;
use crate::sim_error::SimError;

/// Longest delay a fault may add (10 minutes).
const MAX_DELAY_MS: u64 = 600_000;

/// A simulated WeChat API, as named in fault rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Api {
    /// `GET /sns/jscode2session`.
    Jscode2session,
    /// `GET /cgi-bin/token`.
    Token,
    /// `POST /cgi-bin/stable_token`.
    StableToken,
    /// `POST /wxa/business/getuserphonenumber`.
    Getuserphonenumber,
    /// `GET /wxa/checksession`.
    Checksession,
    /// `GET /wxa/resetusersessionkey`.
    Resetusersessionkey,
    /// `POST /wxa/getwxacodeunlimit`.
    Getwxacodeunlimit,
}

/// A fault rule. Matching calls are delayed by `delay_ms`, then answer `errcode` (if set)
/// instead of being processed. A failing call changes no state (codes are not burnt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// The API to affect; `None` (omitted) affects every API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<Api>,
    /// The errcode to answer, e.g. `-1`, `45011`, `40226`; `None` only delays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errcode: Option<i64>,
    /// The errmsg text (before the rid); defaults to WeChat's text for `errcode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errmsg: Option<String>,
    /// Delay before answering, in milliseconds (at most 600000).
    #[serde(default)]
    pub delay_ms: u64,
    /// How many calls to affect; `None` (omitted) means every call until cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
}

impl Fault {
    /// Every call of `api` (all APIs when `None`) answers `errcode`.
    pub fn error(api: Option<Api>, errcode: i64) -> Self {
        Self {
            api,
            errcode: Some(errcode),
            errmsg: None,
            delay_ms: 0,
            times: None,
        }
    }

    /// Every call of `api` (all APIs when `None`) is delayed by `delay`.
    pub fn delay(api: Option<Api>, delay: Duration) -> Self {
        let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        Self {
            api,
            errcode: None,
            errmsg: None,
            delay_ms,
            times: None,
        }
    }

    /// Limits the rule to the next `n` matching calls.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    fn validate(&self) -> Result<(), SimError> {
        let invalid = |what: &str| Err(SimError::InvalidInput(what.to_owned()));
        match (self.errcode, self.delay_ms) {
            (Some(0), _) => invalid("errcode 0 is success, not a fault"),
            (None, 0) => invalid("a fault needs an errcode or a delay_ms"),
            (_, delay) if delay > MAX_DELAY_MS => invalid("delay_ms must be at most 600000"),
            _ if self.times == Some(0) => invalid("times must be at least 1"),
            _ => Ok(()),
        }
    }
}

/// What a call must suffer before (or instead of) being processed.
#[derive(Debug)]
pub(crate) struct FaultAction {
    /// Wait this long first.
    pub(crate) delay: Duration,
    /// Then answer this error, when set.
    pub(crate) error: Option<WxError>,
}

/// The active fault rules, first match wins.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    rules: Vec<Fault>,
}

impl Faults {
    /// Adds a rule after the existing ones.
    pub(crate) fn add(&mut self, fault: Fault) -> Result<(), SimError> {
        fault.validate()?;
        self.rules.push(fault);
        Ok(())
    }

    /// Removes every rule.
    pub(crate) fn clear(&mut self) {
        self.rules.clear();
    }

    /// The active rules.
    pub(crate) fn list(&self) -> Vec<Fault> {
        self.rules.clone()
    }

    /// Consumes one use of the first rule matching `api`.
    pub(crate) fn take(&mut self, api: Api) -> Option<FaultAction> {
        let index = self
            .rules
            .iter()
            .position(|r| r.api.is_none_or(|a| a == api))?;
        let rule = self.rules.get_mut(index)?;
        let action = FaultAction {
            delay: Duration::from_millis(rule.delay_ms),
            error: rule.errcode.map(|code| match &rule.errmsg {
                Some(text) => WxError::with_text(code, text.clone()),
                None => WxError::new(code),
            }),
        };
        if let Some(left) = rule.times.as_mut() {
            *left = left.saturating_sub(1);
            if *left == 0 {
                self.rules.remove(index);
            }
        }
        Some(action)
    }
}
