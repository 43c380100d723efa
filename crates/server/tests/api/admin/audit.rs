//! The audit log: who changed what, from where, with what before and after, never a secret; filters, paging, and
//! the retention purge.

use denglu_domain::Clock;
use reqwest::Method;
use serde_json::{Value, json};

use super::{assert_error, call, get, owner, post};
use crate::helpers::spawn_app;

fn kinds(page: &Value) -> Vec<String> {
    page["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|event| event["kind"].as_str().expect("kind").to_owned())
        .collect()
}

#[tokio::test]
async fn every_admin_change_is_recorded_with_its_actor_address_and_change_and_no_secret() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    let whoami = get(&app, &root, "/api/v1/admin/whoami").await;
    let actor = whoami.body["actor"].as_str().expect("actor").to_owned();
    assert!(actor.starts_with("token:"), "{actor}");

    let renamed = call(
        &app,
        &root,
        Method::PATCH,
        &format!("/api/v1/admin/pools/{pool}"),
        Some(&json!({"name": "Renamed"})),
    )
    .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let secret = post(
        &app,
        &root,
        &format!("/api/v1/admin/pools/{pool}/secret"),
        &json!({}),
    )
    .await;
    let secret = secret.body["secret"].as_str().expect("secret").to_owned();
    let token = post(&app, &root, "/api/v1/admin/tokens", &json!({"name": "bot"})).await;
    let token_secret = token.body["secret"].as_str().expect("secret").to_owned();
    let refused = call(
        &app,
        &root,
        Method::PATCH,
        &format!("/api/v1/admin/pools/{pool}"),
        Some(&json!({"name": ""})),
    )
    .await;
    assert_error(&refused, 400, 1002);

    let page = get(&app, &root, "/api/v1/admin/audit").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        kinds(&page.body)[..3],
        ["admin_token.create", "pool.rotate_secret", "pool.update"],
        "newest first; a refused change changed nothing and is not a change: {}",
        page.body
    );
    let update = &page.body["events"][2];
    assert_eq!(update["actor"], actor.as_str());
    assert_eq!(update["poolId"], pool.as_str());
    assert_eq!(update["ip"], "127.0.0.1");
    assert_eq!(update["userAgent"], "admin-tests/1.0");
    assert_eq!(update["code"], Value::Null);
    assert_eq!(
        update["detail"]["before"]["name"],
        app.pool.pool.name.as_str()
    );
    assert_eq!(update["detail"]["after"]["name"], "Renamed");
    let text = page.body.to_string();
    for leaked in [&secret, &token_secret, &root, &app.pool.secret] {
        assert!(
            !text.contains(leaked.as_str()),
            "the audit log holds no secret"
        );
    }

    let cli = app
        .services
        .admin(&denglu_service::Operator::command_line())
        .rotate_signing_key(&app.pool.pool.id)
        .await
        .expect("rotated");
    let keys = get(&app, &root, "/api/v1/admin/audit?kind=key").await;
    assert_eq!(kinds(&keys.body), ["key.rotate"]);
    assert_eq!(keys.body["events"][0]["actor"], "cli");
    assert_eq!(keys.body["events"][0]["detail"]["kid"], cli.kid.as_str());
    let by_actor = get(
        &app,
        &root,
        &format!("/api/v1/admin/audit?actor={actor}&kind=pool"),
    )
    .await;
    assert_eq!(kinds(&by_actor.body), ["pool.rotate_secret", "pool.update"]);
}

