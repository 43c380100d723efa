//! The figures of a run: one row per scenario and database, printed as a Markdown table, written as JSON, and
//! put into BENCHMARKS.md between its results markers.

use std::{fmt::Write as _, fs, path::Path};

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::{costs::PerRequest, load::Stats};

/// One measured row.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Figure {
    pub(crate) database: &'static str,
    pub(crate) scenario: String,
    pub(crate) requests: u64,
    pub(crate) errors: u64,
    pub(crate) per_second: Option<f64>,
    pub(crate) p50_ms: Option<f64>,
    pub(crate) p99_ms: Option<f64>,
    /// Throughput as a share of the ceiling (`/healthz` on the same server in the same run).
    pub(crate) of_ceiling: Option<f64>,
    /// The server's resident memory when the scenario ended, in MiB.
    pub(crate) rss_mib: f64,
    /// The server's CPU time per request served, in milliseconds.
    pub(crate) server_cpu_ms: Option<f64>,
    /// PostgreSQL's CPU time per request served, in milliseconds (every `postgres` process of the machine).
    pub(crate) postgres_cpu_ms: Option<f64>,
    pub(crate) note: String,
    /// The first failure, when any request failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) first_error: Option<String>,
}

impl Figure {
    /// A row for a request/response scenario.
    pub(crate) fn from_stats(
        database: &'static str,
        scenario: impl Into<String>,
        stats: &Stats,
        rss: u64,
    ) -> Self {
        Self {
            database,
            scenario: scenario.into(),
            requests: stats.ok,
            errors: stats.errors,
            per_second: Some(stats.throughput()),
            p50_ms: Some(stats.quantile_ms(0.5)),
            p99_ms: Some(stats.quantile_ms(0.99)),
            of_ceiling: None,
            rss_mib: mib(rss),
            server_cpu_ms: None,
            postgres_cpu_ms: None,
            note: String::new(),
            first_error: stats.first_error.clone(),
        }
    }

    /// Adds what the run cost in CPU per request.
    pub(crate) fn with_cost(mut self, cost: Option<PerRequest>) -> Self {
        self.server_cpu_ms = cost.map(|c| c.server_ms);
        self.postgres_cpu_ms = cost.and_then(|c| c.postgres_ms);
        self
    }

    /// Adds an explanation to the row.
    pub(crate) fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }
}

/// Bytes in MiB.
pub(crate) fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Fills in every row's share of its database's ceiling (the row named `ceiling`).
pub(crate) fn relate_to_ceiling(figures: &mut [Figure], ceiling: &str) {
    let ceilings: Vec<(&'static str, f64)> = figures
        .iter()
        .filter(|f| f.scenario == ceiling)
        .filter_map(|f| f.per_second.map(|rate| (f.database, rate)))
        .collect();
    for figure in figures.iter_mut() {
        let base = ceilings.iter().find(|(db, _)| *db == figure.database);
        if let (Some((_, base)), Some(rate)) = (base, figure.per_second) {
            figure.of_ceiling = Some(rate / base);
        }
    }
}

/// The Markdown table of all rows.
pub(crate) fn markdown(figures: &[Figure]) -> String {
    let mut table = String::from(
        "| Database | Scenario | Served | Errors | Per second | p50 ms | p99 ms | Of ceiling | Server RSS MiB | \
         denglu CPU ms/req | PostgreSQL CPU ms/req | Notes |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for f in figures {
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.1} | {} | {} | {} |",
            f.database,
            f.scenario,
            f.requests,
            f.errors,
            f.per_second.map_or("—".to_owned(), |v| format!("{v:.0}")),
            f.p50_ms.map_or("—".to_owned(), |v| format!("{v:.2}")),
            f.p99_ms.map_or("—".to_owned(), |v| format!("{v:.2}")),
            f.of_ceiling
                .map_or("—".to_owned(), |v| format!("{:.0}%", v * 100.0)),
            f.rss_mib,
            f.server_cpu_ms
                .map_or("—".to_owned(), |v| format!("{v:.3}")),
            f.postgres_cpu_ms
                .map_or("—".to_owned(), |v| format!("{v:.3}")),
            f.note.replace('|', "/"),
        );
    }
    table
}

const BEGIN: &str = "<!-- bench:results:begin -->";
const END: &str = "<!-- bench:results:end -->";

/// Replaces what lies between the results markers of `path` with `content`.
pub(crate) fn update_file(path: &Path, content: &str) -> Result<()> {
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let (Some(begin), Some(end)) = (text.find(BEGIN), text.find(END)) else {
        bail!("{} has no {BEGIN} … {END} markers", path.display());
    };
    if end < begin {
        bail!("{}: the results markers are out of order", path.display());
    }
    let updated = format!("{}{BEGIN}\n{content}{}", &text[..begin], &text[end..]);
    fs::write(path, updated).with_context(|| format!("cannot write {}", path.display()))
}

/// The server process's own figures on one database.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Process {
    pub(crate) database: &'static str,
    /// Spawn to ready on an empty database (migrations included).
    pub(crate) startup_empty_ms: f64,
    /// Spawn to ready on the database the suite then runs on.
    pub(crate) startup_ms: f64,
    pub(crate) idle_rss_mib: f64,
    /// The highest resident memory over the whole suite.
    pub(crate) peak_rss_mib: f64,
}

/// The Markdown table of the process figures.
pub(crate) fn process_markdown(rows: &[Process]) -> String {
    let mut table = String::from(
        "| Database | Startup to ready, empty database (ms) | Startup to ready (ms) | Idle RSS MiB | Peak RSS MiB |\n\
         |---|---:|---:|---:|---:|\n",
    );
    for p in rows {
        let _ = writeln!(
            table,
            "| {} | {:.0} | {:.0} | {:.1} | {:.1} |",
            p.database, p.startup_empty_ms, p.startup_ms, p.idle_rss_mib, p.peak_rss_mib
        );
    }
    table
}
