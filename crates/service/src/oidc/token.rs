//! The token endpoint's grants (RFC 6749 §4.1.3, §4.4, §6; RFC 7636 §4.6): the authorization code with its PKCE
//! verifier (a replayed code revokes everything issued from it), the refresh token (rotated; a reused one revokes
//! its family) and the client's own credentials.

use denglu_crypto::{hash_secret, pkce_verifier_matches, random_token};
use denglu_domain::{
    CodeUse, GrantType, OidcClient, OidcGrant, PoolId, RefreshUse, Requester, Scope, User,
};

use crate::{
    Oidc,
    oidc::{
        ClientCredentials, IssuedTokens, OAuthCode, OAuthError, OAuthResult,
        issue::{Minting, client_grant},
    },
};

/// The form of a token request, as sent.
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    /// `authorization_code`, `refresh_token` or `client_credentials`.
    pub grant_type: Option<String>,
    /// The authorization code.
    pub code: Option<String>,
    /// The redirect URI of the authorization request.
    pub redirect_uri: Option<String>,
    /// The PKCE verifier.
    pub code_verifier: Option<String>,
    /// The refresh token.
    pub refresh_token: Option<String>,
    /// Scopes asked for (`client_credentials`), or fewer than granted (`refresh_token`).
    pub scope: Option<String>,
    /// The device code (`urn:ietf:params:oauth:grant-type:device_code`).
    pub device_code: Option<String>,
}

