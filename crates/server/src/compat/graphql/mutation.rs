//! The mutation root: password login and sign-up, and a user's metadata, profile and logout, by the user
//! themselves or the pool's backend.

use async_graphql::{Context, Object, Result};
use denglu_service::{ProfileChange, RegisterInput, ServiceError};

use crate::compat::graphql::{
    context::{RequestContext, parse_pool_id, parse_user_id},
    inputs::{RemoveUserMetadataInput, SetUserMetadataInput, UserRegisterInput, UserUpdateInput},
    types::MetadataList,
    user::ExtendUser,
};

/// `mutation { … }`.
pub(crate) struct MutationRoot;

#[Object(name = "Mutation")]
impl MutationRoot {
    /// Logs in with an e-mail or username and a password encrypted with the server's login key (standard base64
    /// of an RSA PKCS#1 v1.5 block; the public key is at `GET /api/v1/login-key.pem`). Answers the user with a
    /// token. `lastIP`, `verifyCode` and the js SDK's extra arguments are accepted and ignored.
    #[allow(clippy::too_many_arguments)]
    async fn login(
        &self,
        ctx: &Context<'_>,
        unionid: Option<String>,
        email: Option<String>,
        username: Option<String>,
        password: Option<String>,
        #[graphql(name = "lastIP")] _last_ip: Option<String>,
        register_in_client: String,
        _verify_code: Option<String>,
        _browser: Option<String>,
        _openid: Option<String>,
        #[graphql(name = "MFACode")] _mfa_code: Option<String>,
        _params: Option<String>,
    ) -> Result<ExtendUser> {
        let request = ctx.data::<RequestContext>()?;
        let pool = parse_pool_id(&register_in_client)?;
        let account = email.or(username).ok_or_else(|| {
            let why = if unionid.is_some() {
                "denglu logs WeChat users in through the mini program endpoints, not by unionid and password"
            } else {
                "give an email or a username"
            };
            ServiceError::Rejected(why.to_owned())
        })?;
        let password = password
            .filter(|p| !p.is_empty())
            .ok_or_else(|| ServiceError::Rejected("give the encrypted password".to_owned()))?;
        let session = request
            .services()
            .accounts()
            .login_with_encrypted_password(&pool, account, &password, request.requester())
            .await?;
        Ok(ExtendUser::logged_in(&session.user, session.token))
    }

    /// Signs a password user up, with the native sign-up's rules (`POST /api/v1/pools/{pool}/users`): a
    /// username and/or an e-mail, a password of 6–128 characters encrypted like `login`'s, the pool's
    /// registration policy, and the native sign-up's limit per client address (`http.sign_ups_per_minute`,
    /// 4290). Answers the new user without a token (call `login` next). The other `userInfo` fields the SDKs
    /// send are accepted and ignored.
    async fn register(
        &self,
        ctx: &Context<'_>,
        user_info: UserRegisterInput,
    ) -> Result<ExtendUser> {
        let request = ctx.data::<RequestContext>()?;
        request.count_sign_up()?;
        let UserRegisterInput {
            register_in_client,
            username,
            email,
            password,
            nickname,
            unionid,
            oauth: _,
            register_method: _,
            photo: _,
            last_ip: _,
            force_login: _,
            browser: _,
            device: _,
        } = user_info;
        let pool = parse_pool_id(&register_in_client)?;
        if username.is_none() && email.is_none() && unionid.is_some() {
            return Err(ServiceError::Rejected(
                "denglu signs WeChat users up through the mini program endpoints, not by unionid"
                    .to_owned(),
            )
            .into());
        }
        let password = password
            .filter(|p| !p.is_empty())
            .ok_or_else(|| ServiceError::Rejected("give the encrypted password".to_owned()))?;
        let input = RegisterInput {
            username,
            email,
            password,
            nickname,
        };
        let user = request
            .services()
            .accounts()
            .register_with_encrypted_password(&pool, input)
            .await?;
        Ok(ExtendUser::from(&user))
    }

    /// Sets one metadata key; answers all of the user's metadata after the change. At most 50 keys per user.
    async fn set_user_metadata(
        &self,
        ctx: &Context<'_>,
        input: SetUserMetadataInput,
    ) -> Result<MetadataList> {
        let request = ctx.data::<RequestContext>()?;
        let caller = request.caller(input.register_in_client.as_deref()).await?;
        let id = parse_user_id(&input.id)?;
        let pairs = request
            .services()
            .users()
            .set_metadata(&caller, &id, &input.key, &input.value)
            .await?;
        Ok(MetadataList::from(pairs))
    }

    /// Removes one metadata key; answers the metadata left.
    async fn remove_user_metadata(
        &self,
        ctx: &Context<'_>,
        input: RemoveUserMetadataInput,
    ) -> Result<MetadataList> {
        let request = ctx.data::<RequestContext>()?;
        let caller = request.caller(input.register_in_client.as_deref()).await?;
        let id = parse_user_id(&input.id)?;
        let pairs = request
            .services()
            .users()
            .remove_metadata(&caller, &id, &input.key)
            .await?;
        Ok(MetadataList::from(pairs))
    }

    /// Changes `nickname` and `photo`; `tokenExpiredAt: "0"` revokes the user's tokens (logout). Answers the
    /// user after the change.
    async fn update_user(&self, ctx: &Context<'_>, options: UserUpdateInput) -> Result<ExtendUser> {
        let request = ctx.data::<RequestContext>()?;
        let services = request.services();
        let caller = request
            .caller(options.register_in_client.as_deref())
            .await?;
        let id = parse_user_id(&options.id)?;
        let unsupported = options.unsupported_fields();
        if !unsupported.is_empty() {
            return Err(ServiceError::Rejected(format!(
                "updateUser changes only nickname and photo, and tokenExpiredAt \"0\" logs out; \
                 denglu does not change {}",
                unsupported.join(", ")
            ))
            .into());
        }
        let logout = match options.token_expired_at.as_deref() {
            None => false,
            Some("0") => true,
            Some(_) => {
                return Err(ServiceError::Rejected(
                    "tokenExpiredAt takes only \"0\" (log out)".to_owned(),
                )
                .into());
            }
        };
        let changed = if options.nickname.is_some() || options.photo.is_some() {
            let change = ProfileChange {
                nickname: options.nickname,
                photo: options.photo,
            };
            Some(
                services
                    .users()
                    .change_profile(&caller, &id, change)
                    .await?,
            )
        } else {
            None
        };
        let user = match changed {
            _ if logout => services.users().revoke_tokens(&caller, &id).await?,
            Some(user) => user,
            None => services.user_for(&caller, &id).await?.1,
        };
        Ok(ExtendUser::from(&user))
    }
}
