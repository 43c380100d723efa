//! App-launched login (flow B, app2wxapp): the scanner mini program mints a one-time ticket for the WeChat user
//! the app sent it, and the app's backend exchanges the ticket, once, for the user and their token.

use denglu_crypto::{hash_secret, pkce_verifier_matches, random_token};
use denglu_domain::{
    AppId, AppLoginSettings, AppRole, AppTicket, CodeChallenge, PoolId, RegisterMethod, Requester,
    ShortLifetime,
};
use denglu_store::LoginRecord;

use crate::{
    ErrorCode, PhoneProof, ServiceError, ServiceResult, Session,
    metrics::TicketEvent,
    shared::flow_view,
    shared::login_audit::LoginMethod,
    shared::pool_cache::CachedPool,
    shared::sessions::counted,
    shared::wechat_users::{WechatLogin, shared_profile},
};

flow_view! {
    /// App-launched login (flow B): the mini program mints a one-time ticket, the app's backend exchanges it.
    AppLogin
}

/// What the app-launch page sends to mint a ticket.
#[derive(Debug)]
pub struct MintTicket {
    /// The `wx.login` code.
    pub code: String,
    /// The phone number, when the app asked for it and the user shared it.
    pub phone: Option<PhoneProof>,
    /// A nickname the user chose to share.
    pub nickname: Option<String>,
    /// An avatar URL the user chose to share.
    pub avatar: Option<String>,
    /// `BASE64URL(SHA-256(verifier))` from the app's launch path: the exchange must then show the verifier.
    pub code_challenge: Option<String>,
    /// The mini program's AppID, when the pool has several for app launch; the pool's first when absent.
    pub appid: Option<String>,
}

/// A minted ticket: hand it to the app, which exchanges it on its backend.
#[derive(Debug)]
pub struct MintedTicket {
    /// The ticket (43 characters of `[A-Za-z0-9_-]`: no `&` or `=`, safe in `app-parameter`).
    pub ticket: String,
    /// When it can no longer be exchanged.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// What the app's backend presents to exchange a ticket.
#[derive(Debug, Default, Clone, Copy)]
pub struct TicketExchange<'a> {
    /// The ticket.
    pub ticket: Option<&'a str>,
    /// The pool secret.
    pub secret: Option<&'a str>,
    /// The verifier of the ticket's code challenge, if the app bound it.
    pub code_verifier: Option<&'a str>,
}

/// Whether `verifier` hashes to `challenge` (`BASE64URL(SHA-256(verifier))`), compared in constant time.
fn verifier_matches(verifier: Option<&str>, challenge: &CodeChallenge) -> bool {
    verifier.is_some_and(|verifier| pkce_verifier_matches(verifier, challenge.as_str()))
}

/// Changes to a pool's app-launched login settings; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct AppLoginChange {
    /// Ticket lifetime in seconds, 30–600.
    pub ticket_lifetime_seconds: Option<i64>,
    /// Whether the exchange needs the pool secret.
    pub require_secret: Option<bool>,
    /// Whether every ticket must be bound to a code challenge.
    pub require_pkce: Option<bool>,
}

