//! The memory of a running `denglu serve` under rounds of hostile input to every endpoint: oversized bodies, deeply
//! nested JSON, huge strings and invalid UTF-8. No answer is a 5xx, and the resident memory stops growing after the
//! first rounds (what one round takes is given back or reused by the next), so bad input cannot wear a replica down.

#[allow(
    dead_code,
    reason = "every test binary compiles the shared support module and uses only part of it"
)]
mod support;

use std::time::Duration;

use reqwest::{Method, blocking::Client};
use serde_json::Value;
use support::{admin::run, denglu, server::serve};

/// Rounds of the whole corpus; the first ones warm the allocator and caches up.
const ROUNDS: usize = 6;
/// Rounds not counted in the growth: the allocator settles during them.
const WARM_UP_ROUNDS: usize = 2;
/// Growth in resident memory allowed over the counted rounds. A leak of even a few bytes per request grows past it:
/// each round sends thousands of requests and megabytes of bodies.
const ALLOWED_GROWTH_KIB: u64 = 16 * 1024;

/// The bad bodies: name, bytes, content type.
fn bodies() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let depth = 100_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let huge_string = format!(
        "{{\"username\":\"{0}\",\"code\":\"{0}\",\"nickname\":\"{0}\"}}",
        "x".repeat(900_000)
    );
    vec![
        (
            "over the body limit",
            vec![b'{'; 2 * 1024 * 1024],
            "application/json",
        ),
        ("nested arrays", nested.into_bytes(), "application/json"),
        ("huge strings", huge_string.into_bytes(), "application/json"),
        (
            "invalid UTF-8",
            b"{\"code\":\"\xff\xfe\"}".to_vec(),
            "application/json",
        ),
        (
            "form",
            b"a=1&b=2".to_vec(),
            "application/x-www-form-urlencoded",
        ),
    ]
}

/// Every (method, path) of the served OpenAPI document, with path parameters filled in with `x`, and GraphQL.
fn endpoints(client: &Client, base: &str) -> Vec<(Method, String)> {
    let document: Value = client
        .get(format!("{base}/api/v1/openapi.json"))
        .send()
        .expect("OpenAPI document")
        .json()
        .expect("JSON");
    let paths = document["paths"].as_object().expect("paths");
    let mut endpoints = Vec::new();
    for (path, operations) in paths {
        let filled: String = path
            .split('/')
            .map(|part| if part.starts_with('{') { "x" } else { part })
            .collect::<Vec<_>>()
            .join("/");
        for method in operations.as_object().expect("operations").keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            endpoints.push((method, filled.clone()));
        }
    }
    // Described elsewhere (docs/graphql.md), not in the OpenAPI document.
    endpoints.push((Method::POST, "/graphql".to_owned()));
    endpoints
}

/// The resident memory of process `pid`, in KiB (`VmRSS` in `/proc/<pid>/status`).
fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("process status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// Sends every body to every endpoint once; answers how many requests were sent. Panics on a 5xx.
fn one_round(client: &Client, base: &str, endpoints: &[(Method, String)]) -> usize {
    let mut sent = 0;
    for (method, path) in endpoints {
        for (name, bytes, content_type) in bodies() {
            let response = client
                .request(method.clone(), format!("{base}{path}"))
                .header("content-type", content_type)
                .body(bytes)
                .send();
            sent += 1;
            // The server may close the connection on an oversized body before reading it: that is an answer too.
            let Ok(response) = response else { continue };
            let status = response.status();
            assert!(
                status.as_u16() < 500,
                "{method} {path} with {name}: {status} {}",
                response.text().unwrap_or_default()
            );
        }
    }
    sent
}

#[test]
fn hostile_input_to_every_endpoint_answers_no_5xx_and_memory_stops_growing() {
    let data = tempfile::tempdir().expect("temp dir");
    let key = run(&mut denglu(data.path(), None, &["keygen"]))
        .trim()
        .to_owned();
    run(&mut denglu(
        data.path(),
        Some(&key),
        &["pool", "create", "--name", "Shop"],
    ));
    let (server, base) = serve(data.path(), &key, |command| {
        // Rate limits would answer 429 before the bodies are read; they are not what this measures.
        command
            .env("DENGLU_HTTP__QR_STARTS_PER_MINUTE", "0")
            .env("DENGLU_HTTP__QR_POLLS_PER_MINUTE", "0")
            .env("DENGLU_HTTP__SIGN_UPS_PER_MINUTE", "0")
            .env("DENGLU_HTTP__SCANS_PER_MINUTE", "0")
            .env("DENGLU_HTTP__TICKET_MINTS_PER_MINUTE", "0")
            .env("DENGLU_HTTP__TICKET_EXCHANGES_PER_MINUTE", "0")
            .env("DENGLU_HTTP__WECHATAPP_CALLS_PER_MINUTE", "0")
            .env("DENGLU_HTTP__AVATAR_UPLOADS_PER_MINUTE", "0");
    });
    let pid = server.0.id();
    let client = Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let healthy = || {
        client
            .get(format!("{base}/healthz"))
            .send()
            .is_ok_and(|response| response.status() == 200)
    };
    let endpoints = endpoints(&client, &base);
    assert!(endpoints.len() > 30, "every endpoint: {}", endpoints.len());

    let before = resident_kib(pid);
    let mut after_round = Vec::new();
    let mut sent = 0;
    for _ in 0..ROUNDS {
        sent += one_round(&client, &base, &endpoints);
        after_round.push(resident_kib(pid));
    }
    assert!(healthy(), "the server still works");
    let settled = after_round[WARM_UP_ROUNDS - 1];
    let last = after_round[ROUNDS - 1];
    eprintln!(
        "memory: {sent} requests to {} endpoints; resident KiB before {before}, after each round {after_round:?}",
        endpoints.len()
    );
    assert!(
        last <= settled + ALLOWED_GROWTH_KIB,
        "resident memory grew from {settled} KiB to {last} KiB over {} rounds",
        ROUNDS - WARM_UP_ROUNDS
    );
}
