//! The fake phone: what a user's WeChat client does (`wx.login`, getUserInfo,
//! getPhoneNumber, scanning a code, being launched from an app).

use std::collections::BTreeMap;

use denglu_wechat_crypto::{PhoneInfo, UserData, Watermark, encrypt, raw_data_signature};
use serde::{Deserialize, Serialize};

use crate::ids;
use crate::images::{self, CODE_URL_PREFIX};
use crate::scene::{self, encode_uri_component};
use crate::sim_error::SimError;
use crate::simulator::Simulator;
use crate::state::State;
use crate::state::users::UserId;

/// Launch scene of scanning a mini program code.
pub const SCENE_SCAN: u32 = 1047;
/// Launch scene of being opened from a mobile app (`WXLaunchMiniProgramReq`).
pub const SCENE_APP: u32 = 1069;

/// The profile part of getUserInfo, in WeChat's field order (this order is `rawData`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    /// Nickname.
    pub nick_name: String,
    /// 0 unknown, 1 male, 2 female (always 0, as since 2021).
    pub gender: u8,
    /// Always empty, as since 2021.
    pub language: String,
    /// Always empty, as since 2021.
    pub city: String,
    /// Always empty, as since 2021.
    pub province: String,
    /// Always empty, as since 2021.
    pub country: String,
    /// Avatar URL.
    pub avatar_url: String,
}

/// What `wx.getUserInfo` hands the mini program (`e.detail`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfoDetail {
    /// `getUserInfo:ok`.
    pub err_msg: String,
    /// The profile.
    pub user_info: UserInfo,
    /// Compact JSON of `user_info`.
    pub raw_data: String,
    /// `hex(sha1(rawData + session_key))`.
    pub signature: String,
    /// The profile plus openId, unionId (bound apps) and watermark, AES-128-CBC encrypted.
    pub encrypted_data: String,
    /// The AES IV, base64.
    pub iv: String,
}

/// What `<button open-type="getPhoneNumber">` hands the mini program (`e.detail`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneNumberDetail {
    /// `getPhoneNumber:ok`.
    pub err_msg: String,
    /// Phone code for `getuserphonenumber`: 64 hex, single use, valid `code_lifetime` s.
    pub code: String,
    /// The legacy payload: phone info encrypted with the current session_key.
    pub encrypted_data: String,
    /// The AES IV, base64.
    pub iv: String,
}

/// How a mini program page was opened: what `onLoad(query)` and `onLaunch` would see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Launch {
    /// The mini program.
    pub appid: String,
    /// The page opened (`""` = home page of an app without configured pages).
    pub page: String,
    /// The scene as given to getwxacodeunlimit (scans only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene: Option<String>,
    /// The page's `onLoad` query; for scans `{scene: encodeURIComponent(scene)}`.
    pub query: BTreeMap<String, String>,
    /// `1047` for scans, `1069` for launches from an app.
    pub launch_scene: u32,
    /// `release`, `trial` or `develop` (scans only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env_version: Option<String>,
}

impl Simulator {
    /// `wx.login` in `appid` as `user`: a fresh single-use code (32 chars `[0-9A-Za-z]`).
    /// The first login creates the session; later ones rotate its key only when
    /// `rotate_session_key_on_login` is set.
    pub fn login(&self, appid: &str, user: UserId) -> Result<String, SimError> {
        self.with_state(|state| {
            state.app(appid)?;
            state.users.get(user)?;
            let rotate = state.settings.rotate_session_key_on_login;
            state.users.on_login(appid, user, rotate);
            let now = state.clock.now();
            let lifetime = state.settings.code_lifetime;
            Ok(state.codes.issue_login(appid, user, now, lifetime))
        })
    }

    /// `wx.getUserInfo` made with the user's current session_key for `appid`.
    pub fn user_info(&self, appid: &str, user: UserId) -> Result<UserInfoDetail, SimError> {
        self.with_state(|state| {
            let session_key = logged_in_key(state, appid, user)?;
            let profile = state.users.get(user)?;
            let user_info = UserInfo {
                nick_name: profile.nickname.clone(),
                gender: 0,
                language: String::new(),
                city: String::new(),
                province: String::new(),
                country: String::new(),
                avatar_url: profile.avatar_url.clone(),
            };
            let raw_data = to_json(&user_info)?;
            let payload = UserData {
                open_id: ids::openid(appid, user.0),
                nick_name: user_info.nick_name.clone(),
                gender: user_info.gender,
                language: String::new(),
                city: String::new(),
                province: String::new(),
                country: String::new(),
                avatar_url: user_info.avatar_url.clone(),
                union_id: unionid_in(state, appid, user)?,
                watermark: watermark(state, appid),
            };
            let (encrypted_data, iv) = seal(&session_key, &to_json(&payload)?)?;
            Ok(UserInfoDetail {
                err_msg: "getUserInfo:ok".to_owned(),
                signature: raw_data_signature(&raw_data, &session_key),
                user_info,
                raw_data,
                encrypted_data,
                iv,
            })
        })
    }

    /// The user taps "allow" on getPhoneNumber: a phone code tied to (appid, openid) and the
    /// legacy encrypted payload. Fails if the user has no phone or never logged in.
    pub fn phone_number(&self, appid: &str, user: UserId) -> Result<PhoneNumberDetail, SimError> {
        self.with_state(|state| {
            let session_key = logged_in_key(state, appid, user)?;
            let phone = state
                .users
                .get(user)?
                .phone
                .clone()
                .ok_or(SimError::NoPhone(user.0))?;
            let payload = PhoneInfo {
                phone_number: phone.display_number(),
                pure_phone_number: phone.number,
                country_code: phone.country_code,
                watermark: watermark(state, appid),
            };
            let (encrypted_data, iv) = seal(&session_key, &to_json(&payload)?)?;
            let now = state.clock.now();
            let lifetime = state.settings.code_lifetime;
            let openid = ids::openid(appid, user.0);
            let code = state.codes.issue_phone(appid, user, openid, now, lifetime);
            Ok(PhoneNumberDetail {
                err_msg: "getPhoneNumber:ok".to_owned(),
                code,
                encrypted_data,
                iv,
            })
        })
    }

