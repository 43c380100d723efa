//! The QR push channel: `GET /api/v1/qr/events?random=` as server-sent events, so a page learns of a scan or a
//! confirmation at once instead of polling. The confirmed login is claimed by the same rule as a poll: once.

use std::{convert::Infallible, sync::Arc, time::Duration};

use axum::{
    extract::{Query, State},
    response::sse::{Event, KeepAlive, Sse},
};
use denglu_service::{QrPoll, Services};
use futures_util::{Stream, stream};
use serde::Deserialize;
use tokio::sync::broadcast;
use utoipa::IntoParams;

use crate::{AppState, http::ClientIp, routes::qr_compat::poll_data};

/// How often a waiting stream re-reads its session even without a notice (changes made by another replica).
const RECHECK: Duration = Duration::from_secs(1);

/// The push channel's URL for a poll secret (which is URL-safe by construction).
pub(crate) fn events_url(base: &str, random: &str) -> String {
    format!("{base}/api/v1/qr/events?random={random}")
}

/// The query.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct EventsQuery {
    /// The browser's poll secret.
    pub(crate) random: Option<String>,
}

/// Streams a QR session's changes: `state` events (pending, scanned with nickname and avatar), then one final
/// `confirmed` event (the compatible poll's success object, with the token) or `state` (expired, cancelled, used,
/// unknown).
#[utoipa::path(get, path = "/api/v1/qr/events", tag = "qr", params(EventsQuery),
    responses((status = 200, description = "text/event-stream of `state` and `confirmed` events", content_type = "text/event-stream")))]
pub(crate) async fn events(
    State(state): State<AppState>,
    Query(query): Query<EventsQuery>,
    ClientIp(ip): ClientIp,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let watch = Watch {
        changes: state.services.qr_changes(),
        services: state.services,
        random: query.random.unwrap_or_default(),
        ip: ip.map(|ip| ip.to_string()),
        scene: None,
        last: None,
        finished: false,
    };
    Sse::new(stream::unfold(watch, Watch::next)).keep_alive(KeepAlive::default())
}

/// One stream's state.
struct Watch {
    services: Services,
    changes: broadcast::Receiver<Arc<str>>,
    random: String,
    ip: Option<String>,
    /// The session's scene, once known: notices about other sessions are ignored.
    scene: Option<String>,
    /// The last data sent, to send only changes.
    last: Option<String>,
    finished: bool,
}

impl Watch {
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Self)> {
        if self.finished {
            return None;
        }
        loop {
            let poll = match self.services.poll_qr(&self.random, self.ip.clone()).await {
                Ok(poll) => poll,
                Err(error) => {
                    tracing::warn!(%error, "QR event stream could not read its session");
                    self.finished = true;
                    return Some((Ok(Event::default().event("error").data("{}")), self));
                }
            };
            let data = poll_data(&poll).to_string();
            let (name, last) = match &poll {
                QrPoll::Waiting(session) => {
                    self.scene = Some(session.scene.clone());
                    ("state", false)
                }
                QrPoll::Collected { .. } => ("confirmed", true),
                _ => ("state", true),
            };
            if last || self.last.as_deref() != Some(data.as_str()) {
                self.finished = last;
                self.last = Some(data.clone());
                return Some((Ok(Event::default().event(name).data(data)), self));
            }
            self.wait().await;
        }
    }

    /// Waits for a notice about this session, or the re-check period.
    async fn wait(&mut self) {
        let deadline = tokio::time::sleep(RECHECK);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                () = &mut deadline => return,
                notice = self.changes.recv() => match notice {
                    Ok(scene) if self.scene.as_deref() == Some(&*scene) => return,
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Lagged(_)) => return,
                    Err(broadcast::error::RecvError::Closed) => {
                        deadline.as_mut().await;
                        return;
                    }
                },
            }
        }
    }
}
