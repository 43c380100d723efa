//! denglu-bench: starts the real denglu binary on SQLite and on PostgreSQL, with the WeChat simulator in this
//! process, drives every login flow over HTTP on loopback, and reports throughput, latency and server memory,
//! each throughput also as a share of the same server's ceiling in the same run.

mod cli;
mod client;
mod compare;
mod costs;
mod database;
mod load;
mod oidc;
mod peer;
mod report;
mod scenarios;
mod server;
mod wechat;

use std::{
    fs,
    path::{Path, PathBuf},
    process::ExitCode,
    sync::Arc,
};

use anyhow::{Context, Result, anyhow, bail};
use clap::Parser;

use crate::{
    cli::{Database, Options},
    database::Fresh,
    report::{Figure, Process},
    scenarios::Target,
    server::{Server, ServerConfig},
    wechat::Wechat,
};

#[tokio::main]
async fn main() -> ExitCode {
    match run(Options::parse().effective()).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("denglu-bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(options: Options) -> Result<ExitCode> {
    // Ten thousand waiting browsers need ten thousand descriptors here and in the server (which inherits this).
    rlimit::increase_nofile_limit(u64::MAX).context("cannot raise the open files limit")?;
    let binary = denglu_binary(&options)?;
    let client = client::client()?;
    let wechat = Arc::new(Wechat::start(scenarios::WXAPP_CROWD).await?);
    let mut figures = Vec::new();
    let mut processes = Vec::new();
    for &kind in &options.databases {
        eprintln!("==> {} suite", kind.label());
        let (mut rows, process) =
            suite(kind, &options, &binary, &client, Arc::clone(&wechat)).await?;
        figures.append(&mut rows);
        processes.push(process);
    }
    report::relate_to_ceiling(&mut figures, scenarios::CEILING);
    let (peer_figures, peer_process) = if options.wants_peer() {
        eprintln!("==> oidc-provider (the peer)");
        let (rows, process) = scenarios::peer::run(&options, &client).await?;
        (rows, Some(process))
    } else {
        (Vec::new(), None)
    };
    let side = compare::rows(&figures, &peer_figures, &scenarios::peer::PAIRS);
    let compared = peer_process
        .as_ref()
        .map(|process| (side.as_slice(), process));
    let results = results_text(&options, &binary, &figures, &processes, compared).await?;
    println!("{results}");
    if let Some(path) = &options.json {
        let json = serde_json::json!({
            "figures": figures,
            "processes": processes,
            "peer": { "process": peer_process, "figures": peer_figures },
            "side_by_side": side,
        });
        fs::write(path, serde_json::to_string_pretty(&json)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &options.update {
        report::update_file(path, &results)?;
        eprintln!("results written to {}", path.display());
    }
    let failed: Vec<&Figure> = figures
        .iter()
        .chain(&peer_figures)
        .filter(|f| f.errors > 0)
        .collect();
    for figure in &failed {
        eprintln!(
            "!! {} on {}: {} errors, first: {}",
            figure.scenario,
            figure.database,
            figure.errors,
            figure.first_error.as_deref().unwrap_or("?")
        );
    }
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The binary under test: `--denglu-bin`, else `denglu` next to this program.
fn denglu_binary(options: &Options) -> Result<PathBuf> {
    let binary = match &options.denglu_bin {
        Some(path) => path.clone(),
        None => std::env::current_exe()?
            .parent()
            .ok_or_else(|| anyhow!("this program has no folder"))?
            .join("denglu"),
    };
    if !binary.is_file() {
        bail!(
            "{} does not exist: build it with `cargo build --release -p denglu` or pass --denglu-bin",
            binary.display()
        );
    }
    Ok(binary)
}

/// One database: a fresh database, two starts (empty, then with the benchmark's pool), every scenario.
async fn suite(
    kind: Database,
    options: &Options,
    binary: &Path,
    client: &reqwest::Client,
    wechat: Arc<Wechat>,
) -> Result<(Vec<Figure>, Process)> {
    let folder = tempfile::tempdir().context("cannot make a temporary folder")?;
    let database = Fresh::create(kind, folder.path(), &options.postgres_url).await?;
    let config = ServerConfig {
        binary: binary.to_owned(),
        database_url: database.url.clone(),
        master_key: String::new(),
        wechat_base_url: wechat.base_url.clone(),
        scanner_appid: wechat::APPID.to_owned(),
        scanner_secret: wechat::SECRET.to_owned(),
        uploads: folder.path().join("uploads"),
        log_file: folder.path().join("server.log"),
    };
    let outcome = suite_on(kind, options, config, client, wechat).await;
    database.drop_database().await?;
    outcome
}

async fn suite_on(
    kind: Database,
    options: &Options,
    mut config: ServerConfig,
    client: &reqwest::Client,
    wechat: Arc<Wechat>,
) -> Result<(Vec<Figure>, Process)> {
    config.master_key = config.admin(&["keygen"]).await?.trim().to_owned();
    let empty = Server::start(&config, client).await?;
    let startup_empty = empty.startup;
    empty.stop().await?;
    let (pool_id, pool_secret) = create_pool(&config).await?;
    let server = Server::start(&config, client).await?;
    let idle = server.rss()?;
    let target = Target {
        database: kind.label(),
        client: client.clone(),
        server,
        config,
        wechat,
        pool_id,
        pool_secret,
        options: options.clone(),
        started: std::sync::Mutex::default(),
    };
    let figures = scenarios::run_all(&target).await?;
    let process = Process {
        database: kind.label(),
        startup_empty_ms: startup_empty.as_secs_f64() * 1000.0,
        startup_ms: target.server.startup.as_secs_f64() * 1000.0,
        idle_rss_mib: report::mib(idle),
        peak_rss_mib: report::mib(target.server.peak_rss()?),
    };
    target.server.stop().await?;
    Ok((figures, process))
}

/// Makes the benchmark's pool (default algorithm, ES256) with the longest QR and ticket lifetimes, so prepared
/// sessions and tickets outlive their preparation; returns its id and secret.
async fn create_pool(config: &ServerConfig) -> Result<(String, String)> {
    let printed = config.admin(&["pool", "create", "--name", "Bench"]).await?;
    let field = |name: &str| {
        printed
            .lines()
            .find_map(|line| line.strip_prefix(name).map(str::trim).map(str::to_owned))
            .ok_or_else(|| anyhow!("`denglu pool create` printed no {name}: {printed}"))
    };
    let (id, secret) = (field("id ")?, field("secret ")?);
    config
        .admin(&["pool", "qr", &id, "--lifetime", "600"])
        .await?;
    config
        .admin(&["pool", "app-login", &id, "--ticket-lifetime", "600"])
        .await?;
    Ok((id, secret))
}

/// The results section: when, on what, with which command, then the tables (the side-by-side one when the peer ran).
async fn results_text(
    options: &Options,
    binary: &Path,
    figures: &[Figure],
    processes: &[Process],
    compared: Option<(&[compare::SideBySide], &scenarios::peer::PeerProcess)>,
) -> Result<String> {
    let version = tokio::process::Command::new(binary)
        .arg("--version")
        .output()
        .await
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_default();
    let mode = if options.smoke {
        " (smoke mode: tiny counts, not figures)"
    } else {
        ""
    };
    let side = compared.map_or(String::new(), |(rows, process)| {
        format!("\n{}", compare::markdown(rows, process))
    });
    Ok(format!(
        "Measured {date} by `scripts/bench.sh`{mode}: {machine}; {version}; {connections} connections, \
         at most {seconds} s per scenario; load generator and WeChat simulator on the same machine.\n\n\
         {flows}\n{process}{side}",
        date = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        machine = machine(),
        connections = options.connections,
        seconds = options.seconds,
        flows = report::markdown(figures),
        process = report::process_markdown(processes),
    ))
}

/// The CPU model, core count and memory, from `/proc`.
fn machine() -> String {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let memory_gib = fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    format!("{model}, {cores} cores, {memory_gib:.0} GiB")
}
