//! Operator accounts as owners manage them: made through the API with a setup link, listed, reset (the old
//! session ends and the old password no longer signs in), deleted (never the last owner); a pool admin operator
//! reaches only their pools.

use chrono::TimeDelta;
use denglu_domain::AdminScope;
use reqwest::Method;
use serde_json::{Value, json};

use super::{
    assert_error,
    browser::{PASSWORD, code, set_up, sign_in, signed_in, whoami},
};
use crate::helpers::spawn_app;

#[tokio::test]
async fn an_owner_makes_lists_resets_and_deletes_operators() {
    let app = spawn_app().await;
    let owner = signed_in(&app, "root", AdminScope::Deployment).await;
    let pool = app.pool_id();

    let made = owner
        .call(
            &app,
            Method::POST,
            "/api/v1/admin/operators",
            Some(&json!({"name": "Pool.Admin", "pools": [pool]})),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.body["operator"]["name"], "pool.admin");
    assert_eq!(made.body["operator"]["setUp"], false);
    assert_eq!(made.body["operator"]["pools"], json!([pool]));
    let token = made.body["setupToken"].as_str().expect("token").to_owned();
    let url = made.body["setupUrl"].as_str().expect("url");
    assert_eq!(url, format!("{}/console/setup#{token}", app.base));

    for (body, why) in [
        (json!({"name": "pool.admin"}), "a taken name"),
        (json!({"name": "has space"}), "a bad name"),
        (json!({"name": "x", "pools": []}), "no pools"),
        (json!({"name": "x", "pools": ["nope"]}), "a malformed pool"),
    ] {
        let reply = owner
            .call(&app, Method::POST, "/api/v1/admin/operators", Some(&body))
            .await;
        assert_error(&reply, 400, 1002);
        assert!(
            !reply.body["message"]
                .as_str()
                .unwrap_or_default()
                .is_empty(),
            "{why}"
        );
    }
    let unknown_pool = owner
        .call(
            &app,
            Method::POST,
            "/api/v1/admin/operators",
            Some(&json!({"name": "x", "pools": ["0123456789abcdef01234567"]})),
        )
        .await;
    assert_error(&unknown_pool, 404, 2224);

    let (authenticator, _) = set_up(&app, &token).await;
    let listed = owner
        .call(&app, Method::GET, "/api/v1/admin/operators", None)
        .await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let names: Vec<&str> = listed.body["operators"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(names, ["root", "pool.admin"]);
    assert!(
        !listed.body.to_string().contains(&token),
        "a list shows no setup token"
    );

    // A reset ends the operator's session, refuses the old password and gives a new link.
    app.clock.advance(TimeDelta::minutes(1));
    let (_, cookie) = sign_in(&app, "pool.admin", PASSWORD, &code(&app, &authenticator)).await;
    let cookie = cookie.expect("signed in");
    let id = made.body["operator"]["id"].as_str().expect("id").to_owned();
    let reset = owner
        .call(
            &app,
            Method::POST,
            &format!("/api/v1/admin/operators/{id}/reset"),
            None,
        )
        .await;
    assert_eq!(reset.status, 200, "{}", reset.body);
    assert_eq!(reset.body["operator"]["setUp"], false);
    let new_token = reset.body["setupToken"].as_str().expect("token");
    assert_ne!(new_token, token);
    let ended = whoami(&app, &cookie).await;
    assert_error(&ended, 401, 4506);
    app.clock.advance(TimeDelta::seconds(30));
    let (old, _) = sign_in(&app, "pool.admin", PASSWORD, &code(&app, &authenticator)).await;
    assert_error(&old, 401, 4503);
    assert_error(
        &app.post_json("/api/v1/admin/setup/totp", &json!({"setupToken": token}))
            .await,
        400,
        4505,
    );
    set_up(&app, new_token).await;

    let deleted = owner
        .call(
            &app,
            Method::DELETE,
            &format!("/api/v1/admin/operators/{id}"),
            None,
        )
        .await;
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    let again = owner
        .call(
            &app,
            Method::DELETE,
            &format!("/api/v1/admin/operators/{id}"),
            None,
        )
        .await;
    assert_error(&again, 400, 1002);
    let malformed = owner
        .call(&app, Method::DELETE, "/api/v1/admin/operators/nope", None)
        .await;
    assert_error(&malformed, 400, 1002);

    let me = owner
        .call(&app, Method::GET, "/api/v1/admin/whoami", None)
        .await;
    let root_id = me.body["operator"]["id"].as_str().expect("id");
    let last = owner
        .call(
            &app,
            Method::DELETE,
            &format!("/api/v1/admin/operators/{root_id}"),
            None,
        )
        .await;
    assert_error(&last, 400, 1002);
    assert!(
        last.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("last owner"),
        "{}",
        last.body
    );
}

#[tokio::test]
async fn the_first_operator_must_be_an_owner() {
    let app = spawn_app().await;
    let refused = app
        .services
        .admin(&denglu_service::Operator::command_line())
        .create_operator("first", AdminScope::Pools(vec![app.pool.pool.id.clone()]))
        .await
        .expect_err("a pool admin cannot be first");
    assert!(refused.to_string().contains("owner"), "{refused}");
}

#[tokio::test]
async fn a_pool_admin_operator_reaches_only_their_pools() {
    let app = spawn_app().await;
    let other = app
        .services
        .pools()
        .create(crate::helpers::pool_settings(
            denglu_domain::JwtAlgorithm::ES256,
            denglu_domain::RegistrationPolicy::Open,
        ))
        .await
        .expect("pool");
    let other_id = other.pool.id.to_string();
    signed_in(&app, "root", AdminScope::Deployment).await;
    let admin = signed_in(
        &app,
        "mine",
        AdminScope::Pools(vec![app.pool.pool.id.clone()]),
    )
    .await;

    let pools = admin
        .call(&app, Method::GET, "/api/v1/admin/pools", None)
        .await;
    assert_eq!(pools.status, 200, "{}", pools.body);
    let ids: Vec<&str> = pools.body["pools"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(ids, [app.pool_id().as_str()]);
    let me = admin
        .call(&app, Method::GET, "/api/v1/admin/whoami", None)
        .await;
    assert_eq!(me.body["pools"], json!([app.pool_id()]));

    for (method, path, body) in [
        (Method::GET, format!("/api/v1/admin/pools/{other_id}"), None),
        (
            Method::PATCH,
            format!("/api/v1/admin/pools/{other_id}"),
            Some(json!({"name": "taken over"})),
        ),
        (
            Method::GET,
            format!("/api/v1/admin/pools/{other_id}/users"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/admin/pools/{other_id}/keys"),
            None,
        ),
        (Method::GET, "/api/v1/admin/operators".to_owned(), None),
        (
            Method::POST,
            "/api/v1/admin/operators".to_owned(),
            Some(json!({"name": "sneaky"})),
        ),
        (
            Method::POST,
            "/api/v1/admin/pools".to_owned(),
            Some(json!({"name": "mine too"})),
        ),
        (Method::GET, "/api/v1/admin/tokens".to_owned(), None),
    ] {
        let reply = admin.call(&app, method.clone(), &path, body.as_ref()).await;
        assert_error(&reply, 403, 1001);
        assert_ne!(reply.body, Value::Null, "{method} {path}");
    }
    let own = admin
        .call(
            &app,
            Method::PATCH,
            &format!("/api/v1/admin/pools/{}", app.pool_id()),
            Some(&json!({"name": "Renamed"})),
        )
        .await;
    assert_eq!(own.status, 200, "{}", own.body);
    let untouched = app.services.pools().list().await.expect("pools");
    assert!(
        untouched
            .iter()
            .any(|p| p.id == other.pool.id && p.name.as_str() == other.pool.name.as_str())
    );
}
