//! Access tokens: the legacy (`/cgi-bin/token`) and stable (`/cgi-bin/stable_token`)
//! namespaces, rollover grace, force refresh limits and validation.

use std::collections::{HashMap, VecDeque};

use crate::clock::Instant;
use crate::errors::{
    ACCESS_TOKEN_EXPIRED, ACCESS_TOKEN_MISSING, DAILY_QUOTA, INVALID_CREDENTIAL, WxError,
};
use crate::ids;

/// Seconds both the old and the new token stay valid around a rollover.
const ROLLOVER_GRACE: u64 = 300;
/// Window of the daily quotas, in seconds.
const DAY: u64 = 86_400;

/// The two isolated token namespaces of an app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Namespace {
    Legacy,
    Stable,
}

#[derive(Debug)]
struct TokenRecord {
    appid: String,
    /// Natural end of life (`issued + expires_in`).
    expires_at: Instant,
    /// Actual end of validity: `expires_at`, or earlier once the token was replaced.
    valid_until: Instant,
}

/// A token as returned to the caller.
#[derive(Debug, Clone)]
pub(crate) struct IssuedToken {
    /// The token text.
    pub(crate) access_token: String,
    /// Seconds until it expires.
    pub(crate) expires_in: u64,
}

/// Limits of the stable namespace taken from the configuration.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StableRules {
    /// Token lifetime in seconds.
    pub(crate) expires_in: u64,
    /// Whether the caller asked for `force_refresh`.
    pub(crate) force: bool,
    /// Effective force refreshes per 24 h.
    pub(crate) force_per_day: u32,
    /// Minimum seconds between effective force refreshes.
    pub(crate) force_interval: u64,
}

/// Every token ever issued (until pruned a day after it died), and quota windows.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    records: HashMap<String, TokenRecord>,
    current: HashMap<(String, Namespace), String>,
    legacy_issues: HashMap<String, VecDeque<Instant>>,
    force_refreshes: HashMap<String, VecDeque<Instant>>,
    issued: u64,
}

impl Tokens {
    /// `/cgi-bin/token`: always a new token; the previous one keeps at most 300 s of life.
    pub(crate) fn issue_legacy(
        &mut self,
        appid: &str,
        now: Instant,
        expires_in: u64,
        per_day: u32,
    ) -> Result<IssuedToken, WxError> {
        let issues = self.legacy_issues.entry(appid.to_owned()).or_default();
        prune_window(issues, now, DAY);
        if issues.len() >= to_usize(per_day) {
            return Err(WxError::new(DAILY_QUOTA));
        }
        issues.push_back(now);
        if let Some(old) = self.current_record_mut(appid, Namespace::Legacy) {
            old.valid_until = old.valid_until.min(now.plus_seconds(ROLLOVER_GRACE));
        }
        Ok(self.issue(appid, Namespace::Legacy, now, expires_in))
    }

    /// `/cgi-bin/stable_token`.
    ///
    /// Normal mode returns the current token until its last 300 s, then a new one (the old
    /// one lives out its natural life). Force mode replaces the current token at once,
    /// unless the previous force refresh was under `force_interval` ago (then the current
    /// token is returned) or the daily limit is spent (`45009`).
    pub(crate) fn stable(
        &mut self,
        appid: &str,
        now: Instant,
        rules: StableRules,
    ) -> Result<IssuedToken, WxError> {
        let current = self.current_stable(appid, now);
        if !rules.force {
            return Ok(match current {
                Some(token) if token.expires_in > ROLLOVER_GRACE => token,
                _ => self.issue(appid, Namespace::Stable, now, rules.expires_in),
            });
        }
        let refreshes = self.force_refreshes.entry(appid.to_owned()).or_default();
        prune_window(refreshes, now, DAY);
        let too_soon = refreshes
            .back()
            .is_some_and(|last| now < last.plus_seconds(rules.force_interval));
        if too_soon && let Some(token) = current {
            return Ok(token);
        }
        if refreshes.len() >= to_usize(rules.force_per_day) {
            return Err(WxError::new(DAILY_QUOTA));
        }
        refreshes.push_back(now);
        if let Some(old) = self.current_record_mut(appid, Namespace::Stable) {
            old.valid_until = old.valid_until.min(now);
        }
        Ok(self.issue(appid, Namespace::Stable, now, rules.expires_in))
    }

    /// The appid a token belongs to: `41001` missing, `42001` expired, `40001` unknown or
    /// replaced and past its grace.
    pub(crate) fn validate(&self, token: Option<&str>, now: Instant) -> Result<&str, WxError> {
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| WxError::new(ACCESS_TOKEN_MISSING))?;
        let record = self
            .records
            .get(token)
            .ok_or_else(|| WxError::new(INVALID_CREDENTIAL))?;
        if now < record.valid_until {
            Ok(&record.appid)
        } else if record.valid_until < record.expires_at {
            Err(WxError::new(INVALID_CREDENTIAL))
        } else {
            Err(WxError::new(ACCESS_TOKEN_EXPIRED))
        }
    }

    /// Number of tokens issued so far.
    pub(crate) fn issued(&self) -> u64 {
        self.issued
    }

    fn current_stable(&self, appid: &str, now: Instant) -> Option<IssuedToken> {
        let token = self.current.get(&(appid.to_owned(), Namespace::Stable))?;
        let record = self.records.get(token)?;
        (now < record.valid_until).then(|| IssuedToken {
            access_token: token.clone(),
            expires_in: now.seconds_until(record.valid_until),
        })
    }

    fn current_record_mut(
        &mut self,
        appid: &str,
        namespace: Namespace,
    ) -> Option<&mut TokenRecord> {
        let token = self.current.get(&(appid.to_owned(), namespace))?;
        self.records.get_mut(token)
    }

    fn issue(
        &mut self,
        appid: &str,
        namespace: Namespace,
        now: Instant,
        expires_in: u64,
    ) -> IssuedToken {
        self.records
            .retain(|_, r| now < r.valid_until.plus_seconds(DAY));
        let token = ids::access_token();
        let expires_at = now.plus_seconds(expires_in);
        let record = TokenRecord {
            appid: appid.to_owned(),
            expires_at,
            valid_until: expires_at,
        };
        self.records.insert(token.clone(), record);
        self.current
            .insert((appid.to_owned(), namespace), token.clone());
        self.issued += 1;
        IssuedToken {
            access_token: token,
            expires_in,
        }
    }
}

fn prune_window(window: &mut VecDeque<Instant>, now: Instant, seconds: u64) {
    window.retain(|at| now < at.plus_seconds(seconds));
}

fn to_usize(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
