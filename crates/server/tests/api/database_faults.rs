//! A database that stops answering: native routes say 503 (code 1000), compatible ones code 1000 in their shape,
//! the readiness probe 503; when it answers again, so does the server, with no restart. PostgreSQL only (the test
//! refuses connections to its own database, then terminates the ones open); on SQLite there is no server to lose.
//! The second test times the 503s of a 3 s outage and the recovery, and prints the figures (`outage: …`).

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::task::JoinHandle;

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

/// The median and the largest of `samples`.
fn median_and_max(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort();
    (
        samples[samples.len() / 2],
        samples.last().copied().unwrap_or_default(),
    )
}

/// Sends `request` on a task of its own; answers how long the answer took, its status and its body's `code`.
fn timed(request: reqwest::RequestBuilder) -> JoinHandle<(Duration, u16, Value)> {
    tokio::spawn(async move {
        let sent = Instant::now();
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        (sent.elapsed(), status, body["code"].clone())
    })
}

#[tokio::test]
async fn during_an_outage_requests_answer_503_at_once_and_the_server_recovers_on_its_own() {
    let app = spawn_app().await;
    let Some(mut admin) = PostgresAdmin::of(&app).await else {
        return;
    };
    let token = app.signed_up_token("steady").await;
    let me = || {
        app.client
            .get(format!("{}/api/v1/me", app.base))
            .bearer_auth(&token)
    };
    assert_eq!(app.send(me()).await.status, 200);

    admin
        .run("ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS false")
        .await;
    assert!(
        admin.terminate("").await > 0,
        "the server's connections end"
    );

    // For 3 s, every 250 ms: a native read, a native write and the readiness probe, each on its own, so that a
    // slow answer does not delay the next sample.
    let outage = Instant::now();
    let mut samples = Vec::new();
    let mut n = 0;
    while outage.elapsed() < Duration::from_secs(3) {
        let sign_up = app
            .client
            .post(format!("{}/api/v1/pools/{}/users", app.base, app.pool_id()))
            .json(&json!({"username": format!("outage-{n}"), "password": "correct horse"}));
        let probe = app.client.get(format!("{}/readyz", app.base));
        samples.push(("/api/v1/me", timed(me())));
        samples.push(("sign-up", timed(sign_up)));
        samples.push(("/readyz", timed(probe)));
        n += 1;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let mut timings: Vec<(&str, Vec<Duration>)> = vec![
        ("/api/v1/me", Vec::new()),
        ("sign-up", Vec::new()),
        ("/readyz", Vec::new()),
    ];
    for (route, sample) in samples {
        let (took, status, code) = sample.await.expect("sample");
        assert_eq!(
            (status, code),
            (503, json!(1000)),
            "{route} during the outage"
        );
        let series = timings.iter_mut().find(|(name, _)| *name == route);
        series.expect("a series").1.push(took);
    }
    let down_for = outage.elapsed();

    admin
        .run("ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS true")
        .await;
    let back = Instant::now();
    let mut failed_polls = 0;
    loop {
        let reply = app.send(me()).await;
        if reply.status == 200 {
            break;
        }
        assert_eq!(
            (reply.status, reply.body["code"].clone()),
            (503, json!(1000)),
            "{}",
            reply.body
        );
        failed_polls += 1;
        assert!(
            back.elapsed() < Duration::from_secs(30),
            "the server recovers without a restart"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let recovered_in = back.elapsed();
    assert_eq!(app.get("/readyz").await.status, 200);
    assert_eq!(
        app.register("outage-0", "correct horse").await.status,
        201,
        "a sign-up answered 503 wrote nothing"
    );

    for (route, series) in &mut timings {
        let count = series.len();
        let (median, max) = median_and_max(series);
        eprintln!("outage: {route}: 503 in median {median:.1?}, max {max:.1?} ({count} samples)");
    }
    eprintln!(
        "outage: the database was away {down_for:.1?}; a request succeeded {recovered_in:.1?} after it was back \
         ({failed_polls} polls at 50 ms answered 503 first)"
    );
}
