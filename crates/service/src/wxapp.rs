//! Login inside a pool's own mini program (flow C, the mini program SDK): `loginWithWxapp`, `getPhone`,
//! `bindPhone` and `decrypt`. Every call brings a fresh `wx.login` code; session keys are used and forgotten.

use denglu_domain::{AppId, AppRole, Pool, PoolId, RegisterMethod, Requester, User};
use denglu_store::{Constraint, StoreError};
use denglu_wechat::{
    Session as WechatSession,
    crypto::{PhoneInfo, UserData, WatermarkCheck, decrypt, decrypt_user},
};
use serde_json::{Map, Value};

use crate::{
    ErrorCode, PhoneProof, ScannerApp, ServiceError, ServiceResult, Session, VerifiedToken,
    shared::{flow_view, login_audit::LoginMethod, phones::phone_text, wechat_users::WechatLogin},
};

flow_view! {
    /// The mini program SDK's login (flow C): `loginWithWxapp`, phone numbers, binding a phone, open data.
    MiniProgram
}

/// `loginWithWxapp` as received.
#[derive(Debug, Default)]
pub struct WxappLogin {
    /// The `wx.login` code.
    pub code: String,
    /// getUserInfo's `encryptedData` (the profile), if sent.
    pub encrypted_data: Option<String>,
    /// getUserInfo's `iv`, if sent.
    pub iv: Option<String>,
    /// Log in as the user with this phone, if WeChat verified it for this WeChat user (`getPhone` first).
    pub phone: Option<String>,
    /// Overwrite that user's nickname and avatar with the WeChat profile (`overideProfile`).
    pub override_profile: bool,
    /// Who asks: the address (recorded as `lastIP`) and user agent, for the audit log.
    pub from: Requester,
    /// The mini program's AppID, when the pool has several for the SDK; the pool's first when absent.
    pub appid: Option<String>,
}

