//! `denglu serve`'s `/metrics` where the `[metrics]` settings put it: nowhere by default, on an address of its own,
//! and on the main address behind the bearer token. What the series count is tested in
//! `crates/server/tests/api/metrics.rs`.

#[allow(
    dead_code,
    reason = "every test binary compiles the shared support module and uses only part of it"
)]
mod support;

use reqwest::blocking::Client;
use support::{admin::run, denglu, free_port, server::serve};

const TOKEN: &str = "a-metrics-token-for-this-test-0123";

#[test]
fn serve_puts_metrics_where_the_settings_say_and_nowhere_by_default() {
    let data = tempfile::tempdir().expect("temp dir");
    let data = data.path();
    let key = run(&mut denglu(data, None, &["keygen"])).trim().to_owned();
    let client = Client::new();

    let (server, base) = serve(data, &key, |_| {});
    let off = client
        .get(format!("{base}/metrics"))
        .send()
        .expect("answer");
    assert_eq!(off.status(), 404, "no [metrics] settings, no /metrics");
    drop(server);

    let port = free_port();
    let (_server, base) = serve(data, &key, |command| {
        command
            .env("DENGLU_METRICS__LISTEN", format!("127.0.0.1:{port}"))
            .env("DENGLU_METRICS__BEARER_TOKEN", TOKEN);
    });
    let own = client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .expect("answer");
    assert_eq!(own.status(), 200);
    let text = own.text().expect("text");
    assert!(text.contains("denglu_build_info{version="), "{text}");
    assert!(
        text.contains(r#"denglu_http_requests_total{method="GET",route="/healthz",status="200"}"#),
        "the readiness wait's requests are counted: {text}"
    );

    let refused = client
        .get(format!("{base}/metrics"))
        .send()
        .expect("answer");
    assert_eq!(refused.status(), 401);
    let main = client
        .get(format!("{base}/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .expect("answer");
    assert_eq!(main.status(), 200);
    assert!(
        main.text()
            .expect("text")
            .contains("denglu_db_connections_max 16")
    );
}
