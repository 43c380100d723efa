//! The binary as an operator uses it: key generation, the refusal to start without a master key, admin commands,
//! operator accounts set up and signed in against `serve`, and `dev` stopping on Ctrl-C and remembering its demo
//! pool.

#[allow(
    dead_code,
    reason = "every test binary compiles the shared support module and uses only part of it"
)]
mod support;

use std::{
    io::{BufRead, BufReader},
    process::{Command, ExitStatus, Stdio},
    time::{Duration, Instant},
};

use serde_json::{Value, json};
use support::{
    Running,
    admin::{field, run},
    denglu, free_port,
    server::serve,
    start_with_banner, wait_until_ok,
};

/// Sends SIGINT, what Ctrl-C sends, and waits at most `within` for the process to end.
fn interrupt(running: &mut Running, within: Duration) -> ExitStatus {
    let sent = Command::new("kill")
        .args(["-INT", &running.0.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "kill -INT failed");
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = running.0.try_wait().expect("wait") {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "still running {within:?} after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn serve_without_a_master_key_exits_and_says_how_to_make_one() {
    let data = tempfile::tempdir().expect("temp dir");
    let output = denglu(data.path(), None, &["serve", "--listen", "127.0.0.1:0"])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no master key") && stderr.contains("denglu keygen"),
        "{stderr}"
    );
}

#[test]
fn an_operator_creates_a_pool_serves_it_and_blocking_a_user_kills_their_token() {
    let data = tempfile::tempdir().expect("temp dir");
    let key = run(&mut denglu(data.path(), None, &["keygen"]))
        .trim()
        .to_owned();
    assert_eq!(key.len(), 44, "32 bytes in base64");

    let created = run(&mut denglu(
        data.path(),
        Some(&key),
        &["pool", "create", "--name", "Shop", "--token-lifetime", "2h"],
    ));
    let pool = field(&created, "id");
    let secret = field(&created, "secret");
    assert_eq!(pool.len(), 24);
    assert!(secret.len() >= 32);
    let listed = run(&mut denglu(data.path(), Some(&key), &["pool", "list"]));
    assert!(
        listed.contains(&pool) && listed.contains("Shop"),
        "{listed}"
    );
    let shown = run(&mut denglu(
        data.path(),
        Some(&key),
        &["pool", "show", &pool],
    ));
    assert_eq!(field(&shown, "token lifetime"), "7200 s");

    let (mut server, base) = serve(data.path(), &key, |command| {
        command.stderr(Stdio::piped());
    });

    let client = reqwest::blocking::Client::new();
    let credentials = json!({"username": "sam", "password": "correct horse"});
    let registered: Value = client
        .post(format!("{base}/api/v1/pools/{pool}/users"))
        .json(&credentials)
        .send()
        .expect("register")
        .json()
        .expect("json");
    let user = registered["_id"].as_str().expect("id").to_owned();
    let login = json!({"account": "sam", "password": "correct horse"});
    let session: Value = client
        .post(format!("{base}/api/v1/pools/{pool}/login"))
        .json(&login)
        .send()
        .expect("login")
        .json()
        .expect("json");
    let token = session["token"].as_str().expect("token").to_owned();
    let check = |token: &str| -> Value {
        client
            .get(format!("{base}/authing/token"))
            .query(&[("access_token", token)])
            .send()
            .expect("check")
            .json()
            .expect("json")
    };
    assert_eq!(check(&token)["status"], true);

    let blocked = run(&mut denglu(
        data.path(),
        Some(&key),
        &["user", "block", "--pool", &pool, &user],
    ));
    assert!(blocked.contains("blocked"), "{blocked}");
    assert_eq!(check(&token)["status"], false);
    let shown = run(&mut denglu(
        data.path(),
        Some(&key),
        &["user", "show", "--pool", &pool, &user],
    ));
    let shown: Value = serde_json::from_str(&shown).expect("user JSON");
    assert_eq!(shown["blocked"], true);
    assert!(shown.get("password").is_none());

    let _ = server.0.kill();
    let mut logs = String::new();
    if let Some(stderr) = server.0.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            logs.push_str(&line);
        }
    }
    assert!(logs.contains("listening"), "{logs}");
    assert!(
        logs.contains("public_url is not set"),
        "an operator is warned that the tokens' issuer follows the listen address: {logs}"
    );
    assert!(
        !logs.contains(&key) && !logs.contains(&secret) && !logs.contains("correct horse"),
        "secrets leaked: {logs}"
    );
}

