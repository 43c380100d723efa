//! Administration: what operators do to pools, their keys, login settings and users, to admin tokens and operator
//! accounts; each call authorised by who the operator is ([`Operator`]: the command line on the server, an admin API
//! token with its pools and read/write scope, or an operator account signed in with password and one-time code) and
//! each change written to the audit log. The rules themselves stay in their flows ([`crate::Pools`],
//! [`crate::Accounts`], [`crate::Users`], [`crate::QrLogin`], [`crate::AppLogin`]); this view adds who may, and the
//! record of who did.

mod apps;
mod audit;
mod clients;
mod dev_owner;
mod operators;
mod pools;
mod settings;
mod setup;
mod sign_in;
mod tokens;
mod users;

use denglu_crypto::TotpSecret;
use denglu_domain::{
    AdminScope, AdminToken, NewAuditEvent, OperatorAccount, OperatorId, OperatorName, PoolId,
    Requester, Sealed, UserId,
};

use crate::{Core, ServiceError, ServiceResult};

pub use apps::{NewWechatApp, WechatAppChange};
pub use clients::{ClientChange, CreatedClient, NewClient};
pub use operators::CreatedOperator;
pub use setup::{SetupCompletion, TotpOffer};
pub use sign_in::{OperatorCredentials, OperatorSessionPolicy, SignIn, SignedIn};
pub use tokens::{CreatedAdminToken, NewAdminToken};
pub use users::UserDetail;

/// How an operator proved who they are.
#[derive(Debug, Clone)]
enum Credential {
    /// Someone at the server's command line.
    CommandLine,
    /// An admin API token.
    Token(AdminToken),
    /// A browser signed in as an operator account.
    Session(OperatorAccount),
}

/// Who is administering, and from where.
#[derive(Debug, Clone)]
pub struct Operator {
    credential: Credential,
    from: Requester,
}

impl Operator {
    /// Someone at the server's command line: may do everything.
    pub fn command_line() -> Self {
        Self {
            credential: Credential::CommandLine,
            from: Requester::default(),
        }
    }

    /// The holder of `token` (one [`Core::authenticate_admin`] accepted), calling from the client `from`.
    pub fn with_token(token: AdminToken, from: Requester) -> Self {
        Self {
            credential: Credential::Token(token),
            from,
        }
    }

    /// The operator account signed in on a browser session ([`Core::authenticate_operator_session`] gave it),
    /// calling from the client `from`.
    pub fn with_session(account: OperatorAccount, from: Requester) -> Self {
        Self {
            credential: Credential::Session(account),
            from,
        }
    }

    /// How the audit log names the operator: `cli`, `token:<id>` or `operator:<name>`.
    pub fn actor(&self) -> String {
        match &self.credential {
            Credential::CommandLine => "cli".to_owned(),
            Credential::Token(token) => format!("token:{}", token.id),
            Credential::Session(account) => operator_actor(&account.name),
        }
    }

    /// The client the operator calls from.
    pub fn requester(&self) -> &Requester {
        &self.from
    }

    /// The operator account, when the operator signed in as one.
    pub fn account(&self) -> Option<&OperatorAccount> {
        match &self.credential {
            Credential::Session(account) => Some(account),
            _ => None,
        }
    }

    /// The pools the operator administers.
    pub fn scope(&self) -> &AdminScope {
        match &self.credential {
            Credential::CommandLine => &AdminScope::Deployment,
            Credential::Token(token) => &token.scope,
            Credential::Session(account) => &account.scope,
        }
    }

    /// Whether the operator may change things: read-only admin tokens may not.
    pub fn may_write(&self) -> bool {
        match &self.credential {
            Credential::Token(token) => token.write,
            Credential::CommandLine | Credential::Session(_) => true,
        }
    }

    /// 1001 unless the operator administers `pool`.
    fn read(&self, pool: &PoolId) -> ServiceResult<()> {
        if self.scope().covers(pool) {
            Ok(())
        } else {
            Err(ServiceError::Denied("you do not administer this pool"))
        }
    }

