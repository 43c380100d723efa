//! What an OpenID Connect login leaves behind: the browser's IdP session (single sign-on), authorization codes,
//! grants (what one client was given once; every token issued from it belongs to it and dies with it), refresh
//! tokens (rotated, their reuse detected), remembered consents and the device flow's pending authorizations.

use chrono::{DateTime, Utc};

use crate::{ClientId, CodeChallenge, PoolId, Scope, SecretHash, UserId};

/// How the user proved who they are, as the ID token's `amr` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// Scanned the QR code with WeChat and confirmed in the mini program.
    WechatQr,
    /// A password.
    Password,
}

impl AuthMethod {
    /// `wechat_qr` or `pwd` (RFC 8176's name for a password).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WechatQr => "wechat_qr",
            Self::Password => "pwd",
        }
    }

    /// The method with this name.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "wechat_qr" => Some(Self::WechatQr),
            "pwd" => Some(Self::Password),
            _ => None,
        }
    }
}

/// A browser's login at a pool's hosted login page: the IdP session its cookie names. Every client of the pool
/// that sends the browser to the authorization endpoint meanwhile logs the user in without a new scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdpSession {
    /// Public id (`sid` in ID tokens and logout tokens); 22 random characters.
    pub sid: String,
    /// The pool, the issuer.
    pub pool_id: PoolId,
    /// SHA-256 of the cookie's value (the cookie is the only bearer of the session).
    pub cookie_hash: SecretHash,
    /// The user.
    pub user_id: UserId,
    /// How they logged in.
    pub method: AuthMethod,
    /// When they logged in (`auth_time`).
    pub auth_time: DateTime<Utc>,
    /// When the session ends at the latest.
    pub expires_at: DateTime<Utc>,
}

/// What a client was given once: the user (none for `client_credentials`), the scopes, and where it came from.
/// Every access token, refresh token and ID token issued from it names it, so revoking it revokes them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcGrant {
    /// Random id (`gid` in the access tokens).
    pub id: String,
    /// The pool, the issuer.
    pub pool_id: PoolId,
    /// The client it was given to.
    pub client_id: ClientId,
    /// The user who logged in; `None` for a client acting on its own behalf.
    pub user_id: Option<UserId>,
    /// The scopes granted, in [`Scope::ALL`]'s order.
    pub scopes: Vec<Scope>,
    /// The IdP session it came from, when it came from one.
    pub sid: Option<String>,
    /// How the user logged in, when one did.
    pub method: Option<AuthMethod>,
    /// When the user logged in, when one did.
    pub auth_time: Option<DateTime<Utc>>,
    /// When it was given.
    pub created_at: DateTime<Utc>,
    /// When its refresh tokens stop working, whatever their rotation (the client's absolute refresh lifetime).
    pub expires_at: DateTime<Utc>,
    /// When it was revoked (code replay, refresh token reuse, revocation, the session's end).
    pub revoked_at: Option<DateTime<Utc>>,
}

impl OidcGrant {
    /// Whether its tokens may still be used at `now`: not revoked, not past its absolute lifetime.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }

    /// The granted scopes as the protocol writes them: names separated by spaces.
    pub fn scope_text(&self) -> String {
        scope_text(&self.scopes)
    }
}

/// Scopes as the protocol writes them: names separated by spaces.
pub fn scope_text(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|scope| scope.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An authorization code: single use, short-lived, bound to its grant, its redirect URI, its PKCE challenge and
/// its nonce. Only its hash is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationCode {
    /// SHA-256 of the code.
    pub code_hash: SecretHash,
    /// The grant the code's exchange activates; its tokens die when the code is replayed.
    pub grant_id: String,
    /// The redirect URI of the authorization request, which the exchange must repeat.
    pub redirect_uri: String,
    /// The PKCE challenge (S256), when the request carried one.
    pub code_challenge: Option<CodeChallenge>,
    /// The request's `nonce`, for the ID token.
    pub nonce: Option<String>,
    /// After this it cannot be exchanged.
    pub expires_at: DateTime<Utc>,
    /// When it was exchanged (once).
    pub used_at: Option<DateTime<Utc>>,
}

/// What presenting an authorization code found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeUse {
    /// The first use: the code (now marked used) and its grant.
    First(AuthorizationCode, OidcGrant),
    /// The code was used before: its grant, to be revoked.
    Replayed(OidcGrant),
    /// No such code.
    Unknown,
}

/// A refresh token: opaque, only its hash stored, rotated at every use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshToken {
    /// SHA-256 of the token.
    pub token_hash: SecretHash,
    /// Its grant (its family: every rotation of one login).
    pub grant_id: String,
    /// The pool.
    pub pool_id: PoolId,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
}

/// What presenting a refresh token found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshUse {
    /// Its first use: it is now used, and its successor stored; the grant.
    Rotated(OidcGrant),
    /// It was used before: its grant, to be revoked (the token was stolen or replayed).
    Reused(OidcGrant),
    /// No such token in this pool.
    Unknown,
}

/// A device's pending authorization (RFC 8628): the device polls with its device code while the user scans the QR
/// code of `scene` with WeChat and confirms. The device code is also the QR session's poll secret, so only its hash
/// is kept, there as here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCode {
    /// The code the user can type at the verification page instead (`XXXX-XXXX`), unique.
    pub user_code: String,
    /// SHA-256 of the device code.
    pub device_code_hash: SecretHash,
    /// The pool, the issuer.
    pub pool_id: PoolId,
    /// The client (the device's application).
    pub client_id: ClientId,
    /// The QR session the user scans.
    pub scene: String,
    /// The scopes asked for and allowed, in [`Scope::ALL`]'s order.
    pub scopes: Vec<Scope>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it and its QR session expire.
    pub expires_at: DateTime<Utc>,
}
