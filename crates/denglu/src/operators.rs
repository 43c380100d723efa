//! Administration commands that are not about one pool: operator accounts, admin API tokens and the audit log.
//! They act as the command line operator (`cli` in the audit log), who may do everything.

use denglu_domain::{AdminScope, AdminTokenId, AuditFilter, PoolId, UserId};
use denglu_service::{CreatedOperator, NewAdminToken, Operator, Services};

use crate::cli::{AdminCommand, AuditArgs, TokenCommand};

/// Runs `denglu admin …`.
pub(crate) async fn admin(services: &Services, command: AdminCommand) -> Result<(), String> {
    let operator = Operator::command_line();
    let admin = services.admin(&operator);
    let command = match command {
        AdminCommand::Token(command) => command,
        AdminCommand::Create { name, pools } => {
            let scope = scope_of(&pools)?;
            let created = admin
                .create_operator(&name, scope)
                .await
                .map_err(|e| e.to_string())?;
            print_setup_link(&created);
            return Ok(());
        }
        AdminCommand::List => {
            let operators = admin.operators().await.map_err(|e| e.to_string())?;
            println!("{:<24}  {:<20}  {:<12}  pools", "id", "name", "state");
            for operator in operators {
                let state = if operator.is_set_up() {
                    "set up"
                } else {
                    "setting up"
                };
                println!(
                    "{:<24}  {:<20}  {:<12}  {}",
                    operator.id,
                    operator.name,
                    state,
                    scope_text(&operator.scope)
                );
            }
            return Ok(());
        }
        AdminCommand::Reset { name } => {
            let operator = admin
                .operator_named(&name)
                .await
                .map_err(|e| e.to_string())?;
            let created = admin
                .reset_operator(&operator.id)
                .await
                .map_err(|e| e.to_string())?;
            print_setup_link(&created);
            return Ok(());
        }
        AdminCommand::Delete { name } => {
            let operator = admin
                .operator_named(&name)
                .await
                .map_err(|e| e.to_string())?;
            admin
                .delete_operator(&operator.id)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "operator {} is deleted; their sessions have ended",
                operator.name
            );
            return Ok(());
        }
    };
    match command {
        TokenCommand::Create {
            name,
            pools,
            write,
            expires_in_days,
        } => {
            let scope = scope_of(&pools)?;
            let new = NewAdminToken {
                name,
                scope,
                write,
                lifetime_days: expires_in_days,
            };
            let created = admin.create_token(new).await.map_err(|e| e.to_string())?;
            println!(
                "id                   {}\npools                {}\nwrite                {}\nexpires              {}\n\
                 secret               {}\n\nThe secret is shown only now; denglu keeps just its hash. Send it as \
                 Authorization: Bearer <secret>.",
                created.token.id,
                scope_text(&created.token.scope),
                created.token.write,
                created.token.expires_at.to_rfc3339(),
                created.secret
            );
        }
        TokenCommand::List => {
            let tokens = admin.tokens().await.map_err(|e| e.to_string())?;
            println!(
                "{:<24}  {:<5}  {:<9}  {:<25}  {:<20}  name",
                "id", "write", "state", "expires", "pools"
            );
            let now = chrono::Utc::now();
            for token in tokens {
                let state = match (token.revoked_at, token.is_live(now)) {
                    (Some(_), _) => "revoked",
                    (None, false) => "expired",
                    (None, true) => "live",
                };
                println!(
                    "{:<24}  {:<5}  {:<9}  {:<25}  {:<20}  {}",
                    token.id,
                    token.write,
                    state,
                    token.expires_at.to_rfc3339(),
                    scope_text(&token.scope),
                    token.name
                );
            }
        }
        TokenCommand::Revoke { token_id } => {
            let id = AdminTokenId::parse(&token_id).map_err(|e| e.to_string())?;
            admin.revoke_token(&id).await.map_err(|e| e.to_string())?;
            println!("admin token {id} is revoked; requests with it are refused from now on");
        }
    }
    Ok(())
}

/// The whole deployment without pools, else the pools named.
fn scope_of(pools: &[String]) -> Result<AdminScope, String> {
    if pools.is_empty() {
        return Ok(AdminScope::Deployment);
    }
    pools
        .iter()
        .map(|raw| PoolId::parse(raw).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()
        .map(AdminScope::Pools)
}

fn print_setup_link(created: &CreatedOperator) {
    let expires = created
        .operator
        .setup
        .as_ref()
        .map_or_else(String::new, |link| link.expires_at.to_rfc3339());
    println!(
        "operator             {}\npools                {}\nsetup link           {}\nsetup token          {}\n\
         expires              {}\n\nThe link is shown only now and works once. Give it to the operator: they set a \
         password and an authenticator app there (or with POST /api/v1/admin/setup/totp and POST \
         /api/v1/admin/setup, see docs/admin.md), then sign in with both.",
        created.operator.name,
        scope_text(&created.operator.scope),
        created.setup_url,
        created.setup_secret,
        expires
    );
}

fn scope_text(scope: &AdminScope) -> String {
    match scope {
        AdminScope::Deployment => "(all)".to_owned(),
        AdminScope::Pools(pools) => pools
            .iter()
            .map(PoolId::as_str)
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// Runs `denglu audit`: one event per line, newest first.
pub(crate) async fn audit(services: &Services, args: AuditArgs) -> Result<(), String> {
    let filter = AuditFilter {
        pools: args
            .pool
            .as_deref()
            .map(|raw| PoolId::parse(raw).map(|pool| vec![pool]))
            .transpose()
            .map_err(|e| e.to_string())?,
        user: args
            .user
            .as_deref()
            .map(UserId::parse)
            .transpose()
            .map_err(|e| e.to_string())?,
        kind: args.kind,
        result: args.result,
        limit: args.limit,
        ..AuditFilter::default()
    };
    let operator = Operator::command_line();
    let events = services
        .admin(&operator)
        .audit_events(filter)
        .await
        .map_err(|e| e.to_string())?;
    for recorded in events {
        let event = &recorded.event;
        let none = || "-".to_owned();
        println!(
            "{}  {:<20}  {:<24}  pool={} user={} code={} ip={} {}",
            event.at.to_rfc3339(),
            event.kind,
            event.actor,
            event
                .pool_id
                .as_ref()
                .map_or_else(none, ToString::to_string),
            event
                .user_id
                .as_ref()
                .map_or_else(none, ToString::to_string),
            event.code.map_or_else(none, |code| code.to_string()),
            event.ip.clone().unwrap_or_else(none),
            event
                .detail
                .as_ref()
                .map_or_else(String::new, ToString::to_string),
        );
    }
    Ok(())
}
