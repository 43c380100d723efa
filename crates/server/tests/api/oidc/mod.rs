//! The OpenID Connect provider over HTTP, driven as a relying party and a browser would: a client registered
//! through the admin API, the authorization request, the hosted page, the QR code scanned by the simulated phone,
//! the code exchange, and every rule of the spec's security section.

mod device;
mod discovery;
mod flows;
mod security;
mod tokens;

use std::collections::BTreeMap;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{
    admin::{owner, post},
    helpers::{Reply, TestApp},
};

/// A PKCE verifier of 43 characters and its S256 challenge.
pub(crate) const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

pub(crate) fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A registered application and a browser (its cookies), talking to one pool's issuer without following redirects.
pub(crate) struct Rp<'a> {
    pub(crate) app: &'a TestApp,
    pub(crate) http: reqwest::Client,
    pub(crate) client_id: String,
    pub(crate) secret: Option<String>,
    pub(crate) redirect_uri: String,
    pub(crate) cookies: BTreeMap<String, String>,
}

/// An answer as the browser sees it.
pub(crate) struct Page {
    pub(crate) status: u16,
    pub(crate) location: Option<String>,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) text: String,
}

/// The default application: confidential, first-party, every scope and user grant.
pub(crate) fn web_app() -> Value {
    json!({
        "name": "Shop",
        "kind": "confidential",
        "redirectUris": ["https://shop.example.com/callback"],
        "postLogoutRedirectUris": ["https://shop.example.com/bye"],
        "grantTypes": ["authorization_code", "refresh_token", "client_credentials"],
        "scopes": ["openid", "profile", "phone", "email", "offline_access", "wechat"],
        "firstParty": true
    })
}

impl TestApp {
    pub(crate) fn issuer(&self) -> String {
        format!("{}/oidc/{}", self.base, self.pool_id())
    }

    /// Registers an application through the admin API; a browser for it with no cookies.
    pub(crate) async fn rp(&self, body: Value) -> Rp<'_> {
        let root = owner(self).await;
        let created = post(
            self,
            &root,
            &format!("/api/v1/admin/pools/{}/clients", self.pool_id()),
            &body,
        )
        .await;
        assert_eq!(created.status, 201, "{}", created.body);
        Rp {
            app: self,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            client_id: created.body["clientId"].as_str().expect("id").to_owned(),
            secret: created.body["clientSecret"].as_str().map(str::to_owned),
            redirect_uri: body["redirectUris"][0]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            cookies: BTreeMap::new(),
        }
    }
}

