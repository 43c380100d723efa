//! Simulated WeChat users and their session keys, one per (app, user).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids;
use crate::sim_error::SimError;

/// A simulated WeChat user, numbered from 1 in creation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub u64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The profile of a user to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// Nickname shown in `userInfo`.
    pub nickname: String,
    /// Avatar URL shown in `userInfo`.
    #[serde(default)]
    pub avatar_url: String,
    /// The phone number the user can share, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<PhoneSpec>,
}

/// A phone number: digits without the country prefix, and the country calling code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneSpec {
    /// National number, digits only (`purePhoneNumber`), e.g. `13580006666`.
    pub number: String,
    /// Country calling code, digits only, default `86`.
    #[serde(default = "default_country_code")]
    pub country_code: String,
}

fn default_country_code() -> String {
    "86".to_owned()
}

impl PhoneSpec {
    /// `phoneNumber` as WeChat shows it: with a `+<code>` prefix unless the code is 86.
    pub(crate) fn display_number(&self) -> String {
        if self.country_code == "86" {
            self.number.clone()
        } else {
            format!("+{}{}", self.country_code, self.number)
        }
    }

    fn validate(&self) -> Result<(), SimError> {
        let digits = |s: &str, max: usize| {
            !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
        };
        if digits(&self.number, 20) && digits(&self.country_code, 4) {
            Ok(())
        } else {
            Err(SimError::InvalidInput(
                "phone number and country code must be digits (up to 20 and 4)".to_owned(),
            ))
        }
    }
}

/// All users and sessions.
#[derive(Debug, Default)]
pub(crate) struct Users {
    users: BTreeMap<UserId, NewUser>,
    session_keys: HashMap<(String, UserId), String>,
}

impl Users {
    /// Adds a user and returns its id.
    pub(crate) fn create(&mut self, user: NewUser) -> Result<UserId, SimError> {
        if user.nickname.is_empty() {
            return Err(SimError::InvalidInput(
                "nickname must not be empty".to_owned(),
            ));
        }
        if let Some(phone) = &user.phone {
            phone.validate()?;
        }
        let id = UserId(
            self.users
                .last_key_value()
                .map_or(1, |(last, _)| last.0.saturating_add(1)),
        );
        self.users.insert(id, user);
        Ok(id)
    }

    /// The profile of `id`, or [`SimError::UnknownUser`].
    pub(crate) fn get(&self, id: UserId) -> Result<&NewUser, SimError> {
        self.users.get(&id).ok_or(SimError::UnknownUser(id.0))
    }

    /// All users in id order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (UserId, &NewUser)> {
        self.users.iter().map(|(id, user)| (*id, user))
    }

    /// The current session_key of `user` in `appid`, if the user ever logged in there.
    pub(crate) fn session_key(&self, appid: &str, user: UserId) -> Option<&str> {
        self.session_keys
            .get(&(appid.to_owned(), user))
            .map(String::as_str)
    }

    /// Called on `wx.login`: creates the session, or rotates its key when `rotate` is set.
    pub(crate) fn on_login(&mut self, appid: &str, user: UserId, rotate: bool) {
        let key = (appid.to_owned(), user);
        if rotate || !self.session_keys.contains_key(&key) {
            self.session_keys.insert(key, ids::session_key());
        }
    }

    /// Replaces the session key of an existing session and returns the new key.
    pub(crate) fn reset_session(&mut self, appid: &str, user: UserId) -> Option<String> {
        let slot = self.session_keys.get_mut(&(appid.to_owned(), user))?;
        *slot = ids::session_key();
        Some(slot.clone())
    }

    /// The user whose openid in `appid` is `openid`.
    pub(crate) fn find_by_openid(&self, appid: &str, openid: &str) -> Option<UserId> {
        self.users
            .keys()
            .copied()
            .find(|id| ids::openid(appid, id.0) == openid)
    }

    /// Number of live sessions (for the summary).
    pub(crate) fn session_count(&self) -> usize {
        self.session_keys.len()
    }
}
