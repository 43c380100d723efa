//! Turning a WeChat identity into a user of a pool, following the pool's registration policy and the identity
//! rules: a phone counts only when the server verified it, and never merge on anything else.

use denglu_domain::{
    AppId, CallbackUrl, NewWechatUser, Pool, RegisterMethod, RegistrationPolicy, User,
    WechatIdentity,
};
use denglu_store::{Constraint, StoreError};

use crate::{
    Core, ServiceError, ServiceResult,
    shared::text::{given, refuse_nul},
};

/// The longest nickname a user may share when scanning or launching, in characters.
pub const MAX_NICKNAME_CHARS: usize = 64;

/// The nickname and avatar a user chose to share, checked: blank ones count as not shared, a nickname has at most
/// [`MAX_NICKNAME_CHARS`] characters, and an avatar is an absolute http(s) URL.
pub(crate) fn shared_profile(
    nickname: Option<String>,
    avatar: Option<String>,
) -> ServiceResult<(Option<String>, Option<String>)> {
    let (nickname, avatar) = (given(nickname), given(avatar));
    if let Some(nickname) = &nickname {
        refuse_nul("nickname", nickname)?;
    }
    if nickname
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NICKNAME_CHARS)
    {
        return Err(ServiceError::Rejected(format!(
            "a nickname has at most {MAX_NICKNAME_CHARS} characters"
        )));
    }
    if let Some(url) = &avatar {
        CallbackUrl::parse(url).map_err(|_| {
            ServiceError::Rejected("an avatar is an absolute http(s) URL".to_owned())
        })?;
    }
    Ok((nickname, avatar))
}

/// A WeChat user as the server knows them after exchanging their code.
#[derive(Debug, Clone)]
pub(crate) struct WechatLogin {
    /// The mini program.
    pub(crate) appid: AppId,
    /// Their openid in it.
    pub(crate) openid: String,
    /// Their unionid, if the mini program is bound to an open platform account.
    pub(crate) unionid: Option<String>,
    /// The nickname they shared.
    pub(crate) nickname: Option<String>,
    /// The avatar they shared.
    pub(crate) avatar: Option<String>,
    /// A phone number the server verified for this identity.
    pub(crate) verified_phone: Option<String>,
    /// How a new account would be registered.
    pub(crate) register_method: RegisterMethod,
}

impl Core {
    /// The user of this WeChat identity: the linked one; else, for a verified phone, the pool's user with that
    /// phone (linking the identity); else a new user when the policy is open. Blocked users are refused.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool.id, appid = %login.appid))]
    pub(crate) async fn wechat_user(
        &self,
        pool: &Pool,
        login: &WechatLogin,
    ) -> ServiceResult<User> {
        let linked = self
            .store
            .user_by_wechat_identity(
                &pool.id,
                &login.appid,
                &login.openid,
                login.unionid.as_deref(),
            )
            .await?;
        let user = match linked {
            Some(user) => self.ensure_identity(pool, &user, login).await?,
            None => self.sign_up_wechat(pool, login).await?,
        };
        if user.blocked {
            return Err(ServiceError::UserBlocked);
        }
        self.record_verified_phone(pool, user, login).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool.id, appid = %login.appid))]
    async fn sign_up_wechat(&self, pool: &Pool, login: &WechatLogin) -> ServiceResult<User> {
        if let Some(phone) = &login.verified_phone
            && let Some(owner) = self.store.user_by_phone(&pool.id, phone).await?
        {
            self.store
                .link_wechat_identity(&identity(pool, &owner, login, self.clock.now()))
                .await?;
            tracing::info!(pool_id = %pool.id, user_id = %owner.id, "WeChat identity linked by verified phone");
            return Ok(owner);
        }
        if pool.registration_policy != RegistrationPolicy::Open {
            return Err(ServiceError::SignUpClosed);
        }
        let now = self.clock.now();
        let new = NewWechatUser {
            openid: login.openid.clone(),
            unionid: login.unionid.clone(),
            nickname: login.nickname.clone(),
            photo: login.avatar.clone(),
            verified_phone: login.verified_phone.clone(),
            register_method: login.register_method,
        };
        let user = User::sign_up_with_wechat(pool.id.clone(), new, now);
        match self
            .store
            .insert_wechat_user(&user, &identity(pool, &user, login, now))
            .await
        {
            Ok(()) => {
                tracing::info!(pool_id = %pool.id, user_id = %user.id, "user signed up with WeChat");
                Ok(user)
            }
            // Two first logins of one identity at once: the other request created the user.
            Err(StoreError::Conflict {
                constraint: Constraint::Duplicate,
            }) => self
                .store
                .user_by_wechat_identity(&pool.id, &login.appid, &login.openid, None)
                .await?
                .ok_or_else(|| ServiceError::Internal("a WeChat identity vanished".to_owned())),
            Err(other) => Err(other.into()),
        }
    }

    /// Makes sure this WeChat identity is linked to `user` (it may have been found by unionid or verified phone).
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool.id, user_id = %user.id))]
    pub(crate) async fn ensure_identity(
        &self,
        pool: &Pool,
        user: &User,
        login: &WechatLogin,
    ) -> ServiceResult<User> {
        let here = self
            .store
            .user_by_wechat_identity(&pool.id, &login.appid, &login.openid, None)
            .await?;
        if here.is_none() {
            match self
                .store
                .link_wechat_identity(&identity(pool, user, login, self.clock.now()))
                .await
            {
                Ok(()) | Err(StoreError::Conflict { .. }) => {}
                Err(other) => return Err(other.into()),
            }
        }
        Ok(user.clone())
    }

    /// Gives the user the verified phone when they have none; a phone owned by another user is refused.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool.id, user_id = %user.id))]
    async fn record_verified_phone(
        &self,
        pool: &Pool,
        user: User,
        login: &WechatLogin,
    ) -> ServiceResult<User> {
        let Some(phone) = &login.verified_phone else {
            return Ok(user);
        };
        if user.phone.is_some() && user.phone_verified {
            // A user keeps the verified phone they have; changing it is an explicit bind.
            return Ok(user);
        }
        Ok(self
            .store
            .set_verified_phone(&pool.id, &user.id, phone, self.clock.now())
            .await?)
    }
}

fn identity(
    pool: &Pool,
    user: &User,
    login: &WechatLogin,
    now: chrono::DateTime<chrono::Utc>,
) -> WechatIdentity {
    WechatIdentity {
        pool_id: pool.id.clone(),
        appid: login.appid.clone(),
        openid: login.openid.clone(),
        user_id: user.id.clone(),
        unionid: login.unionid.clone(),
        created_at: now,
    }
}
