//! Password guessing limits, shared by every replica through the store: attempts per account and per client address
//! in a one-minute window, whatever their outcome, so that N replicas do not give an attacker N times the tries.

use chrono::TimeDelta;
use denglu_domain::PoolId;

use crate::{Core, ErrorCode, ServiceError, ServiceResult};

/// Password attempts one account may receive per window.
const PER_ACCOUNT: u32 = 10;
/// Password attempts one client address may make per window.
const PER_ADDRESS: u32 = 60;
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
        let now = self.clock.now();
        let account_key = format!("password-account:{pool}:{}", account.to_lowercase());
        let account_ok = self
            .store
            .count_attempt(
                &denglu_crypto::hash_secret(&account_key),
                PER_ACCOUNT,
                now,
                WINDOW,
            )
            .await?;
        let address_ok = match ip {
            Some(ip) => {
                let address_key = format!("password-address:{ip}");
                self.store
                    .count_attempt(
                        &denglu_crypto::hash_secret(&address_key),
                        PER_ADDRESS,
                        now,
                        WINDOW,
                    )
                    .await?
            }
            None => true,
        };
        if account_ok && address_ok {
            Ok(())
        } else {
            Err(ServiceError::Refused(ErrorCode::TooManyRequests))
        }
    }
}
