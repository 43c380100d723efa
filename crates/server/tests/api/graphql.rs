//! `POST /graphql`: the real SDKs' documents sent verbatim (spec `authing-compat.md` §1.4, §5.4, §6.2), with
//! and without `operationName`, and Authing's error shape `errors[0].message = {code, message}` on HTTP 200.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Duration;
use denglu_domain::{JwtAlgorithm, RegistrationPolicy};
use serde_json::{Value, json};

use crate::helpers::{TestApp, pool_settings, spawn_app, spawn_app_with};

// The documents, as the SDKs send them (whitespace collapsed, as in the spec).

/// authing-wxapp-sdk `checkLoginStatus()`: no variables, the token is the header's.
const CHECK_LOGIN_STATUS_WX: &str =
    "query checkLoginStatus { checkLoginStatus { status code message } }";
/// authing-js-sdk `checkLoginStatus(token)`.
const CHECK_LOGIN_STATUS_JS: &str = "query checkLoginStatus($token: String) { checkLoginStatus(token: $token) { status code message token { data { email id clientId unionid } iat exp } } }";
/// authing-js-sdk `decodeToken(token)`.
const DECODE_JWT_TOKEN: &str = "query decodeJwtToken($token: String) { decodeJwtToken(token: $token) { data { email id clientId } status { code message } iat exp } }";
const USER_METADATA: &str = "query userMetadata($_id: String!) { userMetadata(_id: $_id) { totalCount list { key value } } }";
const SET_USER_METADATA: &str = "mutation setUserMetadata($input: SetUserMetadataInput!) { setUserMetadata(input: $input) { totalCount list { key value } } }";
const REMOVE_USER_METADATA: &str = "mutation removeUserMetadata($input: RemoveUserMetadataInput!){ removeUserMetadata(input: $input){ totalCount list { key value } } }";
/// authing-wxapp-sdk `changeAvatar` step 3.
const UPDATE_USER_PHOTO: &str = "mutation UpdateUser($_id: String!, $photo: String, $registerInClient: String!){ updateUser(options: { _id: $_id, photo: $photo, registerInClient: $registerInClient }) { _id email emailVerified username nickname company photo phone browser registerInClient registerMethod oauth token tokenExpiredAt loginsCount lastLogin lastIP signedUp blocked isDeleted } }";
/// authing-wxapp-sdk `logout(userId)`.
const UPDATE_USER_LOGOUT: &str = "mutation UpdateUser($_id: String!, $tokenExpiredAt: String, $registerInClient: String!){ updateUser(options: { _id: $_id, tokenExpiredAt: $tokenExpiredAt, registerInClient: $registerInClient }) { _id email emailVerified username nickname company photo phone browser registerInClient registerMethod oauth token tokenExpiredAt loginsCount lastLogin lastIP signedUp blocked isDeleted } }";
/// authing-js-sdk 3.22.3 `update({_id, nickname})`, as its generator writes it.
const UPDATE_USER_NICKNAME_JS: &str = "mutation UpdateUser($_id: String!, $nickname: String, $registerInClient: String!){ updateUser(options: { _id: $_id, nickname: $nickname, registerInClient: $registerInClient }) { _id email emailVerified username nickname company photo browser registerInClient registerMethod oauth phone token tokenExpiredAt loginsCount lastLogin lastIP signedUp blocked isDeleted metadata } }";
/// authing-js-sdk 3.22.3 `update({_id, email})`.
const UPDATE_USER_EMAIL_JS: &str = "mutation UpdateUser($_id: String!, $email: String, $registerInClient: String!){ updateUser(options: { _id: $_id, email: $email, registerInClient: $registerInClient }) { _id email } }";
/// authing-js-sdk 3.22.3 `user({id})` (`src/functions/user.js`).
const USER_JS: &str = "query user($id: String!, $registerInClient: String!){ user(id: $id, registerInClient: $registerInClient) { _id unionid openid email emailVerified username nickname company photo phone browser device password registerInClient registerMethod oauth token tokenExpiredAt loginsCount lastLogin lastIP signedUp blocked isDeleted name givenName familyName middleName profile preferredUsername website gender birthdate zoneinfo locale address formatted streetAddress locality region postalCode metadata customData salt country updatedAt group { _id name descriptions client permissions createdAt } clientType { _id name description image example } userLocation { _id when where } userLoginHistory { totalCount list { _id when success ip result device browser } } systemApplicationType { _id name descriptions price } thirdPartyIdentity { provider refreshToken expiresIn updatedAt accessToken } } }";
/// The wx SDK's password `login`: not served by denglu's GraphQL.
const LOGIN_WX: &str = "mutation login( $unionid: String, $email: String, $username: String, $password: String, $lastIP: String, $registerInClient: String!, $verifyCode: String ) { login( unionid: $unionid, email: $email, username: $username, password: $password, lastIP: $lastIP, registerInClient: $registerInClient, verifyCode: $verifyCode ) { _id email emailVerified username nickname company photo browser token tokenExpiredAt loginsCount lastLogin lastIP signedUp blocked isDeleted } }";

