//! Rendering mini program codes as real QR images, and reading them back.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, GrayImage, ImageFormat, ImageReader, Limits, Luma, Rgba, RgbaImage};
use qrcode::QrCode;

/// URL prefix of the text inside every generated code; the rest is the opaque id.
pub(crate) const CODE_URL_PREFIX: &str = "https://wechat-sim.invalid/wxacode/";

/// Largest width or height `decode` accepts, in pixels.
const MAX_SCAN_SIDE: u32 = 4096;
/// Most memory the image decoder may allocate while scanning.
const MAX_SCAN_ALLOC: u64 = 128 * 1024 * 1024;

/// JPEG quality: high enough that the modules survive compression.
const JPEG_QUALITY: u8 = 90;

/// An encoded image and its MIME type.
#[derive(Debug)]
pub(crate) struct EncodedImage {
    /// The file bytes.
    pub(crate) bytes: Vec<u8>,
    /// `image/jpeg` or `image/png`.
    pub(crate) content_type: &'static str,
}

/// A `width`×`width` image of a QR code holding `text`: JPEG on white, or PNG with a
/// transparent background when `transparent`.
pub(crate) fn render(text: &str, width: u32, transparent: bool) -> Result<EncodedImage, String> {
    let code = QrCode::new(text.as_bytes()).map_err(|e| e.to_string())?;
    let symbol: GrayImage = code
        .render::<Luma<u8>>()
        .max_dimensions(width, width)
        .build();
    let offset_x = width.saturating_sub(symbol.width()) / 2;
    let offset_y = width.saturating_sub(symbol.height()) / 2;
    let mut canvas = GrayImage::from_pixel(width, width, Luma([255]));
    image::imageops::overlay(
        &mut canvas,
        &symbol,
        i64::from(offset_x),
        i64::from(offset_y),
    );
    let mut bytes = Vec::new();
    if transparent {
        let rgba = RgbaImage::from_fn(width, width, |x, y| {
            let Luma([level]) = *canvas.get_pixel(x, y);
            if level > 127 {
                Rgba([255, 255, 255, 0])
            } else {
                Rgba([0, 0, 0, 255])
            }
        });
        rgba.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .map_err(|e| e.to_string())?;
        Ok(EncodedImage {
            bytes,
            content_type: "image/png",
        })
    } else {
        let encoder = JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY);
        canvas
            .write_with_encoder(encoder)
            .map_err(|e| e.to_string())?;
        Ok(EncodedImage {
            bytes,
            content_type: "image/jpeg",
        })
    }
}

/// The text of the first QR code found in an image file (JPEG or PNG; transparency is
/// flattened onto white).
pub(crate) fn decode(bytes: &[u8]) -> Result<String, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("not an image: {e}"))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SCAN_SIDE);
    limits.max_image_height = Some(MAX_SCAN_SIDE);
    limits.max_alloc = Some(MAX_SCAN_ALLOC);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| format!("not an image: {e}"))?;
    let gray = flatten_on_white(&image);
    let mut prepared = rqrr::PreparedImage::prepare(gray);
    let grids = prepared.detect_grids();
    let grid = grids
        .first()
        .ok_or_else(|| "no QR code found in the image".to_owned())?;
    let (_, text) = grid
        .decode()
        .map_err(|e| format!("QR code unreadable: {e}"))?;
    Ok(text)
}

fn flatten_on_white(image: &DynamicImage) -> GrayImage {
    let rgba = image.to_rgba8();
    GrayImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let Rgba([r, g, b, a]) = *rgba.get_pixel(x, y);
        let luma = (u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000;
        let alpha = u32::from(a);
        let blended = (luma * alpha + 255 * (255 - alpha)) / 255;
        Luma([u8::try_from(blended).unwrap_or(u8::MAX)])
    })
}
