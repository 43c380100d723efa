//! Property tests: no input makes decryption or verification panic, and each result is the one the
//! input calls for.

use base64::{Engine, engine::general_purpose::STANDARD};
use denglu_wechat_crypto::{
    OpenDataError, WatermarkCheck, decrypt, encrypt, login_state_signature, raw_data_signature,
    verify_login_state_signature, verify_raw_data_signature,
};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const APPID: &str = "wx4f4bc4dec97d474b";

/// Standard base64 of 16 random bytes: a valid session_key or iv.
fn block_base64() -> impl Strategy<Value = String> {
    prop::array::uniform16(any::<u8>()).prop_map(|bytes| STANDARD.encode(bytes))
}

/// Whether `plaintext` is what `decrypt` must accept: a UTF-8 JSON object whose watermark has an
/// integer timestamp and this app's appid.
fn acceptable(plaintext: &[u8]) -> bool {
    std::str::from_utf8(plaintext)
        .ok()
        .and_then(|text| serde_json::from_str::<Map<String, Value>>(text).ok())
        .and_then(|object| object.get("watermark").cloned())
        .is_some_and(|watermark| {
            watermark["appid"] == APPID && watermark["timestamp"].as_i64().is_some()
        })
}

proptest! {
    #[test]
    fn arbitrary_strings_are_rejected_without_panicking(
        key in prop_oneof![any::<String>(), "[A-Za-z0-9+/=]{24}"],
        iv in prop_oneof![any::<String>(), "[A-Za-z0-9+/=]{24}"],
        data in prop_oneof![any::<String>(), "[A-Za-z0-9+/=]{0,64}"],
    ) {
        let result = decrypt(&key, &iv, &data, &WatermarkCheck::appid(APPID));
        if key.len() != 24 {
            prop_assert_eq!(result, Err(OpenDataError::IllegalAesKey));
        } else {
            prop_assert!(result.is_err());
        }
    }

    #[test]
    fn random_ciphertext_under_a_valid_key_fails_after_decryption(
        key in block_base64(),
        iv in block_base64(),
        ciphertext in (1..=32usize).prop_flat_map(|blocks| prop::collection::vec(any::<u8>(), blocks * 16)),
    ) {
        let result = decrypt(&key, &iv, &STANDARD.encode(&ciphertext), &WatermarkCheck::appid(APPID));
        let error = result.expect_err("random ciphertext is not a watermarked object");
        prop_assert_eq!(error.code(), -41003);
        prop_assert_ne!(error, OpenDataError::CiphertextLength);
    }

    #[test]
    fn random_plaintext_round_trips_only_when_it_is_a_watermarked_object(
        key in block_base64(),
        iv in block_base64(),
        plaintext in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..200),
            any::<String>().prop_map(String::into_bytes),
        ],
    ) {
        let data = encrypt(&key, &iv, &plaintext).expect("valid key and iv");
        let result = decrypt(&key, &iv, &data, &WatermarkCheck::appid(APPID));
        prop_assert_eq!(result.is_ok(), acceptable(&plaintext));
        if let Err(error) = result {
            prop_assert!(matches!(
                error,
                OpenDataError::NotUtf8
                    | OpenDataError::NotJson
                    | OpenDataError::MissingWatermark
                    | OpenDataError::WatermarkMismatch { .. }
            ), "{error:?}");
        }
    }

    #[test]
    fn json_objects_decrypt_back_exactly_when_the_watermark_names_this_app(
        key in block_base64(),
        iv in block_base64(),
        fields in prop::collection::btree_map("[a-zA-Z]{1,8}", any::<i64>(), 0..6),
        appid in prop::option::of(prop_oneof![Just(APPID.to_owned()), "wx[0-9a-f]{0,16}"]),
        timestamp in any::<i64>(),
    ) {
        let mut object: Map<String, Value> =
            fields.into_iter().map(|(name, value)| (name, json!(value))).collect();
        if let Some(appid) = &appid {
            object.insert("watermark".to_owned(), json!({"timestamp": timestamp, "appid": appid}));
        }
        let plaintext = serde_json::to_vec(&object).expect("serializes");
        let data = encrypt(&key, &iv, &plaintext).expect("valid key and iv");
        let result = decrypt(&key, &iv, &data, &WatermarkCheck::appid(APPID));
        match appid.as_deref() {
            Some(APPID) => prop_assert_eq!(result, Ok(object)),
            Some(other) => prop_assert_eq!(result, Err(OpenDataError::WatermarkMismatch {
                expected: APPID.to_owned(),
                found: other.to_owned(),
            })),
            None => prop_assert_eq!(result, Err(OpenDataError::MissingWatermark)),
        }
    }

    #[test]
    fn verifying_arbitrary_signatures_never_panics_and_accepts_only_the_right_one(
        raw_data in any::<String>(),
        key in any::<String>(),
        body in prop::collection::vec(any::<u8>(), 0..64),
        signature in prop_oneof![any::<String>(), "[0-9a-fA-F]{40}", "[0-9a-fA-F]{64}"],
    ) {
        let raw_ok = verify_raw_data_signature(&raw_data, &key, &signature).is_ok();
        prop_assert_eq!(raw_ok, signature.eq_ignore_ascii_case(&raw_data_signature(&raw_data, &key)));
        let login_ok = verify_login_state_signature(&key, &body, &signature).is_ok();
        prop_assert_eq!(login_ok, signature.eq_ignore_ascii_case(&login_state_signature(&key, &body)));

        let own = raw_data_signature(&raw_data, &key);
        prop_assert_eq!(verify_raw_data_signature(&raw_data, &key, &own.to_uppercase()), Ok(()));
        let own = login_state_signature(&key, &body);
        prop_assert_eq!(verify_login_state_signature(&key, &body, &own), Ok(()));
    }
}
