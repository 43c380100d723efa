//! QR login (flow A). The browser's side is here: start a session, then collect its result exactly once; the
//! scanner mini program's side is in `scanner`, the codes' images in `images`, the pool's settings in `settings`,
//! the push channel's wake-ups in `wakeups`, the waiting sessions a replica remembers for polls in `waiting`.

pub(crate) mod image_cache;
mod images;
mod scanner;
mod settings;
pub(crate) mod waiting;
pub(crate) mod wakeups;

pub use images::Image;
pub use scanner::{ScanInput, ScannerApp, ScannerView};
pub use settings::{OwnAppInput, QrSettingsChange};
pub use wakeups::QrWatch;

use chrono::{DateTime, Utc};
use denglu_crypto::{hash_secret, random_token};
use denglu_domain::{PollSecret, Pool, PoolId, QrOptions, QrSession, QrState, Requester, User};
use denglu_store::{Constraint, LoginRecord, StoreError};

use crate::{
    ServiceError, ServiceResult, Session,
    metrics::QrEvent,
    shared::{flow_view, login_audit::LoginMethod, sessions::counted},
};

flow_view! {
    /// QR login (flow A): the browser's side (start, poll, push) and the scanner mini program's (scan, confirm,
    /// cancel), the codes' images and the pool's QR settings.
    QrLogin
}

/// A session the browser just started.
#[derive(Debug)]
pub struct StartedQr {
    /// The session.
    pub session: QrSession,
    /// Where the browser goes after login, if the pool has a callback.
    pub redirect: Option<String>,
}

/// What a poll of a QR session finds.
#[derive(Debug)]
pub enum QrPoll {
    /// Not confirmed yet: pending or scanned (with who scanned).
    Waiting(QrSession),
    /// Confirmed, and this poll collected the result: the user and their token. Given out once.
    Collected {
        /// The login.
        session: Session,
        /// Where the browser goes next, if the pool has a callback.
        redirect: Option<String>,
    },
    /// Past its lifetime before it was collected.
    Expired,
    /// The user refused.
    Cancelled,
    /// Already collected (by this browser's earlier poll, or by a concurrent one).
    Used,
    /// No session has this poll secret.
    Unknown,
}

impl QrLogin<'_> {
    /// Starts a QR session for the browser holding `random`.
    #[tracing::instrument(skip_all, fields(pool_id = %pool_id))]
    pub async fn start(
        &self,
        pool_id: &PoolId,
        random: &str,
        options: QrOptions,
        requester: Requester,
    ) -> ServiceResult<StartedQr> {
        let pool = self.pool(pool_id).await?;
        let poll_secret = PollSecret::parse(random)?;
        self.qr_scanner(&pool.id, options.use_self_wxapp).await?;
        let settings = self.settings(&pool.id).await?;
        let session = QrSession::start(
            random_token(16),
            pool.id.clone(),
            hash_secret(poll_secret.as_str()),
            options,
            requester,
            settings.lifetime.duration(),
            self.clock.now(),
        );
        match self.store.insert_qr_session(&session).await {
            Err(StoreError::Conflict {
                constraint: Constraint::Duplicate,
            }) => {
                return Err(ServiceError::Rejected(
                    "this random was used for another QR code: make a new one for each QR code"
                        .to_owned(),
                ));
            }
            other => other?,
        }
        self.metrics.qr(QrEvent::Started);
        tracing::info!(pool_id = %pool.id, "QR session started");
        Ok(StartedQr {
            session,
            redirect: settings.callback_url.map(|u| u.as_str().to_owned()),
        })
    }

    /// Polls the session of `random` for the browser `from`; the one poll that finds it confirmed collects the login,
    /// which goes to the audit log.
    #[tracing::instrument(skip_all)]
    pub async fn poll(&self, random: &str, from: Requester) -> ServiceResult<QrPoll> {
        let Ok(secret) = PollSecret::parse(random) else {
            return Ok(QrPoll::Unknown);
        };
        let hash = hash_secret(secret.as_str());
        let session = match self.waiting.get(&hash, || self.store.qr_changes()) {
            (Some(remembered), _) => remembered,
            (None, heard) => {
                let Some(session) = self.store.qr_session_by_poll_secret(&hash).await? else {
                    return Ok(QrPoll::Unknown);
                };
                self.waiting
                    .remember(&session, heard, || self.store.qr_changes());
                session
            }
        };
        let now = self.clock.now();
        match session.state {
            QrState::Cancelled => Ok(QrPoll::Cancelled),
            QrState::Claimed => Ok(QrPoll::Used),
            _ if session.is_expired(now) => {
                self.metrics.qr(QrEvent::Expired);
                Ok(QrPoll::Expired)
            }
            QrState::Pending | QrState::Scanned => Ok(QrPoll::Waiting(session)),
            QrState::Confirmed => {
                let result = self.collect(&session, now, from.ip.clone()).await;
                let outcome = match &result {
                    Ok(QrPoll::Collected { session, .. }) => Ok(&session.user.id),
                    Ok(_) => return result,
                    Err(error) => Err(error),
                };
                self.audit_login(&session.pool_id, LoginMethod::Qr, &from, outcome, None)
                    .await;
                result
            }
        }
    }

    /// Logs the user of a confirmed session in; `Used` when another poll collected it first.
    ///
    /// Exactly once, and never lost: everything that can fail is done before the claim (the pool, the user and
    /// whether they are blocked, the settings, the token, signed), and the claim and the login's count are one store
    /// transaction ([`denglu_store::Store::claim_qr`]). So a failure anywhere leaves the session confirmed for the
    /// browser's next poll, and once the claim commits only building the answer is left. Releasing a claim after a
    /// failure instead could itself fail (the store being what failed), and counting the login before the claim would
    /// count it for every concurrent poll; in one transaction only the poll that claims counts it.
    #[tracing::instrument(level = "debug", skip_all)]
    async fn collect(
        &self,
        session: &QrSession,
        now: DateTime<Utc>,
        ip: Option<String>,
    ) -> ServiceResult<QrPoll> {
        let pool = self.pool(&session.pool_id).await?;
        let user = self.confirmed_user(&pool, session).await?;
        let settings = self.settings(&pool.id).await?;
        let pending = self.prepare_token(&pool, &user, now);
        let token = self.sign(&pool, &pending).await?;
        let record = LoginRecord {
            at: now,
            ip,
            token_expires_at: pending.expires_at,
        };
        if !self
            .store
            .claim_qr(&session.poll_secret, &pool.id, &user.id, &record)
            .await?
        {
            return Ok(QrPoll::Used);
        }
        self.metrics.qr(QrEvent::Collected);
        tracing::info!(pool_id = %pool.id, user_id = %user.id, "user logged in by QR code");
        Ok(QrPoll::Collected {
            session: Session {
                user: counted(user, &record),
                token,
                expires_at: pending.expires_at,
            },
            redirect: settings.callback_url.map(|u| u.as_str().to_owned()),
        })
    }

    async fn confirmed_user(&self, pool: &Pool, session: &QrSession) -> ServiceResult<User> {
        let id = session.user_id.as_ref().ok_or_else(|| {
            ServiceError::Internal("a confirmed QR session has no user".to_owned())
        })?;
        let user = self
            .store
            .user(&pool.id, id)
            .await?
            .ok_or(ServiceError::UserNotFound)?;
        if user.blocked {
            return Err(ServiceError::UserBlocked);
        }
        Ok(user)
    }
}
