//! What a request costs in CPU, read from `/proc`: the server process's own time, and on PostgreSQL the time of
//! every `postgres` process on the machine (its backends, WAL writer and checkpointer). Measured between the start
//! and the end of each scenario's load, divided by the requests it served.

use std::fs;

use anyhow::{Context, Result};

/// The kernel's clock ticks per second, in which `/proc/<pid>/stat` counts CPU time (100 on Linux).
const TICKS_PER_SECOND: f64 = 100.0;

/// CPU time used so far, in clock ticks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reading {
    server: u64,
    postgres: Option<u64>,
}

/// CPU milliseconds per request between two readings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PerRequest {
    pub(crate) server_ms: f64,
    pub(crate) postgres_ms: Option<f64>,
}

impl Reading {
    /// Now: the server `pid`'s CPU time, and PostgreSQL's when the suite runs on it.
    pub(crate) fn now(pid: u32, postgres: bool) -> Result<Self> {
        Ok(Self {
            server: process_ticks(pid)?,
            postgres: postgres.then(postgres_ticks).transpose()?,
        })
    }

    /// What `requests` cost from this reading to `later`.
    pub(crate) fn per_request(&self, later: &Self, requests: u64) -> Option<PerRequest> {
        let per = |before: u64, after: u64| {
            after.saturating_sub(before) as f64 * 1000.0 / TICKS_PER_SECOND / requests as f64
        };
        (requests > 0).then(|| PerRequest {
            server_ms: per(self.server, later.server),
            postgres_ms: self
                .postgres
                .zip(later.postgres)
                .map(|(before, after)| per(before, after)),
        })
    }
}

/// User and system time of one process (fields 14 and 15 of `/proc/<pid>/stat`, after the command's parentheses).
fn process_ticks(pid: u32) -> Result<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("cannot read /proc/{pid}/stat"))?;
    ticks_of(&stat).with_context(|| format!("unexpected /proc/{pid}/stat: {stat}"))
}

fn ticks_of(stat: &str) -> Option<u64> {
    let after_name = &stat[stat.rfind(')')? + 2..];
    let mut fields = after_name.split_whitespace().skip(11);
    Some(fields.next()?.parse::<u64>().ok()? + fields.next()?.parse::<u64>().ok()?)
}

/// The CPU time of every process named `postgres` (the server runs on this machine).
fn postgres_ticks() -> Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir("/proc")
        .context("cannot list /proc")?
        .flatten()
    {
        let path = entry.path();
        let Ok(stat) = fs::read_to_string(path.join("stat")) else {
            continue;
        };
        if stat.contains("(postgres)") {
            total += ticks_of(&stat).unwrap_or(0);
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::ticks_of;

    #[test]
    fn reads_user_and_system_time_after_a_name_with_spaces() {
        let stat =
            "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 10 0 0 0 250 17 0 0 20 0 1 0 5 0 0";
        assert_eq!(ticks_of(stat), Some(267));
    }
}
