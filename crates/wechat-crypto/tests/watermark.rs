//! The watermark checks: appid always, freshness when asked for.

use denglu_wechat_crypto::{
    MAX_FUTURE_SKEW_SECS, OpenDataError, Watermark, WatermarkCheck, decrypt, encrypt,
};

const APPID: &str = "wx4f4bc4dec97d474b";
const KEY: &str = "tiihtNczf5v6AKRyjwEUhQ==";
const IV: &str = "r7BXXKkLb8qrSNn05n0qiA==";
const TIMESTAMP: i64 = 1_700_000_000;

fn watermark(timestamp: i64) -> Watermark {
    Watermark {
        timestamp,
        appid: APPID.to_owned(),
    }
}

#[test]
fn fresh_data_is_accepted_through_decrypt() {
    let data = encrypt(
        KEY,
        IV,
        br#"{"watermark":{"timestamp":1700000000,"appid":"wx4f4bc4dec97d474b"}}"#,
    )
    .expect("valid key and iv");
    let check = WatermarkCheck::appid(APPID).fresh_within(300, TIMESTAMP + 10);
    assert!(decrypt(KEY, IV, &data, &check).is_ok());

    let late = WatermarkCheck::appid(APPID).fresh_within(300, TIMESTAMP + 301);
    assert_eq!(
        decrypt(KEY, IV, &data, &late),
        Err(OpenDataError::Stale {
            timestamp: TIMESTAMP,
            now: TIMESTAMP + 301
        })
    );
}

#[test]
fn the_age_limit_is_inclusive() {
    let check = WatermarkCheck::appid(APPID).fresh_within(300, TIMESTAMP + 300);
    assert_eq!(check.verify(&watermark(TIMESTAMP)), Ok(()));
    assert_eq!(
        check.verify(&watermark(TIMESTAMP - 1)),
        Err(OpenDataError::Stale {
            timestamp: TIMESTAMP - 1,
            now: TIMESTAMP + 300
        })
    );
}

#[test]
fn far_future_timestamps_are_stale_but_small_skew_is_allowed() {
    let check = WatermarkCheck::appid(APPID).fresh_within(300, TIMESTAMP);
    assert_eq!(MAX_FUTURE_SKEW_SECS, 60);
    assert_eq!(check.verify(&watermark(TIMESTAMP + 60)), Ok(()));
    let error = check
        .verify(&watermark(TIMESTAMP + 61))
        .expect_err("too far in the future");
    assert_eq!(
        error,
        OpenDataError::Stale {
            timestamp: TIMESTAMP + 61,
            now: TIMESTAMP
        }
    );
    assert_eq!(error.code(), -41003);
    assert_eq!(
        error.to_string(),
        "watermark timestamp 1700000061 is not fresh (now is 1700000000)"
    );
}

#[test]
fn without_freshness_any_timestamp_passes_but_the_appid_is_still_checked() {
    let check = WatermarkCheck::appid(APPID);
    assert_eq!(check.verify(&watermark(0)), Ok(()));
    assert_eq!(check.verify(&watermark(i64::MAX)), Ok(()));
    let other = Watermark {
        timestamp: TIMESTAMP,
        appid: "wx0000000000000000".to_owned(),
    };
    assert_eq!(
        check.verify(&other),
        Err(OpenDataError::WatermarkMismatch {
            expected: APPID.to_owned(),
            found: "wx0000000000000000".to_owned()
        })
    );
}

#[test]
fn the_appid_is_checked_before_freshness() {
    let check = WatermarkCheck::appid(APPID).fresh_within(300, TIMESTAMP);
    let stale_and_foreign = Watermark {
        timestamp: 0,
        appid: "wxOther".to_owned(),
    };
    assert!(matches!(
        check.verify(&stale_and_foreign),
        Err(OpenDataError::WatermarkMismatch { .. })
    ));
}

#[test]
fn extreme_clock_values_do_not_overflow() {
    let negative_age = WatermarkCheck::appid(APPID).fresh_within(-5, TIMESTAMP);
    assert_eq!(negative_age.verify(&watermark(TIMESTAMP)), Ok(()));
    assert!(negative_age.verify(&watermark(TIMESTAMP - 1)).is_err());

    let at_min = WatermarkCheck::appid(APPID).fresh_within(i64::MAX, i64::MIN);
    assert_eq!(at_min.verify(&watermark(i64::MIN)), Ok(()));
    assert!(at_min.verify(&watermark(0)).is_err());

    let at_max = WatermarkCheck::appid(APPID).fresh_within(i64::MAX, i64::MAX);
    assert_eq!(at_max.verify(&watermark(i64::MAX)), Ok(()));
    assert_eq!(at_max.verify(&watermark(0)), Ok(()));
}
