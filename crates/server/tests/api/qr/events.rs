//! The push channel under several browsers: a change wakes only its own stream, and a waiting stream ends with
//! `expired` when its code expires, long before the idle re-check would notice.

use std::time::Duration;

use chrono::Duration as TimeDelta;
use serde_json::{Value, json};

use super::scene_of;
use crate::helpers::TestApp;

/// Much less than the 15 s a stream may go without re-reading its session when nothing wakes it.
const PROMPTLY: Duration = Duration::from_secs(5);

/// A browser's open event stream.
struct EventStream {
    response: reqwest::Response,
    /// Received text not yet parsed into events.
    buffer: String,
}

impl EventStream {
    /// Opens the stream of the session started with `started`.
    async fn open(app: &TestApp, started: &crate::helpers::Reply) -> Self {
        let url = started.body["data"]["events"].as_str().expect("events URL");
        let response = app.client.get(url).send().await.expect("stream");
        assert_eq!(response.status(), 200);
        Self {
            response,
            buffer: String::new(),
        }
    }

    /// The next event's name and data, `None` if none came `within`; panics when the stream ends.
    async fn next_within(&mut self, within: Duration) -> Option<(String, Value)> {
        tokio::time::timeout(within, self.next()).await.ok()
    }

    async fn next(&mut self) -> (String, Value) {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let field = |name: &str| {
                    block
                        .lines()
                        .find_map(|line| line.strip_prefix(name))
                        .map(str::to_owned)
                };
                // Blocks without an event are keep-alive comments.
                if let (Some(name), Some(data)) = (field("event: "), field("data: ")) {
                    return (name, serde_json::from_str(&data).expect("JSON data"));
                }
                continue;
            }
            let chunk = self
                .response
                .chunk()
                .await
                .expect("stream")
                .expect("the stream is still open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Whether the server ends the stream promptly, with nothing more sent.
    async fn ends(mut self) -> bool {
        matches!(
            tokio::time::timeout(PROMPTLY, self.response.chunk()).await,
            Ok(Ok(None))
        ) && self.buffer.is_empty()
    }
}

#[tokio::test]
async fn a_confirmation_wakes_the_stream_of_its_own_code_and_no_other() {
    let app = crate::helpers::spawn_app().await;
    let started = app.start_qr("firstBrowser0123456").await;
    let waiting = app.start_qr("secondBrowser012345").await;
    let mut stream = EventStream::open(&app, &started).await;
    let mut other = EventStream::open(&app, &waiting).await;
    for stream in [&mut stream, &mut other] {
        let (name, data) = stream.next_within(PROMPTLY).await.expect("first event");
        assert_eq!(
            (name.as_str(), &data["state"]),
            ("state", &json!("pending"))
        );
    }
    let scene = scene_of(&started);

    let token = app.scan(&scene, app.wechat_user("Push")).await;
    let (name, data) = stream.next_within(PROMPTLY).await.expect("scanned");
    assert_eq!(
        (name.as_str(), &data["state"]),
        ("state", &json!("scanned"))
    );
    let confirmed = app.confirm(&scene, &json!({"scanToken": token})).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let (name, data) = stream.next_within(PROMPTLY).await.expect("confirmed");

    assert_eq!(name, "confirmed");
    assert!(data["data"]["token"].is_string(), "{data}");
    assert!(stream.ends().await, "the confirmed event is the last");
    assert_eq!(
        other.next_within(Duration::from_millis(500)).await,
        None,
        "the other browser's code did not change"
    );
    assert_eq!(app.poll("secondBrowser012345").await["state"], "pending");
}

#[tokio::test]
async fn a_waiting_stream_reports_expired_when_its_code_expires() {
    let app = crate::helpers::spawn_app().await;
    let started = app.start_qr("expiringBrowser0123").await;
    let lifetime = TimeDelta::seconds(120);
    app.clock.advance(lifetime - TimeDelta::seconds(1));
    let mut stream = EventStream::open(&app, &started).await;
    let (_, data) = stream.next_within(PROMPTLY).await.expect("first event");
    assert_eq!(data["state"], "pending");
    assert_eq!(
        stream.next_within(Duration::from_millis(1500)).await,
        None,
        "nothing happens before the expiry"
    );

    app.clock.advance(TimeDelta::seconds(1));
    let (name, data) = stream.next_within(PROMPTLY).await.expect("expired");

    assert_eq!(
        (name.as_str(), &data["state"]),
        ("state", &json!("expired"))
    );
    assert_eq!(data["code"], 4202);
    assert!(stream.ends().await, "the expired event is the last");
}

#[tokio::test]
async fn shutting_down_ends_every_stream_with_reconnect_and_readiness_answers_503() {
    let app = crate::helpers::spawn_app().await;
    let started = app.start_qr("drainingBrowser0123").await;
    let mut stream = EventStream::open(&app, &started).await;
    assert_eq!(stream.next().await.1["state"], "pending");
    assert_eq!(app.get("/readyz").await.status, 200);

    app.drain.start();
    let (name, data) = stream.next_within(PROMPTLY).await.expect("a final event");
    assert_eq!(name, "reconnect", "{data}");
    assert!(stream.ends().await, "nothing follows the reconnect event");
    let ready = app.get("/readyz").await;
    assert_eq!(
        (ready.status, &ready.body["code"], &ready.body["message"]),
        (503, &json!(1000), &json!("the server is shutting down"))
    );

    // A stream opened on a draining server (a request already on its way) ends at once; the session still waits.
    let mut late = EventStream::open(&app, &started).await;
    let (name, _) = late.next_within(PROMPTLY).await.expect("a final event");
    assert_eq!(name, "reconnect");
    assert!(late.ends().await);
    assert_eq!(app.poll("drainingBrowser0123").await["state"], "pending");
}
