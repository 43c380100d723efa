//! Users: the documented user object's data, account names and passwords, and the token revocation rule.

use std::{fmt, str::FromStr};

use chrono::{DateTime, Utc};

use crate::{DomainError, PoolId, UserId};

/// A user of one pool, as stored. `password_hash` never leaves the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// `_id`.
    pub id: UserId,
    /// The pool the user belongs to (`registerInClient`).
    pub pool_id: PoolId,
    /// Unique per pool, compared case-insensitively.
    pub username: Option<Username>,
    /// Display name.
    pub nickname: Option<String>,
    /// Avatar URL.
    pub photo: Option<String>,
    /// Unique per pool, stored lowercase.
    pub email: Option<Email>,
    /// Whether the e-mail was proven.
    pub email_verified: bool,
    /// Unique per pool.
    pub phone: Option<String>,
    /// Whether the server verified the phone itself.
    pub phone_verified: bool,
    /// WeChat unionid, when known.
    pub unionid: Option<String>,
    /// WeChat openid of the identity the user signed up with, when any.
    pub openid: Option<String>,
    /// The raw social profile, a JSON text (the documented `oauth` field).
    pub oauth: Option<String>,
    /// How the account was created.
    pub register_method: RegisterMethod,
    /// Argon2id PHC string for password accounts.
    pub password_hash: Option<PasswordHash>,
    /// Successful logins.
    pub logins_count: i64,
    /// Time of the last login.
    pub last_login: Option<DateTime<Utc>>,
    /// Client address of the last login.
    pub last_ip: Option<String>,
    /// Sign-up time.
    pub signed_up: DateTime<Utc>,
    /// A blocked user can neither log in nor use earlier tokens.
    pub blocked: bool,
    /// Tokens issued before this instant are rejected (set by logout and blocking).
    pub tokens_valid_after: Option<DateTime<Utc>>,
    /// Expiry of the last token issued (`tokenExpiredAt`).
    pub token_expired_at: Option<DateTime<Utc>>,
    /// Last change to the record.
    pub updated_at: DateTime<Utc>,
}

/// What a WeChat sign-up provides.
#[derive(Debug, Clone)]
pub struct NewWechatUser {
    /// The openid in the mini program used.
    pub openid: String,
    /// The unionid, when known.
    pub unionid: Option<String>,
    /// The nickname the user chose to share.
    pub nickname: Option<String>,
    /// The avatar URL the user chose to share.
    pub photo: Option<String>,
    /// A phone number the server verified itself (phone code or decrypted data).
    pub verified_phone: Option<String>,
    /// `oauth:wxapp` or `oauth:app2wxapp`.
    pub register_method: RegisterMethod,
}

/// What a password sign-up provides.
#[derive(Debug)]
pub struct NewPasswordUser {
    /// Optional username.
    pub username: Option<Username>,
    /// Optional e-mail.
    pub email: Option<Email>,
    /// Optional display name.
    pub nickname: Option<String>,
    /// The already-computed password hash.
    pub password_hash: PasswordHash,
}

impl User {
    /// A fresh password account in `pool_id`.
    pub fn sign_up_with_password(
        pool_id: PoolId,
        new: NewPasswordUser,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id: UserId::generate(now),
            pool_id,
            nickname: new
                .nickname
                .or_else(|| new.username.as_ref().map(|u| u.as_str().to_owned())),
            username: new.username,
            photo: None,
            email: new.email,
            email_verified: false,
            phone: None,
            phone_verified: false,
            unionid: None,
            openid: None,
            oauth: None,
            register_method: RegisterMethod::UsernamePassword,
            password_hash: Some(new.password_hash),
            logins_count: 0,
            last_login: None,
            last_ip: None,
            signed_up: now,
            blocked: false,
            tokens_valid_after: None,
            token_expired_at: None,
            updated_at: now,
        }
    }

    /// A fresh account for a WeChat identity in `pool_id`.
    pub fn sign_up_with_wechat(pool_id: PoolId, new: NewWechatUser, now: DateTime<Utc>) -> Self {
        let oauth = serde_json::json!({
            "openid": new.openid,
            "unionid": new.unionid,
            "nickName": new.nickname,
            "avatarUrl": new.photo,
        });
        Self {
            id: UserId::generate(now),
            pool_id,
            username: None,
            nickname: new.nickname,
            photo: new.photo,
            email: None,
            email_verified: false,
            phone_verified: new.verified_phone.is_some(),
            phone: new.verified_phone,
            unionid: new.unionid,
            openid: Some(new.openid),
            oauth: Some(oauth.to_string()),
            register_method: new.register_method,
            password_hash: None,
            logins_count: 0,
            last_login: None,
            last_ip: None,
            signed_up: now,
            blocked: false,
            tokens_valid_after: None,
            token_expired_at: None,
            updated_at: now,
        }
    }

    /// The `iat` to give a token issued at `now`.
    ///
    /// `iat` has whole seconds, revocation has sub-second precision: a token issued in the same second as a
    /// logout, but after it, gets the next second so that it stays valid (see [`revocation_floor`]).
    pub fn token_issued_at(&self, now: DateTime<Utc>) -> i64 {
        let floor = self.tokens_valid_after.map_or(i64::MIN, revocation_floor);
        now.timestamp().max(floor)
    }

    /// Whether a token with this `iat` was revoked by a logout or a block.
    pub fn is_token_revoked(&self, issued_at: i64) -> bool {
        self.tokens_valid_after
            .is_some_and(|after| issued_at < revocation_floor(after))
    }
}