/// Runs `denglu` with `args` expecting it to fail; answers its standard error.
fn refused(data: &std::path::Path, key: &str, args: &[&str]) -> String {
    let output = denglu(data, Some(key), args).output().expect("denglu runs");
    assert!(!output.status.success(), "{args:?} should fail");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn operators_are_made_on_the_command_line_and_sign_in_with_password_and_one_time_code() {
    let data = tempfile::tempdir().expect("temp dir");
    let key = run(&mut denglu(data.path(), None, &["keygen"]))
        .trim()
        .to_owned();
    let admin = |args: &[&str]| run(&mut denglu(data.path(), Some(&key), args));
    let pool = field(&admin(&["pool", "create", "--name", "Shop"]), "id");

    let first = refused(
        data.path(),
        &key,
        &["admin", "create", "--name", "bob", "--pool", &pool],
    );
    assert!(first.contains("owner"), "{first}");
    let alice = admin(&["admin", "create", "--name", "alice"]);
    let token = field(&alice, "setup token");
    assert!(
        field(&alice, "setup link").ends_with(&format!("/console/setup#{token}")),
        "{alice}"
    );
    assert_eq!(field(&alice, "pools"), "(all)");
    let bob = admin(&["admin", "create", "--name", "bob", "--pool", &pool]);
    let bob_token = field(&bob, "setup token");
    let listed = admin(&["admin", "list"]);
    assert!(
        listed.contains("alice") && listed.contains(&pool),
        "{listed}"
    );
    assert_eq!(listed.matches("setting up").count(), 2, "{listed}");
    let reset = admin(&["admin", "reset", "bob"]);
    assert_ne!(field(&reset, "setup token"), bob_token);
    let last = refused(data.path(), &key, &["admin", "delete", "alice"]);
    assert!(last.contains("last owner"), "{last}");
    assert!(admin(&["admin", "delete", "bob"]).contains("deleted"));
    let events = admin(&["audit", "--kind", "operator"]);
    for kind in ["operator.create", "operator.reset", "operator.delete"] {
        assert!(events.contains(kind), "{events}");
    }

    let (mut server, base) = serve(data.path(), &key, |_| {});
    let client = reqwest::blocking::Client::new();
    let post = |path: &str, body: Value| -> (u16, Value) {
        let response = client
            .post(format!("{base}/api/v1/admin{path}"))
            .json(&body)
            .send()
            .expect("the server answers");
        (response.status().as_u16(), response.json().expect("json"))
    };
    let (status, offer) = post("/setup/totp", json!({"setupToken": token}));
    assert_eq!(status, 200, "{offer}");
    let secret = totp_rs::Secret::try_from_base32(offer["secret"].as_str().expect("secret"))
        .expect("base32")
        .as_bytes()
        .to_vec();
    let totp = totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .expect("valid secret");
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs()
    };
    let password = "a long enough passphrase";
    let (status, done) = post(
        "/setup",
        json!({"setupToken": token, "password": password, "code": totp.generate(now()).to_string()}),
    );
    assert_eq!(status, 200, "{done}");
    let recovery = done["recoveryCodes"][0].as_str().expect("a recovery code");

    let signed_in = client
        .post(format!("{base}/api/v1/admin/session"))
        .json(&json!({"name": "alice", "password": password, "code": recovery}))
        .send()
        .expect("the server answers");
    assert_eq!(signed_in.status().as_u16(), 200);
    let cookie = signed_in
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let me: Value = client
        .get(format!("{base}/api/v1/admin/whoami"))
        .header("cookie", &cookie)
        .send()
        .expect("the server answers")
        .json()
        .expect("json");
    assert_eq!(me["actor"], "operator:alice", "{me}");
    assert_eq!(me["recoveryCodesLeft"], 9, "{me}");
    let _ = server.0.kill();
}

