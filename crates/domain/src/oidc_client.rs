//! A pool's applications: the OpenID Connect clients that log users in with the pool as their issuer. Each value is
//! parsed into a type that holds only what the rules allow (RFC 6749, RFC 8252 for native apps, RFC 9700), and a
//! client as a whole is checked by [`OidcClient::check`].

use std::fmt;

use chrono::{DateTime, Utc};

use crate::{DomainError, PoolId, SecretHash, pool::display_name};

/// An application of a pool: an OpenID Connect client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcClient {
    /// The pool, the client's issuer.
    pub pool_id: PoolId,
    /// Its `client_id`, random, made by denglu.
    pub client_id: ClientId,
    /// Its name, shown on the login page.
    pub name: ClientName,
    /// Its logo, shown on the login page.
    pub logo_uri: Option<HttpsUrl>,
    /// Confidential (has a secret) or public (PKCE only).
    pub kind: ClientKind,
    /// The SHA-256 of its `client_secret`: a confidential client's only.
    pub secret_hash: Option<SecretHash>,
    /// Where the authorization endpoint may send the user back, matched exactly.
    pub redirect_uris: Vec<RedirectUri>,
    /// Where the end-session endpoint may send the user back, matched exactly.
    pub post_logout_redirect_uris: Vec<RedirectUri>,
    /// The grant types it may use, in [`GrantType::ALL`]'s order.
    pub grant_types: Vec<GrantType>,
    /// The scopes it may ask for, in [`Scope::ALL`]'s order.
    pub scopes: Vec<Scope>,
    /// How long its access tokens live.
    pub access_token_lifetime: ClientLifetime,
    /// How long its refresh tokens may be used, counted from the login (absolute, rotation does not extend it).
    pub refresh_token_lifetime: ClientLifetime,
    /// How long its ID tokens live.
    pub id_token_lifetime: ClientLifetime,
    /// A first-party application: its users see no consent screen.
    pub first_party: bool,
    /// Where the end of a session is announced with a logout token (OIDC Back-Channel Logout 1.0).
    pub backchannel_logout_uri: Option<HttpsUrl>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl OidcClient {
    /// The rules between fields: a public client has no secret and no `client_credentials`; a confidential one has
    /// a secret; `refresh_token` comes with a grant that logs a user in; `authorization_code` needs a redirect URI.
    pub fn check(&self) -> Result<(), DomainError> {
        let has = |grant| self.grant_types.contains(&grant);
        match self.kind {
            ClientKind::Public if self.secret_hash.is_some() => {
                return Err(invalid("kind", "a public client has no secret"));
            }
            ClientKind::Public if has(GrantType::ClientCredentials) => {
                return Err(invalid(
                    "grantTypes",
                    "client_credentials needs a confidential client",
                ));
            }
            ClientKind::Confidential if self.secret_hash.is_none() => {
                return Err(invalid("kind", "a confidential client has a secret"));
            }
            _ => {}
        }
        if self.grant_types.is_empty() {
            return Err(invalid("grantTypes", "give at least one grant type"));
        }
        if has(GrantType::RefreshToken)
            && !has(GrantType::AuthorizationCode)
            && !has(GrantType::DeviceCode)
        {
            return Err(invalid(
                "grantTypes",
                "refresh_token needs authorization_code or the device code grant",
            ));
        }
        if has(GrantType::AuthorizationCode) && self.redirect_uris.is_empty() {
            return Err(invalid(
                "redirectUris",
                "authorization_code needs at least one redirect URI",
            ));
        }
        Ok(())
    }
}

fn invalid(field: &'static str, reason: &str) -> DomainError {
    DomainError::InvalidClient {
        field,
        reason: reason.to_owned(),
    }
}

/// A `client_id`: made by denglu, 24 to 64 characters of base64url.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientId(String);

impl ClientId {
    /// Checks a `client_id` given back (in a path, a request, a row).
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let ok = (24..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(invalid(
                "clientId",
                "a client id is 24 to 64 characters of A-Z, a-z, 0-9, '-' and '_'",
            ))
        }
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// An application's name: 1 to 64 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientName(String);

impl ClientName {
    /// Trims and checks the length.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        display_name(raw, 64).map(Self).ok_or_else(|| {
            invalid(
                "name",
                "a name has 1 to 64 characters and no control characters",
            )
        })
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether a client can keep a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientKind {
    /// A server-side application: has a `client_secret` (`client_secret_basic` or `client_secret_post`).
    Confidential,
    /// A single-page or native application: no secret (`token_endpoint_auth_method=none`), PKCE required.
    Public,
}

