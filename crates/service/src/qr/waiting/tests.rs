//! Remembering waiting sessions, and forgetting them on their scene's notice.

use std::sync::Arc;

use chrono::{TimeDelta, Utc};
use denglu_crypto::hash_secret;
use denglu_domain::{PoolId, QrSession, QrState};
use denglu_store::EVERY_QR_SCENE;
use tokio::sync::broadcast;

use super::WaitingSessions;

fn session(scene: &str, state: QrState) -> QrSession {
    let now = Utc::now();
    let mut session = QrSession::start(
        scene.to_owned(),
        PoolId::generate(now),
        hash_secret(&format!("poll secret of {scene}")),
        Default::default(),
        Default::default(),
        TimeDelta::minutes(2),
        now,
    );
    session.state = state;
    session
}

/// An empty memory subscribed to a channel of scene notices, as the first poll does.
fn subscribed() -> (WaitingSessions, broadcast::Sender<Arc<str>>) {
    let waiting = WaitingSessions::default();
    let sender = broadcast::channel(4).0;
    let (found, _) = waiting.get(&hash_secret("nobody"), || sender.subscribe());
    assert!(found.is_none());
    (waiting, sender)
}

fn remember(waiting: &WaitingSessions, session: &QrSession) {
    let (_, heard) = waiting.get(&session.poll_secret, || unreachable!());
    waiting.remember(session, heard, || unreachable!());
}

fn remembered(waiting: &WaitingSessions, session: &QrSession) -> Option<QrSession> {
    waiting.get(&session.poll_secret, || unreachable!()).0
}

#[test]
fn waiting_sessions_are_remembered_until_their_scene_is_announced() {
    let (waiting, notices) = subscribed();
    let pending = session("scene-pending", QrState::Pending);
    let scanned = session("scene-scanned", QrState::Scanned);
    remember(&waiting, &pending);
    remember(&waiting, &scanned);
    assert_eq!(remembered(&waiting, &pending).as_ref(), Some(&pending));

    notices.send("scene-pending".into()).expect("a subscriber");
    assert_eq!(
        remembered(&waiting, &pending),
        None,
        "its scene was announced"
    );
    assert_eq!(remembered(&waiting, &scanned).as_ref(), Some(&scanned));

    notices.send(EVERY_QR_SCENE.into()).expect("a subscriber");
    assert_eq!(
        remembered(&waiting, &scanned),
        None,
        "every scene may have changed"
    );
}

#[test]
fn only_waiting_sessions_are_remembered() {
    let (waiting, _notices) = subscribed();
    for state in [QrState::Confirmed, QrState::Claimed, QrState::Cancelled] {
        let settled = session("scene", state);
        remember(&waiting, &settled);
        assert_eq!(remembered(&waiting, &settled), None, "{state:?}");
    }
}

#[test]
fn a_session_read_while_its_scene_changed_is_not_remembered() {
    let (waiting, notices) = subscribed();
    let pending = session("scene", QrState::Pending);
    let (_, heard) = waiting.get(&pending.poll_secret, || unreachable!());
    // Scanned after the store was read, before what was read is remembered.
    notices.send("scene".into()).expect("a subscriber");
    waiting.remember(&pending, heard, || unreachable!());
    assert_eq!(remembered(&waiting, &pending), None);
}

#[test]
fn missed_notices_forget_everything() {
    let (waiting, notices) = subscribed();
    let pending = session("scene", QrState::Pending);
    remember(&waiting, &pending);
    for other in 0..6 {
        notices
            .send(format!("other-{other}").into())
            .expect("a subscriber");
    }
    assert_eq!(remembered(&waiting, &pending), None);
}
