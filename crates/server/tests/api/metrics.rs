//! `/metrics` over HTTP: only with its bearer token, absent from a server that was not given one, and moving by
//! exactly one step per login of each flow. Every test server has metrics of its own (no process-wide recorder), so
//! the counts of tests running at the same time never mix.

use std::{collections::BTreeMap, time::Duration};

use chrono::Duration as TimeDelta;
use denglu_server::HttpSettings;
use serde_json::json;

use crate::{
    helpers::{METRICS_TOKEN, TestApp, spawn_app, spawn_app_with},
    qr::scene_of,
};

/// One scrape: each series (`name{labels}`) with its value.
#[derive(Debug)]
struct Scrape(BTreeMap<String, f64>);

impl Scrape {
    /// The series' value; 0 when the series is not there yet.
    fn value(&self, series: &str) -> f64 {
        self.0.get(series).copied().unwrap_or(0.0)
    }

    /// How much each of `series` grew since `before`.
    fn growth(&self, before: &Scrape, series: &[&str]) -> Vec<(String, f64)> {
        series
            .iter()
            .map(|s| ((*s).to_owned(), self.value(s) - before.value(s)))
            .collect()
    }
}

/// `(series, 1.0)` for each of `series`: what one step of each looks like.
fn one_each(series: &[&str]) -> Vec<(String, f64)> {
    series.iter().map(|s| ((*s).to_owned(), 1.0)).collect()
}

impl TestApp {
    /// `GET /metrics` with the bearer token, parsed.
    async fn scrape(&self) -> Scrape {
        let response = self
            .client
            .get(format!("{}/metrics", self.base))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .expect("scrape");
        assert_eq!(response.status(), 200);
        let text = response.text().await.expect("text");
        let series = text
            .lines()
            .filter(|line| !line.starts_with('#') && !line.is_empty())
            .map(|line| {
                let (series, value) = line.rsplit_once(' ').expect("series and value");
                (series.to_owned(), value.parse().expect("a number"))
            })
            .collect();
        Scrape(series)
    }
}

const PASSWORD_OK: &str = r#"denglu_logins_total{flow="password",code="200"}"#;
const PASSWORD_WRONG: &str = r#"denglu_logins_total{flow="password",code="2006"}"#;
const LOGIN_ROUTE_200: &str = r#"denglu_http_requests_total{method="POST",route="/api/v1/pools/{pool_id}/login",status="200"}"#;
const LOGIN_ROUTE_TIMED: &str = r#"denglu_http_request_duration_seconds_count{method="POST",route="/api/v1/pools/{pool_id}/login"}"#;
const MINI_PROGRAM_OK: &str = r#"denglu_logins_total{flow="mini_program",code="200"}"#;
const MINI_PROGRAM_BAD_CODE: &str = r#"denglu_logins_total{flow="mini_program",code="4301"}"#;
const CODE2SESSION_OK: &str = r#"denglu_wechat_calls_total{api="/sns/jscode2session",errcode="0"}"#;
const CODE2SESSION_BAD: &str =
    r#"denglu_wechat_calls_total{api="/sns/jscode2session",errcode="40029"}"#;
const CODE2SESSION_TIMED: &str =
    r#"denglu_wechat_call_duration_seconds_count{api="/sns/jscode2session"}"#;
const TICKETS_MINTED: &str = r#"denglu_app_tickets_total{event="minted"}"#;
const TICKETS_EXCHANGED: &str = r#"denglu_app_tickets_total{event="exchanged"}"#;
const APP_LAUNCH_OK: &str = r#"denglu_logins_total{flow="app_launch",code="200"}"#;
const STABLE_TOKEN_OK: &str =
    r#"denglu_wechat_calls_total{api="/cgi-bin/stable_token",errcode="0"}"#;
const PHONE_OK: &str =
    r#"denglu_wechat_calls_total{api="/wxa/business/getuserphonenumber",errcode="0"}"#;
