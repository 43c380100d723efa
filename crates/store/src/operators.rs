//! The store's operator accounts: the deployment's admins, their recovery codes and browser sessions. Reached
//! through [`crate::Store::operators`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use denglu_domain::{
    OperatorAccount, OperatorId, OperatorName, OperatorSession, PasswordHash, Sealed, SecretHash,
    SetupLink,
};

use crate::StoreResult;

/// What completing an operator's setup writes, in one transaction.
#[derive(Debug, Clone)]
pub struct CompletedSetup<'a> {
    /// The setup link being used; the setup completes only while the account still has this one.
    pub link: &'a SecretHash,
    /// The new password's hash.
    pub password_hash: &'a PasswordHash,
    /// The confirmed authenticator secret, sealed.
    pub totp: &'a Sealed,
    /// The step of the code that confirmed it.
    pub totp_step: i64,
    /// The hashes of the new recovery codes; they replace any earlier ones.
    pub recovery_codes: &'a [SecretHash],
}

/// Persistent state of operators. Every write is atomic, as for [`crate::Store`].
#[async_trait]
pub trait OperatorStore: Send + Sync {
    /// Stores a new operator; `Conflict` when the name is taken.
    async fn insert_operator(&self, operator: &OperatorAccount) -> StoreResult<()>;
    /// Every operator, oldest first.
    async fn operators(&self) -> StoreResult<Vec<OperatorAccount>>;
    /// The operator with this id.
    async fn operator(&self, id: &OperatorId) -> StoreResult<Option<OperatorAccount>>;
    /// The operator with this name.
    async fn operator_by_name(&self, name: &OperatorName) -> StoreResult<Option<OperatorAccount>>;
    /// The operator whose unused setup link has this hash, expired or not.
    async fn operator_by_setup(&self, link: &SecretHash) -> StoreResult<Option<OperatorAccount>>;
    /// Offers `totp` (sealed) as the authenticator being set up, while the account still has the setup link
    /// `link`; `false` otherwise.
    async fn offer_operator_totp(
        &self,
        id: &OperatorId,
        link: &SecretHash,
        totp: &Sealed,
    ) -> StoreResult<bool>;
    /// Sets the password and the authenticator, replaces the recovery codes and uses up the setup link, while the
    /// account still has that link; `false` otherwise (nothing is written).
    async fn complete_operator_setup(
        &self,
        id: &OperatorId,
        setup: CompletedSetup<'_>,
    ) -> StoreResult<bool>;
    /// Clears the password, the authenticator, the recovery codes and every session of the operator and gives it the
    /// setup link `link`; `false` when there is no such operator.
    async fn reset_operator(&self, id: &OperatorId, link: &SetupLink) -> StoreResult<bool>;
    /// Records `step` as the last accepted one-time-password step, if it is later than the last; `false` when it is
    /// not (a replayed code).
    async fn use_totp_step(&self, id: &OperatorId, step: i64) -> StoreResult<bool>;
    /// Deletes the operator's recovery code with this hash; `false` when it has none such (unknown or used).
    async fn use_recovery_code(&self, id: &OperatorId, code: &SecretHash) -> StoreResult<bool>;
    /// How many unused recovery codes the operator has.
    async fn recovery_codes_left(&self, id: &OperatorId) -> StoreResult<u32>;
    /// Deletes an operator with its recovery codes and sessions; `false` when there is no such operator.
    async fn delete_operator(&self, id: &OperatorId) -> StoreResult<bool>;

    /// Stores a new session.
    async fn insert_operator_session(&self, session: &OperatorSession) -> StoreResult<()>;
    /// The session whose cookie secret has this hash, ended or not.
    async fn operator_session(&self, id_hash: &SecretHash) -> StoreResult<Option<OperatorSession>>;
    /// Marks the session used at `at`.
    async fn touch_operator_session(
        &self,
        id_hash: &SecretHash,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Ends a session; `false` when there is no such session.
    async fn delete_operator_session(&self, id_hash: &SecretHash) -> StoreResult<bool>;
}
