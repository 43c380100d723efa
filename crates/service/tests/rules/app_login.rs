//! App-launched login (flow B): the mini program mints a one-time ticket for a WeChat user; the app's backend
//! exchanges it once, with the pool secret and, for a bound ticket, the code verifier.

use denglu_crypto::hash_secret;
use denglu_domain::{AppTicket, PoolId, RegistrationPolicy};
use denglu_service::{
    AppLoginChange, ErrorCode, MintTicket, MintedTicket, ServiceError, ServiceResult, Session,
    TicketExchange,
};
use denglu_wechat_sim::UserId as WechatUser;

use crate::helpers::{World, refusal};

/// RFC 7636, appendix B: a code verifier and its S256 challenge.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn mint_input(code: String, challenge: Option<&str>) -> MintTicket {
    MintTicket {
        code,
        phone: None,
        nickname: None,
        avatar: None,
        code_challenge: challenge.map(str::to_owned),
        appid: None,
    }
}

impl World {
    /// Mints a ticket in the open pool for `user`, bound to `challenge` if given.
    async fn mint_for(&self, user: WechatUser, challenge: Option<&str>) -> MintedTicket {
        self.services
            .app_login()
            .mint_ticket(self.pool_id(), mint_input(self.code(user), challenge))
            .await
            .expect("ticket minted")
    }

    /// Mints a ticket in the open pool for a new WeChat user.
    async fn mint(&self, challenge: Option<&str>) -> (MintedTicket, WechatUser) {
        let user = self.wechat_user("Launcher", None);
        (self.mint_for(user, challenge).await, user)
    }

    /// Exchanges `ticket` in `pool`.
    async fn exchange(
        &self,
        pool: &PoolId,
        ticket: &str,
        secret: Option<&str>,
        code_verifier: Option<&str>,
    ) -> ServiceResult<Session> {
        let exchange = TicketExchange {
            ticket: Some(ticket),
            secret,
            code_verifier,
        };
        self.services
            .app_login()
            .exchange_ticket(
                pool,
                exchange,
                denglu_domain::Requester {
                    ip: Some("203.0.113.7".to_owned()),
                    user_agent: Some("App backend".to_owned()),
                },
            )
            .await
    }

    /// Exchanges `ticket` in the open pool with its secret.
    async fn exchange_here(&self, ticket: &str, verifier: Option<&str>) -> ServiceResult<Session> {
        self.exchange(self.pool_id(), ticket, Some(self.secret()), verifier)
            .await
    }

    /// The ticket as stored.
    async fn stored_ticket(&self, ticket: &str) -> AppTicket {
        self.store
            .app_ticket(&hash_secret(ticket))
            .await
            .expect("store answers")
            .expect("the ticket is stored")
    }
}

#[tokio::test]
async fn a_wrong_or_missing_pool_secret_is_denied_and_does_not_burn_the_ticket() {
    let world = World::new().await;
    let (minted, user) = world.mint(None).await;

    for secret in [Some("not-the-pool-secret"), Some(""), None] {
        let error = world
            .exchange(world.pool_id(), &minted.ticket, secret, None)
            .await
            .expect_err("refused");
        assert!(
            matches!(error, ServiceError::Denied(_)),
            "{secret:?}: {error:?}"
        );
        assert_eq!(error.code(), ErrorCode::Forbidden);
        assert_eq!(error.code().number(), 1001);
    }
    assert_eq!(
        world.stored_ticket(&minted.ticket).await.used_at,
        None,
        "still unused"
    );

    let session = world
        .exchange_here(&minted.ticket, None)
        .await
        .expect("the right secret exchanges it");
    assert_eq!(session.user.openid, Some(world.openid(user)));
    assert_eq!(session.user.logins_count, 1);
    assert_eq!(session.user.last_ip.as_deref(), Some("203.0.113.7"));
    let verified = world
        .services
        .verify_token(Some(&session.token))
        .await
        .expect("the token verifies");
    assert_eq!(verified.user.id, session.user.id);
    assert!(world.stored_ticket(&minted.ticket).await.used_at.is_some());
}

