//! The authorization endpoint's decisions: log in (the hosted page), consent (third-party applications), or an
//! authorization code for the client, which binds a new grant to the client, the redirect URI, the PKCE challenge
//! and the nonce.

use chrono::{DateTime, Duration, Utc};
use denglu_crypto::{hash_secret, random_token};
use denglu_domain::{
    AuthorizationCode, ClientName, HttpsUrl, IdpSession, OidcGrant, PoolName, RegisterMethod,
    Scope, User, UserFilter,
};

use crate::{
    Oidc,
    oidc::{
        AuthorizeParams, Browser, OAuthCode, OAuthError,
        authorize::{Refusal, ValidRequest, with_query},
    },
};

/// How long an authorization code can be exchanged.
const CODE_LIFETIME: Duration = Duration::seconds(60);

/// What the browser is shown or sent to next.
#[derive(Debug)]
pub enum AuthorizeStep {
    /// The hosted login page.
    Login(Box<LoginPage>),
    /// The consent page of a third-party application.
    Consent(Box<ConsentPage>),
    /// Back to the client: its redirect URI with the code (or an error), `state` and `iss`.
    Redirect(String),
}

/// What every page of the flow shows.
#[derive(Debug, Clone)]
pub struct PageContext {
    /// The pool's name.
    pub pool_name: PoolName,
    /// The application's name.
    pub client_name: ClientName,
    /// The application's logo.
    pub client_logo: Option<HttpsUrl>,
    /// The request's `ui_locales`, if any.
    pub ui_locales: Option<String>,
    /// The sealed request, for the page's forms.
    pub interaction: String,
}

/// The hosted login page.
#[derive(Debug, Clone)]
pub struct LoginPage {
    /// What every page shows.
    pub context: PageContext,
    /// Whether to offer the password form (the pool has password accounts).
    pub password_form: bool,
    /// The request's `login_hint`, for the password form.
    pub login_hint: Option<String>,
}

/// The consent page.
#[derive(Debug, Clone)]
pub struct ConsentPage {
    /// What every page shows.
    pub context: PageContext,
    /// The user deciding.
    pub user: User,
    /// The scopes the application asks for.
    pub scopes: Vec<Scope>,
}

