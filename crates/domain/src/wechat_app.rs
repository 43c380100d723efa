//! A pool's WeChat apps: its mini programs, each with the logins it serves, and its mobile apps.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::{AppId, DomainError, PoolId, Sealed, pool::display_name};

/// A WeChat app of a pool. One WeChat app may belong to several pools (a staging and a live pool, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WechatApp {
    /// The pool.
    pub pool_id: PoolId,
    /// Its AppID.
    pub appid: AppId,
    /// A mini program or a mobile app.
    pub kind: AppKind,
    /// A name for people, shown in the console.
    pub name: AppName,
    /// The logins a mini program serves; a mobile app serves none itself.
    pub roles: AppRoles,
    /// Its AppSecret, sealed with context [`WechatApp::seal_context`]. Every mini program has one; a mobile app's
    /// is optional (denglu makes no call with it).
    pub secret: Option<Sealed>,
    /// The link prefix registered for it in WeChat ("scan ordinary link QR codes"); the deployment scanner's when
    /// absent.
    pub link_prefix: Option<String>,
    /// Its confirm page for mini program codes; the deployment scanner's when absent.
    pub confirm_page: Option<String>,
    /// When it was added. Among several apps with a role, the one added first serves requests that name none.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl WechatApp {
    /// The sealing context that binds an AppSecret to its pool.
    pub fn seal_context(pool: &PoolId) -> String {
        format!("pool-app-secret:{pool}")
    }

    /// Whether this app serves `role`.
    pub fn serves(&self, role: AppRole) -> bool {
        self.kind == AppKind::MiniProgram && self.roles.has(role)
    }
}

/// What kind of WeChat app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppKind {
    /// A mini program (小程序): scans QR codes, mints app-launch tickets, logs users in with the SDK.
    MiniProgram,
    /// A mobile app of the WeChat Open Platform (移动应用): the app that launches a mini program (flow B).
    MobileApp,
}

impl AppKind {
    /// The stored and wire name: `mini_program` or `mobile_app`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MiniProgram => "mini_program",
            Self::MobileApp => "mobile_app",
        }
    }

    /// Reads a stored or wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "mini_program" => Some(Self::MiniProgram),
            "mobile_app" => Some(Self::MobileApp),
            _ => None,
        }
    }
}

impl fmt::Display for AppKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// One login a mini program can serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppRole {
    /// Opens the QR codes of web login (flow A).
    QrLogin,
    /// Mints the tickets of app-launched login (flow B).
    AppLaunch,
    /// Logs users in with the mini program SDK (flow C).
    Sdk,
}

impl AppRole {
    /// Every role, in the order they are listed.
    pub const ALL: [Self; 3] = [Self::QrLogin, Self::AppLaunch, Self::Sdk];

    /// The wire name: `qr_login`, `app_launch` or `sdk`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::QrLogin => "qr_login",
            Self::AppLaunch => "app_launch",
            Self::Sdk => "sdk",
        }
    }

    /// Reads a wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == raw)
    }
}

impl fmt::Display for AppRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The roles a mini program plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AppRoles {
    /// Opens QR codes.
    pub qr_login: bool,
    /// Mints app-launch tickets.
    pub app_launch: bool,
    /// Serves the mini program SDK.
    pub sdk: bool,
}

impl AppRoles {
    /// Every role: what a pool's single "own app" of earlier versions played.
    pub const EVERY: Self = Self {
        qr_login: true,
        app_launch: true,
        sdk: true,
    };

    /// These roles.
    pub fn from_list(roles: &[AppRole]) -> Self {
        Self {
            qr_login: roles.contains(&AppRole::QrLogin),
            app_launch: roles.contains(&AppRole::AppLaunch),
            sdk: roles.contains(&AppRole::Sdk),
        }
    }

    /// Whether `role` is among them.
    pub fn has(self, role: AppRole) -> bool {
        match role {
            AppRole::QrLogin => self.qr_login,
            AppRole::AppLaunch => self.app_launch,
            AppRole::Sdk => self.sdk,
        }
    }

    /// The roles played, in [`AppRole::ALL`]'s order.
    pub fn list(self) -> Vec<AppRole> {
        AppRole::ALL
            .into_iter()
            .filter(|role| self.has(*role))
            .collect()
    }
}

/// An app's display name: 1 to 64 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppName(String);

impl AppName {
    /// Trims and checks the length.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        display_name(raw, 64)
            .map(Self)
            .ok_or(DomainError::InvalidAppName)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which mini program opens a pool's QR codes when the browser does not ask for the pool's own (`useSelfWxapp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScannerChoice {
    /// The deployment's scanner mini program; the pool's own only when the browser asks for it, or when the
    /// deployment has none.
    #[default]
    Deployment,
    /// The pool's own QR-login mini program, whenever it has one.
    Pool,
}

impl ScannerChoice {
    /// The stored and wire name: `deployment` or `pool`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deployment => "deployment",
            Self::Pool => "pool",
        }
    }

    /// Reads a stored or wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "deployment" => Some(Self::Deployment),
            "pool" => Some(Self::Pool),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for role in AppRole::ALL {
            assert_eq!(AppRole::parse(role.as_str()), Some(role));
        }
        for kind in [AppKind::MiniProgram, AppKind::MobileApp] {
            assert_eq!(AppKind::parse(kind.as_str()), Some(kind));
        }
        for choice in [ScannerChoice::Deployment, ScannerChoice::Pool] {
            assert_eq!(ScannerChoice::parse(choice.as_str()), Some(choice));
        }
        assert_eq!(AppRole::parse("QR_LOGIN"), None);
        assert_eq!(AppKind::parse("app"), None);
    }

    #[test]
    fn roles_list_in_order() {
        let roles = AppRoles::from_list(&[AppRole::Sdk, AppRole::QrLogin]);
        assert_eq!(roles.list(), vec![AppRole::QrLogin, AppRole::Sdk]);
        assert!(!roles.has(AppRole::AppLaunch));
        assert_eq!(AppRoles::EVERY.list(), AppRole::ALL.to_vec());
    }

    #[test]
    fn app_names_are_short_and_printable() {
        assert_eq!(
            AppName::parse("  小登录 ").map(|n| n.as_str().to_owned()),
            Ok("小登录".to_owned())
        );
        for bad in ["", "   ", "a\u{7}b", &"x".repeat(65)] {
            assert_eq!(
                AppName::parse(bad),
                Err(DomainError::InvalidAppName),
                "{bad}"
            );
        }
    }
}
