//! `denglu admin …` and `denglu audit`: operator accounts, admin API tokens and the audit log.

use clap::{Args, Subcommand};
use denglu_domain::AuditResult;

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
    /// Only events that succeeded (`ok`) or failed (`failed`).
    #[arg(long)]
    pub(crate) result: Option<AuditResult>,
    /// How many at most (1–500).
    #[arg(long, default_value_t = 50)]
    pub(crate) limit: u32,
}
