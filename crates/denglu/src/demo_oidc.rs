//! `denglu dev`'s demo application: a public, first-party OpenID Connect client of the demo pool that the demo
//! relying-party page (`/demo/oidc`) logs in with, and the device demo (`/demo/device`) through the device flow.
//! Found by its name at every start, made when missing, its redirect URIs moved to this run's address when it
//! changed, and the device code grant added when an older start made it without.

use denglu_domain::{GrantType, PoolId};
use denglu_service::{ClientChange, NewClient, Operator, Services};
use serde::Serialize;

use crate::demo;

/// The demo application's name, by which a start finds it again.
const NAME: &str = "Demo app (OIDC)";

/// The demo application's grant types.
const GRANT_TYPES: [GrantType; 3] = [
    GrantType::AuthorizationCode,
    GrantType::RefreshToken,
    GrantType::DeviceCode,
];

/// What the demo page needs to log in: served in `/demo/config.json`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DemoClient {
    /// The demo pool's issuer.
    pub(crate) issuer: String,
    /// The demo application's `client_id`.
    pub(crate) client_id: String,
    /// Where the provider sends the browser back with the code.
    pub(crate) redirect_uri: String,
    /// Where logging out sends the browser back.
    pub(crate) post_logout_redirect_uri: String,
}

/// The demo pool's demo application, made or updated for the public URL `public`.
pub(crate) async fn ensure(
    services: &Services,
    pool: &PoolId,
    public: &str,
) -> Result<DemoClient, String> {
    let redirect_uri = format!("{public}{}", demo::OIDC_CALLBACK_PATH);
    let post_logout_redirect_uri = format!("{public}{}", demo::OIDC_PATH);
    let operator = Operator::command_line();
    let admin = services.admin(&operator);
    let clients = admin.oidc_clients(pool).await.map_err(|e| e.to_string())?;
    let client_id = match clients.iter().find(|c| c.name.as_str() == NAME) {
        Some(client) => {
            let same = |uris: &[denglu_domain::RedirectUri], wanted: &str| {
                uris.len() == 1 && uris[0].as_str() == wanted
            };
            let mut change = ClientChange::default();
            if !same(&client.redirect_uris, &redirect_uri)
                || !same(&client.post_logout_redirect_uris, &post_logout_redirect_uri)
            {
                change.redirect_uris = Some(vec![redirect_uri.clone()]);
                change.post_logout_redirect_uris = Some(vec![post_logout_redirect_uri.clone()]);
            }
            if GRANT_TYPES.iter().any(|g| !client.grant_types.contains(g)) {
                let grant_types: Vec<GrantType> = GrantType::ALL
                    .into_iter()
                    .filter(|g| client.grant_types.contains(g) || GRANT_TYPES.contains(g))
                    .collect();
                change.grant_types = Some(names(&grant_types));
            }
            if change.redirect_uris.is_some() || change.grant_types.is_some() {
                admin
                    .change_oidc_client(pool, client.client_id.as_str(), change)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            client.client_id.to_string()
        }
        None => {
            let words = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect();
            let input = NewClient {
                name: NAME.to_owned(),
                kind: "public".to_owned(),
                logo_uri: None,
                redirect_uris: vec![redirect_uri.clone()],
                post_logout_redirect_uris: vec![post_logout_redirect_uri.clone()],
                grant_types: Some(names(&GRANT_TYPES)),
                scopes: Some(words(&[
                    "openid",
                    "profile",
                    "phone",
                    "email",
                    "offline_access",
                    "wechat",
                ])),
                access_token_lifetime: None,
                refresh_token_lifetime: None,
                id_token_lifetime: None,
                first_party: true,
                backchannel_logout_uri: None,
            };
            let created = admin
                .create_oidc_client(pool, input)
                .await
                .map_err(|e| e.to_string())?;
            created.client.client_id.to_string()
        }
    };
    Ok(DemoClient {
        issuer: format!("{public}/oidc/{pool}"),
        client_id,
        redirect_uri,
        post_logout_redirect_uri,
    })
}

/// Grant types by their names, as the admin service takes them.
fn names(grant_types: &[GrantType]) -> Vec<String> {
    grant_types.iter().map(|g| g.as_str().to_owned()).collect()
}
