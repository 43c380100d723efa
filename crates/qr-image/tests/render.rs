//! `render_png`: the codes decode back to their text, with and without a logo, at every size.

mod support;

use denglu_qr_image::{Logo, MAX_SIZE, MIN_SIZE, QrError, render_png};
use image::{GrayImage, ImageFormat, Luma, RgbImage};
use support::{encode, noisy_image};

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";
const SHORT_URL: &str = "https://login.example.com/q/3f9a2c";
const LONG_URL: &str = "https://login.example.com/api/v1/wechat/qr-login/confirm?ticket=\
    0123456789abcdef0123456789abcdef0123456789abcdef&pool=default-pool&redirect_uri=\
    https%3A%2F%2Fapp.example.com%2Fcallback%3Fstate%3Dxyz-0123456789&lang=zh_CN";

/// Decodes every QR code found in `png`, returning their texts.
fn scan(png: &[u8]) -> Vec<String> {
    let image = image::load_from_memory_with_format(png, ImageFormat::Png).expect("a PNG");
    let mut prepared = rqrr::PreparedImage::prepare(image.to_luma8());
    prepared
        .detect_grids()
        .iter()
        .map(|grid| grid.decode().expect("the code decodes").1)
        .collect()
}

fn rgb(png: &[u8]) -> RgbImage {
    image::load_from_memory_with_format(png, ImageFormat::Png)
        .expect("a PNG")
        .to_rgb8()
}

fn noisy_logo(width: u32, height: u32) -> Logo {
    let upload = encode(&noisy_image(width, height, 7), ImageFormat::Png);
    Logo::from_upload(&upload).expect("a valid logo")
}

#[test]
fn plain_codes_decode_to_their_text_at_every_size() {
    for text in [SHORT_URL, LONG_URL] {
        for size in [200, 256, 333, 512, 800, 1024] {
            let png = render_png(text, size, None).expect("renders");
            assert!(png.starts_with(PNG_MAGIC));
            assert_eq!(scan(&png), vec![text.to_owned()], "size {size}");
            let width = rgb(&png).width();
            assert!(
                width <= size && width > size * 3 / 4,
                "size {size} gave width {width}"
            );
        }
    }
}

#[test]
fn codes_with_a_noisy_logo_decode_to_their_text() {
    for logo in [
        noisy_logo(256, 256),
        noisy_logo(300, 120),
        noisy_logo(16, 40),
    ] {
        for text in [SHORT_URL, LONG_URL] {
            for size in [200, 300, 512, 1024] {
                let png = render_png(text, size, Some(&logo)).expect("renders");
                assert_eq!(scan(&png), vec![text.to_owned()], "size {size}");
            }
        }
    }
}

#[test]
fn the_logo_is_drawn_in_the_centre() {
    let logo = noisy_logo(256, 256);
    let image = rgb(&render_png(SHORT_URL, 512, Some(&logo)).expect("renders"));
    let centre = image.get_pixel(image.width() / 2, image.height() / 2);
    let [r, g, b] = centre.0;
    assert!(
        r != g || g != b,
        "expected a coloured logo pixel, got {centre:?}"
    );
}

#[test]
fn plain_codes_are_black_on_white_with_a_four_module_quiet_zone() {
    let image = rgb(&render_png(SHORT_URL, 400, None).expect("renders"));
    let grey: GrayImage = GrayImage::from_fn(image.width(), image.height(), |x, y| {
        Luma([image.get_pixel(x, y).0[0]])
    });
    assert!(
        image
            .pixels()
            .all(|p| p.0 == [0, 0, 0] || p.0 == [255, 255, 255])
    );
    // The top-left finder pattern starts after the quiet zone; its top edge is 7 modules long.
    let first_dark = grey
        .enumerate_pixels()
        .find(|(_, _, p)| p.0[0] == 0)
        .expect("a dark module");
    let (x0, y0) = (first_dark.0, first_dark.1);
    assert_eq!(x0, y0);
    let edge = (x0..grey.width())
        .take_while(|&x| grey.get_pixel(x, y0).0[0] == 0)
        .count();
    let module_px = u32::try_from(edge).expect("small") / 7;
    assert_eq!(u32::try_from(edge).expect("small"), module_px * 7);
    assert_eq!(x0, 4 * module_px);
    // The right and bottom borders are the same width.
    assert_eq!(grey.width() % module_px, 0);
    let last_column = grey.width() - 4 * module_px - 1;
    assert!((0..grey.height()).any(|y| grey.get_pixel(last_column, y).0[0] == 0));
    assert!(
        (last_column + 1..grey.width())
            .all(|x| (0..grey.height()).all(|y| grey.get_pixel(x, y).0[0] == 255))
    );
}

#[test]
fn sizes_are_clamped() {
    let tiny = rgb(&render_png(SHORT_URL, 1, None).expect("renders")).width();
    let huge = rgb(&render_png(SHORT_URL, u32::MAX, None).expect("renders")).width();
    assert!(
        tiny <= MIN_SIZE && tiny > MIN_SIZE * 3 / 4,
        "tiny gave {tiny}"
    );
    assert!(
        huge <= MAX_SIZE && huge > MAX_SIZE * 3 / 4,
        "huge gave {huge}"
    );
}

#[test]
fn text_too_long_for_any_code_is_refused() {
    let text = "x".repeat(5000);
    assert!(matches!(
        render_png(&text, 512, None),
        Err(QrError::TooLong)
    ));
}

#[test]
fn empty_text_still_renders_a_code() {
    let png = render_png("", 256, None).expect("renders");
    assert_eq!(scan(&png), vec![String::new()]);
}
