//! The documented error codes and the errors services return. Codes 1000–2999 follow Authing's table, so
//! compatible clients understand them; 4000 and above are denglu's own.

use denglu_domain::DomainError;
use denglu_store::{Constraint, StoreError};
use denglu_tokens::TokenError;
use denglu_wechat::{ErrorKind, WechatError};

/// Result of a service call.
pub type ServiceResult<T> = Result<T, ServiceError>;

/// A documented error code. `docs/errors.md` lists each with its HTTP status on the native API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// 1000: an internal error or an unreachable database; details are only logged.
    SystemBusy,
    /// 1001: the caller may not do this.
    Forbidden,
    /// 1002: the request is malformed: bad JSON, a wrong type, a missing or invalid field.
    InvalidRequest,
    /// 1003: the request body is larger than the configured limit.
    PayloadTooLarge,
    /// 1004: no such endpoint.
    NoSuchEndpoint,
    /// 2003: the e-mail address is not valid.
    InvalidEmail,
    /// 2004: no such user.
    UserNotFound,
    /// 2005: the user is blocked.
    UserBlocked,
    /// 2006: wrong password.
    WrongPassword,
    /// 2020: no token was given.
    NotLoggedIn,
    /// 2026: the username, e-mail or phone is taken.
    UserExists,
    /// 2206: the token has expired or was revoked by logout or blocking.
    TokenExpired,
    /// 2207: the token is malformed, forged, or not from this pool.
    TokenInvalid,
    /// 2224: no such user pool.
    PoolNotFound,
    /// 4001: the pool does not allow sign-up.
    SignUpClosed,
    /// 4201: QR login is not available: no scanner mini program is configured.
    QrUnavailable,
    /// 4202: the QR code has expired; show a new one.
    QrExpired,
    /// 4203: the user cancelled the login.
    QrCancelled,
    /// 4204: the QR code was already used.
    QrUsed,
    /// 4205: no such QR code.
    QrNotFound,
    /// 4206: the QR code was already scanned.
    QrNotPending,
    /// 4301: the WeChat code is invalid, expired or used: call wx.login again.
    WechatCodeInvalid,
    /// 4302: WeChat rate-limited the request; try again later.
    WechatRateLimited,
    /// 4303: WeChat is unavailable; try again later.
    WechatUnavailable,
    /// 4304: the mini program's AppID or AppSecret is wrong.
    WechatMisconfigured,
    /// 4305: the encrypted data could not be verified.
    OpenDataInvalid,
    /// 4306: WeChat refused a WeChat app's AppID or AppSecret when they were checked.
    WechatCredentialsRefused,
    /// 4290: too many requests; slow down.
    TooManyRequests,
    /// 4401: no such ticket.
    TicketNotFound,
    /// 4402: the ticket has expired: log in again in the mini program.
    TicketExpired,
    /// 4403: the ticket was already exchanged.
    TicketUsed,
    /// 4404: the ticket is bound to a code challenge and the verifier is missing or wrong.
    TicketVerifierMismatch,
    /// 4501: an admin route was called without an admin API token or operator session.
    AdminTokenMissing,
    /// 4502: the admin API token is unknown, expired or revoked.
    AdminTokenInvalid,
    /// 4503: an operator sign-in with a wrong name, password or one-time code.
    OperatorSignInFailed,
    /// 4504: a state-changing request of an operator session without its CSRF token, or with another.
    CsrfTokenInvalid,
    /// 4505: the operator setup link is unknown, expired or used.
    SetupLinkInvalid,
    /// 4506: the operator session is unknown or has ended.
    OperatorSessionEnded,
    /// 4601: the pool has no such WeChat app, or none with the role asked for.
    WechatAppNotFound,
    /// 4602: the pool has a WeChat app with this AppID already.
    WechatAppExists,
    /// 4701: the pool has no application (OIDC client) with this client id.
    ClientNotFound,
}

