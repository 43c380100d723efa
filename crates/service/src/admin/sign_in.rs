//! Operators signing in on a browser: name, password and a one-time code from their authenticator (or a recovery
//! code), rate limited and audited; the session that follows, with its idle and absolute timeouts and the CSRF token
//! every change must carry; signing out.

use chrono::TimeDelta;
use denglu_crypto::{hash_secret, random_token};
use denglu_domain::{OperatorAccount, OperatorName, OperatorSession, Password, Requester, Sealed};
use serde_json::json;
use subtle::ConstantTimeEq;

use crate::{
    Core, ErrorCode, ServiceError, ServiceResult, admin::setup::recovery_code_hash,
    shared::blocking::run_blocking,
};

/// A session is used again without being written as used when it was written less than this long ago, so that a
/// busy console does not write on every request.
const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(1);

/// How long operator sessions last (the `[admin]` settings table).
#[derive(Debug, Clone, Copy)]
pub struct OperatorSessionPolicy {
    /// A session ends after this long without a request.
    pub idle: TimeDelta,
    /// A session ends this long after sign-in, however busy.
    pub absolute: TimeDelta,
}

impl Default for OperatorSessionPolicy {
    fn default() -> Self {
        Self {
            idle: TimeDelta::minutes(30),
            absolute: TimeDelta::hours(12),
        }
    }
}

/// A sign-in attempt.
#[derive(Debug)]
pub struct SignIn {
    /// The operator's name.
    pub name: String,
    /// Their password.
    pub password: String,
    /// Six digits from their authenticator, or one of their recovery codes.
    pub code: String,
}

/// A session begun by signing in.
#[derive(Debug)]
pub struct SignedIn {
    /// The secret for the session cookie, given this once.
    pub secret: String,
    /// The session (its CSRF token and timeouts).
    pub session: OperatorSession,
    /// Who signed in.
    pub operator: OperatorAccount,
}

/// What a browser presents on an admin request.
#[derive(Debug, Clone, Copy)]
pub struct OperatorCredentials<'a> {
    /// The session cookie's secret.
    pub secret: &'a str,
    /// The `X-CSRF-Token` header, if sent.
    pub csrf_token: Option<&'a str>,
    /// Whether the request changes something (anything but GET, HEAD and OPTIONS): then the CSRF token must match.
    pub changes_state: bool,
}

