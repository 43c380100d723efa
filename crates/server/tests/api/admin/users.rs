//! Users through the admin API: search (fields, prefix and exact, filters, cursor paging), the whole record, create,
//! change the profile and the metadata, block and unblock, log out everywhere, and erase.

use reqwest::Method;
use serde_json::{Value, json};

use super::{admin_token, assert_error, call, get, owner, post};
use crate::helpers::{MINI_PROGRAM, TestApp, spawn_app};

/// Logs a new WeChat user in through the mini program SDK route; returns the user object (with its token).
async fn wechat_user(app: &TestApp, nickname: &str) -> Value {
    let user = app
        .wechat
        .create_user(denglu_wechat_sim::NewUser {
            nickname: nickname.to_owned(),
            avatar_url: format!("https://example.com/{nickname}.png"),
            phone: None,
        })
        .expect("user");
    let code = app.wechat.login(MINI_PROGRAM.0, user).expect("wx.login");
    let reply = app
        .post_json(
            &format!("/oauth/wechatapp/auth/{}", app.pool_id()),
            &json!({"code": code}),
        )
        .await;
    assert_eq!(reply.body["code"], 200, "{}", reply.body);
    reply.body["data"].clone()
}

fn ids(reply: &Value) -> Vec<String> {
    reply["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|user| user["_id"].as_str().expect("_id").to_owned())
        .collect()
}

#[tokio::test]
async fn users_are_found_by_any_of_their_fields_by_prefix_or_exactly() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    let made = post(
        &app,
        &root,
        &format!("/api/v1/admin/pools/{pool}/users"),
        &json!({"username": "Alice_W", "email": "alice@example.com", "password": "correct horse", "nickname": "Wonder"}),
    )
    .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let alice = made.body["_id"].as_str().expect("id").to_owned();
    app.register("alfred", "correct horse").await;
    let wechat = wechat_user(&app, "微信用户").await;
    let openid = wechat["openid"].as_str().expect("openid").to_owned();
    let wechat_id = wechat["_id"].as_str().expect("id").to_owned();

    let search = |query: String| {
        let path = format!("/api/v1/admin/pools/{pool}/users?{query}");
        let root = root.clone();
        let app = &app;
        async move { get(app, &root, &path).await }
    };
    let by_prefix = search("q=al".to_owned()).await;
    assert_eq!(by_prefix.status, 200, "{}", by_prefix.body);
    assert_eq!(
        ids(&by_prefix.body).len(),
        2,
        "alice and alfred: {}",
        by_prefix.body
    );
    assert_eq!(
        ids(&search("q=ALICE%40EXAMPLE.COM&match=exact".to_owned())
            .await
            .body),
        vec![alice.clone()]
    );
    assert_eq!(
        ids(&search("q=wond".to_owned()).await.body),
        vec![alice.clone()],
        "nickname, ignoring case"
    );
    assert!(ids(&search("q=al&match=exact".to_owned()).await.body).is_empty());
    assert_eq!(
        ids(&search(format!("q={openid}&match=exact")).await.body),
        vec![wechat_id.clone()]
    );
    assert_eq!(
        ids(&search("q=%25".to_owned()).await.body),
        Vec::<String>::new(),
        "% is not a wildcard"
    );
    let wechat_only = search("registerMethod=oauth:wxapp".to_owned()).await;
    assert_eq!(ids(&wechat_only.body), vec![wechat_id]);

    let first = search("limit=2".to_owned()).await;
    assert_eq!(ids(&first.body).len(), 2);
    let cursor = first.body["nextCursor"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let second = search(format!("limit=2&cursor={cursor}")).await;
    assert_eq!(ids(&second.body).len(), 1);
    assert_eq!(second.body["nextCursor"], Value::Null);
    let mut all: Vec<String> = ids(&first.body)
        .into_iter()
        .chain(ids(&second.body))
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 3, "pages neither repeat nor skip users");

    for (query, field) in [
        ("blocked=maybe", "blocked"),
        ("limit=0", "limit"),
        ("limit=x", "limit"),
        ("createdAfter=yesterday", "createdAfter"),
        ("match=fuzzy", "match"),
        ("cursor=zz", "cursor"),
        ("registerMethod=fax", "registerMethod"),
        ("sort=name", "sort"),
    ] {
        let reply = search(query.to_owned()).await;
        assert_error(&reply, 400, 1002);
        let message = reply.body["message"].as_str().unwrap_or_default();
        assert!(message.contains(field), "{query}: {message}");
    }
}

