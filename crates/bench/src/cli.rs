//! The benchmark's command line: which databases, how much load, where the results go.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

/// The requests of a time-bound scenario in smoke mode.
const SMOKE_REQUESTS: usize = 300;

/// Benchmarks a real denglu server process over HTTP on loopback, with the WeChat simulator standing in for WeChat.
#[derive(Debug, Clone, Parser)]
#[command(version)]
pub(crate) struct Options {
    /// The denglu binary to benchmark [default: `denglu` next to this program].
    #[arg(long, value_name = "FILE")]
    pub(crate) denglu_bin: Option<PathBuf>,
    /// Databases to run the suite on, comma separated.
    #[arg(long, value_delimiter = ',', default_value = "sqlite,postgres")]
    pub(crate) databases: Vec<Database>,
    /// A PostgreSQL server to create a throwaway database on (dropped afterwards).
    #[arg(
        long,
        env = "TEST_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    pub(crate) postgres_url: String,
    /// Concurrent connections of the request/response scenarios.
    #[arg(long, default_value_t = 64)]
    pub(crate) connections: usize,
    /// Longest run of each scenario, in seconds (scenarios that consume prepared data may end sooner).
    #[arg(long, default_value_t = 10)]
    pub(crate) seconds: u64,
    /// Tickets minted beforehand for the ticket exchange.
    #[arg(long, default_value_t = 30_000)]
    pub(crate) tickets: usize,
    /// wx.login codes made beforehand for the mini program login.
    #[arg(long, default_value_t = 20_000)]
    pub(crate) codes: usize,
    /// Pending QR sessions the polling scenario spreads its polls over.
    #[arg(long, default_value_t = 10_000)]
    pub(crate) pending: usize,
    /// Browsers waiting on the QR push channel at once.
    #[arg(long, default_value_t = 10_000)]
    pub(crate) waiters: usize,
    /// Logins confirmed while the waiters wait (each one's confirm-to-browser latency is measured).
    #[arg(long, default_value_t = 500)]
    pub(crate) confirms: usize,
    /// Password accounts the password login spreads over (each account may try 10 times a minute).
    #[arg(long, default_value_t = 200)]
    pub(crate) accounts: usize,
    /// OpenID Connect authorization codes prepared beforehand for the code exchange, each exchanged once (denglu's
    /// through as many hosted logins; the peer's in its own process).
    #[arg(long, default_value_t = 3_000)]
    pub(crate) oidc_codes: usize,
    /// Do not run the peer (oidc-provider in Node.js) for the side-by-side comparison.
    #[arg(long)]
    pub(crate) no_peer: bool,
    /// The Node.js binary that runs the peer.
    #[arg(long, value_name = "FILE", default_value = "node")]
    pub(crate) node: PathBuf,
    /// The peer's folder (its script, package.json and package-lock.json; `npm ci` there first).
    #[arg(long, value_name = "DIR", default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/peer"))]
    pub(crate) peer_dir: PathBuf,
    /// Run only these scenarios (comma separated); the ceiling always runs, as every ratio needs it.
    #[arg(long, value_delimiter = ',')]
    pub(crate) only: Vec<Scenario>,
    /// A few seconds and a few hundred requests per scenario: checks that the tool still works (CI runs this).
    #[arg(long)]
    pub(crate) smoke: bool,
    /// Write every figure as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub(crate) json: Option<PathBuf>,
    /// Rewrite the results section of this Markdown file (between the `<!-- bench:results -->` markers).
    #[arg(long, value_name = "FILE")]
    pub(crate) update: Option<PathBuf>,
}

impl Options {
    /// Shrinks every count for `--smoke`.
    pub(crate) fn effective(mut self) -> Self {
        if self.smoke {
            self.connections = self.connections.min(8);
            self.seconds = self.seconds.min(2);
            self.tickets = self.tickets.min(200);
            self.codes = self.codes.min(200);
            self.pending = self.pending.min(200);
            self.waiters = self.waiters.min(200);
            self.confirms = self.confirms.min(10);
            self.accounts = self.accounts.min(4);
            self.oidc_codes = self.oidc_codes.min(20);
        }
        self
    }

    /// Whether `--only` leaves this scenario in (the ceiling always runs).
    pub(crate) fn wants(&self, scenario: Scenario) -> bool {
        self.only.is_empty() || self.only.contains(&scenario)
    }

    /// Whether the peer runs: asked for (or nothing picked) and not turned off.
    pub(crate) fn wants_peer(&self) -> bool {
        !self.no_peer && self.wants(Scenario::Peer)
    }

    /// The most requests a time-bound scenario sends: a few hundred in smoke mode, else no bound.
    pub(crate) fn request_cap(&self) -> Option<usize> {
        self.smoke.then_some(SMOKE_REQUESTS)
    }
}

/// A database denglu can run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Database {
    Sqlite,
    Postgres,
}

impl Database {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }
}

/// A scenario that `--only` can pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Scenario {
    /// Token verification, `GET /authing/token`.
    Tokens,
    /// QR session start and compatible polling.
    QrPoll,
    /// App ticket mint and exchange.
    Tickets,
    /// Mini program login.
    Wxapp,
    /// Password login.
    Passwords,
    /// QR push: waiting browsers and confirm-to-browser latency.
    QrPush,
    /// OpenID Connect token introspection by a confidential client.
    OidcIntrospect,
    /// OpenID Connect userinfo with a bearer access token.
    OidcUserinfo,
    /// OpenID Connect authorization code exchange (codes prepared through the hosted login).
    OidcCode,
    /// OpenID Connect refresh grant (each refresh token used once).
    OidcRefresh,
    /// OpenID Connect client credentials grant.
    OidcClientCredentials,
    /// The peer, oidc-provider in Node.js, side by side with denglu's OpenID Connect scenarios.
    Peer,
}
