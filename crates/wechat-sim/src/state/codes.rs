//! Single-use codes: `wx.login` codes, phone codes, and the code2Session minute quota.

use std::collections::{HashMap, VecDeque};

use crate::clock::Instant;
use crate::errors::{CODE_BEEN_USED, INVALID_APPID, INVALID_CODE, MINUTE_QUOTA, WxError};
use crate::ids;
use crate::state::users::UserId;

/// Window of the code2Session rate limit, in seconds.
const MINUTE: u64 = 60;

#[derive(Debug)]
struct LoginCode {
    appid: String,
    user: UserId,
    issued_at: Instant,
    used: bool,
}

#[derive(Debug)]
struct PhoneCode {
    appid: String,
    openid: String,
    user: UserId,
    issued_at: Instant,
}

/// What a redeemed phone code stands for.
#[derive(Debug)]
pub(crate) struct PhoneGrant {
    /// The user who tapped the button.
    pub(crate) user: UserId,
    /// When the user shared the number (watermark timestamp).
    pub(crate) shared_at: Instant,
}

/// Issued codes and counters.
#[derive(Debug, Default)]
pub(crate) struct Codes {
    login: HashMap<String, LoginCode>,
    phone: HashMap<String, PhoneCode>,
    exchanges: HashMap<(String, UserId), VecDeque<Instant>>,
    login_issued: u64,
    login_redeemed: u64,
    phone_issued: u64,
    phone_redeemed: u64,
}

/// Counters for the state summary.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CodeCounts {
    pub(crate) login_issued: u64,
    pub(crate) login_redeemed: u64,
    pub(crate) phone_issued: u64,
    pub(crate) phone_redeemed: u64,
}

/// Parameters of a code2Session exchange that come from the configuration.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ExchangeRules {
    /// Code lifetime in seconds.
    pub(crate) lifetime: u64,
    /// Exchanges allowed per (app, user) per minute.
    pub(crate) per_minute: u32,
}

impl Codes {
    /// Issues a `wx.login` code for `user` in `appid`.
    pub(crate) fn issue_login(
        &mut self,
        appid: &str,
        user: UserId,
        now: Instant,
        lifetime: u64,
    ) -> String {
        self.login
            .retain(|_, c| now < c.issued_at.plus_seconds(lifetime));
        let code = ids::login_code();
        let entry = LoginCode {
            appid: appid.to_owned(),
            user,
            issued_at: now,
            used: false,
        };
        self.login.insert(code.clone(), entry);
        self.login_issued += 1;
        code
    }

    /// Exchanges a login code: `40029` unknown/expired/other app, `45011` over the minute
    /// quota, `40163` already used. Only a success marks the code used.
    pub(crate) fn redeem_login(
        &mut self,
        appid: &str,
        code: &str,
        now: Instant,
        rules: ExchangeRules,
    ) -> Result<UserId, WxError> {
        let entry = self
            .login
            .get_mut(code)
            .ok_or_else(|| WxError::new(INVALID_CODE))?;
        if entry.appid != appid || now >= entry.issued_at.plus_seconds(rules.lifetime) {
            return Err(WxError::new(INVALID_CODE));
        }
        let window = self
            .exchanges
            .entry((appid.to_owned(), entry.user))
            .or_default();
        window.retain(|at| now < at.plus_seconds(MINUTE));
        if window.len() >= usize::try_from(rules.per_minute).unwrap_or(usize::MAX) {
            return Err(WxError::new(MINUTE_QUOTA));
        }
        window.push_back(now);
        if entry.used {
            return Err(WxError::new(CODE_BEEN_USED));
        }
        entry.used = true;
        self.login_redeemed += 1;
        Ok(entry.user)
    }

    /// Issues a phone code tied to `appid` and the user's `openid`.
    pub(crate) fn issue_phone(
        &mut self,
        appid: &str,
        user: UserId,
        openid: String,
        now: Instant,
        lifetime: u64,
    ) -> String {
        self.phone
            .retain(|_, c| now < c.issued_at.plus_seconds(lifetime));
        let code = ids::phone_code();
        let entry = PhoneCode {
            appid: appid.to_owned(),
            openid,
            user,
            issued_at: now,
        };
        self.phone.insert(code.clone(), entry);
        self.phone_issued += 1;
        code
    }

    /// Redeems a phone code for the app `appid` (the access token's app).
    ///
    /// `40029` for an unknown, used, expired or login code, for a code of an unrelated app
    /// and for an openid mismatch; `40013` when the code belongs to another app bound to the
    /// same Open Platform account (`same_subject`). A failed call never burns the code.
    pub(crate) fn redeem_phone(
        &mut self,
        appid: &str,
        code: &str,
        openid: Option<&str>,
        now: Instant,
        lifetime: u64,
        same_subject: impl Fn(&str) -> bool,
    ) -> Result<PhoneGrant, WxError> {
        let entry = self
            .phone
            .get(code)
            .ok_or_else(|| WxError::new(INVALID_CODE))?;
        if now >= entry.issued_at.plus_seconds(lifetime) {
            return Err(WxError::new(INVALID_CODE));
        }
        if entry.appid != appid {
            let errcode = if same_subject(&entry.appid) {
                INVALID_APPID
            } else {
                INVALID_CODE
            };
            return Err(WxError::new(errcode));
        }
        if openid.is_some_and(|given| given != entry.openid) {
            return Err(WxError::new(INVALID_CODE));
        }
        let grant = PhoneGrant {
            user: entry.user,
            shared_at: entry.issued_at,
        };
        self.phone.remove(code);
        self.phone_redeemed += 1;
        Ok(grant)
    }

    /// Counters for the summary.
    pub(crate) fn counts(&self) -> CodeCounts {
        CodeCounts {
            login_issued: self.login_issued,
            login_redeemed: self.login_redeemed,
            phone_issued: self.phone_issued,
            phone_redeemed: self.phone_redeemed,
        }
    }
}
