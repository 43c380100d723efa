//! WeChat's own published examples: the aes-sample demo (doc "开放数据校验与解密" and `aes-sample.zip`),
//! the rawData signature example of the same doc, and the example of doc "用户登录态签名".

use denglu_wechat_crypto::{
    OpenDataError, WatermarkCheck, decrypt, decrypt_user, encrypt, login_state_signature,
    raw_data_signature, verify_login_state_signature, verify_raw_data_signature,
};
use serde_json::Value;

const APPID: &str = "wx4f4bc4dec97d474b";
const SESSION_KEY: &str = "tiihtNczf5v6AKRyjwEUhQ==";
const IV: &str = "r7BXXKkLb8qrSNn05n0qiA==";
const ENCRYPTED_DATA: &str = "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew==";
/// The sample's plaintext. The demo's printed comment leaves out `openId`; the real plaintext has it.
const PLAINTEXT: &str = r#"{"openId":"oGZUI0egBJY1zhBYw2KhdUfwVJJE","nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong","country":"CN","avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/aSKcBBPpibyKNicHNTMM0qJVh8Kjgiak2AHWr8MHM4WgMEm7GFhsf8OYrySdbvAMvTsw3mo8ibKicsnfN5pRjl1p8HQ/0","unionId":"ocMvos6NjeKLIBqg5Mr9QjxrP1FA","watermark":{"timestamp":1477314187,"appid":"wx4f4bc4dec97d474b"}}"#;

#[test]
fn the_aes_sample_decrypts_to_its_plaintext() {
    let object = decrypt(
        SESSION_KEY,
        IV,
        ENCRYPTED_DATA,
        &WatermarkCheck::appid(APPID),
    )
    .expect("the official sample decrypts");
    let expected: Value = serde_json::from_str(PLAINTEXT).expect("plaintext is JSON");
    assert_eq!(Value::Object(object), expected);
}

#[test]
fn encrypting_the_aes_sample_plaintext_reproduces_its_ciphertext() {
    assert_eq!(
        encrypt(SESSION_KEY, IV, PLAINTEXT.as_bytes()).expect("valid key and iv"),
        ENCRYPTED_DATA
    );
}

#[test]
fn the_aes_sample_reads_as_user_data_and_serializes_back_to_the_same_text() {
    let user = decrypt_user(
        SESSION_KEY,
        IV,
        ENCRYPTED_DATA,
        &WatermarkCheck::appid(APPID),
    )
    .expect("the official sample decrypts");
    assert_eq!(user.open_id, "oGZUI0egBJY1zhBYw2KhdUfwVJJE");
    assert_eq!(user.nick_name, "Band");
    assert_eq!(user.gender, 1);
    assert_eq!(user.language, "zh_CN");
    assert_eq!(
        (user.city.as_str(), user.province.as_str()),
        ("Guangzhou", "Guangdong")
    );
    assert_eq!(user.country, "CN");
    assert_eq!(
        user.union_id.as_deref(),
        Some("ocMvos6NjeKLIBqg5Mr9QjxrP1FA")
    );
    assert_eq!(user.watermark.timestamp, 1_477_314_187);
    assert_eq!(user.watermark.appid, APPID);
    assert_eq!(serde_json::to_string(&user).expect("serializes"), PLAINTEXT);
}

#[test]
fn the_aes_sample_is_rejected_for_another_appid_with_illegal_buffer() {
    let error = decrypt(
        SESSION_KEY,
        IV,
        ENCRYPTED_DATA,
        &WatermarkCheck::appid("wx0000000000000000"),
    )
    .expect_err("the watermark names another app");
    assert_eq!(
        error,
        OpenDataError::WatermarkMismatch {
            expected: "wx0000000000000000".to_owned(),
            found: APPID.to_owned(),
        }
    );
    assert_eq!(error.code(), -41003);
}

/// rawData and session_key of the signature example in doc "开放数据校验与解密".
const DOC_RAW_DATA: &str = r#"{"nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong","country":"CN","avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/1vZvI39NWFQ9XM4LtQpFrQJ1xlgZxx3w7bQxKARol6503Iuswjjn6nIGBiaycAjAtpujxyzYsrztuuICqIM5ibXQ/0"}"#;
const DOC_RAW_DATA_SESSION_KEY: &str = "HyVFkGl5F5OQWJZZaNzBBg==";
const DOC_RAW_DATA_SIGNATURE: &str = "75e81ceda165f4ffa64f4068af58c64b8f54b88c";

#[test]
fn the_documented_raw_data_signature_is_reproduced_and_verified() {
    assert_eq!(
        raw_data_signature(DOC_RAW_DATA, DOC_RAW_DATA_SESSION_KEY),
        DOC_RAW_DATA_SIGNATURE
    );
    assert_eq!(
        verify_raw_data_signature(
            DOC_RAW_DATA,
            DOC_RAW_DATA_SESSION_KEY,
            DOC_RAW_DATA_SIGNATURE
        ),
        Ok(())
    );
}

#[test]
fn the_documented_login_state_signature_is_reproduced_and_verified() {
    // Doc "用户登录态签名": hmac_sha256('{"foo":"bar"}', 'o0q0otL8aEzpcZL/FT9WsQ==').
    let session_key = "o0q0otL8aEzpcZL/FT9WsQ==";
    let body = br#"{"foo":"bar"}"#;
    let signature = "654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b";
    assert_eq!(login_state_signature(session_key, body), signature);
    assert_eq!(
        verify_login_state_signature(session_key, body, signature),
        Ok(())
    );
}