impl AppLogin<'_> {
    /// A pool's app-launched login settings, stored or default.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool))]
    pub async fn settings(&self, pool: &PoolId) -> ServiceResult<AppLoginSettings> {
        Ok(self
            .store
            .app_login_settings(pool)
            .await?
            .unwrap_or_else(|| AppLoginSettings::defaults(pool.clone(), self.clock.now())))
    }

    /// The pool's settings as this replica keeps them beside the pool (see `shared/pool_cache.rs`).
    async fn kept_settings(&self, cached: &CachedPool) -> ServiceResult<AppLoginSettings> {
        cached
            .app_login
            .get_or_try_init(|| self.settings(&cached.pool.id))
            .await
            .cloned()
    }

    /// Applies `change` to a pool's app-launched login settings and returns them.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn change_settings(
        &self,
        pool: &PoolId,
        change: AppLoginChange,
    ) -> ServiceResult<AppLoginSettings> {
        self.pool(pool).await?;
        let mut settings = self.settings(pool).await?;
        if let Some(seconds) = change.ticket_lifetime_seconds {
            settings.ticket_lifetime = ShortLifetime::from_seconds(seconds)?;
        }
        if let Some(require) = change.require_secret {
            settings.require_secret = require;
        }
        if let Some(require) = change.require_pkce {
            settings.require_pkce = require;
        }
        settings.updated_at = self.clock.now();
        self.store.save_app_login_settings(&settings).await?;
        self.forget_pool(pool).await;
        tracing::info!(pool_id = %pool, require_secret = settings.require_secret, "app login settings changed");
        Ok(settings)
    }

    /// Logs the WeChat user of `input.code` in to the pool (finding or creating them per its registration policy)
    /// and mints a ticket for them.
    #[tracing::instrument(skip_all, fields(pool_id = %pool_id))]
    pub async fn mint_ticket(
        &self,
        pool_id: &PoolId,
        input: MintTicket,
    ) -> ServiceResult<MintedTicket> {
        let cached = self.cached_pool(pool_id).await?;
        let pool = &cached.pool;
        let settings = self.kept_settings(&cached).await?;
        let code_challenge = input
            .code_challenge
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(CodeChallenge::parse)
            .transpose()?;
        if settings.require_pkce && code_challenge.is_none() {
            return Err(ServiceError::Rejected(
                "this pool requires a codeChallenge in the launch path".to_owned(),
            ));
        }
        // Checked before the code is spent.
        let (nickname, avatar) = shared_profile(input.nickname, input.avatar)?;
        let requested = input.appid.as_deref().map(AppId::parse).transpose()?;
        let app = self
            .serving_app(&pool.id, AppRole::AppLaunch, requested.as_ref())
            .await?;
        let wechat = self
            .wechat
            .code_to_session(&app.credentials, &input.code)
            .await?;
        let verified_phone = match input.phone {
            Some(proof) => Some(
                self.verified_phone(&app, &wechat.openid, wechat.session_key.expose(), proof)
                    .await?,
            ),
            None => None,
        };
        let login = WechatLogin {
            appid: app.appid.clone(),
            openid: wechat.openid,
            unionid: wechat.unionid,
            nickname,
            avatar,
            verified_phone,
            register_method: RegisterMethod::App2Wxapp,
        };
        let user = self.wechat_user(pool, &login).await?;
        let now = self.clock.now();
        let ticket = random_token(32);
        let stored = AppTicket {
            hash: hash_secret(&ticket),
            pool_id: pool.id.clone(),
            user_id: user.id.clone(),
            code_challenge,
            created_at: now,
            expires_at: now + settings.ticket_lifetime.duration(),
            used_at: None,
        };
        self.store.insert_app_ticket(&stored).await?;
        self.metrics.ticket(TicketEvent::Minted);
        tracing::info!(pool_id = %pool.id, user_id = %user.id, "app login ticket minted");
        Ok(MintedTicket {
            ticket,
            expires_at: stored.expires_at,
        })
    }

    /// Exchanges a ticket for its user and a fresh token. The pool secret and the verifier of a bound ticket are
    /// checked first (the secret unless the pool turned that off), so neither a wrong secret nor a wrong verifier
    /// burns the ticket; of concurrent exchanges, one wins. The attempt goes to the audit log.
    #[tracing::instrument(skip_all, fields(pool_id = %pool_id))]
    pub async fn exchange_ticket(
        &self,
        pool_id: &PoolId,
        exchange: TicketExchange<'_>,
        from: Requester,
    ) -> ServiceResult<Session> {
        let result = self.redeem(pool_id, exchange, from.ip.clone()).await;
        if result.is_ok() {
            self.metrics.ticket(TicketEvent::Exchanged);
        }
        let outcome = result.as_ref().map(|session| &session.user.id);
        self.audit_login(pool_id, LoginMethod::AppLaunch, &from, outcome, None)
            .await;
        result
    }

    async fn redeem(
        &self,
        pool_id: &PoolId,
        exchange: TicketExchange<'_>,
        ip: Option<String>,
    ) -> ServiceResult<Session> {
        let TicketExchange {
            ticket,
            secret,
            code_verifier,
        } = exchange;
        let cached = self.cached_pool(pool_id).await?;
        let pool = &cached.pool;
        if self.kept_settings(&cached).await?.require_secret {
            self.authorize_pool(&pool.id, secret.filter(|s| !s.is_empty()))
                .await
                .map_err(|error| match error.code() {
                    ErrorCode::Forbidden => {
                        ServiceError::Denied("the pool secret is missing or wrong")
                    }
                    _ => error,
                })?;
        }
        let ticket = ticket.filter(|t| !t.is_empty()).ok_or_else(|| {
            ServiceError::Rejected("give the ticket in the body's `ticket`".to_owned())
        })?;
        let hash = hash_secret(ticket);
        let now = self.clock.now();
        // Everything that can refuse is checked before the login is counted: a bound ticket's verifier first, which
        // leaves the ticket unused.
        let stored = self
            .store
            .app_ticket(&hash)
            .await?
            .filter(|t| t.pool_id == pool.id)
            .ok_or(ServiceError::Refused(ErrorCode::TicketNotFound))?;
        if let Some(challenge) = &stored.code_challenge
            && !verifier_matches(code_verifier, challenge)
        {
            return Err(ServiceError::Refused(ErrorCode::TicketVerifierMismatch));
        }
        if stored.used_at.is_some() {
            return Err(ServiceError::Refused(ErrorCode::TicketUsed));
        }
        // An exchange refused from here on uses the ticket up (docs/errors.md, 4403).
        let found = self.store.user(&pool.id, &stored.user_id).await?;
        let user = match (found, now >= stored.expires_at) {
            (_, true) => Err(ServiceError::Refused(ErrorCode::TicketExpired)),
            (None, false) => Err(ServiceError::UserNotFound),
            (Some(user), false) if user.blocked => Err(ServiceError::UserBlocked),
            (Some(user), false) => Ok(user),
        };
        let user = match user {
            Ok(user) => user,
            Err(refusal) => {
                let used_up = self.store.use_up_app_ticket(&pool.id, &hash, now).await?;
                return Err(if used_up {
                    refusal
                } else {
                    ServiceError::Refused(ErrorCode::TicketUsed)
                });
            }
        };
        let pending = self.prepare_token(pool, &user, now);
        let token = self.sign(pool, &pending).await?;
        let record = LoginRecord {
            at: now,
            ip,
            token_expires_at: pending.expires_at,
        };
        if !self
            .store
            .redeem_app_ticket(&pool.id, &hash, &user.id, &record)
            .await?
        {
            // Another exchange spent it first.
            return Err(ServiceError::Refused(ErrorCode::TicketUsed));
        }
        tracing::info!(pool_id = %pool.id, user_id = %user.id, "user logged in with an app ticket");
        Ok(Session {
            user: counted(user, &record),
            token,
            expires_at: pending.expires_at,
        })
    }
}