impl Oidc<'_> {
    /// Answers a token request of the client these credentials authenticate.
    #[tracing::instrument(skip_all, fields(pool_id = %pool, grant_type))]
    pub async fn token(
        &self,
        pool: &PoolId,
        credentials: &ClientCredentials,
        request: TokenRequest,
        from: Requester,
    ) -> OAuthResult<IssuedTokens> {
        self.pool(pool).await?;
        let grant_type = request.grant_type.as_deref().unwrap_or_default();
        tracing::Span::current().record("grant_type", grant_type);
        let wanted = match grant_type {
            "authorization_code" => GrantType::AuthorizationCode,
            "refresh_token" => GrantType::RefreshToken,
            "client_credentials" => GrantType::ClientCredentials,
            "urn:ietf:params:oauth:grant-type:device_code" => GrantType::DeviceCode,
            "" => return Err(OAuthError::invalid_request("grant_type is missing")),
            _ => {
                return Err(OAuthError::new(
                    OAuthCode::UnsupportedGrantType,
                    "use authorization_code, refresh_token, client_credentials or \
                     urn:ietf:params:oauth:grant-type:device_code",
                ));
            }
        };
        let client = self.authenticate_client(pool, credentials, false).await?;
        if !client.grant_types.contains(&wanted) {
            return Err(OAuthError::new(
                OAuthCode::UnauthorizedClient,
                format!("this application may not use the {grant_type} grant"),
            ));
        }
        match wanted {
            GrantType::AuthorizationCode => self.exchange_code(&client, request).await,
            GrantType::RefreshToken => self.refresh(&client, request).await,
            GrantType::ClientCredentials => self.client_credentials(&client, request).await,
            GrantType::DeviceCode => {
                let device_code = required(&request.device_code, "device_code")?;
                self.device_token(&client, device_code, from).await
            }
        }
    }

    async fn exchange_code(
        &self,
        client: &OidcClient,
        request: TokenRequest,
    ) -> OAuthResult<IssuedTokens> {
        let code = required(&request.code, "code")?;
        let now = self.clock.now();
        let (code, grant) = match self
            .store
            .oidc()
            .use_code(&client.pool_id, &hash_secret(code), now)
            .await?
        {
            CodeUse::First(code, grant) => (code, grant),
            CodeUse::Replayed(grant) => {
                self.store
                    .oidc()
                    .revoke_grant(&grant.pool_id, &grant.id, now)
                    .await?;
                tracing::warn!(pool_id = %grant.pool_id, client_id = %grant.client_id, "authorization code replayed: its tokens are revoked");
                return Err(OAuthError::invalid_grant(
                    "the code was already used; every token issued from it is revoked",
                ));
            }
            CodeUse::Unknown => return Err(OAuthError::invalid_grant("the code is not valid")),
        };
        if grant.client_id != client.client_id {
            return Err(OAuthError::invalid_grant(
                "the code was issued to another application",
            ));
        }
        if now >= code.expires_at {
            return Err(OAuthError::invalid_grant("the code has expired"));
        }
        if !grant.is_live(now) {
            return Err(OAuthError::invalid_grant(
                "the login has ended (the user logged out); log in again",
            ));
        }
        if request.redirect_uri.as_deref() != Some(code.redirect_uri.as_str()) {
            return Err(OAuthError::invalid_grant(
                "redirect_uri is not the one of the authorization request",
            ));
        }
        let verifier = required(&request.code_verifier, "code_verifier")?;
        if let Some(challenge) = &code.code_challenge
            && !pkce_verifier_matches(verifier, challenge.as_str())
        {
            return Err(OAuthError::invalid_grant(
                "code_verifier does not match the code_challenge",
            ));
        }
        let user = self.grant_user(&grant).await?;
        let scopes = grant.scopes.clone();
        self.mint(Minting {
            grant: &grant,
            client,
            user: Some(&user),
            scopes: &scopes,
            nonce: code.nonce,
            refresh_token: None,
        })
        .await
    }

    async fn refresh(
        &self,
        client: &OidcClient,
        request: TokenRequest,
    ) -> OAuthResult<IssuedTokens> {
        let token = required(&request.refresh_token, "refresh_token")?;
        let hash = hash_secret(token);
        let pool = &client.pool_id;
        let refused = || OAuthError::invalid_grant("the refresh token is not valid");
        match self.store.oidc().refresh_token_grant(pool, &hash).await? {
            Some((grant, _)) if grant.client_id == client.client_id => {}
            _ => return Err(refused()),
        }
        let now = self.clock.now();
        let successor = random_token(32);
        let grant = match self
            .store
            .oidc()
            .rotate_refresh_token(pool, &hash, &hash_secret(&successor), now)
            .await?
        {
            RefreshUse::Rotated(grant) => grant,
            RefreshUse::Reused(grant) => {
                self.store.oidc().revoke_grant(pool, &grant.id, now).await?;
                tracing::warn!(pool_id = %pool, client_id = %client.client_id, "refresh token reused: its family is revoked");
                return Err(OAuthError::invalid_grant(
                    "the refresh token was already used; every token of this login is revoked",
                ));
            }
            RefreshUse::Unknown => return Err(refused()),
        };
        if !grant.is_live(now) {
            return Err(OAuthError::invalid_grant(
                "the login has ended or expired; log in again",
            ));
        }
        let user = self.grant_user(&grant).await?;
        let scopes = match request.scope.as_deref().map(str::split_whitespace) {
            None => grant.scopes.clone(),
            Some(names) => {
                let names: Vec<&str> = names.collect();
                let asked = Scope::parse_list(&names).map_err(|_| invalid_scope())?;
                if asked.iter().any(|scope| !grant.scopes.contains(scope)) {
                    return Err(invalid_scope());
                }
                asked
            }
        };
        self.mint(Minting {
            grant: &grant,
            client,
            user: Some(&user),
            scopes: &scopes,
            nonce: None,
            refresh_token: Some(successor),
        })
        .await
    }

    async fn client_credentials(
        &self,
        client: &OidcClient,
        request: TokenRequest,
    ) -> OAuthResult<IssuedTokens> {
        let names: Vec<&str> = request
            .scope
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        let scopes = Scope::parse_list(&names).map_err(|_| invalid_scope())?;
        if scopes.iter().any(|scope| {
            !client.scopes.contains(scope) || matches!(scope, Scope::Openid | Scope::OfflineAccess)
        }) {
            return Err(OAuthError::new(
                OAuthCode::InvalidScope,
                "a client acting for itself may ask only for scopes it is allowed, and not openid or offline_access",
            ));
        }
        let grant = client_grant(client, scopes, self.clock.now());
        self.store.oidc().insert_grant(&grant).await?;
        self.mint(Minting {
            grant: &grant,
            client,
            user: None,
            scopes: &grant.scopes,
            nonce: None,
            refresh_token: None,
        })
        .await
    }

    /// The user of a grant while its tokens may be used: not blocked, not logged out everywhere since the grant.
    /// Otherwise the grant is revoked and the request refused.
    pub(crate) async fn grant_user(&self, grant: &OidcGrant) -> OAuthResult<User> {
        let user = match &grant.user_id {
            Some(id) => self.store.user(&grant.pool_id, id).await?,
            None => None,
        };
        match user {
            Some(user) if !user.blocked && !user.is_token_revoked(grant.created_at.timestamp()) => {
                Ok(user)
            }
            _ => {
                self.store
                    .oidc()
                    .revoke_grant(&grant.pool_id, &grant.id, self.clock.now())
                    .await?;
                Err(OAuthError::invalid_grant(
                    "the user is blocked, deleted or logged out everywhere",
                ))
            }
        }
    }
}

fn required<'a>(value: &'a Option<String>, name: &str) -> OAuthResult<&'a str> {
    value
        .as_deref()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| OAuthError::invalid_request(format!("{name} is missing")))
}

fn invalid_scope() -> OAuthError {
    OAuthError::new(
        OAuthCode::InvalidScope,
        "a scope is unknown or was not granted",
    )
}
