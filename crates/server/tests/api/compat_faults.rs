//! The same faults sent to every compatible route get the same code and message, in each route's shape: bad JSON,
//! a wrong type, a field too long, a body too large, an unknown pool.

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

const UNKNOWN_POOL: &str = "000000000000000000000000";

/// A compatible route that reads a JSON body.
struct Route {
    /// The path after the base URL, with `{pool}` for the pool id.
    path: &'static str,
    /// A string field of its body, for the wrong-type and too-long faults.
    field: &'static str,
    /// Whether it needs the user's token (bindPhone).
    needs_token: bool,
}

const ROUTES: [Route; 6] = [
    Route {
        path: "/oauth/app2wxapp/auth/{pool}",
        field: "ticket",
        needs_token: false,
    },
    Route {
        path: "/oauth/wechatapp/auth/{pool}",
        field: "code",
        needs_token: false,
    },
    Route {
        path: "/oauth/wechatapp/getphone/{pool}",
        field: "code",
        needs_token: false,
    },
    Route {
        path: "/oauth/wechatapp/phone/{pool}",
        field: "code",
        needs_token: true,
    },
    Route {
        path: "/oauth/wechatapp/decrypt/{pool}",
        field: "phoneCode",
        needs_token: false,
    },
    Route {
        path: "/graphql",
        field: "query",
        needs_token: false,
    },
];

impl TestApp {
    /// Posts `body` as JSON text to `route` of `pool`; answers `(code, message)` of the compatible error, from the
    /// envelope or, for GraphQL, from `errors[0].message`.
    async fn compat_fault(
        &self,
        route: &Route,
        pool: &str,
        body: String,
        token: &str,
    ) -> (u64, String) {
        let path = route.path.replace("{pool}", pool);
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body);
        if route.needs_token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let reply = self.send(request).await;
        assert_eq!(reply.status, 200, "{path}: always HTTP 200: {}", reply.body);
        let error = if route.path == "/graphql" {
            assert!(reply.body["data"].is_null(), "{path}: {}", reply.body);
            reply.body["errors"][0]["message"].clone()
        } else {
            reply.body.clone()
        };
        let code = error["code"]
            .as_u64()
            .unwrap_or_else(|| panic!("{path}: a code: {}", reply.body));
        let message = error["message"]
            .as_str()
            .unwrap_or_else(|| panic!("{path}: a message: {}", reply.body));
        (code, message.to_owned())
    }
}

#[tokio::test]
async fn every_compatible_route_answers_the_same_fault_the_same_way() {
    let app = spawn_app().await;
    let pool = app.pool_id();
    let token = app.signed_up_token("faulty").await;
    let users_before = app
        .services
        .accounts()
        .users(&app.pool.pool.id, 10, 0)
        .await
        .expect("users")
        .len();

    for route in &ROUTES {
        let path = route.path;
        let bad_json = app
            .compat_fault(route, &pool, "{nope".to_owned(), &token)
            .await;
        assert_eq!(
            bad_json,
            (1002, "the body is not valid JSON".to_owned()),
            "{path}"
        );

        let not_an_object = app
            .compat_fault(route, &pool, "[\"a\", \"b\"]".to_owned(), &token)
            .await;
        assert_eq!(
            not_an_object,
            (
                1002,
                "invalid request body: the body must be a JSON object".to_owned()
            ),
            "{path}"
        );

        let wrong_type = json!({ route.field: 5 }).to_string();
        let expected = format!(
            "invalid request body: `{}`: invalid type: integer `5`, expected a string",
            route.field
        );
        assert_eq!(
            app.compat_fault(route, &pool, wrong_type, &token).await,
            (1002, expected),
            "{path}"
        );

        let huge = json!({ route.field: "x".repeat(2 * 1024 * 1024) }).to_string();
        let too_large = app.compat_fault(route, &pool, huge, &token).await;
        assert_eq!(too_large, (1003, "请求体过大".to_owned()), "{path}");
    }

    // A field past its limit: the REST routes bound every string they read (GraphQL's arguments go to the
    // services, whose rules say what is too long).
    for route in ROUTES.iter().filter(|route| route.path != "/graphql") {
        let long = json!({ route.field: "x".repeat(300) }).to_string();
        let expected = format!(
            "invalid request body: `{}`: at most 256 characters",
            route.field
        );
        assert_eq!(
            app.compat_fault(route, &pool, long, &token).await,
            (1002, expected),
            "{}",
            route.path
        );
    }
    let nul = json!({ "code": "a\u{0}b" }).to_string();
    let expected = "invalid request body: `code`: contains a NUL character".to_owned();
    assert_eq!(
        app.compat_fault(&ROUTES[1], &pool, nul, &token).await,
        (1002, expected)
    );

    let unknown = (2224, "用户池不存在".to_owned());
    for route in ROUTES.iter().filter(|route| route.path != "/graphql") {
        let body = json!({ "code": "0".repeat(32), "ticket": "t", "phoneCode": "p", "iv": "i", "encryptedData": "e" });
        let answer = app
            .compat_fault(route, UNKNOWN_POOL, body.to_string(), &token)
            .await;
        assert_eq!(answer, unknown, "{}", route.path);
        let malformed = app
            .compat_fault(route, "not-a-pool", body.to_string(), &token)
            .await;
        assert_eq!(malformed, unknown, "{}", route.path);
    }
    let login = json!({
        "query": "mutation login($email: String, $password: String, $pool: String!) { login(email: $email, password: $password, registerInClient: $pool) { _id } }",
        "variables": { "email": "a@example.com", "password": "x", "pool": UNKNOWN_POOL },
    });
    let graphql = app
        .compat_fault(&ROUTES[5], &pool, login.to_string(), &token)
        .await;
    assert_eq!(graphql, unknown, "GraphQL");
    let qr = app
        .get(&format!(
            "/oauth/wxapp/qrcode/{UNKNOWN_POOL}?random=a-fine-random-1234"
        ))
        .await;
    assert_eq!(
        (&qr.body["code"], &qr.body["message"]),
        (&json!(2224), &json!("用户池不存在"))
    );

    let users_after = app
        .services
        .accounts()
        .users(&app.pool.pool.id, 10, 0)
        .await
        .expect("users")
        .len();
    assert_eq!(users_before, users_after, "no fault wrote a user");
}

#[tokio::test]
async fn an_empty_body_is_the_empty_request_not_a_fault() {
    let app = spawn_app().await;
    let reply = app
        .send(app.client.post(format!(
            "{}/oauth/wechatapp/auth/{}",
            app.base,
            app.pool_id()
        )))
        .await;
    assert_eq!(
        (&reply.body["code"], &reply.body["message"]),
        (
            &json!(1002),
            &Value::from("give `code`, a fresh wx.login code")
        )
    );
    let exchange = app
        .send(app.client.post(format!(
            "{}/oauth/app2wxapp/auth/{}",
            app.base,
            app.pool_id()
        )))
        .await;
    assert_eq!(
        exchange.body["code"], 1001,
        "the secret is checked first: {}",
        exchange.body
    );
    assert_eq!(
        exchange.body["message"],
        "the pool secret is missing or wrong"
    );
}
