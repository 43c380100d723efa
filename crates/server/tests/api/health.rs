//! Probes, unknown paths, CORS and request ids.

use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_and_readyz_answer_ok() {
    let app = spawn_app().await;
    for path in ["/healthz", "/readyz"] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.body["status"], "ok");
    }
}

#[tokio::test]
async fn unknown_paths_and_methods_get_the_json_error_shape() {
    let app = spawn_app().await;
    let reply = app.get("/nope").await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.body["code"], 1004);
    let reply = app.get("/api/v1/logout").await;
    assert_eq!(reply.body["code"], 1004, "GET on a POST-only route");
}

#[tokio::test]
async fn browsers_get_cors_preflights_and_every_answer_has_a_request_id() {
    let app = spawn_app().await;
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, format!("{}/api/v1/me", app.base))
        .header("origin", "https://site.example")
        .header("access-control-request-method", "GET")
        .header(
            "access-control-request-headers",
            "authorization,content-type",
        )
        .send()
        .await
        .expect("preflight");
    assert!(preflight.status().is_success());
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    let allowed = preflight.headers()["access-control-allow-headers"]
        .to_str()
        .expect("ascii")
        .to_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");

    let response = app
        .client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .expect("get");
    assert!(!response.headers()["x-request-id"].is_empty());
}
