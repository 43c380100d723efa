//! The mini program SDK's login (flow C): `loginWithWxapp`, phones WeChat verifies (`getPhone`, `bindPhone`) and
//! open data.

use denglu_domain::{PoolId, RegistrationPolicy};
use denglu_service::{
    ErrorCode, PhoneProof, ServiceError, ServiceResult, Session, VerifiedToken, WxappLogin,
};
use denglu_wechat_sim::UserId as WechatUser;

use crate::helpers::{MINI_PROGRAM, World, refusal};

impl World {
    /// `loginWithWxapp` in the open pool, with the WeChat profile (getUserInfo) and an asserted `phone`.
    async fn wxapp_login(&self, user: WechatUser, phone: Option<&str>) -> ServiceResult<Session> {
        let code = self.code(user);
        let profile = self
            .wechat
            .user_info(MINI_PROGRAM.0, user)
            .expect("getUserInfo");
        let input = WxappLogin {
            code,
            encrypted_data: Some(profile.encrypted_data),
            iv: Some(profile.iv),
            phone: phone.map(str::to_owned),
            ..WxappLogin::default()
        };
        self.services.wxapp().login(self.pool_id(), input).await
    }

    /// The verified token of a session.
    async fn verified(&self, session: &Session) -> VerifiedToken {
        self.services
            .verify_token(Some(&session.token))
            .await
            .expect("the token verifies")
    }

    /// `bindPhone` in `pool` for `verified`, with `user`'s phone code.
    async fn bind_phone(
        &self,
        pool: &PoolId,
        verified: &VerifiedToken,
        user: WechatUser,
    ) -> ServiceResult<denglu_domain::User> {
        let code = self.code(user);
        let proof = PhoneProof::Code(self.phone_code(user));
        self.services
            .wxapp()
            .bind_phone(pool, verified, None, &code, proof)
            .await
    }

    /// `getPhone` in the open pool with `user`'s phone code: WeChat verifies the phone for this identity.
    async fn get_phone(&self, user: WechatUser) -> String {
        let code = self.code(user);
        let proof = PhoneProof::Code(self.phone_code(user));
        self.services
            .wxapp()
            .phone(self.pool_id(), None, &code, proof)
            .await
            .expect("getPhone")
            .pure_phone_number
    }
}

#[tokio::test]
async fn logging_in_twice_with_one_wechat_user_gives_the_same_user() {
    let world = World::new().await;
    let user = world.wechat_user("Mei", None);

    let first = world.wxapp_login(user, None).await.expect("first login");
    let second = world
        .services
        .wxapp()
        .login(
            world.pool_id(),
            WxappLogin {
                code: world.code(user),
                ..WxappLogin::default()
            },
        )
        .await
        .expect("second login, without the profile");

    assert_eq!(first.user.id, second.user.id);
    assert_eq!(first.user.openid, Some(world.openid(user)));
    assert_eq!(first.user.nickname.as_deref(), Some("Mei"));
    assert_eq!(
        first.user.photo.as_deref(),
        Some("https://example.com/Mei.png")
    );
    assert_eq!(second.user.logins_count, 2);
    assert_eq!(world.stored_users(world.pool_id()).await.len(), 1);
    assert_eq!(world.verified(&second).await.user.id, first.user.id);
}

#[tokio::test]
async fn a_phone_reaches_its_owner_only_when_wechat_verified_it_for_this_identity() {
    let world = World::new().await;
    let phone = "13900000003";
    // The owner logs in, then binds their phone (WeChat verifies it).
    let owner = world.wechat_user("Owner", Some(phone));
    let owner_login = world.wxapp_login(owner, None).await.expect("owner");
    let bound = world
        .bind_phone(world.pool_id(), &world.verified(&owner_login).await, owner)
        .await
        .expect("bound");
    assert_eq!(
        (bound.phone.as_deref(), bound.phone_verified),
        (Some(phone), true)
    );

    // Merely asserting the phone reaches nobody: neither for someone with another phone, nor for a second WeChat
    // account that really has it but never had WeChat verify it here.
    let claimer = world.wechat_user("Claimer", Some("13900000099"));
    let claimed = world
        .wxapp_login(claimer, Some(phone))
        .await
        .expect("claimer");
    assert_ne!(claimed.user.id, owner_login.user.id);
    let unverified = world.wechat_user("Unverified", Some(phone));
    let asserted = world
        .wxapp_login(unverified, Some(phone))
        .await
        .expect("unverified");
    assert_ne!(asserted.user.id, owner_login.user.id);

    // A third WeChat account of the owner has WeChat verify the phone first (getPhone): it reaches the owner, and
    // its identity is linked to them from then on.
    let verified = world.wechat_user("Verified", Some(phone));
    assert_eq!(world.get_phone(verified).await, phone);
    let linked = world
        .wxapp_login(verified, Some(phone))
        .await
        .expect("linked");
    assert_eq!(linked.user.id, owner_login.user.id);
    let later = world.wxapp_login(verified, None).await.expect("later");
    assert_eq!(later.user.id, owner_login.user.id, "the identity is linked");

    // That verification counts for that identity only.
    let claimed_again = world
        .wxapp_login(claimer, Some(phone))
        .await
        .expect("claimer");
    assert_eq!(claimed_again.user.id, claimed.user.id);

    let owner_now = world.stored_user(world.pool_id(), &owner_login.user).await;
    assert_eq!(owner_now.phone.as_deref(), Some(phone));
    assert_eq!(
        owner_now.logins_count, 3,
        "the owner's own login and the two linked ones"
    );
    assert_eq!(
        world.stored_users(world.pool_id()).await.len(),
        3,
        "owner, claimer and the unverified account"
    );
}

