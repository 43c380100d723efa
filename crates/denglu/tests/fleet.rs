//! A fleet as operators run it: three `denglu serve` replicas on one PostgreSQL database behind nginx, with the
//! WeChat simulator as WeChat, all real processes of the built binary. A QR login, an app ticket, a rotated secret
//! and a block each cross replicas; the fleet fetches one access token; a replica stopped with SIGTERM sends the push
//! stream it held to another; a replica killed mid-flow is skipped.
//!
//! Runs only with `DENGLU_FLEET_TEST=1` (scripts/test.sh sets it when PostgreSQL answers), and then needs
//! `/usr/sbin/nginx` and a PostgreSQL server at `TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) that lets it create a database. Measured figures are printed
//! on lines starting with `fleet:` (see them with `--nocapture`).

#[allow(
    dead_code,
    reason = "every test binary compiles the shared support module and uses only part of it"
)]
mod support;

#[path = "fleet/http.rs"]
mod http;
#[path = "fleet/processes.rs"]
mod processes;

use std::{
    sync::atomic::{AtomicUsize, Ordering},
    time::{Duration, Instant},
};

use http::{EventStream, Phone, get, http, post, send};
use processes::{Fleet, NGINX, REPLICAS};
use serde_json::{Value, json};
use support::admin::field;

/// What docs/operations.md promises for a rotated secret: each replica keeps a pool for 5 s.
const POOL_CACHE: Duration = Duration::from_secs(5);
/// Slack on top of it, for the polling and the process start of the admin command.
const MARGIN: Duration = Duration::from_millis(1500);
/// A push stream that is not woken re-reads its session every 15 s; a wake-up must come long before.
const PROMPTLY: Duration = Duration::from_secs(5);

/// The PostgreSQL server, or `None` (with a note) when the fleet test is not asked for.
fn postgres_server() -> Option<String> {
    if std::env::var_os("DENGLU_FLEET_TEST").is_none() {
        eprintln!(
            "fleet: skipped; set DENGLU_FLEET_TEST=1 to run it (it needs {NGINX} and PostgreSQL, see scripts/test.sh)"
        );
        return None;
    }
    assert!(
        std::path::Path::new(NGINX).exists(),
        "DENGLU_FLEET_TEST is set but {NGINX} is missing: apt-get install nginx-light (or nginx)"
    );
    Some(
        std::env::var("TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned()),
    )
}

/// A fresh poll secret for a browser.
fn random(label: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("fleet{label}{n}x{}", std::process::id())
}

/// The browser starts a QR login at `base` (the compatible route); answers the scene.
fn start_qr(base: &str, pool: &str, random: &str) -> String {
    let started = get(&format!(
        "{base}/oauth/wxapp/qrcode/{pool}?random={random}&useSelfWxapp=false&enableFetchPhone=false"
    ));
    assert_eq!(started.body["code"], 200, "{}", started.body);
    started.body["data"]["scene"]
        .as_str()
        .expect("scene")
        .to_owned()
}

/// The browser polls at `base`; answers the inner `data`.
fn poll(base: &str, random: &str) -> Value {
    let reply = send(http().post(format!("{base}/oauth/wxapp/confirm/qr?random={random}")));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["code"], 200, "{}", reply.body);
    reply.body["data"].clone()
}

