//! `spawn_app()`: a fresh database, a server on 127.0.0.1:0 (with `/metrics` behind [`METRICS_TOKEN`]), a manual
//! clock, a demo pool, and request helpers.

use std::{sync::Arc, time::Duration};

use chrono::{SubsecRound, Utc};
use denglu_crypto::{MasterKey, PasswordHasher, PasswordHasherParams};
use denglu_domain::{
    AppId, JwtAlgorithm, ManualClock, PoolName, RegistrationPolicy, TokenLifetime,
};
use denglu_server::{AppState, Drain, HttpSettings};
use denglu_service::{CreatePool, CreatedPool, Metrics, ScannerApp, Services};
use denglu_store::Store;
use denglu_wechat::{AppCredentials, ClientConfig};
use denglu_wechat_sim::{AppConfig, SimConfig, Simulator};
use rand::RngCore;
use serde_json::{Value, json};

/// A running server and what the tests need to reach around it.
pub(crate) struct TestApp {
    pub(crate) base: String,
    pub(crate) client: reqwest::Client,
    pub(crate) services: Services,
    pub(crate) store: Arc<dyn Store>,
    pub(crate) master_key: MasterKey,
    pub(crate) clock: ManualClock,
    pub(crate) pool: CreatedPool,
    /// The WeChat simulator the services talk to, with the mini program [`MINI_PROGRAM`].
    pub(crate) wechat: Simulator,
    /// The services' WeChat client settings (the simulator's URL).
    pub(crate) wechat_config: ClientConfig,
    /// The database URL, for a second "replica" on the same data.
    pub(crate) database_url: String,
    /// The server's drain: starting it is what SIGTERM does (the server keeps accepting connections here).
    pub(crate) drain: Drain,
    /// The uploads folder, where earlier builds stored avatar files.
    pub(crate) uploads: tempfile::TempDir,
    _database: TestDatabase,
}

/// The bearer token of every test server's `/metrics`.
pub(crate) const METRICS_TOKEN: &str = "test-metrics-token-0123456789";

/// The mini program registered in every test's WeChat simulator: AppID and AppSecret.
pub(crate) const MINI_PROGRAM: (&str, &str) = ("wx00000000000a0001", "test-app-secret");

/// A WeChat simulator on a free port, with [`MINI_PROGRAM`]; returns it with a client config pointing at it.
async fn spawn_wechat() -> (Simulator, ClientConfig) {
    let config = SimConfig {
        apps: vec![AppConfig::new(MINI_PROGRAM.0, MINI_PROGRAM.1)],
        ..SimConfig::default()
    };
    let simulator = Simulator::new(config).expect("valid simulator settings");
    let url = denglu_wechat_sim::serve_on_loopback(simulator.clone())
        .await
        .expect("a free port");
    let client = ClientConfig {
        api_base_url: url,
        busy_backoff_ms: 1,
        ..ClientConfig::default()
    };
    (simulator, client)
}

/// The database a test runs on; dropped with the test.
enum TestDatabase {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Self::Postgres { admin_url, name } = self else {
            return;
        };
        let (admin_url, name) = (admin_url.clone(), name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                use sqlx::Connection;
                let mut admin = sqlx::PgConnection::connect(&admin_url)
                    .await
                    .expect("admin connection");
                sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .execute(&mut admin)
                    .await
                    .expect("drop test database");
            });
        });
        let _ = dropped.join();
    }
}

async fn test_database() -> (String, TestDatabase) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if admin_url.starts_with("postgres") => {
            let mut suffix = [0u8; 8];
            rand::thread_rng().fill_bytes(&mut suffix);
            let name = format!(
                "denglu_test_{}",
                suffix
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            );
            use sqlx::Connection;
            let mut admin = sqlx::PgConnection::connect(&admin_url)
                .await
                .expect("TEST_DATABASE_URL answers");
            sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                .execute(&mut admin)
                .await
                .expect("create database");
            let base = admin_url
                .rsplit_once('/')
                .map(|(base, _)| base)
                .expect("URL with a database path");
            (
                format!("{base}/{name}"),
                TestDatabase::Postgres {
                    admin_url: admin_url.clone(),
                    name,
                },
            )
        }
        _ => {
            let folder = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", folder.path().join("denglu.db").display());
            (url, TestDatabase::Sqlite(folder))
        }
    }
}