impl Rp<'_> {
    /// The authorization URL with the usual parameters (S256 challenge of [`VERIFIER`], state, nonce) and `extra`,
    /// which replace them by name; a `None` value leaves a parameter out.
    pub(crate) fn authorize_url(&self, extra: &[(&str, Option<&str>)]) -> String {
        let challenge = challenge(VERIFIER);
        let mut params: Vec<(&str, Option<&str>)> = vec![
            ("client_id", Some(&self.client_id)),
            ("redirect_uri", Some(&self.redirect_uri)),
            ("response_type", Some("code")),
            ("scope", Some("openid profile phone offline_access wechat")),
            ("state", Some("st-1")),
            ("nonce", Some("n-1")),
            ("code_challenge", Some(&challenge)),
            ("code_challenge_method", Some("S256")),
        ];
        for (name, value) in extra {
            params.retain(|(n, _)| n != name);
            params.push((name, *value));
        }
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params.iter().filter_map(|(n, v)| v.map(|v| (*n, v))))
            .finish();
        format!("{}/authorize?{query}", self.app.issuer())
    }

    /// The browser opens `url` (its cookies sent, the answer's kept).
    pub(crate) async fn open(&mut self, url: &str) -> Page {
        let request = self.http.get(url);
        self.browse(request).await
    }

    /// The browser posts a form to `url`.
    pub(crate) async fn submit(&mut self, url: &str, form: &[(&str, &str)]) -> Page {
        let request = self.http.post(url).form(form);
        self.browse(request).await
    }

    /// The browser sends `request` with its cookies and keeps the answer's.
    pub(crate) async fn browse(&mut self, request: reqwest::RequestBuilder) -> Page {
        let cookie = self
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        let response = request
            .header("cookie", cookie)
            .header("accept-language", "zh-CN,zh;q=0.9")
            .send()
            .await
            .expect("the server answers");
        for value in response.headers().get_all("set-cookie") {
            let text = value.to_str().expect("ascii");
            let (pair, attributes) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').expect("name=value");
            if value.is_empty() || attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        Page {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .map(|l| l.to_str().expect("ascii").to_owned()),
            headers: response.headers().clone(),
            text: response.text().await.expect("body"),
        }
    }

    /// The sealed interaction of a login page.
    pub(crate) fn interaction_of(page: &Page) -> String {
        let start = page.text.find("id=\"login-data\">").expect("a login page")
            + "id=\"login-data\">".len();
        let end = start + page.text[start..].find("</script>").expect("closed");
        let data: Value = serde_json::from_str(&page.text[start..end]).expect("JSON");
        data["interaction"]
            .as_str()
            .expect("interaction")
            .to_owned()
    }

    /// On the login page `page`: a QR code scanned by `nickname`'s phone and confirmed, the web SDK's poll
    /// collecting the token, the page posting it. The answer gives the resume URL and sets the session cookie.
    pub(crate) async fn log_in_by_qr(&mut self, page: &Page, nickname: &str) -> String {
        let interaction = Self::interaction_of(page);
        let random = format!("oidcRandom{}", denglu_crypto::random_token(9));
        let started = self.app.start_qr(&random).await;
        let scene = crate::qr::scene_of(&started);
        let user = self.app.wechat_user(nickname);
        let scan = self.app.scan(&scene, user).await;
        let confirmed = self.app.confirm(&scene, &json!({"scanToken": scan})).await;
        assert_eq!(confirmed.status, 200, "{}", confirmed.body);
        let token = self.app.poll(&random).await["data"]["token"]
            .as_str()
            .expect("token")
            .to_owned();
        let url = format!("{}/login/qr", self.app.issuer());
        let request = self
            .http
            .post(url)
            .json(&json!({"interaction": interaction, "token": token}));
        let answer = self.browse(request).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        let body: Value = serde_json::from_str(&answer.text).expect("JSON");
        body["location"].as_str().expect("location").to_owned()
    }

    /// The whole login of a browser without a session: authorization request, login page, QR, resume; the
    /// redirect to the client.
    pub(crate) async fn log_in(&mut self, nickname: &str) -> String {
        let page = self.open(&self.authorize_url(&[])).await;
        assert_eq!(page.status, 200, "{}", page.text);
        let resume = self.log_in_by_qr(&page, nickname).await;
        let back = self.open(&resume).await;
        assert_eq!(back.status, 303, "{}", back.text);
        back.location.expect("a redirect")
    }

    /// The token endpoint with this form, authenticated with the client's secret (Basic) when it has one.
    pub(crate) async fn token(&self, form: &[(&str, &str)]) -> Reply {
        let mut request = self
            .http
            .post(format!("{}/token", self.app.issuer()))
            .form(form);
        if let Some(secret) = &self.secret {
            request = request.basic_auth(&self.client_id, Some(secret));
        }
        self.app.send(request).await
    }

    /// Exchanges `code` with [`VERIFIER`].
    pub(crate) async fn exchange(&self, code: &str) -> Reply {
        self.token(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &self.redirect_uri),
            ("code_verifier", VERIFIER),
        ])
        .await
    }

    /// Userinfo with `access_token`.
    pub(crate) async fn userinfo(&self, access_token: &str) -> Reply {
        let request = self
            .http
            .get(format!("{}/userinfo", self.app.issuer()))
            .bearer_auth(access_token);
        self.app.send(request).await
    }

    /// Introspection or revocation (`endpoint`) of `token`, authenticated as this client.
    pub(crate) async fn about_token(&self, endpoint: &str, token: &str) -> Reply {
        let mut request = self
            .http
            .post(format!("{}/{endpoint}", self.app.issuer()))
            .form(&[("token", token)]);
        request = match &self.secret {
            Some(secret) => request.basic_auth(&self.client_id, Some(secret)),
            None => request.form(&[("token", token), ("client_id", self.client_id.as_str())]),
        };
        self.app.send(request).await
    }
}

/// The query parameters of a redirect URL.
pub(crate) fn query_of(location: &str) -> BTreeMap<String, String> {
    let query = location.split_once('?').map(|(_, q)| q).unwrap_or_default();
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

/// The payload of a JWT, unverified (the tests verify signatures separately).
pub(crate) fn claims_of(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}