impl MiniProgram<'_> {
    /// Logs a WeChat user of the pool's mini program in, finding or creating their user. The attempt goes to the
    /// audit log.
    #[tracing::instrument(skip_all, fields(pool_id = %pool_id))]
    pub async fn login(&self, pool_id: &PoolId, input: WxappLogin) -> ServiceResult<Session> {
        let from = input.from.clone();
        let result = self.log_wechat_user_in(pool_id, input).await;
        let outcome = result.as_ref().map(|session| &session.user.id);
        self.audit_login(pool_id, LoginMethod::MiniProgram, &from, outcome, None)
            .await;
        result
    }

    async fn log_wechat_user_in(
        &self,
        pool_id: &PoolId,
        input: WxappLogin,
    ) -> ServiceResult<Session> {
        let pool = self.pool(pool_id).await?;
        let app = self.sdk_app(&pool.id, input.appid.as_deref()).await?;
        let wechat = self
            .wechat
            .code_to_session(&app.credentials, &input.code)
            .await?;
        let profile = match (&input.encrypted_data, &input.iv) {
            (Some(data), Some(iv)) => Some(open_profile(&app, &wechat, data, iv)?),
            _ => None,
        };
        let login = WechatLogin {
            appid: app.appid.clone(),
            openid: wechat.openid.clone(),
            unionid: wechat
                .unionid
                .clone()
                .or_else(|| profile.as_ref().and_then(|p| p.union_id.clone())),
            nickname: profile
                .as_ref()
                .map(|p| p.nick_name.clone())
                .filter(|n| !n.is_empty()),
            avatar: profile
                .as_ref()
                .map(|p| p.avatar_url.clone())
                .filter(|a| !a.is_empty()),
            verified_phone: None,
            register_method: RegisterMethod::Wxapp,
        };
        let mut user = match self
            .phone_owner(&pool, &login, input.phone.as_deref())
            .await?
        {
            Some(owner) => self.ensure_identity(&pool, &owner, &login).await?,
            None => self.wechat_user(&pool, &login).await?,
        };
        if user.blocked {
            return Err(ServiceError::UserBlocked);
        }
        if input.override_profile && profile.is_some() {
            // An empty field of the WeChat profile keeps what the user has.
            user = self
                .store
                .set_profile(
                    &pool.id,
                    &user.id,
                    login.nickname.as_deref().or(user.nickname.as_deref()),
                    login.avatar.as_deref().or(user.photo.as_deref()),
                    self.clock.now(),
                )
                .await?;
        }
        let session = self.log_in(&pool, &user, input.from.ip).await?;
        tracing::info!(pool_id = %pool.id, user_id = %user.id, "user logged in with the mini program");
        Ok(session)
    }

    /// The phone number WeChat verifies for the user of `code`, remembered as verified for their WeChat identity.
    #[tracing::instrument(skip_all, fields(pool_id = %pool_id))]
    pub async fn phone(
        &self,
        pool_id: &PoolId,
        appid: Option<&str>,
        code: &str,
        proof: PhoneProof,
    ) -> ServiceResult<PhoneInfo> {
        let pool = self.pool(pool_id).await?;
        let app = self.sdk_app(&pool.id, appid).await?;
        let wechat = self.wechat.code_to_session(&app.credentials, code).await?;
        self.lookup_phone(&pool, &app, &wechat, proof).await
    }

    /// Binds the phone number WeChat verifies for the user of `code` to the logged-in user `verified` of the pool.
    #[tracing::instrument(skip_all, fields(pool_id = %pool_id, user_id = %verified.user.id))]
    pub async fn bind_phone(
        &self,
        pool_id: &PoolId,
        verified: &VerifiedToken,
        appid: Option<&str>,
        code: &str,
        proof: PhoneProof,
    ) -> ServiceResult<User> {
        let pool = self.pool(pool_id).await?;
        if verified.pool.id != pool.id {
            return Err(ServiceError::Refused(ErrorCode::Forbidden));
        }
        let app = self.sdk_app(&pool.id, appid).await?;
        let wechat = self.wechat.code_to_session(&app.credentials, code).await?;
        let info = self.lookup_phone(&pool, &app, &wechat, proof).await?;
        let phone = phone_text(&info);
        match self
            .store
            .set_verified_phone(&pool.id, &verified.user.id, &phone, self.clock.now())
            .await
        {
            Err(StoreError::Conflict {
                constraint: Constraint::Phone,
            }) => Err(ServiceError::UserExists("phone")),
            other => Ok(other?),
        }
    }

    /// Decrypts open data of the user of `code` with their session key (never returned), checking the watermark.
    #[tracing::instrument(skip_all, fields(pool_id = %pool_id))]
    pub async fn decrypt(
        &self,
        pool_id: &PoolId,
        appid: Option<&str>,
        code: &str,
        encrypted_data: &str,
        iv: &str,
    ) -> ServiceResult<Map<String, Value>> {
        let pool = self.pool(pool_id).await?;
        let app = self.sdk_app(&pool.id, appid).await?;
        let wechat = self.wechat.code_to_session(&app.credentials, code).await?;
        let check = WatermarkCheck::appid(app.appid.as_str());
        decrypt(wechat.session_key.expose(), iv, encrypted_data, &check).map_err(|e| rejected(&e))
    }

    /// The mini program of an SDK call: the one named, else the pool's first SDK mini program, else the
    /// deployment's scanner.
    async fn sdk_app(&self, pool: &PoolId, appid: Option<&str>) -> ServiceResult<ScannerApp> {
        let requested = appid.map(AppId::parse).transpose()?;
        self.serving_app(pool, AppRole::Sdk, requested.as_ref())
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool.id, appid = %app.appid))]
    async fn lookup_phone(
        &self,
        pool: &Pool,
        app: &ScannerApp,
        wechat: &WechatSession,
        proof: PhoneProof,
    ) -> ServiceResult<PhoneInfo> {
        let key = format!("{}:{}:{}", pool.id, app.appid, wechat.openid);
        if !self.phone_limits.allows(&key) {
            return Err(ServiceError::Refused(ErrorCode::TooManyRequests));
        }
        let info = self
            .phone_info(app, &wechat.openid, wechat.session_key.expose(), proof)
            .await?;
        self.store
            .record_verified_phone(
                &pool.id,
                &app.appid,
                &wechat.openid,
                &phone_text(&info),
                self.clock.now(),
            )
            .await?;
        Ok(info)
    }

    /// The user owning `phone`, if WeChat verified that phone for this identity.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool.id))]
    async fn phone_owner(
        &self,
        pool: &Pool,
        login: &WechatLogin,
        phone: Option<&str>,
    ) -> ServiceResult<Option<User>> {
        let Some(phone) = phone.filter(|p| !p.is_empty()) else {
            return Ok(None);
        };
        Ok(self
            .store
            .user_by_verified_phone(&pool.id, &login.appid, &login.openid, phone)
            .await?)
    }
}

fn open_profile(
    app: &ScannerApp,
    wechat: &WechatSession,
    data: &str,
    iv: &str,
) -> ServiceResult<UserData> {
    let check = WatermarkCheck::appid(app.appid.as_str());
    decrypt_user(wechat.session_key.expose(), iv, data, &check).map_err(|e| rejected(&e))
}

/// One answer for every open-data failure: distinct ones would make a padding oracle.
fn rejected(error: &denglu_wechat::crypto::OpenDataError) -> ServiceError {
    tracing::info!(%error, "encryptedData rejected");
    ServiceError::Refused(ErrorCode::OpenDataInvalid)
}
