//! `denglu pool …` and `denglu key …`: pools, their QR settings and their signing keys.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// `denglu pool …`.
#[derive(Debug, Subcommand)]
pub(crate) enum PoolCommand {
    /// Create a pool and print its id and secret (shown once).
    Create {
        /// Display name.
        #[arg(long)]
        name: String,
        /// Token signing algorithm: ES256, RS256 or HS256 (what Authing-era backends verify locally).
        #[arg(long, default_value = "ES256")]
        jwt_algorithm: String,
        /// Token lifetime: seconds, or with a unit: 90m, 12h, 15d.
        #[arg(long, default_value = "15d")]
        token_lifetime: String,
        /// Who may sign up: open, login-only or match-verified-phone.
        #[arg(long, default_value = "open")]
        registration: String,
    },
    /// List pools.
    List,
    /// Show one pool's settings.
    Show {
        /// Pool id.
        pool_id: String,
        /// Also print the HS256 JWT secret of an HS256 pool.
        #[arg(long)]
        reveal_jwt_secret: bool,
    },
    /// Change a pool's name, token lifetime, registration policy or signing algorithm.
    ///
    /// A new algorithm brings a new active key of it; tokens signed by the old keys still verify until those are
    /// retired (`denglu key retire`).
    Update {
        /// Pool id.
        pool_id: String,
        /// Display name.
        #[arg(long)]
        name: Option<String>,
        /// Token signing algorithm: ES256, RS256 or HS256.
        #[arg(long)]
        jwt_algorithm: Option<String>,
        /// Lifetime of tokens issued from now on: seconds, or with a unit: 90m, 12h, 15d.
        #[arg(long)]
        token_lifetime: Option<String>,
        /// Who may sign up: open, login-only or match-verified-phone.
        #[arg(long)]
        registration: Option<String>,
    },
    /// Delete a pool and everything of it: users, identities, keys, settings, sessions, tickets, avatars.
    Delete {
        /// Pool id.
        pool_id: String,
        /// The pool id again, to confirm.
        #[arg(long, value_name = "POOL_ID")]
        confirm: String,
    },
    /// Replace a pool's secret and print the new one (shown once).
    RotateSecret {
        /// Pool id.
        pool_id: String,
    },
    /// Show or change a pool's QR login settings and logo.
    Qr(QrArgs),
    /// Show or change a pool's app-launched login (app2wxapp) settings.
    AppLogin {
        /// Pool id.
        pool_id: String,
        /// How long a ticket can be exchanged, in seconds (30–600).
        #[arg(long, value_name = "SECONDS")]
        ticket_lifetime: Option<i64>,
        /// Whether the ticket exchange needs the pool secret: true (the default) or false.
        #[arg(long, value_name = "BOOL")]
        require_secret: Option<bool>,
        /// Whether every ticket must be bound to a code challenge from the app (PKCE-style): true or false (default).
        #[arg(long, value_name = "BOOL")]
        require_pkce: Option<bool>,
    },
}

impl PoolCommand {
    /// Whether the command needs the master key: it changes something or reveals the sealed JWT secret. `pool qr`
    /// and `pool app-login` only with a flag that changes a setting.
    pub(crate) fn needs_master_key(&self) -> bool {
        match self {
            Self::List => false,
            Self::Show {
                reveal_jwt_secret, ..
            } => *reveal_jwt_secret,
            Self::AppLogin {
                ticket_lifetime,
                require_secret,
                require_pkce,
                ..
            } => ticket_lifetime.is_some() || require_secret.is_some() || require_pkce.is_some(),
            Self::Create { .. }
            | Self::Update { .. }
            | Self::Delete { .. }
            | Self::RotateSecret { .. } => true,
            Self::Qr(args) => args.changes_something(),
        }
    }
}

