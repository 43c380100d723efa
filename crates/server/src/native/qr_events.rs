//! The QR push channel: `GET /api/v1/qr/events?random=` as server-sent events, so a page learns of a scan or a
//! confirmation at once instead of polling. The confirmed login is claimed by the same rule as a poll: once. When the
//! server shuts down, every open stream ends with a `reconnect` event, and the browser opens it again elsewhere. An
//! open stream counts in the metrics until it ends.

use std::{convert::Infallible, sync::Arc};

use axum::{
    Extension,
    extract::{Query, State},
    response::sse::{Event, KeepAlive, Sse},
};
use denglu_domain::Requester;
use denglu_service::{ErrorCode, OpenStream, QrPoll, QrWatch, Services};
use futures_util::{Stream, stream};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    AppState, Drain,
    http::{Client, Limited, RateLimits},
    native::ApiError,
    qr_status::PollData,
};

/// The query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct EventsQuery {
    /// The browser's poll secret.
    pub(crate) random: Option<String>,
}

/// Streams a QR session's changes: `state` events (pending, scanned with nickname and avatar), then one final
/// `confirmed` event (the compatible poll's success object, with the token) or `state` (expired, cancelled, used,
/// unknown). When the server shuts down, the stream ends with a `reconnect` event instead: the session goes on, and
/// the browser opens the stream again (to another replica, or to the restarted server). Opening a stream counts as a
/// poll against the address's poll limit (`http.qr_polls_per_minute`); past it the answer is HTTP 429 with code
/// 4290, and the web SDK falls back to polling.
#[utoipa::path(get, path = "/api/v1/qr/events", tag = "qr", params(EventsQuery),
    responses((status = 200, description = "text/event-stream of `state` events, then a final `confirmed`, `state` or (the server is shutting down) `reconnect` event", content_type = "text/event-stream"),
        (status = 429, description = "4290: this address opened too many streams or polled too often", body = crate::native::ErrorBody)))]
pub(crate) async fn events(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<RateLimits>>,
    Query(query): Query<EventsQuery>,
    client: Client,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    if !limits.allows(Limited::QrPoll, client.ip) {
        return Err(ApiError::new(ErrorCode::TooManyRequests));
    }
    let watch = Watch {
        _open: state.services.metrics().qr_stream_opened(),
        services: state.services,
        drain: state.drain,
        random: query.random.unwrap_or_default(),
        from: client.requester(),
        watch: None,
        last: None,
        finished: false,
    };
    Ok(Sse::new(stream::unfold(watch, Watch::next)).keep_alive(KeepAlive::default()))
}

/// One stream's state.
struct Watch {
    /// Counts the stream as open until it is dropped.
    _open: OpenStream,
    services: Services,
    /// Set when the server shuts down: the stream then ends with `reconnect`.
    drain: Drain,
    random: String,
    /// The browser, recorded with the login it collects.
    from: Requester,
    /// The watch on the session's scene, from the first poll that found it waiting until the final event.
    watch: Option<QrWatch>,
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
            if self.drain.started() {
                self.finish();
                let data = r#"{"reason":"the server is shutting down"}"#;
                return Some((Ok(Event::default().event("reconnect").data(data)), self));
            }
            let poll = match self
                .services
                .qr()
                .poll(&self.random, self.from.clone())
                .await
            {
                Ok(poll) => poll,
                Err(error) => {
                    tracing::warn!(%error, "QR event stream could not read its session");
                    self.finish();
                    return Some((Ok(Event::default().event("error").data("{}")), self));
                }
            };
            let data = serde_json::to_string(&PollData::of(&poll)).unwrap_or_default();
            let QrPoll::Waiting(session) = &poll else {
                let name = match poll {
                    QrPoll::Collected { .. } => "confirmed",
                    _ => "state",
                };
                self.finish();
                return Some((Ok(Event::default().event(name).data(data)), self));
            };
            // Watching starts before the session is read again (the first poll always sends an event, and every
            // call polls before it waits), so a change right after the first poll is not missed.
            let mut watch = self
                .watch
                .take()
                .unwrap_or_else(|| self.services.qr().watch(session));
            if self.last.as_deref() != Some(data.as_str()) {
                self.watch = Some(watch);
                self.last = Some(data.clone());
                return Some((Ok(Event::default().event("state").data(data)), self));
            }
            tokio::select! {
                () = watch.wait() => {}
                () = self.drain.wait() => {}
            }
            self.watch = Some(watch);
        }
    }

    /// The next event is the last: stop watching now rather than when the client goes.
    fn finish(&mut self) {
        self.finished = true;
        self.watch = None;
    }
}
