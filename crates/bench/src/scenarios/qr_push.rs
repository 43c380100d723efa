//! QR push: thousands of browsers wait on `GET /api/v1/qr/events` (server-sent events) at once; the server's memory
//! per waiter is measured, then phones scan and confirm some of the logins while all the others keep waiting, and
//! each confirm's latency to its browser (confirm sent → `confirmed` event read) is recorded.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail, ensure};
use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use hdrhistogram::Histogram;
use tokio::{
    sync::{OwnedSemaphorePermit, Semaphore, oneshot},
    task::JoinSet,
};

use super::Target;
use crate::{
    client,
    load::{self, Load, histogram, micros},
    report::{Figure, mib},
};

/// Connections being opened at once, so the server's accept queue is not flooded.
const OPENING: usize = 256;
/// Phones confirming at the same time.
const PHONES: usize = 4;

/// A session a phone will confirm: its scene, and where its browser reports the `confirmed` event's arrival.
type Phone = Mutex<Option<(String, oneshot::Receiver<Instant>)>>;

/// Counts of the waiting browsers.
#[derive(Default)]
struct Waiting {
    held: AtomicUsize,
    failed: AtomicUsize,
    first_error: Mutex<Option<String>>,
}

pub(crate) async fn run(target: &Target) -> Result<Vec<Figure>> {
    let (sessions, _) = target.start_qr_sessions(target.options.waiters).await?;
    let count = sessions.len();
    let confirms = target.options.confirms.min(count);
    // Streams never time out; this client's connections go away with it at the end.
    let streams = reqwest::Client::builder()
        .no_proxy()
        .build()
        .context("cannot build the streaming client")?;
    let url = format!("{}/api/v1/qr/events", target.server.base);
    let waiting = Arc::new(Waiting::default());
    let opening = Arc::new(Semaphore::new(OPENING));
    let before = target.server.rss()?;
    let started = Instant::now();
    let mut browsers = JoinSet::new();
    let mut phones = Vec::with_capacity(confirms);
    for (n, (random, scene)) in sessions.into_iter().enumerate() {
        let notice = (n < confirms).then(|| {
            let (sender, receiver) = oneshot::channel();
            phones.push(Mutex::new(Some((scene, receiver))));
            sender
        });
        let permit = Arc::clone(&opening).acquire_owned().await?;
        let request = streams.get(&url).query(&[("random", random)]);
        let waiting = Arc::clone(&waiting);
        browsers.spawn(async move {
            if let Err(error) = wait(request, permit, &waiting, notice).await {
                waiting.failed.fetch_add(1, Ordering::Relaxed);
                let mut first = waiting
                    .first_error
                    .lock()
                    .unwrap_or_else(|e| e.into_inner());
                first.get_or_insert_with(|| format!("{error:#}"));
            }
        });
    }
    while waiting.held.load(Ordering::Relaxed) + waiting.failed.load(Ordering::Relaxed) < count {
        ensure!(
            started.elapsed() < Duration::from_secs(300),
            "the waiters did not all connect in 300 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let opened = started.elapsed();
    let after = target.server.rss()?;
    let held = waiting.held.load(Ordering::Relaxed);
    let per_waiter_kib = after.saturating_sub(before) as f64 / 1024.0 / held.max(1) as f64;
    let hold = Figure {
        database: target.database,
        scenario: format!("QR push: {count} browsers waiting on /api/v1/qr/events"),
        requests: held as u64,
        errors: waiting.failed.load(Ordering::Relaxed) as u64,
        per_second: None,
        p50_ms: None,
        p99_ms: None,
        of_ceiling: None,
        rss_mib: mib(after),
        server_cpu_ms: None,
        postgres_cpu_ms: None,
        note: format!(
            "{per_waiter_kib:.1} KiB server RSS per waiter ({:.1} MiB before them); all connected in {:.1} s",
            mib(before),
            opened.as_secs_f64()
        ),
        first_error: waiting
            .first_error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone(),
    };
    let confirmed = confirm(target, phones).await;
    let mut latency = Figure::from_stats(
        target.database,
        format!("QR push: confirm → browser, {held} waiting"),
        &confirmed,
        target.server.rss()?,
    )
    .with_note(format!(
        "{confirms} phones scan and confirm ({PHONES} at a time); latency from the confirm to the browser's event"
    ));
    latency.per_second = None;
    browsers.abort_all();
    drop(streams);
    Ok(vec![hold, latency])
}

/// One browser: opens the stream, counts itself as waiting at the first `state` event, and reports the moment its
/// `confirmed` event arrives.
async fn wait(
    request: reqwest::RequestBuilder,
    permit: OwnedSemaphorePermit,
    waiting: &Waiting,
    notice: Option<oneshot::Sender<Instant>>,
) -> Result<()> {
    let response = request.send().await?;
    ensure!(response.status().is_success(), "HTTP {}", response.status());
    let mut events = response.bytes_stream().eventsource();
    let mut permit = Some(permit);
    while let Some(event) = events.next().await {
        let event = event?;
        match event.event.as_str() {
            "state" if permit.is_some() => {
                permit = None;
                waiting.held.fetch_add(1, Ordering::Relaxed);
            }
            "state" => {}
            "confirmed" => {
                if let Some(notice) = notice {
                    let _ = notice.send(Instant::now());
                }
                return Ok(());
            }
            other => bail!("unexpected event {other:?}: {}", event.data),
        }
    }
    bail!("the stream ended before a confirmation")
}

/// The phones: each scans a waiting session's code with a fresh `wx.login` code and confirms; the latency runs from
/// sending the confirm to the browser reading its event.
async fn confirm(target: &Target, phones: Vec<Phone>) -> load::Stats {
    let count = phones.len();
    let phones = Arc::new(phones);
    let latencies = Arc::new(Mutex::new(histogram()));
    let client = target.client.clone();
    let base = target.server.base.clone();
    let wechat = Arc::clone(&target.wechat);
    let recorded = Arc::clone(&latencies);
    let load = Load {
        connections: PHONES,
        requests: Some(count),
        time: Duration::from_secs(300),
    };
    let mut stats = load::run(load, move |n| {
        let (client, base, wechat) = (client.clone(), base.clone(), Arc::clone(&wechat));
        let (phones, latencies) = (Arc::clone(&phones), Arc::clone(&recorded));
        async move {
            let taken = phones[n].lock().unwrap_or_else(|e| e.into_inner()).take();
            let (scene, delivered) = taken.context("each session is confirmed once")?;
            let session = format!("{base}/api/v1/scanner/sessions/{scene}");
            let code = wechat.login_code(n)?;
            let scanned = client::json(
                client
                    .post(format!("{session}/scan"))
                    .json(&serde_json::json!({ "code": code }))
                    .send()
                    .await?,
            )
            .await?;
            let scan_token = client::text(&scanned, "/scanToken")?;
            let sent = Instant::now();
            client::json(
                client
                    .post(format!("{session}/confirm"))
                    .json(&serde_json::json!({ "scanToken": scan_token }))
                    .send()
                    .await?,
            )
            .await?;
            let arrived = tokio::time::timeout(Duration::from_secs(10), delivered)
                .await
                .context("the browser had no event 10 s after the confirm")?
                .context("the browser's stream failed")?;
            latencies
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .saturating_record(micros(arrived.saturating_duration_since(sent)));
            Ok(())
        }
    })
    .await;
    stats.latencies = take(&latencies);
    stats
}

fn take(latencies: &Mutex<Histogram<u64>>) -> Histogram<u64> {
    std::mem::replace(
        &mut *latencies.lock().unwrap_or_else(|e| e.into_inner()),
        histogram(),
    )
}
