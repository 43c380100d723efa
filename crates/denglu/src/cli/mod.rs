//! The command line: subcommands and the flags that override settings. The commands about pools, users,
//! administration and apps have their files beside this one.

mod admin;
mod apps;
mod pools;
mod users;

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand};

pub(crate) use admin::{AdminCommand, AuditArgs, TokenCommand};
pub(crate) use apps::{AppCommand, ClientCommand, ClientFields};
pub(crate) use pools::{KeyCommand, PoolCommand, QrArgs};
pub(crate) use users::{UserCommand, UserRef};

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
