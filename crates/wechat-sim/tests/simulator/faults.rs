//! Fault injection: errors and delays on chosen APIs.

use std::time::{Duration, Instant};

use denglu_wechat_sim::{Api, Fault, SimError};

use crate::common::{APP, Harness, SECRET, assert_error, errcode, text};

#[tokio::test]
async fn next_call_fails_with_system_error_then_recovers() {
    let h = Harness::default().await;
    let user = h.user("ada");
    let code = h.sim.login(APP, user).expect("login");
    h.sim
        .add_fault(Fault::error(Some(Api::Jscode2session), -1).times(1))
        .expect("fault");
    let busy = h.code2session(APP, SECRET, &code).await;
    assert_error(&busy, -1);
    assert!(text(&busy, "errmsg").starts_with("system error, rid: "));
    assert_eq!(
        errcode(&h.code2session(APP, SECRET, &code).await),
        0,
        "the fault did not burn the code"
    );
    assert!(
        h.sim.faults().is_empty(),
        "a one-shot fault is gone once used"
    );
}

#[tokio::test]
async fn quota_and_blocked_codes() {
    let h = Harness::default().await;
    let user = h.user("ada");
    let code = h.sim.login(APP, user).expect("login");
    h.sim
        .add_fault(Fault::error(Some(Api::Jscode2session), 45011).times(2))
        .expect("fault");
    h.sim
        .add_fault(Fault::error(Some(Api::Jscode2session), 40226).times(1))
        .expect("fault");
    assert_error(&h.code2session(APP, SECRET, &code).await, 45011);
    assert_error(&h.code2session(APP, SECRET, &code).await, 45011);
    let blocked = h.code2session(APP, SECRET, &code).await;
    assert_error(&blocked, 40226);
    assert!(text(&blocked, "errmsg").starts_with("code blocked, rid: "));
    assert_eq!(errcode(&h.code2session(APP, SECRET, &code).await), 0);
}

#[tokio::test]
async fn faults_only_hit_their_api_unless_global() {
    let h = Harness::default().await;
    h.sim
        .add_fault(Fault::error(Some(Api::StableToken), 45009))
        .expect("fault");
    assert_eq!(errcode(&h.legacy_token(APP, SECRET).await), 0);
    assert_error(&h.stable_token(APP, SECRET, false).await, 45009);
    assert_error(&h.stable_token(APP, SECRET, false).await, 45009);
    h.sim.clear_faults();
    assert_eq!(errcode(&h.stable_token(APP, SECRET, false).await), 0);

    let custom = Fault {
        errmsg: Some("custom text".to_owned()),
        ..Fault::error(None, 48001)
    };
    h.sim.add_fault(custom).expect("fault");
    let reply = h.legacy_token(APP, SECRET).await;
    assert_error(&reply, 48001);
    assert!(text(&reply, "errmsg").starts_with("custom text, rid: "));
    let wx = h.get("/wxa/checksession?access_token=x").await.json();
    assert_error(&wx, 48001);
}

#[tokio::test]
async fn delays_slow_calls_down() {
    let h = Harness::default().await;
    h.sim
        .add_fault(Fault::delay(Some(Api::Token), Duration::from_millis(300)).times(1))
        .expect("fault");
    let started = Instant::now();
    assert_eq!(
        errcode(&h.legacy_token(APP, SECRET).await),
        0,
        "a delay alone still succeeds"
    );
    // A lower bound only: the delay cannot be shorter, however loaded the machine is.
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(h.sim.faults().is_empty(), "a one-shot delay is spent");
}

#[tokio::test]
async fn delayed_calls_do_not_block_others() {
    let h = Harness::default().await;
    h.sim
        .add_fault(Fault::delay(Some(Api::Getwxacodeunlimit), Duration::from_secs(60)).times(1))
        .expect("fault");
    let slow = {
        let url = format!("{}/wxa/getwxacodeunlimit?access_token=x", h.base);
        tokio::spawn(async move {
            reqwest::Client::new()
                .post(url)
                .json(&serde_json::json!({}))
                .send()
                .await
        })
    };
    while !h.sim.faults().is_empty() {
        tokio::task::yield_now().await;
    }

    // The delayed call is in flight; another call is answered meanwhile, so the state lock is not held while delaying.
    assert_eq!(errcode(&h.legacy_token(APP, SECRET).await), 0);
    assert!(!slow.is_finished(), "the delayed call is still waiting");
    slow.abort();
}

#[tokio::test]
async fn invalid_faults_are_refused() {
    let h = Harness::default().await;
    assert!(matches!(
        h.sim.add_fault(Fault::error(None, 0)),
        Err(SimError::InvalidInput(_))
    ));
    let nothing = Fault {
        errcode: None,
        ..Fault::error(None, -1)
    };
    assert!(matches!(
        h.sim.add_fault(nothing),
        Err(SimError::InvalidInput(_))
    ));
    assert!(matches!(
        h.sim.add_fault(Fault::error(None, -1).times(0)),
        Err(SimError::InvalidInput(_))
    ));
}