/// Settings of the pool a test app starts with.
pub(crate) fn pool_settings(algorithm: JwtAlgorithm, policy: RegistrationPolicy) -> CreatePool {
    CreatePool {
        name: PoolName::parse("Test pool").expect("valid name"),
        algorithm,
        token_lifetime: TokenLifetime::default(),
        registration_policy: policy,
    }
}

/// A server with an open ES256 pool.
pub(crate) async fn spawn_app() -> TestApp {
    spawn_app_with(HttpSettings::default()).await
}

/// A server with these HTTP settings and an open ES256 pool.
pub(crate) async fn spawn_app_with(http: HttpSettings) -> TestApp {
    let (url, database) = test_database().await;
    let store = denglu_server::connect(&url, 4, Duration::from_secs(2))
        .await
        .expect("store opens");
    let clock = ManualClock::starting_at(Utc::now().trunc_subsecs(6));
    let master_key = MasterKey::from_base64(&MasterKey::generate_base64()).expect("valid key");
    let hasher = cheap_hasher();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind port 0");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let (simulator, wechat_config) = spawn_wechat().await;
    let uploads = tempfile::tempdir().expect("uploads folder");
    let metrics = Metrics::new(Arc::clone(&store));
    let wechat = denglu_service::wechat_client(
        wechat_config.clone(),
        Arc::clone(&store),
        master_key.clone(),
        Arc::new(clock.clone()),
        &metrics,
    )
    .expect("WeChat client");
    let scanner = ScannerApp {
        appid: AppId::parse(MINI_PROGRAM.0).expect("appid"),
        credentials: AppCredentials::new(MINI_PROGRAM.0, MINI_PROGRAM.1),
        link_prefix: format!("{base}/s/"),
        confirm_page: "pages/confirm/index".to_owned(),
    };
    let services = Services::new(
        Arc::clone(&store),
        Arc::new(clock.clone()),
        master_key.clone(),
        hasher,
        &base,
        wechat,
        metrics.clone(),
    )
    .with_scanner(scanner)
    .with_uploads(uploads.path());
    let pool = services
        .pools()
        .create(pool_settings(JwtAlgorithm::ES256, RegistrationPolicy::Open))
        .await
        .expect("pool");
    let drain = Drain::default();
    let state = AppState {
        services: services.clone(),
        http: Arc::new(http),
        drain: drain.clone(),
    };
    let app = denglu_server::router(state)
        .merge(denglu_server::metrics_behind_token(metrics, METRICS_TOKEN));
    let serving = drain.clone();
    tokio::spawn(async move {
        denglu_server::serve_router(
            listener,
            app,
            std::future::pending(),
            &serving,
            Duration::from_secs(10),
        )
        .await
    });
    TestApp {
        base,
        client: reqwest::Client::new(),
        services,
        store,
        master_key,
        clock,
        pool,
        wechat: simulator,
        wechat_config,
        database_url: url,
        drain,
        uploads,
        _database: database,
    }
}

/// Password hashing at the lowest cost, so that tests run fast.
fn cheap_hasher() -> PasswordHasher {
    let cheap = PasswordHasherParams {
        memory_kib: 1024,
        iterations: 1,
        parallelism: 1,
    };
    PasswordHasher::new(cheap).expect("valid params")
}

/// A status and a JSON body.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Value,
}

impl TestApp {
    pub(crate) fn pool_id(&self) -> String {
        self.pool.pool.id.to_string()
    }