#[tokio::test]
async fn bind_phone_refuses_a_token_of_another_pool_and_an_unknown_pool() {
    let world = World::new().await;
    let phone = "13900000004";
    let user = world.wechat_user("Binder", Some(phone));
    let here = world.wxapp_login(user, None).await.expect("login");
    let here = world.verified(&here).await;
    let other = world.another_pool(RegistrationPolicy::Open).await;
    let stranger = world
        .register_in(&other.pool.id, "stranger")
        .await
        .expect("signed up");
    let elsewhere = world
        .login_in(&other.pool.id, "stranger", crate::helpers::PASSWORD)
        .await
        .expect("logged in");
    let elsewhere = world.verified(&elsewhere).await;

    let foreign_token = world.bind_phone(world.pool_id(), &elsewhere, user).await;
    assert_eq!(refusal(foreign_token), ErrorCode::Forbidden);
    let unknown_pool = world
        .bind_phone(&PoolId::generate(world.now()), &here, user)
        .await;
    assert_eq!(refusal(unknown_pool), ErrorCode::PoolNotFound);
    assert_eq!(ErrorCode::PoolNotFound.number(), 2224);

    assert_eq!(
        world.stored_user(&other.pool.id, &stranger).await.phone,
        None
    );
    assert_eq!(
        world.stored_user(world.pool_id(), &here.user).await.phone,
        None
    );
    let bound = world
        .bind_phone(world.pool_id(), &here, user)
        .await
        .expect("its own pool binds");
    assert_eq!(bound.phone.as_deref(), Some(phone));
}

#[tokio::test]
async fn bind_phone_refuses_a_phone_another_user_has() {
    let world = World::new().await;
    let phone = "13900000005";
    let first = world.wechat_user("First", Some(phone));
    let first_login = world.wxapp_login(first, None).await.expect("first");
    world
        .bind_phone(world.pool_id(), &world.verified(&first_login).await, first)
        .await
        .expect("bound");
    let second = world.wechat_user("Second", Some(phone));
    let second_login = world.wxapp_login(second, None).await.expect("second");

    let error = world
        .bind_phone(
            world.pool_id(),
            &world.verified(&second_login).await,
            second,
        )
        .await
        .expect_err("taken");

    assert!(
        matches!(error, ServiceError::UserExists("phone")),
        "{error:?}"
    );
    assert_eq!(error.code(), ErrorCode::UserExists);
    let stored = world.stored_user(world.pool_id(), &second_login.user).await;
    assert_eq!(stored.phone, None);
}

#[tokio::test]
async fn get_phone_reads_the_legacy_encrypted_data_too() {
    let world = World::new().await;
    let user = world.wechat_user("Legacy", Some("13900000006"));
    let code = world.code(user);
    let detail = world
        .wechat
        .phone_number(MINI_PROGRAM.0, user)
        .expect("getPhoneNumber");

    let info = world
        .services
        .wxapp()
        .phone(
            world.pool_id(),
            None,
            &code,
            PhoneProof::Encrypted {
                data: detail.encrypted_data,
                iv: detail.iv,
            },
        )
        .await
        .expect("decrypted");

    assert_eq!(info.pure_phone_number, "13900000006");
    assert_eq!(info.country_code, "86");
}

#[tokio::test]
async fn garbage_or_foreign_encrypted_data_is_refused() {
    let world = World::new().await;
    let user = world.wechat_user("Garbage", Some("13900000007"));
    let someone_else = world.wechat_user("Someone", None);
    world.code(someone_else);
    let foreign = world
        .wechat
        .user_info(MINI_PROGRAM.0, someone_else)
        .expect("getUserInfo");

    for (data, iv) in [
        ("garbage".to_owned(), "garbage".to_owned()),
        (
            "AAAAAAAAAAAAAAAAAAAAAA==".to_owned(),
            "AAAAAAAAAAAAAAAAAAAAAA==".to_owned(),
        ),
        (foreign.encrypted_data.clone(), foreign.iv.clone()),
    ] {
        let login = world
            .services
            .wxapp()
            .login(
                world.pool_id(),
                WxappLogin {
                    code: world.code(user),
                    encrypted_data: Some(data.clone()),
                    iv: Some(iv.clone()),
                    ..WxappLogin::default()
                },
            )
            .await;
        assert_eq!(
            refusal(login),
            ErrorCode::OpenDataInvalid,
            "login with {data}"
        );
        let decrypt = world
            .services
            .wxapp()
            .decrypt(world.pool_id(), None, &world.code(user), &data, &iv)
            .await;
        assert_eq!(
            refusal(decrypt),
            ErrorCode::OpenDataInvalid,
            "decrypt {data}"
        );
        let phone = world
            .services
            .wxapp()
            .phone(
                world.pool_id(),
                None,
                &world.code(user),
                PhoneProof::Encrypted { data, iv },
            )
            .await;
        assert_eq!(refusal(phone), ErrorCode::OpenDataInvalid);
    }
    assert_eq!(ErrorCode::OpenDataInvalid.number(), 4305);
    assert!(
        world.stored_users(world.pool_id()).await.is_empty(),
        "nobody signed up"
    );
}
