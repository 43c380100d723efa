//! The memory of users' standing and the notices that clear it.

use chrono::{TimeZone, Utc};
use denglu_domain::{PoolId, UserId};
use denglu_store::Revocation;
use tokio::sync::broadcast;

use super::{Standing, TokenChecks};
use crate::ServiceError;

fn user() -> (PoolId, UserId) {
    let now = Utc::now();
    (PoolId::generate(now), UserId::generate(now))
}

/// Checks and a sender of notices to them, subscribed as the first check does.
fn checks_with_notices() -> (TokenChecks, broadcast::Sender<Revocation>) {
    let checks = TokenChecks::default();
    let sender = broadcast::channel(4).0;
    let (remembered, _) = checks.standing(&user(), || sender.subscribe());
    assert!(remembered.is_none(), "nothing remembered yet");
    (checks, sender)
}

fn remembered(checks: &TokenChecks, key: &(PoolId, UserId)) -> Option<Standing> {
    checks
        .standing(key, || unreachable!("subscribed already"))
        .0
}

fn remember(checks: &TokenChecks, key: &(PoolId, UserId), standing: Standing) {
    let (_, heard) = checks.standing(key, || unreachable!("subscribed already"));
    checks.remember_standing(key.clone(), standing, heard, || unreachable!());
}

#[test]
fn a_notice_forgets_the_user_it_names_and_only_them() {
    let (checks, notices) = checks_with_notices();
    let (named, other) = (user(), user());
    remember(&checks, &named, Standing::Active(None));
    remember(&checks, &other, Standing::Active(None));
    notices
        .send(Revocation::User(named.0.clone(), named.1.clone()))
        .expect("a subscriber");
    assert!(
        remembered(&checks, &named).is_none(),
        "named user forgotten"
    );
    assert!(matches!(
        remembered(&checks, &other),
        Some(Standing::Active(None))
    ));
}

#[test]
fn everyone_and_lost_notices_forget_every_standing() {
    let (checks, notices) = checks_with_notices();
    let (first, second) = (user(), user());
    remember(&checks, &first, Standing::Blocked);
    notices.send(Revocation::Everyone).expect("a subscriber");
    assert!(remembered(&checks, &first).is_none());

    remember(&checks, &second, Standing::Blocked);
    // More notices than the channel holds: the receiver lags, and which users they named is unknown.
    for _ in 0..6 {
        notices
            .send(Revocation::User(user().0, user().1))
            .expect("a subscriber");
    }
    assert!(remembered(&checks, &second).is_none());
}

#[test]
fn a_standing_read_while_a_notice_came_is_not_remembered() {
    let (checks, notices) = checks_with_notices();
    let key = user();
    let (_, heard) = checks.standing(&key, || unreachable!("subscribed already"));
    // The user is blocked after the store was read, before what was read is remembered.
    notices
        .send(Revocation::User(key.0.clone(), key.1.clone()))
        .expect("a subscriber");
    checks.remember_standing(
        key.clone(),
        Standing::Active(None),
        heard,
        || unreachable!(),
    );
    assert!(remembered(&checks, &key).is_none());
}

#[test]
fn standings_refuse_as_a_full_check_does() {
    let logout =
        Utc.with_ymd_and_hms(2026, 12, 6, 10, 0, 0).unwrap() + chrono::TimeDelta::milliseconds(500);
    let floor = logout.timestamp() + 1;
    assert!(Standing::Active(None).admits(0).is_ok());
    assert!(Standing::Active(Some(logout)).admits(floor).is_ok());
    assert!(matches!(
        Standing::Active(Some(logout)).admits(floor - 1),
        Err(ServiceError::TokenRevoked)
    ));
    assert!(matches!(
        Standing::Blocked.admits(floor),
        Err(ServiceError::UserBlocked)
    ));
    assert!(matches!(
        Standing::Gone.admits(floor),
        Err(ServiceError::Token(denglu_tokens::TokenError::Invalid))
    ));
}
