//! `kill -9` under load, then a restart on the same data: `denglu serve` (the built binary) is killed in the middle
//! of sign-ups, app-launch ticket exchanges and QR logins, and started again on the same database and master key.
//! Everything it acknowledged is still there, nothing is spent twice, and what it never answered is in a state the
//! docs promise. On SQLite, and on a fresh PostgreSQL database when `TEST_DATABASE_URL` is set.

#[allow(
    dead_code,
    reason = "every test binary compiles the shared support module and uses only part of it"
)]
mod support;

mod crash {
    pub(crate) mod load;
    pub(crate) mod world;
}

use std::time::{Duration, Instant};

use crash::{
    load::{self, Answer, Ledger, PASSWORD, Target},
    world::World,
};
use serde_json::{Value, json};

/// The inner code of a compatible QR poll's answer.
fn inner_code(answer: &Answer) -> Value {
    answer.1["data"]["code"].clone()
}

/// The user `token` belongs to, asked of `/api/v1/me`; panics unless it is valid.
fn me(client: &reqwest::blocking::Client, base: &str, token: &str) -> String {
    let answer = load::send(client.get(format!("{base}/api/v1/me")).bearer_auth(token))
        .expect("the restarted server answers");
    assert_eq!(answer.0, 200, "the token is still valid: {}", answer.1);
    answer.1["_id"].as_str().expect("a user id").to_owned()
}

/// Checks, on the restarted server at `target.base`, everything the ledger holds; answers how many of the
/// unanswered requests had taken effect before the kill.
fn check_after_restart(target: &Target<'_>, ledger: &Ledger) -> usize {
    let client = load::client();
    let base = target.base;
    let mut took_effect = 0;

    for username in &ledger.sign_ups {
        let login = load::send(
            client
                .post(format!("{base}/api/v1/pools/{}/login", target.pool))
                .json(&json!({"account": username, "password": PASSWORD})),
        )
        .expect("the restarted server answers");
        assert_eq!(
            login.0, 200,
            "the acknowledged sign-up {username} logs in: {}",
            login.1
        );
        assert!(login.1["token"].is_string(), "{}", login.1);
    }

    // A sign-up cut by the kill: the account exists and logs in, or nothing of it was written and the same
    // username signs up now.
    for username in &ledger.unanswered_sign_ups {
        let login = || {
            load::send(
                client
                    .post(format!("{base}/api/v1/pools/{}/login", target.pool))
                    .json(&json!({"account": username, "password": PASSWORD})),
            )
            .expect("the restarted server answers")
        };
        if login().0 == 200 {
            took_effect += 1;
            continue;
        }
        let again = load::send(
            client
                .post(format!("{base}/api/v1/pools/{}/users", target.pool))
                .json(&json!({"username": username, "password": PASSWORD})),
        )
        .expect("the restarted server answers");
        assert_eq!(
            again.0, 201,
            "nothing of {username} was written: {}",
            again.1
        );
        assert_eq!(login().0, 200);
    }

    for exchange in &ledger.exchanges {
        assert_eq!(me(&client, base, &exchange.token), exchange.user);
        let again = load::exchange(&client, target, &exchange.ticket).expect("answers");
        assert_eq!(
            again.1["code"], 4403,
            "an exchanged ticket is used: {}",
            again.1
        );
    }
    for ticket in &ledger.unanswered_exchanges {
        let first = load::exchange(&client, target, ticket).expect("answers");
        let second = load::exchange(&client, target, ticket).expect("answers");
        assert_eq!(second.1["code"], 4403, "a ticket works once: {}", second.1);
        match load::logged_in(&first) {
            Some((token, user)) => assert_eq!(me(&client, base, &token), user),
            None => {
                assert_eq!(
                    first.1["code"], 4403,
                    "an unanswered exchange either took effect or did not: {}",
                    first.1
                );
                took_effect += 1;
            }
        }
    }

    for (random, token) in &ledger.collects {
        me(&client, base, token);
        let again = load::poll(&client, base, random).expect("answers");
        assert_eq!(inner_code(&again), 4204, "collected once: {}", again.1);
    }
    // A confirmed login not collected: the next poll hands it out, once (docs/operations.md).
    for random in &ledger.left_confirmed {
        let first = load::poll(&client, base, random).expect("answers");
        assert_eq!(inner_code(&first), 200, "still collectable: {}", first.1);
        let token = first.1["data"]["data"]["token"].as_str().expect("a token");
        me(&client, base, token);
        let second = load::poll(&client, base, random).expect("answers");
        assert_eq!(inner_code(&second), 4204, "collected once: {}", second.1);
    }
    // A collect cut by the kill: either it claimed the login before (4204: the token left the server, into a
    // connection that died) or it did not (the login is still there for one poll).
    for random in &ledger.unanswered_collects {
        let first = load::poll(&client, base, random).expect("answers");
        match inner_code(&first).as_u64() {
            Some(200) => {
                let token = first.1["data"]["data"]["token"].as_str().expect("a token");
                me(&client, base, token);
                let second = load::poll(&client, base, random).expect("answers");
                assert_eq!(inner_code(&second), 4204, "collected once: {}", second.1);
            }
            Some(4204) => took_effect += 1,
            _ => panic!("an unanswered collect is collectable or used: {}", first.1),
        }
    }
    // A start cut by the kill: the session is pending, or unknown. A scan cut by the kill: scanned, or pending.
    for (randoms, outcomes) in [
        (
            &ledger.unanswered_starts,
            [("pending", true), ("unknown", false)],
        ),
        (
            &ledger.unanswered_scans,
            [("scanned", true), ("pending", false)],
        ),
    ] {
        for random in randoms {
            let polled = load::poll(&client, base, random).expect("answers");
            let state = polled.1["data"]["state"].as_str();
            let Some(&(_, took)) = outcomes.iter().find(|(name, _)| Some(*name) == state) else {
                panic!(
                    "a cut request leaves the session {outcomes:?}: {}",
                    polled.1
                );
            };
            took_effect += usize::from(took);
        }
    }
    // A confirmation cut by the kill: confirmed (collectable once) or still scanned.
    for random in &ledger.unanswered_confirms {
        let first = load::poll(&client, base, random).expect("answers");
        match (
            inner_code(&first).as_u64(),
            first.1["data"]["state"].as_str(),
        ) {
            (Some(200), _) => {
                took_effect += 1;
                let second = load::poll(&client, base, random).expect("answers");
                assert_eq!(inner_code(&second), 4204, "collected once: {}", second.1);
            }
            (Some(500), Some("scanned")) => {}
            _ => panic!(
                "an unanswered confirmation is confirmed or still scanned: {}",
                first.1
            ),
        }
    }
    took_effect
}

