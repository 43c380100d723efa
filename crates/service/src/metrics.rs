//! The Prometheus metrics of one server, each series named and described here once (`docs/metrics.md` lists them).
//! They live in a registry of their own, held by the [`Metrics`] value the binary makes and hands to the services
//! and the HTTP layer: no process-wide recorder, so two servers in one process (as in the tests) count apart.
//! Labels take values from small fixed sets only (route templates, flows, result codes, WeChat APIs and errcodes),
//! never a user, a pool or a raw path.

use std::{fmt, sync::Arc, time::Duration};

use denglu_store::Store;
use denglu_wechat::{CallObserver, WechatError};
use prometheus_client::{
    collector::Collector,
    encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric, prometheus_text},
    metrics::{
        MetricType,
        counter::{ConstCounter, Counter},
        family::Family,
        gauge::{ConstGauge, Gauge},
        histogram::Histogram,
    },
    registry::Registry,
};

/// The `Content-Type` of [`Metrics::render`]: Prometheus' text format, version 0.0.4.
pub const METRICS_CONTENT_TYPE: &str = prometheus_text::CONTENT_TYPE;

/// Latency buckets, in seconds, from a cached read to a slow WeChat call or an Argon2 hash under load.
const LATENCY_BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// One server's metrics. Cheap to clone; clones count into the same series.
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Registry,
    http_requests: Family<HttpLabels, Counter>,
    http_duration: Family<RouteLabels, Histogram, fn() -> Histogram>,
    logins: Family<LoginLabels, Counter>,
    qr_sessions: Family<EventLabels, Counter>,
    qr_streams: Gauge,
    app_tickets: Family<EventLabels, Counter>,
    wechat_calls: Family<WechatLabels, Counter>,
    wechat_duration: Family<ApiLabels, Histogram, fn() -> Histogram>,
    wechat_token_refreshes: Counter,
    rate_limited: Family<LimitLabels, Counter>,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LoginLabels {
    flow: &'static str,
    code: u32,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EventLabels {
    event: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WechatLabels {
    api: &'static str,
    errcode: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ApiLabels {
    api: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LimitLabels {
    limit: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VersionLabels {
    version: &'static str,
}

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

/// A step of a QR session's life.
#[derive(Debug, Clone, Copy)]
pub(crate) enum QrEvent {
    /// A browser started it.
    Started,
    /// A phone scanned it.
    Scanned,
    /// The phone confirmed the login.
    Confirmed,
    /// The phone refused the login.
    Cancelled,
    /// The browser collected the login.
    Collected,
    /// A browser's poll found it expired.
    Expired,
}

/// A step of an app-launch ticket's life.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TicketEvent {
    /// The mini program minted one.
    Minted,
    /// The app's backend exchanged one for a login.
    Exchanged,
}

impl Metrics {
    /// Every series at zero, with the connection pool of `store` read at each scrape.
    pub fn new(store: Arc<dyn Store>) -> Self {
        let mut registry = Registry::with_prefix("denglu");
        let build_info = Family::<VersionLabels, Gauge>::default();
        build_info
            .get_or_create(&VersionLabels {
                version: env!("CARGO_PKG_VERSION"),
            })
            .set(1);
        registry.register("build_info", "The running version; always 1", build_info);
        let inner = Inner {
            http_requests: Family::default(),
            http_duration: Family::new_with_constructor(latency_histogram as fn() -> Histogram),
            logins: Family::default(),
            qr_sessions: Family::default(),
            qr_streams: Gauge::default(),
            app_tickets: Family::default(),
            wechat_calls: Family::default(),
            wechat_duration: Family::new_with_constructor(latency_histogram as fn() -> Histogram),
            wechat_token_refreshes: Counter::default(),
            rate_limited: Family::default(),
            registry,
        };
        Self {
            inner: Arc::new(inner.registered(store)),
        }
    }

    /// The series in Prometheus' text format ([`METRICS_CONTENT_TYPE`]).
    pub fn render(&self) -> String {
        let mut text = String::new();
        // Writing to a String cannot fail; the collector reports nothing else.
        let _ = prometheus_text::encode(&mut text, &self.inner.registry);
        text
    }

    /// An HTTP request answered with `status` after `elapsed`; `route` is the matched route template, never the path.
    pub fn http_request(
        &self,
        method: &'static str,
        route: String,
        status: u16,
        elapsed: Duration,
    ) {
        self.inner
            .http_duration
            .get_or_create(&RouteLabels {
                method,
                route: route.clone(),
            })
            .observe(elapsed.as_secs_f64());
        self.inner
            .http_requests
            .get_or_create(&HttpLabels {
                method,
                route,
                status,
            })
            .inc();
    }

    /// A request refused by the rate limit named `limit`.
    pub fn rate_limited(&self, limit: &'static str) {
        self.inner
            .rate_limited
            .get_or_create(&LimitLabels { limit })
            .inc();
    }

    /// A QR push stream opened; it counts as open until the guard is dropped.
    pub fn qr_stream_opened(&self) -> OpenStream {
        self.inner.qr_streams.inc();
        OpenStream(self.inner.qr_streams.clone())
    }

    /// A login attempt of `flow` with its result: 200 for a login, else the error code.
    pub(crate) fn login(&self, flow: &'static str, code: u32) {
        self.inner
            .logins
            .get_or_create(&LoginLabels { flow, code })
            .inc();
    }

    /// A step of a QR session.
    pub(crate) fn qr(&self, event: QrEvent) {
        let event = match event {
            QrEvent::Started => "started",
            QrEvent::Scanned => "scanned",
            QrEvent::Confirmed => "confirmed",
            QrEvent::Cancelled => "cancelled",
            QrEvent::Collected => "collected",
            QrEvent::Expired => "expired",
        };
        self.inner
            .qr_sessions
            .get_or_create(&EventLabels { event })
            .inc();
    }

    /// A step of an app-launch ticket.
    pub(crate) fn ticket(&self, event: TicketEvent) {
        let event = match event {
            TicketEvent::Minted => "minted",
            TicketEvent::Exchanged => "exchanged",
        };
        self.inner
            .app_tickets
            .get_or_create(&EventLabels { event })
            .inc();
    }

    /// A WeChat access token fetched and saved for every replica.
    pub(crate) fn token_refreshed(&self) {
        self.inner.wechat_token_refreshes.inc();
    }
}

impl Inner {
    fn registered(mut self, store: Arc<dyn Store>) -> Self {
        let r = &mut self.registry;
        r.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status",
            self.http_requests.clone(),
        );
        r.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request (to the response head), by method and route template",
            self.http_duration.clone(),
        );
        r.register(
            "logins",
            "Login attempts by flow (qr, app_launch, mini_program, password) and result code (200 for a login)",
            self.logins.clone(),
        );
        r.register(
            "qr_sessions",
            "QR session steps: started, scanned, confirmed, cancelled, collected, expired (seen by a poll)",
            self.qr_sessions.clone(),
        );
        r.register(
            "qr_push_streams_open",
            "QR push streams (/api/v1/qr/events) open now",
            self.qr_streams.clone(),
        );
        r.register(
            "app_tickets",
            "App-launch tickets minted and exchanged",
            self.app_tickets.clone(),
        );
        r.register(
            "wechat_calls",
            "HTTP calls to WeChat by API path and errcode (0 success; unreachable, timeout, protocol)",
            self.wechat_calls.clone(),
        );
        r.register(
            "wechat_call_duration_seconds",
            "Time of an HTTP call to WeChat, by API path",
            self.wechat_duration.clone(),
        );
        r.register(
            "wechat_token_refreshes",
            "WeChat access tokens fetched and saved for every replica",
            self.wechat_token_refreshes.clone(),
        );
        r.register(
            "rate_limited",
            "Requests refused by a rate limit, by limit",
            self.rate_limited.clone(),
        );
        r.register_collector(Box::new(PoolCollector(store)));
        self
    }
}

/// Keeps a QR push stream counted as open.
#[derive(Debug)]
pub struct OpenStream(Gauge);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.dec();
    }
}