impl ClientKind {
    /// The stored and wire name: `confidential` or `public`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confidential => "confidential",
            Self::Public => "public",
        }
    }

    /// Reads a stored or wire name.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        match raw {
            "confidential" => Ok(Self::Confidential),
            "public" => Ok(Self::Public),
            _ => Err(invalid("kind", "use confidential or public")),
        }
    }
}

/// A grant type a client may use at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GrantType {
    /// `authorization_code` (with PKCE).
    AuthorizationCode,
    /// `refresh_token`.
    RefreshToken,
    /// `client_credentials`: no user, confidential clients only.
    ClientCredentials,
    /// `urn:ietf:params:oauth:grant-type:device_code` (RFC 8628).
    DeviceCode,
}

impl GrantType {
    /// Every grant type, in the order they are listed.
    pub const ALL: [Self; 4] = [
        Self::AuthorizationCode,
        Self::RefreshToken,
        Self::ClientCredentials,
        Self::DeviceCode,
    ];

    /// The name of RFC 6749 and RFC 8628.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthorizationCode => "authorization_code",
            Self::RefreshToken => "refresh_token",
            Self::ClientCredentials => "client_credentials",
            Self::DeviceCode => "urn:ietf:params:oauth:grant-type:device_code",
        }
    }

    /// Reads a list of names: each known, in [`Self::ALL`]'s order, without repeats.
    pub fn parse_list<S: AsRef<str>>(names: &[S]) -> Result<Vec<Self>, DomainError> {
        parse_set(names, &Self::ALL, Self::as_str, || {
            invalid(
                "grantTypes",
                "use authorization_code, refresh_token, client_credentials or \
                 urn:ietf:params:oauth:grant-type:device_code",
            )
        })
    }
}

/// A scope a client may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// `openid`: an ID token with `sub`.
    Openid,
    /// `profile`: name, nickname, picture.
    Profile,
    /// `phone`: the phone number.
    Phone,
    /// `email`: the e-mail address.
    Email,
    /// `offline_access`: a refresh token.
    OfflineAccess,
    /// `wechat`: the WeChat openid and unionid.
    Wechat,
}

impl Scope {
    /// Every scope, in the order they are listed.
    pub const ALL: [Self; 6] = [
        Self::Openid,
        Self::Profile,
        Self::Phone,
        Self::Email,
        Self::OfflineAccess,
        Self::Wechat,
    ];

    /// The scope's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Openid => "openid",
            Self::Profile => "profile",
            Self::Phone => "phone",
            Self::Email => "email",
            Self::OfflineAccess => "offline_access",
            Self::Wechat => "wechat",
        }
    }

    /// Reads a list of names: each known, in [`Self::ALL`]'s order, without repeats.
    pub fn parse_list<S: AsRef<str>>(names: &[S]) -> Result<Vec<Self>, DomainError> {
        parse_set(names, &Self::ALL, Self::as_str, || {
            invalid(
                "scopes",
                "use openid, profile, phone, email, offline_access or wechat",
            )
        })
    }
}

fn parse_set<T: Copy + PartialEq, S: AsRef<str>>(
    names: &[S],
    all: &[T],
    name: fn(T) -> &'static str,
    error: impl Fn() -> DomainError,
) -> Result<Vec<T>, DomainError> {
    let mut chosen = Vec::new();
    for raw in names {
        let item = all
            .iter()
            .copied()
            .find(|item| name(*item) == raw.as_ref())
            .ok_or_else(&error)?;
        chosen.push(item);
    }
    Ok(all.iter().copied().filter(|i| chosen.contains(i)).collect())
}

/// Which token a [`ClientLifetime`] is for: each has its bounds and default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifetimeOf {
    /// Access tokens: 60 seconds to 1 day, 1 hour by default.
    AccessToken,
    /// Refresh tokens: 1 hour to 365 days, 30 days by default.
    RefreshToken,
    /// ID tokens: 60 seconds to 1 day, 1 hour by default.
    IdToken,
}

