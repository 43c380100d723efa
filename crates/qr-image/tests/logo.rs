//! `Logo`: uploads are validated by content and limits, then re-encoded as small clean PNGs.

mod support;

use denglu_qr_image::{Logo, LogoError, MAX_LOGO_BYTES, MAX_LOGO_PIXELS, MAX_LOGO_SIDE};
use image::{DynamicImage, ImageFormat};
use support::{encode, noisy_image};

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The standard CRC-32 (ISO-HDLC) that PNG chunks carry.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG chunk: length, type, data and CRC.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = u32::try_from(data.len())
        .expect("small chunk")
        .to_be_bytes()
        .to_vec();
    let mut typed = kind.to_vec();
    typed.extend_from_slice(data);
    out.extend_from_slice(&typed);
    out.extend_from_slice(&crc32(&typed).to_be_bytes());
    out
}

/// A PNG that only has a (valid) header claiming `width`×`height` RGBA pixels, then a few bytes
/// of nonsense image data: decoding it for real would need a `width * height * 4` buffer.
fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8-bit RGBA, deflate, no filter, no interlace
    let mut png = PNG_MAGIC.to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(b"IDAT", &[0x78, 0x9C, 0x01, 0x02, 0x03]));
    png.extend(chunk(b"IEND", &[]));
    png
}

fn decoded(logo: &Logo) -> DynamicImage {
    image::load_from_memory_with_format(logo.png_bytes(), ImageFormat::Png).expect("a PNG")
}

#[test]
fn a_png_upload_is_shrunk_to_fit_keeping_its_aspect_ratio() {
    let upload = encode(&noisy_image(400, 200, 1), ImageFormat::Png);
    let logo = Logo::from_upload(&upload).expect("accepted");
    assert!(logo.png_bytes().starts_with(PNG_MAGIC));
    assert_eq!((logo.width(), logo.height()), (MAX_LOGO_SIDE, 128));
    let image = decoded(&logo);
    assert_eq!((image.width(), image.height()), (MAX_LOGO_SIDE, 128));
}

#[test]
fn a_jpeg_upload_is_re_encoded_as_png() {
    let upload = encode(&noisy_image(300, 500, 2), ImageFormat::Jpeg);
    assert!(!upload.starts_with(PNG_MAGIC));
    let logo = Logo::from_upload(&upload).expect("accepted");
    assert!(logo.png_bytes().starts_with(PNG_MAGIC));
    let image = decoded(&logo);
    assert_eq!((image.width(), image.height()), (154, MAX_LOGO_SIDE));
}

#[test]
fn a_small_upload_keeps_its_size() {
    let upload = encode(&noisy_image(48, 64, 3), ImageFormat::Png);
    let logo = Logo::from_upload(&upload).expect("accepted");
    assert_eq!((logo.width(), logo.height()), (48, 64));
    assert_eq!(decoded(&logo).to_rgba8(), noisy_image(48, 64, 3).to_rgba8());
}

#[test]
fn metadata_is_dropped() {
    let clean = encode(&noisy_image(32, 32, 4), ImageFormat::Png);
    // Insert a text chunk right after the signature and IHDR (8 + 25 bytes).
    let (head, tail) = clean.split_at(33);
    let mut upload = head.to_vec();
    upload.extend(chunk(b"tEXt", b"Author\0someone@example.com"));
    upload.extend_from_slice(tail);
    let logo = Logo::from_upload(&upload).expect("accepted");
    let has_text = |bytes: &[u8]| bytes.windows(4).any(|w| w == b"tEXt");
    assert!(has_text(&upload));
    assert!(!has_text(logo.png_bytes()));
}

#[test]
fn the_limit_is_inclusive() {
    let upload = encode(&noisy_image(MAX_LOGO_PIXELS, 2, 5), ImageFormat::Png);
    let logo = Logo::from_upload(&upload).expect("accepted");
    assert_eq!((logo.width(), logo.height()), (MAX_LOGO_SIDE, 1));
}

#[test]
fn real_images_wider_or_taller_than_the_limit_are_refused() {
    let too_many = Err(LogoError::TooManyPixels {
        max_side: MAX_LOGO_PIXELS,
    });
    for format in [ImageFormat::Png, ImageFormat::Jpeg] {
        let wide = encode(&noisy_image(MAX_LOGO_PIXELS + 1, 1, 6), format);
        let tall = encode(&noisy_image(1, MAX_LOGO_PIXELS + 1, 6), format);
        assert_eq!(Logo::from_upload(&wide), too_many, "{format:?}");
        assert_eq!(Logo::from_upload(&tall), too_many, "{format:?}");
    }
}

