//! `POST /wxa/getwxacodeunlimit` and scanning the generated images.

use serde_json::{Value, json};

use crate::common::{APP, Harness, SECRET, assert_error, scene_vectors, text};

async fn wxacode(h: &Harness, token: &str, body: &Value) -> crate::common::Reply {
    h.post_json(
        &format!("/wxa/getwxacodeunlimit?access_token={token}"),
        body,
    )
    .await
}

fn field<'a>(case: &'a Value, name: &str) -> &'a str {
    case.get(name)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{name} in {case}"))
}

#[tokio::test]
async fn valid_scenes_make_scannable_jpegs() {
    let h = Harness::default().await;
    let token = h.token_for(APP, SECRET).await;
    let vectors = scene_vectors();
    let valid = vectors
        .get("valid")
        .and_then(Value::as_array)
        .expect("valid list");
    assert!(!valid.is_empty());
    for case in valid {
        let scene = field(case, "scene_sent_to_api");
        let reply = wxacode(
            &h,
            &token,
            &json!({ "scene": scene, "page": "pages/qrlogin/index" }),
        )
        .await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.content_type, "image/jpeg", "scene {scene}");
        assert!(
            reply.body.starts_with(&[0xff, 0xd8, 0xff]),
            "JPEG magic for {scene}"
        );
        let launch = h.sim.scan(&reply.body).expect("scan");
        assert_eq!(launch.appid, APP);
        assert_eq!(launch.page, "pages/qrlogin/index");
        assert_eq!(
            launch.scene.as_deref(),
            Some(field(case, "after_decodeURIComponent"))
        );
        assert_eq!(
            launch.query.get("scene").map(String::as_str),
            Some(field(case, "options_scene_in_onLoad_like_devtools"))
        );
        assert_eq!(launch.launch_scene, 1047);
        assert_eq!(launch.env_version.as_deref(), Some("release"));
    }
}

#[tokio::test]
async fn invalid_scenes_are_refused() {
    let h = Harness::default().await;
    let token = h.token_for(APP, SECRET).await;
    let vectors = scene_vectors();
    let invalid = vectors
        .get("invalid")
        .and_then(Value::as_array)
        .expect("invalid list");
    for case in invalid {
        let scene = field(case, "scene");
        let why = field(case, "why");
        let expected = if why.contains("40169") { 40169 } else { 40129 };
        let reply = wxacode(
            &h,
            &token,
            &json!({ "scene": scene, "page": "pages/index/index" }),
        )
        .await;
        assert_eq!(reply.content_type, "application/json; encoding=utf-8");
        assert_error(&reply.json(), expected);
    }
    let no_scene = wxacode(&h, &token, &json!({ "page": "pages/index/index" })).await;
    assert_error(&no_scene.json(), 40169);
    let path = format!("/wxa/getwxacodeunlimit?access_token={token}");
    let not_json = h
        .post_raw(
            &path,
            "application/x-www-form-urlencoded",
            b"scene=a".to_vec(),
        )
        .await;
    let body = not_json.json();
    assert_error(&body, 40169);
    assert!(
        text(&body, "errmsg")
            .starts_with("invalid length for scene, or the data is not json string")
    );
}

#[tokio::test]
async fn page_rules() {
    let h = Harness::default().await;
    let token = h.token_for(APP, SECRET).await;
    let cases = [
        (
            json!({ "scene": "a=1", "page": "/pages/index/index" }),
            41030,
        ),
        (
            json!({ "scene": "a=1", "page": "pages/index/index?x=1" }),
            41030,
        ),
        (
            json!({ "scene": "a=1", "page": "pages/unpublished/index" }),
            41030,
        ),
        (
            json!({ "scene": "a=1", "page": "pages/unpublished/index", "check_path": true }),
            41030,
        ),
        (
            json!({ "scene": "a=1", "page": "/pages/index/index", "check_path": false }),
            41030,
        ),
        (json!({ "scene": "a=1", "env_version": "beta" }), 40097),
    ];
    for (body, expected) in cases {
        assert_error(&wxacode(&h, &token, &body).await.json(), expected);
    }
    let unpublished = wxacode(
        &h,
        &token,
        &json!({ "scene": "a=1", "page": "pages/new/index", "check_path": false }),
    )
    .await;
    assert_eq!(unpublished.content_type, "image/jpeg");
    assert_eq!(
        h.sim.scan(&unpublished.body).expect("scan").page,
        "pages/new/index"
    );
    let home = wxacode(
        &h,
        &token,
        &json!({ "scene": "a=1", "env_version": "develop" }),
    )
    .await;
    let launch = h.sim.scan(&home.body).expect("scan");
    assert_eq!(
        launch.page, "pages/index/index",
        "no page means the home page"
    );
    assert_eq!(launch.env_version.as_deref(), Some("develop"));
}

#[tokio::test]
async fn hyaline_codes_are_png_and_width_is_respected() {
    let h = Harness::default().await;
    let token = h.token_for(APP, SECRET).await;
    let png = wxacode(
        &h,
        &token,
        &json!({ "scene": "t=1", "is_hyaline": true, "width": 300 }),
    )
    .await;
    assert_eq!(png.content_type, "image/png");
    assert!(
        png.body
            .starts_with(&[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    );
    assert_eq!(
        h.sim.scan(&png.body).expect("scan").scene.as_deref(),
        Some("t=1")
    );
    let decoded = image::load_from_memory(&png.body).expect("png decodes");
    assert_eq!((decoded.width(), decoded.height()), (300, 300));
    assert!(decoded.color().has_alpha());

    for (requested, expected) in [
        (json!(430), 430),
        (json!(100), 280),
        (json!(5000), 1280),
        (json!("600"), 600),
    ] {
        let reply = wxacode(&h, &token, &json!({ "scene": "t=1", "width": requested })).await;
        let img = image::load_from_memory(&reply.body).expect("jpeg decodes");
        assert_eq!(img.width(), expected, "width {requested}");
    }
    let default = wxacode(&h, &token, &json!({ "scene": "t=1" })).await;
    assert_eq!(
        image::load_from_memory(&default.body)
            .expect("decodes")
            .width(),
        430
    );
    assert_error(
        &wxacode(&h, &token, &json!({ "scene": "t=1", "width": "wide" }))
            .await
            .json(),
        40097,
    );
}

#[tokio::test]
async fn token_checks_come_first() {
    let h = Harness::default().await;
    assert_error(
        &h.post_json("/wxa/getwxacodeunlimit", &json!({ "scene": "a" }))
            .await
            .json(),
        41001,
    );
    assert_error(
        &wxacode(&h, "1_bad", &json!({ "scene": "a" })).await.json(),
        40001,
    );
    assert_error(
        &h.get("/wxa/getwxacodeunlimit?access_token=x").await.json(),
        43002,
    );
}

#[tokio::test]
async fn scanning_foreign_images_fails_clearly() {
    let h = Harness::default().await;
    assert!(h.sim.scan(b"not an image").is_err());
    let blank = image::RgbImage::from_pixel(64, 64, image::Rgb([255, 255, 255]));
    let mut bytes = Vec::new();
    blank
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("encode");
    let error = h.sim.scan(&bytes).expect_err("no code in a blank image");
    assert!(error.to_string().contains("no QR code"), "{error}");
}
