//! The `denglu` binary: parses the command line, loads settings, and hands over to the server or a command.

mod admin;
mod app;
mod backup;
mod check_config;
mod cli;
mod demo;
mod demo_oidc;
mod dev;
mod metrics;
mod oidc_clients;
mod operators;
mod settings;
mod telemetry;
mod wechat_apps;
mod wechat_sim;
mod wechat_tools;

use std::{path::Path, process::ExitCode, time::Duration};

use clap::Parser;

use cli::{Cli, Command};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Wechat(command) = &cli.command {
        return wechat_tools::run(command);
    }
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("denglu: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let command = match cli.command {
        Command::Keygen => {
            println!("{}", denglu_crypto::MasterKey::generate_base64());
            return Ok(());
        }
        Command::Openapi => {
            print!("{}", denglu_server::openapi_document());
            return Ok(());
        }
        Command::WechatSim(args) => {
            load_settings(cli.config.as_deref(), None)?;
            return wechat_sim::run(args).await;
        }
        other => other,
    };
    let own_database = cli.database_url.is_some();
    let mut settings = load_settings(cli.config.as_deref(), cli.database_url)?;
    match command {
        Command::Serve(args) => {
            args.apply(&mut settings);
            settings::checks::enforce(&settings)?;
            let state = app::state(&settings, app::services(&settings).await?);
            app::run(&settings, state, |_| {}).await
        }
        Command::CheckConfig(args) => {
            args.apply(&mut settings);
            check_config::run(&settings, cli.config.as_deref()).await
        }
        Command::Backup(args) => backup::run(&settings, &args.to).await,
        Command::Restore(args) => backup::restore(&settings, &args.from, args.force).await,
        Command::Dev(args) => dev::run(settings, args, own_database).await,
        Command::Migrate => {
            let acquire_timeout = Duration::from_millis(settings.database.acquire_timeout_ms);
            denglu_server::connect(settings.database.url.expose(), 1, acquire_timeout)
                .await
                .map_err(|e| format!("cannot migrate {}: {e}", settings.database.url))?;
            println!("database {} is up to date", settings.database.url);
            Ok(())
        }
        Command::Pool(command) => {
            let services = app::command_services(&settings, command.needs_master_key()).await?;
            admin::pool(&services, command).await
        }
        Command::App(command) => {
            let services = app::command_services(&settings, command.needs_master_key()).await?;
            wechat_apps::run(&services, command).await
        }
        Command::Client(command) => {
            let services = app::command_services(&settings, command.needs_master_key()).await?;
            oidc_clients::run(&services, command).await
        }
        Command::Key(command) => {
            let services = app::command_services(&settings, command.needs_master_key()).await?;
            admin::key(&services, command).await
        }
        Command::User(command) => {
            let services = app::command_services(&settings, command.needs_master_key()).await?;
            admin::user(&services, command).await
        }
        Command::Admin(command) => {
            let services = app::command_services(&settings, command.needs_master_key()).await?;
            operators::admin(&services, command).await
        }
        Command::Audit(args) => {
            operators::audit(&app::command_services(&settings, false).await?, args).await
        }
        Command::Keygen | Command::Openapi | Command::Wechat(_) | Command::WechatSim(_) => {
            unreachable!("answered before loading settings")
        }
    }
}

/// Loads settings from the file and the environment, applies `--database-url`, and starts logging.
fn load_settings(
    config: Option<&Path>,
    database_url: Option<String>,
) -> Result<settings::Settings, String> {
    let env: Vec<(String, String)> = std::env::vars().collect();
    let loaded = settings::load(config, &env)?;
    let mut settings = loaded.settings;
    if let Some(url) = database_url {
        settings.database.url = settings::DatabaseUrl(url);
    }
    telemetry::init(&settings.log);
    for warning in &loaded.warnings {
        tracing::warn!("{warning}");
    }
    Ok(settings)
}
