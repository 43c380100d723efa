//! Password guessing limits of this replica: attempts per account and per client address, whatever the outcome.

use crate::shared::keyed_limit::KeyedLimit;

/// Password attempts one account may receive per minute.
const PER_ACCOUNT_PER_MINUTE: u32 = 10;
/// Password attempts one client address may make per minute.
const PER_ADDRESS_PER_MINUTE: u32 = 60;

/// The limiters, shared by the clones of [`crate::Core`].
#[derive(Clone)]
pub(crate) struct LoginLimits {
    accounts: KeyedLimit,
    addresses: KeyedLimit,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            accounts: KeyedLimit::per_minute(PER_ACCOUNT_PER_MINUTE),
            addresses: KeyedLimit::per_minute(PER_ADDRESS_PER_MINUTE),
        }
    }
}

impl LoginLimits {
    /// Whether one more attempt on `account` (already lowercased with its pool) from `ip` is allowed.
    pub(crate) fn allows(&self, account: &str, ip: Option<&str>) -> bool {
        let account_ok = self.accounts.allows(&account.to_owned());
        let address_ok = ip.is_none_or(|ip| self.addresses.allows(&ip.to_owned()));
        account_ok && address_ok
    }
}
