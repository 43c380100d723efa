//! Each way `decrypt` rejects its input, in the order it checks, with the official sample's codes.

use denglu_wechat_crypto::{
    OpenDataError, WatermarkCheck, decrypt, decrypt_phone, decrypt_user, encrypt,
};

const APPID: &str = "wx4f4bc4dec97d474b";
const KEY: &str = "tiihtNczf5v6AKRyjwEUhQ==";
const IV: &str = "r7BXXKkLb8qrSNn05n0qiA==";

fn decrypt_text(
    plaintext: &str,
) -> Result<serde_json::Map<String, serde_json::Value>, OpenDataError> {
    let data = encrypt(KEY, IV, plaintext.as_bytes()).expect("valid key and iv");
    decrypt(KEY, IV, &data, &WatermarkCheck::appid(APPID))
}

#[test]
fn a_session_key_must_be_24_characters_of_base64_for_16_bytes() {
    let data = encrypt(KEY, IV, b"{}").expect("valid key and iv");
    for key in [
        "",
        "tiihtNczf5v6AKRyjwEU",       // 20 characters
        "tiihtNczf5v6AKRyjwEUhQ==\n", // 25 characters
        "AAAAAAAAAAAAAAAAAAAAAAAA",   // 24 characters, but 18 bytes
        "tiihtNczf5v6AKRyjwEUhQ-_",   // URL-safe alphabet
        "tiihtNczf5v6AKRyjwEUh===",   // bad padding
        "tiihtNczf5v6AKRyjwEUhR==",   // non-canonical trailing bits
        "tiihtNczf5v6AKRyjwEUhQé",    // 24 bytes, not ASCII
    ] {
        let result = decrypt(key, IV, &data, &WatermarkCheck::appid(APPID));
        assert_eq!(result, Err(OpenDataError::IllegalAesKey), "{key:?}");
    }
    assert_eq!(OpenDataError::IllegalAesKey.code(), -41001);
}

#[test]
fn an_iv_must_be_24_characters_of_base64_for_16_bytes_and_is_checked_after_the_key() {
    let data = encrypt(KEY, IV, b"{}").expect("valid key and iv");
    for iv in [
        "",
        "r7BXXKkLb8qrSNn05n0q",
        "AAAAAAAAAAAAAAAAAAAAAAAA",
        "r7BXXKkLb8qrSNn05n0qiA=!",
    ] {
        let result = decrypt(KEY, iv, &data, &WatermarkCheck::appid(APPID));
        assert_eq!(result, Err(OpenDataError::IllegalIv), "{iv:?}");
    }
    assert_eq!(
        decrypt("short", "short", &data, &WatermarkCheck::appid(APPID)),
        Err(OpenDataError::IllegalAesKey)
    );
    assert_eq!(encrypt(KEY, "short", b"{}"), Err(OpenDataError::IllegalIv));
    assert_eq!(OpenDataError::IllegalIv.code(), -41002);
}

#[test]
fn encrypted_data_must_be_standard_base64() {
    // 16 bytes in standard base64: decodes, then fails later (not on base64).
    let valid = "AAAA+AAA/AAAAAAAAAAAAA==";
    let later = decrypt(KEY, IV, valid, &WatermarkCheck::appid(APPID)).expect_err("garbage");
    assert_ne!(later, OpenDataError::DecodeBase64);
    for bad in [
        "not base64!",
        "AAAA AAA/AAAAAAAAAAAAA==", // '+' turned into a space by URL decoding
        "AAAA-AAA_AAAAAAAAAAAAA==", // URL-safe alphabet
        "AAAA+AAA/AAAAAAAAAAAAA",   // padding left out
        "AAAA+AAA/AAAAAAAAAAAAA==\n",
    ] {
        let result = decrypt(KEY, IV, bad, &WatermarkCheck::appid(APPID));
        assert_eq!(result, Err(OpenDataError::DecodeBase64), "{bad:?}");
    }
    assert_eq!(OpenDataError::DecodeBase64.code(), -41004);
}

#[test]
fn the_ciphertext_must_be_a_non_empty_multiple_of_16_bytes() {
    // "" is 0 bytes, "AAAAAAAAAAAAAAAAAAAA" is 15 bytes, the last one 17 bytes.
    for data in ["", "AAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAA="] {
        let result = decrypt(KEY, IV, data, &WatermarkCheck::appid(APPID));
        assert_eq!(result, Err(OpenDataError::CiphertextLength), "{data:?}");
    }
    assert_eq!(OpenDataError::CiphertextLength.code(), -41003);
}