#[test]
fn a_decompression_bomb_header_is_refused_before_decoding() {
    let bomb = png_header_only(20_000, 20_000);
    assert!(bomb.len() < 100);
    assert_eq!(
        Logo::from_upload(&bomb),
        Err(LogoError::TooManyPixels {
            max_side: MAX_LOGO_PIXELS
        })
    );
}

#[test]
fn a_valid_header_with_nonsense_data_is_corrupt() {
    assert_eq!(
        Logo::from_upload(&png_header_only(64, 64)),
        Err(LogoError::Corrupt)
    );
}

#[test]
fn other_formats_are_refused_by_content() {
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;".to_vec();
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#.to_vec();
    let text = b"hello, this is a plain text file named logo.png\n".to_vec();
    let noise: Vec<u8> = (0..4096_u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let bmp = b"BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00".to_vec();
    for bytes in [
        gif,
        svg,
        text,
        noise,
        bmp,
        Vec::new(),
        PNG_MAGIC[..4].to_vec(),
    ] {
        assert_eq!(
            Logo::from_upload(&bytes),
            Err(LogoError::UnsupportedFormat),
            "{bytes:?}"
        );
    }
}

#[test]
fn damaged_images_are_corrupt() {
    let png = encode(&noisy_image(64, 64, 8), ImageFormat::Png);
    let jpeg = encode(&noisy_image(64, 64, 8), ImageFormat::Jpeg);
    let mut png_garbage = PNG_MAGIC.to_vec();
    png_garbage.extend_from_slice(b"definitely not chunks");
    let jpeg_garbage = [0xFF, 0xD8, 0xFF, 0x00, 0x01, 0x02, 0x03].to_vec();
    for bytes in [
        png[..png.len() / 2].to_vec(),
        png_garbage,
        jpeg[..20].to_vec(),
        jpeg_garbage,
    ] {
        assert_eq!(Logo::from_upload(&bytes), Err(LogoError::Corrupt));
    }
}

#[test]
fn an_oversized_body_is_refused_before_anything_else() {
    let mut body = PNG_MAGIC.to_vec();
    body.resize(MAX_LOGO_BYTES + 1, 0);
    assert_eq!(
        Logo::from_upload(&body),
        Err(LogoError::TooLarge {
            max_bytes: MAX_LOGO_BYTES
        })
    );
    assert_eq!(
        Logo::from_stored_png(&body),
        Err(LogoError::TooLarge {
            max_bytes: MAX_LOGO_BYTES
        })
    );
}

#[test]
fn stored_bytes_round_trip() {
    let upload = encode(&noisy_image(400, 400, 9), ImageFormat::Jpeg);
    let logo = Logo::from_upload(&upload).expect("accepted");
    let again = Logo::from_stored_png(logo.png_bytes()).expect("still valid");
    assert_eq!(again, logo);
}

#[test]
fn stored_bytes_must_be_a_small_png() {
    let jpeg = encode(&noisy_image(64, 64, 10), ImageFormat::Jpeg);
    assert_eq!(
        Logo::from_stored_png(&jpeg),
        Err(LogoError::UnsupportedFormat)
    );
    let big = encode(&noisy_image(MAX_LOGO_SIDE + 1, 8, 10), ImageFormat::Png);
    assert_eq!(
        Logo::from_stored_png(&big),
        Err(LogoError::TooManyPixels {
            max_side: MAX_LOGO_SIDE
        })
    );
    let png = encode(&noisy_image(64, 64, 10), ImageFormat::Png);
    assert_eq!(
        Logo::from_stored_png(&png[..png.len() - 30]),
        Err(LogoError::Corrupt)
    );
}

#[test]
fn errors_read_as_plain_english() {
    assert_eq!(
        LogoError::TooLarge {
            max_bytes: MAX_LOGO_BYTES
        }
        .to_string(),
        "the image file is too large; at most 524288 bytes are allowed"
    );
    assert_eq!(
        LogoError::UnsupportedFormat.to_string(),
        "the image must be a PNG or JPEG"
    );
    assert_eq!(
        LogoError::TooManyPixels { max_side: 4096 }.to_string(),
        "the image is too big; at most 4096×4096 pixels are allowed"
    );
}
