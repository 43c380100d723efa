//! What a waiting browser learns of its QR login, shared by the compatible poll (`compat::qr`) and the native push
//! channel (`native::qr_events`): the poll's inner `data` object, and the push channel's URL.

use denglu_service::{ErrorCode, QrPoll};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    compat::CompatError,
    views::{UserView, iso},
};

/// The push channel's URL for a poll secret (which is URL-safe by construction).
pub(crate) fn events_url(base: &str, random: &str) -> String {
    format!("{base}/api/v1/qr/events?random={random}")
}

/// The inner `data` object of a compatible poll reply, and what the push channel sends.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub(crate) enum PollData {
    /// Not confirmed yet: `code` 500, `message` "have not been authed", and who scanned, once someone did.
    Waiting {
        /// 500.
        code: u32,
        /// `have not been authed`.
        message: &'static str,
        /// `pending` or `scanned`.
        state: &'static str,
        /// The scanning user's nickname, when they shared it.
        nickname: Option<String>,
        /// The scanning user's avatar URL, when they shared it.
        avatar: Option<String>,
        /// When the code expires (ISO-8601).
        #[serde(rename = "expiresAt")]
        expires_at: String,
    },
    /// Confirmed, collected by this poll (the token leaves the server this once).
    Collected {
        /// 200.
        code: u32,
        /// `扫码登录成功`.
        message: &'static str,
        /// The user, with `token`.
        data: Box<UserView>,
        /// The pool's callback URL, or empty.
        redirect: String,
    },
    /// Over for good (expired, cancelled, used, unknown) or limited: the code, its message and the state.
    Ended {
        /// 4202, 4203, 4204, 4205 or 4290.
        code: u32,
        /// The code's compatible message.
        message: &'static str,
        /// `expired`, `cancelled`, `used`, `unknown` or `limited`.
        state: &'static str,
    },
    /// The poll itself failed (a malformed poll secret, say).
    Failed(CompatError),
}

impl PollData {
    /// The data of a poll's outcome.
    pub(crate) fn of(poll: &QrPoll) -> Self {
        match poll {
            QrPoll::Waiting(session) => {
                let scanner = session.scanner.as_ref();
                Self::Waiting {
                    code: 500,
                    message: "have not been authed",
                    state: session.state.as_str(),
                    nickname: scanner.and_then(|s| s.nickname.clone()),
                    avatar: scanner.and_then(|s| s.avatar.clone()),
                    expires_at: iso(session.expires_at),
                }
            }
            QrPoll::Collected { session, redirect } => Self::Collected {
                code: 200,
                message: "扫码登录成功",
                data: Box::new(UserView::new(&session.user, Some(session.token.clone()))),
                redirect: redirect.clone().unwrap_or_default(),
            },
            QrPoll::Expired => Self::ended(ErrorCode::QrExpired, "expired"),
            QrPoll::Cancelled => Self::ended(ErrorCode::QrCancelled, "cancelled"),
            QrPoll::Used => Self::ended(ErrorCode::QrUsed, "used"),
            QrPoll::Unknown => Self::ended(ErrorCode::QrNotFound, "unknown"),
        }
    }

    /// A poll refused by the address's poll limit.
    pub(crate) fn limited() -> Self {
        Self::ended(ErrorCode::TooManyRequests, "limited")
    }

    fn ended(code: ErrorCode, state: &'static str) -> Self {
        Self::Ended {
            code: code.number(),
            message: code.compat_message(),
            state,
        }
    }
}
