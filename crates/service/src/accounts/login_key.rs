//! The deployment's login key: made once (by whichever replica needs it first), kept sealed in the store, cached in
//! memory. SDKs encrypt passwords with its public half before GraphQL `login` and `register`.

use std::sync::Arc;

use denglu_crypto::LoginKey;
use denglu_domain::{PoolId, Requester, ServerKey, User};
use denglu_store::StoreError;
use tokio::sync::OnceCell;

use crate::{
    Accounts, LoginInput, RegisterInput, ServiceError, ServiceResult, Session,
    shared::blocking::run_blocking,
};

/// The name of the login key in `server_keys`.
const NAME: &str = "login";

/// The opened login key and its public PEM, once loaded.
#[derive(Default, Clone)]
pub(crate) struct LoginKeyCell(Arc<OnceCell<Arc<(LoginKey, String)>>>);

impl Accounts<'_> {
    /// The login key's public half (`-----BEGIN PUBLIC KEY-----`), for configuring the SDKs.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn login_key_pem(&self) -> ServiceResult<String> {
        Ok(self.login_key().await?.1.clone())
    }

    /// Logs in with a password the SDK encrypted with the login key (standard base64 of a PKCS#1 v1.5 block). The
    /// attempt goes to the audit log.
    #[tracing::instrument(skip_all, fields(pool_id = %pool_id))]
    pub async fn login_with_encrypted_password(
        &self,
        pool_id: &PoolId,
        account: String,
        encrypted_password: &str,
        from: Requester,
    ) -> ServiceResult<Session> {
        let tried = account.clone();
        let result = async {
            let pool = self.pool(pool_id).await?;
            // Counted before the RSA work, so that undecryptable guesses are limited too.
            self.count_password_attempt(&pool.id, &account, from.ip.as_deref())
                .await?;
            let password = self.decrypt_password(encrypted_password).await?;
            let input = LoginInput {
                account,
                password,
                from: from.clone(),
            };
            self.check_password(&pool, input).await
        }
        .await;
        self.audit_password_login(pool_id, &tried, &from, &result)
            .await;
        result
    }

    /// Signs a password user up, as [`Accounts::register`] does, with `input.password` encrypted with the login
    /// key (standard base64 of a PKCS#1 v1.5 block) as the SDKs send it. The pool's policy is checked first (an
    /// unknown pool is `PoolNotFound`, a closed one `SignUpClosed`), then the password is decrypted, then the
    /// sign-up rules apply. Like the native sign-up, no login attempt is counted: a sign-up checks no password.
    #[tracing::instrument(skip_all, fields(pool_id = %pool_id))]
    pub async fn register_with_encrypted_password(
        &self,
        pool_id: &PoolId,
        input: RegisterInput,
    ) -> ServiceResult<User> {
        let pool = self.sign_up_pool(pool_id).await?;
        let password = self.decrypt_password(&input.password).await?;
        self.create_password_user(&pool, RegisterInput { password, ..input })
            .await
    }

    /// A password the SDK encrypted with the login key, in clear; `Rejected` (1002) when it does not decrypt.
    async fn decrypt_password(&self, encrypted_password: &str) -> ServiceResult<String> {
        let key = self.login_key().await?;
        let encrypted = encrypted_password.to_owned();
        run_blocking(move || key.0.decrypt_password(&encrypted))
            .await?
            .map_err(|_| {
                ServiceError::Rejected(
                    "the password is not encrypted with this server's login key (GET /api/v1/login-key.pem)"
                        .to_owned(),
                )
            })
    }

    async fn login_key(&self) -> ServiceResult<Arc<(LoginKey, String)>> {
        self.login_key
            .0
            .get_or_try_init(|| async { self.load_or_make_login_key().await.map(Arc::new) })
            .await
            .cloned()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn load_or_make_login_key(&self) -> ServiceResult<(LoginKey, String)> {
        if let Some(stored) = self.store.server_key(NAME).await? {
            return self.open_login_key(&stored);
        }
        let key = run_blocking(LoginKey::generate)
            .await?
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let private = key
            .private_pem()
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let public = key
            .public_pem()
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let stored = ServerKey {
            name: NAME.to_owned(),
            sealed: self
                .master_key
                .seal(&ServerKey::seal_context(NAME), private.as_bytes()),
            public_pem: public.clone(),
            created_at: self.clock.now(),
        };
        match self.store.insert_server_key(&stored).await {
            Ok(()) => {
                tracing::info!("made the login key");
                Ok((key, public))
            }
            // Another replica made one first: use theirs.
            Err(StoreError::Conflict { .. }) => {
                let theirs =
                    self.store.server_key(NAME).await?.ok_or_else(|| {
                        ServiceError::Internal("the login key vanished".to_owned())
                    })?;
                self.open_login_key(&theirs)
            }
            Err(other) => Err(other.into()),
        }
    }

    fn open_login_key(&self, stored: &ServerKey) -> ServiceResult<(LoginKey, String)> {
        let private = self
            .master_key
            .open(&ServerKey::seal_context(NAME), &stored.sealed)
            .map_err(|e| ServiceError::Internal(format!("login key: {e}")))?;
        let private = String::from_utf8(private)
            .map_err(|e| ServiceError::Internal(format!("login key: {e}")))?;
        let key = LoginKey::from_private_pem(&private)
            .map_err(|e| ServiceError::Internal(format!("login key: {e}")))?;
        Ok((key, stored.public_pem.clone()))
    }
}
