//! `denglu wechat …`: offline debugging of WeChat open data (decrypting `encryptedData`, checking
//! signatures). Needs no master key, database or settings file.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use denglu_wechat_crypto::{
    WatermarkCheck, decrypt, verify_login_state_signature, verify_raw_data_signature,
};

/// `denglu wechat …`.
#[derive(Debug, Subcommand)]
pub(crate) enum WechatCommand {
    /// Decrypt a mini program's encryptedData and print it as JSON (keys sorted).
    Decrypt(DecryptArgs),
    /// Check a rawData signature (sha1) or a login-state signature (hmac_sha256).
    VerifySignature(VerifySignatureArgs),
}

/// Flags of `wechat decrypt`.
#[derive(Debug, Args)]
pub(crate) struct DecryptArgs {
    /// The appid the watermark must name.
    #[arg(long)]
    appid: String,
    /// The user's session_key from code2Session (24 characters of base64).
    #[arg(long)]
    session_key: String,
    /// The iv sent with the encryptedData (24 characters of base64).
    #[arg(long)]
    iv: String,
    /// The encryptedData (standard base64).
    #[arg(long, value_name = "ENCRYPTED")]
    data: String,
    /// Also reject a watermark older than this many seconds (or more than 60 s in the future).
    #[arg(long, value_name = "SECONDS")]
    max_age: Option<u32>,
}

/// Flags of `wechat verify-signature`.
#[derive(Debug, Args)]
pub(crate) struct VerifySignatureArgs {
    #[command(flatten)]
    signed: SignedData,
    /// The user's session_key from code2Session, as its base64 text.
    #[arg(long)]
    session_key: String,
    /// The signature to check (hex, either case).
    #[arg(long)]
    signature: String,
}

/// What the signature covers: exactly one of rawData and a request body.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
struct SignedData {
    /// The rawData string from wx.getUserInfo: checks hex(sha1(rawData + session_key)).
    #[arg(long, value_name = "RAW")]
    raw_data: Option<String>,
    /// A request body: checks the login-state hex(hmac_sha256(session_key, body)); '' for a GET.
    #[arg(long)]
    body: Option<String>,
}

/// Runs a `wechat` command: the result goes to stdout (exit 0), or `error: …` to stderr (exit 1).
pub(crate) fn run(command: &WechatCommand) -> ExitCode {
    let outcome = match command {
        WechatCommand::Decrypt(args) => decrypt_command(args),
        WechatCommand::VerifySignature(args) => verify_signature_command(args),
    };
    match outcome {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(reason) => {
            eprintln!("error: {reason}");
            ExitCode::FAILURE
        }
    }
}

/// Decrypts and checks the data; the pretty JSON, or the reason with the sample code.
fn decrypt_command(args: &DecryptArgs) -> Result<String, String> {
    let mut check = WatermarkCheck::appid(&args.appid);
    if let Some(max_age) = args.max_age {
        check = check.fresh_within(i64::from(max_age), chrono::Utc::now().timestamp());
    }
    let object = decrypt(&args.session_key, &args.iv, &args.data, &check)
        .map_err(|e| format!("{e} (WeChat sample code {})", e.code()))?;
    serde_json::to_string_pretty(&object).map_err(|e| format!("cannot print the JSON: {e}"))
}

/// Checks the signature; `signature ok`, or the reason with the algorithm it was checked with.
fn verify_signature_command(args: &VerifySignatureArgs) -> Result<String, String> {
    let (result, algorithm) = match (&args.signed.raw_data, &args.signed.body) {
        (Some(raw_data), _) => (
            verify_raw_data_signature(raw_data, &args.session_key, &args.signature),
            "rawData signature: 40 hex digits of sha1(rawData + session_key)",
        ),
        (None, body) => (
            verify_login_state_signature(
                &args.session_key,
                body.as_deref().unwrap_or_default().as_bytes(),
                &args.signature,
            ),
            "login-state signature: 64 hex digits of hmac_sha256(key = session_key, body)",
        ),
    };
    result
        .map(|()| "signature ok".to_owned())
        .map_err(|e| format!("{e} ({algorithm})"))
}
