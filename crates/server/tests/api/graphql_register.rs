//! GraphQL `register`: the real authing-wxapp-sdk v3's sign-up document sent verbatim, its password RSA-encrypted
//! with the login key as for `login`, under the native sign-up's rules and error codes.

use denglu_domain::{JwtAlgorithm, PoolId, RegistrationPolicy, UserId};
use serde_json::{Value, json};

use crate::{
    graphql::{Auth, LOGIN, encrypt_password, first_error},
    helpers::{TestApp, pool_settings, spawn_app},
};

/// authing-wxapp-sdk v3 `register(options)` (`authing/authing.js`), whitespace collapsed.
const REGISTER_WX: &str = "mutation register( $unionid: String, $email: String, $password: String, $lastIP: String, $forceLogin: Boolean, $registerInClient: String!, $oauth: String, $username: String, $nickname: String, $registerMethod: String, $photo: String ) { register(userInfo: { unionid: $unionid, email: $email, password: $password, lastIP: $lastIP, forceLogin: $forceLogin, registerInClient: $registerInClient, oauth: $oauth, registerMethod: $registerMethod, photo: $photo, username: $username, nickname: $nickname }) { _id, email, emailVerified, username, nickname, company, photo, browser, password, token, group { name }, blocked } }";

/// Authing's documented `register` of the time (its GraphQL API page): the same plus `$browser`, `$device`.
const REGISTER_DOCUMENTED: &str = "mutation register( $unionid: String, $email: String, $password: String, $lastIP: String, $forceLogin: Boolean, $registerInClient: String!, $oauth: String, $username: String, $nickname: String, $registerMethod: String, $photo: String, $browser: String, $device: String ) { register(userInfo: { unionid: $unionid, email: $email, password: $password, lastIP: $lastIP, forceLogin: $forceLogin, registerInClient: $registerInClient, oauth: $oauth, registerMethod: $registerMethod, photo: $photo, username: $username, nickname: $nickname, device: $device, browser: $browser }) { _id, email, emailVerified, username, nickname, company, photo, browser, password, token, group { name }, blocked, device } }";

impl TestApp {
    /// The wx SDK's `register(variables)`, `registerInClient` added as the SDK does; returns the answer.
    async fn wx_register(&self, pool: &str, mut variables: Value) -> Value {
        variables["registerInClient"] = json!(pool);
        self.wx(REGISTER_WX, variables, Auth::None).await
    }

    /// The wx SDK's `login`, the password encrypted; returns the answer.
    async fn wx_login(&self, account: (&str, &str), password: &str) -> Value {
        let encrypted = encrypt_password(self, password).await;
        let variables = json!({account.0: account.1, "password": encrypted, "registerInClient": self.pool_id()});
        self.wx(LOGIN, variables, Auth::None).await
    }

    /// Every user of `pool`.
    async fn users_of(&self, pool: &PoolId) -> Vec<denglu_domain::User> {
        self.store.users(pool, 500, 0).await.expect("users")
    }
}

/// The new user of a successful answer, asserting there is no error.
fn registered(answer: &Value) -> &Value {
    assert!(answer.get("errors").is_none(), "{answer}");
    let user = &answer["data"]["register"];
    assert!(user.is_object(), "{answer}");
    user
}

#[tokio::test]
async fn the_wx_sdks_register_by_email_signs_up_and_the_user_logs_in_with_login() {
    let app = spawn_app().await;
    let pool = app.pool_id();
    let encrypted = encrypt_password(&app, "correct horse").await;
    assert_eq!(encrypted.len(), 344, "base64 of one RSA-2048 block");

    let answer = app
        .wx_register(
            &pool,
            json!({"email": "Ivy@Example.com", "password": encrypted}),
        )
        .await;
    let user = registered(&answer);
    let id = user["_id"].as_str().expect("_id").to_owned();
    // Exactly the fields the SDK selects; no token (register does not log in), never a password.
    assert_eq!(
        *user,
        json!({"_id": id, "email": "ivy@example.com", "emailVerified": false, "username": null,
               "nickname": null, "company": null, "photo": null, "browser": null, "password": null,
               "token": null, "group": null, "blocked": false})
    );
    let stored = app
        .services
        .accounts()
        .user(&app.pool.pool.id, &UserId::parse(&id).expect("a 24-hex id"))
        .await
        .expect("the user is stored");
    assert_eq!(stored.register_method.as_str(), "default:username-password");
    assert_eq!(stored.logins_count, 0, "register does not log in");

    // The stored password is the decrypted one: the SDK's login and the native login both take it.
    let login = app
        .wx_login(("email", "IVY@example.com"), "correct horse")
        .await;
    assert!(login.get("errors").is_none(), "{login}");
    assert_eq!(login["data"]["login"]["_id"], id.as_str());
    let token = login["data"]["login"]["token"].as_str().expect("a token");
    let status = app.check_token(token).await;
    assert_eq!(status["status"], true);
    assert_eq!(status["token"]["data"]["id"], id.as_str());
    assert_eq!(status["token"]["data"]["email"], "ivy@example.com");
    let native = app.login("ivy@example.com", "correct horse").await;
    assert_eq!(native.status, 200, "{}", native.body);
    let wrong = app
        .wx_login(("email", "ivy@example.com"), "wrong horse")
        .await;
    assert_eq!(first_error(&wrong).0, 2006, "{wrong}");
}

