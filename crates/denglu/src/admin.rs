//! Admin commands: pools, their signing keys and users, straight against the configured database. Changes go
//! through the services' administration as the command line operator, so the audit log records them (`cli`).

use denglu_domain::{
    JwtAlgorithm, Pool, PoolId, PoolName, RegistrationPolicy, TokenLifetime, User, UserFilter,
    UserId, UserMatch,
};
use denglu_service::{
    AppLoginChange, CreatePool, Operator, OwnAppInput, PoolChange, PoolSigningKey,
    QrSettingsChange, Services,
};

use crate::cli::{KeyCommand, PoolCommand, QrArgs, UserCommand, UserRef};

/// Why an admin command failed; printed as is.
type AdminError = String;

fn pool_id(raw: &str) -> Result<PoolId, AdminError> {
    PoolId::parse(raw).map_err(|e| e.to_string())
}

fn describe(pool: &Pool) -> String {
    format!(
        "id                   {}\nname                 {}\njwt algorithm        {}\ntoken lifetime       {} s\n\
         registration         {}\ncreated              {}",
        pool.id,
        pool.name.as_str(),
        pool.jwt_algorithm,
        pool.token_lifetime.seconds(),
        pool.registration_policy,
        pool.created_at.to_rfc3339(),
    )
}

/// Runs `denglu pool …`.
pub(crate) async fn pool(services: &Services, command: PoolCommand) -> Result<(), AdminError> {
    match command {
        PoolCommand::Create {
            name,
            jwt_algorithm,
            token_lifetime,
            registration,
        } => {
            let input = CreatePool {
                name: PoolName::parse(&name).map_err(|e| e.to_string())?,
                algorithm: jwt_algorithm
                    .parse::<JwtAlgorithm>()
                    .map_err(|e| e.to_string())?,
                token_lifetime: TokenLifetime::parse_human(&token_lifetime)
                    .map_err(|e| e.to_string())?,
                registration_policy: registration
                    .parse::<RegistrationPolicy>()
                    .map_err(|e| e.to_string())?,
            };
            let created = services
                .admin(&Operator::command_line())
                .create_pool(input)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{}\nsecret               {}",
                describe(&created.pool),
                created.secret
            );
            println!(
                "\nThe secret is shown only now; denglu keeps just its hash. Store it safely."
            );
        }
        PoolCommand::List => {
            let pools = services.pools().list().await.map_err(|e| e.to_string())?;
            println!("{:<24}  {:<6}  {:<20}  name", "id", "alg", "registration");
            for pool in pools {
                println!(
                    "{:<24}  {:<6}  {:<20}  {}",
                    pool.id,
                    pool.jwt_algorithm,
                    pool.registration_policy,
                    pool.name.as_str()
                );
            }
        }
        PoolCommand::Show {
            pool_id: raw,
            reveal_jwt_secret,
        } => {
            let id = pool_id(&raw)?;
            let pool = services.pool(&id).await.map_err(|e| e.to_string())?;
            println!(
                "{}\njwks                 {}/jwks.json",
                describe(&pool),
                services.pool_issuer(&id)
            );
            if reveal_jwt_secret {
                match services
                    .pools()
                    .jwt_secret(&id)
                    .await
                    .map_err(|e| e.to_string())?
                {
                    Some(secret) => println!("jwt secret           {secret}"),
                    None => println!(
                        "jwt secret           (none: the pool signs with {})",
                        pool.jwt_algorithm
                    ),
                }
            }
        }
        PoolCommand::Update {
            pool_id: raw,
            name,
            jwt_algorithm,
            token_lifetime,
            registration,
        } => {
            let change = PoolChange {
                name: name
                    .as_deref()
                    .map(PoolName::parse)
                    .transpose()
                    .map_err(|e| e.to_string())?,
                token_lifetime: token_lifetime
                    .as_deref()
                    .map(TokenLifetime::parse_human)
                    .transpose()
                    .map_err(|e| e.to_string())?,
                registration_policy: registration
                    .as_deref()
                    .map(str::parse::<RegistrationPolicy>)
                    .transpose()
                    .map_err(|e| e.to_string())?,
                algorithm: jwt_algorithm
                    .as_deref()
                    .map(str::parse::<JwtAlgorithm>)
                    .transpose()
                    .map_err(|e| e.to_string())?,
            };
            let pool = services
                .admin(&Operator::command_line())
                .update_pool(&pool_id(&raw)?, change)
                .await
                .map_err(|e| e.to_string())?;
            println!("{}", describe(&pool));
        }
        PoolCommand::Delete {
            pool_id: raw,
            confirm,
        } => {
            let id = pool_id(&raw)?;
            services
                .admin(&Operator::command_line())
                .delete_pool(&id, &confirm)
                .await
                .map_err(|e| e.to_string())?;
            println!("pool {id} and everything of it is deleted");
        }
        PoolCommand::RotateSecret { pool_id: raw } => {
            let secret = services
                .admin(&Operator::command_line())
                .rotate_pool_secret(&pool_id(&raw)?)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "secret               {secret}\n\nThe old secret no longer works. This one is shown only now."
            );
        }
        PoolCommand::Qr(args) => qr(services, args).await?,
        PoolCommand::AppLogin {
            pool_id: raw,
            ticket_lifetime,
            require_secret,
            require_pkce,
        } => {
            let pool = pool_id(&raw)?;
            let operator = Operator::command_line();
            let admin = services.admin(&operator);
            let unchanged =
                ticket_lifetime.is_none() && require_secret.is_none() && require_pkce.is_none();
            let settings = if unchanged {
                admin.app_login_settings(&pool).await
            } else {
                let change = AppLoginChange {
                    ticket_lifetime_seconds: ticket_lifetime,
                    require_secret,
                    require_pkce,
                };
                admin.change_app_login_settings(&pool, change).await
            }
            .map_err(|e| e.to_string())?;
            println!(
                "ticket lifetime      {} s\nrequire secret       {}\nrequire pkce         {}",
                settings.ticket_lifetime.seconds(),
                settings.require_secret,
                settings.require_pkce
            );
        }
    }
    Ok(())
}

