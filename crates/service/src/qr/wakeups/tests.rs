//! The wake-up registry on its own: dispatch by scene, waking everyone after a lag, and no entry left behind.

use std::{sync::Arc, time::Duration};

use tokio::sync::broadcast;

use super::{Notices, QrWakeups};

/// Whether `notices` resolves within `within`.
async fn woken(notices: &mut Notices, within: Duration) -> bool {
    tokio::time::timeout(within, notices.next()).await.is_ok()
}

#[tokio::test]
async fn a_notice_wakes_the_watchers_of_its_scene_and_no_one_else() {
    let (store, _) = broadcast::channel::<Arc<str>>(16);
    let wakeups = QrWakeups::default();
    let mut first = wakeups.watch("scene-a", || store.subscribe());
    let mut second = wakeups.watch("scene-a", || store.subscribe());
    let mut other = wakeups.watch("scene-b", || store.subscribe());

    store.send("scene-a".into()).expect("the relay listens");

    assert!(woken(&mut first, Duration::from_secs(5)).await);
    assert!(woken(&mut second, Duration::from_secs(5)).await);
    assert!(!woken(&mut other, Duration::from_millis(200)).await);
    assert!(
        !woken(&mut first, Duration::from_millis(200)).await,
        "one notice wakes once"
    );
}

#[tokio::test]
async fn a_notice_that_came_before_the_wait_is_not_lost() {
    let (store, _) = broadcast::channel::<Arc<str>>(16);
    let wakeups = QrWakeups::default();
    let mut watcher = wakeups.watch("scene-a", || store.subscribe());

    store.send("scene-a".into()).expect("the relay listens");
    tokio::time::sleep(Duration::from_millis(100)).await;

    assert!(woken(&mut watcher, Duration::from_secs(5)).await);
}

#[tokio::test]
async fn lost_notices_wake_every_watcher() {
    let (store, _) = broadcast::channel::<Arc<str>>(1);
    let wakeups = QrWakeups::default();
    let mut first = wakeups.watch("scene-a", || store.subscribe());
    let mut second = wakeups.watch("scene-b", || store.subscribe());

    // The relay has not run yet on this single-threaded runtime: it will find it missed notices.
    for scene in ["scene-x", "scene-y", "scene-z"] {
        store.send(scene.into()).expect("the relay listens");
    }

    assert!(woken(&mut first, Duration::from_secs(5)).await);
    assert!(woken(&mut second, Duration::from_secs(5)).await);
}

#[tokio::test]
async fn a_scene_is_forgotten_when_its_last_watcher_goes() {
    let (store, _) = broadcast::channel::<Arc<str>>(16);
    let wakeups = QrWakeups::default();
    let first = wakeups.watch("scene-a", || store.subscribe());
    let second = wakeups.watch("scene-a", || store.subscribe());
    let other = wakeups.watch("scene-b", || store.subscribe());
    assert_eq!(wakeups.watched(), 2);

    drop(first);
    assert_eq!(wakeups.watched(), 2, "scene-a still has a watcher");
    drop(second);
    assert_eq!(wakeups.watched(), 1);
    drop(other);
    assert_eq!(wakeups.watched(), 0);

    store.send("scene-a".into()).expect("the relay listens");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(wakeups.watched(), 0, "a notice does not bring it back");
    let mut again = wakeups.watch("scene-a", || store.subscribe());
    assert!(
        !woken(&mut again, Duration::from_millis(200)).await,
        "a new watcher starts from now"
    );
}

#[tokio::test]
async fn a_stream_dropped_while_it_waits_leaves_nothing_behind() {
    let (store, _) = broadcast::channel::<Arc<str>>(16);
    let wakeups = QrWakeups::default();
    let mut watcher = wakeups.watch("scene-a", || store.subscribe());
    let waiting = tokio::spawn(async move { watcher.next().await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(wakeups.watched(), 1);

    waiting.abort();
    assert!(waiting.await.expect_err("aborted").is_cancelled());

    assert_eq!(wakeups.watched(), 0);
}

#[tokio::test]
async fn the_every_scene_notice_wakes_every_watcher() {
    let (store, _) = broadcast::channel::<Arc<str>>(16);
    let wakeups = QrWakeups::default();
    let mut first = wakeups.watch("scene-a", || store.subscribe());
    let mut second = wakeups.watch("scene-b", || store.subscribe());

    store
        .send(denglu_store::EVERY_QR_SCENE.into())
        .expect("the relay listens");

    assert!(woken(&mut first, Duration::from_secs(5)).await);
    assert!(woken(&mut second, Duration::from_secs(5)).await);
}
