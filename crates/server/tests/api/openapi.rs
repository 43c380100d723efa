//! The checked-in OpenAPI document matches the code, and the server serves it.

#[test]
fn the_checked_in_openapi_json_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi.json");
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == denglu_server::openapi_document(),
        "openapi.json is stale: run `cargo run -q -p denglu -- openapi > openapi.json` and commit it"
    );
}

#[tokio::test]
async fn the_server_serves_its_openapi_document() {
    let app = crate::helpers::spawn_app().await;
    let reply = app.get("/api/v1/openapi.json").await;
    assert_eq!(reply.status, 200);
    assert!(reply.body["paths"]["/api/v1/pools/{pool_id}/login"]["post"].is_object());
}
