//! Phone numbers as WeChat verifies them: by the getPhoneNumber button's code, or by decrypting its legacy
//! `encryptedData` with the user's session key.

use denglu_wechat::crypto::{PhoneInfo, WatermarkCheck, decrypt_phone};

use crate::{ErrorCode, ScannerApp, ServiceError, ServiceResult, Services};

/// How the user shares their phone number.
#[derive(Debug)]
pub enum PhoneProof {
    /// The `code` of `<button open-type="getPhoneNumber">` (base library 2.21.2+).
    Code(String),
    /// The legacy `encryptedData` and `iv` of the same button.
    Encrypted {
        /// `encryptedData`.
        data: String,
        /// `iv`.
        iv: String,
    },
}

impl Services {
    /// The phone number of `openid` in `app`, verified by WeChat; `session_key` is theirs, for `encryptedData`.
    pub(crate) async fn verified_phone(
        &self,
        app: &ScannerApp,
        openid: &str,
        session_key: &str,
        proof: PhoneProof,
    ) -> ServiceResult<String> {
        Ok(phone_text(
            &self.phone_info(app, openid, session_key, proof).await?,
        ))
    }

    /// WeChat's phone record of `openid` in `app` (see [`Services::verified_phone`]).
    pub(crate) async fn phone_info(
        &self,
        app: &ScannerApp,
        openid: &str,
        session_key: &str,
        proof: PhoneProof,
    ) -> ServiceResult<PhoneInfo> {
        Ok(match proof {
            PhoneProof::Code(code) => {
                self.wechat
                    .phone_number(&app.credentials, &code, Some(openid))
                    .await?
            }
            PhoneProof::Encrypted { data, iv } => {
                let check = WatermarkCheck::appid(app.appid.as_str());
                decrypt_phone(session_key, &iv, &data, &check).map_err(|error| {
                    // One answer for every failure: distinct ones would make a padding oracle.
                    tracing::info!(%error, "phone encryptedData rejected");
                    ServiceError::Refused(ErrorCode::OpenDataInvalid)
                })?
            }
        })
    }
}

/// The phone as users are stored: the bare number for China (86), else with its `+<country code>` prefix.
pub(crate) fn phone_text(info: &PhoneInfo) -> String {
    if info.country_code == "86" || info.country_code.is_empty() {
        info.pure_phone_number.clone()
    } else {
        format!("+{}{}", info.country_code, info.pure_phone_number)
    }
}
