//! Administration: what operators do to pools, their keys and users, and to admin tokens; each call authorised by
//! who the operator is ([`Operator`]: the command line on the server, or an admin API token with its pools and
//! read/write scope) and each change written to the audit log. The rules themselves stay in their flows
//! ([`crate::Pools`], [`crate::Accounts`], [`crate::Users`]); this view adds who may, and the record of who did.

mod audit;
mod pools;
mod tokens;
mod users;

use denglu_domain::{AdminScope, AdminToken, NewAuditEvent, PoolId, Requester, UserId};

use crate::{Core, ServiceError, ServiceResult};

pub use tokens::{CreatedAdminToken, NewAdminToken};
pub use users::UserDetail;

/// Who is administering, and from where.
#[derive(Debug, Clone)]
pub struct Operator {
    token: Option<AdminToken>,
    from: Requester,
}

impl Operator {
    /// Someone at the server's command line: may do everything.
    pub fn command_line() -> Self {
        Self {
            token: None,
            from: Requester::default(),
        }
    }

    /// The holder of `token` (one [`Core::authenticate_admin`] accepted), calling from the client `from`.
    pub fn with_token(token: AdminToken, from: Requester) -> Self {
        Self {
            token: Some(token),
            from,
        }
    }

    /// How the audit log names the operator: `cli`, or `token:<id>`.
    pub fn actor(&self) -> String {
        match &self.token {
            None => "cli".to_owned(),
            Some(token) => format!("token:{}", token.id),
        }
    }

    /// The pools the operator administers.
    pub fn scope(&self) -> &AdminScope {
        self.token
            .as_ref()
            .map_or(&AdminScope::Deployment, |token| &token.scope)
    }

    /// Whether the operator may change things.
    pub fn may_write(&self) -> bool {
        self.token.as_ref().is_none_or(|token| token.write)
    }

    /// 1001 unless the operator administers `pool`.
    fn read(&self, pool: &PoolId) -> ServiceResult<()> {
        if self.scope().covers(pool) {
            Ok(())
        } else {
            Err(ServiceError::Denied(
                "this admin token does not cover this pool",
            ))
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
                "only an admin token of the whole deployment may do this",
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

impl std::ops::Deref for Admin<'_> {
    type Target = Core;

    fn deref(&self) -> &Core {
        self.core
    }
}