    /// The user's openid in `appid` (a pure function of app and user).
    pub fn openid(&self, appid: &str, user: UserId) -> Result<String, SimError> {
        self.with_state(|state| {
            state.app(appid)?;
            state.users.get(user)?;
            Ok(ids::openid(appid, user.0))
        })
    }

    /// The user's unionid, `None` when `appid` is not bound to an Open Platform account.
    pub fn unionid(&self, appid: &str, user: UserId) -> Result<Option<String>, SimError> {
        self.with_state(|state| unionid_in(state, appid, user))
    }

    /// The user's current session_key in `appid` (for tests; WeChat never reveals it so).
    pub fn session_key(&self, appid: &str, user: UserId) -> Result<String, SimError> {
        self.with_state(|state| logged_in_key(state, appid, user))
    }

    /// Scans a mini program code image made by this simulator's `getwxacodeunlimit`.
    pub fn scan(&self, image: &[u8]) -> Result<Launch, SimError> {
        let text = images::decode(image).map_err(SimError::Scan)?;
        let id = text.strip_prefix(CODE_URL_PREFIX).ok_or_else(|| {
            SimError::Scan(format!("not a mini program code of this simulator: {text}"))
        })?;
        self.with_state(|state| {
            let code = state
                .wxacodes
                .get(id)
                .ok_or_else(|| SimError::Scan(format!("unknown mini program code {id}")))?;
            Ok(scan_launch(
                &code.appid,
                &code.page,
                &code.scene,
                Some(code.env_version.clone()),
            ))
        })
    }

    /// Like [`scan`](Self::scan) for a code that was never drawn: opens `page` (home page when
    /// `None`) of `appid` with `scene`, which must satisfy getwxacodeunlimit's rules.
    pub fn scan_scene(
        &self,
        appid: &str,
        scene: &str,
        page: Option<&str>,
    ) -> Result<Launch, SimError> {
        scene::validate(scene).map_err(|problem| {
            SimError::InvalidInput(format!("scene {scene:?} is not allowed ({problem:?})"))
        })?;
        self.with_state(|state| {
            let app = state.app(appid)?;
            let page = page.unwrap_or_else(|| app.home_page());
            Ok(scan_launch(appid, page, scene, None))
        })
    }

    /// A mobile app sends `WXLaunchMiniProgramReq{userName: original_id, path}`; the page
    /// gets `path`'s query verbatim (not URL-decoded), scene 1069.
    pub fn launch_mini_program(&self, original_id: &str, path: &str) -> Result<Launch, SimError> {
        self.with_state(|state| {
            let app = state
                .apps
                .values()
                .find(|app| app.effective_original_id() == original_id)
                .ok_or_else(|| SimError::UnknownApp(original_id.to_owned()))?;
            let path = path.strip_prefix('/').unwrap_or(path);
            let (page, query) = path.split_once('?').unwrap_or((path, ""));
            let page = if page.is_empty() {
                app.home_page()
            } else {
                page
            };
            let query = query
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (key.to_owned(), value.to_owned())
                })
                .collect();
            Ok(Launch {
                appid: app.appid.clone(),
                page: page.to_owned(),
                scene: None,
                query,
                launch_scene: SCENE_APP,
                env_version: None,
            })
        })
    }
}

fn scan_launch(appid: &str, page: &str, scene: &str, env_version: Option<String>) -> Launch {
    let query = BTreeMap::from([("scene".to_owned(), encode_uri_component(scene))]);
    Launch {
        appid: appid.to_owned(),
        page: page.to_owned(),
        scene: Some(scene.to_owned()),
        query,
        launch_scene: SCENE_SCAN,
        env_version,
    }
}

/// The session key of a user who logged in to `appid`, else a clear error.
fn logged_in_key(state: &State, appid: &str, user: UserId) -> Result<String, SimError> {
    state.app(appid)?;
    state.users.get(user)?;
    state
        .users
        .session_key(appid, user)
        .map(str::to_owned)
        .ok_or_else(|| SimError::NotLoggedIn {
            appid: appid.to_owned(),
            user: user.0,
        })
}

fn unionid_in(state: &State, appid: &str, user: UserId) -> Result<Option<String>, SimError> {
    let app = state.app(appid)?;
    state.users.get(user)?;
    Ok(app
        .bound_open_platform
        .as_deref()
        .map(|platform| ids::unionid(platform, user.0)))
}

fn watermark(state: &State, appid: &str) -> Watermark {
    Watermark {
        timestamp: state.clock.now().unix_seconds(),
        appid: appid.to_owned(),
    }
}

fn to_json(value: &impl Serialize) -> Result<String, SimError> {
    serde_json::to_string(value).map_err(|e| SimError::Internal(e.to_string()))
}

/// Encrypts `plaintext` under a fresh IV; returns `(encryptedData, iv)`.
fn seal(session_key: &str, plaintext: &str) -> Result<(String, String), SimError> {
    let iv = ids::iv();
    let encrypted = encrypt(session_key, &iv, plaintext.as_bytes())
        .map_err(|e| SimError::Internal(e.to_string()))?;
    Ok((encrypted, iv))
}
