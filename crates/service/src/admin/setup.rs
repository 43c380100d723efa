//! Setting an operator account up through its one-time setup link: the authenticator secret offered (as a QR code's
//! `otpauth://` URI and in base32), then the password and the first one-time code, which confirms the authenticator
//! and uses the link up; the recovery codes are shown then, once.

use denglu_crypto::{TotpSecret, hash_secret};
use denglu_domain::{OperatorAccount, Password, Requester, SecretHash};
use denglu_store::CompletedSetup;
use rand::Rng;

use crate::{Core, ErrorCode, ServiceError, ServiceResult, shared::blocking::run_blocking};

/// Recovery codes made at setup.
const RECOVERY_CODES: usize = 10;
/// Characters of a recovery code, in groups of four: 16 of 31 letters and digits, 79 bits.
const RECOVERY_CODE_CHARS: usize = 16;
/// The letters and digits of recovery codes: no 0, 1, i, l or o, which are easily misread.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
/// The width of the authenticator's QR code, in pixels.
const TOTP_QR_SIZE: u32 = 240;
/// The shortest operator password; pool users' passwords may be shorter, an operator's guards every pool.
const MIN_PASSWORD_CHARS: usize = 12;

/// The authenticator secret offered to an operator setting up.
#[derive(Debug)]
pub struct TotpOffer {
    /// The operator's name.
    pub name: String,
    /// The `otpauth://totp/…` URI, for a QR code.
    pub uri: String,
    /// The secret in base32, for typing by hand.
    pub secret: String,
    /// The URI as a QR code, a PNG.
    pub qr_png: Vec<u8>,
}

/// What completing a setup gives: the recovery codes, shown once.
#[derive(Debug)]
pub struct SetupCompletion {
    /// The operator's name, to sign in with.
    pub name: String,
    /// Single-use codes that stand in for the authenticator.
    pub recovery_codes: Vec<String>,
}

/// How a recovery code is kept: the SHA-256 of its letters and digits, lowercase, without dashes or spaces.
pub(crate) fn recovery_code_hash(code: &str) -> SecretHash {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hash_secret(&format!("operator-recovery:{normal}"))
}

fn recovery_code() -> String {
    let mut rng = rand::thread_rng();
    let letters: Vec<char> = (0..RECOVERY_CODE_CHARS)
        .map(|_| char::from(RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())]))
        .collect();
    letters
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

impl Core {
    /// The account whose live setup link has the secret `link`: 4505 when there is none or it expired.
    async fn operator_to_set_up(&self, link: &str) -> ServiceResult<(OperatorAccount, SecretHash)> {
        let hash = hash_secret(link);
        let operator = self
            .store
            .operators()
            .operator_by_setup(&hash)
            .await?
            .filter(|operator| {
                operator
                    .setup
                    .as_ref()
                    .is_some_and(|setup| self.clock.now() < setup.expires_at)
            })
            .ok_or(ServiceError::Refused(ErrorCode::SetupLinkInvalid))?;
        Ok((operator, hash))
    }

    /// Offers a new authenticator secret to the operator of the setup link `link` (each call replaces the last
    /// offer). 4505 for an unknown, expired or used link.
    #[tracing::instrument(skip_all)]
    pub async fn offer_operator_totp(&self, link: &str) -> ServiceResult<TotpOffer> {
        let (operator, hash) = self.operator_to_set_up(link).await?;
        let secret = TotpSecret::generate();
        let sealed = self.master_key.seal(
            &OperatorAccount::totp_seal_context(&operator.id),
            secret.as_bytes(),
        );
        let offered = self
            .store
            .operators()
            .offer_operator_totp(&operator.id, &hash, &sealed)
            .await?;
        if !offered {
            return Err(ServiceError::Refused(ErrorCode::SetupLinkInvalid));
        }
        let uri = secret
            .uri(&self.totp_issuer(), operator.name.as_str())
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let qr_png = denglu_qr_image::render_png(&uri, TOTP_QR_SIZE, None)
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        Ok(TotpOffer {
            name: operator.name.to_string(),
            uri,
            secret: secret.base32(),
            qr_png,
        })
    }

    /// Completes the setup of the link `link`: the password (12 to 128 characters) and a current code of the offered
    /// authenticator. Uses the link up, replaces any earlier recovery codes and gives the new ones. 4505 for an
    /// unknown, expired or used link; 1002 for a short password, no offered authenticator or a wrong code.
    #[tracing::instrument(skip_all)]
    pub async fn complete_operator_setup(
        &self,
        link: &str,
        password: String,
        code: &str,
        from: Requester,
    ) -> ServiceResult<SetupCompletion> {
        let (operator, link_hash) = self.operator_to_set_up(link).await?;
        if !(MIN_PASSWORD_CHARS..=128).contains(&password.chars().count()) {
            return Err(ServiceError::Rejected(format!(
                "an operator's password has {MIN_PASSWORD_CHARS} to 128 characters"
            )));
        }
        let password = Password::parse(password)?;
        let Some(offered) = operator.pending_totp.clone() else {
            return Err(ServiceError::Rejected(
                "ask for the authenticator secret first (POST /api/v1/admin/setup/totp)".to_owned(),
            ));
        };
        let step = self
            .totp_step(&operator.id, &offered, code)?
            .ok_or_else(|| {
                ServiceError::Rejected(
                    "the one-time code does not match the authenticator: check the phone's clock and try the next \
                     code"
                        .to_owned(),
                )
            })?;
        let hasher = self.hasher.clone();
        let password_hash = run_blocking(move || hasher.hash(&password)).await?;
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
        let hashes: Vec<SecretHash> = codes.iter().map(|code| recovery_code_hash(code)).collect();
        let completed = self
            .store
            .operators()
            .complete_operator_setup(
                &operator.id,
                CompletedSetup {
                    link: &link_hash,
                    password_hash: &password_hash,
                    totp: &offered,
                    totp_step: step,
                    recovery_codes: &hashes,
                },
            )
            .await?;
        if !completed {
            return Err(ServiceError::Refused(ErrorCode::SetupLinkInvalid));
        }
        self.record_operator_event(&operator.name, "operator.setup", None, &from, None)
            .await;
        tracing::info!(operator = %operator.name, "operator set up");
        Ok(SetupCompletion {
            name: operator.name.to_string(),
            recovery_codes: codes,
        })
    }

    /// The issuer label authenticator apps show: `denglu` and the public host, so that several deployments are told
    /// apart.
    fn totp_issuer(&self) -> String {
        let host = self
            .public_url
            .split_once("://")
            .map_or("", |(_, rest)| rest)
            .split(['/', ':'])
            .next()
            .unwrap_or_default();
        if host.is_empty() {
            "denglu".to_owned()
        } else {
            format!("denglu {host}")
        }
    }
}
