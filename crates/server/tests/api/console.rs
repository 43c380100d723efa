//! The console's files: the page at `/console`, its modules and styles with their types and a policy that admits
//! only the console's own files; anything else under `/console/` is the unknown-path error, paths that climb out of
//! the folder included.

use crate::helpers::spawn_app;

/// `GET path`: status, content type, content security policy and body.
async fn fetch(base: &str, path: &str) -> (u16, String, String, String) {
    let response = reqwest::get(format!("{base}{path}"))
        .await
        .expect("request reaches the server");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (content_type, policy) = (header("content-type"), header("content-security-policy"));
    let status = response.status().as_u16();
    (
        status,
        content_type,
        policy,
        response.text().await.expect("body"),
    )
}

#[tokio::test]
async fn the_console_and_its_modules_are_served_with_their_types_and_a_strict_policy() {
    let app = spawn_app().await;
    for path in ["/console", "/console/"] {
        let (status, content_type, policy, body) = fetch(&app.base, path).await;
        assert_eq!(
            (status, content_type.as_str()),
            (200, "text/html; charset=utf-8"),
            "{path}"
        );
        assert!(
            body.contains(r#"<script type="module" src="/console/app/main.js">"#),
            "{body}"
        );
        assert!(policy.contains("script-src 'self'"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
    }
    let (status, content_type, _, body) = fetch(&app.base, "/console/app/main.js").await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/javascript; charset=utf-8")
    );
    assert!(
        body.contains("export async function draw"),
        "the module itself"
    );
    let (status, content_type, _, _) = fetch(&app.base, "/console/app/app.css").await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/css; charset=utf-8")
    );
    let (status, _, _, body) = fetch(&app.base, "/console/setup").await;
    assert_eq!(status, 200);
    assert!(body.contains("/console/setup.js"), "the setup page");
}

#[tokio::test]
async fn anything_else_under_console_is_unknown() {
    let app = spawn_app().await;
    for path in [
        "/console/app/nothing.js",
        "/console/app/",
        "/console/..%2FCargo.toml",
        "/console/app/..%2F..%2Fsrc%2Flib.rs",
        "/console/dev-sign-in",
    ] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.body["code"], 1004, "{path}: {}", reply.body);
    }
}
