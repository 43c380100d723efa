//! The WeChat simulator as people reach it through the binary: standalone (`denglu wechat-sim`) and embedded in
//! `denglu dev` under `/wechat-sim`.

#[allow(
    dead_code,
    reason = "every test binary compiles the shared support module and uses only part of it"
)]
mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{denglu, free_port, simulator::Simulator, start_with_banner};

fn post(url: &str, body: &Value) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match reqwest::blocking::Client::new().post(url).json(body).send() {
            Ok(response) => return response.json().expect("JSON"),
            Err(error) if Instant::now() > deadline => panic!("{url}: {error}"),
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

fn get(url: &str) -> Value {
    reqwest::blocking::get(url)
        .expect("answers")
        .json()
        .expect("JSON")
}

/// Plays a user who logs in to `appid` and has their code exchanged, as a backend would, at `wechat` (the
/// simulator's WeChat API base URL).
fn log_in_and_exchange(wechat: &str, appid: &str, secret: &str) -> Value {
    let user = post(
        &format!("{wechat}/__sim/users"),
        &json!({"nickname": "Ada"}),
    )["user"]
        .clone();
    let login = post(
        &format!("{wechat}/__sim/login"),
        &json!({"appid": appid, "user": user}),
    );
    let code = login["code"].as_str().expect("a code");
    let url = format!(
        "{wechat}/sns/jscode2session?appid={appid}&secret={secret}&js_code={code}&grant_type=authorization_code"
    );
    let first = get(&url);
    let second = get(&url);
    assert_eq!(second["errcode"], 40163, "codes are single use: {second}");
    first
}

#[test]
fn the_standalone_simulator_serves_the_apps_it_was_given() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = Simulator::start(dir.path(), ("wx0123456789abcdef", "my-secret"));
    assert!(sim.banner.contains("my-secret"), "{}", sim.banner);

    let session = log_in_and_exchange(&sim.base, "wx0123456789abcdef", "my-secret");

    assert_eq!(
        session["openid"].as_str().map(str::len),
        Some(28),
        "{session}"
    );
    assert!(session.get("errcode").is_none(), "{session}");
}

#[test]
fn the_standalone_simulator_refuses_a_malformed_app() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (app, reason) in [
        ("wx0123456789abcdef", "APPID:SECRET"),
        ("not-an-appid:secret", "appid must be"),
    ] {
        let output = denglu(
            dir.path(),
            None,
            &["wechat-sim", "--listen", "127.0.0.1:0", "--app", app],
        )
        .output()
        .expect("runs");

        assert!(!output.status.success(), "{app}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(reason), "{app}: {stderr}");
    }
}

#[test]
fn dev_mode_embeds_the_simulator_with_its_demo_mini_program() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let dev = denglu(
        dir.path(),
        None,
        &[
            "dev",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
            "data",
        ],
    );
    let (_dev, banner) = start_with_banner(dev, "Admin commands");
    let program = banner
        .lines()
        .find(|line| line.contains("mini program"))
        .expect("the banner names the demo mini program");
    let words: Vec<&str> = program.split_whitespace().collect();
    let (appid, secret) = (words[3], words[5]);

    let session = log_in_and_exchange(
        &format!("http://127.0.0.1:{port}/wechat-sim"),
        appid,
        secret,
    );

    assert_eq!(
        session["openid"].as_str().map(str::len),
        Some(28),
        "{session}"
    );
}