impl CallObserver for Metrics {
    fn observe(&self, api: &'static str, outcome: Result<(), &WechatError>, elapsed: Duration) {
        let errcode = match outcome {
            Ok(()) => "0".to_owned(),
            Err(WechatError::Api { errcode, .. }) => errcode.to_string(),
            Err(WechatError::Unreachable(_)) => "unreachable".to_owned(),
            Err(WechatError::Timeout) => "timeout".to_owned(),
            Err(WechatError::Protocol(_)) => "protocol".to_owned(),
        };
        self.inner
            .wechat_duration
            .get_or_create(&ApiLabels { api })
            .observe(elapsed.as_secs_f64());
        self.inner
            .wechat_calls
            .get_or_create(&WechatLabels { api, errcode })
            .inc();
    }
}

/// The database connection pool's series, read from the store at each scrape.
struct PoolCollector(Arc<dyn Store>);

impl fmt::Debug for PoolCollector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PoolCollector")
    }
}

impl Collector for PoolCollector {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> fmt::Result {
        let pool = self.0.pool_use();
        {
            let mut connections = encoder.encode_descriptor(
                "db_connections",
                "Database connections by state: in_use (lent to a request) or idle",
                None,
                MetricType::Gauge,
            )?;
            for (state, count) in [("in_use", pool.in_use), ("idle", pool.idle)] {
                let labels = [("state", state)];
                let labelled = connections.encode_family(&labels)?;
                ConstGauge::new(i64::from(count)).encode(labelled)?;
            }
        }
        let gauges = [(
            "db_connections_max",
            "The most database connections this server opens",
            i64::from(pool.max),
        )];
        for (name, help, value) in gauges {
            let gauge = ConstGauge::new(value);
            gauge.encode(encoder.encode_descriptor(name, help, None, gauge.metric_type())?)?;
        }
        let counters = [
            (
                "db_acquires",
                "Database connections handed to a request",
                pool.acquires,
            ),
            (
                "db_acquire_timeouts",
                "Waits for a database connection that gave up (the request failed with 503)",
                pool.acquire_timeouts,
            ),
        ];
        for (name, help, value) in counters {
            let counter = ConstCounter::new(value);
            counter.encode(encoder.encode_descriptor(
                name,
                help,
                None,
                counter.metric_type(),
            )?)?;
        }
        let waited = ConstCounter::new(pool.acquire_wait_seconds);
        waited.encode(encoder.encode_descriptor(
            "db_acquire_wait_seconds",
            "Time requests waited for a database connection, in total",
            None,
            waited.metric_type(),
        )?)?;
        Ok(())
    }
}
