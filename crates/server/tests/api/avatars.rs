//! Avatar upload over HTTP: checked by content, re-encoded, stored under a random name, served safely by every
//! replica; a replaced one is deleted after the grace period.

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// A JPEG photo: a blue gradient, 600×400.
fn jpeg() -> Vec<u8> {
    let image = image::RgbImage::from_fn(600, 400, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 200])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Jpeg)
        .expect("encode");
    bytes.into_inner()
}

impl TestApp {
    async fn upload_avatar(
        &self,
        user: &str,
        token: &str,
        bytes: Vec<u8>,
        field: &str,
    ) -> (u16, Value) {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("photo.jpg");
        let form = reqwest::multipart::Form::new().part(field.to_owned(), part);
        let reply = self
            .send(
                self.client
                    .post(format!("{}/api/v1/users/{user}/avatar", self.base))
                    .bearer_auth(token)
                    .multipart(form),
            )
            .await;
        (reply.status, reply.body)
    }
}

#[tokio::test]
async fn an_uploaded_avatar_is_re_encoded_and_served_with_safe_headers() {
    let app = spawn_app().await;
    app.register("amy", "correct horse").await;
    let login = app.login("amy", "correct horse").await;
    let token = login.body["token"].as_str().expect("token").to_owned();
    let id = login.body["user"]["_id"].as_str().expect("id").to_owned();

    let (status, user) = app.upload_avatar(&id, &token, jpeg(), "file").await;

    assert_eq!(status, 200, "{user}");
    let photo = user["photo"].as_str().expect("photo URL").to_owned();
    assert!(
        photo.starts_with(&format!("{}/uploads/avatars/", app.base)),
        "{photo}"
    );
    let served = app.client.get(&photo).send().await.expect("avatar");
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    assert!(
        served.headers()["content-security-policy"]
            .to_str()
            .expect("csp")
            .contains("sandbox")
    );
    let png = served.bytes().await.expect("bytes");
    let picture = image::load_from_memory(&png).expect("a PNG");
    assert!(
        picture.width() <= 256 && picture.height() <= 256,
        "re-encoded small"
    );
    assert_eq!(
        app.get("/api/v1/me").await.status,
        401,
        "sanity: /me needs a token"
    );
}

#[tokio::test]
async fn uploads_that_are_not_images_or_not_yours_are_refused() {
    let app = spawn_app().await;
    app.register("ben", "correct horse").await;
    app.register("cat", "correct horse").await;
    let ben = app.login("ben", "correct horse").await;
    let cat = app.login("cat", "correct horse").await;
    let ben_token = ben.body["token"].as_str().expect("token").to_owned();
    let ben_id = ben.body["user"]["_id"].as_str().expect("id").to_owned();
    let cat_id = cat.body["user"]["_id"].as_str().expect("id").to_owned();

    let (status, body) = app
        .upload_avatar(
            &ben_id,
            &ben_token,
            b"<svg onload=alert(1)>".to_vec(),
            "file",
        )
        .await;
    assert_eq!((status, body["code"].clone()), (400, json!(1002)), "{body}");
    let (status, body) = app
        .upload_avatar(&ben_id, &ben_token, jpeg(), "picture")
        .await;
    assert_eq!((status, body["code"].clone()), (400, json!(1002)), "{body}");
    let (status, body) = app.upload_avatar(&cat_id, &ben_token, jpeg(), "file").await;
    assert_eq!((status, body["code"].clone()), (403, json!(1001)), "{body}");
    let (status, body) = app.upload_avatar(&ben_id, "", jpeg(), "file").await;
    assert_eq!((status, body["code"].clone()), (401, json!(2020)), "{body}");
    let missing = app.get("/uploads/avatars/..%2F..%2Fetc%2Fpasswd").await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn a_ten_megabyte_avatar_is_refused_as_too_large() {
    let app = spawn_app().await;
    let token = app.signed_up_token("bulky").await;
    let user = app.check_token(&token).await["token"]["data"]["id"]
        .as_str()
        .expect("user id")
        .to_owned();
    let (status, body) = app
        .upload_avatar(&user, &token, vec![0_u8; 10 * 1024 * 1024], "file")
        .await;
    assert_eq!((status, body["code"].clone()), (413, json!(1003)), "{body}");
}

/// Amy, signed up and logged in: her id and token.
async fn amy(app: &TestApp) -> (String, String) {
    app.register("amy", "correct horse").await;
    let login = app.login("amy", "correct horse").await;
    let token = login.body["token"].as_str().expect("token").to_owned();
    let id = login.body["user"]["_id"].as_str().expect("id").to_owned();
    (id, token)
}

/// Uploads a JPEG as the user's avatar; answers the photo URL.
async fn uploaded_photo(app: &TestApp, id: &str, token: &str) -> String {
    let (status, user) = app.upload_avatar(id, token, jpeg(), "file").await;
    assert_eq!(status, 200, "{user}");
    user["photo"].as_str().expect("photo URL").to_owned()
}

/// The HTTP status of `url`.
async fn status_of(app: &TestApp, url: &str) -> u16 {
    app.client
        .get(url)
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

#[tokio::test]
async fn an_avatar_uploaded_through_one_replica_is_served_by_every_other() {
    let app = spawn_app().await;
    let (id, token) = amy(&app).await;
    let photo = uploaded_photo(&app, &id, &token).await;
    let name = photo.rsplit('/').next().expect("file name");

    let replica = app.spawn_replica().await;
    let served = app
        .client
        .get(format!("{replica}/uploads/avatars/{name}"))
        .send()
        .await
        .expect("request");
    assert_eq!(served.status(), 200, "the other replica has it too");
    let png = served.bytes().await.expect("bytes");
    assert!(image::load_from_memory(&png).is_ok(), "the same picture");
}

#[tokio::test]
async fn a_replaced_avatar_is_served_through_the_grace_period_then_deleted() {
    let app = spawn_app().await;
    let (id, token) = amy(&app).await;
    let first = uploaded_photo(&app, &id, &token).await;
    let second = uploaded_photo(&app, &id, &token).await;
    assert_ne!(first, second, "each upload has a name of its own");
    assert_eq!(app.get("/api/v1/me").await.status, 401, "sanity");
    let grace = std::time::Duration::from_secs(3600);

    let within_grace = app.services.purge_expired(grace, 10).await.expect("purge");
    assert_eq!(within_grace.avatars, 0);
    assert_eq!(
        status_of(&app, &first).await,
        200,
        "pages still showing the old URL keep their picture during the grace period"
    );

    app.clock.advance(chrono::Duration::seconds(3601));
    let past_grace = app.services.purge_expired(grace, 10).await.expect("purge");
    assert_eq!(past_grace.avatars, 1, "only the replaced one");
    assert_eq!(status_of(&app, &first).await, 404);
    assert_eq!(status_of(&app, &second).await, 200, "the current one stays");
}

#[tokio::test]
async fn avatar_files_stored_by_earlier_builds_are_still_served() {
    let app = spawn_app().await;
    let folder = app.uploads.path().join("avatars");
    std::fs::create_dir_all(&folder).expect("folder");
    let name = "Legacy0123456789abcdef.png";
    let mut png = Vec::new();
    image::RgbImage::from_pixel(8, 8, image::Rgb([9, 9, 9]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encode");
    std::fs::write(folder.join(name), &png).expect("write");

    let url = format!("{}/uploads/avatars/{name}", app.base);
    let served = app.client.get(url).send().await.expect("request");
    assert_eq!(served.status(), 200);
    assert_eq!(served.bytes().await.expect("bytes").to_vec(), png);
}
