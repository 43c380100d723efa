//! The device flow (RFC 8628) with WeChat as the user's step: the device asks for a device code and shows a QR code
//! (a QR login session whose poll secret is the device code); the user scans it with WeChat and confirms in the
//! scanner mini program, or types the user code at the verification page on a computer and scans there; the device
//! polls the token endpoint, no faster than the interval.

use std::time::Duration;

use chrono::Duration as TimeDelta;
use denglu_crypto::{hash_secret, random_token};
use denglu_domain::{
    AuthMethod, DeviceCode, GrantType, OidcClient, OidcGrant, PoolId, QrMode, QrOptions, Requester,
    Scope,
};
use denglu_store::StoreError;
use rand::Rng;

use crate::{
    KeyedLimit, QrLogin, QrPoll,
    oidc::{
        ClientCredentials, IssuedTokens, OAuthCode, OAuthError, OAuthResult, Oidc, issue::Minting,
    },
};

/// The shortest time between two polls of one device code, in seconds.
const DEVICE_POLL_INTERVAL: u32 = 5;

/// The letters of user codes: consonants only, so that no word is spelt and none is mistaken for a digit (RFC 8628
/// §6.1).
const USER_CODE_LETTERS: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";

/// Each replica's count of the devices' polls, one per interval.
#[derive(Clone)]
pub(crate) struct DevicePolls(KeyedLimit<[u8; 32]>);

impl Default for DevicePolls {
    fn default() -> Self {
        Self(KeyedLimit::one_per(Duration::from_secs(u64::from(
            DEVICE_POLL_INTERVAL,
        ))))
    }
}

/// What the device authorization endpoint answers (RFC 8628 §3.2).
#[derive(Debug, Clone)]
pub struct DeviceAuthorization {
    /// The code the device polls with.
    pub device_code: String,
    /// The code the user may type at the verification page.
    pub user_code: String,
    /// The verification page.
    pub verification_uri: String,
    /// What the QR code on the device's screen holds: the scanner's link for the session in url mode, else the
    /// verification page with the user code.
    pub verification_uri_complete: String,
    /// The QR code as an image, for a device that shows a picture rather than drawing a code.
    pub qrcode: String,
    /// Seconds until the codes expire.
    pub expires_in: i64,
    /// Seconds between polls.
    pub interval: u32,
}

/// What the verification page shows for a user code.
#[derive(Debug, Clone)]
pub struct DevicePage {
    /// The QR session to scan.
    pub scene: String,
    /// The application's name.
    pub client_name: String,
}