#[tokio::test]
async fn a_rotated_pool_secret_replaces_the_old_one_at_once() {
    let world = World::new().await;
    let (minted, _) = world.mint(None).await;

    let new_secret = world
        .services
        .pools()
        .rotate_secret(world.pool_id())
        .await
        .expect("rotated");

    let old = world.exchange_here(&minted.ticket, None).await;
    assert_eq!(refusal(old), ErrorCode::Forbidden, "the old secret is gone");
    world
        .exchange(world.pool_id(), &minted.ticket, Some(&new_secret), None)
        .await
        .expect("the new secret works");
}

#[tokio::test]
async fn a_ticket_bound_to_a_code_challenge_refuses_a_wrong_verifier_without_burning_it() {
    let world = World::new().await;
    let (minted, _) = world.mint(Some(CHALLENGE)).await;
    assert_eq!(
        world
            .stored_ticket(&minted.ticket)
            .await
            .code_challenge
            .map(|c| c.as_str().to_owned()),
        Some(CHALLENGE.to_owned())
    );

    let wrong_verifier = "x".repeat(43);
    for verifier in [
        Some(wrong_verifier.as_str()),
        Some("too-short"),
        Some(""),
        None,
    ] {
        let refused = world.exchange_here(&minted.ticket, verifier).await;
        assert_eq!(
            refusal(refused),
            ErrorCode::TicketVerifierMismatch,
            "{verifier:?}"
        );
    }
    assert_eq!(
        world.stored_ticket(&minted.ticket).await.used_at,
        None,
        "still unused"
    );

    world
        .exchange_here(&minted.ticket, Some(VERIFIER))
        .await
        .expect("the verifier of the challenge exchanges it");
}

#[tokio::test]
async fn a_ticket_is_exchanged_once() {
    let world = World::new().await;
    let (minted, _) = world.mint(None).await;

    let first = world
        .exchange_here(&minted.ticket, None)
        .await
        .expect("first");
    let second = world.exchange_here(&minted.ticket, None).await;

    assert_eq!(refusal(second), ErrorCode::TicketUsed);
    assert_eq!(ErrorCode::TicketUsed.number(), 4403);
    let stored = world.stored_user(world.pool_id(), &first.user).await;
    assert_eq!(
        stored.logins_count, 1,
        "the second exchange logged nobody in"
    );
}

#[tokio::test]
async fn a_ticket_expires_after_its_lifetime_and_the_late_try_uses_it_up() {
    let world = World::new().await;
    let user = world.wechat_user("Slow", None);
    let on_time = world.mint_for(user, None).await;
    let late = world.mint_for(user, None).await;
    assert_eq!(
        late.expires_at,
        world.now() + chrono::Duration::seconds(120)
    );

    world.clock.advance(chrono::Duration::seconds(119));
    world
        .exchange_here(&on_time.ticket, None)
        .await
        .expect("within the lifetime");

    world.clock.advance(chrono::Duration::seconds(1));
    let expired = world.exchange_here(&late.ticket, None).await;
    assert_eq!(refusal(expired), ErrorCode::TicketExpired);
    assert_eq!(ErrorCode::TicketExpired.number(), 4402);
    // As documented (docs/errors.md, 4403): the expired try used the ticket up.
    let again = world.exchange_here(&late.ticket, None).await;
    assert_eq!(refusal(again), ErrorCode::TicketUsed);
}

#[tokio::test]
async fn a_pools_ticket_lifetime_setting_applies_to_new_tickets() {
    let world = World::new().await;
    world
        .services
        .app_login()
        .change_settings(
            world.pool_id(),
            AppLoginChange {
                ticket_lifetime_seconds: Some(30),
                ..AppLoginChange::default()
            },
        )
        .await
        .expect("settings changed");
    let (minted, _) = world.mint(None).await;

    world.clock.advance(chrono::Duration::seconds(30));

    let expired = world.exchange_here(&minted.ticket, None).await;
    assert_eq!(refusal(expired), ErrorCode::TicketExpired);
}

