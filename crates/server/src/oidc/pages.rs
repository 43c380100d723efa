//! The provider's pages, in Chinese or English: the hosted login page (the WeChat QR code, the password form when
//! the pool has password accounts, and on a phone the advice to open the link in WeChat), the consent page, the
//! logout confirmation, "logged out", and the error page. Only denglu's own files are loaded, and no page can be
//! framed.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use denglu_domain::{PoolId, Scope};
use denglu_service::{ConsentPage, DevicePage, LoginPage, OAuthError, PageContext};

/// What the pages may load: their own script and style, the SDK and the one style sheet its QR widget adds to the
/// page (by its SHA-256: `sdk/web/src/dom.js`'s CSS; the browser test `15-oidc` fails when it changes), images from
/// anywhere (the application's logo).
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' \
     'sha256-PlrY7WhJVD0AapV2u0VLZfRGxT93IMXPrNgzrBl/SEo='; img-src 'self' data: https:; connect-src 'self'; \
     base-uri 'none'; frame-ancestors 'none'";

/// The language of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Locale {
    /// Simplified Chinese (the default).
    #[default]
    Chinese,
    /// English.
    English,
}

impl Locale {
    /// The first language of `ui_locales`, then of `Accept-Language`, that the pages speak.
    pub(crate) fn choose(ui_locales: Option<&str>, accept_language: Option<&str>) -> Self {
        let ui = ui_locales.unwrap_or_default().split_whitespace();
        let accepted = accept_language
            .unwrap_or_default()
            .split(',')
            .map(|part| part.split(';').next().unwrap_or_default().trim());
        ui.chain(accepted)
            .find_map(|tag| {
                let tag = tag.to_ascii_lowercase();
                if tag.starts_with("zh") {
                    Some(Self::Chinese)
                } else if tag.starts_with("en") {
                    Some(Self::English)
                } else {
                    None
                }
            })
            .unwrap_or_default()
    }

    fn tag(self) -> &'static str {
        match self {
            Self::Chinese => "zh-CN",
            Self::English => "en",
        }
    }

    fn text(self, chinese: &'static str, english: &'static str) -> &'static str {
        match self {
            Self::Chinese => chinese,
            Self::English => english,
        }
    }
}

/// The hosted login page of `pool`. On a phone (`phone`) the QR code is replaced by the advice to open the link in
/// WeChat, since a phone cannot scan its own screen.
pub(crate) fn login_page(
    pool: &PoolId,
    page: &LoginPage,
    locale: Locale,
    phone: bool,
    message: Option<&str>,
) -> Response {
    let t = |zh, en| locale.text(zh, en);
    let context = &page.context;
    let mut body = header_html(pool, context, locale, t("登录到", "Log in to"));
    if let Some(message) = message {
        body.push_str(&format!(
            "<p class=\"error\" role=\"alert\">{}</p>",
            escape(message)
        ));
    }
    if phone {
        body.push_str(&format!(
            "<section class=\"phone\"><p>{}</p><p>{}</p></section>",
            t("请在电脑上打开此页面并用微信扫码，或在微信中打开此链接。", "Open this page on a computer and scan the code with WeChat, or open this link in WeChat."),
            t("手机无法扫描自己屏幕上的二维码。", "A phone cannot scan the code on its own screen."),
        ));
    } else {
        let data = serde_json::json!({
            "pool": pool.as_str(),
            "interaction": context.interaction,
            "locale": locale.tag(),
        });
        body.push_str(&format!(
            "<section class=\"qr\" aria-live=\"polite\"><div id=\"qr-mount\"></div><p class=\"hint\">{}</p>\
             <p class=\"status\" id=\"qr-status\"></p></section>\
             <script type=\"application/json\" id=\"login-data\">{}</script>",
            t("请使用微信扫一扫登录", "Scan the code with WeChat to log in"),
            escape_json(&data.to_string()),
        ));
    }
    if page.password_form {
        body.push_str(&format!(
            "<form class=\"password\" method=\"post\" action=\"/oidc/{pool}/login/password\">\
             <input type=\"hidden\" name=\"interaction\" value=\"{interaction}\">\
             <label>{account}<input name=\"account\" autocomplete=\"username\" required value=\"{hint}\"></label>\
             <label>{password}<input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>\
             <button type=\"submit\">{submit}</button></form>",
            interaction = escape(&context.interaction),
            account = t("用户名或邮箱", "Username or e-mail"),
            password = t("密码", "Password"),
            hint = escape(page.login_hint.as_deref().unwrap_or_default()),
            submit = t("登录", "Log in"),
        ));
    }
    let scripts = if phone {
        String::new()
    } else {
        "<script src=\"/sdk/web/denglu.min.js\"></script><script src=\"/oidc/assets/login.js\"></script>".to_owned()
    };
    document(locale, t("登录", "Log in"), &body, &scripts, StatusCode::OK)
}

