//! The middleware every route shares: request ids, request logs, panic safety, CORS, the body size limit, and the
//! count of requests in the metrics.

use std::{
    any::Any,
    time::{Duration, Instant},
};

use axum::{
    Router,
    extract::{DefaultBodyLimit, MatchedPath, State},
    http::{HeaderName, HeaderValue, Method, Request},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use denglu_service::{ErrorCode, Metrics};
use tower_http::{
    catch_panic::CatchPanicLayer,
    cors::{AllowHeaders, AllowOrigin, CorsLayer},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

use crate::{HttpSettings, native::ApiError};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps `router` in the shared middleware, configured by `http`.
pub(crate) fn apply_layers(router: Router, http: &HttpSettings) -> Router {
    router
        .layer(DefaultBodyLimit::max(http.max_body_bytes))
        .layer(cors(&http.cors_allowed_origins))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// Wraps `router` (already wrapped in [`apply_layers`]) so that every answer counts in `metrics`, panics and
/// oversized bodies included.
pub(crate) fn measured(router: Router, metrics: Metrics) -> Router {
    router.layer(middleware::from_fn_with_state(metrics, measure))
}

/// Counts one request by method, route template and status, with its time to the response head. Only the template
/// is a label, never the path (which may hold a secret and has no bound); a path no route matches is `unmatched`, a
/// method outside HTTP's usual ones `other`.
async fn measure(
    State(metrics): State<Metrics>,
    request: Request<axum::body::Body>,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = match *request.method() {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::HEAD => "HEAD",
        _ => "other",
    };
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    metrics.http_request(method, route, response.status().as_u16(), started.elapsed());
    response
}

/// The span of one request: method, route and request id. The route is the matched template
/// (`/s/{scene}`), never the path itself, whose QR scene or poll secret is a bearer secret; only a path no route
/// matches is logged as sent.
fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let request_id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| request.uri().path(), MatchedPath::as_str);
    tracing::info_span!("request", method = %request.method(), route = %route, request_id)
}

/// CORS for browser SDKs: no credentials are sent, so `*` is safe and is the default; a list restricts origins.
fn cors(origins: &[String]) -> CorsLayer {
    let allow_origin = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers([REQUEST_ID])
        .max_age(Duration::from_secs(3600))
}

fn panic_response(_panic: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    ApiError::new(ErrorCode::SystemBusy).into_response()
}

#[cfg(test)]
mod tests {
    use std::{
        io,
        sync::{Arc, Mutex},
    };

    use axum::{Router, body::Body, http::Request, routing::get};
    use tower::ServiceExt;
    use tracing_subscriber::prelude::*;

    use super::apply_layers;
    use crate::HttpSettings;

    /// A log destination the test reads back.
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().expect("buffer").extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn the_request_span_names_the_route_and_never_the_secret_in_the_path() {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let layer = tracing_subscriber::fmt::layer()
            .with_writer(move || writer.clone())
            .with_ansi(false);
        let _guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(layer));

        let routes = Router::new().route(
            "/s/{scene}",
            get(|| async {
                tracing::info!("handled");
                "ok"
            }),
        );
        let app = apply_layers(routes, &HttpSettings::default());
        let request = Request::get("/s/a-secret-scene-0123456789")
            .body(Body::empty())
            .expect("request");
        let response = app.oneshot(request).await.expect("response");
        assert_eq!(response.status(), 200);

        let log = String::from_utf8_lossy(&buffer.0.lock().expect("buffer")).into_owned();
        assert!(log.contains("handled"), "{log}");
        assert!(log.contains("route=/s/{scene}"), "{log}");
        assert!(!log.contains("a-secret-scene"), "{log}");
    }
}
