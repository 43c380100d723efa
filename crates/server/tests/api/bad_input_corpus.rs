//! A corpus of bad input sent to every endpoint of every surface (each path of the served OpenAPI document, plus
//! the few it does not describe): malformed and deeply nested JSON, wrong types, nulls, NUL characters and invalid
//! UTF-8, huge strings, a 10 MB body, wrong content types, garbage base64, and NUL, traversal and huge ids in paths.
//! Every answer is a documented code in the surface's shape, none is a 5xx, and the server still works afterwards.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// Endpoints the OpenAPI document does not describe.
const UNDESCRIBED: [(&str, &str); 4] = [
    ("POST", "/graphql"),
    ("GET", "/s/{scene}"),
    ("GET", "/uploads/avatars/{name}"),
    ("GET", "/api/v1/openapi.json"),
];

/// The codes `docs/errors.md` documents.
fn documented_codes() -> BTreeSet<u64> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/errors.md");
    let table = std::fs::read_to_string(path).expect("docs/errors.md");
    table
        .lines()
        .filter_map(|line| line.strip_prefix("| "))
        .filter_map(|rest| rest.split(' ').next())
        .filter_map(|code| code.parse().ok())
        .collect()
}

/// One bad request body: its name, bytes and content type.
struct Body {
    name: &'static str,
    bytes: Vec<u8>,
    content_type: &'static str,
}

fn bodies() -> Vec<Body> {
    let fields = |value: Value| {
        let mut object = serde_json::Map::new();
        for field in [
            "code",
            "ticket",
            "secret",
            "username",
            "email",
            "password",
            "account",
            "token",
            "userPoolId",
            "nickname",
            "avatar",
            "encryptedData",
            "iv",
            "phoneCode",
            "scanToken",
            "codeChallenge",
            "query",
            "mode",
            "lifetimeSeconds",
            "callbackUrl",
            "ownApp",
            "scanner",
            "appid",
            "kind",
            "roles",
            "linkPrefix",
            "confirmPage",
        ] {
            object.insert(field.to_owned(), value.clone());
        }
        serde_json::to_vec(&Value::Object(object)).expect("JSON")
    };
    let depth = 100_000;
    let nested_object = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let json = |name, bytes| Body {
        name,
        bytes,
        content_type: "application/json",
    };
    vec![
        json("malformed", b"{nope".to_vec()),
        json(
            "nested arrays",
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes(),
        ),
        json("nested objects", nested_object.into_bytes()),
        json("null", b"null".to_vec()),
        json("nulls", fields(Value::Null)),
        json("wrong types", fields(json!([1, {"a": true}]))),
        json("numbers", fields(json!(-1e308))),
        json("NUL", fields(json!("a\u{0}b"))),
        json(
            "invalid UTF-8",
            b"{\"code\": \"\xff\xfe\xfd\", \"query\": \"\xc3\x28\"}".to_vec(),
        ),
        json("huge strings", fields(json!("x".repeat(200 * 1024)))),
        json("garbage base64", fields(json!("!!!not*base64%%%"))),
        json("10 MB", vec![b'x'; 10 * 1024 * 1024]),
        Body {
            name: "text/plain",
            bytes: b"{\"code\": \"c\"}".to_vec(),
            content_type: "text/plain",
        },
        Body {
            name: "broken multipart",
            bytes: b"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nnot an image"
                .to_vec(),
            content_type: "multipart/form-data; boundary=x",
        },
    ]
}

/// The path's placeholders filled with `value`, or with a real id of the test's pool or user where `real`.
fn fill(template: &str, value: &str, app: &TestApp, user_id: &str, real: bool) -> String {
    let mut path = String::new();
    for (i, part) in template.split('/').enumerate() {
        if i > 0 {
            path.push('/');
        }
        match part {
            "{pool_id}" | "{userPoolId}" if real => path.push_str(&app.pool_id()),
            "{user_id}" if real => path.push_str(user_id),
            "{file}" if real => path.push_str("no-such-scene.png"),
            p if p.starts_with('{') => path.push_str(value),
            p => path.push_str(p),
        }
    }
    path
}

