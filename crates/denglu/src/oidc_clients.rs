//! `denglu client`: a pool's applications (OpenID Connect clients), through the services' administration as the
//! command line operator (`cli` in the audit log). A client secret is printed only by `create` and `rotate-secret`.

use denglu_domain::{OidcClient, PoolId};
use denglu_service::{ClientChange, CreatedClient, NewClient, Operator, Services};

use crate::cli::{ClientCommand, ClientFields};

/// Runs `denglu client …`.
pub(crate) async fn run(services: &Services, command: ClientCommand) -> Result<(), String> {
    let operator = Operator::command_line();
    let admin = services.admin(&operator);
    match command {
        ClientCommand::List { pool } => {
            let clients = admin
                .oidc_clients(&pool_id(&pool)?)
                .await
                .map_err(|e| e.to_string())?;
            println!("{:<32}  {:<12}  name", "client_id", "kind");
            for client in &clients {
                println!(
                    "{:<32}  {:<12}  {}",
                    client.client_id,
                    client.kind.as_str(),
                    client.name.as_str()
                );
            }
        }
        ClientCommand::Show { pool, client_id } => {
            let client = admin
                .oidc_client(&pool_id(&pool)?, &client_id)
                .await
                .map_err(|e| e.to_string())?;
            print_client(&client);
        }
        ClientCommand::Create {
            pool,
            name,
            kind,
            first_party,
            fields,
        } => {
            let input = NewClient {
                name,
                kind,
                logo_uri: fields.logo_uri,
                redirect_uris: fields.redirect_uris,
                post_logout_redirect_uris: fields.post_logout_redirect_uris,
                grant_types: given(fields.grant_types),
                scopes: given(fields.scopes),
                access_token_lifetime: fields.access_token_lifetime,
                refresh_token_lifetime: fields.refresh_token_lifetime,
                id_token_lifetime: fields.id_token_lifetime,
                first_party,
                backchannel_logout_uri: fields.backchannel_logout_uri,
            };
            let created = admin
                .create_oidc_client(&pool_id(&pool)?, input)
                .await
                .map_err(|e| e.to_string())?;
            print_created(&created);
        }
        ClientCommand::Update {
            pool,
            client_id,
            name,
            first_party,
            no_logo_uri,
            no_backchannel_logout_uri,
            no_post_logout_redirect_uris,
            fields,
        } => {
            let change = change(
                name,
                first_party,
                (
                    no_logo_uri,
                    no_backchannel_logout_uri,
                    no_post_logout_redirect_uris,
                ),
                fields,
            );
            let client = admin
                .change_oidc_client(&pool_id(&pool)?, &client_id, change)
                .await
                .map_err(|e| e.to_string())?;
            print_client(&client);
        }
        ClientCommand::RotateSecret { pool, client_id } => {
            let rotated = admin
                .rotate_oidc_client_secret(&pool_id(&pool)?, &client_id)
                .await
                .map_err(|e| e.to_string())?;
            print_created(&rotated);
        }
        ClientCommand::Delete { pool, client_id } => {
            admin
                .delete_oidc_client(&pool_id(&pool)?, &client_id)
                .await
                .map_err(|e| e.to_string())?;
            println!("deleted {client_id}");
        }
    }
    Ok(())
}

/// The change the update flags ask for; `cleared` is (logo, back-channel logout URI, post-logout redirect URIs).
fn change(
    name: Option<String>,
    first_party: Option<bool>,
    cleared: (bool, bool, bool),
    fields: ClientFields,
) -> ClientChange {
    let (no_logo, no_backchannel, no_post_logout) = cleared;
    ClientChange {
        name,
        logo_uri: if no_logo {
            Some(None)
        } else {
            fields.logo_uri.map(Some)
        },
        redirect_uris: given(fields.redirect_uris),
        post_logout_redirect_uris: if no_post_logout {
            Some(Vec::new())
        } else {
            given(fields.post_logout_redirect_uris)
        },
        grant_types: given(fields.grant_types),
        scopes: given(fields.scopes),
        access_token_lifetime: fields.access_token_lifetime,
        refresh_token_lifetime: fields.refresh_token_lifetime,
        id_token_lifetime: fields.id_token_lifetime,
        first_party,
        backchannel_logout_uri: if no_backchannel {
            Some(None)
        } else {
            fields.backchannel_logout_uri.map(Some)
        },
    }
}

/// A repeated flag: `None` when never given.
fn given(list: Vec<String>) -> Option<Vec<String>> {
    (!list.is_empty()).then_some(list)
}

fn pool_id(raw: &str) -> Result<PoolId, String> {
    PoolId::parse(raw).map_err(|e| e.to_string())
}

fn print_created(created: &CreatedClient) {
    print_client(&created.client);
    if let Some(secret) = &created.secret {
        println!("client_secret: {secret}");
        eprintln!(
            "Keep the client secret now: it is stored only as a hash and cannot be shown again."
        );
    }
}

fn print_client(client: &OidcClient) {
    let list = |items: Vec<&str>| {
        if items.is_empty() {
            "-".to_owned()
        } else {
            items.join(" ")
        }
    };
    println!("client_id: {}", client.client_id);
    println!("name: {}", client.name.as_str());
    println!("kind: {}", client.kind.as_str());
    println!(
        "logo_uri: {}",
        client.logo_uri.as_ref().map_or("-", |u| u.as_str())
    );
    println!(
        "secret: {}",
        if client.secret_hash.is_some() {
            "set"
        } else {
            "-"
        }
    );
    println!(
        "redirect_uris: {}",
        list(client.redirect_uris.iter().map(|u| u.as_str()).collect())
    );
    println!(
        "post_logout_redirect_uris: {}",
        list(
            client
                .post_logout_redirect_uris
                .iter()
                .map(|u| u.as_str())
                .collect()
        )
    );
    println!(
        "grant_types: {}",
        list(client.grant_types.iter().map(|g| g.as_str()).collect())
    );
    println!(
        "scopes: {}",
        list(client.scopes.iter().map(|s| s.as_str()).collect())
    );
    println!(
        "lifetimes: access {}s, refresh {}s, id {}s",
        client.access_token_lifetime.seconds(),
        client.refresh_token_lifetime.seconds(),
        client.id_token_lifetime.seconds()
    );
    println!("first_party: {}", client.first_party);
    println!(
        "backchannel_logout_uri: {}",
        client
            .backchannel_logout_uri
            .as_ref()
            .map_or("-", |u| u.as_str())
    );
}