#[tokio::test]
async fn register_by_username_keeps_the_nickname_and_ignores_the_other_fields_the_sdks_send() {
    let app = spawn_app().await;
    let pool = app.pool_id();
    let encrypted = encrypt_password(&app, "密码 with 中文").await;
    let variables = json!({
        "username": "Jack", "nickname": "  杰克  ", "password": encrypted,
        "photo": "https://example.com/a.png", "lastIP": "10.0.0.9", "forceLogin": true,
        "registerMethod": "oauth:wxapp", "oauth": "{\"openid\":\"o1\"}", "unionid": "u1",
        "browser": "wechat", "device": "iPhone", "registerInClient": pool,
    });
    let answer = app.wx(REGISTER_DOCUMENTED, variables, Auth::None).await;
    let user = registered(&answer);
    assert_eq!(user["username"], "Jack");
    assert_eq!(user["nickname"], "杰克");
    assert_eq!(user["email"], Value::Null);
    for ignored in ["photo", "browser", "device", "token", "password"] {
        assert_eq!(user[ignored], Value::Null, "{ignored}: {answer}");
    }

    let users = app.users_of(&app.pool.pool.id).await;
    assert_eq!(users.len(), 1);
    let stored = &users[0];
    assert_eq!(stored.register_method.as_str(), "default:username-password");
    assert_eq!(stored.unionid, None);
    assert_eq!(stored.photo, None);
    assert_eq!(stored.logins_count, 0, "forceLogin does not log in");
    assert_eq!(stored.last_ip, None);

    let login = app.wx_login(("username", "jack"), "密码 with 中文").await;
    assert_eq!(
        login["data"]["login"]["_id"], user["_id"],
        "the username logs in ignoring case: {login}"
    );
}

#[tokio::test]
async fn a_taken_username_or_email_is_2026_naming_which_and_writes_nothing() {
    let app = spawn_app().await;
    let pool = app.pool_id();
    assert_eq!(app.register("kate", "correct horse").await.status, 201);
    let email = app
        .wx_register(
            &pool,
            json!({"email": "kate@example.com", "password": encrypt_password(&app, "correct horse").await}),
        )
        .await;
    registered(&email);

    let cases = [
        (json!({"username": "KATE"}), "the username is already taken"),
        (
            json!({"username": "kate2", "email": "KATE@example.com"}),
            "the e-mail is already taken",
        ),
    ];
    for (mut variables, message) in cases {
        variables["password"] = json!(encrypt_password(&app, "another pass").await);
        let answer = app.wx_register(&pool, variables).await;
        assert_eq!(first_error(&answer), (2026, message.to_owned()), "{answer}");
        assert!(answer["data"].is_null(), "{answer}");
        assert_eq!(answer["errors"][0]["path"], json!(["register"]));
    }
    assert_eq!(app.users_of(&app.pool.pool.id).await.len(), 2);
    // The first owner's password is untouched.
    assert_eq!(app.login("kate", "correct horse").await.status, 200);
}

#[tokio::test]
async fn the_native_sign_up_rules_apply_with_their_codes_and_nothing_is_written() {
    let app = spawn_app().await;
    let pool = app.pool_id();
    let short = encrypt_password(&app, "12345").await;
    let long = encrypt_password(&app, &"x".repeat(129)).await;
    let good = encrypt_password(&app, "correct horse").await;
    let cases = [
        (
            json!({"username": "lena", "password": short}),
            1002,
            "a password has 6 to 128 characters",
        ),
        (
            json!({"username": "lena", "password": long}),
            1002,
            "a password has 6 to 128 characters",
        ),
        (
            json!({"email": "not@mail", "password": good}),
            2003,
            "the e-mail address is not valid",
        ),
        (
            json!({"username": "has space", "password": good}),
            1002,
            "a username has 1 to 64 characters and no spaces, '@' or control characters",
        ),
        (
            json!({"nickname": "nobody", "password": good}),
            1002,
            "give a username or an e-mail address",
        ),
    ];
    for (variables, code, message) in cases {
        let answer = app.wx_register(&pool, variables).await;
        assert_eq!(first_error(&answer), (code, message.to_owned()), "{answer}");
        assert!(answer["data"].is_null());
    }
    assert!(app.users_of(&app.pool.pool.id).await.is_empty());

    // Exactly 6 and 128 characters are fine.
    for (name, password) in [("six", "123456".to_owned()), ("long", "y".repeat(128))] {
        let encrypted = encrypt_password(&app, &password).await;
        let answer = app
            .wx_register(&pool, json!({"username": name, "password": encrypted}))
            .await;
        registered(&answer);
        assert_eq!(app.login(name, &password).await.status, 200);
    }
}