/// Checks one answer: no 5xx, and a failure carries a documented code in the surface's shape. True for a failure.
fn check(label: &str, status: u16, body: &Value, codes: &BTreeSet<u64>) -> bool {
    assert!(status < 500, "{label}: HTTP {status}: {body}");
    let error = if let Some(errors) = body.get("errors") {
        errors[0]["message"].clone()
    } else {
        body.clone()
    };
    let code = error.get("code").and_then(Value::as_u64);
    let failed = status >= 400 || code.is_some_and(|code| code != 200);
    if failed {
        let code = code.unwrap_or_else(|| panic!("{label}: HTTP {status} without a code: {body}"));
        assert!(
            codes.contains(&code),
            "{label}: undocumented code {code}: {body}"
        );
        let message = error["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{label}: a message: {body}");
        assert!(
            !["struct ", "enum ", "::", " at line "]
                .iter()
                .any(|internal| message.contains(internal)),
            "{label}: the message names internals: {body}"
        );
    }
    failed
}

#[tokio::test]
async fn every_endpoint_answers_bad_input_with_a_documented_code_and_never_a_5xx() {
    let app = spawn_app().await;
    let codes = documented_codes();
    let token = app.signed_up_token("corpus").await;
    let user_id = app.check_token(&token).await["token"]["data"]["id"]
        .as_str()
        .expect("user id")
        .to_owned();
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client");

    let document = app.get("/api/v1/openapi.json").await.body;
    let mut endpoints: Vec<(String, String)> = document["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, operations)| {
            let path = path.clone();
            operations
                .as_object()
                .expect("operations")
                .keys()
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    endpoints.extend(
        UNDESCRIBED
            .iter()
            .map(|(m, p)| ((*m).to_owned(), (*p).to_owned())),
    );
    assert!(endpoints.len() > 30, "every endpoint: {endpoints:?}");
    // Logging out revokes the token the other requests carry: last.
    endpoints.sort_by_key(|(_, path)| path == "/api/v1/logout");

    let bodies = bodies();
    let mut sent = 0_usize;
    let mut refused = 0_usize;
    let path_values = [
        "%00",
        "a%00b",
        "..%2F..%2Fetc%2Fpasswd",
        &"a".repeat(10_000),
    ];
    for (method, template) in &endpoints {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let mut paths = vec![fill(template, "", &app, &user_id, true)];
        if template.contains('{') {
            paths.extend(
                path_values
                    .iter()
                    .map(|v| fill(template, v, &app, &user_id, false)),
            );
        }
        for path in &paths {
            let query = "?random=%00&access_token=%00&ticket=%ff&useSelfWxapp=%00";
            let url = format!("{}{path}{query}", app.base);
            let request = || {
                client
                    .request(method.clone(), &url)
                    .bearer_auth(&token)
                    .header("x-pool-secret", &app.pool.secret)
            };
            let sends_body = method == Method::POST || method == Method::PUT;
            let cases: Vec<(&str, reqwest::RequestBuilder)> = if sends_body {
                bodies
                    .iter()
                    .map(|body| {
                        let request = request()
                            .header("content-type", body.content_type)
                            .body(body.bytes.clone());
                        (body.name, request)
                    })
                    .collect()
            } else {
                vec![("no body", request())]
            };
            for (name, request) in cases {
                let label = format!("{method} {} [{name}]", &path[..path.len().min(80)]);
                let response = request
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{label}: {e}"));
                let status = response.status().as_u16();
                sent += 1;
                let is_json = response
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.starts_with("application/json"));
                let text = response.text().await.unwrap_or_default();
                let body = if is_json {
                    serde_json::from_str(&text)
                        .unwrap_or_else(|e| panic!("{label}: bad JSON {e}: {text}"))
                } else {
                    Value::Null
                };
                if is_json {
                    refused += usize::from(check(&label, status, &body, &codes));
                } else {
                    assert!(
                        status < 400,
                        "{label}: HTTP {status} not in the JSON error shape: {text:.200}"
                    );
                }
            }
        }
    }

    assert!(
        sent > 1_000 && refused * 10 > sent * 9,
        "{refused} of {sent} refused"
    );
    assert_eq!(app.get("/healthz").await.status, 200);
    assert_eq!(app.get("/readyz").await.status, 200);
    let login = app.login("corpus", "correct horse").await;
    assert_eq!(login.status, 200, "the server still works: {}", login.body);
}