/// Runs `denglu pool qr …`: applies the changes given, then shows the settings.
async fn qr(services: &Services, args: QrArgs) -> Result<(), AdminError> {
    let pool = pool_id(&args.pool_id)?;
    let operator = Operator::command_line();
    let admin = services.admin(&operator);
    if let Some(path) = &args.logo {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        admin
            .set_pool_logo(&pool, Some(bytes))
            .await
            .map_err(|e| format!("{}: {e}", path.display()))?;
    } else if args.no_logo {
        admin
            .set_pool_logo(&pool, None)
            .await
            .map_err(|e| e.to_string())?;
    }
    let own_app = own_app(&args)?;
    let change = QrSettingsChange {
        mode: args.mode,
        lifetime_seconds: args.lifetime,
        callback_url: match (args.callback_url, args.no_callback) {
            (Some(url), _) => Some(Some(url)),
            (None, true) => Some(None),
            (None, false) => None,
        },
        scanner: args.scanner,
        own_app,
    };
    let unchanged = change.mode.is_none()
        && change.lifetime_seconds.is_none()
        && change.callback_url.is_none()
        && change.scanner.is_none()
        && change.own_app.is_none();
    let settings = if unchanged {
        admin.qr_settings(&pool).await
    } else {
        admin.change_qr_settings(&pool, change).await
    }
    .map_err(|e| e.to_string())?;
    let logo = admin.pool_logo(&pool).await.map_err(|e| e.to_string())?;
    let own_app = services
        .qr()
        .own_app(&pool)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "mode                 {}\nlifetime             {} s\ncallback url         {}\nlogo                 {}\n\
         scanner              {}\nown mini program     {}",
        settings.mode.as_str(),
        settings.lifetime.seconds(),
        settings
            .callback_url
            .as_ref()
            .map_or("(none)", |u| u.as_str()),
        logo.map_or_else(
            || "(none)".to_owned(),
            |png| format!("{} bytes PNG", png.len())
        ),
        settings.scanner.as_str(),
        own_app
            .as_ref()
            .map_or("(none: the deployment's scanner)", |app| app.appid.as_str()),
    );
    Ok(())
}

/// The own mini program change the flags ask for.
fn own_app(args: &QrArgs) -> Result<Option<Option<OwnAppInput>>, AdminError> {
    if args.no_own_app {
        return Ok(Some(None));
    }
    let (Some(appid), Some(file)) = (&args.own_appid, &args.own_secret_file) else {
        return Ok(None);
    };
    let secret = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    Ok(Some(Some(OwnAppInput {
        appid: appid.clone(),
        secret: secret.trim().to_owned(),
        link_prefix: args.own_link_prefix.clone(),
        confirm_page: args.own_confirm_page.clone(),
    })))
}