#[tokio::test]
async fn blocking_logging_out_and_unblocking_act_on_the_users_tokens_at_once() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    let token = app.signed_up_token("ada").await;
    let user = app.check_token(&token).await["token"]["data"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let path = format!("/api/v1/admin/pools/{pool}/users/{user}");

    let blocked = post(&app, &root, &format!("{path}/block"), &json!({})).await;
    assert_eq!(blocked.body["blocked"], true, "{}", blocked.body);
    assert_eq!(app.check_token(&token).await["code"], 2005);
    assert_eq!(app.login("ada", "correct horse").await.body["code"], 2005);
    let blocked_only = get(
        &app,
        &root,
        &format!("/api/v1/admin/pools/{pool}/users?blocked=true"),
    )
    .await;
    assert_eq!(ids(&blocked_only.body), vec![user.clone()]);

    let unblocked = post(&app, &root, &format!("{path}/unblock"), &json!({})).await;
    assert_eq!(unblocked.body["blocked"], false, "{}", unblocked.body);
    let fresh = app.login("ada", "correct horse").await;
    let fresh = fresh.body["token"].as_str().expect("token").to_owned();
    app.clock.advance(chrono::TimeDelta::seconds(2));
    let out = post(&app, &root, &format!("{path}/logout"), &json!({})).await;
    assert_eq!(out.status, 200, "{}", out.body);
    assert_eq!(
        app.check_token(&fresh).await["code"],
        2206,
        "logged out everywhere"
    );
}

#[tokio::test]
async fn a_users_record_shows_identities_metadata_and_events_and_the_profile_changes() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    let wechat = wechat_user(&app, "Lin").await;
    let user = wechat["_id"].as_str().expect("id").to_owned();
    app.services
        .users()
        .set_metadata(
            &denglu_service::Caller::Pool(app.pool.pool.id.clone()),
            &user_id(&user),
            "plan",
            "gold",
        )
        .await
        .expect("metadata");
    let path = format!("/api/v1/admin/pools/{pool}/users/{user}");

    let changed = call(
        &app,
        &root,
        Method::PATCH,
        &path,
        Some(&json!({"nickname": "Lin 2"})),
    )
    .await;
    assert_eq!(changed.body["nickname"], "Lin 2", "{}", changed.body);
    let bad = call(
        &app,
        &root,
        Method::PATCH,
        &path,
        Some(&json!({"photo": "javascript:alert(1)"})),
    )
    .await;
    assert_error(&bad, 400, 1002);

    let shown = get(&app, &root, &path).await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert_eq!(shown.body["user"]["nickname"], "Lin 2");
    assert_eq!(shown.body["identities"][0]["appid"], MINI_PROGRAM.0);
    assert_eq!(shown.body["identities"][0]["openid"], wechat["openid"]);
    assert_eq!(shown.body["metadata"], json!({"plan": "gold"}));
    let event = &shown.body["recentEvents"][0];
    assert_eq!(event["kind"], "user.update", "{event}");
    assert_eq!(
        event["detail"]["before"]["nickname"],
        Value::Null,
        "no profile was shared at login"
    );
    assert_eq!(event["detail"]["after"]["nickname"], "Lin 2");
    assert_error(
        &get(
            &app,
            &root,
            &format!("/api/v1/admin/pools/{pool}/users/0123456789abcdef01234567"),
        )
        .await,
        404,
        2004,
    );
    assert_error(
        &get(
            &app,
            &root,
            &format!("/api/v1/admin/pools/{pool}/users/nope"),
        )
        .await,
        404,
        2004,
    );
}

#[tokio::test]
async fn an_erased_user_is_gone_with_identities_metadata_and_tokens() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    let wechat = wechat_user(&app, "Mei").await;
    let user = wechat["_id"].as_str().expect("id").to_owned();
    let token = wechat["token"].as_str().expect("token").to_owned();
    let id = user_id(&user);
    app.services
        .users()
        .set_metadata(
            &denglu_service::Caller::Pool(app.pool.pool.id.clone()),
            &id,
            "k",
            "v",
        )
        .await
        .expect("metadata");
    let path = format!("/api/v1/admin/pools/{pool}/users/{user}");

    let erased = call(&app, &root, Method::DELETE, &path, None).await;
    assert_eq!(erased.status, 204, "{}", erased.body);
    assert_error(&get(&app, &root, &path).await, 404, 2004);
    assert_ne!(app.check_token(&token).await["status"], true);
    let admin = app.store.admin();
    assert!(
        admin
            .wechat_identities(&app.pool.pool.id, &id)
            .await
            .expect("identities")
            .is_empty()
    );
    assert!(
        app.store
            .user_metadata(&app.pool.pool.id, &id)
            .await
            .expect("metadata")
            .is_empty()
    );
    assert_error(
        &call(&app, &root, Method::DELETE, &path, None).await,
        404,
        2004,
    );

    let again = wechat_user(&app, "Mei").await;
    assert_ne!(
        again["_id"],
        json!(user),
        "the same WeChat person comes back as a new user"
    );
}

