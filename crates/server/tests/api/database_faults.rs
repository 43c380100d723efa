//! A database that stops answering: native routes say 503 (code 1000), compatible ones code 1000 in their shape,
//! the readiness probe 503; when it answers again, so does the server, with no restart. PostgreSQL only (the test
//! refuses connections to its own database, then terminates the ones open); on SQLite there is no server to lose.

use serde_json::json;

use crate::helpers::{PostgresAdmin, spawn_app};

#[tokio::test]
async fn a_lost_database_is_unavailable_on_every_surface_and_recovery_needs_no_restart() {
    let app = spawn_app().await;
    let Some(mut admin) = PostgresAdmin::of(&app).await else {
        return;
    };
    let token = app.signed_up_token("steady").await;
    let me = || {
        app.send(
            app.client
                .get(format!("{}/api/v1/me", app.base))
                .bearer_auth(&token),
        )
    };
    assert_eq!(me().await.status, 200);

    admin
        .run("ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS false")
        .await;
    assert!(
        admin.terminate("").await > 0,
        "the server's connections end"
    );

    let lost = me().await;
    assert_eq!(
        (lost.status, lost.body["code"].clone()),
        (503, json!(1000)),
        "{}",
        lost.body
    );
    let sign_up = app.register("newcomer", "correct horse").await;
    assert_eq!(
        (sign_up.status, sign_up.body["code"].clone()),
        (503, json!(1000)),
        "{}",
        sign_up.body
    );
    let ready = app.get("/readyz").await;
    assert_eq!(
        (ready.status, ready.body["code"].clone()),
        (503, json!(1000))
    );
    let compatible = app.check_token(&token).await;
    assert_eq!(
        (&compatible["status"], &compatible["code"]),
        (&json!(false), &json!(1000))
    );
    assert_eq!(
        compatible["message"], "系统繁忙，请稍后再试",
        "no detail leaks: {compatible}"
    );

    admin
        .run("ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS true")
        .await;
    assert_eq!(
        me().await.status,
        200,
        "the server recovers without a restart"
    );
    assert_eq!(app.get("/readyz").await.status, 200);
    assert_eq!(app.register("newcomer", "correct horse").await.status, 201);
}
