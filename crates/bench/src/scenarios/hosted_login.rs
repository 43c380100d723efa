//! denglu's hosted login, as a browser and a phone go through it: the authorization request shows the login page
//! (its CSRF cookie and sealed interaction), the page's script starts a QR session, a phone scans it (code2Session on
//! the simulator) and confirms, the script's poll collects the user's token and opens the IdP session at
//! `/login/qr`. The browser keeps its cookies and the page's resume link, which gives a fresh code at each visit.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use anyhow::{Context, Result, bail, ensure};
use reqwest::{StatusCode, header};
use serde_json::json;

use super::{Target, secret};
use crate::{
    client,
    load::{self, Load, Stats},
    oidc::{self, Provider},
};

pub(crate) const LOGIN: &str =
    "OIDC hosted login: GET /oidc/:pool/authorize … POST /oidc/:pool/login/qr";
pub(crate) const AUTHORIZE: &str =
    "OIDC authorize with a session: GET /oidc/:pool/authorize/resume";
/// The longest the codes of the exchange may take to make (they live 60 s).
const MINTING: Duration = Duration::from_secs(20);

/// A browser after its login: its cookies (CSRF and IdP session) and the authorization request to resume.
#[derive(Debug, Clone)]
pub(crate) struct Browser {
    cookies: String,
    resume: String,
}

/// Logs `count` browsers in, each with its own WeChat user (wrapping around the crowd).
pub(crate) async fn log_in(
    target: &Target,
    provider: &Provider,
    count: usize,
) -> (Vec<Browser>, Stats) {
    let browsers = Arc::new(Mutex::new(Vec::with_capacity(count)));
    let collected = Arc::clone(&browsers);
    let (http, wechat) = (target.client.clone(), Arc::clone(&target.wechat));
    let (base, pool, provider) = (
        target.server.base.clone(),
        target.pool_id.clone(),
        Arc::new(provider.clone()),
    );
    let load = Load {
        connections: target.options.connections,
        requests: Some(count),
        time: Duration::from_secs(300),
    };
    let stats = load::run(load, move |n| {
        let (http, wechat, provider) = (http.clone(), Arc::clone(&wechat), Arc::clone(&provider));
        let (base, pool, browsers) = (base.clone(), pool.clone(), Arc::clone(&collected));
        async move {
            let code = wechat.login_code(n)?;
            let browser = one_login(&http, &provider, &base, &pool, &code).await?;
            browsers
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(browser);
            Ok(())
        }
    })
    .await;
    let browsers = std::mem::take(&mut *browsers.lock().unwrap_or_else(|e| e.into_inner()));
    (browsers, stats)
}