impl Core {
    /// Signs an operator in: a new session for the right name, password and one-time code. Every attempt counts
    /// against the per-name and per-address limits (4290 past them) and is written to the audit log. 4503 for any
    /// wrong part, without saying which.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in_operator(
        &self,
        attempt: SignIn,
        from: Requester,
    ) -> ServiceResult<SignedIn> {
        let name = OperatorName::parse(&attempt.name)
            .map_err(|_| ServiceError::Refused(ErrorCode::OperatorSignInFailed))?;
        let result = self.check_sign_in(&name, attempt, &from).await;
        let code = result.as_ref().err().map(|error| error.code().number());
        self.record_operator_event(&name, "operator.sign_in", code, &from, None)
            .await;
        let (secret, session, operator) = result?;
        tracing::info!(operator = %operator.name, "operator signed in");
        Ok(SignedIn {
            secret,
            session,
            operator,
        })
    }

    async fn check_sign_in(
        &self,
        name: &OperatorName,
        attempt: SignIn,
        from: &Requester,
    ) -> ServiceResult<(String, OperatorSession, OperatorAccount)> {
        let failed = ServiceError::Refused(ErrorCode::OperatorSignInFailed);
        self.count_operator_sign_in(name, from.ip.as_deref())
            .await?;
        let Ok(password) = Password::parse(attempt.password) else {
            return Err(failed);
        };
        let operator = self.store.operators().operator_by_name(name).await?;
        let hasher = self.hasher.clone();
        let credentials = operator.and_then(|operator| {
            let stored = operator.password_hash.clone()?;
            let totp = operator.totp.clone()?;
            Some((operator, stored, totp))
        });
        let Some((operator, stored, totp)) = credentials else {
            run_blocking(move || hasher.verify_decoy(&password)).await?;
            return Err(failed);
        };
        if !run_blocking(move || hasher.verify(&password, &stored)).await? {
            return Err(failed);
        }
        if !self.second_factor(&operator, &totp, &attempt.code).await? {
            return Err(failed);
        }
        let (secret, session) = self.begin_operator_session(&operator).await?;
        Ok((secret, session, operator))
    }

    /// Whether `code` is the current one-time code (not used before) or an unused recovery code of `operator`;
    /// using it uses it up.
    async fn second_factor(
        &self,
        operator: &OperatorAccount,
        sealed: &Sealed,
        code: &str,
    ) -> ServiceResult<bool> {
        let code = code.trim();
        let store = self.store.operators();
        if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
            let Some(step) = self.totp_step(&operator.id, sealed, code)? else {
                return Ok(false);
            };
            return Ok(store.use_totp_step(&operator.id, step).await?);
        }
        Ok(store
            .use_recovery_code(&operator.id, &recovery_code_hash(code))
            .await?)
    }

    pub(super) async fn begin_operator_session(
        &self,
        operator: &OperatorAccount,
    ) -> ServiceResult<(String, OperatorSession)> {
        let now = self.clock.now();
        let secret = random_token(32);
        let session = OperatorSession {
            id_hash: hash_secret(&secret),
            operator_id: operator.id.clone(),
            csrf_token: random_token(32),
            created_at: now,
            last_seen_at: now,
            expires_at: now + self.operator_sessions.absolute,
        };
        self.store
            .operators()
            .insert_operator_session(&session)
            .await?;
        Ok((secret, session))
    }

    /// The operator signed in on the session whose cookie secret `credentials` holds: 4506 when it is unknown or
    /// ended (idle or absolute timeout, reset or deleted operator); 4504 when the request changes something without
    /// the session's CSRF token.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn authenticate_operator_session(
        &self,
        credentials: OperatorCredentials<'_>,
    ) -> ServiceResult<(OperatorAccount, OperatorSession)> {
        let ended = ServiceError::Refused(ErrorCode::OperatorSessionEnded);
        let store = self.store.operators();
        let hash = hash_secret(credentials.secret);
        let session = store.operator_session(&hash).await?.ok_or(ended)?;
        let now = self.clock.now();
        if now >= session.expires_at || now - session.last_seen_at > self.operator_sessions.idle {
            store.delete_operator_session(&hash).await?;
            return Err(ServiceError::Refused(ErrorCode::OperatorSessionEnded));
        }
        if credentials.changes_state {
            let sent = credentials.csrf_token.unwrap_or_default();
            if !bool::from(sent.as_bytes().ct_eq(session.csrf_token.as_bytes())) {
                return Err(ServiceError::Refused(ErrorCode::CsrfTokenInvalid));
            }
        }
        let operator = store
            .operator(&session.operator_id)
            .await?
            .filter(OperatorAccount::is_set_up)
            .ok_or(ServiceError::Refused(ErrorCode::OperatorSessionEnded))?;
        if now - session.last_seen_at >= TOUCH_EVERY {
            store.touch_operator_session(&hash, now).await?;
        }
        Ok((operator, session))
    }

    /// Ends the session whose cookie secret is `secret` (signing out); nothing happens when there is none.
    #[tracing::instrument(skip_all)]
    pub async fn sign_out_operator(
        &self,
        secret: &str,
        operator: &OperatorAccount,
        from: Requester,
    ) -> ServiceResult<()> {
        self.store
            .operators()
            .delete_operator_session(&hash_secret(secret))
            .await?;
        let detail = json!({ "operatorId": operator.id.as_str() });
        self.record_operator_event(
            &operator.name,
            "operator.sign_out",
            None,
            &from,
            Some(detail),
        )
        .await;
        Ok(())
    }
}
