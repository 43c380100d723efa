//! Authing-compatible QR login (spec §3): `GET /oauth/wxapp/qrcode/{pool}` and `POST /oauth/wxapp/confirm/qr`.
//! Always HTTP 200 with the code in the body; the poll reply always carries the inner `data` object.

use std::sync::Arc;

use axum::{
    Extension, Json,
    extract::{Path, Query, State},
    http::{HeaderMap, header},
};
use denglu_domain::{QrOptions, QrSession, Requester};
use denglu_service::{ErrorCode, QrPoll, ServiceError, StartedQr};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;

use crate::{
    AppState,
    http::{ClientIp, Limited, RateLimits},
    routes::{parse_pool_id, qr_events},
    views::{UserView, iso},
};

/// The query of both compatible QR endpoints.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
pub(crate) struct QrQuery {
    /// The browser's poll secret: 12–64 characters of `[0-9A-Za-z_-]`.
    pub(crate) random: Option<String>,
    /// `true` to use the pool's own mini program.
    pub(crate) use_self_wxapp: Option<String>,
    /// `true` when the page asks for the phone number.
    pub(crate) enable_fetch_phone: Option<String>,
}

/// Starts a QR login: `{code: 200, data: {_id, client, qrcode, expiredAt, createdAt, redirect, success, used, scene,
/// events}}`, or `{code, message}`.
#[utoipa::path(get, path = "/oauth/wxapp/qrcode/{userPoolId}", tag = "compat", params(QrQuery,
    ("userPoolId" = String, Path, description = "The pool id")),
    responses((status = 200, description = "Always 200; `code` tells success (200) from failure", body = Object)))]
pub(crate) async fn qrcode(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<RateLimits>>,
    Path(pool_id): Path<String>,
    Query(query): Query<QrQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
) -> Json<Value> {
    if !limits.allows(Limited::QrStart, ip) {
        return Json(failure(&ServiceError::Refused(ErrorCode::TooManyRequests)));
    }
    let Ok(pool_id) = parse_pool_id(&pool_id) else {
        return Json(failure(&ServiceError::PoolNotFound));
    };
    let options = QrOptions {
        phone_requested: query.enable_fetch_phone.as_deref() == Some("true"),
        use_self_wxapp: query.use_self_wxapp.as_deref() == Some("true"),
    };
    let requester = Requester {
        ip: ip.map(|ip| ip.to_string()),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(512).collect()),
    };
    let random = query.random.unwrap_or_default();
    let started = state
        .services
        .start_qr(&pool_id, &random, options, requester)
        .await;
    Json(match started {
        Ok(started) => started_reply(&state, &started, &random),
        Err(error) => failure(&error),
    })
}

fn started_reply(state: &AppState, started: &StartedQr, random: &str) -> Value {
    let session: &QrSession = &started.session;
    let base = state.services.public_url();
    json!({
        "code": 200,
        "data": {
            "_id": session.scene,
            "client": session.pool_id.as_str(),
            "oauth": null,
            "qrcode": format!("{base}/qrcode/{}.png", session.scene),
            "expiredAt": iso(session.expires_at),
            "createdAt": iso(session.created_at),
            "redirect": started.redirect.clone().unwrap_or_default(),
            "success": false,
            "used": false,
            "__v": 0,
            "scene": session.scene,
            "events": qr_events::events_url(base, random),
        }
    })
}

/// Polls a QR login with an empty body: pending `{code: 200, data: {code: 500, message: "have not been authed"}}`,
/// success once `{code: 200, data: {code: 200, message, data: user, redirect}}`, or a terminal inner code.
#[utoipa::path(post, path = "/oauth/wxapp/confirm/qr", tag = "compat", params(QrQuery),
    responses((status = 200, description = "Always 200; the inner `data.code` is 200 exactly once", body = Object)))]
pub(crate) async fn confirm(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<RateLimits>>,
    Query(query): Query<QrQuery>,
    ClientIp(ip): ClientIp,
) -> Json<Value> {
    if !limits.allows(Limited::QrPoll, ip) {
        return Json(json!({ "code": 200, "data": inner(ErrorCode::TooManyRequests, "limited") }));
    }
    let random = query.random.unwrap_or_default();
    let inner = match state
        .services
        .poll_qr(&random, ip.map(|ip| ip.to_string()))
        .await
    {
        Ok(poll) => poll_data(&poll),
        Err(error) => failure(&error),
    };
    Json(json!({ "code": 200, "data": inner }))
}

/// The inner `data` object of a poll reply; also what the push channel sends.
pub(crate) fn poll_data(poll: &QrPoll) -> Value {
    match poll {
        QrPoll::Waiting(session) => {
            let scanner = session.scanner.as_ref();
            json!({
                "code": 500,
                "message": "have not been authed",
                "state": session.state.as_str(),
                "nickname": scanner.and_then(|s| s.nickname.clone()),
                "avatar": scanner.and_then(|s| s.avatar.clone()),
                "expiresAt": iso(session.expires_at),
            })
        }
        QrPoll::Collected { session, redirect } => json!({
            "code": 200,
            "message": "扫码登录成功",
            "data": UserView::new(&session.user, Some(session.token.clone())),
            "redirect": redirect.clone().unwrap_or_default(),
        }),
        QrPoll::Expired => inner(ErrorCode::QrExpired, "expired"),
        QrPoll::Cancelled => inner(ErrorCode::QrCancelled, "cancelled"),
        QrPoll::Used => inner(ErrorCode::QrUsed, "used"),
        QrPoll::Unknown => inner(ErrorCode::QrNotFound, "unknown"),
    }
}

/// An inner `data` object that is not a success: the code, its compat message and the state.
fn inner(code: ErrorCode, state: &str) -> Value {
    json!({ "code": code.number(), "message": code.compat_message(), "state": state })
}

/// `{code, message}` for a failed compatible call; internal details are only logged.
fn failure(error: &ServiceError) -> Value {
    match error {
        ServiceError::Internal(detail) | ServiceError::Unavailable(detail) => {
            tracing::error!(%detail, "QR request failed");
        }
        ServiceError::Wechat(_, detail) => tracing::warn!(%detail, "QR request failed at WeChat"),
        _ => {}
    }
    let code = error.code();
    let message = match error {
        ServiceError::Invalid(_) | ServiceError::Rejected(_) => error.to_string(),
        _ => code.compat_message().to_owned(),
    };
    json!({ "code": code.number(), "message": message })
}
