//! Every vector of `wechat-vectors.json` (the project's synthetic and derived vectors): positive
//! vectors decrypt and re-encrypt exactly, negative ones fail with the right error.

use denglu_wechat_crypto::{
    OpenDataError, WatermarkCheck, decrypt, decrypt_phone, decrypt_user, encrypt,
    login_state_signature, raw_data_signature, verify_login_state_signature,
    verify_raw_data_signature,
};
use serde_json::Value;

fn vectors() -> Value {
    serde_json::from_str(include_str!("vectors/wechat-vectors.json")).expect("vectors are JSON")
}

fn negative_case<'a>(vectors: &'a Value, name: &str) -> &'a Value {
    vectors["negative_cases"]
        .as_array()
        .and_then(|cases| cases.iter().find(|case| case["name"] == name))
        .unwrap_or_else(|| panic!("no negative case {name:?}"))
}

fn text<'a>(value: &'a Value, field: &str) -> &'a str {
    value[field]
        .as_str()
        .unwrap_or_else(|| panic!("vector has no string {field:?}: {value}"))
}

/// Decrypts a positive vector, checks the JSON and that encrypting the plaintext gives the vector's
/// `encryptedData` byte for byte. Returns the plaintext.
fn check_positive(vector: &Value) -> &str {
    let (key, iv, data) = (
        text(vector, "sessionKey"),
        text(vector, "iv"),
        text(vector, "encryptedData"),
    );
    let plaintext = text(vector, "expected_plaintext_utf8");
    let check = WatermarkCheck::appid(text(vector, "appId"));

    let object = decrypt(key, iv, data, &check).expect("positive vector decrypts");
    let expected: Value = serde_json::from_str(plaintext).expect("plaintext is JSON");
    assert_eq!(Value::Object(object), expected);
    if let Some(expected_json) = vector.get("expected_json") {
        assert_eq!(&expected, expected_json);
    }
    assert_eq!(
        encrypt(key, iv, plaintext.as_bytes()).expect("valid key and iv"),
        data
    );
    plaintext
}

#[test]
fn phone_vector_decrypts_to_its_plaintext() {
    let vectors = vectors();
    let vector = &vectors["synthetic_phone_decrypt"];
    let plaintext = check_positive(vector);

    let check = WatermarkCheck::appid("wx4f4bc4dec97d474b");
    let phone = decrypt_phone(
        text(vector, "sessionKey"),
        text(vector, "iv"),
        text(vector, "encryptedData"),
        &check,
    )
    .expect("phone vector decrypts");
    assert_eq!(phone.phone_number, "13580006666");
    assert_eq!(phone.country_code, "86");
    assert_eq!(phone.watermark.timestamp, 1_637_744_274);
    assert_eq!(
        serde_json::to_string(&phone).expect("serializes"),
        plaintext
    );
}

#[test]
fn international_phone_vector_keeps_the_prefix_in_phone_number_only() {
    let vectors = vectors();
    let vector = &vectors["synthetic_phone_decrypt_international"];
    let plaintext = check_positive(vector);

    let phone = decrypt_phone(
        text(vector, "sessionKey"),
        text(vector, "iv"),
        text(vector, "encryptedData"),
        &WatermarkCheck::appid(text(vector, "appId")),
    )
    .expect("phone vector decrypts");
    assert_eq!(phone.phone_number, "+85261234567");
    assert_eq!(phone.pure_phone_number, "61234567");
    assert_eq!(phone.country_code, "852");
    assert_eq!(
        serde_json::to_string(&phone).expect("serializes"),
        plaintext
    );
}

