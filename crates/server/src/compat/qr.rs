//! Authing-compatible QR login (spec §3): `GET /oauth/wxapp/qrcode/{pool}` and `POST /oauth/wxapp/confirm/qr`.
//! Always HTTP 200 with the code in the body; the poll reply always carries the inner `data` object.

use std::sync::Arc;

use axum::{
    Extension, Json,
    extract::{Query, State},
};
use denglu_domain::QrOptions;
use denglu_service::{ErrorCode, StartedQr};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    AppState,
    compat::{CompatError, CompatPool, Envelope},
    http::{Client, Limited, RateLimits},
    qr_status::{PollData, events_url},
    views::iso,
};

/// The query of both compatible QR endpoints.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub(crate) struct QrQuery {
    /// The browser's poll secret: 12–64 characters of `[0-9A-Za-z_-]`.
    pub(crate) random: Option<String>,
    /// `true` to use the pool's own mini program.
    pub(crate) use_self_wxapp: Option<String>,
    /// `true` when the page asks for the phone number.
    pub(crate) enable_fetch_phone: Option<String>,
}

/// A started QR login, in the shape of Authing's QR record.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct QrStarted {
    /// The scene (the QR record's id).
    #[serde(rename = "_id")]
    id: String,
    /// The pool id.
    client: String,
    /// Always null.
    #[schema(value_type = Option<Object>)]
    oauth: Option<()>,
    /// The code's image URL.
    qrcode: String,
    /// When the code expires (ISO-8601).
    #[serde(rename = "expiredAt")]
    expired_at: String,
    /// When it was made (ISO-8601).
    #[serde(rename = "createdAt")]
    created_at: String,
    /// The pool's callback URL, or empty.
    redirect: String,
    /// Always false.
    success: bool,
    /// Always false.
    used: bool,
    /// Always 0.
    #[serde(rename = "__v")]
    version: u32,
    /// The scene the code carries.
    scene: String,
    /// The push channel for this poll secret (`text/event-stream`).
    events: String,
}

/// Starts a QR login: `{code: 200, data: {_id, client, qrcode, expiredAt, createdAt, redirect, success, used, scene,
/// events}}`, or `{code, message}`.
#[utoipa::path(get, path = "/oauth/wxapp/qrcode/{userPoolId}", tag = "compat", params(QrQuery,
    ("userPoolId" = String, Path, description = "The pool id")),
    responses((status = 200, description = "Always 200: `code` 200 with the QR record, or `{code, message}` (1002, 2224, 4201, 4290, 1000)",
        body = Envelope<QrStarted>)))]
pub(crate) async fn qrcode(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<RateLimits>>,
    client: Client,
    CompatPool(pool_id): CompatPool,
    Query(query): Query<QrQuery>,
) -> Result<Json<Envelope<QrStarted>>, CompatError> {
    if !limits.allows(Limited::QrStart, client.ip) {
        return Err(CompatError::new(ErrorCode::TooManyRequests));
    }
    let options = QrOptions {
        phone_requested: query.enable_fetch_phone.as_deref() == Some("true"),
        use_self_wxapp: query.use_self_wxapp.as_deref() == Some("true"),
    };
    let requester = client.requester();
    let random = query.random.unwrap_or_default();
    let started = state
        .services
        .qr()
        .start(&pool_id, &random, options, requester)
        .await?;
    Ok(Json(Envelope::bare(started_record(
        state.services.public_url(),
        &started,
        &random,
    ))))
}

fn started_record(base: &str, started: &StartedQr, random: &str) -> QrStarted {
    let session = &started.session;
    QrStarted {
        id: session.scene.clone(),
        client: session.pool_id.to_string(),
        oauth: None,
        qrcode: format!("{base}/qrcode/{}.png", session.scene),
        expired_at: iso(session.expires_at),
        created_at: iso(session.created_at),
        redirect: started.redirect.clone().unwrap_or_default(),
        success: false,
        used: false,
        version: 0,
        scene: session.scene.clone(),
        events: events_url(base, random),
    }
}

/// Polls a QR login with an empty body: pending `{code: 200, data: {code: 500, message: "have not been authed"}}`,
/// success once `{code: 200, data: {code: 200, message, data: user, redirect}}`, or a terminal inner code.
#[utoipa::path(post, path = "/oauth/wxapp/confirm/qr", tag = "compat", params(QrQuery),
    responses((status = 200, description = "Always 200; the inner `data.code` is 200 exactly once", body = Envelope<PollData>)))]
pub(crate) async fn confirm(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<RateLimits>>,
    Query(query): Query<QrQuery>,
    client: Client,
) -> Json<Envelope<PollData>> {
    if !limits.allows(Limited::QrPoll, client.ip) {
        return Json(Envelope::bare(PollData::limited()));
    }
    let random = query.random.unwrap_or_default();
    let data = match state.services.qr().poll(&random, client.requester()).await {
        Ok(poll) => PollData::of(&poll),
        Err(error) => PollData::Failed(error.into()),
    };
    Json(Envelope::bare(data))
}