impl LifetimeOf {
    /// The lowest, highest and default lifetime in seconds.
    pub fn bounds(self) -> (u32, u32, u32) {
        match self {
            Self::AccessToken | Self::IdToken => (60, 24 * 3600, 3600),
            Self::RefreshToken => (3600, 365 * 24 * 3600, 30 * 24 * 3600),
        }
    }

    fn field(self) -> &'static str {
        match self {
            Self::AccessToken => "accessTokenLifetime",
            Self::RefreshToken => "refreshTokenLifetime",
            Self::IdToken => "idTokenLifetime",
        }
    }
}

/// A token lifetime of a client, in seconds, within its [`LifetimeOf::bounds`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientLifetime(u32);

impl ClientLifetime {
    /// Checks `seconds` against the bounds of `of`.
    pub fn from_seconds(of: LifetimeOf, seconds: i64) -> Result<Self, DomainError> {
        let (min, max, _) = of.bounds();
        u32::try_from(seconds)
            .ok()
            .filter(|s| (min..=max).contains(s))
            .map(Self)
            .ok_or_else(|| DomainError::InvalidClient {
                field: of.field(),
                reason: format!("between {min} and {max} seconds"),
            })
    }

    /// The default lifetime of `of`.
    pub fn default_for(of: LifetimeOf) -> Self {
        Self(of.bounds().2)
    }

    /// The lifetime in seconds.
    pub fn seconds(self) -> u32 {
        self.0
    }
}

/// A redirect URI, kept exactly as registered (redirects are matched by exact string comparison).
///
/// Allowed: `https` with a host; `http` only to a loopback host `127.0.0.1`, `[::1]` or `localhost`, any port (RFC
/// 8252 §7.3); a private-use scheme with a dot in it, for native apps (RFC 8252 §7.1, `com.example.app:/callback`).
/// Refused: relative URIs, fragments, wildcards, whitespace, userinfo, and `javascript:`, `data:`, `file:` and every
/// other scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectUri(String);

impl RedirectUri {
    /// Checks a redirect URI for the list named `field` (`redirectUris` or `postLogoutRedirectUris`).
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, DomainError> {
        let refuse = |reason: &str| DomainError::InvalidClient {
            field,
            reason: format!("{raw:?}: {reason}"),
        };
        if raw.len() > 2048 || raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(refuse("at most 2048 characters, without spaces"));
        }
        if raw.contains('*') {
            return Err(refuse("wildcards are not allowed: register each URI"));
        }
        let url = url::Url::parse(raw).map_err(|_| refuse("not an absolute URI"))?;
        if url.fragment().is_some() || raw.contains('#') {
            return Err(refuse("a redirect URI has no fragment"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refuse("a redirect URI has no user or password"));
        }
        match url.scheme() {
            "https" if url.host().is_some() => {}
            "http" if loopback(&url) => {}
            "http" => {
                return Err(refuse(
                    "http is for loopback hosts only (127.0.0.1, [::1], localhost); use https",
                ));
            }
            scheme if scheme.contains('.') => {}
            _ => {
                return Err(refuse(
                    "use https, http on a loopback host, or a private-use scheme such as com.example.app:/callback",
                ));
            }
        }
        Ok(Self(raw.to_owned()))
    }

    /// The URI as registered.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name == "localhost",
        Some(url::Host::Ipv4(ip)) => ip == std::net::Ipv4Addr::LOCALHOST,
        Some(url::Host::Ipv6(ip)) => ip == std::net::Ipv6Addr::LOCALHOST,
        None => false,
    }
}

/// An absolute https URL with a host, no fragment and no user or password (a logo, a back-channel logout endpoint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpsUrl(String);

impl HttpsUrl {
    /// Checks the URL of the field named `field`.
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, DomainError> {
        let ok = raw.len() <= 2048
            && !raw.chars().any(|c| c.is_whitespace() || c.is_control())
            && url::Url::parse(raw).is_ok_and(|url| {
                url.scheme() == "https"
                    && url.host().is_some()
                    && url.fragment().is_none()
                    && url.username().is_empty()
                    && url.password().is_none()
            });
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(invalid(
                field,
                "an absolute https URL, without fragment, at most 2048 characters",
            ))
        }
    }

    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests;
