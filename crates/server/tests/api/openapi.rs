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

#[test]
fn every_path_parameter_is_in_its_path_and_query_parameters_are_query_parameters() {
    let document: serde_json::Value =
        serde_json::from_str(&denglu_server::openapi_document()).expect("JSON");
    let paths = document["paths"].as_object().expect("paths");
    let mut query = Vec::new();
    for (path, operations) in paths {
        for operation in operations.as_object().expect("operations").values() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().expect("name");
                let placeholder = format!("{{{name}}}");
                match parameter["in"].as_str() {
                    Some("path") => assert!(
                        path.contains(&placeholder),
                        "{path}: `{name}` is no path parameter"
                    ),
                    Some("query") => query.push(format!("{path} {name}")),
                    _ => {}
                }
            }
        }
    }
    assert!(
        query.contains(&"/oauth/wxapp/confirm/qr random".to_owned()),
        "{query:?}"
    );
    assert!(
        query.contains(&"/authing/token access_token".to_owned()),
        "{query:?}"
    );
}
