//! The query root: token checks, a user's metadata, a user, and the Node SDK's start-up call.

use async_graphql::{Context, Object, Result};

use crate::compat::graphql::{
    context::{RequestContext, parse_pool_id, parse_user_id},
    sdk_init::SdkInit,
    types::{DecodedToken, LoginStatus, MetadataList},
    user::ExtendUser,
};

/// `query { … }`.
pub(crate) struct QueryRoot;

#[Object(name = "Query")]
impl QueryRoot {
    /// Whether a user token is valid: `token`, else the `Authorization` header's token. Never a GraphQL
    /// error: `status: false` with 2020, 2206, 2207 or 2005 instead.
    async fn check_login_status(
        &self,
        ctx: &Context<'_>,
        token: Option<String>,
    ) -> Result<LoginStatus> {
        let request = ctx.data::<RequestContext>()?;
        let token = chosen_token(token.as_deref(), request.header_token());
        Ok(LoginStatus::of(
            request.services().verify_token(token).await,
        ))
    }

    /// A user token's payload with `status {code, message}`: `token`, else the header's token.
    async fn decode_jwt_token(
        &self,
        ctx: &Context<'_>,
        token: Option<String>,
    ) -> Result<DecodedToken> {
        let request = ctx.data::<RequestContext>()?;
        let token = chosen_token(token.as_deref(), request.header_token());
        Ok(DecodedToken::of(
            request.services().verify_token(token).await,
        ))
    }

    /// A user's metadata: the user themselves, or the pool's backend.
    async fn user_metadata(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "_id")] id: String,
        #[graphql(desc = "The user pool; needed only with X-Pool-Secret and no token")]
        register_in_client: Option<String>,
    ) -> Result<MetadataList> {
        let request = ctx.data::<RequestContext>()?;
        let caller = request.caller(register_in_client.as_deref()).await?;
        let id = parse_user_id(&id)?;
        let pairs = request.services().users().metadata(&caller, &id).await?;
        Ok(MetadataList::from(pairs))
    }

    /// A user: the user themselves, or the pool's backend.
    async fn user(
        &self,
        ctx: &Context<'_>,
        id: String,
        register_in_client: Option<String>,
    ) -> Result<ExtendUser> {
        let request = ctx.data::<RequestContext>()?;
        let caller = request.caller(register_in_client.as_deref()).await?;
        let id = parse_user_id(&id)?;
        let (_, user) = request.services().user_for(&caller, &id).await?;
        Ok(ExtendUser::from(&user))
    }

    /// The pool's public settings, and with the pool secret (`secret`, or `X-Pool-Secret`) the placeholder
    /// `accessToken` the Node SDK needs to start. A wrong secret is refused (1001).
    async fn get_client_when_sdk_init(
        &self,
        ctx: &Context<'_>,
        client_id: String,
        secret: Option<String>,
    ) -> Result<SdkInit> {
        let request = ctx.data::<RequestContext>()?;
        let services = request.services();
        let pool_id = parse_pool_id(&client_id)?;
        let secret = secret
            .as_deref()
            .filter(|s| !s.is_empty())
            .or(request.pool_secret());
        let pool = match secret {
            Some(secret) => services.authorize_pool(&pool_id, Some(secret)).await?,
            None => services.pool(&pool_id).await?,
        };
        Ok(SdkInit::new(
            &pool,
            services.clock().now(),
            secret.is_some(),
        ))
    }
}

/// The token to check: the argument unless it is missing or a "no token" word, else the header's.
fn chosen_token<'a>(argument: Option<&'a str>, header: Option<&'a str>) -> Option<&'a str> {
    argument
        .map(str::trim)
        .filter(|token| !matches!(*token, "" | "undefined" | "null"))
        .or(header)
}