impl ErrorCode {
    /// The numeric code sent in `code`.
    pub fn number(self) -> u32 {
        match self {
            Self::SystemBusy => 1000,
            Self::Forbidden => 1001,
            Self::InvalidRequest => 1002,
            Self::PayloadTooLarge => 1003,
            Self::NoSuchEndpoint => 1004,
            Self::InvalidEmail => 2003,
            Self::UserNotFound => 2004,
            Self::UserBlocked => 2005,
            Self::WrongPassword => 2006,
            Self::NotLoggedIn => 2020,
            Self::UserExists => 2026,
            Self::TokenExpired => 2206,
            Self::TokenInvalid => 2207,
            Self::PoolNotFound => 2224,
            Self::SignUpClosed => 4001,
            Self::QrUnavailable => 4201,
            Self::QrExpired => 4202,
            Self::QrCancelled => 4203,
            Self::QrUsed => 4204,
            Self::QrNotFound => 4205,
            Self::QrNotPending => 4206,
            Self::WechatCodeInvalid => 4301,
            Self::WechatRateLimited => 4302,
            Self::WechatUnavailable => 4303,
            Self::WechatMisconfigured => 4304,
            Self::OpenDataInvalid => 4305,
            Self::WechatCredentialsRefused => 4306,
            Self::TooManyRequests => 4290,
            Self::TicketNotFound => 4401,
            Self::TicketExpired => 4402,
            Self::TicketUsed => 4403,
            Self::TicketVerifierMismatch => 4404,
            Self::AdminTokenMissing => 4501,
            Self::AdminTokenInvalid => 4502,
            Self::OperatorSignInFailed => 4503,
            Self::CsrfTokenInvalid => 4504,
            Self::SetupLinkInvalid => 4505,
            Self::OperatorSessionEnded => 4506,
            Self::WechatAppNotFound => 4601,
            Self::WechatAppExists => 4602,
            Self::ClientNotFound => 4701,
        }
    }