    /// Another replica: a second server with services of its own (its caches, per-replica limits and metrics) over
    /// the same database, clock, master key and WeChat, with default HTTP settings and no `/metrics`; answers its
    /// base URL. It serves until the test ends.
    pub(crate) async fn spawn_replica(&self) -> String {
        let store = denglu_server::connect(&self.database_url, 4, Duration::from_secs(2))
            .await
            .expect("store opens");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind port 0");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let clock = Arc::new(self.clock.clone());
        let metrics = Metrics::new(Arc::clone(&store));
        let wechat = denglu_service::wechat_client(
            self.wechat_config.clone(),
            Arc::clone(&store),
            self.master_key.clone(),
            clock.clone(),
            &metrics,
        )
        .expect("WeChat client");
        let services = Services::new(
            store,
            clock,
            self.master_key.clone(),
            cheap_hasher(),
            &base,
            wechat,
            metrics,
        );
        let state = AppState {
            services,
            http: Arc::new(HttpSettings::default()),
            drain: Default::default(),
        };
        tokio::spawn(denglu_server::serve(
            listener,
            state,
            std::future::pending(),
        ));
        base
    }

    pub(crate) async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("request reaches the server");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Reply { status, body }
    }

    pub(crate) async fn get(&self, path: &str) -> Reply {
        self.send(self.client.get(format!("{}{path}", self.base)))
            .await
    }

    pub(crate) async fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.send(self.client.post(format!("{}{path}", self.base)).json(body))
            .await
    }

    pub(crate) async fn register_in(&self, pool: &str, username: &str, password: &str) -> Reply {
        self.post_json(
            &format!("/api/v1/pools/{pool}/users"),
            &json!({"username": username, "password": password}),
        )
        .await
    }

    pub(crate) async fn register(&self, username: &str, password: &str) -> Reply {
        self.register_in(&self.pool_id(), username, password).await
    }

    pub(crate) async fn login_in(&self, pool: &str, account: &str, password: &str) -> Reply {
        self.post_json(
            &format!("/api/v1/pools/{pool}/login"),
            &json!({"account": account, "password": password}),
        )
        .await
    }

    pub(crate) async fn login(&self, account: &str, password: &str) -> Reply {
        self.login_in(&self.pool_id(), account, password).await
    }

    /// Registers and logs in a user; returns the token.
    pub(crate) async fn signed_up_token(&self, username: &str) -> String {
        assert_eq!(self.register(username, "correct horse").await.status, 201);
        let reply = self.login(username, "correct horse").await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.body["token"].as_str().expect("token").to_owned()
    }

    /// `GET /authing/token?access_token=…`.
    pub(crate) async fn check_token(&self, token: &str) -> Value {
        let request = self
            .client
            .get(format!("{}/authing/token", self.base))
            .query(&[("access_token", token)]);
        let reply = self.send(request).await;
        assert_eq!(
            reply.status, 200,
            "the compatible check always answers HTTP 200"
        );
        reply.body
    }
}

/// Administrative access to the PostgreSQL server of a test that runs on PostgreSQL, for tests that break its
/// database on purpose.
pub(crate) struct PostgresAdmin {
    /// The test's own database.
    pub(crate) database: String,
    connection: sqlx::PgConnection,
}

impl PostgresAdmin {
    /// Access for `app`, or `None` when the test runs on SQLite.
    pub(crate) async fn of(app: &TestApp) -> Option<Self> {
        use sqlx::Connection;
        let admin_url = std::env::var("TEST_DATABASE_URL").ok()?;
        if !app.database_url.starts_with("postgres") {
            return None;
        }
        let database = app.database_url.rsplit('/').next()?.to_owned();
        let connection = sqlx::PgConnection::connect(&admin_url)
            .await
            .expect("admin connection");
        Some(Self {
            database,
            connection,
        })
    }

    /// Runs `statement`, with `{database}` standing for the test's database.
    pub(crate) async fn run(&mut self, statement: &str) {
        let statement = statement.replace("{database}", &self.database);
        sqlx::query(&statement)
            .execute(&mut self.connection)
            .await
            .expect("admin statement");
    }

    /// Ends the test database's sessions whose last query starts with `query_prefix`; answers how many.
    pub(crate) async fn terminate(&mut self, query_prefix: &str) -> usize {
        let ended: Vec<(bool,)> = sqlx::query_as(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = $1 AND query LIKE $2 AND pid <> pg_backend_pid()",
        )
        .bind(&self.database)
        .bind(format!("{query_prefix}%"))
        .fetch_all(&mut self.connection)
        .await
        .expect("terminate sessions");
        ended.iter().filter(|(ended,)| *ended).count()
    }
}