const TOKEN_REFRESHES: &str = "denglu_wechat_token_refreshes_total";
const QR_OK: &str = r#"denglu_logins_total{flow="qr",code="200"}"#;
const QR_STEPS: [&str; 4] = [
    r#"denglu_qr_sessions_total{event="started"}"#,
    r#"denglu_qr_sessions_total{event="scanned"}"#,
    r#"denglu_qr_sessions_total{event="confirmed"}"#,
    r#"denglu_qr_sessions_total{event="collected"}"#,
];
const QR_EXPIRED: &str = r#"denglu_qr_sessions_total{event="expired"}"#;
const STREAMS_OPEN: &str = "denglu_qr_push_streams_open";

#[tokio::test]
async fn metrics_need_the_bearer_token_and_a_server_not_given_one_has_none() {
    let app = spawn_app().await;
    let url = format!("{}/metrics", app.base);

    for request in [
        app.client.get(&url),
        app.client.get(&url).bearer_auth("wrong-token"),
        app.client.get(&url).bearer_auth(""),
    ] {
        let refused = request.send().await.expect("answer");
        assert_eq!(refused.status(), 401);
        assert!(
            refused.headers()["www-authenticate"]
                .to_str()
                .expect("text")
                .starts_with("Bearer")
        );
    }
    let scraped = app
        .client
        .get(&url)
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .expect("scrape");
    assert_eq!(scraped.status(), 200);
    assert_eq!(
        scraped.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let scrape = app.scrape().await;
    let build = format!(
        r#"denglu_build_info{{version="{}"}}"#,
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(scrape.value(&build), 1.0, "{scrape:?}");
    assert_eq!(scrape.value("denglu_db_connections_max"), 4.0);
    assert!(scrape.value("denglu_db_acquires_total") > 0.0, "{scrape:?}");
    assert!(
        scrape
            .0
            .keys()
            .any(|s| s.starts_with("denglu_db_connections{state=\"idle\"}")),
        "{scrape:?}"
    );

    let replica = app.spawn_replica().await;
    let absent = app
        .client
        .get(format!("{replica}/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .expect("answer");
    assert_eq!(absent.status(), 404, "no metrics settings, no route");
}

#[tokio::test]
async fn a_password_login_counts_by_flow_and_result_and_its_route_by_template() {
    let app = spawn_app().await;
    assert_eq!(app.register("metered", "correct horse").await.status, 201);
    let before = app.scrape().await;

    assert_eq!(app.login("metered", "correct horse").await.status, 200);
    assert_eq!(app.login("metered", "wrong horse").await.status, 401);

    let after = app.scrape().await;
    assert_eq!(
        after.growth(&before, &[PASSWORD_OK, PASSWORD_WRONG, LOGIN_ROUTE_200]),
        one_each(&[PASSWORD_OK, PASSWORD_WRONG, LOGIN_ROUTE_200])
    );
    assert_eq!(after.growth(&before, &[LOGIN_ROUTE_TIMED])[0].1, 2.0);
    assert!(
        !after
            .0
            .keys()
            .any(|s| s.contains("metered") || s.contains(&app.pool_id())),
        "no user or pool in any label"
    );
}

#[tokio::test]
async fn a_mini_program_login_counts_the_login_and_its_wechat_call() {
    let app = spawn_app().await;
    let before = app.scrape().await;

    app.login_wxapp(app.wechat_user("Metered"), json!({})).await;
    let refused = app
        .post_json(
            &format!("/oauth/wechatapp/auth/{}", app.pool_id()),
            &json!({"code": "not-a-code"}),
        )
        .await;
    assert_eq!(refused.body["code"], 4301, "{}", refused.body);

    let after = app.scrape().await;
    let moved = [
        MINI_PROGRAM_OK,
        MINI_PROGRAM_BAD_CODE,
        CODE2SESSION_OK,
        CODE2SESSION_BAD,
    ];
    assert_eq!(after.growth(&before, &moved), one_each(&moved));
    assert_eq!(after.growth(&before, &[CODE2SESSION_TIMED])[0].1, 2.0);
}

#[tokio::test]
async fn an_app_launch_counts_the_ticket_minted_and_exchanged_and_the_token_refresh() {
    let app = spawn_app().await;
    let before = app.scrape().await;

    let ticket = app.mint_ticket(true).await;
    let minted = app.scrape().await;
    let reply = app
        .exchange(&json!({"ticket": ticket, "secret": app.pool.secret}))
        .await;
    assert_eq!(reply["code"], 200, "{reply}");
    let exchanged = app.scrape().await;

    let mint_moves = [
        TICKETS_MINTED,
        CODE2SESSION_OK,
        STABLE_TOKEN_OK,
        PHONE_OK,
        TOKEN_REFRESHES,
    ];
    assert_eq!(minted.growth(&before, &mint_moves), one_each(&mint_moves));
    assert_eq!(minted.value(TICKETS_EXCHANGED), 0.0);
    assert_eq!(minted.value(APP_LAUNCH_OK), 0.0);
    let exchange_moves = [TICKETS_EXCHANGED, APP_LAUNCH_OK];
    assert_eq!(
        exchanged.growth(&minted, &exchange_moves),
        one_each(&exchange_moves)
    );
    assert_eq!(exchanged.growth(&minted, &[TICKETS_MINTED])[0].1, 0.0);
}

#[tokio::test]
async fn a_qr_login_counts_each_step_and_its_push_stream_while_open() {
    let app = spawn_app().await;
    let before = app.scrape().await;

    let started = app.start_qr("meteredRandom0123456").await;
    let scene = scene_of(&started);
    let events_url = started.body["data"]["events"]
        .as_str()
        .expect("events URL")
        .to_owned();
    let mut stream = app.client.get(&events_url).send().await.expect("stream");
    assert_eq!(app.scrape().await.value(STREAMS_OPEN), 1.0);
    let token = app.scan(&scene, app.wechat_user("Metered")).await;
    let confirmed = app.confirm(&scene, &json!({"scanToken": token})).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let mut seen = String::new();
    while !seen.contains("event: confirmed") {
        let chunk = tokio::time::timeout(Duration::from_secs(10), stream.chunk())
            .await
            .expect("an event within 10 s")
            .expect("stream")
            .expect("open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }

    let after = app.scrape().await;
    let mut moved = QR_STEPS.to_vec();
    moved.push(QR_OK);
    assert_eq!(after.growth(&before, &moved), one_each(&moved));
    assert_eq!(after.value(QR_EXPIRED), 0.0);
    let mut open = after.value(STREAMS_OPEN);
    for _ in 0..50 {
        if open == 0.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        open = app.scrape().await.value(STREAMS_OPEN);
    }
    assert_eq!(open, 0.0, "the stream ended after its final event");

    app.start_qr("expiringRandom012345").await;
    app.clock.advance(TimeDelta::seconds(121));
    assert_eq!(app.poll("expiringRandom012345").await["code"], 4202);
    assert_eq!(app.scrape().await.value(QR_EXPIRED), 1.0);
}

#[tokio::test]
async fn rate_limit_refusals_count_by_limit() {
    let app = spawn_app_with(HttpSettings {
        qr_starts_per_minute: 1,
        ..HttpSettings::default()
    })
    .await;

    app.start_qr("limitedRandom0123456").await;
    let refused = app.start_qr("limitedRandom0123457").await;
    assert_eq!(refused.body["code"], 4290, "{}", refused.body);

    let scrape = app.scrape().await;
    assert_eq!(
        scrape.value(r#"denglu_rate_limited_total{limit="qr_start"}"#),
        1.0
    );
    assert_eq!(
        scrape.value(r#"denglu_rate_limited_total{limit="qr_poll"}"#),
        0.0
    );
}
