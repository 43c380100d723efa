//! Password accounts: the pool's registration policy, unique account names, password guessing limits, blocking, and
//! tokens revoked by blocking and logout.

use denglu_domain::RegistrationPolicy;
use denglu_service::{ErrorCode, RegisterInput, ServiceError};

use crate::helpers::{PASSWORD, World, refusal};

/// Wrong passwords one account takes per minute before every attempt is refused (`shared/login_limits.rs`).
const ATTEMPTS_PER_ACCOUNT: usize = 10;

#[tokio::test]
async fn a_login_only_pool_refuses_sign_up() {
    let world = World::new().await;
    let closed = world.another_pool(RegistrationPolicy::LoginOnly).await;

    let error = world
        .register_in(&closed.pool.id, "alice")
        .await
        .expect_err("refused");

    assert!(matches!(error, ServiceError::SignUpClosed), "{error:?}");
    assert_eq!(error.code(), ErrorCode::SignUpClosed);
    assert_eq!(error.code().number(), 4001);
    assert!(world.stored_users(&closed.pool.id).await.is_empty());
    world
        .register_in(world.pool_id(), "alice")
        .await
        .expect("an open pool takes the same sign-up");
}

#[tokio::test]
async fn a_taken_username_or_email_is_refused_whatever_its_case() {
    let world = World::new().await;
    let alice = world
        .register_in(world.pool_id(), "alice")
        .await
        .expect("alice");

    for taken in ["alice", "ALICE", " Alice "] {
        let error = world
            .register_in(world.pool_id(), taken)
            .await
            .expect_err("taken");
        assert!(
            matches!(error, ServiceError::UserExists("username")),
            "{taken:?}: {error:?}"
        );
        assert_eq!(error.code(), ErrorCode::UserExists);
        assert_eq!(error.code().number(), 2026);
    }
    let by_email = |email: &str| RegisterInput {
        username: None,
        email: Some(email.to_owned()),
        password: PASSWORD.to_owned(),
        nickname: None,
    };
    world
        .services
        .accounts()
        .register(world.pool_id(), by_email("bob@example.com"))
        .await
        .expect("bob");
    let error = world
        .services
        .accounts()
        .register(world.pool_id(), by_email("Bob@Example.com"))
        .await
        .expect_err("taken");
    assert!(
        matches!(error, ServiceError::UserExists("e-mail")),
        "{error:?}"
    );

    let users = world.stored_users(world.pool_id()).await;
    assert_eq!(users.len(), 2, "alice and bob only");
    assert!(users.iter().any(|u| u.id == alice.id));
    let other = world.another_pool(RegistrationPolicy::Open).await;
    world
        .register_in(&other.pool.id, "alice")
        .await
        .expect("names are unique per pool only");
}

#[tokio::test]
async fn too_many_wrong_passwords_for_one_account_are_refused() {
    let world = World::new().await;
    let alice = world
        .register_in(world.pool_id(), "alice")
        .await
        .expect("alice");
    world
        .register_in(world.pool_id(), "bob")
        .await
        .expect("bob");

    for attempt in 0..ATTEMPTS_PER_ACCOUNT {
        let wrong = world
            .login_in(world.pool_id(), "alice", "wrong horse")
            .await;
        assert_eq!(
            refusal(wrong),
            ErrorCode::WrongPassword,
            "attempt {attempt}"
        );
    }

    for account in ["alice", "ALICE"] {
        let limited = world.login_in(world.pool_id(), account, PASSWORD).await;
        assert_eq!(
            refusal(limited),
            ErrorCode::TooManyRequests,
            "even the right password: {account}"
        );
    }
    assert_eq!(ErrorCode::TooManyRequests.number(), 4290);
    assert_eq!(
        world
            .stored_user(world.pool_id(), &alice)
            .await
            .logins_count,
        0
    );
    world
        .login_in(world.pool_id(), "bob", PASSWORD)
        .await
        .expect("another account is not limited");
}