/// One browser's login, the phone bringing the `wx.login` code `code`.
async fn one_login(
    http: &reqwest::Client,
    provider: &Provider,
    base: &str,
    pool: &str,
    code: &str,
) -> Result<Browser> {
    let challenge = oidc::challenge();
    let (state, nonce) = (secret(), secret());
    let page = http
        .get(&provider.authorization)
        .query(&[
            ("client_id", provider.client_id.as_str()),
            ("redirect_uri", oidc::REDIRECT_URI),
            ("response_type", "code"),
            ("scope", oidc::SCOPE),
            ("state", &state),
            ("nonce", &nonce),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await?;
    ensure!(
        page.status() == StatusCode::OK,
        "login page: HTTP {}",
        page.status()
    );
    let csrf = cookie(&page, "denglu_oidc_csrf")?;
    let interaction = login_data(&page.text().await?)?;
    // The page's script: a QR session, then the phone scans and confirms it, then the script's poll.
    let random = secret();
    let started = client::json(
        http.get(format!("{base}/oauth/wxapp/qrcode/{pool}"))
            .query(&[("random", &random)])
            .send()
            .await?,
    )
    .await?;
    let scene = client::text(&started, "/data/scene")?;
    let session = format!("{base}/api/v1/scanner/sessions/{scene}");
    let scanned = client::json(
        http.post(format!("{session}/scan"))
            .json(&json!({ "code": code }))
            .send()
            .await?,
    )
    .await?;
    let scan_token = client::text(&scanned, "/scanToken")?;
    let confirmed = client::json(
        http.post(format!("{session}/confirm"))
            .json(&json!({ "scanToken": scan_token }))
            .send()
            .await?,
    )
    .await?;
    ensure!(confirmed["state"] == "confirmed", "confirm: {confirmed}");
    let polled = client::json(
        http.post(format!("{base}/oauth/wxapp/confirm/qr"))
            .query(&[("random", &random)])
            .send()
            .await?,
    )
    .await?;
    client::expect_code(&polled["data"], "code", 200)?;
    let token = client::text(&polled, "/data/data/token")?;
    let opened = http
        .post(format!("{}/login/qr", provider.issuer))
        .header(header::COOKIE, format!("denglu_oidc_csrf={csrf}"))
        .json(&json!({ "interaction": interaction, "token": token }))
        .send()
        .await?;
    let idp_session = cookie(&opened, "denglu_oidc")?;
    let next = client::json(opened).await?;
    Ok(Browser {
        cookies: format!("denglu_oidc_csrf={csrf}; denglu_oidc={idp_session}"),
        resume: client::text(&next, "/location")?,
    })
}

/// `count` codes from the browsers' resume links, each browser visited in turn (so one may give several), made in
/// at most [`MINTING`].
pub(crate) async fn codes(
    target: &Target,
    browsers: &[Browser],
    count: usize,
) -> (Vec<String>, Stats) {
    let codes = Arc::new(Mutex::new(Vec::with_capacity(count)));
    let collected = Arc::clone(&codes);
    let (http, browsers) = (target.client.clone(), Arc::new(browsers.to_vec()));
    let load = Load {
        connections: target.options.connections,
        requests: Some(if browsers.is_empty() { 0 } else { count }),
        time: MINTING,
    };
    let stats = load::run(load, move |n| {
        let (http, browsers, codes) = (http.clone(), Arc::clone(&browsers), Arc::clone(&collected));
        async move {
            let code = resume(&http, &browsers[n % browsers.len()]).await?;
            codes.lock().unwrap_or_else(|e| e.into_inner()).push(code);
            Ok(())
        }
    })
    .await;
    let codes = std::mem::take(&mut *codes.lock().unwrap_or_else(|e| e.into_inner()));
    (codes, stats)
}

/// The browser back at its authorization request: a 303 to the client with a code.
async fn resume(http: &reqwest::Client, browser: &Browser) -> Result<String> {
    let answer = http
        .get(&browser.resume)
        .header(header::COOKIE, &browser.cookies)
        .send()
        .await?;
    ensure!(
        answer.status() == StatusCode::SEE_OTHER,
        "authorize with a session: HTTP {}",
        answer.status()
    );
    let location = answer
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .context("a redirect without a Location")?;
    let url = reqwest::Url::parse(location).with_context(|| format!("Location {location}"))?;
    match url.query_pairs().find(|(name, _)| name == "code") {
        Some((_, code)) => Ok(code.into_owned()),
        None => bail!("no code in the redirect: {location}"),
    }
}

/// The value of the cookie `name` the answer sets.
fn cookie(answer: &reqwest::Response, name: &str) -> Result<String> {
    answer
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| {
            let (pair, _) = value.split_once(';').unwrap_or((value, ""));
            let (found, content) = pair.split_once('=')?;
            (found.trim() == name && !content.is_empty()).then(|| content.to_owned())
        })
        .with_context(|| format!("HTTP {}: no {name} cookie set", answer.status()))
}

/// The sealed interaction in the login page's `login-data` script.
fn login_data(html: &str) -> Result<String> {
    let start = html
        .find("id=\"login-data\">")
        .context("the login page has no login-data (is the QR code shown?)")?;
    let rest = &html[start + "id=\"login-data\">".len()..];
    let end = rest.find("</script>").context("login-data is not closed")?;
    let data: serde_json::Value =
        serde_json::from_str(&rest[..end]).context("login-data is not JSON")?;
    client::text(&data, "/interaction")
}
