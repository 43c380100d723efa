//! denglu's cryptography: sealing secrets with the master key, hashing passwords, making and checking random secrets,
//! one-time passwords for operators' second factor, and the login key that SDKs encrypt passwords with.

mod login_key;
mod master_key;
mod password;
mod secret;
mod totp;

pub use login_key::{LoginKey, LoginKeyError};
pub use master_key::{MasterKey, MasterKeyError};
pub use password::{PasswordHasher, PasswordHasherParams};
pub use secret::{hash_secret, pkce_verifier_matches, random_token, secret_matches};
pub use totp::{TotpError, TotpSecret};
