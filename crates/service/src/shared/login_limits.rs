//! Password guessing limits, shared by every replica through the store: attempts per account and per client address
//! in a one-minute window, whatever their outcome, so that N replicas do not give an attacker N times the tries.
//! Pool users' passwords and operators' sign-ins are counted apart.

use chrono::TimeDelta;
use denglu_domain::{OperatorName, PoolId};

use crate::{Core, ErrorCode, ServiceError, ServiceResult};

/// Password attempts one account may receive per window.
const PER_ACCOUNT: u32 = 10;
/// Password attempts one client address may make per window.
const PER_ADDRESS: u32 = 60;
/// Sign-in attempts one operator account may receive per window.
const PER_OPERATOR: u32 = 5;
/// Operator sign-in attempts one client address may make per window.
const OPERATOR_SIGN_INS_PER_ADDRESS: u32 = 20;
/// The window: a minute from the first attempt after the previous window ended.
const WINDOW: TimeDelta = TimeDelta::minutes(1);

impl Core {
    /// Counts a password attempt on `account` (compared ignoring case) of `pool` from `ip`, on both limits;
    /// `TooManyRequests` when either is past its limit.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool))]
    pub(crate) async fn count_password_attempt(
        &self,
        pool: &PoolId,
        account: &str,
        ip: Option<&str>,
    ) -> ServiceResult<()> {
        let account = format!("password-account:{pool}:{}", account.to_lowercase());
        let address = ip.map(|ip| (format!("password-address:{ip}"), PER_ADDRESS));
        self.count_against_limits(&[Some((account, PER_ACCOUNT)), address])
            .await
    }

    /// Counts an operator sign-in attempt on `name` from `ip`, on both limits; `TooManyRequests` when either is past
    /// its limit.
    #[tracing::instrument(level = "debug", skip_all)]
    pub(crate) async fn count_operator_sign_in(
        &self,
        name: &OperatorName,
        ip: Option<&str>,
    ) -> ServiceResult<()> {
        let account = format!("operator-account:{name}");
        let address = ip.map(|ip| {
            (
                format!("operator-address:{ip}"),
                OPERATOR_SIGN_INS_PER_ADDRESS,
            )
        });
        self.count_against_limits(&[Some((account, PER_OPERATOR)), address])
            .await
    }

    /// Counts one attempt on each limit (a key and its limit per window); `TooManyRequests` when any is past its
    /// limit. Every limit counts the attempt, so that one refused limit does not spare the others.
    async fn count_against_limits(&self, limits: &[Option<(String, u32)>]) -> ServiceResult<()> {
        let now = self.clock.now();
        let mut allowed = true;
        for (key, limit) in limits.iter().flatten() {
            allowed &= self
                .store
                .count_attempt(&denglu_crypto::hash_secret(key), *limit, now, WINDOW)
                .await?;
        }
        if allowed {
            Ok(())
        } else {
            Err(ServiceError::Refused(ErrorCode::TooManyRequests))
        }
    }
}