/// The Node build's start-up document, secret and pool id interpolated (spec §1.4).
fn sdk_init_document(secret: &str, pool: &str) -> String {
    format!(
        "query getClientWhenSdkInit {{ getClientWhenSdkInit(secret: \"{secret}\", clientId: \"{pool}\"){{ accessToken clientInfo {{ _id name descriptions jwtExpired createdAt isDeleted logo emailVerifiedDefault registerDisabled showWXMPQRCode useMiniLogin allowedOrigins clientType {{ _id name description image example }} }} }} }}"
    )
}

/// How a request authenticates.
#[derive(Clone, Copy)]
pub(crate) enum Auth<'a> {
    None,
    /// `Authorization: <exactly this>`.
    Header(&'a str),
    /// `Authorization: Bearer <token>`.
    Bearer(&'a str),
    /// `X-Pool-Secret: <secret>`, no token.
    PoolSecret(&'a str),
}

/// A registered and logged-in user.
struct Member {
    id: String,
    token: String,
}

impl TestApp {
    async fn member(&self, username: &str) -> Member {
        let registered = self.register(username, "correct horse").await;
        assert_eq!(registered.status, 201, "{}", registered.body);
        let login = self.login(username, "correct horse").await;
        assert_eq!(login.status, 200, "{}", login.body);
        Member {
            id: registered.body["_id"].as_str().expect("_id").to_owned(),
            token: login.body["token"].as_str().expect("token").to_owned(),
        }
    }

    /// POSTs `body` to `/graphql` and returns the JSON answer; always HTTP 200.
    async fn graphql_body(&self, body: &Value, auth: Auth<'_>) -> Value {
        let request = self
            .client
            .post(format!("{}/graphql", self.base))
            .header("content-type", "application/json;charset=UTF-8")
            .body(body.to_string());
        let reply = self.send(authenticate(request, auth)).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.body
    }

    /// Sends a document the way the wx SDK does: `{query, variables}`, no `operationName`.
    pub(crate) async fn wx(&self, query: &str, variables: Value, auth: Auth<'_>) -> Value {
        self.graphql_body(&json!({"query": query, "variables": variables}), auth)
            .await
    }

    /// Sends a document the way the js SDK does: with `operationName`.
    async fn js(&self, operation: &str, query: &str, variables: Value, auth: Auth<'_>) -> Value {
        let body = json!({"operationName": operation, "query": query, "variables": variables});
        self.graphql_body(&body, auth).await
    }
}

fn authenticate(request: reqwest::RequestBuilder, auth: Auth<'_>) -> reqwest::RequestBuilder {
    match auth {
        Auth::None => request,
        Auth::Header(value) => request.header("authorization", value),
        Auth::Bearer(token) => request.header("authorization", format!("Bearer {token}")),
        Auth::PoolSecret(secret) => request.header("x-pool-secret", secret),
    }
}

/// `errors[0].message` of an answer, asserting it is Authing's `{code, message}` object.
pub(crate) fn first_error(answer: &Value) -> (u64, String) {
    let message = &answer["errors"][0]["message"];
    assert!(message.is_object(), "message is an object: {answer}");
    (
        message["code"].as_u64().expect("numeric code"),
        message["message"]
            .as_str()
            .expect("message text")
            .to_owned(),
    )
}

fn payload_of(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT has a payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}

#[tokio::test]
async fn check_login_status_reports_a_valid_token_from_the_variable_or_the_header() {
    let app = spawn_app().await;
    let alice = app.member("alice").await;

    let answer = app
        .js(
            "checkLoginStatus",
            CHECK_LOGIN_STATUS_JS,
            json!({"token": alice.token}),
            Auth::Header("Bearer undefined"),
        )
        .await;
    assert!(answer.get("errors").is_none(), "{answer}");
    let status = &answer["data"]["checkLoginStatus"];
    assert_eq!(status["status"], true);
    assert_eq!(status["code"], 200);
    assert_eq!(status["message"], "已登录");
    assert_eq!(status["token"]["data"]["id"], alice.id.as_str());
    assert_eq!(status["token"]["data"]["clientId"], app.pool_id().as_str());
    let (iat, exp) = (
        status["token"]["iat"].as_i64().expect("iat"),
        status["token"]["exp"].as_i64().expect("exp"),
    );
    assert_eq!(exp - iat, 15 * 24 * 3600);

    for auth in [Auth::Bearer(&alice.token), Auth::Header(&alice.token)] {
        let answer = app.wx(CHECK_LOGIN_STATUS_WX, json!({}), auth).await;
        assert_eq!(
            answer,
            json!({"data": {"checkLoginStatus": {"status": true, "code": 200, "message": "已登录"}}})
        );
    }
}

#[tokio::test]
async fn check_login_status_reports_a_missing_token_as_not_logged_in_without_a_graphql_error() {
    let app = spawn_app().await;
    for auth in [
        Auth::None,
        Auth::Header(""),
        Auth::Header("Bearer undefined"),
        Auth::Header("null"),
    ] {
        let answer = app.wx(CHECK_LOGIN_STATUS_WX, Value::Null, auth).await;
        assert_eq!(
            answer,
            json!({"data": {"checkLoginStatus": {"status": false, "code": 2020, "message": "未登录"}}})
        );
    }
    let answer = app
        .js(
            "checkLoginStatus",
            CHECK_LOGIN_STATUS_JS,
            json!({"token": "undefined"}),
            Auth::None,
        )
        .await;
    assert_eq!(answer["data"]["checkLoginStatus"]["code"], 2020);
    assert!(answer["data"]["checkLoginStatus"]["token"].is_null());
}

#[tokio::test]
async fn check_login_status_reports_expired_revoked_and_garbage_tokens() {
    let app = spawn_app().await;
    let bob = app.member("bob").await;
    let check = |token: String| {
        let app = &app;
        async move {
            app.js(
                "checkLoginStatus",
                CHECK_LOGIN_STATUS_JS,
                json!({ "token": token }),
                Auth::Header("Bearer undefined"),
            )
            .await["data"]["checkLoginStatus"]
                .clone()
        }
    };

    let garbage = check("not-a-jwt".to_owned()).await;
    assert_eq!(
        (&garbage["status"], &garbage["code"], &garbage["message"]),
        (&json!(false), &json!(2207), &json!("登录信息有误"))
    );

    app.clock.advance(Duration::days(15) + Duration::seconds(1));
    let expired = check(bob.token.clone()).await;
    assert_eq!(
        (&expired["status"], &expired["code"], &expired["message"]),
        (&json!(false), &json!(2206), &json!("登录信息已过期"))
    );

    let fresh = app.login("bob", "correct horse").await.body["token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(check(fresh.clone()).await["status"], true);
    let logout = app
        .send(
            app.client
                .post(format!("{}/api/v1/logout", app.base))
                .bearer_auth(&fresh),
        )
        .await;
    assert_eq!(logout.status, 204);
    let revoked = check(fresh).await;
    assert_eq!(
        (&revoked["status"], &revoked["code"]),
        (&json!(false), &json!(2206))
    );
}

#[tokio::test]
async fn decode_jwt_token_answers_the_payload_and_a_status() {
    let app = spawn_app().await;
    let carol = app.member("carol").await;

    let answer = app
        .js(
            "decodeJwtToken",
            DECODE_JWT_TOKEN,
            json!({"token": carol.token}),
            Auth::None,
        )
        .await;
    let decoded = &answer["data"]["decodeJwtToken"];
    assert_eq!(
        decoded["status"],
        json!({"code": 200, "message": "token 解析正常"})
    );
    assert_eq!(decoded["data"]["id"], carol.id.as_str());
    assert_eq!(decoded["data"]["clientId"], app.pool_id().as_str());
    assert!(decoded["exp"].as_i64().expect("exp") > decoded["iat"].as_i64().expect("iat"));

    let answer = app
        .wx(
            DECODE_JWT_TOKEN,
            json!({"token": "abc.def.ghi"}),
            Auth::None,
        )
        .await;
    let decoded = &answer["data"]["decodeJwtToken"];
    assert_eq!(
        decoded["status"],
        json!({"code": 2207, "message": "登录信息有误"})
    );
    assert!(decoded["data"].is_null() && decoded["exp"].is_null());
}

#[tokio::test]
async fn a_user_sets_reads_and_removes_their_metadata() {
    let app = spawn_app().await;
    let dave = app.member("dave").await;
    let me = Auth::Bearer(&dave.token);

    let set = app
        .wx(
            SET_USER_METADATA,
            json!({"input": {"_id": dave.id, "key": "plan", "value": "gold"}}),
            me,
        )
        .await;
    assert_eq!(
        set,
        json!({"data": {"setUserMetadata": {"totalCount": 1, "list": [{"key": "plan", "value": "gold"}]}}})
    );
    let set = app
        .js(
            "setUserMetadata",
            SET_USER_METADATA,
            json!({"input": {"_id": dave.id, "key": "city", "value": "杭州"}}),
            me,
        )
        .await;
    assert_eq!(set["data"]["setUserMetadata"]["totalCount"], 2);

    let read = app
        .js("userMetadata", USER_METADATA, json!({"_id": dave.id}), me)
        .await;
    assert_eq!(
        read["data"]["userMetadata"],
        json!({"totalCount": 2, "list": [
            {"key": "city", "value": "杭州"},
            {"key": "plan", "value": "gold"},
        ]})
    );

    let removed = app
        .wx(
            REMOVE_USER_METADATA,
            json!({"input": {"_id": dave.id, "key": "plan"}}),
            me,
        )
        .await;
    assert_eq!(
        removed["data"]["removeUserMetadata"],
        json!({"totalCount": 1, "list": [{"key": "city", "value": "杭州"}]})
    );
    let removed = app
        .js(
            "removeUserMetadata",
            REMOVE_USER_METADATA,
            json!({"input": {"_id": dave.id, "key": "city"}}),
            me,
        )
        .await;
    assert_eq!(
        removed["data"]["removeUserMetadata"],
        json!({"totalCount": 0, "list": []})
    );
}

#[tokio::test]
async fn a_user_cannot_read_or_change_another_users_metadata() {
    let app = spawn_app().await;
    let erin = app.member("erin").await;
    let mallory = app.member("mallory").await;
    let set = app
        .wx(
            SET_USER_METADATA,
            json!({"input": {"_id": erin.id, "key": "k", "value": "v"}}),
            Auth::Bearer(&erin.token),
        )
        .await;
    assert_eq!(set["data"]["setUserMetadata"]["totalCount"], 1);

    let read = app
        .wx(
            USER_METADATA,
            json!({"_id": erin.id}),
            Auth::Bearer(&mallory.token),
        )
        .await;
    assert_eq!(first_error(&read), (1001, "没有权限执行此操作".to_owned()));
    assert!(read["data"].is_null(), "{read}");
    assert_eq!(read["errors"][0]["path"], json!(["userMetadata"]));

    let overwrite = app
        .js(
            "setUserMetadata",
            SET_USER_METADATA,
            json!({"input": {"_id": erin.id, "key": "k", "value": "stolen"}}),
            Auth::Bearer(&mallory.token),
        )
        .await;
    assert_eq!(first_error(&overwrite).0, 1001);
    let remove = app
        .wx(
            REMOVE_USER_METADATA,
            json!({"input": {"_id": erin.id, "key": "k"}}),
            Auth::Bearer(&mallory.token),
        )
        .await;
    assert_eq!(first_error(&remove).0, 1001);

    let unchanged = app
        .wx(
            USER_METADATA,
            json!({"_id": erin.id}),
            Auth::Bearer(&erin.token),
        )
        .await;
    assert_eq!(
        unchanged["data"]["userMetadata"]["list"],
        json!([{"key": "k", "value": "v"}])
    );

    let anonymous = app
        .wx(USER_METADATA, json!({"_id": erin.id}), Auth::None)
        .await;
    assert_eq!(first_error(&anonymous), (2020, "未登录".to_owned()));
}

#[tokio::test]
async fn the_pool_secret_acts_on_any_user_of_its_pool() {
    let app = spawn_app().await;
    let frank = app.member("frank").await;
    let grace = app.member("grace").await;
    let secret = app.pool.secret.clone();

    let set = app
        .wx(
            SET_USER_METADATA,
            json!({"input": {"_id": frank.id, "key": "tier", "value": "2", "registerInClient": app.pool_id()}}),
            Auth::PoolSecret(&secret),
        )
        .await;
    assert_eq!(
        set["data"]["setUserMetadata"]["list"],
        json!([{"key": "tier", "value": "2"}]),
        "{set}"
    );

    // With a token of another user of the pool, the pool is the token's.
    let read = app
        .send(
            app.client
                .post(format!("{}/graphql", app.base))
                .bearer_auth(&grace.token)
                .header("x-pool-secret", &secret)
                .json(&json!({"query": USER_METADATA, "variables": {"_id": frank.id}})),
        )
        .await;
    assert_eq!(
        read.body["data"]["userMetadata"]["totalCount"], 1,
        "{}",
        read.body
    );

    let user = app
        .js(
            "user",
            USER_JS,
            json!({"id": frank.id, "registerInClient": app.pool_id()}),
            Auth::PoolSecret(&secret),
        )
        .await;
    assert_eq!(user["data"]["user"]["username"], "frank", "{user}");

    let wrong = app
        .wx(
            USER_METADATA,
            json!({"_id": frank.id}),
            Auth::PoolSecret("not-the-secret"),
        )
        .await;
    assert_eq!(
        first_error(&wrong).0,
        1002,
        "no pool named, no token: {wrong}"
    );
    let wrong = app
        .js(
            "user",
            USER_JS,
            json!({"id": frank.id, "registerInClient": app.pool_id()}),
            Auth::PoolSecret("not-the-secret"),
        )
        .await;
    assert_eq!(first_error(&wrong).0, 1001);
}

#[tokio::test]
async fn a_token_of_another_pool_is_refused_for_a_named_pool() {
    let app = spawn_app().await;
    let local = app.member("heidi").await;
    let other = app
        .services
        .pools()
        .create(pool_settings(JwtAlgorithm::ES256, RegistrationPolicy::Open))
        .await
        .expect("pool");
    let other_pool = other.pool.id.to_string();
    assert_eq!(
        app.register_in(&other_pool, "ivan", "correct horse")
            .await
            .status,
        201
    );
    let login = app.login_in(&other_pool, "ivan", "correct horse").await;
    let stranger = login.body["token"].as_str().expect("token");

    let answer = app
        .js(
            "user",
            USER_JS,
            json!({"id": local.id, "registerInClient": app.pool_id()}),
            Auth::Bearer(stranger),
        )
        .await;
    assert_eq!(first_error(&answer).0, 1001);

    let answer = app
        .js(
            "user",
            USER_JS,
            json!({"id": local.id, "registerInClient": "not-a-pool"}),
            Auth::Bearer(&local.token),
        )
        .await;
    assert_eq!(first_error(&answer), (2224, "用户池不存在".to_owned()));
}

#[tokio::test]
async fn metadata_limits_are_refused_with_their_reason() {
    let app = spawn_app().await;
    let judy = app.member("judy").await;
    let me = Auth::Bearer(&judy.token);
    let set = |key: String, value: &'static str| {
        let app = &app;
        let id = judy.id.clone();
        async move {
            app.wx(
                SET_USER_METADATA,
                json!({"input": {"_id": id, "key": key, "value": value}}),
                me,
            )
            .await
        }
    };

    let long_key = set("k".repeat(65), "v").await;
    assert_eq!(
        first_error(&long_key),
        (1002, "a metadata key has 1 to 64 characters".to_owned())
    );
    let empty_key = set(String::new(), "v").await;
    assert_eq!(first_error(&empty_key).0, 1002);

    for n in 0..50 {
        let answer = set(format!("key{n:02}"), "v").await;
        assert_eq!(
            answer["data"]["setUserMetadata"]["totalCount"],
            n + 1,
            "{answer}"
        );
    }
    let too_many = set("key50".to_owned(), "v").await;
    assert_eq!(
        first_error(&too_many),
        (1002, "a user has at most 50 metadata keys".to_owned())
    );
    let overwrite = set("key00".to_owned(), "w").await;
    assert_eq!(
        overwrite["data"]["setUserMetadata"]["list"][0],
        json!({"key": "key00", "value": "w"}),
        "an existing key can still change"
    );
}

#[tokio::test]
async fn concurrent_new_metadata_keys_stop_at_the_limit() {
    let app = spawn_app().await;
    let kim = app.member("kim").await;
    let me = Auth::Bearer(&kim.token);
    let set = |key: String| {
        let app = &app;
        let id = kim.id.clone();
        async move {
            app.wx(
                SET_USER_METADATA,
                json!({"input": {"_id": id, "key": key, "value": "v"}}),
                me,
            )
            .await
        }
    };
    for n in 0..45 {
        let answer = set(format!("key{n:02}")).await;
        assert_eq!(
            answer["data"]["setUserMetadata"]["totalCount"],
            n + 1,
            "{answer}"
        );
    }

    // 20 new keys at once for the 5 free places: the limit is part of the write, so no two of them both take
    // the last place.
    let answers = futures_util::future::join_all((0..20).map(|n| set(format!("new{n:02}")))).await;
    let (stored, refused): (Vec<&Value>, Vec<&Value>) = answers
        .iter()
        .partition(|answer| answer["errors"].is_null());
    assert_eq!(stored.len(), 5, "{answers:#?}");
    for answer in stored {
        let count = answer["data"]["setUserMetadata"]["totalCount"]
            .as_u64()
            .expect("totalCount");
        assert!((46..=50).contains(&count), "{answer}");
    }
    for answer in refused {
        assert_eq!(
            first_error(answer),
            (1002, "a user has at most 50 metadata keys".to_owned())
        );
    }
    let read = app.wx(USER_METADATA, json!({"_id": kim.id}), me).await;
    assert_eq!(read["data"]["userMetadata"]["totalCount"], 50, "{read}");
    assert_eq!(
        read["data"]["userMetadata"]["list"]
            .as_array()
            .map(Vec::len),
        Some(50),
        "{read}"
    );
}

#[tokio::test]
async fn update_user_changes_photo_and_nickname_and_refuses_what_it_does_not_change() {
    let app = spawn_app().await;
    let ken = app.member("ken").await;
    let me = Auth::Bearer(&ken.token);

    let photo = "https://cdn.example.com/avatar/wechatapp/ken.png";
    let answer = app
        .wx(
            UPDATE_USER_PHOTO,
            json!({"_id": ken.id, "photo": photo, "registerInClient": app.pool_id()}),
            me,
        )
        .await;
    let user = &answer["data"]["updateUser"];
    assert_eq!(user["photo"], photo, "{answer}");
    assert_eq!(user["_id"], ken.id.as_str());
    assert_eq!(user["username"], "ken");
    assert_eq!(user["registerInClient"], app.pool_id().as_str());
    assert_eq!(user["registerMethod"], "default:username-password");
    assert!(user["token"].is_null());
    assert_eq!(user["isDeleted"], false);

    let answer = app
        .js(
            "UpdateUser",
            UPDATE_USER_NICKNAME_JS,
            json!({"_id": ken.id, "nickname": "肯", "registerInClient": app.pool_id()}),
            me,
        )
        .await;
    assert_eq!(answer["data"]["updateUser"]["nickname"], "肯", "{answer}");
    assert_eq!(
        answer["data"]["updateUser"]["photo"], photo,
        "the photo stays"
    );

    let bad_photo = app
        .wx(
            UPDATE_USER_PHOTO,
            json!({"_id": ken.id, "photo": "javascript:alert(1)", "registerInClient": app.pool_id()}),
            me,
        )
        .await;
    assert_eq!(
        first_error(&bad_photo),
        (1002, "a photo is an absolute http(s) URL".to_owned())
    );

    let email = app
        .js(
            "UpdateUser",
            UPDATE_USER_EMAIL_JS,
            json!({"_id": ken.id, "email": "ken@example.com", "registerInClient": app.pool_id()}),
            me,
        )
        .await;
    let (code, message) = first_error(&email);
    assert_eq!(code, 1002);
    assert!(message.contains("email"), "{message}");

    let other = app.member("leo").await;
    let answer = app
        .wx(
            UPDATE_USER_PHOTO,
            json!({"_id": other.id, "photo": photo, "registerInClient": app.pool_id()}),
            me,
        )
        .await;
    assert_eq!(first_error(&answer).0, 1001);
}

#[tokio::test]
async fn update_user_with_token_expired_at_zero_logs_the_user_out() {
    let app = spawn_app().await;
    let mia = app.member("mia").await;

    let answer = app
        .wx(
            UPDATE_USER_LOGOUT,
            json!({"_id": mia.id, "tokenExpiredAt": "0", "registerInClient": app.pool_id()}),
            Auth::Bearer(&mia.token),
        )
        .await;
    assert_eq!(
        answer["data"]["updateUser"]["_id"],
        mia.id.as_str(),
        "{answer}"
    );

    let status = app
        .wx(CHECK_LOGIN_STATUS_WX, json!({}), Auth::Bearer(&mia.token))
        .await;
    assert_eq!(
        status["data"]["checkLoginStatus"],
        json!({"status": false, "code": 2206, "message": "登录信息已过期"})
    );

    let other_value = app
        .wx(
            UPDATE_USER_LOGOUT,
            json!({"_id": mia.id, "tokenExpiredAt": "2030-01-01T00:00:00.000Z", "registerInClient": app.pool_id()}),
            Auth::PoolSecret(&app.pool.secret),
        )
        .await;
    assert_eq!(first_error(&other_value).0, 1002);
}

#[tokio::test]
async fn the_user_query_answers_the_js_sdks_document() {
    let app = spawn_app().await;
    let nina = app.member("nina").await;

    let answer = app
        .js(
            "user",
            USER_JS,
            json!({"id": nina.id, "registerInClient": app.pool_id()}),
            Auth::Bearer(&nina.token),
        )
        .await;
    assert!(answer.get("errors").is_none(), "{answer}");
    let user = &answer["data"]["user"];
    assert_eq!(user["_id"], nina.id.as_str());
    assert_eq!(user["username"], "nina");
    assert_eq!(user["loginsCount"], 1);
    assert_eq!(user["lastIP"], "127.0.0.1");
    assert!(user["signedUp"].as_str().expect("signedUp").ends_with('Z'));
    assert!(user["updatedAt"].is_string());
    for never in ["password", "salt", "token", "group", "userLoginHistory"] {
        assert!(user[never].is_null(), "{never} is null: {user}");
    }

    let missing = app
        .js(
            "user",
            USER_JS,
            json!({"id": "000000000000000000000000", "registerInClient": app.pool_id()}),
            Auth::PoolSecret(&app.pool.secret),
        )
        .await;
    assert_eq!(first_error(&missing), (2004, "用户不存在".to_owned()));
}

#[tokio::test]
async fn get_client_when_sdk_init_answers_the_node_sdk_with_a_placeholder_token() {
    let app = spawn_app().await;
    let pool = app.pool_id();

    let answer = app
        .js(
            "getClientWhenSdkInit",
            &sdk_init_document(&app.pool.secret, &pool),
            Value::Null,
            Auth::Header(""),
        )
        .await;
    assert!(answer.get("errors").is_none(), "{answer}");
    let init = &answer["data"]["getClientWhenSdkInit"];
    assert_eq!(init["clientInfo"]["_id"], pool.as_str());
    assert_eq!(init["clientInfo"]["name"], "Test pool");
    assert_eq!(init["clientInfo"]["jwtExpired"], 15 * 24 * 3600);
    assert_eq!(init["clientInfo"]["registerDisabled"], false);
    assert!(init["clientInfo"]["clientType"].is_null());
    let token = init["accessToken"].as_str().expect("accessToken");
    let payload = payload_of(token);
    let now = app.services.clock().now().timestamp();
    assert!(payload["exp"].as_i64().expect("numeric exp") > now);

    // The placeholder grants nothing.
    let nina = app.member("nina").await;
    let status = app
        .wx(CHECK_LOGIN_STATUS_WX, json!({}), Auth::Bearer(token))
        .await;
    assert_eq!(status["data"]["checkLoginStatus"]["status"], false);
    let read = app
        .wx(USER_METADATA, json!({"_id": nina.id}), Auth::Bearer(token))
        .await;
    assert_eq!(first_error(&read).0, 2207);

    let wrong = app
        .js(
            "getClientWhenSdkInit",
            &sdk_init_document("wrong-secret", &pool),
            Value::Null,
            Auth::Header(""),
        )
        .await;
    assert_eq!(first_error(&wrong), (1001, "没有权限执行此操作".to_owned()));
    assert!(wrong["data"].is_null());
}

#[tokio::test]
async fn requests_that_are_not_graphql_get_error_1002() {
    let app = spawn_app().await;
    let not_json = app
        .send(
            app.client
                .post(format!("{}/graphql", app.base))
                .header("content-type", "application/json")
                .body("{\"query\": "),
        )
        .await;
    assert_eq!(not_json.status, 200);
    assert_eq!(first_error(&not_json.body).0, 1002);
    assert!(not_json.body["data"].is_null());

    let login = app
        .wx(
            LOGIN_WX,
            json!({"username": "x", "password": "y", "registerInClient": app.pool_id()}),
            Auth::None,
        )
        .await;
    let (code, message) = first_error(&login);
    assert_eq!(code, 1002);
    assert!(message.contains("login"), "{message}");

    let syntax = app
        .wx(
            "query { checkLoginStatus { status ",
            Value::Null,
            Auth::None,
        )
        .await;
    assert_eq!(first_error(&syntax).0, 1002);
    assert!(syntax["errors"][0]["locations"].is_array(), "{syntax}");

    let missing_variable = app.wx(USER_METADATA, json!({}), Auth::None).await;
    assert_eq!(first_error(&missing_variable).0, 1002);
}

#[tokio::test]
async fn the_schema_introspects_with_the_input_type_names_the_documents_declare() {
    let app = spawn_app().await;
    let query = "{ __schema { queryType { name } mutationType { name } types { name kind inputFields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }";
    let answer = app.wx(query, Value::Null, Auth::None).await;
    assert!(answer.get("errors").is_none(), "{answer}");
    let schema = &answer["data"]["__schema"];
    assert_eq!(schema["queryType"]["name"], "Query");
    assert_eq!(schema["mutationType"]["name"], "Mutation");
    let types = schema["types"].as_array().expect("types");
    let input_fields = |name: &str| -> Vec<String> {
        types
            .iter()
            .find(|t| t["name"] == name)
            .and_then(|t| t["inputFields"].as_array())
            .map(|fields| {
                fields
                    .iter()
                    .filter_map(|f| f["name"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        input_fields("SetUserMetadataInput"),
        ["_id", "key", "value", "registerInClient"]
    );
    assert_eq!(
        input_fields("RemoveUserMetadataInput"),
        ["_id", "key", "registerInClient"]
    );
    assert!(types.iter().any(|t| t["name"] == "ExtendUser"));
}

#[tokio::test]
async fn a_body_over_the_limit_gets_error_1003_in_the_graphql_shape() {
    let app = spawn_app_with(denglu_server::HttpSettings {
        max_body_bytes: 256,
        ..denglu_server::HttpSettings::default()
    })
    .await;
    let padding = "x".repeat(300);
    let body = json!({"query": CHECK_LOGIN_STATUS_WX, "variables": {"padding": padding}});
    let answer = app.graphql_body(&body, Auth::None).await;
    assert_eq!(first_error(&answer), (1003, "请求体过大".to_owned()));
    assert!(answer["data"].is_null());
}

/// The wx SDK's `login` document, verbatim (spec §5.4).
pub(crate) const LOGIN: &str = "mutation login( $unionid: String, $email: String, $username: String, $password: String, $lastIP: String, $registerInClient: String!, $verifyCode: String ) { login( unionid: $unionid, email: $email, username: $username, password: $password, lastIP: $lastIP, registerInClient: $registerInClient, verifyCode: $verifyCode ) { _id email emailVerified username nickname company photo browser token tokenExpiredAt loginsCount lastLogin lastIP signedUp blocked isDeleted } }";

/// Encrypts `password` the way the SDKs do: RSA PKCS#1 v1.5 with the server's login key, standard base64.
pub(crate) async fn encrypt_password(app: &TestApp, password: &str) -> String {
    use rsa::{Pkcs1v15Encrypt, RsaPublicKey, pkcs8::DecodePublicKey};
    let pem = app
        .client
        .get(format!("{}/api/v1/login-key.pem", app.base))
        .send()
        .await
        .expect("key")
        .text()
        .await
        .expect("pem");
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"), "{pem}");
    let key = RsaPublicKey::from_public_key_pem(&pem).expect("an RSA public key");
    let block = key
        .encrypt(
            &mut rand::thread_rng(),
            Pkcs1v15Encrypt,
            password.as_bytes(),
        )
        .expect("encrypt");
    base64::engine::general_purpose::STANDARD.encode(block)
}

#[tokio::test]
async fn login_takes_a_password_encrypted_with_the_published_login_key() {
    let app = spawn_app().await;
    let member = app.member("dora").await;
    let pool = app.pool_id();

    let encrypted = encrypt_password(&app, "correct horse").await;
    let answer = app
        .wx(
            LOGIN,
            json!({"username": "dora", "password": encrypted, "registerInClient": pool}),
            Auth::None,
        )
        .await;
    let user = &answer["data"]["login"];
    assert_eq!(user["_id"], member.id.as_str(), "{answer}");
    let token = user["token"].as_str().expect("a token");
    assert_eq!(
        app.get(&format!("/authing/token?access_token={token}"))
            .await
            .body["status"],
        true
    );

    let wrong = encrypt_password(&app, "wrong password").await;
    let refused = app
        .wx(
            LOGIN,
            json!({"username": "dora", "password": wrong, "registerInClient": pool}),
            Auth::None,
        )
        .await;
    assert_eq!(first_error(&refused).0, 2006, "{refused}");
    let plain = app
        .wx(
            LOGIN,
            json!({"username": "dora", "password": "correct horse", "registerInClient": pool}),
            Auth::None,
        )
        .await;
    assert_eq!(
        first_error(&plain).0,
        1002,
        "an unencrypted password is refused: {plain}"
    );
}

#[tokio::test]
async fn passwords_that_do_not_decrypt_count_toward_the_guessing_limit() {
    let app = spawn_app().await;
    app.member("erin").await; // one login
    let pool = app.pool_id();
    for _ in 0..9 {
        let garbage = app
            .wx(
                LOGIN,
                json!({"username": "erin", "password": "bm90IGVuY3J5cHRlZA==", "registerInClient": pool}),
                Auth::None,
            )
            .await;
        assert_eq!(first_error(&garbage).0, 1002, "{garbage}");
    }
    let encrypted = encrypt_password(&app, "correct horse").await;
    let limited = app
        .wx(
            LOGIN,
            json!({"username": "erin", "password": encrypted, "registerInClient": pool}),
            Auth::None,
        )
        .await;
    assert_eq!(
        first_error(&limited).0,
        4290,
        "the eleventh try in a minute: {limited}"
    );
}

#[tokio::test]
async fn nul_characters_in_metadata_and_nicknames_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let nina = app.member("nina").await;
    let me = Auth::Bearer(&nina.token);
    for (key, value, field) in [("a\u{0}b", "v", "key"), ("k", "v\u{0}", "value")] {
        let answer = app
            .wx(
                SET_USER_METADATA,
                json!({"input": {"_id": nina.id, "key": key, "value": value}}),
                Auth::Bearer(&nina.token),
            )
            .await;
        assert_eq!(
            first_error(&answer),
            (1002, format!("`{field}` contains a NUL character"))
        );
    }
    let renamed = app
        .js(
            "UpdateUser",
            UPDATE_USER_NICKNAME_JS,
            json!({"_id": nina.id, "nickname": "Ni\u{0}na", "registerInClient": app.pool_id()}),
            me,
        )
        .await;
    assert_eq!(
        first_error(&renamed),
        (1002, "`nickname` contains a NUL character".to_owned())
    );
    let read = app
        .wx(
            USER_METADATA,
            json!({"_id": nina.id}),
            Auth::Bearer(&nina.token),
        )
        .await;
    assert_eq!(
        read["data"]["userMetadata"],
        json!({"totalCount": 0, "list": []}),
        "nothing was stored: {read}"
    );
}
