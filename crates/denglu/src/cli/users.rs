//! `denglu user …`: a pool's users.

use clap::{Args, Subcommand};

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

/// A user of a pool.
#[derive(Debug, Args)]
pub(crate) struct UserRef {
    /// Pool id.
    #[arg(long)]
    pub(crate) pool: String,
    /// User id.
    pub(crate) user_id: String,
}
