//! Talking to the fleet: JSON requests, the push stream read on its own thread, and the simulator playing the
//! phone (users, `wx.login` codes, phone codes, its counters).

use std::{
    io::{BufRead, BufReader},
    sync::{
        OnceLock,
        mpsc::{self, Receiver},
    },
    time::{Duration, Instant},
};

use reqwest::blocking::{Client, RequestBuilder};
use serde_json::{Value, json};

use crate::processes::SCANNER;

/// A status and a JSON body (`null` when the body is not JSON).
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Value,
}

/// The client for every ordinary request (10 s timeout).
pub(crate) fn http() -> &'static Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("client")
    })
}

pub(crate) fn send(request: RequestBuilder) -> Reply {
    let response = request.send().expect("the request gets an answer");
    let status = response.status().as_u16();
    let text = response.text().expect("body");
    Reply {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

pub(crate) fn get(url: &str) -> Reply {
    send(http().get(url))
}

pub(crate) fn post(url: &str, body: &Value) -> Reply {
    send(http().post(url).json(body))
}

/// An open push stream (`/api/v1/qr/events`): its events arrive on a channel, stamped when they were read.
pub(crate) struct EventStream {
    events: Receiver<(String, Value, Instant)>,
}

impl EventStream {
    /// Opens the stream at `url` and checks that it is one.
    pub(crate) fn open(url: &str) -> Self {
        static STREAMING: OnceLock<Client> = OnceLock::new();
        let client =
            STREAMING.get_or_init(|| Client::builder().timeout(None).build().expect("client"));
        let response = client.get(url).send().expect("stream");
        assert_eq!(response.status(), 200, "{url}");
        let (sender, events) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut name, mut data) = (None, None);
            for line in BufReader::new(response).lines().map_while(Result::ok) {
                if let Some(value) = line.strip_prefix("event: ") {
                    name = Some(value.to_owned());
                } else if let Some(value) = line.strip_prefix("data: ") {
                    data = Some(value.to_owned());
                } else if line.is_empty() {
                    // A block without an event is a keep-alive comment.
                    if let (Some(name), Some(data)) = (name.take(), data.take()) {
                        let data = serde_json::from_str(&data).unwrap_or(Value::Null);
                        if sender.send((name, data, Instant::now())).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        Self { events }
    }

    /// The next event's name, data and arrival time; panics if none comes within `within`.
    pub(crate) fn next_within(&self, within: Duration) -> (String, Value, Instant) {
        self.try_next_within(within)
            .unwrap_or_else(|| panic!("no event within {within:?}"))
    }

    /// The next event, if one comes within `within` before the stream ends.
    pub(crate) fn try_next_within(&self, within: Duration) -> Option<(String, Value, Instant)> {
        self.events.recv_timeout(within).ok()
    }
}

/// The simulator's control API, playing the phone of WeChat users of the scanner mini program.
pub(crate) struct Phone {
    sim: String,
}

impl Phone {
    pub(crate) fn new(sim: &str) -> Self {
        Self {
            sim: sim.to_owned(),
        }
    }

    fn control(&self, path: &str, body: &Value) -> Value {
        let reply = post(&format!("{}/__sim/{path}", self.sim), body);
        assert_eq!(reply.status, 200, "simulator {path}: {}", reply.body);
        reply.body
    }

    /// A new WeChat user with a phone number.
    pub(crate) fn user(&self, nickname: &str) -> Value {
        self.control(
            "users",
            &json!({"nickname": nickname, "phone": {"number": "13580006666"}}),
        )["user"]
            .clone()
    }

    /// What `wx.login` gives the scanner mini program for `user`.
    pub(crate) fn login_code(&self, user: &Value) -> String {
        self.control("login", &json!({"appid": SCANNER.0, "user": user}))["code"]
            .as_str()
            .expect("code")
            .to_owned()
    }

    /// A phone code (`getPhoneNumber`) of `user`, who has logged in.
    pub(crate) fn phone_code(&self, user: &Value) -> String {
        self.control("phone-number", &json!({"appid": SCANNER.0, "user": user}))["code"]
            .as_str()
            .expect("phone code")
            .to_owned()
    }

    /// The simulator's summary, with its counters.
    pub(crate) fn state(&self) -> Value {
        get(&format!("{}/__sim/state", self.sim)).body
    }
}
