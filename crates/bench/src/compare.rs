//! The side-by-side table of denglu and the peer (oidc-provider): for each operation both compare, denglu's row on
//! each database beside the peer's one row, with throughput, latency, both servers' memory and the ratio.

use std::fmt::Write as _;

use serde::Serialize;

use crate::{report::Figure, scenarios::peer::PeerProcess};

/// One operation on one database, beside the peer.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SideBySide {
    pub(crate) operation: &'static str,
    pub(crate) database: &'static str,
    pub(crate) denglu: Figure,
    pub(crate) peer: Figure,
    /// denglu's throughput divided by the peer's.
    pub(crate) ratio: Option<f64>,
}

/// The rows for every `(operation, denglu's scenario, the peer's scenario)` that both runs measured.
pub(crate) fn rows(
    figures: &[Figure],
    peer: &[Figure],
    pairs: &[(&'static str, &str, &str)],
) -> Vec<SideBySide> {
    let mut rows = Vec::new();
    for &(operation, ours, theirs) in pairs {
        let Some(theirs) = peer.iter().find(|f| f.scenario == theirs) else {
            continue;
        };
        for ours in figures.iter().filter(|f| f.scenario == ours) {
            let ratio = match (ours.per_second, theirs.per_second) {
                (Some(a), Some(b)) if b > 0.0 => Some(a / b),
                _ => None,
            };
            rows.push(SideBySide {
                operation,
                database: ours.database,
                denglu: ours.clone(),
                peer: theirs.clone(),
                ratio,
            });
        }
    }
    rows
}

/// The Markdown table, and a line on the peer's process.
pub(crate) fn markdown(rows: &[SideBySide], process: &PeerProcess) -> String {
    let mut text = format!(
        "Side by side with oidc-provider {} (Node.js {}, one process, in memory; see \"What runs\" for where the \
         comparison is unfair): the same client, connections and seconds. oidc-provider: ready {:.0} ms after \
         spawning, {:.1} MiB idle, {:.1} MiB at most.\n\n\
         | Operation | denglu on | denglu /s | p50 ms | p99 ms | RSS MiB | CPU ms/req | oidc-provider /s | p50 ms | \
         p99 ms | RSS MiB | CPU ms/req | denglu ÷ oidc-provider |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        process.oidc_provider,
        process.node,
        process.startup_ms,
        process.idle_rss_mib,
        process.peak_rss_mib
    );
    let number = |value: Option<f64>, digits: usize| {
        value.map_or("—".to_owned(), |v| format!("{v:.digits$}"))
    };
    for row in rows {
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} | {} | {:.1} | {} | {} | {} | {} | {:.1} | {} | {} |",
            row.operation,
            row.database,
            number(row.denglu.per_second, 0),
            number(row.denglu.p50_ms, 2),
            number(row.denglu.p99_ms, 2),
            row.denglu.rss_mib,
            number(row.denglu.server_cpu_ms, 3),
            number(row.peer.per_second, 0),
            number(row.peer.p50_ms, 2),
            number(row.peer.p99_ms, 2),
            row.peer.rss_mib,
            number(row.peer.server_cpu_ms, 3),
            row.ratio.map_or("—".to_owned(), |r| format!("{r:.2}")),
        );
    }
    text
}
