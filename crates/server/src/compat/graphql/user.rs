//! The user object (`ExtendUser`, spec §7): the fields denglu keeps, from the same view the REST endpoints
//! send, plus every other field the real SDKs select, which denglu does not keep and answers with null (so
//! their documents validate as they are).

use async_graphql::SimpleObject;
use denglu_domain::User;

use crate::views::{UserView, iso};

/// A user as the SDKs read it. `token` is always null here: only logins issue tokens.
#[derive(Debug, Default, SimpleObject)]
#[graphql(name = "ExtendUser")]
pub(crate) struct ExtendUser {
    /// User id (24 hex).
    #[graphql(name = "_id")]
    id: String,
    /// Username, if any.
    username: Option<String>,
    /// Display name.
    nickname: Option<String>,
    /// Avatar URL.
    photo: Option<String>,
    /// E-mail, lowercase.
    email: Option<String>,
    /// Whether the e-mail was proven.
    email_verified: bool,
    /// Phone number.
    phone: Option<String>,
    /// Whether the server verified the phone itself.
    phone_verified: bool,
    /// WeChat unionid.
    unionid: Option<String>,
    /// WeChat openid.
    openid: Option<String>,
    /// Raw social profile as a JSON string.
    oauth: Option<String>,
    /// How the account was created, e.g. `default:username-password` or `oauth:wxapp`.
    register_method: String,
    /// The user pool id.
    register_in_client: String,
    /// Always null: tokens come only from logins.
    token: Option<String>,
    /// Expiry of the last token issued.
    token_expired_at: Option<String>,
    /// Successful logins.
    logins_count: i64,
    /// Last login time.
    last_login: Option<String>,
    /// Client address of the last login.
    #[graphql(name = "lastIP")]
    last_ip: Option<String>,
    /// Sign-up time.
    signed_up: String,
    /// Whether the user is blocked.
    blocked: bool,
    /// Always false: deleted users are gone.
    is_deleted: bool,
    /// Last change to the record.
    updated_at: String,
    /// Not kept by denglu: always null.
    company: Option<String>,
    /// Not kept by denglu: always null.
    browser: Option<String>,
    /// Not kept by denglu: always null.
    device: Option<String>,
    /// Never sent: always null.
    password: Option<String>,
    /// Never sent: always null.
    salt: Option<String>,
    /// Not kept by denglu (metadata is read with `userMetadata`): always null.
    metadata: Option<String>,
    /// Not kept by denglu: always null.
    custom_data: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    name: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    given_name: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    family_name: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    middle_name: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    profile: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    preferred_username: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    website: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    gender: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    birthdate: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    zoneinfo: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    locale: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    address: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    formatted: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    street_address: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    locality: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    region: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    postal_code: Option<String>,
    /// OIDC profile, not kept by denglu: always null.
    country: Option<String>,
    /// Groups are not kept by denglu: always null.
    group: Option<Vec<UserGroup>>,
    /// Client types are not kept by denglu: always null.
    client_type: Option<ClientType>,
    /// Login locations are not kept by denglu: always null.
    user_location: Option<Vec<UserLocation>>,
    /// Login history is not kept by denglu: always null.
    user_login_history: Option<LoginHistory>,
    /// Not kept by denglu: always null.
    system_application_type: Option<SystemApplicationType>,
    /// Third-party identities are not kept by denglu: always null.
    third_party_identity: Option<Vec<ThirdPartyIdentity>>,
}

impl ExtendUser {
    /// The user of a login that just happened, with its token.
    pub(crate) fn logged_in(user: &User, token: String) -> Self {
        let mut this = Self::from(user);
        this.token = Some(token);
        this
    }
}

impl From<&User> for ExtendUser {
    fn from(user: &User) -> Self {
        let view = UserView::new(user, None);
        Self {
            id: view.id,
            username: view.username,
            nickname: view.nickname,
            photo: view.photo,
            email: view.email,
            email_verified: view.email_verified,
            phone: view.phone,
            phone_verified: view.phone_verified,
            unionid: view.unionid,
            openid: view.openid,
            oauth: view.oauth,
            register_method: view.register_method,
            register_in_client: view.register_in_client,
            token: view.token,
            token_expired_at: view.token_expired_at,
            logins_count: view.logins_count,
            last_login: view.last_login,
            last_ip: view.last_ip,
            signed_up: view.signed_up,
            blocked: view.blocked,
            is_deleted: view.is_deleted,
            updated_at: iso(user.updated_at),
            ..Self::default()
        }
    }
}

/// Selected by the SDK's `user` document; denglu has no groups.
#[derive(Debug, SimpleObject)]
pub(crate) struct UserGroup {
    /// Group id.
    #[graphql(name = "_id")]
    id: String,
    /// Name.
    name: Option<String>,
    /// Description.
    descriptions: Option<String>,
    /// Owning client.
    client: Option<String>,
    /// Permissions.
    permissions: Option<String>,
    /// Creation time.
    created_at: Option<String>,
}

/// Selected by the SDKs (`user`, `getClientWhenSdkInit`); denglu has no client types.
#[derive(Debug, SimpleObject)]
pub(crate) struct ClientType {
    /// Type id.
    #[graphql(name = "_id")]
    id: String,
    /// Name.
    name: Option<String>,
    /// Description.
    description: Option<String>,
    /// Picture URL.
    image: Option<String>,
    /// Example.
    example: Option<String>,
}

/// Selected by the SDK's `user` document; denglu keeps no login locations.
#[derive(Debug, SimpleObject)]
pub(crate) struct UserLocation {
    /// Entry id.
    #[graphql(name = "_id")]
    id: String,
    /// When.
    when: Option<String>,
    /// Where.
    r#where: Option<String>,
}

/// Selected by the SDK's `user` document; denglu keeps no login history.
#[derive(Debug, SimpleObject)]
pub(crate) struct LoginHistory {
    /// How many entries.
    total_count: usize,
    /// The entries.
    list: Vec<LoginHistoryEntry>,
}

/// One login of [`LoginHistory`].
#[derive(Debug, SimpleObject)]
pub(crate) struct LoginHistoryEntry {
    /// Entry id.
    #[graphql(name = "_id")]
    id: String,
    /// When.
    when: Option<String>,
    /// Whether the login succeeded.
    success: Option<bool>,
    /// Client address.
    ip: Option<String>,
    /// Outcome.
    result: Option<String>,
    /// Device.
    device: Option<String>,
    /// Browser.
    browser: Option<String>,
}

/// Selected by the SDK's `user` document; not a denglu notion.
#[derive(Debug, SimpleObject)]
pub(crate) struct SystemApplicationType {
    /// Type id.
    #[graphql(name = "_id")]
    id: String,
    /// Name.
    name: Option<String>,
    /// Description.
    descriptions: Option<String>,
    /// Price.
    price: Option<i64>,
}

/// Selected by the SDK's `user` document; denglu keeps no third-party tokens.
#[derive(Debug, SimpleObject)]
pub(crate) struct ThirdPartyIdentity {
    /// Identity provider.
    provider: Option<String>,
    /// Refresh token.
    refresh_token: Option<String>,
    /// Lifetime in seconds.
    expires_in: Option<i64>,
    /// Last update.
    updated_at: Option<String>,
    /// Access token.
    access_token: Option<String>,
}
