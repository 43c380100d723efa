//! Pools: reading a pool, its users and its keys' public part does not depend on opening its sealed keys (the admin
//! commands that run without the master key rely on it), while signing and the sealed JWT secret do.

use denglu_domain::{RegistrationPolicy, Requester};
use denglu_service::{ErrorCode, LoginInput};

use crate::helpers::{PASSWORD, World};

#[tokio::test]
async fn a_pool_reads_without_its_keys_opening_but_nothing_sealed_is_used() {
    let world = World::new().await;
    world
        .register_in(world.pool_id(), "alice")
        .await
        .expect("alice");
    let shared = world.another_pool(RegistrationPolicy::Open).await;
    let other = world.services_with_another_master_key().await;

    let pool = other.pool(world.pool_id()).await.expect("the pool reads");
    assert_eq!(&pool.id, world.pool_id());
    let keys = other
        .pools()
        .signing_keys(world.pool_id())
        .await
        .expect("the keys list");
    assert_eq!(keys.len(), 1);
    let users = other
        .accounts()
        .users(world.pool_id(), 10, 0)
        .await
        .expect("the users read");
    assert_eq!(users.len(), 1);

    let error = other
        .pools()
        .jwt_secret(&shared.pool.id)
        .await
        .expect_err("the sealed keys do not open");
    assert_eq!(error.code(), ErrorCode::SystemBusy);
    let alice = || LoginInput {
        account: "alice".to_owned(),
        password: PASSWORD.to_owned(),
        from: Requester::default(),
    };
    let error = other
        .accounts()
        .login_with_password(world.pool_id(), alice())
        .await
        .expect_err("no token is signed with keys that do not open");
    assert_eq!(error.code(), ErrorCode::SystemBusy);
    world
        .services
        .accounts()
        .login_with_password(world.pool_id(), alice())
        .await
        .expect("the deployment's own services still sign");
}