#[test]
fn anonymized_userinfo_vector_decrypts_and_its_raw_data_signature_matches() {
    let vectors = vectors();
    let vector = &vectors["synthetic_anonymized_userinfo"];
    let plaintext = check_positive(vector);
    let key = text(vector, "sessionKey");

    let user = decrypt_user(
        key,
        text(vector, "iv"),
        text(vector, "encryptedData"),
        &WatermarkCheck::appid(text(vector, "appId")),
    )
    .expect("user vector decrypts");
    assert_eq!(user.open_id, "oGZUI0egBJY1zhBYw2KhdUfwVJJE");
    assert_eq!(user.nick_name, "微信用户");
    assert_eq!(user.gender, 0);
    assert_eq!(user.city, "");
    assert_eq!(
        user.union_id.as_deref(),
        Some("ocMvos6NjeKLIBqg5Mr9QjxrP1FA")
    );
    assert_eq!(serde_json::to_string(&user).expect("serializes"), plaintext);

    let raw_data = text(vector, "rawData");
    let signature = text(vector, "signature_sha1_rawData_plus_sessionKey");
    assert_eq!(raw_data_signature(raw_data, key), signature);
    assert_eq!(verify_raw_data_signature(raw_data, key, signature), Ok(()));
}

#[test]
fn derived_checksession_signatures_match() {
    let vectors = vectors();
    let cases = vectors["derived_checksession_signatures"]["cases"]
        .as_array()
        .expect("cases");
    assert_eq!(cases.len(), 2);
    for case in cases {
        let key = text(case, "session_key");
        let body = text(case, "post_data").as_bytes();
        let signature = text(case, "signature");
        assert_eq!(login_state_signature(key, body), signature);
        assert_eq!(verify_login_state_signature(key, body, signature), Ok(()));
        assert_eq!(
            verify_login_state_signature(key, body, &signature.to_uppercase()),
            Ok(())
        );
    }
}

/// What each negative case must fail with.
fn expected_failure(name: &str) -> OpenDataError {
    match name {
        "watermark_appid_mismatch" => OpenDataError::WatermarkMismatch {
            expected: "wx4f4bc4dec97d474b".to_owned(),
            found: "wx0000000000000000".to_owned(),
        },
        "bad_pkcs7_padding" => OpenDataError::Padding,
        // The garbage first block is not even UTF-8, so decryption stops before JSON parsing.
        "tampered_iv" => OpenDataError::NotUtf8,
        "truncated_ciphertext" => OpenDataError::CiphertextLength,
        // The vector says the padding happens to be invalid under the wrong key.
        "wrong_session_key" => OpenDataError::Padding,
        "session_key_wrong_length" => OpenDataError::IllegalAesKey,
        other => panic!("unknown negative case {other:?}: add its expectation"),
    }
}

#[test]
fn every_negative_case_fails_with_the_right_error() {
    let vectors = vectors();
    let cases = vectors["negative_cases"]
        .as_array()
        .expect("negative cases");
    assert_eq!(cases.len(), 6);
    for case in cases {
        let name = text(case, "name");
        let appid = case["appId_expected"]
            .as_str()
            .unwrap_or("wx4f4bc4dec97d474b");
        // The wrong-length key comes alone: pair it with the official sample's iv and data (which
        // the wrong-key case uses unchanged).
        let official_sample = negative_case(&vectors, "wrong_session_key");
        let iv = case["iv"].as_str().unwrap_or(text(official_sample, "iv"));
        let data = case["encryptedData"]
            .as_str()
            .unwrap_or(text(official_sample, "encryptedData"));
        let result = decrypt(
            text(case, "sessionKey"),
            iv,
            data,
            &WatermarkCheck::appid(appid),
        );
        let expected = expected_failure(name);
        assert_eq!(result, Err(expected.clone()), "{name}");
        assert!((-41004..=-41001).contains(&expected.code()), "{name}");
    }
}

#[test]
fn the_wrong_length_key_is_rejected_before_the_iv_and_for_encryption_too() {
    let vectors = vectors();
    let key = text(
        negative_case(&vectors, "session_key_wrong_length"),
        "sessionKey",
    );
    let result = decrypt(
        key,
        "bad iv",
        "",
        &WatermarkCheck::appid("wx4f4bc4dec97d474b"),
    );
    assert_eq!(result, Err(OpenDataError::IllegalAesKey));
    assert_eq!(OpenDataError::IllegalAesKey.code(), -41001);
    assert_eq!(
        encrypt(key, "r7BXXKkLb8qrSNn05n0qiA==", b"{}"),
        Err(OpenDataError::IllegalAesKey)
    );
}