#[test]
fn the_plaintext_must_be_a_json_object() {
    for text in ["", "[1,2]", "\"text\"", "{\"a\":1", "{} trailing"] {
        assert_eq!(decrypt_text(text), Err(OpenDataError::NotJson), "{text:?}");
    }
    assert_eq!(OpenDataError::NotJson.code(), -41003);
}

#[test]
fn the_plaintext_must_be_utf8() {
    let data = encrypt(KEY, IV, b"{\"a\":\"\xff\"}").expect("valid key and iv");
    let result = decrypt(KEY, IV, &data, &WatermarkCheck::appid(APPID));
    assert_eq!(result, Err(OpenDataError::NotUtf8));
    assert_eq!(OpenDataError::NotUtf8.code(), -41003);
}

#[test]
fn the_object_must_carry_a_watermark_with_appid_and_integer_timestamp() {
    for text in [
        r#"{"openId":"x"}"#,
        r#"{"watermark":null}"#,
        r#"{"watermark":{"appid":"wx4f4bc4dec97d474b"}}"#,
        r#"{"watermark":{"timestamp":1}}"#,
        r#"{"watermark":{"timestamp":"1","appid":"wx4f4bc4dec97d474b"}}"#,
        r#"{"watermark":{"timestamp":1.5,"appid":"wx4f4bc4dec97d474b"}}"#,
        r#"{"watermark":{"timestamp":1,"appid":7}}"#,
    ] {
        assert_eq!(
            decrypt_text(text),
            Err(OpenDataError::MissingWatermark),
            "{text}"
        );
    }
    assert_eq!(OpenDataError::MissingWatermark.code(), -41003);
}

#[test]
fn a_well_formed_object_with_the_right_watermark_is_returned_whole() {
    let object = decrypt_text(
        r#"{"x":[1,{"y":null}],"watermark":{"timestamp":5,"appid":"wx4f4bc4dec97d474b"}}"#,
    )
    .expect("right watermark");
    assert_eq!(object.len(), 2);
    assert_eq!(object["x"], serde_json::json!([1, {"y": null}]));
    assert_eq!(object["watermark"]["timestamp"], 5);
}

#[test]
fn typed_wrappers_reject_objects_of_the_wrong_shape() {
    let phone_text = r#"{"phoneNumber":"13580006666","purePhoneNumber":"13580006666","countryCode":"86","watermark":{"timestamp":1,"appid":"wx4f4bc4dec97d474b"}}"#;
    let phone_data = encrypt(KEY, IV, phone_text.as_bytes()).expect("valid key and iv");
    let check = WatermarkCheck::appid(APPID);
    assert_eq!(
        decrypt_user(KEY, IV, &phone_data, &check),
        Err(OpenDataError::NotJson)
    );

    let user_text = r#"{"openId":"o1","watermark":{"timestamp":1,"appid":"wx4f4bc4dec97d474b"}}"#;
    let user_data = encrypt(KEY, IV, user_text.as_bytes()).expect("valid key and iv");
    assert_eq!(
        decrypt_phone(KEY, IV, &user_data, &check),
        Err(OpenDataError::NotJson)
    );
    let user = decrypt_user(KEY, IV, &user_data, &check).expect("only openId is required");
    assert_eq!(user.open_id, "o1");
    assert_eq!(
        (user.nick_name.as_str(), user.gender, user.union_id),
        ("", 0, None)
    );
}

#[test]
fn messages_are_precise_and_never_contain_key_material() {
    let data = encrypt(
        KEY,
        IV,
        br#"{"watermark":{"timestamp":1,"appid":"wxOther"}}"#,
    )
    .expect("valid key and iv");
    let mismatch = decrypt(KEY, IV, &data, &WatermarkCheck::appid(APPID)).expect_err("other app");
    assert_eq!(
        mismatch.to_string(),
        "watermark appid is \"wxOther\", expected \"wx4f4bc4dec97d474b\""
    );
    let errors = [
        decrypt(
            "tiihtNczf5v6AKRyjwEUhQ=",
            IV,
            &data,
            &WatermarkCheck::appid(APPID),
        ),
        decrypt(
            KEY,
            "r7BXXKkLb8qrSNn05n0qiA=",
            &data,
            &WatermarkCheck::appid(APPID),
        ),
        decrypt(KEY, IV, "%%%", &WatermarkCheck::appid(APPID)),
        decrypt(KEY, IV, "", &WatermarkCheck::appid(APPID)),
        Err(mismatch),
    ];
    for error in errors {
        let message = error.expect_err("rejected").to_string();
        assert!(!message.contains("tiihtNczf5v6AKRyjwEUhQ"), "{message}");
        assert!(!message.contains("r7BXXKkLb8qrSNn05n0qiA"), "{message}");
    }
}