#[test]
fn a_server_killed_under_load_keeps_what_it_acknowledged_and_spends_nothing_twice() {
    let world = World::new();
    let mut first = world.serve("first");
    let first_ready = first.ready();

    let first_base = first.base.clone();
    let started = Instant::now();
    let target = Target {
        base: &first_base,
        wechat: &world.wechat.base,
        pool: &world.pool,
        pool_secret: &world.pool_secret,
        until: started + Duration::from_secs(2),
    };
    let ledger = load::run(&target, started + Duration::from_secs(1), || first.kill());
    assert!(
        ledger.refusals.is_empty(),
        "the server refused work under load: {:#?}\n{}",
        ledger.refusals,
        first.log()
    );
    assert!(
        !ledger.sign_ups.is_empty() && !ledger.exchanges.is_empty() && !ledger.collects.is_empty(),
        "each kind of request was acknowledged before the kill: {ledger:?}"
    );

    let mut second = world.serve("second");
    let restart_ready = second.ready();
    let target = Target {
        base: &second.base,
        ..target
    };
    let took_effect = check_after_restart(&target, &ledger);
    let ready = load::send(load::client().get(format!("{}/readyz", second.base)));
    assert_eq!(ready.map(|(status, _)| status), Some(200));

    let cut = ledger.unanswered_sign_ups.len()
        + ledger.unanswered_exchanges.len()
        + ledger.unanswered_starts.len()
        + ledger.unanswered_scans.len()
        + ledger.unanswered_confirms.len()
        + ledger.unanswered_collects.len();
    eprintln!(
        "crash: {}: {} requests acknowledged in the 1 s before the kill ({} sign-ups, {} ticket exchanges, {} QR \
         collects, {} QR logins confirmed and left to collect); {cut} cut by the kill, of which {took_effect} had \
         taken effect",
        world.database.backend(),
        ledger.acknowledged,
        ledger.sign_ups.len(),
        ledger.exchanges.len(),
        ledger.collects.len(),
        ledger.left_confirmed.len(),
    );
    eprintln!(
        "crash: {}: ready {first_ready:.0?} after the first start, {restart_ready:.0?} after the restart",
        world.database.backend(),
    );
}
