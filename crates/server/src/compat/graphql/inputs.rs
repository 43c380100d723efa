//! The input objects, named as the SDKs' documents declare them (`$input: SetUserMetadataInput!`).

use async_graphql::InputObject;

/// `setUserMetadata(input:)`.
#[derive(Debug, InputObject)]
pub(crate) struct SetUserMetadataInput {
    /// The user id.
    #[graphql(name = "_id")]
    pub(crate) id: String,
    /// The key (1 to 64 characters).
    pub(crate) key: String,
    /// The value (at most 1024 characters).
    pub(crate) value: String,
    /// The user pool; needed only with `X-Pool-Secret` and no token (denglu's addition).
    pub(crate) register_in_client: Option<String>,
}

/// `removeUserMetadata(input:)`.
#[derive(Debug, InputObject)]
pub(crate) struct RemoveUserMetadataInput {
    /// The user id.
    #[graphql(name = "_id")]
    pub(crate) id: String,
    /// The key to remove (an absent key is fine).
    pub(crate) key: String,
    /// The user pool; needed only with `X-Pool-Secret` and no token (denglu's addition).
    pub(crate) register_in_client: Option<String>,
}

/// `updateUser(options:)`: every field the SDKs' `update` may send, so their documents validate. denglu
/// changes `nickname` and `photo`, and `tokenExpiredAt: "0"` logs the user out; any other field given is
/// refused with 1002.
#[derive(Debug, InputObject)]
#[graphql(name = "UserUpdateInput")]
pub(crate) struct UserUpdateInput {
    /// The user id.
    #[graphql(name = "_id")]
    pub(crate) id: String,
    /// The user pool.
    pub(crate) register_in_client: Option<String>,
    /// New display name (at most 100 characters; empty clears it).
    pub(crate) nickname: Option<String>,
    /// New avatar URL (absolute http(s); empty clears it).
    pub(crate) photo: Option<String>,
    /// `"0"` revokes every token of the user issued until now (the SDKs' `logout`).
    pub(crate) token_expired_at: Option<String>,
    /// Not changeable here.
    pub(crate) email: Option<String>,
    /// Not changeable here.
    pub(crate) email_verified: Option<bool>,
    /// Not changeable here.
    pub(crate) username: Option<String>,
    /// Not changeable here.
    pub(crate) company: Option<String>,
    /// Not changeable here.
    pub(crate) oauth: Option<String>,
    /// Not changeable here.
    pub(crate) browser: Option<String>,
    /// Not changeable here.
    pub(crate) password: Option<String>,
    /// Not changeable here.
    pub(crate) old_password: Option<String>,
    /// Not changeable here (the mini program SDK's `bindPhone` binds a verified phone).
    pub(crate) phone: Option<String>,
    /// Not changeable here.
    pub(crate) token: Option<String>,
    /// Not changeable here.
    pub(crate) logins_count: Option<i64>,
    /// Not changeable here.
    pub(crate) last_login: Option<String>,
    /// Not changeable here.
    #[graphql(name = "lastIP")]
    pub(crate) last_ip: Option<String>,
    /// Not changeable here.
    pub(crate) signed_up: Option<String>,
    /// Not changeable here.
    pub(crate) blocked: Option<bool>,
    /// Not changeable here.
    pub(crate) is_deleted: Option<bool>,
}

impl UserUpdateInput {
    /// The names of the given fields that denglu does not change through `updateUser`.
    pub(crate) fn unsupported_fields(&self) -> Vec<&'static str> {
        [
            ("email", self.email.is_some()),
            ("emailVerified", self.email_verified.is_some()),
            ("username", self.username.is_some()),
            ("company", self.company.is_some()),
            ("oauth", self.oauth.is_some()),
            ("browser", self.browser.is_some()),
            ("password", self.password.is_some()),
            ("oldPassword", self.old_password.is_some()),
            ("phone", self.phone.is_some()),
            ("token", self.token.is_some()),
            ("loginsCount", self.logins_count.is_some()),
            ("lastLogin", self.last_login.is_some()),
            ("lastIP", self.last_ip.is_some()),
            ("signedUp", self.signed_up.is_some()),
            ("blocked", self.blocked.is_some()),
            ("isDeleted", self.is_deleted.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, given)| given.then_some(name))
        .collect()
    }
}

/// `register(userInfo:)`: every field the SDKs' `register` documents put in `userInfo`, so they validate.
/// denglu signs up with `username` and/or `email`, `password` (encrypted with the login key) and `nickname`;
/// the others are accepted and ignored.
#[derive(Debug, InputObject)]
#[graphql(name = "UserRegisterInput")]
pub(crate) struct UserRegisterInput {
    /// The user pool.
    pub(crate) register_in_client: String,
    /// Username: 1–64 characters, no spaces or `@`; unique in the pool ignoring case.
    pub(crate) username: Option<String>,
    /// E-mail, unique in the pool. Give a username, an e-mail, or both.
    pub(crate) email: Option<String>,
    /// The password (6–128 characters), RSA PKCS#1 v1.5-encrypted with the login key, standard base64.
    pub(crate) password: Option<String>,
    /// Display name; defaults to the username.
    pub(crate) nickname: Option<String>,
    /// Ignored: WeChat users sign up through the mini program endpoints.
    pub(crate) unionid: Option<String>,
    /// Ignored: WeChat users sign up through the mini program endpoints.
    pub(crate) oauth: Option<String>,
    /// Ignored: a password sign-up is always `default:username-password`.
    pub(crate) register_method: Option<String>,
    /// Ignored: change the avatar after logging in.
    pub(crate) photo: Option<String>,
    /// Ignored: the address is the request's.
    #[graphql(name = "lastIP")]
    pub(crate) last_ip: Option<String>,
    /// Ignored: `register` never logs in; call `login` next.
    pub(crate) force_login: Option<bool>,
    /// Ignored (sent by Authing's documented `register`).
    pub(crate) browser: Option<String>,
    /// Ignored (sent by Authing's documented `register`).
    pub(crate) device: Option<String>,
}
