//! How the typed payloads read and write JSON.

use denglu_wechat_crypto::{PhoneInfo, UserData, Watermark};
use serde_json::json;

#[test]
fn country_code_is_read_from_a_string_or_a_number_and_written_as_a_string() {
    // The getuserphonenumber doc example shows the number 86; its field table says string.
    let from_number: PhoneInfo = serde_json::from_value(json!({
        "phoneNumber": "13580006666",
        "purePhoneNumber": "13580006666",
        "countryCode": 86,
        "watermark": {"timestamp": 1637744274, "appid": "wx4f4bc4dec97d474b"}
    }))
    .expect("a numeric country code is accepted");
    let from_string: PhoneInfo = serde_json::from_value(json!({
        "phoneNumber": "13580006666",
        "purePhoneNumber": "13580006666",
        "countryCode": "86",
        "watermark": {"timestamp": 1637744274, "appid": "wx4f4bc4dec97d474b"}
    }))
    .expect("a string country code is accepted");
    assert_eq!(from_number, from_string);
    assert_eq!(from_number.country_code, "86");
    assert_eq!(
        serde_json::to_string(&from_number).expect("serializes"),
        r#"{"phoneNumber":"13580006666","purePhoneNumber":"13580006666","countryCode":"86","watermark":{"timestamp":1637744274,"appid":"wx4f4bc4dec97d474b"}}"#
    );
}

#[test]
fn country_code_of_another_type_is_rejected() {
    for code in [json!(-86), json!(86.5), json!(null), json!([86])] {
        let result = serde_json::from_value::<PhoneInfo>(json!({
            "phoneNumber": "1",
            "purePhoneNumber": "1",
            "countryCode": code,
            "watermark": {"timestamp": 1, "appid": "wx"}
        }));
        assert!(result.is_err(), "{code}");
    }
}

#[test]
fn watermark_serializes_timestamp_before_appid() {
    let watermark = Watermark {
        timestamp: 5,
        appid: "wx".to_owned(),
    };
    assert_eq!(
        serde_json::to_string(&watermark).expect("serializes"),
        r#"{"timestamp":5,"appid":"wx"}"#
    );
}

#[test]
fn user_data_defaults_missing_profile_fields_and_ignores_unknown_ones() {
    let user: UserData = serde_json::from_value(json!({
        "openId": "oGZUI0egBJY1zhBYw2KhdUfwVJJE",
        "is_demote": true,
        "watermark": {"timestamp": 1, "appid": "wx"}
    }))
    .expect("profile fields are optional");
    assert_eq!(user.nick_name, "");
    assert_eq!(user.gender, 0);
    assert_eq!(user.avatar_url, "");
    assert_eq!(user.union_id, None);
    let written = serde_json::to_value(&user).expect("serializes");
    assert_eq!(written["nickName"], "");
    assert!(
        written.get("unionId").is_none(),
        "no unionId is written when absent"
    );
}

#[test]
fn user_data_requires_an_open_id_and_a_watermark() {
    let no_open_id = json!({"nickName": "x", "watermark": {"timestamp": 1, "appid": "wx"}});
    assert!(serde_json::from_value::<UserData>(no_open_id).is_err());
    let no_watermark = json!({"openId": "o"});
    assert!(serde_json::from_value::<UserData>(no_watermark).is_err());
}