/// The scanner mini program scans at `base` with a `wx.login` code; answers the scan token.
fn scan(base: &str, scene: &str, code: &str) -> String {
    let reply = post(
        &format!("{base}/api/v1/scanner/sessions/{scene}/scan"),
        &json!({"code": code, "nickname": "小明"}),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body["scanToken"]
        .as_str()
        .expect("scan token")
        .to_owned()
}

/// The scanner mini program confirms at `base`.
fn confirm(base: &str, scene: &str, body: &Value) {
    let reply = post(
        &format!("{base}/api/v1/scanner/sessions/{scene}/confirm"),
        body,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
}

/// How long a change made on one replica may take to reach another that remembered the session or the user: the
/// time PostgreSQL's notice takes to arrive (milliseconds), which makes it forget what it remembered.
const NOTICE_WAIT: Duration = Duration::from_secs(2);

/// Asks until `done` likes the answer, for at most [`NOTICE_WAIT`]; answers the last answer and how long it took.
fn until(mut ask: impl FnMut() -> Value, done: impl Fn(&Value) -> bool) -> (Value, Duration) {
    let begun = Instant::now();
    loop {
        let answer = ask();
        if done(&answer) || begun.elapsed() > NOTICE_WAIT {
            return (answer, begun.elapsed());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// `/authing/token` at `base`.
fn check_token(base: &str, token: &str) -> Value {
    get(&format!("{base}/authing/token?access_token={token}")).body
}

fn bases(fleet: &Fleet) -> Vec<String> {
    fleet.replicas.iter().map(|r| r.base.clone()).collect()
}

fn seconds(duration: Duration) -> String {
    format!("{:.2} s", duration.as_secs_f64())
}

#[test]
fn three_replicas_behind_nginx_serve_every_flow_on_one_postgresql_database() {
    let Some(postgres) = postgres_server() else {
        return;
    };
    let begun = Instant::now();
    let mut fleet = Fleet::start(&postgres);
    eprintln!(
        "fleet: {REPLICAS} replicas, the simulator and nginx ready in {}",
        seconds(begun.elapsed())
    );
    let phone = Phone::new(&fleet.sim.base);

    let (user, token) = qr_login_crosses_replicas_by_polling(&fleet, &phone);
    push_wake_ups_cross_replicas(&fleet, &phone);
    app_ticket_crosses_replicas(&fleet, &phone);
    let secret = rotated_secret_counts_on_every_replica_within_the_cache_lifetime(&fleet);
    blocking_counts_on_every_replica_at_once(&fleet, &user, &token);
    the_fleet_fetches_one_access_token(&fleet, &phone, &secret);
    a_replica_stopped_with_sigterm_sends_its_push_stream_elsewhere(&mut fleet, &phone);
    a_replica_killed_mid_flow_is_skipped(&mut fleet, &phone);

    let used = fleet.upstreams_used();
    for address in fleet.upstream_addresses() {
        assert!(
            used.contains(&address),
            "nginx sent requests to every replica, not {address}:\n{}",
            fleet.access_log()
        );
    }
    eprintln!("fleet: whole test {}", seconds(begun.elapsed()));
}

/// 1. Started on the first replica, scanned on the second, confirmed on the third, collected by a poll on the
///    second; every replica sees every state (a replica that remembered the waiting session, once the notice
///    arrives: printed), the login leaves once, and the token checks out on all three.
///    Answers the user's id and token.
fn qr_login_crosses_replicas_by_polling(fleet: &Fleet, phone: &Phone) -> (String, String) {
    let [a, b, c] = <[String; 3]>::try_from(bases(fleet)).expect("three replicas");
    let random = random("Poll");
    let scene = start_qr(&a, &fleet.pool, &random);
    for base in [&a, &b, &c] {
        let waiting = poll(base, &random);
        assert_eq!(
            (&waiting["code"], &waiting["state"]),
            (&json!(500), &json!("pending"))
        );
    }

    // Each replica remembers the pending session it was polled for; another's scan reaches it by notice.
    let user = phone.user("Ming");
    let scan_token = scan(&b, &scene, &phone.login_code(&user));
    let mut slowest = Duration::ZERO;
    for base in [&a, &b, &c] {
        let (scanned, waited) = until(|| poll(base, &random), |p| p["state"] == "scanned");
        assert_eq!(scanned["state"], "scanned", "{base}");
        slowest = slowest.max(waited);
    }
    confirm(&c, &scene, &json!({"scanToken": scan_token}));

    let (collected, waited) = until(|| poll(&b, &random), |p| p["state"] != "scanned");
    assert_eq!(collected["code"], 200, "{collected}");
    slowest = slowest.max(waited);
    for base in [&a, &c, &b] {
        let again = poll(base, &random);
        assert_eq!(
            (&again["code"], &again["state"]),
            (&json!(4204), &json!("used")),
            "the login left once: {base}"
        );
    }
    eprintln!(
        "fleet: a scan or confirm on one replica reached the polls of the others within {}",
        seconds(slowest)
    );
    let token = collected["data"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    for base in [&a, &b, &c, &fleet.base] {
        assert_eq!(check_token(base, &token)["status"], true, "{base}");
    }
    let id = collected["data"]["_id"].as_str().expect("_id").to_owned();
    (id, token)
}

/// 1b. The push stream held open on one replica is woken by a scan and a confirm on another, through
///     PostgreSQL's notices, in each direction; prints the wake-up times.
fn push_wake_ups_cross_replicas(fleet: &Fleet, phone: &Phone) {
    let bases = bases(fleet);
    let mut wake_ups = Vec::new();
    for (listen, act) in [(0, 2), (1, 0), (2, 1)] {
        let start = 3 - listen - act;
        let random = random("Push");
        let scene = start_qr(&bases[start], &fleet.pool, &random);
        let stream = EventStream::open(&format!(
            "{}/api/v1/qr/events?random={random}",
            bases[listen]
        ));
        let (name, data, _) = stream.next_within(PROMPTLY);
        assert_eq!(
            (name.as_str(), &data["state"]),
            ("state", &json!("pending"))
        );

        let user = phone.user("Push");
        let scan_token = scan(&bases[act], &scene, &phone.login_code(&user));
        let (name, data, _) = stream.next_within(PROMPTLY);
        assert_eq!(
            (name.as_str(), &data["state"]),
            ("state", &json!("scanned"))
        );

        let sent = Instant::now();
        confirm(&bases[act], &scene, &json!({"scanToken": scan_token}));
        let (name, data, arrived) = stream.next_within(PROMPTLY);
        assert_eq!(name, "confirmed", "{data}");
        assert!(data["data"]["token"].is_string(), "{data}");
        wake_ups.push(arrived.duration_since(sent));
    }
    let most = wake_ups.iter().max().expect("rounds");
    let least = wake_ups.iter().min().expect("rounds");
    eprintln!(
        "fleet: push wake-up across replicas (confirm sent on one, `confirmed` read on another): {:.1}–{:.1} ms over {} rounds",
        least.as_secs_f64() * 1000.0,
        most.as_secs_f64() * 1000.0,
        wake_ups.len()
    );
}

/// 2. An app-launch ticket minted on one replica is exchanged on a second; a third refuses it (4403).
fn app_ticket_crosses_replicas(fleet: &Fleet, phone: &Phone) {
    let bases = bases(fleet);
    let user = phone.user("App");
    let minted = post(
        &format!("{}/api/v1/app-login/tickets", bases[0]),
        &json!({"userPoolId": fleet.pool, "code": phone.login_code(&user), "nickname": "阿明"}),
    );
    assert_eq!(minted.status, 200, "{}", minted.body);
    let ticket = minted.body["ticket"].as_str().expect("ticket");
    let exchange = |base: &str| {
        let reply = post(
            &format!("{base}/oauth/app2wxapp/auth/{}", fleet.pool),
            &json!({"ticket": ticket, "secret": fleet.secret}),
        );
        assert_eq!(reply.status, 200, "always HTTP 200: {}", reply.body);
        reply.body
    };

    let exchanged = exchange(&bases[1]);
    assert_eq!(exchanged["code"], 200, "{exchanged}");
    let data: Value =
        serde_json::from_str(exchanged["data"].as_str().expect("a JSON string")).expect("JSON");
    assert_eq!(data["registerMethod"], "oauth:app2wxapp");
    let token = data["token"].as_str().expect("token");
    assert_eq!(check_token(&bases[0], token)["status"], true);

    let again = exchange(&bases[2]);
    assert_eq!(again["code"], 4403, "the ticket works once: {again}");
}

/// 3. A secret rotated with `denglu pool rotate-secret` (on the shared database; there is no HTTP route for it)
///    stops working on every replica within the pool cache's 5 s, each replica having read the pool just before;
///    the new one then works everywhere. Answers the new secret.
fn rotated_secret_counts_on_every_replica_within_the_cache_lifetime(fleet: &Fleet) -> String {
    let bases = bases(fleet);
    let settings = |base: &str, secret: &str| {
        send(
            http()
                .get(format!(
                    "{base}/api/v1/pools/{}/app-login-settings",
                    fleet.pool
                ))
                .header("x-pool-secret", secret),
        )
    };
    for base in &bases {
        let reply = settings(base, &fleet.secret);
        assert_eq!(reply.status, 200, "{base}: {}", reply.body);
    }

    let rotated = fleet.admin(&["pool", "rotate-secret", &fleet.pool]);
    let rotated_at = Instant::now();
    let secret = field(&rotated, "secret");
    let mut refused_after: Vec<Option<Duration>> = vec![None; bases.len()];
    while refused_after.iter().any(Option::is_none) {
        for (base, refused) in bases.iter().zip(&mut refused_after) {
            if refused.is_none() {
                let reply = settings(base, &fleet.secret);
                match reply.status {
                    200 => {}
                    403 => {
                        assert_eq!(reply.body["code"], 1001, "{}", reply.body);
                        *refused = Some(rotated_at.elapsed());
                    }
                    _ => panic!("{base}: {} {}", reply.status, reply.body),
                }
            }
        }
        assert!(
            rotated_at.elapsed() < POOL_CACHE + MARGIN,
            "the old secret still works after {:?}: refused after {refused_after:?}",
            rotated_at.elapsed()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let slowest = refused_after.iter().flatten().max().expect("replicas");
    eprintln!(
        "fleet: rotated secret refused by every replica after {} (each: {})",
        seconds(*slowest),
        refused_after
            .iter()
            .flatten()
            .map(|d| seconds(*d))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for base in bases.iter().chain([&fleet.base]) {
        assert_eq!(settings(base, &fleet.secret).status, 403, "{base}");
        let reply = settings(base, &secret);
        assert_eq!(
            reply.status, 200,
            "the new secret works: {base} {}",
            reply.body
        );
    }
    secret
}

/// 4. A user blocked with `denglu user block` (no HTTP route either) is refused on every replica: at once where the
///    user is read (`/api/v1/me`), and where a replica remembered the token's check, as soon as PostgreSQL's notice
///    of the block arrives (printed), which makes it forget.
fn blocking_counts_on_every_replica_at_once(fleet: &Fleet, user: &str, token: &str) {
    let bases = bases(fleet);
    let me = |base: &str| send(http().get(format!("{base}/api/v1/me")).bearer_auth(token));
    for base in &bases {
        assert_eq!(me(base).status, 200, "{base}");
        assert_eq!(check_token(base, token)["status"], true, "{base}");
    }

    let blocked = fleet.admin(&["user", "block", "--pool", &fleet.pool, user]);
    assert!(blocked.contains("blocked"), "{blocked}");

    for base in &bases {
        let refused = me(base);
        assert_eq!(
            (refused.status, &refused.body["code"]),
            (403, &json!(2005)),
            "{base}: {}",
            refused.body
        );
        let (check, waited) = until(|| check_token(base, token), |c| c["status"] == false);
        assert_eq!(
            (&check["status"], &check["code"]),
            (&json!(false), &json!(2005)),
            "{base}: {check}"
        );
        eprintln!(
            "fleet: the block reached the token checks of {base} within {}",
            seconds(waited)
        );
    }
}

/// 5. Every replica calls WeChat with an access token (a mini program code in wxacode mode, and a phone number),
///    one after the other; the simulator issued one token, fetched once, for the whole fleet.
fn the_fleet_fetches_one_access_token(fleet: &Fleet, phone: &Phone, secret: &str) {
    let bases = bases(fleet);
    let before = phone.state();
    assert_eq!(before["tokens_issued"], 0, "no token yet: {before}");
    let set = send(
        http()
            .put(format!(
                "{}/api/v1/pools/{}/qr-settings",
                bases[0], fleet.pool
            ))
            .header("x-pool-secret", secret)
            .json(&json!({"mode": "wxacode"})),
    );
    assert_eq!(set.status, 200, "{}", set.body);
    let scene = start_qr(&fleet.base, &fleet.pool, &random("Code"));

    for base in &bases {
        let response = http()
            .get(format!("{base}/qrcode/{scene}.png"))
            .send()
            .expect("image");
        assert_eq!(response.status(), 200, "{base}");
        assert_eq!(response.headers()["content-type"], "image/jpeg", "{base}");
    }
    for base in &bases {
        let user = phone.user("Phone");
        let code = phone.login_code(&user);
        let minted = post(
            &format!("{base}/api/v1/app-login/tickets"),
            &json!({"userPoolId": fleet.pool, "code": code, "phoneCode": phone.phone_code(&user)}),
        );
        assert_eq!(minted.status, 200, "{base}: {}", minted.body);
    }

    let after = phone.state();
    let calls = &after["calls"];
    assert_eq!(calls["getwxacodeunlimit"], 3, "one per replica: {after}");
    assert_eq!(calls["getuserphonenumber"], 3, "one per replica: {after}");
    assert_eq!(
        after["tokens_issued"], 1,
        "one token for the fleet: {after}"
    );
    assert_eq!(calls["stable_token"], 1, "fetched once: {after}");
    assert!(calls.get("token").is_none(), "{after}");
    eprintln!(
        "fleet: access tokens issued by WeChat for {} replicas: {} ({} stable_token call)",
        bases.len(),
        after["tokens_issued"],
        calls["stable_token"]
    );
}

/// 6. Three browsers wait on push streams opened through nginx, one on each replica (round robin); the first replica
///    is stopped with SIGTERM: the stream it held gets `reconnect` and ends, the others get nothing, and the replica
///    exits cleanly at once. The browser opens the stream again through nginx, which skips the stopped replica, and
///    the login scanned and confirmed through nginx arrives on it.
fn a_replica_stopped_with_sigterm_sends_its_push_stream_elsewhere(
    fleet: &mut Fleet,
    phone: &Phone,
) {
    let randoms: Vec<String> = (0..REPLICAS).map(|_| random("Stop")).collect();
    let scenes: Vec<String> = randoms
        .iter()
        .map(|random| start_qr(&fleet.base, &fleet.pool, random))
        .collect();
    let events = |random: &str| format!("{}/api/v1/qr/events?random={random}", fleet.base);
    let streams: Vec<EventStream> = randoms
        .iter()
        .map(|r| EventStream::open(&events(r)))
        .collect();
    for stream in &streams {
        assert_eq!(stream.next_within(PROMPTLY).1["state"], "pending");
    }

    let stopped = Instant::now();
    let status = fleet.replicas[0].terminate();
    let exited = stopped.elapsed();
    assert!(status.success(), "a clean exit: {status}");
    let told: Vec<usize> = (0..REPLICAS)
        .filter(|&i| {
            streams[i]
                .try_next_within(Duration::from_millis(500))
                .is_some_and(|(name, _, _)| name == "reconnect")
        })
        .collect();
    assert_eq!(
        told.len(),
        1,
        "only the stream on the stopped replica is told to reconnect"
    );
    let browser = told[0];
    assert!(
        streams[browser].try_next_within(PROMPTLY).is_none(),
        "nothing follows the reconnect event"
    );

    let reopened = EventStream::open(&events(&randoms[browser]));
    assert_eq!(reopened.next_within(PROMPTLY).1["state"], "pending");
    let user = phone.user("Rolling");
    let scan_token = scan(&fleet.base, &scenes[browser], &phone.login_code(&user));
    assert_eq!(reopened.next_within(PROMPTLY).1["state"], "scanned");
    confirm(
        &fleet.base,
        &scenes[browser],
        &json!({"scanToken": scan_token}),
    );
    let (name, data, _) = reopened.next_within(PROMPTLY);
    assert_eq!(name, "confirmed", "{data}");
    let token = data["data"]["token"].as_str().expect("token");
    assert_eq!(check_token(&fleet.base, token)["status"], true);
    eprintln!(
        "fleet: a replica stopped with SIGTERM while holding a push stream exited in {}",
        seconds(exited)
    );
}

/// 7. A QR login started and scanned on the last replica, which is then killed with SIGKILL: nginx skips it and
///    the confirm and the collect go through the others; every request through nginx still succeeds.
fn a_replica_killed_mid_flow_is_skipped(fleet: &mut Fleet, phone: &Phone) {
    let victim = fleet.replicas[2].base.clone();
    let random = random("Kill");
    let scene = start_qr(&victim, &fleet.pool, &random);
    let user = phone.user("Survivor");
    let scan_token = scan(&victim, &scene, &phone.login_code(&user));
    assert_eq!(poll(&victim, &random)["state"], "scanned");

    fleet.replicas[2].kill();
    assert!(
        http().get(format!("{victim}/healthz")).send().is_err(),
        "the replica is gone"
    );

    for _ in 0..2 * REPLICAS {
        assert_eq!(poll(&fleet.base, &random)["state"], "scanned");
    }
    confirm(
        &fleet.base,
        &scene,
        &json!({"scanToken": scan_token, "phoneCode": phone.phone_code(&user)}),
    );
    let (collected, _) = until(|| poll(&fleet.base, &random), |p| p["state"] != "scanned");
    assert_eq!(collected["code"], 200, "{collected}");
    assert_eq!(collected["data"]["phone"], "13580006666", "{collected}");
    let token = collected["data"]["token"].as_str().expect("token");
    for _ in 0..2 * REPLICAS {
        assert_eq!(check_token(&fleet.base, token)["status"], true);
        assert_eq!(get(&format!("{}/readyz", fleet.base)).status, 200);
    }
    assert_eq!(
        phone.state()["tokens_issued"],
        1,
        "still the one access token"
    );
    let victim_address = fleet.upstream_addresses()[2].clone();
    assert!(
        fleet.access_log().lines().any(|line| line
            .split_once(" upstream=")
            .is_some_and(|(_, tried)| tried.starts_with(&format!("{victim_address}, ")))),
        "nginx tried the killed replica and went on to another:\n{}",
        fleet.access_log()
    );
}
