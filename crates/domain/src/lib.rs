//! denglu's domain: the types every other crate speaks (pools, users, ids) and the rules that need no I/O.

mod admin;
mod app_login;
mod clock;
mod error;
mod ids;
mod oidc_client;
mod oidc_grant;
mod operator;
mod pool;
mod qr;
mod qr_settings;
mod secret;
mod signing_key;
mod user;
mod wechat;
mod wechat_app;

pub use admin::{
    AdminScope, AdminToken, AuditEvent, AuditFilter, AuditResult, NewAuditEvent, UserFilter,
    UserMatch,
};
pub use app_login::{AppLoginSettings, AppTicket, CodeChallenge};
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::DomainError;
pub use ids::{AdminTokenId, OperatorId, PoolId, UserId};
pub use oidc_client::{
    ClientId, ClientKind, ClientLifetime, ClientName, GrantType, HttpsUrl, LifetimeOf, OidcClient,
    RedirectUri, Scope,
};
pub use oidc_grant::{
    AuthMethod, AuthorizationCode, CodeUse, DeviceCode, IdpSession, OidcGrant, RefreshToken,
    RefreshUse, scope_text,
};
pub use operator::{OperatorAccount, OperatorName, OperatorSession, SetupLink};
pub use pool::{JwtAlgorithm, Pool, PoolName, RegistrationPolicy, TokenLifetime};
pub use qr::{PollSecret, QrOptions, QrSession, QrState, Requester, Scanner};
pub use qr_settings::{CallbackUrl, QrMode, QrSettings, ShortLifetime};
pub use secret::{Sealed, SecretHash};
pub use signing_key::{ServerKey, SigningKey, SigningKeyState};
pub use user::{
    Email, LoginName, NewPasswordUser, NewWechatUser, Password, PasswordHash, RegisterMethod, User,
    Username, revocation_floor,
};
pub use wechat::{AppId, CachedAccessToken, WechatIdentity};
pub use wechat_app::{AppKind, AppName, AppRole, AppRoles, ScannerChoice, WechatApp};
