//! `denglu app`: a pool's WeChat apps, through the services' administration as the command line operator (`cli` in
//! the audit log).

use std::path::Path;

use denglu_domain::{PoolId, WechatApp};
use denglu_service::{NewWechatApp, Operator, Services, WechatAppChange};

use crate::cli::AppCommand;

/// Runs `denglu app …`.
pub(crate) async fn run(services: &Services, command: AppCommand) -> Result<(), String> {
    let operator = Operator::command_line();
    let admin = services.admin(&operator);
    match command {
        AppCommand::List { pool } => {
            let apps = admin
                .wechat_apps(&pool_id(&pool)?)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{:<18}  {:<12}  {:<24}  {:<26}  secret",
                "appid", "kind", "name", "roles"
            );
            for app in &apps {
                print_row(app);
            }
        }
        AppCommand::Add {
            pool,
            appid,
            kind,
            name,
            roles,
            secret_file,
            link_prefix,
            confirm_page,
            no_check,
        } => {
            let input = NewWechatApp {
                appid,
                kind,
                name,
                roles,
                secret: secret_file.as_deref().map(read_secret).transpose()?,
                link_prefix,
                confirm_page,
                check: !no_check,
            };
            let app = admin
                .add_wechat_app(&pool_id(&pool)?, input)
                .await
                .map_err(|e| e.to_string())?;
            print_row(&app);
        }
        AppCommand::Change {
            pool,
            appid,
            name,
            roles,
            no_roles,
            secret_file,
            link_prefix,
            confirm_page,
            no_check,
        } => {
            let change = WechatAppChange {
                name,
                roles: (no_roles || !roles.is_empty()).then_some(roles),
                secret: secret_file.as_deref().map(read_secret).transpose()?,
                link_prefix: link_prefix.map(Some),
                confirm_page: confirm_page.map(Some),
                check: !no_check,
            };
            let app = admin
                .change_wechat_app(&pool_id(&pool)?, &appid, change)
                .await
                .map_err(|e| e.to_string())?;
            print_row(&app);
        }
        AppCommand::Remove { pool, appid } => {
            admin
                .remove_wechat_app(&pool_id(&pool)?, &appid)
                .await
                .map_err(|e| e.to_string())?;
            println!("removed {appid}");
        }
        AppCommand::Check { pool, appid } => {
            admin
                .check_wechat_app(&pool_id(&pool)?, &appid)
                .await
                .map_err(|e| e.to_string())?;
            println!("WeChat accepted the AppID and AppSecret of {appid}");
        }
    }
    Ok(())
}

fn pool_id(raw: &str) -> Result<PoolId, String> {
    PoolId::parse(raw).map_err(|e| e.to_string())
}

/// The AppSecret in `path`, without the line end an editor adds.
fn read_secret(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map(|secret| secret.trim().to_owned())
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn print_row(app: &WechatApp) {
    let roles: Vec<&str> = app.roles.list().iter().map(|r| r.as_str()).collect();
    println!(
        "{:<18}  {:<12}  {:<24}  {:<26}  {}",
        app.appid,
        app.kind.as_str(),
        app.name.as_str(),
        if roles.is_empty() {
            "-".to_owned()
        } else {
            roles.join(",")
        },
        if app.secret.is_some() { "set" } else { "-" },
    );
}
