//! The load the server is killed under: sign-ups, app-launch tickets minted and exchanged, and QR logins started,
//! scanned, confirmed and collected, each kind from its own threads; every worker notes what the server
//! acknowledged, and what it asked without getting an answer.

use std::{
    sync::atomic::{AtomicUsize, Ordering},
    time::{Duration, Instant},
};

use serde_json::{Value, json};

use super::world::SCANNER;

/// The password of every account the load signs up.
pub(crate) const PASSWORD: &str = "correct horse";

/// What the load is aimed at.
pub(crate) struct Target<'a> {
    pub(crate) base: &'a str,
    pub(crate) wechat: &'a str,
    pub(crate) pool: &'a str,
    pub(crate) pool_secret: &'a str,
    /// When the workers stop if the server is still up.
    pub(crate) until: Instant,
}

/// A ticket exchange the server acknowledged.
#[derive(Debug)]
pub(crate) struct Exchange {
    pub(crate) ticket: String,
    pub(crate) token: String,
    pub(crate) user: String,
}

/// What the server acknowledged, and what it was asked and never answered.
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    /// Requests to denglu answered with success.
    pub(crate) acknowledged: usize,
    /// Usernames whose sign-up was answered 201.
    pub(crate) sign_ups: Vec<String>,
    /// Usernames whose sign-up got no answer.
    pub(crate) unanswered_sign_ups: Vec<String>,
    /// Exchanges answered with code 200.
    pub(crate) exchanges: Vec<Exchange>,
    /// Tickets whose minting was acknowledged and whose exchange got no answer.
    pub(crate) unanswered_exchanges: Vec<String>,
    /// QR collects answered with the login: the poll secret and the token.
    pub(crate) collects: Vec<(String, String)>,
    /// Poll secrets of QR logins whose confirmation was acknowledged and that the browser left to collect later.
    pub(crate) left_confirmed: Vec<String>,
    /// Poll secrets of confirmed QR logins whose collect got no answer.
    pub(crate) unanswered_collects: Vec<String>,
    /// Poll secrets of QR logins whose start got no answer.
    pub(crate) unanswered_starts: Vec<String>,
    /// Poll secrets of started QR logins whose scan got no answer.
    pub(crate) unanswered_scans: Vec<String>,
    /// Poll secrets of scanned QR logins whose confirmation got no answer.
    pub(crate) unanswered_confirms: Vec<String>,
    /// Answers that were neither success nor expected: what was asked, and the answer.
    pub(crate) refusals: Vec<String>,
}

impl Ledger {
    fn merge(&mut self, other: Ledger) {
        self.acknowledged += other.acknowledged;
        self.sign_ups.extend(other.sign_ups);
        self.unanswered_sign_ups.extend(other.unanswered_sign_ups);
        self.exchanges.extend(other.exchanges);
        self.unanswered_exchanges.extend(other.unanswered_exchanges);
        self.collects.extend(other.collects);
        self.left_confirmed.extend(other.left_confirmed);
        self.unanswered_collects.extend(other.unanswered_collects);
        self.unanswered_starts.extend(other.unanswered_starts);
        self.unanswered_scans.extend(other.unanswered_scans);
        self.unanswered_confirms.extend(other.unanswered_confirms);
        self.refusals.extend(other.refusals);
    }
}

/// A status and a JSON body (`Null` when empty, a string when not JSON).
pub(crate) type Answer = (u16, Value);

/// Sends `request` from a client address of its own (`X-Forwarded-For`, which the servers trust): the per-address
/// rate limits are not what is tested. `None` when no answer came back (the server is gone).
pub(crate) fn send(request: reqwest::blocking::RequestBuilder) -> Option<Answer> {
    static ADDRESSES: AtomicUsize = AtomicUsize::new(1);
    let n = ADDRESSES.fetch_add(1, Ordering::Relaxed);
    let address = format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255);
    let response = request.header("x-forwarded-for", address).send().ok()?;
    let status = response.status().as_u16();
    let text = response.text().ok()?;
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    Some((status, body))
}

/// A client that gives up on an answer after 10 s.
pub(crate) fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

