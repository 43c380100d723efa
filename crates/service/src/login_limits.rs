//! Password guessing limits of this replica: attempts per account and per client address, whatever the outcome.

use std::{num::NonZeroU32, sync::Arc};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Password attempts one account may receive per minute.
const PER_ACCOUNT_PER_MINUTE: u32 = 10;
/// Password attempts one client address may make per minute.
const PER_ADDRESS_PER_MINUTE: u32 = 60;

/// The limiters, shared by the clones of [`crate::Services`].
#[derive(Clone)]
pub(crate) struct LoginLimits {
    accounts: Arc<DefaultKeyedRateLimiter<String>>,
    addresses: Arc<DefaultKeyedRateLimiter<String>>,
}

impl Default for LoginLimits {
    fn default() -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        Self {
            accounts: Arc::new(RateLimiter::keyed(quota(PER_ACCOUNT_PER_MINUTE))),
            addresses: Arc::new(RateLimiter::keyed(quota(PER_ADDRESS_PER_MINUTE))),
        }
    }
}

impl LoginLimits {
    /// Whether one more attempt on `account` (already lowercased with its pool) from `ip` is allowed.
    pub(crate) fn allows(&self, account: &str, ip: Option<&str>) -> bool {
        let account_ok = self.accounts.check_key(&account.to_owned()).is_ok();
        let address_ok = ip.is_none_or(|ip| self.addresses.check_key(&ip.to_owned()).is_ok());
        account_ok && address_ok
    }
}
