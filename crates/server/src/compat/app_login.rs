//! App-launched login (flow B), the app backend's side: `POST /oauth/app2wxapp/auth/{pool}` exchanges the ticket
//! that the scanner mini program minted (`native::app_login`) for the user and a token (spec §4.2).

use std::sync::Arc;

use axum::{
    Extension, Json,
    extract::{Query, State},
};
use denglu_service::{Session, TicketExchange};
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::{
    AppState,
    compat::{CompatError, CompatJson, CompatPool, Envelope},
    http::{Client, RateLimits, ShortText, Text},
    views::UserView,
};

/// The exchange's query: the samples repeat the ticket there.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ExchangeQuery {
    /// The ticket, when not in the body.
    pub(crate) ticket: Option<String>,
}

/// The exchange's body: `ticket` (or the documented typo `tickett`) and the pool secret.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub(crate) struct ExchangeBody {
    /// The ticket.
    #[schema(inline)]
    pub(crate) ticket: Option<ShortText>,
    /// The documentation's spelling of `ticket`.
    #[schema(inline)]
    pub(crate) tickett: Option<ShortText>,
    /// The pool secret (required unless the pool turned that off).
    #[schema(inline)]
    pub(crate) secret: Option<ShortText>,
    /// The verifier of the ticket's code challenge, when the app bound it.
    #[serde(rename = "codeVerifier")]
    #[schema(inline)]
    pub(crate) code_verifier: Option<ShortText>,
}

/// Exchanges a ticket for the user: `{code: 200, message, data: "<user JSON as a string>"}`, else `{code, message}`.
#[utoipa::path(post, path = "/oauth/app2wxapp/auth/{userPoolId}", tag = "compat",
    params(("userPoolId" = String, Path, description = "The pool id"), ExchangeQuery),
    request_body = ExchangeBody,
    responses((status = 200, description = "Always 200: `code` 200 with the user as a JSON string, or `{code, message}` (1001, 1002, 1003, 2005, 2224, 4290, 4401, 4402, 4403, 4404, 1000)",
        body = Envelope<String>)))]
pub(crate) async fn exchange(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<RateLimits>>,
    CompatPool(pool): CompatPool,
    Query(query): Query<ExchangeQuery>,
    client: Client,
    CompatJson(body): CompatJson<ExchangeBody>,
) -> Result<Json<Envelope<String>>, CompatError> {
    limits.check_exchange(&pool, client.ip)?;
    let ticket = body
        .ticket
        .or(body.tickett)
        .map(Text::into_inner)
        .or(query.ticket);
    let exchange = TicketExchange {
        ticket: ticket.as_deref(),
        secret: body.secret.as_ref().map(Text::as_str),
        code_verifier: body.code_verifier.as_ref().map(Text::as_str),
    };
    let session = state
        .services
        .app_login()
        .exchange_ticket(&pool, exchange, client.requester())
        .await?;
    Ok(Json(Envelope::new(
        "获取用户信息成功",
        user_string(&session),
    )))
}

/// The user as a JSON string, with `nickname`, `photo` and `unionid` as strings (the only public client
/// force-casts them), `phone` possibly null.
fn user_string(session: &Session) -> String {
    let mut user = serde_json::to_value(UserView::new(&session.user, Some(session.token.clone())))
        .unwrap_or_default();
    for field in ["nickname", "photo", "unionid"] {
        if user.get(field).is_none_or(Value::is_null) {
            user[field] = Value::String(String::new());
        }
    }
    user.to_string()
}
