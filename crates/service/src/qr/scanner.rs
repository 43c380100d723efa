//! QR login, the phone's side (the scanner mini program): see who is asking, scan, confirm or cancel.

use denglu_crypto::{hash_secret, random_token, secret_matches};
use denglu_domain::{AppId, Pool, QrSession, QrState, RegisterMethod, Requester, Scanner};
use denglu_wechat::AppCredentials;

use crate::{
    ErrorCode, PhoneProof, QrLogin, ServiceError, ServiceResult,
    metrics::QrEvent,
    shared::{
        login_audit::LoginMethod,
        wechat_users::{WechatLogin, shared_profile},
    },
};
use serde_json::json;

/// The deployment's scanner mini program (its own "小登录"), which opens every pool's QR codes.
#[derive(Debug, Clone)]
pub struct ScannerApp {
    /// Its AppID.
    pub appid: AppId,
    /// Its credentials, for `code2Session` and phone numbers.
    pub credentials: AppCredentials,
    /// The link prefix registered for it in WeChat ("scan ordinary link QR codes to open the mini program"):
    /// url-mode codes encode `<link_prefix><scene>`.
    pub link_prefix: String,
    /// Its confirm page, which wxacode-mode codes open (e.g. `pages/confirm/index`).
    pub confirm_page: String,
}

/// What the confirm page shows: the session and the pool asking.
#[derive(Debug)]
pub struct ScannerView {
    /// The session.
    pub session: QrSession,
    /// The pool whose site asks.
    pub pool: Pool,
    /// Whether the pool has a logo.
    pub has_logo: bool,
}

/// What the mini program sends when the user scans.
#[derive(Debug)]
pub struct ScanInput {
    /// The `wx.login` code.
    pub code: String,
    /// A nickname the user chose to share.
    pub nickname: Option<String>,
    /// An avatar URL the user chose to share.
    pub avatar: Option<String>,
}

