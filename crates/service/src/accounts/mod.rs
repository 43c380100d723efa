//! Password accounts and user administration: sign-up, login, listing, blocking.

pub(crate) mod login_key;

use denglu_domain::{
    DomainError, Email, LoginName, NewPasswordUser, Password, Pool, PoolId, Requester, User,
    UserId, Username,
};
use serde_json::json;

use crate::{
    ServiceError, ServiceResult, Session,
    shared::{
        blocking::run_blocking, flow_view, login_audit::LoginMethod, sessions::user_not_found,
        text::refuse_nul,
    },
};

flow_view! {
    /// Password accounts: sign-up, login (also with a password encrypted with the login key), user records, blocking.
    Accounts
}

/// A password sign-up as received.
#[derive(Debug)]
pub struct RegisterInput {
    /// Optional username.
    pub username: Option<String>,
    /// Optional e-mail; at least one of the two is required.
    pub email: Option<String>,
    /// The password in clear; for [`Accounts::register_with_encrypted_password`], as the SDK encrypted it.
    pub password: String,
    /// Optional display name.
    pub nickname: Option<String>,
}

/// A password login as received.
#[derive(Debug)]
pub struct LoginInput {
    /// E-mail or username.
    pub account: String,
    /// The password in clear.
    pub password: String,
    /// Who asks: the address (recorded as `lastIP`) and user agent, for the audit log.
    pub from: Requester,
}

impl Accounts<'_> {
    /// Creates a password account, if the pool's registration policy allows sign-up.
    #[tracing::instrument(skip_all, fields(pool_id = %pool_id))]
    pub async fn register(&self, pool_id: &PoolId, input: RegisterInput) -> ServiceResult<User> {
        let pool = self.sign_up_pool(pool_id).await?;
        self.create_password_user(&pool, input).await
    }

    /// The pool, if its registration policy allows sign-up (`SignUpClosed` otherwise).
    pub(crate) async fn sign_up_pool(&self, pool_id: &PoolId) -> ServiceResult<Pool> {
        let pool = self.pool(pool_id).await?;
        if !pool.registration_policy.allows_sign_up() {
            return Err(ServiceError::SignUpClosed);
        }
        Ok(pool)
    }

    /// Creates a password account in `pool` (one [`Accounts::sign_up_pool`] answered): the sign-up rules for the
    /// username, e-mail and password, then the insert, which refuses a taken username or e-mail.
    pub(crate) async fn create_password_user(
        &self,
        pool: &Pool,
        input: RegisterInput,
    ) -> ServiceResult<User> {
        let username = input.username.as_deref().map(Username::parse).transpose()?;
        let email = input.email.as_deref().map(Email::parse).transpose()?;
        if username.is_none() && email.is_none() {
            return Err(DomainError::MissingAccountName.into());
        }
        if let Some(nickname) = &input.nickname {
            refuse_nul("nickname", nickname)?;
        }
        let password = Password::parse(input.password)?;
        let hasher = self.hasher.clone();
        let password_hash = run_blocking(move || hasher.hash(&password)).await?;
        let nickname = input
            .nickname
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        let new = NewPasswordUser {
            username,
            email,
            nickname,
            password_hash,
        };
        let user = User::sign_up_with_password(pool.id.clone(), new, self.clock.now());
        self.store.insert_user(&user).await?;
        tracing::info!(pool_id = %user.pool_id, user_id = %user.id, "user registered with a password");
        Ok(user)
    }

    /// Logs in with e-mail or username and password, and issues a token. The attempt goes to the audit log.
    #[tracing::instrument(skip_all, fields(pool_id = %pool_id))]
    pub async fn login_with_password(
        &self,
        pool_id: &PoolId,
        input: LoginInput,
    ) -> ServiceResult<Session> {
        let (account, from) = (input.account.clone(), input.from.clone());
        let result = async {
            let pool = self.pool(pool_id).await?;
            self.count_password_attempt(&pool.id, &input.account, input.from.ip.as_deref())
                .await?;
            self.check_password(&pool, input).await
        }
        .await;
        self.audit_password_login(pool_id, &account, &from, &result)
            .await;
        result
    }

    /// Records a password attempt and its outcome, naming the account tried.
    pub(crate) async fn audit_password_login(
        &self,
        pool_id: &PoolId,
        account: &str,
        from: &Requester,
        result: &ServiceResult<Session>,
    ) {
        let account: String = account.chars().take(128).collect();
        self.audit_login(
            pool_id,
            LoginMethod::Password,
            from,
            result.as_ref().map(|session| &session.user.id),
            Some(json!({ "account": account })),
        )
        .await;
    }

    /// Checks an attempt already counted by [`crate::Core::count_password_attempt`], and issues a token.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool.id))]
    pub(crate) async fn check_password(
        &self,
        pool: &Pool,
        input: LoginInput,
    ) -> ServiceResult<Session> {
        let login = LoginName::parse(&input.account)?;
        let password = Password::parse(input.password).map_err(|_| ServiceError::WrongPassword);
        let found = self.store.user_by_login(&pool.id, &login).await?;
        let hasher = self.hasher.clone();
        let Some(user) = found else {
            if let Ok(password) = password {
                run_blocking(move || hasher.verify_decoy(&password)).await?;
            }
            return Err(ServiceError::UserNotFound);
        };
        let password = password?;
        let stored = user
            .password_hash
            .clone()
            .ok_or(ServiceError::WrongPassword)?;
        let matches = run_blocking(move || hasher.verify(&password, &stored)).await?;
        if !matches {
            return Err(ServiceError::WrongPassword);
        }
        if user.blocked {
            return Err(ServiceError::UserBlocked);
        }
        let session = self.log_in(pool, &user, input.from.ip).await?;
        tracing::info!(pool_id = %pool.id, user_id = %user.id, "user logged in with a password");
        Ok(session)
    }

    /// A user of the pool.
    #[tracing::instrument(skip_all, fields(pool_id = %pool_id, user_id = %id))]
    pub async fn user(&self, pool_id: &PoolId, id: &UserId) -> ServiceResult<User> {
        self.pool(pool_id).await?;
        self.store
            .user(pool_id, id)
            .await?
            .ok_or(ServiceError::UserNotFound)
    }

    /// A page of the pool's users, oldest first; `limit` is capped at 500.
    #[tracing::instrument(skip_all, fields(pool_id = %pool_id, limit = limit, offset = offset))]
    pub async fn users(
        &self,
        pool_id: &PoolId,
        limit: u32,
        offset: u32,
    ) -> ServiceResult<Vec<User>> {
        self.pool(pool_id).await?;
        Ok(self.store.users(pool_id, limit.min(500), offset).await?)
    }

    /// Blocks a user (revoking all their tokens) or unblocks them.
    #[tracing::instrument(skip_all, fields(pool_id = %pool_id, user_id = %id, blocked = blocked))]
    pub async fn set_user_blocked(
        &self,
        pool_id: &PoolId,
        id: &UserId,
        blocked: bool,
    ) -> ServiceResult<User> {
        self.pool(pool_id).await?;
        let user = self
            .store
            .set_blocked(pool_id, id, blocked, self.clock.now())
            .await
            .map_err(user_not_found)?;
        tracing::info!(pool_id = %pool_id, user_id = %id, blocked, "user block state changed");
        Ok(user)
    }
}