/// Runs `denglu key …`.
pub(crate) async fn key(services: &Services, command: KeyCommand) -> Result<(), AdminError> {
    match command {
        KeyCommand::List { pool } => {
            let keys = services
                .pools()
                .signing_keys(&pool_id(&pool)?)
                .await
                .map_err(|e| e.to_string())?;
            println!("{:<16}  {:<6}  {:<32}  state", "kid", "alg", "created");
            for key in keys {
                println!(
                    "{:<16}  {:<6}  {:<32}  {}",
                    key.kid,
                    key.algorithm,
                    key.created_at.to_rfc3339(),
                    key.state
                );
            }
        }
        KeyCommand::Rotate { pool } => {
            let key = services
                .admin(&Operator::command_line())
                .rotate_signing_key(&pool_id(&pool)?)
                .await
                .map_err(|e| e.to_string())?;
            println!("{}", describe_key(&key));
            println!(
                "\nNew tokens are signed with this key (running servers switch within 5 seconds). Tokens signed \
                 with the previous keys still verify until you retire them: denglu key retire --pool {pool} KID"
            );
            if key.algorithm == JwtAlgorithm::HS256 {
                println!(
                    "The pool signs with HS256, so this key is a new JWT secret: give it to the backends that verify \
                     tokens with the secret (denglu pool show {pool} --reveal-jwt-secret) before retiring the old one."
                );
            }
        }
        KeyCommand::Retire { pool, kid } => {
            let key = services
                .admin(&Operator::command_line())
                .retire_signing_key(&pool_id(&pool)?, &kid)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{}\n\nThe tokens this key signed are refused (by running servers within 5 seconds), and the JWKS no \
                 longer lists it.",
                describe_key(&key)
            );
        }
    }
    Ok(())
}

fn describe_key(key: &PoolSigningKey) -> String {
    format!(
        "kid                  {}\nalgorithm            {}\ncreated              {}\nstate                {}",
        key.kid,
        key.algorithm,
        key.created_at.to_rfc3339(),
        key.state
    )
}

/// Runs `denglu user …`.
pub(crate) async fn user(services: &Services, command: UserCommand) -> Result<(), AdminError> {
    match command {
        UserCommand::List {
            pool,
            limit,
            offset,
        } => {
            let users = services
                .accounts()
                .users(&pool_id(&pool)?, limit, offset)
                .await
                .map_err(|e| e.to_string())?;
            print_users(&users);
        }
        UserCommand::Search {
            pool,
            term,
            exact,
            limit,
        } => {
            let filter = UserFilter {
                term: Some(term),
                matching: if exact {
                    UserMatch::Exact
                } else {
                    UserMatch::Prefix
                },
                limit,
                ..UserFilter::default()
            };
            let users = services
                .admin(&Operator::command_line())
                .search_users(&pool_id(&pool)?, filter)
                .await
                .map_err(|e| e.to_string())?;
            print_users(&users);
        }
        UserCommand::Logout(target) => {
            let (pool, id) = parse_ref(&target)?;
            services
                .admin(&Operator::command_line())
                .log_user_out(&pool, &id)
                .await
                .map_err(|e| e.to_string())?;
            println!("user {id} is logged out everywhere; every token issued so far is revoked");
        }
        UserCommand::Delete(target) => {
            let (pool, id) = parse_ref(&target)?;
            services
                .admin(&Operator::command_line())
                .delete_user(&pool, &id)
                .await
                .map_err(|e| e.to_string())?;
            println!("user {id} is erased with their identities, metadata and avatars");
        }
        UserCommand::Show(target) => {
            let (pool, id) = parse_ref(&target)?;
            let user = services
                .accounts()
                .user(&pool, &id)
                .await
                .map_err(|e| e.to_string())?;
            let view = denglu_server::user_json(&user);
            println!(
                "{}",
                serde_json::to_string_pretty(&view).map_err(|e| e.to_string())?
            );
        }
        UserCommand::Block(target) => set_blocked(services, &target, true).await?,
        UserCommand::Unblock(target) => set_blocked(services, &target, false).await?,
    }
    Ok(())
}

fn print_users(users: &[User]) {
    println!(
        "{:<24}  {:<7}  {:<32}  account",
        "id", "blocked", "signed up"
    );
    for user in users {
        let account = user
            .email
            .as_ref()
            .map(|e| e.as_str().to_owned())
            .or_else(|| user.username.as_ref().map(|u| u.as_str().to_owned()))
            .or_else(|| user.phone.clone())
            .or_else(|| user.nickname.clone())
            .unwrap_or_default();
        println!(
            "{:<24}  {:<7}  {:<32}  {account}",
            user.id,
            user.blocked,
            user.signed_up.to_rfc3339()
        );
    }
}

async fn set_blocked(
    services: &Services,
    target: &UserRef,
    blocked: bool,
) -> Result<(), AdminError> {
    let (pool, id) = parse_ref(target)?;
    services
        .admin(&Operator::command_line())
        .set_user_blocked(&pool, &id, blocked)
        .await
        .map_err(|e| e.to_string())?;
    if blocked {
        println!("user {id} is blocked; every token issued so far is revoked");
    } else {
        println!("user {id} is unblocked; they can log in again");
    }
    Ok(())
}

fn parse_ref(target: &UserRef) -> Result<(PoolId, UserId), AdminError> {
    Ok((
        pool_id(&target.pool)?,
        UserId::parse(&target.user_id).map_err(|e| e.to_string())?,
    ))
}
