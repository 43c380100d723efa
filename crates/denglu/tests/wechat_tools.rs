//! `denglu wechat …` as a developer uses it: decrypting encryptedData and checking signatures,
//! offline, without a master key, database or settings file.

use std::process::{Command, Output};

use serde_json::{Value, json};

const APPID: &str = "wx4f4bc4dec97d474b";
const SESSION_KEY: &str = "tiihtNczf5v6AKRyjwEUhQ==";
/// The synthetic legacy getPhoneNumber vector of `wechat-vectors.json`.
const PHONE_IV: &str = "ASNFZ4mrze/+3LqYdlQyEA==";
const PHONE_DATA: &str = "mA/ZCqP9K3y8awuK7HoQVq/uNOp0He0LJxoWtkj2JY+RqvgzTU4CWTLQBh00LwnHj5DFpnB5JlcfwDZCW94dvthhqxzWKRowwVIKV9HUdhctTXS+p4tTE5SPf1dgGqjVmAM5L3tga/pTEMZAfXXXdSEQXCtmLvP2hGJjIJm7XhlFx3dtsCacjxImXi+1guy3P2YPs6DKGcOQs180qxx6OA==";
/// The vectors' negative case whose watermark names wx0000000000000000.
const FOREIGN_DATA: &str = "mA/ZCqP9K3y8awuK7HoQVq/uNOp0He0LJxoWtkj2JY+RqvgzTU4CWTLQBh00LwnHj5DFpnB5JlcfwDZCW94dvthhqxzWKRowwVIKV9HUdhctTXS+p4tTE5SPf1dgGqjVmAM5L3tga/pTEMZAfXXXdWphwoO2R/US4uHYNQ5MtIRLpMjFY+WwIw9ij5LPUOYw7/hlPAOUUGDXX4BaY7EYNw==";

/// Runs `denglu wechat <args>` in an empty folder, with every `DENGLU_*` variable removed and a
/// settings file that does not exist: the command must not need any of them.
fn wechat(args: &[&str]) -> Output {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut command = Command::new(env!("CARGO_BIN_EXE_denglu"));
    command.current_dir(folder.path()).arg("wechat").args(args);
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("DENGLU_")) {
        command.env_remove(name);
    }
    command.env("DENGLU_CONFIG", folder.path().join("missing.toml"));
    command.output().expect("denglu runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn decrypt_args<'a>(appid: &'a str, iv: &'a str, data: &'a str) -> Vec<&'a str> {
    vec![
        "decrypt",
        "--appid",
        appid,
        "--session-key",
        SESSION_KEY,
        "--iv",
        iv,
        "--data",
        data,
    ]
}

#[test]
fn decrypt_prints_the_decrypted_json() {
    let output = wechat(&decrypt_args(APPID, PHONE_IV, PHONE_DATA));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let printed: Value = serde_json::from_str(&stdout(&output)).expect("stdout is JSON");
    assert_eq!(
        printed,
        json!({
            "phoneNumber": "13580006666",
            "purePhoneNumber": "13580006666",
            "countryCode": "86",
            "watermark": {"timestamp": 1637744274, "appid": APPID}
        })
    );
    assert!(stdout(&output).contains("\n  \""), "pretty printed");
    assert_eq!(stderr(&output), "");
}

#[test]
fn decrypt_reports_a_foreign_watermark_with_its_sample_code() {
    let output = wechat(&decrypt_args(APPID, PHONE_IV, FOREIGN_DATA));
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "error: watermark appid is \"wx0000000000000000\", expected \"wx4f4bc4dec97d474b\" \
         (WeChat sample code -41003)\n"
    );
}

#[test]
fn decrypt_reports_a_bad_iv_with_its_sample_code() {
    let output = wechat(&decrypt_args(APPID, "ASNFZ4mrze/+3LqYdlQy", PHONE_DATA));
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: iv is not 24 characters of standard base64 encoding 16 bytes \
         (WeChat sample code -41002)\n"
    );
}

#[test]
fn decrypt_with_max_age_rejects_old_data() {
    let mut args = decrypt_args(APPID, PHONE_IV, PHONE_DATA);
    args.extend(["--max-age", "300"]);
    let output = wechat(&args);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.starts_with("error: watermark timestamp 1637744274 is not fresh (now is "),
        "{message}"
    );
    assert!(
        message.ends_with("(WeChat sample code -41003)\n"),
        "{message}"
    );
}

#[test]
fn verify_signature_checks_the_documented_raw_data_example() {
    let raw_data = r#"{"nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong","country":"CN","avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/1vZvI39NWFQ9XM4LtQpFrQJ1xlgZxx3w7bQxKARol6503Iuswjjn6nIGBiaycAjAtpujxyzYsrztuuICqIM5ibXQ/0"}"#;
    let check = |signature: &str| {
        wechat(&[
            "verify-signature",
            "--raw-data",
            raw_data,
            "--session-key",
            "HyVFkGl5F5OQWJZZaNzBBg==",
            "--signature",
            signature,
        ])
    };
    let ok = check("75e81ceda165f4ffa64f4068af58c64b8f54b88c");
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert_eq!(stdout(&ok), "signature ok\n");

    let wrong = check("75e81ceda165f4ffa64f4068af58c64b8f54b88d");
    assert_eq!(wrong.status.code(), Some(1));
    assert_eq!(stdout(&wrong), "");
    assert_eq!(
        stderr(&wrong),
        "error: signature does not match the data and session_key \
         (rawData signature: 40 hex digits of sha1(rawData + session_key))\n"
    );
}

#[test]
fn verify_signature_checks_login_state_hmacs_of_a_body() {
    let check = |body: &str, signature: &str| {
        wechat(&[
            "verify-signature",
            "--body",
            body,
            "--session-key",
            "o0q0otL8aEzpcZL/FT9WsQ==",
            "--signature",
            signature,
        ])
    };
    let documented = check(
        r#"{"foo":"bar"}"#,
        "654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b",
    );
    assert_eq!(documented.status.code(), Some(0), "{}", stderr(&documented));
    assert_eq!(stdout(&documented), "signature ok\n");

    // checkSessionKey signs the empty body of its GET request.
    let empty_body = check(
        "",
        "46e043c5525c2d817c44be603d30837a808a1d930d038f6fdc3e62a201fed128",
    );
    assert_eq!(empty_body.status.code(), Some(0), "{}", stderr(&empty_body));

    let malformed = check("", "46e043c5");
    assert_eq!(malformed.status.code(), Some(1));
    assert!(
        stderr(&malformed).starts_with("error: signature is not a hex digest of the right length"),
        "{}",
        stderr(&malformed)
    );
}

#[test]
fn verify_signature_needs_exactly_one_of_raw_data_and_body() {
    let common = ["--session-key", SESSION_KEY, "--signature", "00"];
    let neither = wechat(&[&["verify-signature"][..], &common].concat());
    assert_eq!(neither.status.code(), Some(2), "a usage error");
    let both = wechat(
        &[
            &["verify-signature", "--raw-data", "{}", "--body", ""][..],
            &common,
        ]
        .concat(),
    );
    assert_eq!(both.status.code(), Some(2), "a usage error");
    assert!(
        stderr(&both).contains("cannot be used with"),
        "{}",
        stderr(&both)
    );
}