/// Flags of `pool qr`; without any, the settings are only shown.
#[derive(Debug, Args)]
pub(crate) struct QrArgs {
    /// Pool id.
    pub(crate) pool_id: String,
    /// `url` (a QR code drawn by denglu, with the pool's logo) or `wxacode` (a mini program code from WeChat).
    #[arg(long)]
    pub(crate) mode: Option<String>,
    /// How long a code can be scanned and collected, in seconds (30–600).
    #[arg(long, value_name = "SECONDS")]
    pub(crate) lifetime: Option<i64>,
    /// Where the browser goes after login: an absolute http(s) URL.
    #[arg(long, value_name = "URL", conflicts_with = "no_callback")]
    pub(crate) callback_url: Option<String>,
    /// Remove the callback URL.
    #[arg(long)]
    pub(crate) no_callback: bool,
    /// A PNG or JPEG logo to draw in the middle of url-mode codes (at most 512 KiB).
    #[arg(long, value_name = "FILE", conflicts_with = "no_logo")]
    pub(crate) logo: Option<PathBuf>,
    /// Remove the logo.
    #[arg(long)]
    pub(crate) no_logo: bool,
    /// The pool's own mini program, serving every flow and opening its codes instead of the deployment's scanner (a
    /// pool with several WeChat apps manages them with `denglu app`).
    #[arg(
        long,
        value_name = "APPID",
        requires = "own_secret_file",
        conflicts_with = "no_own_app"
    )]
    pub(crate) own_appid: Option<String>,
    /// A file holding the own mini program's AppSecret (kept out of shell history; stored encrypted).
    #[arg(long, value_name = "FILE", requires = "own_appid")]
    pub(crate) own_secret_file: Option<PathBuf>,
    /// The link prefix registered for the own mini program in WeChat (default: the deployment's).
    #[arg(long, value_name = "URL", requires = "own_appid")]
    pub(crate) own_link_prefix: Option<String>,
    /// The own mini program's confirm page (default: the deployment's).
    #[arg(long, value_name = "PAGE", requires = "own_appid")]
    pub(crate) own_confirm_page: Option<String>,
    /// Go back to the deployment's scanner mini program: removes the pool's QR-login app.
    #[arg(long)]
    pub(crate) no_own_app: bool,
    /// Which mini program opens the pool's codes when the browser does not ask for the pool's own
    /// (`useSelfWxapp=true`): `deployment` or `pool` (its first QR-login app; see `denglu app`).
    #[arg(long, value_name = "deployment|pool")]
    pub(crate) scanner: Option<String>,
}

impl QrArgs {
    /// Whether a flag asks for a change (without any, the settings are only shown).
    fn changes_something(&self) -> bool {
        self.mode.is_some()
            || self.lifetime.is_some()
            || self.callback_url.is_some()
            || self.no_callback
            || self.logo.is_some()
            || self.no_logo
            || self.scanner.is_some()
            || self.own_appid.is_some()
            || self.no_own_app
    }
}

/// `denglu key …`.
#[derive(Debug, Subcommand)]
pub(crate) enum KeyCommand {
    /// List a pool's signing keys, newest first.
    ///
    /// Prints each key's id (kid), algorithm, when it was made, and state: active (signs new tokens), previous
    /// (still verifies the tokens it signed and stays in the JWKS) or retired (its tokens are refused).
    List {
        /// Pool id.
        #[arg(long)]
        pool: String,
    },
    /// Make a new key the pool's active key, and print it.
    ///
    /// New tokens are signed with it (running servers switch within 5 seconds); tokens signed with the previous
    /// keys still verify until those are retired. For an HS256 pool the new key is a new JWT secret: give it to the
    /// backends that verify tokens with it (`denglu pool show POOL_ID --reveal-jwt-secret`) before retiring the
    /// old one.
    Rotate {
        /// Pool id.
        #[arg(long)]
        pool: String,
    },
    /// Retire a previous key: the tokens it signed are refused.
    ///
    /// The JWKS no longer lists it, and running servers refuse its tokens within 5 seconds. The active key cannot
    /// be retired: rotate first.
    Retire {
        /// Pool id.
        #[arg(long)]
        pool: String,
        /// The key's id (`kid`), as `denglu key list` shows it; it may begin with `-`.
        #[arg(allow_hyphen_values = true)]
        kid: String,
    },
}

impl KeyCommand {
    /// Whether the command needs the master key: every one but `list` changes the keys.
    pub(crate) fn needs_master_key(&self) -> bool {
        !matches!(self, Self::List { .. })
    }
}