impl QrLogin<'_> {
    /// The session behind a scanned code, for the confirm page.
    #[tracing::instrument(skip_all)]
    pub async fn scanner_view(&self, scene: &str) -> ServiceResult<ScannerView> {
        let session = self.live_session(scene).await?;
        let pool = self.pool(&session.pool_id).await?;
        let has_logo = self.store.pool_logo(&pool.id).await?.is_some();
        Ok(ScannerView {
            session,
            pool,
            has_logo,
        })
    }

    /// Records who scanned: exchanges their `wx.login` code and returns the scan token that confirm and cancel need.
    #[tracing::instrument(skip_all)]
    pub async fn scan(&self, scene: &str, input: ScanInput) -> ServiceResult<String> {
        let session = self.live_session(scene).await?;
        if session.state != QrState::Pending {
            return Err(ServiceError::Refused(ErrorCode::QrNotPending));
        }
        let app = self
            .qr_scanner(&session.pool_id, session.use_self_wxapp)
            .await?;
        // Checked before the code is spent.
        let (nickname, avatar) = shared_profile(input.nickname, input.avatar)?;
        let wechat = self
            .wechat
            .code_to_session(&app.credentials, &input.code)
            .await?;
        let token = random_token(24);
        let scanner = Scanner {
            appid: app.appid.clone(),
            openid: wechat.openid,
            unionid: wechat.unionid,
            session_key: self.master_key.seal(
                &QrSession::session_key_context(scene),
                wechat.session_key.expose().as_bytes(),
            ),
            scan_token: hash_secret(&token),
            nickname,
            avatar,
            at: self.clock.now(),
        };
        // The store moves the session only while it is pending and unexpired at `scanner.at`.
        if !self.store.record_qr_scan(scene, &scanner).await? {
            return Err(self.why_not_live(scene).await);
        }
        self.announce(scene).await;
        self.metrics.qr(QrEvent::Scanned);
        tracing::info!(pool_id = %session.pool_id, "QR code scanned");
        Ok(token)
    }

    /// The scanner confirms: finds or creates their user (with the phone, when shared) and marks the session
    /// confirmed for the browser to collect.
    ///
    /// The session was live when the confirm began, but WeChat and the user lookup take time: the store's move is
    /// conditioned on the expiry at `now` too, so a confirm that reaches it at or after the expiry changes nothing and
    /// the phone hears `QrExpired`, as the browser does. A refused confirm (a blocked user, a closed pool, a phone
    /// that does not check out) goes to the audit log with the scanner's openid; the successful login goes there when
    /// the browser collects it.
    #[tracing::instrument(skip_all)]
    pub async fn confirm(
        &self,
        scene: &str,
        scan_token: &str,
        phone: Option<PhoneProof>,
    ) -> ServiceResult<()> {
        let (session, scanner) = self.scanned_by(scene, scan_token).await?;
        let result = self.confirm_as(scene, &session, &scanner, phone).await;
        if let Err(error) = &result {
            let detail = json!({ "step": "confirm", "openid": scanner.openid });
            let from = Requester::default();
            self.audit_login(
                &session.pool_id,
                LoginMethod::Qr,
                &from,
                Err(error),
                Some(detail),
            )
            .await;
        }
        result
    }

    async fn confirm_as(
        &self,
        scene: &str,
        session: &QrSession,
        scanner: &Scanner,
        phone: Option<PhoneProof>,
    ) -> ServiceResult<()> {
        let pool = self.pool(&session.pool_id).await?;
        let verified_phone = match phone {
            Some(proof) => Some(self.verify_phone(session, scanner, proof).await?),
            None => None,
        };
        let login = WechatLogin {
            appid: scanner.appid.clone(),
            openid: scanner.openid.clone(),
            unionid: scanner.unionid.clone(),
            nickname: scanner.nickname.clone(),
            avatar: scanner.avatar.clone(),
            verified_phone,
            register_method: RegisterMethod::Wxapp,
        };
        let user = self.wechat_user(&pool, &login).await?;
        let now = self.clock.now();
        if !self.store.confirm_qr(scene, &user.id, now).await? {
            return Err(self.why_not_live(scene).await);
        }
        self.announce(scene).await;
        self.metrics.qr(QrEvent::Confirmed);
        tracing::info!(pool_id = %pool.id, user_id = %user.id, "QR login confirmed");
        Ok(())
    }

    /// The scanner refuses the login; at or after the expiry (checked by the store's move too) it is `QrExpired`.
    #[tracing::instrument(skip_all)]
    pub async fn cancel(&self, scene: &str, scan_token: &str) -> ServiceResult<()> {
        self.scanned_by(scene, scan_token).await?;
        if !self.store.cancel_qr(scene, self.clock.now()).await? {
            return Err(self.why_not_live(scene).await);
        }
        self.metrics.qr(QrEvent::Cancelled);
        self.announce(scene).await;
        Ok(())
    }

    /// Tells waiting browsers, on every replica, that the session changed. A lost notice only delays them until
    /// their next re-check.
    async fn announce(&self, scene: &str) {
        if let Err(error) = self.store.announce_qr_change(scene).await {
            tracing::warn!(%error, "could not announce a QR session change");
        }
    }

    /// The session of `scene` if it can still be acted on.
    async fn live_session(&self, scene: &str) -> ServiceResult<QrSession> {
        let session = self
            .store
            .qr_session(scene)
            .await?
            .ok_or(ServiceError::Refused(ErrorCode::QrNotFound))?;
        match session.state {
            QrState::Cancelled => Err(ServiceError::Refused(ErrorCode::QrCancelled)),
            QrState::Claimed => Err(ServiceError::Refused(ErrorCode::QrUsed)),
            _ if session.is_expired(self.clock.now()) => {
                Err(ServiceError::Refused(ErrorCode::QrExpired))
            }
            _ => Ok(session),
        }
    }

    /// Why a state move failed: the session changed under us, or expired.
    async fn why_not_live(&self, scene: &str) -> ServiceError {
        match self.live_session(scene).await {
            Ok(_) => ServiceError::Refused(ErrorCode::QrNotPending),
            Err(error) => error,
        }
    }

    /// The live, scanned session whose scan token is `scan_token`, and its scanner.
    async fn scanned_by(
        &self,
        scene: &str,
        scan_token: &str,
    ) -> ServiceResult<(QrSession, Scanner)> {
        let session = self.live_session(scene).await?;
        let scanner = session
            .scanner
            .clone()
            .filter(|s| {
                session.state == QrState::Scanned && secret_matches(scan_token, &s.scan_token)
            })
            .ok_or(ServiceError::Refused(ErrorCode::Forbidden))?;
        Ok((session, scanner))
    }

    /// The scanner's phone number as WeChat verifies it, by phone code or by their sealed session key.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %session.pool_id, appid = %scanner.appid))]
    async fn verify_phone(
        &self,
        session: &QrSession,
        scanner: &Scanner,
        proof: PhoneProof,
    ) -> ServiceResult<String> {
        let app = self
            .qr_scanner(&session.pool_id, session.use_self_wxapp)
            .await?;
        let key = self
            .master_key
            .open(
                &QrSession::session_key_context(&session.scene),
                &scanner.session_key,
            )
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let key = String::from_utf8(key).map_err(|e| ServiceError::Internal(e.to_string()))?;
        self.verified_phone(&app, &scanner.openid, &key, proof)
            .await
    }
}