/// A new WeChat user of the simulator, logged in to the scanner: a `wx.login` code.
fn wx_login(client: &reqwest::blocking::Client, wechat: &str, nickname: &str) -> String {
    let (_, user) = send(
        client
            .post(format!("{wechat}/__sim/users"))
            .json(&json!({"nickname": nickname})),
    )
    .expect("the simulator answers");
    let (_, login) = send(
        client
            .post(format!("{wechat}/__sim/login"))
            .json(&json!({"appid": SCANNER.0, "user": user["user"]})),
    )
    .expect("the simulator answers");
    login["code"].as_str().expect("a wx.login code").to_owned()
}

/// How the workers split: sign-up, app-launch and QR workers.
const WORKERS: [(Kind, usize); 3] = [(Kind::SignUp, 2), (Kind::AppLaunch, 2), (Kind::Qr, 2)];

#[derive(Clone, Copy)]
enum Kind {
    SignUp,
    AppLaunch,
    Qr,
}

/// Runs the load until `target.until`, calling `kill` at `kill_at` from this thread; every worker stops at its
/// first request that gets no answer. Answers the merged ledger.
pub(crate) fn run(target: &Target<'_>, kill_at: Instant, kill: impl FnOnce()) -> Ledger {
    let serial = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = WORKERS
            .iter()
            .flat_map(|&(kind, count)| std::iter::repeat_n(kind, count))
            .enumerate()
            .map(|(index, kind)| {
                let serial = &serial;
                scope.spawn(move || {
                    let mut ledger = Ledger::default();
                    let worker = Worker {
                        target,
                        client: client(),
                        index,
                        serial,
                    };
                    while Instant::now() < target.until {
                        let answered = match kind {
                            Kind::SignUp => worker.sign_up(&mut ledger),
                            Kind::AppLaunch => worker.app_launch(&mut ledger),
                            Kind::Qr => worker.qr_login(&mut ledger),
                        };
                        if !answered {
                            break;
                        }
                    }
                    ledger
                })
            })
            .collect();
        std::thread::sleep(kill_at.saturating_duration_since(Instant::now()));
        kill();
        let mut ledger = Ledger::default();
        for worker in workers {
            ledger.merge(worker.join().expect("worker"));
        }
        ledger
    })
}

struct Worker<'a> {
    target: &'a Target<'a>,
    client: reqwest::blocking::Client,
    index: usize,
    serial: &'a AtomicUsize,
}