#[tokio::test]
async fn a_password_that_is_not_encrypted_with_the_login_key_is_1002_and_no_oracle() {
    let app = spawn_app().await;
    let pool = app.pool_id();
    let key_message =
        "the password is not encrypted with this server's login key (GET /api/v1/login-key.pem)";
    // Garbage base64, the password in clear, and not base64 at all.
    for password in ["bm90IGVuY3J5cHRlZA==", "correct horse", "%%%"] {
        let answer = app
            .wx_register(&pool, json!({"username": "mona", "password": password}))
            .await;
        assert_eq!(
            first_error(&answer),
            (1002, key_message.to_owned()),
            "{answer}"
        );
    }
    for missing in [
        json!({"username": "mona"}),
        json!({"username": "mona", "password": ""}),
    ] {
        let answer = app.wx_register(&pool, missing).await;
        assert_eq!(
            first_error(&answer),
            (1002, "give the encrypted password".to_owned()),
            "{answer}"
        );
    }
    let unionid = app
        .wx_register(
            &pool,
            json!({"unionid": "u1", "password": encrypt_password(&app, "correct horse").await}),
        )
        .await;
    let (code, message) = first_error(&unionid);
    assert_eq!(code, 1002);
    assert!(message.contains("mini program"), "{message}");
    assert!(app.users_of(&app.pool.pool.id).await.is_empty());

    // Failed sign-ups are not login attempts: past the login limit (10 a minute per account), "mona" still
    // signs up and logs in.
    for _ in 0..11 {
        let answer = app
            .wx_register(
                &pool,
                json!({"username": "mona", "password": "bm90IGVuY3J5cHRlZA=="}),
            )
            .await;
        assert_eq!(first_error(&answer).0, 1002);
    }
    let encrypted = encrypt_password(&app, "correct horse").await;
    registered(
        &app.wx_register(&pool, json!({"username": "mona", "password": encrypted}))
            .await,
    );
    let login = app.wx_login(("username", "mona"), "correct horse").await;
    assert!(login["data"]["login"]["token"].is_string(), "{login}");
}

#[tokio::test]
async fn closed_and_unknown_pools_are_refused_before_the_password_is_read() {
    let app = spawn_app().await;
    let encrypted = encrypt_password(&app, "correct horse").await;
    for policy in [
        RegistrationPolicy::LoginOnly,
        RegistrationPolicy::MatchVerifiedPhone,
    ] {
        let closed = app
            .services
            .pools()
            .create(pool_settings(JwtAlgorithm::ES256, policy))
            .await
            .expect("pool");
        let id = closed.pool.id.to_string();
        for password in [encrypted.as_str(), "garbage"] {
            let answer = app
                .wx_register(&id, json!({"username": "nina", "password": password}))
                .await;
            assert_eq!(
                first_error(&answer),
                (4001, "此用户池已关闭注册".to_owned()),
                "{answer}"
            );
        }
        assert!(app.users_of(&closed.pool.id).await.is_empty());
    }

    for pool in ["000000000000000000000000", "not-a-pool", ""] {
        let answer = app
            .wx_register(pool, json!({"username": "nina", "password": encrypted}))
            .await;
        assert_eq!(
            first_error(&answer),
            (2224, "用户池不存在".to_owned()),
            "{pool}: {answer}"
        );
    }
    assert!(app.users_of(&app.pool.pool.id).await.is_empty());
}

#[tokio::test]
async fn the_js_sdk_style_request_with_operation_name_works_too() {
    let app = spawn_app().await;
    let encrypted = encrypt_password(&app, "correct horse").await;
    let body = json!({
        "operationName": "register",
        "query": REGISTER_WX,
        "variables": {"username": "olga", "password": encrypted, "registerInClient": app.pool_id()},
    });
    let reply = app
        .send(
            app.client
                .post(format!("{}/graphql", app.base))
                .header("authorization", "Bearer undefined")
                .json(&body),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(registered(&reply.body)["username"], "olga");
}