    /// The message compatible (Authing-era) clients show, in Chinese as Authing sent it.
    pub fn compat_message(self) -> &'static str {
        match self {
            Self::SystemBusy => "系统繁忙，请稍后再试",
            Self::Forbidden => "没有权限执行此操作",
            Self::InvalidRequest => "请求参数有误",
            Self::PayloadTooLarge => "请求体过大",
            Self::NoSuchEndpoint => "接口不存在",
            Self::InvalidEmail => "邮箱格式不正确",
            Self::UserNotFound => "用户不存在",
            Self::UserBlocked => "用户已被锁定",
            Self::WrongPassword => "密码错误",
            Self::NotLoggedIn => "未登录",
            Self::UserExists => "用户已存在，请不要重复注册",
            Self::TokenExpired => "登录信息已过期",
            Self::TokenInvalid => "登录信息有误",
            Self::PoolNotFound => "用户池不存在",
            Self::SignUpClosed => "此用户池已关闭注册",
            Self::QrUnavailable => "二维码登录不可用",
            Self::QrExpired => "二维码已过期",
            Self::QrCancelled => "用户取消了登录",
            Self::QrUsed => "二维码已被使用",
            Self::QrNotFound => "二维码不存在",
            Self::QrNotPending => "二维码已被扫描",
            Self::WechatCodeInvalid => "微信登录凭证无效，请重新登录",
            Self::WechatRateLimited => "请求过于频繁，请稍后再试",
            Self::WechatUnavailable => "微信服务暂时不可用，请稍后再试",
            Self::WechatMisconfigured => "小程序配置有误",
            Self::OpenDataInvalid => "数据解密失败",
            Self::WechatCredentialsRefused => "微信拒绝了该应用的 AppID 或 AppSecret",
            Self::TooManyRequests => "请求过于频繁，请稍后再试",
            Self::TicketNotFound => "ticket 不存在",
            Self::TicketExpired => "ticket 已过期",
            Self::TicketUsed => "ticket 已被使用",
            Self::TicketVerifierMismatch => "ticket 校验失败",
            Self::AdminTokenMissing => "缺少管理令牌",
            Self::AdminTokenInvalid => "管理令牌无效、已过期或已吊销",
            Self::OperatorSignInFailed => "用户名、密码或动态验证码错误",
            Self::CsrfTokenInvalid => "缺少或错误的 CSRF 令牌",
            Self::SetupLinkInvalid => "设置链接无效、已过期或已使用",
            Self::OperatorSessionEnded => "管理员会话已结束，请重新登录",
            Self::WechatAppNotFound => "用户池没有该微信应用",
            Self::WechatAppExists => "用户池已有该微信应用",
            Self::ClientNotFound => "用户池没有该应用",
        }
    }

    /// The default English message of the native API.
    pub fn message(self) -> &'static str {
        match self {
            Self::SystemBusy => "the server could not complete the request; try again later",
            Self::Forbidden => "you may not do this",
            Self::InvalidRequest => "the request is invalid",
            Self::PayloadTooLarge => "the request body is too large",
            Self::NoSuchEndpoint => "no such endpoint",
            Self::InvalidEmail => "the e-mail address is not valid",
            Self::UserNotFound => "user not found",
            Self::UserBlocked => "the user is blocked",
            Self::WrongPassword => "wrong password",
            Self::NotLoggedIn => "not logged in: send a token",
            Self::UserExists => "the user already exists",
            Self::TokenExpired => "the token has expired or was revoked",
            Self::TokenInvalid => "the token is invalid",
            Self::PoolNotFound => "user pool not found",
            Self::SignUpClosed => "this user pool does not allow sign-up",
            Self::QrUnavailable => {
                "QR login is not available: no scanner mini program is configured"
            }
            Self::QrExpired => "the QR code has expired; show a new one",
            Self::QrCancelled => "the user cancelled the login",
            Self::QrUsed => "the QR code was already used",
            Self::QrNotFound => "no such QR code",
            Self::QrNotPending => "the QR code was already scanned",
            Self::WechatCodeInvalid => {
                "the WeChat code is invalid, expired or used: call wx.login again"
            }
            Self::WechatRateLimited => "WeChat rate-limited the request; try again later",
            Self::WechatUnavailable => "WeChat is unavailable; try again later",
            Self::WechatMisconfigured => "the mini program's AppID or AppSecret is wrong",
            Self::OpenDataInvalid => "the encrypted data could not be verified",
            Self::WechatCredentialsRefused => "WeChat refused the app's AppID or AppSecret",
            Self::TooManyRequests => "too many requests; slow down",
            Self::TicketNotFound => "no such ticket",
            Self::TicketExpired => "the ticket has expired: log in again in the mini program",
            Self::TicketUsed => "the ticket was already exchanged",
            Self::TicketVerifierMismatch => {
                "ticket verifier mismatch: give the codeVerifier of the codeChallenge"
            }
            Self::AdminTokenMissing => {
                "sign in, or send an admin API token: Authorization: Bearer dgl_admin_…"
            }
            Self::AdminTokenInvalid => "the admin API token is unknown, expired or revoked",
            Self::OperatorSignInFailed => "wrong operator name, password or one-time code",
            Self::CsrfTokenInvalid => {
                "send the session's CSRF token in X-CSRF-Token with every change"
            }
            Self::SetupLinkInvalid => {
                "the setup link is unknown, expired or used: ask an owner for a new one"
            }
            Self::OperatorSessionEnded => "the operator session has ended: sign in again",
            Self::WechatAppNotFound => "the pool has no such WeChat app, or none for this login",
            Self::WechatAppExists => "the pool has a WeChat app with this AppID already",
            Self::ClientNotFound => "the pool has no application with this client id",
        }
    }
}

