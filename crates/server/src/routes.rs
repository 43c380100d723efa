//! Every route, by surface: the native API, the admin API, the Authing-compatible paths and the OpenID Connect
//! provider, each from its own door;
//! and the operators' console pages.

use axum::Router;

use crate::{AppState, admin, compat, console, native, oidc};

/// All routes, without middleware; a path no surface serves is 1004.
pub(crate) fn routes() -> Router<AppState> {
    native::routes()
        .merge(admin::routes())
        .merge(compat::routes())
        .merge(oidc::routes())
        .merge(console::routes())
        .fallback(native::no_such_endpoint)
        .method_not_allowed_fallback(native::no_such_endpoint)
}