impl Oidc<'_> {
    /// Starts a device authorization for the client these credentials authenticate.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn authorize_device(
        &self,
        pool: &PoolId,
        credentials: &ClientCredentials,
        scope: Option<&str>,
        from: Requester,
    ) -> OAuthResult<DeviceAuthorization> {
        self.pool(pool).await?;
        let client = self.authenticate_client(pool, credentials, false).await?;
        if !client.grant_types.contains(&GrantType::DeviceCode) {
            return Err(OAuthError::new(
                OAuthCode::UnauthorizedClient,
                "this application may not use the device flow",
            ));
        }
        let scopes = device_scopes(scope, &client)?;
        let device_code = random_token(32);
        let started = QrLogin::new(self)
            .start(pool, &device_code, QrOptions::default(), from)
            .await?;
        let session = started.session;
        let mut stored = DeviceCode {
            user_code: String::new(),
            device_code_hash: hash_secret(&device_code),
            pool_id: pool.clone(),
            client_id: client.client_id.clone(),
            scene: session.scene.clone(),
            scopes,
            created_at: session.created_at,
            expires_at: session.expires_at,
        };
        for attempt in 1..=3 {
            stored.user_code = new_user_code();
            match self.store.oidc().insert_device_code(&stored).await {
                Ok(()) => break,
                Err(StoreError::Conflict { .. }) if attempt < 3 => {}
                Err(other) => return Err(other.into()),
            }
        }
        let issuer = self.issuer(pool);
        let page = format!("{issuer}/device?user_code={}", stored.user_code);
        let verification_uri_complete = match QrLogin::new(self).settings(pool).await?.mode {
            QrMode::Url => format!(
                "{}{}",
                self.qr_scanner(pool, false).await?.link_prefix,
                session.scene
            ),
            QrMode::Wxacode => page,
        };
        tracing::info!(pool_id = %pool, client_id = %client.client_id, "device authorization started");
        Ok(DeviceAuthorization {
            device_code,
            user_code: stored.user_code,
            verification_uri: format!("{issuer}/device"),
            verification_uri_complete,
            qrcode: format!("{}/qrcode/{}.png", self.public_url(), session.scene),
            expires_in: (session.expires_at - self.clock.now()).num_seconds().max(0),
            interval: DEVICE_POLL_INTERVAL,
        })
    }

    /// The pending authorization a user code names, for the verification page; `None` when there is none (unknown,
    /// mistyped or expired).
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn device_page(
        &self,
        pool: &PoolId,
        user_code: &str,
    ) -> OAuthResult<Option<DevicePage>> {
        self.pool(pool).await?;
        let Some(code) = normal_user_code(user_code) else {
            return Ok(None);
        };
        let Some(found) = self
            .store
            .oidc()
            .device_code_by_user_code(pool, &code)
            .await?
        else {
            return Ok(None);
        };
        if self.clock.now() >= found.expires_at {
            return Ok(None);
        }
        let client = self
            .store
            .oidc_clients()
            .oidc_client(pool, &found.client_id)
            .await?;
        Ok(Some(DevicePage {
            scene: found.scene,
            client_name: client
                .map(|c| c.name.as_str().to_owned())
                .unwrap_or_default(),
        }))
    }

    /// The device code grant: pending until the user confirmed, then the tokens, once.
    pub(crate) async fn device_token(
        &self,
        client: &OidcClient,
        device_code: &str,
        from: Requester,
    ) -> OAuthResult<IssuedTokens> {
        let hash = hash_secret(device_code);
        let refused = || OAuthError::invalid_grant("the device code is not valid");
        let stored = self
            .store
            .oidc()
            .device_code(&client.pool_id, &hash)
            .await?
            .filter(|stored| stored.client_id == client.client_id)
            .ok_or_else(refused)?;
        if !self.device_polls.0.allows(hash.as_bytes()) {
            return Err(OAuthError::new(
                OAuthCode::SlowDown,
                format!("poll at most every {DEVICE_POLL_INTERVAL} seconds"),
            ));
        }
        let expired = || {
            OAuthError::new(
                OAuthCode::ExpiredToken,
                "the device code has expired; start again",
            )
        };
        if self.clock.now() >= stored.expires_at {
            return Err(expired());
        }
        let session = match QrLogin::new(self).poll(device_code, from).await? {
            QrPoll::Collected { session, .. } => session,
            QrPoll::Waiting(_) => {
                return Err(OAuthError::new(
                    OAuthCode::AuthorizationPending,
                    "the user has not confirmed yet",
                ));
            }
            QrPoll::Expired => return Err(expired()),
            QrPoll::Cancelled => {
                return Err(OAuthError::new(OAuthCode::AccessDenied, "the user refused"));
            }
            QrPoll::Used => {
                return Err(OAuthError::invalid_grant(
                    "the device code was already used",
                ));
            }
            QrPoll::Unknown => return Err(refused()),
        };
        let now = self.clock.now();
        let lifetime = i64::from(client.refresh_token_lifetime.seconds());
        let grant = OidcGrant {
            id: random_token(16),
            pool_id: client.pool_id.clone(),
            client_id: client.client_id.clone(),
            user_id: Some(session.user.id.clone()),
            scopes: stored.scopes.clone(),
            sid: None,
            method: Some(AuthMethod::WechatQr),
            auth_time: Some(now),
            created_at: now,
            expires_at: now + TimeDelta::seconds(lifetime),
            revoked_at: None,
        };
        self.store.oidc().insert_grant(&grant).await?;
        tracing::info!(pool_id = %client.pool_id, client_id = %client.client_id, user_id = %session.user.id, "device authorized");
        self.mint(Minting {
            grant: &grant,
            client,
            user: Some(&session.user),
            scopes: &grant.scopes,
            nonce: None,
            refresh_token: None,
        })
        .await
    }
}

/// The scopes a device asks for (`openid` when it names none), each allowed to the client; `offline_access` only
/// for a first-party client, since the device flow has no consent page.
fn device_scopes(scope: Option<&str>, client: &OidcClient) -> OAuthResult<Vec<Scope>> {
    let names: Vec<&str> = scope.unwrap_or("openid").split_whitespace().collect();
    let invalid = || {
        OAuthError::new(
            OAuthCode::InvalidScope,
            "a scope is unknown or not allowed to this application",
        )
    };
    let scopes = Scope::parse_list(&names).map_err(|_| invalid())?;
    if scopes.iter().any(|scope| !client.scopes.contains(scope)) {
        return Err(invalid());
    }
    Ok(scopes
        .into_iter()
        .filter(|scope| *scope != Scope::OfflineAccess || client.first_party)
        .collect())
}

/// A fresh user code: eight letters of [`USER_CODE_LETTERS`] as `XXXX-XXXX` (20⁸ ≈ 2.6·10¹⁰ codes).
fn new_user_code() -> String {
    let mut rng = rand::thread_rng();
    let letter = |rng: &mut rand::rngs::ThreadRng| {
        char::from(USER_CODE_LETTERS[rng.gen_range(0..USER_CODE_LETTERS.len())])
    };
    let first: String = (0..4).map(|_| letter(&mut rng)).collect();
    let second: String = (0..4).map(|_| letter(&mut rng)).collect();
    format!("{first}-{second}")
}

/// A user code as typed (any case, with or without its dash or spaces), as stored; `None` if it cannot be one.
fn normal_user_code(typed: &str) -> Option<String> {
    let letters: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let valid = letters.len() == 8 && letters.bytes().all(|b| USER_CODE_LETTERS.contains(&b));
    valid.then(|| format!("{}-{}", &letters[..4], &letters[4..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_are_two_groups_of_four_consonants_and_read_back_however_typed() {
        let code = new_user_code();
        assert_eq!(normal_user_code(&code).as_deref(), Some(code.as_str()));
        let typed = code.to_ascii_lowercase().replace('-', " ");
        assert_eq!(normal_user_code(&typed), Some(code));
        assert_eq!(normal_user_code("ABCD-EFGH"), None, "vowels are never used");
        assert_eq!(normal_user_code("BCDF-GHJ"), None);
    }
}