#[tokio::test]
async fn wrong_passwords_and_unknown_accounts_are_told_apart() {
    let world = World::new().await;
    world
        .register_in(world.pool_id(), "alice")
        .await
        .expect("alice");

    let wrong = world
        .login_in(world.pool_id(), "alice", "wrong horse")
        .await;
    assert_eq!(refusal(wrong), ErrorCode::WrongPassword);
    let unknown = world.login_in(world.pool_id(), "nobody", PASSWORD).await;
    assert_eq!(refusal(unknown), ErrorCode::UserNotFound);
    let session = world
        .login_in(world.pool_id(), "alice", PASSWORD)
        .await
        .expect("logged in");
    assert_eq!(session.user.logins_count, 1);
}

#[tokio::test]
async fn a_blocked_user_cannot_log_in_and_their_tokens_stop_verifying() {
    let world = World::new().await;
    let alice = world
        .register_in(world.pool_id(), "alice")
        .await
        .expect("alice");
    let before = world
        .login_in(world.pool_id(), "alice", PASSWORD)
        .await
        .expect("logged in");
    world
        .services
        .verify_token(Some(&before.token))
        .await
        .expect("verifies before the block");

    let blocked = world
        .services
        .accounts()
        .set_user_blocked(world.pool_id(), &alice.id, true)
        .await
        .expect("blocked");
    assert!(blocked.blocked);
    assert!(world.stored_user(world.pool_id(), &alice).await.blocked);

    let login = world.login_in(world.pool_id(), "alice", PASSWORD).await;
    assert_eq!(refusal(login), ErrorCode::UserBlocked);
    assert_eq!(ErrorCode::UserBlocked.number(), 2005);
    let token = world.services.verify_token(Some(&before.token)).await;
    assert_eq!(refusal(token), ErrorCode::UserBlocked);

    // Unblocking does not bring the earlier tokens back: blocking revoked them.
    world
        .services
        .accounts()
        .set_user_blocked(world.pool_id(), &alice.id, false)
        .await
        .expect("unblocked");
    let old = world.services.verify_token(Some(&before.token)).await;
    assert_eq!(refusal(old), ErrorCode::TokenExpired);
    let after = world
        .login_in(world.pool_id(), "alice", PASSWORD)
        .await
        .expect("logs in again");
    world
        .services
        .verify_token(Some(&after.token))
        .await
        .expect("a token issued after the block verifies");
}

#[tokio::test]
async fn logout_revokes_the_tokens_issued_before() {
    let world = World::new().await;
    let alice = world
        .register_in(world.pool_id(), "alice")
        .await
        .expect("alice");
    let phone = world
        .login_in(world.pool_id(), "alice", PASSWORD)
        .await
        .expect("first device");
    world.clock.advance(chrono::Duration::minutes(5));
    let laptop = world
        .login_in(world.pool_id(), "alice", PASSWORD)
        .await
        .expect("second device");
    let verified = world
        .services
        .verify_token(Some(&laptop.token))
        .await
        .expect("verifies");

    world.services.logout(&verified).await.expect("logged out");

    for token in [&phone.token, &laptop.token] {
        let error = world
            .services
            .verify_token(Some(token))
            .await
            .expect_err("revoked");
        assert!(matches!(error, ServiceError::TokenRevoked), "{error:?}");
        assert_eq!(error.code(), ErrorCode::TokenExpired);
        assert_eq!(error.code().number(), 2206);
    }
    let stored = world.stored_user(world.pool_id(), &alice).await;
    assert_eq!(stored.tokens_valid_after, Some(world.now()));

    // A login right after the logout, at the same instant, gets a token that works.
    let again = world
        .login_in(world.pool_id(), "alice", PASSWORD)
        .await
        .expect("logs in again");
    let verified = world
        .services
        .verify_token(Some(&again.token))
        .await
        .expect("a token issued after the logout verifies");
    assert_eq!(verified.user.id, alice.id);
}

#[tokio::test]
async fn no_token_is_not_logged_in() {
    let world = World::new().await;

    for token in [None, Some(""), Some("undefined"), Some("null")] {
        let missing = world.services.verify_token(token).await;
        assert_eq!(refusal(missing), ErrorCode::NotLoggedIn, "{token:?}");
    }
    let forged = world.services.verify_token(Some("not.a.token")).await;
    assert_eq!(refusal(forged), ErrorCode::TokenInvalid);
}