#[tokio::test]
async fn the_log_pages_by_cursor_filters_by_time_and_forgets_events_past_their_retention() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    for _ in 0..5 {
        post(
            &app,
            &root,
            &format!("/api/v1/admin/pools/{pool}/secret"),
            &json!({}),
        )
        .await;
    }
    let first = get(&app, &root, "/api/v1/admin/audit?kind=pool&limit=3").await;
    assert_eq!(kinds(&first.body).len(), 3);
    let cursor = first.body["nextCursor"]
        .as_str()
        .expect("cursor")
        .to_owned();
    let second = get(
        &app,
        &root,
        &format!("/api/v1/admin/audit?kind=pool&limit=3&cursor={cursor}"),
    )
    .await;
    assert_eq!(kinds(&second.body).len(), 2);
    assert_eq!(second.body["nextCursor"], Value::Null);

    let now = app.clock.now();
    let later = (now + chrono::TimeDelta::hours(1)).to_rfc3339();
    let none = get(
        &app,
        &root,
        &format!("/api/v1/admin/audit?since={}", urlencode(&later)),
    )
    .await;
    assert_eq!(kinds(&none.body).len(), 0, "{}", none.body);
    let all = get(
        &app,
        &root,
        &format!("/api/v1/admin/audit?until={}", urlencode(&later)),
    )
    .await;
    assert_eq!(kinds(&all.body).len(), 6, "{}", all.body);

    app.clock.advance(chrono::TimeDelta::days(40));
    let purged = app
        .services
        .purge_audit(std::time::Duration::from_secs(30 * 86_400), 2)
        .await
        .expect("purged");
    assert_eq!(purged, 6);
    let fresh = owner(&app).await;
    let page = get(&app, &fresh, "/api/v1/admin/audit").await;
    assert_eq!(
        kinds(&page.body),
        ["admin_token.create"],
        "only the event made after the purge"
    );

    for (query, field) in [
        ("limit=501", "limit"),
        ("since=soon", "since"),
        ("pool=x", "pool"),
        ("cursor=-1", "cursor"),
    ] {
        let reply = get(&app, &fresh, &format!("/api/v1/admin/audit?{query}")).await;
        assert_error(&reply, 400, 1002);
        assert!(
            reply.body["message"]
                .as_str()
                .unwrap_or_default()
                .contains(field),
            "{query}: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn the_log_filters_by_result_ok_or_failed() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    app.register("ada", "correct horse").await;
    let refused = app.login("ada", "wrong horse").await;
    assert_eq!(refused.body["code"], 2006, "{}", refused.body);
    let logged_in = app.login("ada", "correct horse").await;
    assert_eq!(logged_in.status, 200, "{}", logged_in.body);

    let failed = get(&app, &root, "/api/v1/admin/audit?kind=login&result=failed").await;
    assert_eq!(failed.status, 200, "{}", failed.body);
    assert_eq!(kinds(&failed.body), ["login.password"], "{}", failed.body);
    assert_ne!(failed.body["events"][0]["code"], Value::Null);
    let ok = get(&app, &root, "/api/v1/admin/audit?kind=login&result=ok").await;
    assert_eq!(kinds(&ok.body), ["login.password"], "{}", ok.body);
    assert_eq!(ok.body["events"][0]["code"], Value::Null);
    assert!(ok.body["events"][0]["userId"].is_string(), "{}", ok.body);
    let every = get(&app, &root, "/api/v1/admin/audit?kind=login").await;
    assert_eq!(kinds(&every.body).len(), 2, "{}", every.body);
    let all_ok = get(&app, &root, "/api/v1/admin/audit?result=ok").await;
    assert!(
        all_ok.body["events"]
            .as_array()
            .expect("events")
            .iter()
            .all(|event| event["code"].is_null()),
        "{}",
        all_ok.body
    );

    for query in ["result=maybe", "result=", "result=OK"] {
        let reply = get(&app, &root, &format!("/api/v1/admin/audit?{query}")).await;
        assert_error(&reply, 400, 1002);
        assert!(
            reply.body["message"]
                .as_str()
                .unwrap_or_default()
                .contains("result"),
            "{query}: {}",
            reply.body
        );
    }
}

fn urlencode(text: &str) -> String {
    text.replace('+', "%2B").replace(':', "%3A")
}