    /// 1001 unless the operator administers `pool` and may change things.
    fn write(&self, pool: &PoolId) -> ServiceResult<()> {
        self.read(pool)?;
        self.writer()
    }

    /// 1001 unless the operator may change things.
    fn writer(&self) -> ServiceResult<()> {
        if self.may_write() {
            Ok(())
        } else {
            Err(ServiceError::Denied("this admin token is read-only"))
        }
    }

    /// 1001 unless the operator administers the whole deployment (an owner).
    fn owner(&self) -> ServiceResult<()> {
        match self.scope() {
            AdminScope::Deployment => Ok(()),
            AdminScope::Pools(_) => Err(ServiceError::Denied(
                "only an owner (an operator or admin token of the whole deployment) may do this",
            )),
        }
    }
}

/// Administration by one operator: a view of the [`Core`] that checks the operator's scope before each rule and
/// records each change in the audit log.
#[derive(Clone, Copy)]
pub struct Admin<'a> {
    core: &'a Core,
    operator: &'a Operator,
}

impl<'a> Admin<'a> {
    /// Administration of `core` by `operator`.
    pub(crate) fn new(core: &'a Core, operator: &'a Operator) -> Self {
        Self { core, operator }
    }

    /// Records a change the operator made.
    async fn record(
        &self,
        kind: &str,
        pool: Option<&PoolId>,
        user: Option<&UserId>,
        detail: Option<serde_json::Value>,
    ) {
        let event = NewAuditEvent {
            at: self.core.clock.now(),
            actor: self.operator.actor(),
            kind: kind.to_owned(),
            pool_id: pool.cloned(),
            user_id: user.cloned(),
            code: None,
            ip: self.operator.from.ip.clone(),
            user_agent: self.operator.from.user_agent.clone(),
            detail,
        };
        self.core.append_audit(&event).await;
    }
}

/// How the audit log names an operator account.
fn operator_actor(name: &OperatorName) -> String {
    format!("operator:{name}")
}

/// A scope as the audit log shows it: `null` for the whole deployment, else the pool ids.
fn scope_detail(scope: &AdminScope) -> serde_json::Value {
    match scope {
        AdminScope::Deployment => serde_json::Value::Null,
        AdminScope::Pools(pools) => serde_json::json!(pools),
    }
}

impl Core {
    /// Records what an operator did to their own account (setup, sign-in, sign-out) from `from`: the code when it
    /// was refused.
    async fn record_operator_event(
        &self,
        name: &OperatorName,
        kind: &str,
        code: Option<u32>,
        from: &Requester,
        detail: Option<serde_json::Value>,
    ) {
        let event = NewAuditEvent {
            at: self.clock.now(),
            actor: operator_actor(name),
            kind: kind.to_owned(),
            pool_id: None,
            user_id: None,
            code,
            ip: from.ip.clone(),
            user_agent: from.user_agent.clone(),
            detail,
        };
        self.append_audit(&event).await;
    }

    /// The step of `code` for the authenticator `sealed` of `operator`, at the clock's time; `None` when the code is
    /// not one of the current step or its neighbours.
    fn totp_step(
        &self,
        operator: &OperatorId,
        sealed: &Sealed,
        code: &str,
    ) -> ServiceResult<Option<i64>> {
        let secret = self
            .master_key
            .open(&OperatorAccount::totp_seal_context(operator), sealed)
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let now = u64::try_from(self.clock.now().timestamp()).unwrap_or(0);
        Ok(TotpSecret::from_bytes(secret)
            .matching_step(code, now)
            .map(|step| i64::try_from(step).unwrap_or(i64::MAX)))
    }
}

impl std::ops::Deref for Admin<'_> {
    type Target = Core;

    fn deref(&self) -> &Core {
        self.core
    }
}