/// The consent page: what the third-party application asks for, allow or deny.
pub(crate) fn consent_page(pool: &PoolId, page: &ConsentPage, locale: Locale) -> Response {
    let t = |zh, en| locale.text(zh, en);
    let mut body = header_html(pool, &page.context, locale, t("授权给", "Allow"));
    let who = page
        .user
        .nickname
        .clone()
        .or_else(|| page.user.username.as_ref().map(|u| u.as_str().to_owned()))
        .unwrap_or_default();
    body.push_str(&format!(
        "<p>{} <strong>{}</strong></p><p>{}</p><ul class=\"scopes\">",
        t("当前用户：", "Logged in as"),
        escape(&who),
        t("该应用请求：", "The application asks to:"),
    ));
    for scope in &page.scopes {
        body.push_str(&format!("<li>{}</li>", scope_text(*scope, locale)));
    }
    body.push_str(&format!(
        "</ul><form method=\"post\" action=\"/oidc/{pool}/consent\" class=\"decision\">\
         <input type=\"hidden\" name=\"interaction\" value=\"{}\">\
         <button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\">{}</button>\
         <button type=\"submit\" name=\"decision\" value=\"allow\">{}</button></form>",
        escape(&page.context.interaction),
        t("拒绝", "Deny"),
        t("允许", "Allow"),
    ));
    document(locale, t("授权", "Allow access"), &body, "", StatusCode::OK)
}

/// The logout confirmation, for a request without a valid `id_token_hint`.
pub(crate) fn logout_confirm_page(
    pool: &PoolId,
    client: Option<&str>,
    hidden: &[(&str, &str)],
    locale: Locale,
) -> Response {
    let t = |zh, en| locale.text(zh, en);
    let fields: String = hidden
        .iter()
        .map(|(name, value)| {
            format!(
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
                escape(value)
            )
        })
        .collect();
    let asking = client.map_or(String::new(), |name| {
        format!(
            "<p>{} <strong>{}</strong></p>",
            t("发起应用：", "Asked by"),
            escape(name)
        )
    });
    let body = format!(
        "<main class=\"card\"><h1>{}</h1>{asking}<form method=\"post\" action=\"/oidc/{pool}/logout\">{fields}\
         <button type=\"submit\" name=\"confirm\" value=\"yes\">{}</button></form></main>",
        t("要退出登录吗？", "Log out?"),
        t("退出登录", "Log out"),
    );
    document(locale, t("退出登录", "Log out"), &body, "", StatusCode::OK)
}

/// The device flow's verification page, asking for the user code (`unknown`: the one typed names nothing live).
pub(crate) fn device_code_page(pool: &PoolId, locale: Locale, unknown: bool) -> Response {
    let t = |zh, en| locale.text(zh, en);
    let error = if unknown {
        format!(
            "<p class=\"error\" role=\"alert\">{}</p>",
            t(
                "没有找到这个代码，或它已过期。",
                "No such code, or it has expired."
            )
        )
    } else {
        String::new()
    };
    let body = format!(
        "<main class=\"card\"><h1>{}</h1>{error}<form class=\"password\" method=\"get\" action=\"/oidc/{pool}/device\">\
         <label>{}<input name=\"user_code\" autocomplete=\"off\" autocapitalize=\"characters\" required \
         placeholder=\"XXXX-XXXX\"></label><button type=\"submit\">{}</button></form></main>",
        t("登录设备", "Log a device in"),
        t("设备上显示的代码", "The code the device shows"),
        t("继续", "Continue"),
    );
    document(
        locale,
        t("登录设备", "Log a device in"),
        &body,
        "",
        StatusCode::OK,
    )
}

