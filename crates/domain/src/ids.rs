//! 24-hex ObjectId-style identifiers for pools and users (the documented `_id` / `userPoolId` form).

use std::fmt;

use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Makes a new ObjectId-style value: 4 bytes of creation time, then 8 random bytes, as lowercase hex.
fn new_object_id(now: DateTime<Utc>) -> String {
    let mut bytes = [0u8; 12];
    let seconds = u32::try_from(now.timestamp()).unwrap_or(u32::MAX);
    bytes[..4].copy_from_slice(&seconds.to_be_bytes());
    rand::thread_rng().fill_bytes(&mut bytes[4..]);
    hex::encode(bytes)
}

fn parse_object_id(raw: &str, what: &'static str) -> Result<String, DomainError> {
    if raw.len() == 24 && raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(raw.to_ascii_lowercase())
    } else {
        Err(DomainError::InvalidId { what })
    }
}

macro_rules! object_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A fresh id whose first four bytes are `now`.
            pub fn generate(now: DateTime<Utc>) -> Self {
                Self(new_object_id(now))
            }

            /// Parses 24 hex characters (any case; kept lowercase).
            pub fn parse(raw: &str) -> Result<Self, DomainError> {
                parse_object_id(raw, $what).map(Self)
            }

            /// The id as lowercase hex.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

object_id!(
    /// A user pool's id (`userPoolId`, `clientId`).
    PoolId,
    "userPoolId"
);
object_id!(
    /// A user's id (`_id`).
    UserId,
    "user id"
);
object_id!(
    /// An admin API token's public id (not its secret).
    AdminTokenId,
    "admin token id"
);
object_id!(
    /// An operator's id.
    OperatorId,
    "operator id"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_24_lowercase_hex_and_distinct() {
        let now = Utc::now();
        let a = PoolId::generate(now);
        let b = PoolId::generate(now);
        assert_eq!(a.as_str().len(), 24);
        assert!(
            a.as_str()
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        );
        assert_ne!(a, b);
    }

    #[test]
    fn parsing_accepts_any_case_and_rejects_other_shapes() {
        let id = UserId::parse("5E57540F84622AE263294A42").expect("valid hex");
        assert_eq!(id.as_str(), "5e57540f84622ae263294a42");
        for bad in [
            "",
            "5e57540f84622ae263294a4",
            "5e57540f84622ae263294a42a",
            "zz57540f84622ae263294a42",
        ] {
            assert_eq!(
                UserId::parse(bad),
                Err(DomainError::InvalidId { what: "user id" })
            );
        }
    }
}