#[tokio::test]
async fn metadata_keys_are_set_overwritten_and_removed_and_each_change_is_audited() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    let made = post(
        &app,
        &root,
        &format!("/api/v1/admin/pools/{pool}/users"),
        &json!({"username": "meta", "password": "correct horse"}),
    )
    .await;
    let user = made.body["_id"].as_str().expect("id").to_owned();
    let key_path = |key: &str| format!("/api/v1/admin/pools/{pool}/users/{user}/metadata/{key}");
    let put = |key: &str, value: &str| {
        let (path, root, app) = (key_path(key), root.clone(), &app);
        let body = json!({ "value": value });
        async move { call(app, &root, Method::PUT, &path, Some(&body)).await }
    };

    let set = put("plan", "gold").await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(set.body, json!({"metadata": {"plan": "gold"}}));
    let second = put("region", "north").await;
    assert_eq!(
        second.body,
        json!({"metadata": {"plan": "gold", "region": "north"}}),
        "the reply holds every key"
    );
    let overwritten = put("plan", "silver").await;
    assert_eq!(
        overwritten.body["metadata"],
        json!({"plan": "silver", "region": "north"})
    );
    let spaced = put("two%20words", "").await;
    assert_eq!(spaced.status, 200, "{}", spaced.body);
    assert_eq!(spaced.body["metadata"]["two words"], "", "an escaped key");

    let removed = call(&app, &root, Method::DELETE, &key_path("plan"), None).await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert_eq!(
        removed.body["metadata"],
        json!({"region": "north", "two words": ""})
    );
    let absent = call(&app, &root, Method::DELETE, &key_path("plan"), None).await;
    assert_eq!(absent.status, 200, "an absent key is fine: {}", absent.body);
    let shown = get(
        &app,
        &root,
        &format!("/api/v1/admin/pools/{pool}/users/{user}"),
    )
    .await;
    assert_eq!(
        shown.body["metadata"],
        json!({"region": "north", "two words": ""})
    );

    let long_key = put(&"k".repeat(65), "v").await;
    assert_error(&long_key, 400, 1002);
    assert!(
        long_key.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("metadata key has 1 to 64 characters"),
        "{}",
        long_key.body
    );
    let long_value = put("bio", &"v".repeat(1025)).await;
    assert_error(&long_value, 400, 1002);
    assert!(
        long_value.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("metadata value has at most 1024 characters"),
        "{}",
        long_value.body
    );
    let no_value = call(&app, &root, Method::PUT, &key_path("bio"), Some(&json!({}))).await;
    assert_error(&no_value, 400, 1002);

    let nobody = format!("/api/v1/admin/pools/{pool}/users/0123456789abcdef01234567/metadata/plan");
    assert_error(
        &call(
            &app,
            &root,
            Method::PUT,
            &nobody,
            Some(&json!({"value": "x"})),
        )
        .await,
        404,
        2004,
    );
    assert_error(
        &call(&app, &root, Method::DELETE, &nobody, None).await,
        404,
        2004,
    );
    let reader = admin_token(&app, Some(vec![app.pool.pool.id.clone()]), false).await;
    assert_error(
        &call(
            &app,
            &reader,
            Method::PUT,
            &key_path("plan"),
            Some(&json!({"value": "x"})),
        )
        .await,
        403,
        1001,
    );
    assert_error(
        &call(&app, &reader, Method::DELETE, &key_path("region"), None).await,
        403,
        1001,
    );

    let events = get(
        &app,
        &root,
        &format!("/api/v1/admin/audit?kind=user.metadata&user={user}"),
    )
    .await;
    let details: Vec<Value> = events.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|event| event["detail"].clone())
        .collect();
    assert_eq!(
        details,
        [
            json!({"key": "plan", "removed": true}),
            json!({"key": "plan", "removed": true}),
            json!({"key": "two words", "removed": false}),
            json!({"key": "plan", "removed": false}),
            json!({"key": "region", "removed": false}),
            json!({"key": "plan", "removed": false}),
        ],
        "newest first; refused changes are not recorded: {}",
        events.body
    );
    assert_eq!(events.body["events"][0]["poolId"], pool.as_str());
    assert_eq!(events.body["events"][0]["code"], Value::Null);
}

fn user_id(raw: &str) -> denglu_domain::UserId {
    denglu_domain::UserId::parse(raw).expect("a user id")
}