impl Oidc<'_> {
    /// An authorization request arriving from the browser.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn authorize(
        &self,
        pool: &denglu_domain::PoolId,
        params: &AuthorizeParams,
        browser: Browser<'_>,
    ) -> Result<AuthorizeStep, Refusal> {
        let valid = self.check_request(pool, params).await?;
        self.proceed(valid, params, self.clock.now(), browser).await
    }

    /// The request a login page sent back (after a login), continued.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn resume(
        &self,
        pool: &denglu_domain::PoolId,
        sealed: &str,
        browser: Browser<'_>,
    ) -> Result<AuthorizeStep, Refusal> {
        let interaction = self
            .open_interaction(pool, sealed, browser.csrf)
            .map_err(Refusal::Show)?;
        let valid = self.check_request(pool, &interaction.params).await?;
        self.proceed(valid, &interaction.params, interaction.asked_at, browser)
            .await
    }

    /// The user's answer on the consent page: approved, the consent is remembered and the code issued.
    #[tracing::instrument(skip_all, fields(pool_id = %pool, approved))]
    pub async fn consent(
        &self,
        pool: &denglu_domain::PoolId,
        sealed: &str,
        browser: Browser<'_>,
        approved: bool,
    ) -> Result<AuthorizeStep, Refusal> {
        let interaction = self
            .open_interaction(pool, sealed, browser.csrf)
            .map_err(Refusal::Show)?;
        let valid = self.check_request(pool, &interaction.params).await?;
        let Some((session, user)) = self
            .current_session(&valid.pool.id, browser.session)
            .await?
        else {
            return self
                .proceed(valid, &interaction.params, interaction.asked_at, browser)
                .await;
        };
        if !approved {
            let error = OAuthError::new(OAuthCode::AccessDenied, "the user did not allow it");
            return Ok(self.refuse(&valid, &error));
        }
        let mut scopes = self
            .store
            .oidc()
            .consent(&valid.pool.id, &user.id, &valid.client.client_id)
            .await?
            .unwrap_or_default();
        for scope in &valid.scopes {
            if !scopes.contains(scope) {
                scopes.push(*scope);
            }
        }
        scopes.sort_by_key(|scope| Scope::ALL.iter().position(|s| s == scope));
        self.store
            .oidc()
            .save_consent(
                &valid.pool.id,
                &user.id,
                &valid.client.client_id,
                &scopes,
                self.clock.now(),
            )
            .await?;
        self.issue_code(&valid, &session, &user).await
    }

    async fn proceed(
        &self,
        valid: ValidRequest,
        params: &AuthorizeParams,
        asked_at: DateTime<Utc>,
        browser: Browser<'_>,
    ) -> Result<AuthorizeStep, Refusal> {
        let now = self.clock.now();
        let session = self
            .current_session(&valid.pool.id, browser.session)
            .await?
            .filter(|(session, _)| {
                // A login after the request satisfies both `prompt=login` and `max_age`.
                let fresh = session.auth_time >= asked_at;
                let young = |age: i64| (now - session.auth_time).num_seconds() <= age;
                fresh || (!valid.prompt.login && valid.max_age.is_none_or(young))
            });
        let Some((session, user)) = session else {
            if valid.prompt.none {
                let error = OAuthError::new(OAuthCode::LoginRequired, "the user is not logged in");
                return Ok(self.refuse(&valid, &error));
            }
            return Ok(AuthorizeStep::Login(Box::new(
                self.login_page(&valid, params, browser, asked_at).await?,
            )));
        };
        if self.needs_consent(&valid, &user).await? {
            if valid.prompt.none {
                let error =
                    OAuthError::new(OAuthCode::ConsentRequired, "the user has not consented");
                return Ok(self.refuse(&valid, &error));
            }
            let context = self.page_context(&valid, params, browser, asked_at);
            let scopes = valid.scopes.clone();
            return Ok(AuthorizeStep::Consent(Box::new(ConsentPage {
                context,
                user,
                scopes,
            })));
        }
        self.issue_code(&valid, &session, &user).await
    }

    /// A third-party application needs the user's consent unless they gave it for these scopes (or more) before,
    /// and `prompt=consent` asks anew.
    async fn needs_consent(&self, valid: &ValidRequest, user: &User) -> Result<bool, Refusal> {
        if valid.client.first_party {
            return Ok(false);
        }
        if valid.prompt.consent {
            return Ok(true);
        }
        let given = self
            .store
            .oidc()
            .consent(&valid.pool.id, &user.id, &valid.client.client_id)
            .await?;
        Ok(!given.is_some_and(|given| valid.scopes.iter().all(|scope| given.contains(scope))))
    }

    async fn login_page(
        &self,
        valid: &ValidRequest,
        params: &AuthorizeParams,
        browser: Browser<'_>,
        asked_at: DateTime<Utc>,
    ) -> Result<LoginPage, Refusal> {
        let filter = UserFilter {
            register_method: Some(RegisterMethod::UsernamePassword),
            limit: 1,
            ..UserFilter::default()
        };
        let password_form = !self
            .store
            .admin()
            .search_users(&valid.pool.id, &filter)
            .await?
            .is_empty();
        Ok(LoginPage {
            context: self.page_context(valid, params, browser, asked_at),
            password_form,
            login_hint: valid.login_hint.clone(),
        })
    }

    fn page_context(
        &self,
        valid: &ValidRequest,
        params: &AuthorizeParams,
        browser: Browser<'_>,
        asked_at: DateTime<Utc>,
    ) -> PageContext {
        PageContext {
            pool_name: valid.pool.name.clone(),
            client_name: valid.client.name.clone(),
            client_logo: valid.client.logo_uri.clone(),
            ui_locales: valid.ui_locales.clone(),
            interaction: self.seal_interaction(
                &valid.pool.id,
                params,
                browser.csrf.unwrap_or_default(),
                asked_at,
            ),
        }
    }

    fn refuse(&self, valid: &ValidRequest, error: &OAuthError) -> AuthorizeStep {
        AuthorizeStep::Redirect(self.error_redirect(
            &valid.pool.id,
            &valid.redirect_uri,
            error,
            valid.state.as_deref(),
        ))
    }

    async fn issue_code(
        &self,
        valid: &ValidRequest,
        session: &IdpSession,
        user: &User,
    ) -> Result<AuthorizeStep, Refusal> {
        let now = self.clock.now();
        let lifetime = i64::from(valid.client.refresh_token_lifetime.seconds());
        let grant = OidcGrant {
            id: random_token(16),
            pool_id: valid.pool.id.clone(),
            client_id: valid.client.client_id.clone(),
            user_id: Some(user.id.clone()),
            scopes: valid.scopes.clone(),
            sid: Some(session.sid.clone()),
            method: Some(session.method),
            auth_time: Some(session.auth_time),
            created_at: now,
            expires_at: now + Duration::seconds(lifetime),
            revoked_at: None,
        };
        let code = random_token(32);
        let stored = AuthorizationCode {
            code_hash: hash_secret(&code),
            grant_id: grant.id.clone(),
            redirect_uri: valid.redirect_uri.clone(),
            code_challenge: Some(valid.code_challenge.clone()),
            nonce: valid.nonce.clone(),
            expires_at: now + CODE_LIFETIME,
            used_at: None,
        };
        self.store.oidc().insert_code(&stored, &grant).await?;
        tracing::info!(pool_id = %valid.pool.id, client_id = %valid.client.client_id, user_id = %user.id, "authorization code issued");
        let issuer = self.issuer(&valid.pool.id);
        let mut pairs = vec![("code", code.as_str())];
        if let Some(state) = valid.state.as_deref() {
            pairs.push(("state", state));
        }
        pairs.push(("iss", issuer.as_str()));
        Ok(AuthorizeStep::Redirect(with_query(
            &valid.redirect_uri,
            &pairs,
        )))
    }
}
