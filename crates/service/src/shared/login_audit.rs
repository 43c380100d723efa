//! The audit log's record of login attempts: each attempt that reached a verdict, by flow, with its result code,
//! the user when the login succeeded, and who asked from where. Attempts on no pool and malformed requests are not
//! recorded (nothing was decided), nor are server faults (their record could not be written either). Also the one
//! way any event is appended ([`Core::append_audit`]). Every attempt, server faults included, also counts in the
//! metrics by flow and result code.

use denglu_domain::{NewAuditEvent, PoolId, Requester, UserId};
use serde_json::Value;

use crate::{Core, ErrorCode, ServiceError};

/// How a user logs in, as the audit log names it (`login.<method>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoginMethod {
    /// Web QR login, recorded when the browser collects the login (or the confirm is refused).
    Qr,
    /// The app's backend exchanging an app-launch ticket.
    AppLaunch,
    /// `loginWithWxapp` in a mini program.
    MiniProgram,
    /// A password, over REST or GraphQL.
    Password,
}

impl LoginMethod {
    /// The flow's name in the metrics.
    fn flow(self) -> &'static str {
        match self {
            Self::Qr => "qr",
            Self::AppLaunch => "app_launch",
            Self::MiniProgram => "mini_program",
            Self::Password => "password",
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Self::Qr => "login.qr",
            Self::AppLaunch => "login.app_launch",
            Self::MiniProgram => "login.mini_program",
            Self::Password => "login.password",
        }
    }
}

impl Core {
    /// Records a login attempt on `pool` and its outcome: the user who logged in, or the error. `detail` says what
    /// was tried when that helps (the account of a password attempt), never a secret. A failure to record is
    /// logged: the login itself stands.
    pub(crate) async fn audit_login(
        &self,
        pool: &PoolId,
        method: LoginMethod,
        from: &Requester,
        outcome: Result<&UserId, &ServiceError>,
        detail: Option<Value>,
    ) {
        let result = outcome.map_err(ServiceError::code);
        self.metrics.login(
            method.flow(),
            result.map_or_else(ErrorCode::number, |_| 200),
        );
        let code = match result {
            Ok(_) => None,
            Err(
                ErrorCode::PoolNotFound
                | ErrorCode::InvalidRequest
                | ErrorCode::PayloadTooLarge
                | ErrorCode::SystemBusy,
            ) => return,
            Err(code) => Some(code.number()),
        };
        let user = outcome.ok();
        let event = NewAuditEvent {
            at: self.clock.now(),
            actor: user.map_or_else(|| "anonymous".to_owned(), |id| format!("user:{id}")),
            kind: method.kind().to_owned(),
            pool_id: Some(pool.clone()),
            user_id: user.cloned(),
            code,
            ip: from.ip.clone(),
            user_agent: from.user_agent.clone(),
            detail,
        };
        self.append_audit(&event).await;
    }

    /// Appends `event` to the audit log. What it records has happened, so a failure is logged, not returned.
    pub(crate) async fn append_audit(&self, event: &NewAuditEvent) {
        if let Err(error) = self.store.admin().record_audit(event).await {
            tracing::error!(%error, kind = %event.kind, "an event could not be written to the audit log");
        }
    }
}