/// Why a service call failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// An input broke a domain rule.
    #[error(transparent)]
    Invalid(#[from] DomainError),
    /// The referenced pool does not exist.
    #[error("user pool not found")]
    PoolNotFound,
    /// The referenced user does not exist.
    #[error("user not found")]
    UserNotFound,
    /// The user is blocked.
    #[error("the user is blocked")]
    UserBlocked,
    /// The password does not match.
    #[error("wrong password")]
    WrongPassword,
    /// The username, e-mail or phone is taken.
    #[error("the {0} is already taken")]
    UserExists(&'static str),
    /// The pool's registration policy refuses new accounts.
    #[error("this user pool does not allow sign-up")]
    SignUpClosed,
    /// No token was presented.
    #[error("not logged in")]
    NotLoggedIn,
    /// A token was rejected.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// A revoked token (logout or block).
    #[error("the token was revoked")]
    TokenRevoked,
    /// An input refused with a reason safe to show (e.g. an unreadable logo upload).
    #[error("{0}")]
    Rejected(String),
    /// The caller may not do this, for a reason safe to show (e.g. a wrong pool secret on a ticket exchange).
    #[error("{0}")]
    Denied(&'static str),
    /// A documented failure with nothing to add to its code's message (QR states, WeChat verdicts, limits).
    #[error("{}", .0.message())]
    Refused(ErrorCode),
    /// A documented failure with a reason safe to show (e.g. WeChat's verdict on an AppSecret, in words).
    #[error("{1}")]
    Explained(ErrorCode, String),
    /// WeChat is misconfigured or unreachable; the detail is logged, never sent.
    #[error("WeChat call failed: {1}")]
    Wechat(ErrorCode, String),
    /// The database cannot be reached.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// A bug or corrupt data; the detail is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    /// The documented code for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Invalid(DomainError::InvalidEmail) => ErrorCode::InvalidEmail,
            Self::Invalid(_) => ErrorCode::InvalidRequest,
            Self::PoolNotFound => ErrorCode::PoolNotFound,
            Self::UserNotFound => ErrorCode::UserNotFound,
            Self::UserBlocked => ErrorCode::UserBlocked,
            Self::WrongPassword => ErrorCode::WrongPassword,
            Self::UserExists(_) => ErrorCode::UserExists,
            Self::SignUpClosed => ErrorCode::SignUpClosed,
            Self::NotLoggedIn => ErrorCode::NotLoggedIn,
            Self::Token(TokenError::Expired) | Self::TokenRevoked => ErrorCode::TokenExpired,
            Self::Token(_) => ErrorCode::TokenInvalid,
            Self::Rejected(_) => ErrorCode::InvalidRequest,
            Self::Denied(_) => ErrorCode::Forbidden,
            Self::Refused(code) | Self::Explained(code, _) | Self::Wechat(code, _) => *code,
            Self::Unavailable(_) | Self::Internal(_) => ErrorCode::SystemBusy,
        }
    }

    /// The specific text of a client's mistake, safe to show on every surface; `None` when the code's own
    /// message says it all, or for server faults, whose details are only logged.
    pub fn detail(&self) -> Option<String> {
        match self {
            Self::Invalid(_)
            | Self::UserExists(_)
            | Self::Rejected(_)
            | Self::Denied(_)
            | Self::Explained(..) => Some(self.to_string()),
            _ => None,
        }
    }

    /// A message safe to send on the native API: the specific text for client mistakes, the code's English
    /// message otherwise.
    pub fn public_message(&self) -> String {
        self.detail()
            .unwrap_or_else(|| self.code().message().to_owned())
    }
}

impl From<WechatError> for ServiceError {
    fn from(error: WechatError) -> Self {
        let code = match error.kind() {
            ErrorKind::InvalidCode | ErrorKind::CodeUsed => ErrorCode::WechatCodeInvalid,
            ErrorKind::UserBlocked => ErrorCode::UserBlocked,
            ErrorKind::RateLimited => ErrorCode::WechatRateLimited,
            ErrorKind::BadCredentials => ErrorCode::WechatMisconfigured,
            ErrorKind::InvalidRequest => ErrorCode::InvalidRequest,
            ErrorKind::SessionKeyInvalid => ErrorCode::OpenDataInvalid,
            ErrorKind::TokenRejected | ErrorKind::Unavailable | ErrorKind::Other => {
                ErrorCode::WechatUnavailable
            }
        };
        Self::Wechat(code, error.to_string())
    }
}

impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict { constraint } => Self::UserExists(match constraint {
                Constraint::Username => "username",
                Constraint::Email => "e-mail",
                Constraint::Phone => "phone",
                Constraint::Duplicate => "id",
            }),
            StoreError::Unavailable(detail) => Self::Unavailable(detail),
            StoreError::NotFound => {
                Self::Internal("a record vanished during the request".to_owned())
            }
            StoreError::Corrupt(detail) | StoreError::Other(detail) => Self::Internal(detail),
        }
    }
}