#[test]
fn dev_mode_needs_no_setup_stops_on_ctrl_c_and_remembers_its_demo_pool() {
    let data = tempfile::tempdir().expect("temp dir");
    let start = || {
        let port = free_port();
        let command = denglu(
            data.path(),
            None,
            &[
                "dev",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
                "data",
            ],
        );
        let (mut server, banner) = start_with_banner(command, "Admin commands");
        wait_until_ok(&format!("http://127.0.0.1:{port}/healthz"), &mut server);
        (server, banner)
    };
    let (mut first, banner) = start();
    let (pool, secret) = (field(&banner, "id"), field(&banner, "secret"));
    assert_eq!(pool.len(), 24, "{banner}");
    assert!(
        data.path().join("data/master.key").is_file()
            && data.path().join("data/denglu.db").is_file()
    );
    let stopped = interrupt(&mut first, Duration::from_secs(10));
    assert!(stopped.success(), "Ctrl-C stops dev cleanly: {stopped}");

    let (_second, banner) = start();
    assert_eq!(
        (field(&banner, "id"), field(&banner, "secret")),
        (pool, secret),
        "the same demo pool on restart"
    );
}

#[test]
fn read_only_commands_run_without_the_master_key_and_changes_still_ask_for_it() {
    let data = tempfile::tempdir().expect("temp dir");
    let database = std::env::var("TEST_DATABASE_URL")
        .ok()
        .map(|server| support::postgres::Database::create(&server, "cli_reads"));
    let command = |key: Option<&str>, args: &[&str]| {
        let mut command = denglu(data.path(), key, args);
        if let Some(database) = &database {
            command.env("DENGLU_DATABASE__URL", &database.url);
        }
        command
    };
    let key = run(&mut command(None, &["keygen"])).trim().to_owned();
    let pool = field(
        &run(&mut command(
            Some(&key),
            &["pool", "create", "--name", "Shop"],
        )),
        "id",
    );
    run(&mut command(
        Some(&key),
        &["admin", "create", "--name", "alice"],
    ));
    run(&mut command(
        Some(&key),
        &["admin", "token", "create", "--name", "ci"],
    ));
    run(&mut command(
        Some(&key),
        &["pool", "app-login", &pool, "--ticket-lifetime", "300"],
    ));
    run(&mut command(
        Some(&key),
        &["pool", "qr", &pool, "--lifetime", "90"],
    ));
    let settings = data.path().join("denglu.toml");
    std::fs::write(&settings, "master_key_file = \"/nonexistent/master.key\"\n").expect("write");
    let config = settings.to_string_lossy().into_owned();
    let without_key = |args: &[&str]| {
        let mut all = vec!["--config", config.as_str()];
        all.extend_from_slice(args);
        command(None, &all)
    };

    let listed = run(&mut without_key(&["pool", "list"]));
    assert!(
        listed.contains(&pool) && listed.contains("Shop"),
        "{listed}"
    );
    let shown = run(&mut without_key(&["pool", "show", &pool]));
    assert_eq!(field(&shown, "name"), "Shop");
    let keys = run(&mut without_key(&["key", "list", "--pool", &pool]));
    assert!(keys.contains("active"), "{keys}");
    for args in [
        &["user", "list", "--pool", &pool][..],
        &["user", "search", "--pool", &pool, "sam"],
        &["pool", "app-login", &pool],
        &["admin", "token", "list"],
        &["client", "list", "--pool", &pool],
    ] {
        run(&mut without_key(args));
    }
    let operators = run(&mut without_key(&["admin", "list"]));
    assert!(operators.contains("alice"), "{operators}");
    let audit = run(&mut without_key(&["audit"]));
    assert!(
        audit.contains("pool.create")
            && audit.contains("pool.app_login_settings")
            && audit.contains("pool.qr_settings"),
        "{audit}"
    );
    let shown = run(&mut without_key(&["pool", "app-login", &pool]));
    assert_eq!(field(&shown, "ticket lifetime"), "300 s");
    let qr = run(&mut without_key(&["pool", "qr", &pool]));
    assert_eq!(field(&qr, "lifetime"), "90 s");
    let nobody = without_key(&["user", "show", "--pool", &pool, &"0".repeat(24)])
        .output()
        .expect("denglu runs");
    let stderr = String::from_utf8_lossy(&nobody.stderr);
    assert!(
        !nobody.status.success() && stderr.contains("user not found"),
        "the store is read, not the key: {stderr}"
    );

    for args in [
        &["pool", "create", "--name", "Other"][..],
        &["pool", "rotate-secret", &pool],
        &["pool", "show", &pool, "--reveal-jwt-secret"],
        &["pool", "app-login", &pool, "--require-pkce", "true"],
        &["pool", "qr", &pool, "--mode", "wxacode"],
        &["key", "rotate", "--pool", &pool],
        &["admin", "token", "create", "--name", "more"],
        &["admin", "reset", "alice"],
        &[
            "client",
            "create",
            "--pool",
            &pool,
            "--name",
            "Web",
            "--grant-type",
            "client_credentials",
        ],
    ] {
        let output = without_key(args).output().expect("denglu runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success()
                && stderr.contains("master_key_file: cannot read /nonexistent/master.key"),
            "{args:?}: {stderr}"
        );
    }
    let unset = command(None, &["pool", "update", &pool, "--name", "Renamed"])
        .output()
        .expect("denglu runs");
    let stderr = String::from_utf8_lossy(&unset.stderr);
    assert!(
        !unset.status.success() && stderr.contains("no master key"),
        "{stderr}"
    );
    let mut from_env = command(None, &["pool", "list"]);
    from_env.env("DENGLU_MASTER_KEY_FILE", "/nonexistent/master.key");
    assert!(run(&mut from_env).contains(&pool));
    let shown = run(&mut command(Some(&key), &["pool", "show", &pool]));
    assert_eq!(field(&shown, "name"), "Shop", "nothing changed");
}

