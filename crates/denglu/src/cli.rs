//! The command line: subcommands and the flags that override settings.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand};

/// denglu: a self-hosted login server for the WeChat ecosystem.
#[derive(Debug, Parser)]
#[command(name = "denglu", version)]
pub(crate) struct Cli {
    /// A TOML settings file (see config/denglu.example.toml).
    #[arg(long, global = true, env = "DENGLU_CONFIG", value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// The database URL (sqlite://… or postgres://…); overrides the settings file and DENGLU_DATABASE__URL.
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) database_url: Option<String>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run the production server.
    Serve(ServeArgs),
    /// Run a zero-config development server: SQLite and keys in a data folder, a demo pool (`--database-url`
    /// puts the database elsewhere, e.g. PostgreSQL).
    Dev(DevArgs),
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Check the settings `serve` would run with (file, environment, flags) and whether the database answers.
    CheckConfig(ServeArgs),
    /// Copy the SQLite database into a new file while servers keep running (PostgreSQL: use pg_dump).
    Backup(BackupArgs),
    /// Put a backup made by `denglu backup` in the SQLite database's place; stop the servers first.
    Restore(RestoreArgs),
    /// Print a new random master key.
    Keygen,
    /// Print the OpenAPI document of the HTTP API.
    Openapi,
    /// Manage user pools.
    #[command(subcommand)]
    Pool(PoolCommand),
    /// Manage a pool's WeChat apps: mini programs and the logins they serve, mobile apps.
    #[command(subcommand)]
    App(AppCommand),
    /// Manage a pool's applications (OpenID Connect clients): list, show, create, update, rotate-secret, delete.
    #[command(subcommand)]
    Client(ClientCommand),
    /// Manage a pool's token signing keys: list, rotate, retire.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Administration: operator accounts, and admin API tokens for automation (see docs/admin.md).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Print the audit log: every admin change, newest first.
    Audit(AuditArgs),
    /// Debug WeChat open data offline: decrypt encryptedData, check signatures.
    #[command(subcommand)]
    Wechat(crate::wechat_tools::WechatCommand),
    /// Run the WeChat simulator alone: WeChat's server APIs plus a control API that plays the phone.
    WechatSim(WechatSimArgs),
}

/// Flags of `serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR:PORT")]
    pub(crate) listen: Option<SocketAddr>,
    /// The URL clients reach this server at; token issuers and JWKS URLs live under it.
    #[arg(long, value_name = "URL")]
    pub(crate) public_url: Option<String>,
}

impl ServeArgs {
    /// Applies the flags over the settings.
    pub(crate) fn apply(self, settings: &mut crate::settings::Settings) {
        settings.listen = self.listen.unwrap_or(settings.listen);
        settings.public_url = self.public_url.or(settings.public_url.take());
    }
}

/// Flags of `backup`.
#[derive(Debug, Args)]
pub(crate) struct BackupArgs {
    /// The file to write; it must not exist yet.
    #[arg(long, value_name = "FILE")]
    pub(crate) to: PathBuf,
}

/// Flags of `restore`.
#[derive(Debug, Args)]
pub(crate) struct RestoreArgs {
    /// The backup to restore (a file written by `denglu backup`).
    #[arg(long, value_name = "FILE")]
    pub(crate) from: PathBuf,
    /// Replace the database when it exists (everything written since the backup is lost).
    #[arg(long)]
    pub(crate) force: bool,
}

/// Flags of `dev`.
#[derive(Debug, Args)]
pub(crate) struct DevArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR:PORT")]
    pub(crate) listen: Option<SocketAddr>,
    /// Folder for the SQLite database, the master key and the demo pool's secret.
    #[arg(long, default_value = "data", value_name = "DIR")]
    pub(crate) data_dir: PathBuf,
}

/// Flags of `wechat-sim`.
#[derive(Debug, Args)]
pub(crate) struct WechatSimArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:9090", value_name = "ADDR:PORT")]
    pub(crate) listen: SocketAddr,
    /// A TOML file with the simulator's settings and mini programs (see docs/wechat-simulator.md).
    #[arg(long, value_name = "FILE")]
    pub(crate) sim_config: Option<PathBuf>,
    /// A mini program to simulate, as APPID:SECRET; repeatable. Without any, a demo mini program is registered.
    #[arg(long, value_name = "APPID:SECRET")]
    pub(crate) app: Vec<String>,
}

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

