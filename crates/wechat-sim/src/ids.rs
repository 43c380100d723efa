//! Identifiers shaped like WeChat's: codes, openids, session keys, tokens and request ids.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::distributions::Alphanumeric;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

/// Length of an observed access token.
const ACCESS_TOKEN_LEN: usize = 136;

/// A `wx.login` code: 32 chars of `[0-9A-Za-z]`.
pub(crate) fn login_code() -> String {
    random_alphanumeric(32)
}

/// A phone code (`e.detail.code` of getPhoneNumber): 64 lowercase hex digits.
pub(crate) fn phone_code() -> String {
    hex::encode(random_bytes::<32>())
}

/// A session_key: standard base64 of 16 random bytes.
pub(crate) fn session_key() -> String {
    STANDARD.encode(random_bytes::<16>())
}

/// An AES IV for open data: standard base64 of 16 random bytes.
pub(crate) fn iv() -> String {
    STANDARD.encode(random_bytes::<16>())
}

/// An opaque id for a generated mini program code.
pub(crate) fn wxacode_id() -> String {
    random_alphanumeric(20)
}

/// An access token shaped like `<digits>_<[0-9A-Za-z_-]+>`, 136 chars long.
pub(crate) fn access_token() -> String {
    let mut rng = rand::thread_rng();
    let prefix = format!("{}_", rng.gen_range(60..100));
    let body_len = ACCESS_TOKEN_LEN.saturating_sub(prefix.len());
    let mut body = String::with_capacity(body_len);
    while body.len() < body_len {
        body.push_str(&URL_SAFE_NO_PAD.encode(random_bytes::<48>()));
    }
    body.truncate(body_len);
    prefix + &body
}

/// The openid of `user` in mini program `appid`: stable, 28 chars, starts with `o`.
pub(crate) fn openid(appid: &str, user: u64) -> String {
    derived_id("openid", appid, user)
}

/// The unionid of `user` under Open Platform account `open_platform`: stable, 28 chars.
pub(crate) fn unionid(open_platform: &str, user: u64) -> String {
    derived_id("unionid", open_platform, user)
}

/// A request id: three groups of 8 hex digits, the first being the Unix time.
pub(crate) fn rid(unix_seconds: i64) -> String {
    let mut rng = rand::thread_rng();
    format!(
        "{:08x}-{:08x}-{:08x}",
        unix_seconds as u32,
        rng.next_u32(),
        rng.next_u32()
    )
}

/// `o` followed by 27 chars of `[0-9A-Za-z_-]` taken from a hash of the inputs.
fn derived_id(kind: &str, namespace: &str, user: u64) -> String {
    let digest = Sha256::new()
        .chain_update(kind.as_bytes())
        .chain_update([0])
        .chain_update(namespace.as_bytes())
        .chain_update([0])
        .chain_update(user.to_be_bytes())
        .finalize();
    let encoded = URL_SAFE_NO_PAD.encode(digest);
    format!("o{}", encoded.get(..27).unwrap_or_default())
}

fn random_alphanumeric(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_match_observed_formats() {
        let code = login_code();
        assert_eq!(code.len(), 32);
        assert!(code.bytes().all(|b| b.is_ascii_alphanumeric()));
        let phone = phone_code();
        assert_eq!(phone.len(), 64);
        assert!(
            phone
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        assert_eq!(session_key().len(), 24);
        let token = access_token();
        assert_eq!(token.len(), ACCESS_TOKEN_LEN);
        let (digits, rest) = token.split_once('_').expect("token has an underscore");
        assert!(digits.bytes().all(|b| b.is_ascii_digit()));
        assert!(
            rest.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        );
    }

    #[test]
    fn openids_are_stable_and_differ_per_app() {
        let a = openid("wx0000000000000001", 1);
        assert_eq!(a, openid("wx0000000000000001", 1));
        assert_ne!(a, openid("wx0000000000000002", 1));
        assert_ne!(a, openid("wx0000000000000001", 2));
        assert_eq!(a.len(), 28);
        assert!(a.starts_with('o'));
        assert_ne!(unionid("open1", 1), openid("open1", 1));
    }

    #[test]
    fn rid_has_three_hex_groups() {
        let rid = rid(0x668f_2aa4);
        let groups: Vec<&str> = rid.split('-').collect();
        assert_eq!(groups.len(), 3);
        assert_eq!(groups.first().copied(), Some("668f2aa4"));
        assert!(groups.iter().all(|g| g.len() == 8));
    }
}
