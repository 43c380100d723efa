//! `POST /graphql`: the subset of Authing's user-service GraphQL API that the real SDKs call (spec
//! `authing-compat.md` §1.4, §5.4, §6.2), answered in Authing's shape: always HTTP 200, errors as
//! `errors[i].message = {code, message}`.

mod context;
mod errors;
mod inputs;
mod mutation;
mod query;
mod sdk_init;
mod types;
mod user;

use std::sync::LazyLock;

use async_graphql::{EmptySubscription, Schema};
use std::sync::Arc;

use axum::{
    Extension, Json,
    body::Bytes,
    extract::{State, rejection::BytesRejection},
    http::HeaderMap,
};

use crate::{
    AppState,
    http::{BodyFault, Client, POOL_SECRET_HEADER, RateLimits, bearer_token, decode},
};

use context::RequestContext;
use errors::CompatBody;
use mutation::MutationRoot;
use query::QueryRoot;

/// Deepest selection accepted; the SDKs' documents nest at most four levels, introspection about twelve.
const MAX_DEPTH: usize = 16;
/// Largest accepted query complexity (one per selected field): bounds how many root fields, each a database
/// read, one request may alias. The SDKs' largest document (`user`) is 89.
const MAX_COMPLEXITY: usize = 500;

type CompatSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// The schema has no state of its own, so every request shares one.
static SCHEMA: LazyLock<CompatSchema> = LazyLock::new(|| {
    Schema::build(QueryRoot, MutationRoot, EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .finish()
});

/// Runs one GraphQL request `{query, variables?, operationName?}`. The caller is the `Authorization` token
/// (`Bearer <token>` or the raw token) or, with `X-Pool-Secret`, the pool's backend.
pub(crate) async fn handle(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<RateLimits>>,
    client: Client,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Json<CompatBody> {
    let request = match parse_request(body) {
        Ok(request) => request,
        Err(reply) => return Json(reply),
    };
    let context = RequestContext::new(
        state.services.clone(),
        limits,
        bearer_token(&headers),
        headers
            .get(POOL_SECRET_HEADER)
            .and_then(|value| value.to_str().ok()),
        client,
    );
    let response = SCHEMA.execute(request.data(context)).await;
    Json(errors::compat_body(response))
}

/// The request from the JSON body, or the error reply for a body that is not one.
fn parse_request(
    body: Result<Bytes, BytesRejection>,
) -> Result<async_graphql::Request, CompatBody> {
    let bytes = body.map_err(|rejection| BodyFault::of_rejection(&rejection));
    bytes
        .and_then(|bytes| decode(&bytes))
        .map_err(|fault| errors::request_error(fault.into()))
}
