//! Phone numbers as WeChat verifies them: by the getPhoneNumber button's code, or by decrypting its legacy
//! `encryptedData` with the user's session key; the one rule for reading a phone proof from a request; the
//! per-user limit on lookups (WeChat bills each one).

use denglu_wechat::crypto::{PhoneInfo, WatermarkCheck, decrypt_phone};

use crate::{
    Core, ErrorCode, ScannerApp, ServiceError, ServiceResult, shared::keyed_limit::KeyedLimit,
};

/// Phone lookups one WeChat user may make per minute (WeChat bills each one).
const PHONE_LOOKUPS_PER_MINUTE: u32 = 10;

/// Per-user limits on phone lookups, shared by the clones of [`Core`](crate::Core).
#[derive(Clone)]
pub(crate) struct PhoneLimits(KeyedLimit);

impl PhoneLimits {
    /// Whether the WeChat user `key` may look up a phone now.
    pub(crate) fn allows(&self, key: &str) -> bool {
        self.0.allows(&key.to_owned())
    }
}

impl Default for PhoneLimits {
    fn default() -> Self {
        Self(KeyedLimit::per_minute(PHONE_LOOKUPS_PER_MINUTE))
    }
}

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

impl PhoneProof {
    /// The proof in a request's three optional fields: the button's `code` wins when given (new base libraries
    /// send it together with `encryptedData`), else `encryptedData` with `iv`, else none. `encryptedData` without
    /// `iv` (or `iv` alone) is a mistake.
    pub fn from_fields(
        code: Option<String>,
        encrypted_data: Option<String>,
        iv: Option<String>,
    ) -> ServiceResult<Option<Self>> {
        let present = |field: Option<String>| field.filter(|value| !value.is_empty());
        match (present(code), present(encrypted_data), present(iv)) {
            (Some(code), _, _) => Ok(Some(Self::Code(code))),
            (None, Some(data), Some(iv)) => Ok(Some(Self::Encrypted { data, iv })),
            (None, None, None) => Ok(None),
            (None, _, _) => Err(ServiceError::Rejected(
                "give the phone button's `phoneCode`, or its `encryptedData` and `iv`".to_owned(),
            )),
        }
    }

    /// Like [`PhoneProof::from_fields`], where a proof is required.
    pub fn required(
        code: Option<String>,
        encrypted_data: Option<String>,
        iv: Option<String>,
    ) -> ServiceResult<Self> {
        Self::from_fields(code, encrypted_data, iv)?.ok_or_else(|| {
            ServiceError::Rejected(
                "give the phone button's `phoneCode`, or its `encryptedData` and `iv`".to_owned(),
            )
        })
    }
}

impl Core {
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

    /// WeChat's phone record of `openid` in `app` (see [`Core::verified_phone`]).
    #[tracing::instrument(level = "debug", skip_all, fields(appid = %app.appid))]
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

#[cfg(test)]
mod tests {
    use super::PhoneProof;

    fn some(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    #[test]
    fn the_code_wins_over_encrypted_data() {
        let proof = PhoneProof::from_fields(some("c"), some("d"), some("i")).expect("ok");
        assert!(matches!(proof, Some(PhoneProof::Code(code)) if code == "c"));
    }

    #[test]
    fn encrypted_data_needs_its_iv() {
        let proof = PhoneProof::from_fields(None, some("d"), some("i")).expect("ok");
        assert!(
            matches!(proof, Some(PhoneProof::Encrypted { data, iv }) if data == "d" && iv == "i")
        );
        assert!(PhoneProof::from_fields(None, some("d"), None).is_err());
        assert!(PhoneProof::from_fields(None, None, some("i")).is_err());
    }

    #[test]
    fn empty_fields_are_absent() {
        let none = PhoneProof::from_fields(some(""), some(""), None).expect("ok");
        assert!(none.is_none());
        assert!(PhoneProof::required(some(""), None, None).is_err());
        assert!(PhoneProof::required(some("c"), None, None).is_ok());
    }
}