impl Worker<'_> {
    fn next(&self) -> usize {
        self.serial.fetch_add(1, Ordering::Relaxed)
    }

    /// Notes an answer that is not the success expected.
    fn refused(&self, ledger: &mut Ledger, what: &str, (status, body): &Answer) {
        ledger
            .refusals
            .push(format!("worker {}: {what}: {status} {body}", self.index));
    }

    /// One sign-up; false when it got no answer.
    fn sign_up(&self, ledger: &mut Ledger) -> bool {
        let username = format!("crash-{}", self.next());
        let request = self
            .client
            .post(format!(
                "{}/api/v1/pools/{}/users",
                self.target.base, self.target.pool
            ))
            .json(&json!({"username": username, "password": PASSWORD}));
        let Some(answer) = send(request) else {
            ledger.unanswered_sign_ups.push(username);
            return false;
        };
        if answer.0 == 201 {
            ledger.acknowledged += 1;
            ledger.sign_ups.push(username);
        } else {
            self.refused(ledger, "sign-up", &answer);
        }
        true
    }

    /// A ticket minted by the scanner, then exchanged by the app's backend; false when a request got no answer.
    fn app_launch(&self, ledger: &mut Ledger) -> bool {
        let code = wx_login(
            &self.client,
            self.target.wechat,
            &format!("App {}", self.next()),
        );
        let mint = self
            .client
            .post(format!("{}/api/v1/app-login/tickets", self.target.base))
            .json(&json!({"userPoolId": self.target.pool, "code": code}));
        let Some(minted) = send(mint) else {
            return false;
        };
        let Some(ticket) = minted.1["ticket"].as_str().filter(|_| minted.0 == 200) else {
            self.refused(ledger, "mint", &minted);
            return true;
        };
        ledger.acknowledged += 1;
        let Some(exchanged) = exchange(&self.client, self.target, ticket) else {
            ledger.unanswered_exchanges.push(ticket.to_owned());
            return false;
        };
        match logged_in(&exchanged) {
            Some((token, user)) => {
                ledger.acknowledged += 1;
                ledger.exchanges.push(Exchange {
                    ticket: ticket.to_owned(),
                    token,
                    user,
                });
            }
            None => self.refused(ledger, "exchange", &exchanged),
        }
        true
    }

    /// A QR login started, scanned, confirmed and (three times in four) collected; false when a request got no
    /// answer.
    fn qr_login(&self, ledger: &mut Ledger) -> bool {
        let serial = self.next();
        let random = format!("crash-qr-{serial:06}");
        let base = self.target.base;
        let start = self.client.get(format!(
            "{base}/oauth/wxapp/qrcode/{}?random={random}",
            self.target.pool
        ));
        let Some(started) = send(start) else {
            ledger.unanswered_starts.push(random);
            return false;
        };
        let Some(scene) = started.1["data"]["scene"]
            .as_str()
            .filter(|_| started.1["code"] == 200)
        else {
            self.refused(ledger, "QR start", &started);
            return true;
        };
        ledger.acknowledged += 1;
        let code = wx_login(&self.client, self.target.wechat, &format!("QR {serial}"));
        let scan = self
            .client
            .post(format!("{base}/api/v1/scanner/sessions/{scene}/scan"))
            .json(&json!({"code": code}));
        let Some(scanned) = send(scan) else {
            ledger.unanswered_scans.push(random);
            return false;
        };
        let Some(scan_token) = scanned.1["scanToken"].as_str().filter(|_| scanned.0 == 200) else {
            self.refused(ledger, "QR scan", &scanned);
            return true;
        };
        ledger.acknowledged += 1;
        let confirm = self
            .client
            .post(format!("{base}/api/v1/scanner/sessions/{scene}/confirm"))
            .json(&json!({"scanToken": scan_token}));
        let Some(confirmed) = send(confirm) else {
            ledger.unanswered_confirms.push(random);
            return false;
        };
        if confirmed.0 != 200 {
            self.refused(ledger, "QR confirm", &confirmed);
            return true;
        }
        ledger.acknowledged += 1;
        if serial.is_multiple_of(4) {
            ledger.left_confirmed.push(random);
            return true;
        }
        let Some(polled) = poll(&self.client, base, &random) else {
            ledger.unanswered_collects.push(random);
            return false;
        };
        match polled.1["data"]["data"]["token"].as_str() {
            Some(token) if polled.1["data"]["code"] == 200 => {
                ledger.acknowledged += 1;
                ledger.collects.push((random, token.to_owned()));
            }
            _ => self.refused(ledger, "QR collect", &polled),
        }
        true
    }
}

/// The app's backend exchanges `ticket`.
pub(crate) fn exchange(
    client: &reqwest::blocking::Client,
    target: &Target<'_>,
    ticket: &str,
) -> Option<Answer> {
    send(
        client
            .post(format!(
                "{}/oauth/app2wxapp/auth/{}",
                target.base, target.pool
            ))
            .json(&json!({"ticket": ticket, "secret": target.pool_secret})),
    )
}

/// The token and user id of a successful exchange (`data` is the user as a JSON string).
pub(crate) fn logged_in((status, body): &Answer) -> Option<(String, String)> {
    if *status != 200 || body["code"] != 200 {
        return None;
    }
    let user: Value = serde_json::from_str(body["data"].as_str()?).ok()?;
    Some((
        user["token"].as_str()?.to_owned(),
        user["_id"].as_str()?.to_owned(),
    ))
}

/// The browser polls (the compatible route): the answer's inner `data` is what matters.
pub(crate) fn poll(client: &reqwest::blocking::Client, base: &str, random: &str) -> Option<Answer> {
    send(client.post(format!("{base}/oauth/wxapp/confirm/qr?random={random}")))
}
