//! The store's record of OpenID Connect logins, through [`denglu_store::OidcStore`] on whichever backend the run
//! uses: single-use codes and refresh tokens (also under concurrent use), the end of an IdP session, consents, the
//! device flow's pending authorizations, purge, and what deleting a pool, a user or an application takes with it.

use chrono::{DateTime, TimeDelta, Utc};
use denglu_domain::{
    AuthMethod, AuthorizationCode, ClientId, ClientKind, ClientLifetime, ClientName, Clock,
    GrantType, IdpSession, LifetimeOf, NewPasswordUser, OidcClient, OidcGrant, PasswordHash,
    PoolId, RedirectUri, RefreshToken, Scope, SecretHash, User, UserId,
};

use crate::helpers::{TestApp, spawn_app};

mod device_codes;
mod removal;
mod sessions;
mod single_use;

/// A test app with a user and an application in its pool, and a time with whole seconds (as both databases keep
/// it exactly).
struct Fixture {
    app: TestApp,
    pool: PoolId,
    user: UserId,
    client: ClientId,
    now: DateTime<Utc>,
}

async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let pool = app.pool.pool.id.clone();
    let now = DateTime::from_timestamp(app.clock.now().timestamp(), 0).expect("time");
    let (user, client) = user_and_client(&app, &pool, "a", now).await;
    Fixture {
        app,
        pool,
        user,
        client,
        now,
    }
}

/// A new user and a new application in `pool`; `tag` tells them apart from others.
async fn user_and_client(
    app: &TestApp,
    pool: &PoolId,
    tag: &str,
    now: DateTime<Utc>,
) -> (UserId, ClientId) {
    let new = NewPasswordUser {
        username: None,
        email: None,
        nickname: None,
        password_hash: PasswordHash::from_phc("$argon2id$placeholder".to_owned()),
    };
    let user = User::sign_up_with_password(pool.clone(), new, now);
    app.store.insert_user(&user).await.expect("user");
    let client = OidcClient {
        pool_id: pool.clone(),
        client_id: client_id(tag),
        name: ClientName::parse("Shop").expect("name"),
        logo_uri: None,
        kind: ClientKind::Public,
        secret_hash: None,
        redirect_uris: vec![RedirectUri::parse("redirectUris", REDIRECT).expect("uri")],
        post_logout_redirect_uris: Vec::new(),
        grant_types: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
        scopes: vec![Scope::Openid, Scope::Profile, Scope::OfflineAccess],
        access_token_lifetime: ClientLifetime::default_for(LifetimeOf::AccessToken),
        refresh_token_lifetime: ClientLifetime::default_for(LifetimeOf::RefreshToken),
        id_token_lifetime: ClientLifetime::default_for(LifetimeOf::IdToken),
        first_party: false,
        backchannel_logout_uri: None,
        created_at: now,
        updated_at: now,
    };
    app.store
        .oidc_clients()
        .insert_oidc_client(&client)
        .await
        .expect("client");
    (user.id, client.client_id)
}

/// The id of [`user_and_client`]'s application `tag`.
fn client_id(tag: &str) -> ClientId {
    ClientId::parse(&format!("client-{tag}-0123456789abcdefghij")).expect("id")
}

/// A second pool of the app.
async fn other_pool(app: &TestApp) -> PoolId {
    let settings = crate::helpers::pool_settings(Default::default(), Default::default());
    let created = app.services.pools().create(settings).await.expect("pool");
    created.pool.id
}

const REDIRECT: &str = "https://shop.example.com/callback";

/// A distinct hash for each `n`.
fn hash(n: u8) -> SecretHash {
    SecretHash::from_bytes([n; 32])
}

impl Fixture {
    /// A live grant `id` of the fixture's user and application, from session `sid` if given, ending in 30 days.
    fn grant(&self, id: &str, sid: Option<&str>) -> OidcGrant {
        grant_in(&self.pool, &self.client, &self.user, id, sid, self.now)
    }

    /// A code of `grant`, unused, for a minute.
    fn code(&self, n: u8, grant: &OidcGrant) -> AuthorizationCode {
        AuthorizationCode {
            code_hash: hash(n),
            grant_id: grant.id.clone(),
            redirect_uri: REDIRECT.to_owned(),
            code_challenge: None,
            nonce: Some(format!("nonce-{n}")),
            expires_at: self.now + TimeDelta::minutes(1),
            used_at: None,
        }
    }

    /// A refresh token of `grant` issued now.
    fn token(&self, n: u8, grant: &OidcGrant) -> RefreshToken {
        RefreshToken {
            token_hash: hash(n),
            grant_id: grant.id.clone(),
            pool_id: grant.pool_id.clone(),
            created_at: self.now,
        }
    }

    /// An IdP session `sid` of the fixture's user whose cookie hashes to `hash(cookie)`, for an hour.
    fn session(&self, sid: &str, cookie: u8) -> IdpSession {
        IdpSession {
            sid: sid.to_owned(),
            pool_id: self.pool.clone(),
            cookie_hash: hash(cookie),
            user_id: self.user.clone(),
            method: AuthMethod::WechatQr,
            auth_time: self.now,
            expires_at: self.now + TimeDelta::hours(1),
        }
    }
}

fn grant_in(
    pool: &PoolId,
    client: &ClientId,
    user: &UserId,
    id: &str,
    sid: Option<&str>,
    now: DateTime<Utc>,
) -> OidcGrant {
    OidcGrant {
        id: id.to_owned(),
        pool_id: pool.clone(),
        client_id: client.clone(),
        user_id: Some(user.clone()),
        scopes: vec![Scope::Openid, Scope::OfflineAccess],
        sid: sid.map(str::to_owned),
        method: sid.map(|_| AuthMethod::Password),
        auth_time: sid.map(|_| now),
        created_at: now,
        expires_at: now + TimeDelta::days(30),
        revoked_at: None,
    }
}