#[test]
fn a_pools_wechat_apps_are_added_changed_listed_and_removed_on_the_command_line() {
    let data = tempfile::tempdir().expect("temp dir");
    let key = run(&mut denglu(data.path(), None, &["keygen"]))
        .trim()
        .to_owned();
    let admin = |args: &[&str]| run(&mut denglu(data.path(), Some(&key), args));
    let pool = field(&admin(&["pool", "create", "--name", "Shop"]), "id");
    let secret = data.path().join("app-secret.txt");
    std::fs::write(&secret, "the-app-secret\n").expect("secret file");
    let secret = secret.to_str().expect("utf-8 path");

    let added = admin(&[
        "app",
        "add",
        "--pool",
        &pool,
        "--appid",
        "wx00000000000a00c1",
        "--name",
        "Shop",
        "--role",
        "sdk",
        "--role",
        "qr_login",
        "--secret-file",
        secret,
        "--no-check",
    ]);
    assert!(
        added.contains("qr_login,sdk") && added.contains("set"),
        "{added}"
    );
    admin(&[
        "app",
        "add",
        "--pool",
        &pool,
        "--appid",
        "wx00000000000a00c2",
        "--kind",
        "mobile_app",
    ]);
    let no_roles = refused(
        data.path(),
        &key,
        &[
            "app",
            "add",
            "--pool",
            &pool,
            "--appid",
            "wx00000000000a00c3",
            "--role",
            "scan",
            "--secret-file",
            secret,
        ],
    );
    assert!(no_roles.contains("unknown role 'scan'"), "{no_roles}");
    let mobile_check = refused(
        data.path(),
        &key,
        &["app", "check", "--pool", &pool, "wx00000000000a00c2"],
    );
    assert!(mobile_check.contains("mobile apps"), "{mobile_check}");

    let changed = admin(&[
        "app",
        "change",
        "--pool",
        &pool,
        "wx00000000000a00c1",
        "--role",
        "app_launch",
    ]);
    assert!(
        changed.contains("app_launch") && !changed.contains("sdk"),
        "{changed}"
    );
    let listed = run(&mut denglu(
        data.path(),
        None,
        &["app", "list", "--pool", &pool],
    ));
    let rows: Vec<&str> = listed.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{listed}");
    assert!(
        rows[0].starts_with("wx00000000000a00c1") && rows[1].contains("mobile_app"),
        "{listed}"
    );
    assert!(!listed.contains("the-app-secret"), "{listed}");

    admin(&["app", "remove", "--pool", &pool, "wx00000000000a00c2"]);
    let gone = refused(
        data.path(),
        &key,
        &["app", "remove", "--pool", &pool, "wx00000000000a00c2"],
    );
    assert!(gone.contains("no such WeChat app"), "{gone}");
    let audit = admin(&["audit", "--pool", &pool, "--kind", "app"]);
    assert_eq!(audit.matches("app.").count(), 4, "{audit}");
}