/// The first whole second whose tokens survive a revocation at `after`: tokens with `iat` below it are revoked.
pub fn revocation_floor(after: DateTime<Utc>) -> i64 {
    let seconds = after.timestamp();
    if after.timestamp_subsec_nanos() > 0 {
        seconds + 1
    } else {
        seconds
    }
}

/// How an account came to be (`registerMethod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterMethod {
    /// `default:username-password`: signed up with a password.
    UsernamePassword,
    /// `oauth:wxapp`: WeChat mini program login or QR scan.
    Wxapp,
    /// `oauth:app2wxapp`: an app launched the mini program.
    App2Wxapp,
}

impl RegisterMethod {
    /// The documented string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UsernamePassword => "default:username-password",
            Self::Wxapp => "oauth:wxapp",
            Self::App2Wxapp => "oauth:app2wxapp",
        }
    }
}

impl FromStr for RegisterMethod {
    type Err = String;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        [Self::UsernamePassword, Self::Wxapp, Self::App2Wxapp]
            .into_iter()
            .find(|m| m.as_str() == raw)
            .ok_or_else(|| format!("unknown register method '{raw}'"))
    }
}

/// An e-mail address, trimmed and lowercased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Checks the rough shape `local@domain.tld` (the only proof that counts is a mail that arrives).
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let email = raw.trim().to_lowercase();
        let valid = email.len() <= 254
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.split('.').count() >= 2
                    && domain.split('.').all(|label| !label.is_empty())
            });
        if valid {
            Ok(Self(email))
        } else {
            Err(DomainError::InvalidEmail)
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A username: 1 to 64 characters, no whitespace, control characters or `@`; unique per pool ignoring case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    /// Trims and checks the alphabet and length.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let name = raw.trim();
        let chars = name.chars().count();
        let valid = (1..=64).contains(&chars)
            && !name
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '@');
        if valid {
            Ok(Self(name.to_owned()))
        } else {
            Err(DomainError::InvalidUsername)
        }
    }

    /// The username as chosen.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form uniqueness and lookups use.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

/// What a user types to log in: an e-mail when it contains `@`, else a username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginName {
    /// Log in by e-mail.
    Email(Email),
    /// Log in by username.
    Username(Username),
}

impl LoginName {
    /// Decides by the presence of `@`.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        if raw.contains('@') {
            Email::parse(raw).map(Self::Email)
        } else {
            Username::parse(raw).map(Self::Username)
        }
    }
}

/// A plaintext password on its way to be hashed or checked. Never printed.
pub struct Password(String);

impl Password {
    /// 6 to 128 characters.
    pub fn parse(raw: String) -> Result<Self, DomainError> {
        if (6..=128).contains(&raw.chars().count()) {
            Ok(Self(raw))
        } else {
            Err(DomainError::InvalidPassword)
        }
    }

    /// The plaintext, for the hasher only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

/// An Argon2id PHC string. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps a PHC string as produced by the hasher or read from storage.
    pub fn from_phc(phc: String) -> Self {
        Self(phc)
    }

    /// The PHC string, for storage and verification.
    pub fn as_phc(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn user_revoked_at(after: Option<DateTime<Utc>>) -> User {
        let now = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .expect("valid date");
        let pool = PoolId::generate(now);
        let hash = PasswordHash::from_phc("x".to_owned());
        let new = NewPasswordUser {
            username: None,
            email: None,
            nickname: None,
            password_hash: hash,
        };
        User {
            tokens_valid_after: after,
            ..User::sign_up_with_password(pool, new, now)
        }
    }

    #[test]
    fn a_logout_revokes_earlier_tokens_of_the_same_second_but_not_later_ones() {
        let logout = Utc
            .timestamp_opt(1_000, 500_000_000)
            .single()
            .expect("valid");
        let user = user_revoked_at(Some(logout));
        assert!(
            user.is_token_revoked(1_000),
            "issued at 1000.2, before the logout"
        );
        let after = Utc
            .timestamp_opt(1_000, 700_000_000)
            .single()
            .expect("valid");
        let iat = user.token_issued_at(after);
        assert_eq!(iat, 1_001);
        assert!(!user.is_token_revoked(iat));
    }

    #[test]
    fn without_a_revocation_nothing_is_revoked_and_iat_is_now() {
        let user = user_revoked_at(None);
        assert!(!user.is_token_revoked(0));
        let now = Utc
            .timestamp_opt(5_000, 900_000_000)
            .single()
            .expect("valid");
        assert_eq!(user.token_issued_at(now), 5_000);
    }

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(
            Email::parse(" A@Example.COM ").map(|e| e.as_str().to_owned()),
            Ok("a@example.com".to_owned())
        );
        for bad in ["a", "a@b", "@b.c", "a@@b.c", "a b@c.d", "a@b..c"] {
            assert_eq!(Email::parse(bad), Err(DomainError::InvalidEmail), "{bad}");
        }
    }

    #[test]
    fn login_names_are_emails_when_they_contain_an_at_sign() {
        assert!(matches!(
            LoginName::parse("bob"),
            Ok(LoginName::Username(_))
        ));
        assert!(matches!(
            LoginName::parse("bob@example.com"),
            Ok(LoginName::Email(_))
        ));
        assert_eq!(
            Username::parse("Bob").map(|u| u.normalized()),
            Ok("bob".to_owned())
        );
        assert!(Username::parse("a b").is_err());
    }

    #[test]
    fn passwords_have_bounds_and_never_print() {
        assert!(Password::parse("12345".to_owned()).is_err());
        let password = Password::parse("correct horse".to_owned()).expect("long enough");
        assert_eq!(format!("{password:?}"), "Password([redacted])");
    }
}