/// `denglu user …`.
#[derive(Debug, Subcommand)]
pub(crate) enum UserCommand {
    /// List a pool's users.
    List {
        /// Pool id.
        #[arg(long)]
        pool: String,
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// How many to skip.
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// Show a user as JSON.
    Show(UserRef),
    /// Block a user: they cannot log in and all their tokens stop working.
    Block(UserRef),
    /// Unblock a user. Tokens revoked by the block stay revoked.
    Unblock(UserRef),
    /// Search a pool's users by username, e-mail, phone, nickname, openid or unionid, newest first.
    Search {
        /// Pool id.
        #[arg(long)]
        pool: String,
        /// What to look for: the start of a field (or the whole field with --exact).
        term: String,
        /// Match whole fields only.
        #[arg(long)]
        exact: bool,
        /// How many at most (1–200).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Log a user out everywhere: every token issued until now stops working.
    Logout(UserRef),
    /// Erase a user: the record, WeChat identities, verified phones, metadata, avatars and tickets.
    Delete(UserRef),
}

impl UserCommand {
    /// Whether the command needs the master key: every one but `list`, `show` and `search` changes a user.
    pub(crate) fn needs_master_key(&self) -> bool {
        !matches!(
            self,
            Self::List { .. } | Self::Show(_) | Self::Search { .. }
        )
    }
}

/// `denglu admin …`.
#[derive(Debug, Subcommand)]
pub(crate) enum AdminCommand {
    /// Make an operator account and print its one-time setup link (three days). The first operator is the owner.
    ///
    /// Without --pool the operator is an owner (the whole deployment: pools, operators, tokens); with --pool a pool
    /// admin of the pools named. The operator opens the link (or uses its token with the setup API) to set a
    /// password and an authenticator app, then signs in with both.
    Create {
        /// The sign-in name: 1–64 of a-z, 0-9, '.', '_' and '-'.
        #[arg(long)]
        name: String,
        /// A pool the operator administers (repeat for several); none for an owner.
        #[arg(long = "pool", value_name = "POOL_ID")]
        pools: Vec<String>,
    },
    /// List operator accounts, oldest first.
    List,
    /// Reset an operator who lost their password or authenticator: clears both, their recovery codes and
    /// sessions, and prints a new setup link.
    Reset {
        /// The operator's name.
        name: String,
    },
    /// Delete an operator account and end their sessions (never the last owner).
    Delete {
        /// The operator's name.
        name: String,
    },
    /// Admin API tokens: create, list, revoke.
    #[command(subcommand)]
    Token(TokenCommand),
}

/// `denglu admin token …`.
#[derive(Debug, Subcommand)]
pub(crate) enum TokenCommand {
    /// Make an admin API token and print its secret (shown once).
    ///
    /// Without --pool the token administers the whole deployment (an owner's token: it can also create pools and
    /// tokens); with --pool it administers only the pools named. Without --write it only reads.
    Create {
        /// What it is for (1–64 characters).
        #[arg(long)]
        name: String,
        /// A pool it administers (repeat for several); none for the whole deployment.
        #[arg(long = "pool", value_name = "POOL_ID")]
        pools: Vec<String>,
        /// Let it change things (else it only reads).
        #[arg(long)]
        write: bool,
        /// How long it works, in days (1–3650).
        #[arg(long, default_value_t = 90)]
        expires_in_days: u32,
    },
    /// List admin tokens, newest first (never their secrets).
    List,
    /// Revoke an admin token at once.
    Revoke {
        /// The token's id, as `denglu admin token list` shows it.
        token_id: String,
    },
}

impl AdminCommand {
    /// Whether the command needs the master key: every one but `list` and `token list` changes an operator or a
    /// token.
    pub(crate) fn needs_master_key(&self) -> bool {
        !matches!(self, Self::List | Self::Token(TokenCommand::List))
    }
}

/// `denglu audit`.
#[derive(Debug, Args)]
pub(crate) struct AuditArgs {
    /// Only events of this pool.
    #[arg(long)]
    pub(crate) pool: Option<String>,
    /// Only events about this user.
    #[arg(long)]
    pub(crate) user: Option<String>,
    /// Only events of this kind or under it (e.g. `user` or `user.block`).
    #[arg(long)]
    pub(crate) kind: Option<String>,
    /// How many at most (1–500).
    #[arg(long, default_value_t = 50)]
    pub(crate) limit: u32,
}

/// A user of a pool.
#[derive(Debug, Args)]
pub(crate) struct UserRef {
    /// Pool id.
    #[arg(long)]
    pub(crate) pool: String,
    /// User id.
    pub(crate) user_id: String,
}

/// `denglu app …`: a pool's WeChat apps.
#[derive(Debug, Subcommand)]
pub(crate) enum AppCommand {
    /// List a pool's WeChat apps, in the order they were added.
    ///
    /// Among several mini programs with a role, the first serves the requests that name no AppID.
    List {
        /// Pool id.
        #[arg(long)]
        pool: String,
    },
    /// Add a mini program or a mobile app to a pool.
    ///
    /// A mini program's AppSecret is tested against WeChat first (`stable_token`); WeChat's refusal is printed in
    /// words and nothing is saved.
    Add {
        /// Pool id.
        #[arg(long)]
        pool: String,
        /// The app's AppID (`wx` and 16 hexadecimal characters).
        #[arg(long)]
        appid: String,
        /// `mini_program` or `mobile_app`.
        #[arg(long, default_value = "mini_program")]
        kind: String,
        /// A name for people (default: the AppID).
        #[arg(long)]
        name: Option<String>,
        /// A login the mini program serves: `qr_login`, `app_launch` or `sdk`; repeat for several.
        #[arg(long = "role", value_name = "ROLE")]
        roles: Vec<String>,
        /// A file holding the AppSecret (kept out of shell history; stored encrypted). Required for a mini program.
        #[arg(long, value_name = "FILE")]
        secret_file: Option<PathBuf>,
        /// The link prefix registered for it in WeChat, for url-mode QR codes (default: the deployment's).
        #[arg(long, value_name = "URL")]
        link_prefix: Option<String>,
        /// The page wxacode-mode QR codes open (default: the deployment's).
        #[arg(long, value_name = "PAGE")]
        confirm_page: Option<String>,
        /// Save without testing the AppSecret against WeChat.
        #[arg(long)]
        no_check: bool,
    },
    /// Change a pool's WeChat app; only the flags given change.
    Change {
        /// Pool id.
        #[arg(long)]
        pool: String,
        /// The app's AppID.
        appid: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// The logins the mini program serves, replacing the earlier list; repeat for several.
        #[arg(long = "role", value_name = "ROLE", conflicts_with = "no_roles")]
        roles: Vec<String>,
        /// Take every role away (the app stays, serving no login).
        #[arg(long)]
        no_roles: bool,
        /// A file holding a new AppSecret, tested against WeChat first.
        #[arg(long, value_name = "FILE")]
        secret_file: Option<PathBuf>,
        /// A new link prefix.
        #[arg(long, value_name = "URL")]
        link_prefix: Option<String>,
        /// A new confirm page.
        #[arg(long, value_name = "PAGE")]
        confirm_page: Option<String>,
        /// Save a new AppSecret without testing it against WeChat.
        #[arg(long)]
        no_check: bool,
    },
    /// Remove a WeChat app from a pool; its users keep their accounts and WeChat identities.
    Remove {
        /// Pool id.
        #[arg(long)]
        pool: String,
        /// The app's AppID.
        appid: String,
    },
    /// Test a mini program's stored AppSecret against WeChat.
    Check {
        /// Pool id.
        #[arg(long)]
        pool: String,
        /// The app's AppID.
        appid: String,
    },
}

impl AppCommand {
    /// Whether the command needs the master key: every one but `list` seals or opens an AppSecret, or changes an app.
    pub(crate) fn needs_master_key(&self) -> bool {
        !matches!(self, Self::List { .. })
    }
}

/// The fields of an application given on the command line; on `update`, only the flags given change (a list flag
/// replaces the whole list).
#[derive(Debug, Args)]
pub(crate) struct ClientFields {
    /// Its logo, an https URL.
    #[arg(long, value_name = "URL")]
    pub(crate) logo_uri: Option<String>,
    /// A redirect URI (https; http on 127.0.0.1, [::1] or localhost; or a private-use scheme such as
    /// com.example.app:/callback); repeat for several.
    #[arg(long = "redirect-uri", value_name = "URI")]
    pub(crate) redirect_uris: Vec<String>,
    /// A post-logout redirect URI, by the same rules; repeat for several.
    #[arg(long = "post-logout-redirect-uri", value_name = "URI")]
    pub(crate) post_logout_redirect_uris: Vec<String>,
    /// A grant type: authorization_code, refresh_token, client_credentials or
    /// urn:ietf:params:oauth:grant-type:device_code; repeat for several (default on create: authorization_code and
    /// refresh_token).
    #[arg(long = "grant-type", value_name = "GRANT")]
    pub(crate) grant_types: Vec<String>,
    /// A scope: openid, profile, phone, email, offline_access or wechat; repeat for several (default on create:
    /// openid and profile).
    #[arg(long = "scope", value_name = "SCOPE")]
    pub(crate) scopes: Vec<String>,
    /// Access token lifetime in seconds, 60 to 86400 (default 3600).
    #[arg(long, value_name = "SECONDS")]
    pub(crate) access_token_lifetime: Option<i64>,
    /// Refresh token lifetime in seconds from the login, 3600 to 31536000 (default 2592000, 30 days).
    #[arg(long, value_name = "SECONDS")]
    pub(crate) refresh_token_lifetime: Option<i64>,
    /// ID token lifetime in seconds, 60 to 86400 (default 3600).
    #[arg(long, value_name = "SECONDS")]
    pub(crate) id_token_lifetime: Option<i64>,
    /// Its back-channel logout endpoint, an https URL.
    #[arg(long, value_name = "URL")]
    pub(crate) backchannel_logout_uri: Option<String>,
}

/// `denglu client …`: a pool's applications (OpenID Connect clients).
#[derive(Debug, Subcommand)]
pub(crate) enum ClientCommand {
    /// List a pool's applications, in the order they were created.
    List {
        /// Pool id.
        #[arg(long)]
        pool: String,
    },
    /// Show one application (never its secret).
    Show {
        /// Pool id.
        #[arg(long)]
        pool: String,
        /// The client id; it may begin with `-`.
        #[arg(allow_hyphen_values = true)]
        client_id: String,
    },
    /// Create an application. A confidential one's client secret is printed this once: it is stored only hashed.
    Create {
        /// Pool id.
        #[arg(long)]
        pool: String,
        /// Its name, shown on the login page.
        #[arg(long)]
        name: String,
        /// `confidential` (a server that keeps a secret) or `public` (a single-page or native app: PKCE, no secret).
        #[arg(long, default_value = "confidential")]
        kind: String,
        /// A first-party application: its users see no consent screen.
        #[arg(long)]
        first_party: bool,
        #[command(flatten)]
        fields: ClientFields,
    },
    /// Change an application: every field but its kind and client id; only the flags given change.
    Update {
        /// Pool id.
        #[arg(long)]
        pool: String,
        /// The client id; it may begin with `-`.
        #[arg(allow_hyphen_values = true)]
        client_id: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// Whether it is a first-party application.
        #[arg(long, value_name = "true|false")]
        first_party: Option<bool>,
        /// Remove its logo.
        #[arg(long, conflicts_with = "logo_uri")]
        no_logo_uri: bool,
        /// Remove its back-channel logout endpoint.
        #[arg(long, conflicts_with = "backchannel_logout_uri")]
        no_backchannel_logout_uri: bool,
        /// Remove every post-logout redirect URI.
        #[arg(long, conflicts_with = "post_logout_redirect_uris")]
        no_post_logout_redirect_uris: bool,
        #[command(flatten)]
        fields: ClientFields,
    },
    /// Give a confidential application a new client secret, printed this once; the old one stops working at once.
    RotateSecret {
        /// Pool id.
        #[arg(long)]
        pool: String,
        /// The client id; it may begin with `-`.
        #[arg(allow_hyphen_values = true)]
        client_id: String,
    },
    /// Delete an application.
    Delete {
        /// Pool id.
        #[arg(long)]
        pool: String,
        /// The client id; it may begin with `-`.
        #[arg(allow_hyphen_values = true)]
        client_id: String,
    },
}

impl ClientCommand {
    /// Whether the command needs the master key: every one that changes something does, as for the other admin
    /// commands; `list` and `show` only read what is stored in the clear.
    pub(crate) fn needs_master_key(&self) -> bool {
        !matches!(self, Self::List { .. } | Self::Show { .. })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{Cli, ClientCommand, Command, KeyCommand};

    #[test]
    fn key_and_client_ids_may_begin_with_a_hyphen() {
        let cli = Cli::try_parse_from([
            "denglu",
            "key",
            "retire",
            "--pool",
            "0123456789abcdef01234567",
            "-boTBhYGuBphwkVu",
        ])
        .expect("parses");
        let Command::Key(KeyCommand::Retire { kid, .. }) = cli.command else {
            panic!("not key retire: {:?}", cli.command);
        };
        assert_eq!(kid, "-boTBhYGuBphwkVu");
        let cli = Cli::try_parse_from(["denglu", "client", "show", "--pool", "p", "-x9"])
            .expect("parses");
        assert!(
            matches!(cli.command, Command::Client(ClientCommand::Show { client_id, .. }) if client_id == "-x9")
        );
    }
}