/// The device flow's QR code, for a user who typed the user code on a computer.
pub(crate) fn device_scan_page(page: &DevicePage, locale: Locale) -> Response {
    let t = |zh, en| locale.text(zh, en);
    let body = format!(
        "<main class=\"card\"><h1>{} <span class=\"client\">{}</span></h1>\
         <section class=\"qr\"><img class=\"device-qr\" src=\"/qrcode/{}.png\" alt=\"QR\" width=\"200\" height=\"200\">\
         <p class=\"hint\">{}</p></section></main>",
        t("登录到", "Log in to"),
        escape(&page.client_name),
        escape(&page.scene),
        t(
            "请使用微信扫一扫，并在手机上确认；设备会自动继续。",
            "Scan the code with WeChat and confirm on your phone; the device goes on by itself."
        ),
    );
    document(
        locale,
        t("登录设备", "Log a device in"),
        &body,
        "",
        StatusCode::OK,
    )
}

/// "You are logged out".
pub(crate) fn logged_out_page(locale: Locale) -> Response {
    let t = |zh, en| locale.text(zh, en);
    let body = format!(
        "<main class=\"card\"><h1>{}</h1><p>{}</p></main>",
        t("已退出登录", "Logged out"),
        t("你可以关闭此页面。", "You can close this page."),
    );
    document(
        locale,
        t("已退出登录", "Logged out"),
        &body,
        "",
        StatusCode::OK,
    )
}

/// The error page: the error's code and description, never a redirect.
pub(crate) fn error_page(error: &OAuthError, locale: Locale, status: StatusCode) -> Response {
    let t = |zh, en| locale.text(zh, en);
    let body = format!(
        "<main class=\"card\"><h1>{}</h1><p class=\"error\">{}</p><p class=\"code\"><code>{}</code></p></main>",
        t("无法登录", "Cannot log in"),
        escape(&error.description),
        error.code.as_str(),
    );
    document(locale, t("出错了", "Error"), &body, "", status)
}

fn header_html(pool: &PoolId, context: &PageContext, locale: Locale, action: &str) -> String {
    let logo = context.client_logo.as_ref().map_or(String::new(), |logo| {
        format!(
            "<img class=\"logo\" src=\"{}\" alt=\"\">",
            escape(logo.as_str())
        )
    });
    let (other, name) = match locale {
        Locale::Chinese => (Locale::English, "English"),
        Locale::English => (Locale::Chinese, "中文"),
    };
    let switch = format!(
        "<a id=\"switch-locale\" hreflang=\"{tag}\" href=\"/oidc/{pool}/authorize/resume?interaction={}&amp;ui_locales={tag}\">{name}</a>",
        escape(&context.interaction),
        tag = other.tag(),
    );
    format!(
        "<main class=\"card\"><header>{logo}<p class=\"pool\"><img class=\"pool-logo\" src=\"/api/v1/pools/{pool}/logo.png\" alt=\"\" hidden>{}</p>\
         <h1>{action} <span class=\"client\">{}</span></h1></header><nav class=\"locale\">{switch}</nav>",
        escape(context.pool_name.as_str()),
        escape(context.client_name.as_str()),
    )
}

fn scope_text(scope: Scope, locale: Locale) -> &'static str {
    let t = |zh, en| locale.text(zh, en);
    match scope {
        Scope::Openid => t("确认你的身份", "Know who you are"),
        Scope::Profile => t("读取你的昵称和头像", "See your nickname and picture"),
        Scope::Phone => t("读取你的手机号", "See your phone number"),
        Scope::Email => t("读取你的邮箱", "See your e-mail address"),
        Scope::OfflineAccess => t("在你离开后继续访问", "Keep access while you are away"),
        Scope::Wechat => t(
            "读取你的微信 openid 和 unionid",
            "See your WeChat openid and unionid",
        ),
    }
}

fn document(
    locale: Locale,
    title: &str,
    body: &str,
    scripts: &str,
    status: StatusCode,
) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"referrer\" content=\"no-referrer\">\
         <title>{} · denglu</title><link rel=\"stylesheet\" href=\"/oidc/assets/pages.css\"></head><body>{body}{scripts}</body></html>",
        locale.tag(),
        escape(title),
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// `text` safe inside HTML text and quoted attributes.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// JSON safe inside a `<script type="application/json">` element: no `<` can close it.
fn escape_json(json: &str) -> String {
    json.replace('<', "\\u003c")
}
