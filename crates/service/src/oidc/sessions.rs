//! The IdP session: made when the user logs in at the hosted login page (by QR code or password), found again by its
//! cookie, and valid while the user exists, is not blocked and has not logged out everywhere since.

use chrono::Duration;
use denglu_crypto::{hash_secret, random_token};
use denglu_domain::{AuthMethod, IdpSession, Pool, PoolId, User};

use crate::{
    Accounts, LoginInput, Oidc, ServiceError, ServiceResult,
    oidc::{OAuthError, OAuthResult},
};

/// A session just made: the cookie to give the browser, and how long it lasts.
#[derive(Debug)]
pub struct NewSession {
    /// The cookie's value: the session's only bearer.
    pub cookie: String,
    /// Its lifetime in seconds (the cookie's `Max-Age`).
    pub max_age: i64,
    /// Where the browser goes next: the authorization request, continued.
    pub resume: String,
}

/// How long a token from the login page's QR code may be old to open a session: it was issued a moment ago.
const FRESH_TOKEN_SECONDS: i64 = 120;

impl Oidc<'_> {
    /// Opens a session for the user of `token`, the user token the login page's QR code just collected, and the
    /// interaction `sealed` sent by the browser holding `csrf`.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn log_in_by_qr(
        &self,
        pool: &PoolId,
        sealed: &str,
        csrf: Option<&str>,
        token: &str,
    ) -> OAuthResult<NewSession> {
        self.open_interaction(pool, sealed, csrf)?;
        let verified = self
            .verify_token(Some(token))
            .await
            .map_err(|error| match error {
                ServiceError::UserBlocked => {
                    OAuthError::new(super::OAuthCode::AccessDenied, "the user is blocked")
                }
                fault @ (ServiceError::Unavailable(_) | ServiceError::Internal(_)) => fault.into(),
                _ => OAuthError::invalid_request(
                    "the QR login did not complete; scan the code again",
                ),
            })?;
        let now = self.clock.now();
        if verified.pool.id != *pool || now.timestamp() - verified.claims.iat > FRESH_TOKEN_SECONDS
        {
            return Err(OAuthError::invalid_request(
                "the QR login did not complete; scan the code again",
            ));
        }
        self.open_session(&verified.pool, &verified.user, AuthMethod::WechatQr, sealed)
            .await
            .map_err(Into::into)
    }

    /// Opens a session for the password account `account`; the attempt is limited and audited as every password
    /// login is. A wrong password is the service error to show on the page again.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn log_in_by_password(
        &self,
        pool: &PoolId,
        sealed: &str,
        csrf: Option<&str>,
        input: LoginInput,
    ) -> Result<NewSession, ServiceError> {
        self.open_interaction(pool, sealed, csrf)
            .map_err(|error| ServiceError::Rejected(error.description))?;
        let login = Accounts::new(self).login_with_password(pool, input).await?;
        let pool = self.pool(pool).await?;
        self.open_session(&pool, &login.user, AuthMethod::Password, sealed)
            .await
    }

    async fn open_session(
        &self,
        pool: &Pool,
        user: &User,
        method: AuthMethod,
        sealed: &str,
    ) -> ServiceResult<NewSession> {
        let now = self.clock.now();
        let cookie = random_token(32);
        let max_age = i64::from(pool.token_lifetime.seconds());
        let session = IdpSession {
            sid: random_token(16),
            pool_id: pool.id.clone(),
            cookie_hash: hash_secret(&cookie),
            user_id: user.id.clone(),
            method,
            auth_time: now,
            expires_at: now + Duration::seconds(max_age),
        };
        self.store.oidc().insert_idp_session(&session).await?;
        tracing::info!(pool_id = %pool.id, user_id = %user.id, method = method.as_str(), "IdP session opened");
        let resume = super::authorize::with_query(
            &format!("{}/authorize/resume", self.issuer(&pool.id)),
            &[("interaction", sealed)],
        );
        Ok(NewSession {
            cookie,
            max_age,
            resume,
        })
    }

    /// The session the browser's `cookie` names, with its user, while it is valid.
    pub(crate) async fn current_session(
        &self,
        pool: &PoolId,
        cookie: Option<&str>,
    ) -> ServiceResult<Option<(IdpSession, User)>> {
        let Some(cookie) = cookie.filter(|c| !c.is_empty()) else {
            return Ok(None);
        };
        let now = self.clock.now();
        let Some(session) = self
            .store
            .oidc()
            .idp_session(pool, &hash_secret(cookie), now)
            .await?
        else {
            return Ok(None);
        };
        let user = self.store.user(pool, &session.user_id).await?;
        Ok(user
            .filter(|user| !user.blocked && !user.is_token_revoked(session.auth_time.timestamp()))
            .map(|user| (session, user)))
    }
}

/// Who is at the browser: what the login page's requests carry.
#[derive(Debug, Clone, Copy, Default)]
pub struct Browser<'a> {
    /// The IdP session cookie, if any.
    pub session: Option<&'a str>,
    /// The CSRF cookie (the server door makes one when the browser has none).
    pub csrf: Option<&'a str>,
}
