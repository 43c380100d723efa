//! Verifying rawData and login-state signatures: case, length, and mismatches.

use denglu_wechat_crypto::{
    SignatureError, login_state_signature, raw_data_signature, verify_login_state_signature,
    verify_raw_data_signature,
};

const KEY: &str = "tiihtNczf5v6AKRyjwEUhQ==";
const RAW_DATA: &str = r#"{"nickName":"Band","gender":1}"#;

#[test]
fn signatures_are_lowercase_hex_of_the_digest_length() {
    let sha1 = raw_data_signature(RAW_DATA, KEY);
    let hmac = login_state_signature(KEY, b"");
    assert_eq!(sha1.len(), 40);
    assert_eq!(hmac.len(), 64);
    for signature in [&sha1, &hmac] {
        assert!(
            signature
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        );
    }
}

#[test]
fn uppercase_hex_is_accepted() {
    let sha1 = raw_data_signature(RAW_DATA, KEY).to_uppercase();
    assert_eq!(verify_raw_data_signature(RAW_DATA, KEY, &sha1), Ok(()));
    let hmac = login_state_signature(KEY, b"body").to_uppercase();
    assert_eq!(verify_login_state_signature(KEY, b"body", &hmac), Ok(()));
}

#[test]
fn a_signature_over_other_data_or_with_another_key_is_a_mismatch() {
    let sha1 = raw_data_signature(RAW_DATA, KEY);
    assert_eq!(
        verify_raw_data_signature(r#"{"nickName":"Bond","gender":1}"#, KEY, &sha1),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify_raw_data_signature(RAW_DATA, "AAAAAAAAAAAAAAAAAAAAAA==", &sha1),
        Err(SignatureError::Mismatch)
    );
    let hmac = login_state_signature(KEY, b"");
    assert_eq!(
        verify_login_state_signature(KEY, b"x", &hmac),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        SignatureError::Mismatch.to_string(),
        "signature does not match the data and session_key"
    );
}

#[test]
fn the_key_is_the_session_key_text_not_its_decoded_bytes() {
    // The same 16 bytes written without base64 padding would be a different key text.
    assert_ne!(
        login_state_signature("tiihtNczf5v6AKRyjwEUhQ==", b""),
        login_state_signature("tiihtNczf5v6AKRyjwEUhQ", b"")
    );
}

#[test]
fn malformed_signatures_are_told_apart_from_mismatches() {
    let sha1 = raw_data_signature(RAW_DATA, KEY);
    let hmac = login_state_signature(KEY, b"");
    for bad in [
        String::new(),
        "xyz".to_owned(),
        format!("{sha1}0"),
        sha1[..38].to_owned(),
        format!(" {sha1}"),
        hmac.clone(), // an HMAC is too long for a SHA-1 signature
    ] {
        assert_eq!(
            verify_raw_data_signature(RAW_DATA, KEY, &bad),
            Err(SignatureError::Malformed),
            "{bad:?}"
        );
    }
    assert_eq!(
        verify_login_state_signature(KEY, b"", &sha1),
        Err(SignatureError::Malformed)
    );
    assert_eq!(
        verify_login_state_signature(KEY, b"", &format!("g{}", &hmac[1..])),
        Err(SignatureError::Malformed)
    );
    assert_eq!(
        SignatureError::Malformed.to_string(),
        "signature is not a hex digest of the right length"
    );
}
