//! `denglu app …` and `denglu client …`: a pool's WeChat apps and its applications (OIDC clients).

use std::path::PathBuf;

use clap::{Args, Subcommand};

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