#[tokio::test]
async fn a_ticket_of_another_pool_or_an_unknown_one_is_not_found() {
    let world = World::new().await;
    let other = world.another_pool(RegistrationPolicy::Open).await;
    let (minted, _) = world.mint(Some(CHALLENGE)).await;

    // Even without the verifier: another pool's ticket is simply not there (no 4404 telling it exists).
    for verifier in [None, Some(VERIFIER)] {
        let elsewhere = world
            .exchange(
                &other.pool.id,
                &minted.ticket,
                Some(&other.secret),
                verifier,
            )
            .await;
        assert_eq!(
            refusal(elsewhere),
            ErrorCode::TicketNotFound,
            "{verifier:?}"
        );
    }
    let unknown = world
        .exchange_here("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", None)
        .await;
    assert_eq!(refusal(unknown), ErrorCode::TicketNotFound);
    assert_eq!(ErrorCode::TicketNotFound.number(), 4401);

    assert_eq!(world.stored_ticket(&minted.ticket).await.used_at, None);
    world
        .exchange_here(&minted.ticket, Some(VERIFIER))
        .await
        .expect("its own pool still exchanges it");
}

#[tokio::test]
async fn require_secret_off_lets_an_exchange_without_secret_through() {
    let world = World::new().await;
    let settings = world
        .services
        .app_login()
        .change_settings(
            world.pool_id(),
            AppLoginChange {
                require_secret: Some(false),
                ..AppLoginChange::default()
            },
        )
        .await
        .expect("settings changed");
    assert!(!settings.require_secret);
    let stored = world
        .store
        .app_login_settings(world.pool_id())
        .await
        .expect("store answers")
        .expect("stored");
    assert!(!stored.require_secret);
    let (minted, user) = world.mint(None).await;

    let session = world
        .exchange(world.pool_id(), &minted.ticket, None, None)
        .await
        .expect("no secret needed");

    assert_eq!(session.user.openid, Some(world.openid(user)));
}

#[tokio::test]
async fn require_pkce_refuses_an_unbound_ticket_before_spending_the_code() {
    let world = World::new().await;
    world
        .services
        .app_login()
        .change_settings(
            world.pool_id(),
            AppLoginChange {
                require_pkce: Some(true),
                ..AppLoginChange::default()
            },
        )
        .await
        .expect("settings changed");
    let user = world.wechat_user("Pkce", None);
    let code = world.code(user);

    let unbound = world
        .services
        .app_login()
        .mint_ticket(world.pool_id(), mint_input(code.clone(), None))
        .await;
    assert_eq!(refusal(unbound), ErrorCode::InvalidRequest);
    assert!(
        world.stored_users(world.pool_id()).await.is_empty(),
        "nobody signed up"
    );

    let minted = world
        .services
        .app_login()
        .mint_ticket(world.pool_id(), mint_input(code, Some(CHALLENGE)))
        .await
        .expect("the same wx.login code still works");
    world
        .exchange_here(&minted.ticket, Some(VERIFIER))
        .await
        .expect("exchanged");
}

#[tokio::test]
async fn a_blocked_users_ticket_logs_nobody_in() {
    let world = World::new().await;
    let (minted, _) = world.mint(None).await;
    let user_id = world.stored_ticket(&minted.ticket).await.user_id;
    world
        .services
        .accounts()
        .set_user_blocked(world.pool_id(), &user_id, true)
        .await
        .expect("blocked");

    let refused = world.exchange_here(&minted.ticket, None).await;

    assert_eq!(refusal(refused), ErrorCode::UserBlocked);
    let user = world
        .services
        .accounts()
        .user(world.pool_id(), &user_id)
        .await
        .expect("user");
    assert_eq!(user.logins_count, 0);
}

#[tokio::test]
async fn a_login_only_pool_mints_no_ticket_for_a_new_wechat_user() {
    let world = World::new().await;
    let closed = world.another_pool(RegistrationPolicy::LoginOnly).await;
    let user = world.wechat_user("Stranger", None);

    let refused = world
        .services
        .app_login()
        .mint_ticket(&closed.pool.id, mint_input(world.code(user), None))
        .await;

    assert_eq!(refusal(refused), ErrorCode::SignUpClosed);
    assert!(world.stored_users(&closed.pool.id).await.is_empty());
}