#[test]
fn a_pools_applications_are_created_shown_updated_rotated_and_deleted_on_the_command_line() {
    let data = tempfile::tempdir().expect("temp dir");
    let key = run(&mut denglu(data.path(), None, &["keygen"]))
        .trim()
        .to_owned();
    let admin = |args: &[&str]| run(&mut denglu(data.path(), Some(&key), args));
    let pool = field(&admin(&["pool", "create", "--name", "Shop"]), "id");

    let created = admin(&[
        "client",
        "create",
        "--pool",
        &pool,
        "--name",
        "Shop web",
        "--redirect-uri",
        "https://shop.example.com/callback",
        "--redirect-uri",
        "http://127.0.0.1:8400/cb",
        "--grant-type",
        "authorization_code",
        "--grant-type",
        "client_credentials",
        "--scope",
        "openid",
        "--scope",
        "phone",
        "--first-party",
    ]);
    let client_id = field(&created, "client_id:");
    let secret = field(&created, "client_secret:");
    assert!(client_id.len() >= 24 && secret.len() >= 43, "{created}");
    assert_eq!(
        field(&created, "grant_types:"),
        "authorization_code client_credentials"
    );
    assert_eq!(field(&created, "first_party:"), "true");
    let public = admin(&[
        "client",
        "create",
        "--pool",
        &pool,
        "--name",
        "Shop app",
        "--kind",
        "public",
        "--redirect-uri",
        "com.example.shop:/callback",
    ]);
    assert!(!public.contains("client_secret"), "{public}");
    let public_id = field(&public, "client_id:");
    let wildcard = refused(
        data.path(),
        &key,
        &[
            "client",
            "create",
            "--pool",
            &pool,
            "--name",
            "x",
            "--redirect-uri",
            "https://*.example.com/cb",
        ],
    );
    assert!(wildcard.contains("redirectUris"), "{wildcard}");
    let public_rotate = refused(
        data.path(),
        &key,
        &["client", "rotate-secret", "--pool", &pool, &public_id],
    );
    assert!(public_rotate.contains("public client"), "{public_rotate}");

    let listed = run(&mut denglu(
        data.path(),
        None,
        &["client", "list", "--pool", &pool],
    ));
    let shown = run(&mut denglu(
        data.path(),
        None,
        &["client", "show", "--pool", &pool, &client_id],
    ));
    assert_eq!(listed.lines().count(), 3, "{listed}");
    assert!(
        listed.contains(&client_id) && listed.contains(&public_id),
        "{listed}"
    );
    assert_eq!(field(&shown, "secret:"), "set");
    for text in [&listed, &shown] {
        assert!(!text.contains(&secret), "{text}");
    }

    let updated = admin(&[
        "client",
        "update",
        "--pool",
        &pool,
        &client_id,
        "--name",
        "Shop website",
        "--redirect-uri",
        "https://www.shop.example.com/cb",
        "--access-token-lifetime",
        "900",
    ]);
    assert_eq!(field(&updated, "name:"), "Shop website");
    assert_eq!(
        field(&updated, "redirect_uris:"),
        "https://www.shop.example.com/cb"
    );
    assert!(updated.contains("access 900s"), "{updated}");
    let rotated = admin(&["client", "rotate-secret", "--pool", &pool, &client_id]);
    let new_secret = field(&rotated, "client_secret:");
    assert_ne!(new_secret, secret);

    admin(&["client", "delete", "--pool", &pool, &public_id]);
    let gone = refused(
        data.path(),
        &key,
        &["client", "show", "--pool", &pool, &public_id],
    );
    assert!(gone.contains("no application"), "{gone}");
    let audit = admin(&["audit", "--pool", &pool, "--kind", "client"]);
    assert_eq!(audit.matches("client.").count(), 5, "{audit}");
    assert!(
        !audit.contains(&secret) && !audit.contains(&new_secret),
        "{audit}"
    );
}
