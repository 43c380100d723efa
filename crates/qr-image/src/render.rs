//! QR code rendering: a high error-correction code as a PNG, optionally with a centred logo.

use std::io::Cursor;

use image::imageops::{self, FilterType};
use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};
use qrcode::{EcLevel, QrCode};

use crate::logo::Logo;

/// The smallest image width, in pixels, [`render_png`] aims for.
pub const MIN_SIZE: u32 = 200;

/// The largest image width, in pixels, [`render_png`] aims for.
pub const MAX_SIZE: u32 = 1024;

/// Width of the white border around the code, in modules (the QR standard's minimum).
const QUIET_ZONE_MODULES: u32 = 4;

/// The logo's white padding square spans at most this fraction (1/5, i.e. 20%) of the code's width.
const PAD_DIVISOR: u32 = 5;

/// The white margin between the padding square's edge and the logo, as a fraction of the square.
const MARGIN_DIVISOR: u32 = 10;

const BLACK: Rgba<u8> = Rgba([0, 0, 0, 255]);
const WHITE: Rgba<u8> = Rgba([255, 255, 255, 255]);

/// Why a QR code could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// The text does not fit in the largest QR code at high error correction.
    #[error("the text is too long to fit in a QR code")]
    TooLong,
    /// Encoding the code or the PNG failed for another reason.
    #[error("could not encode the QR code: {0}")]
    Encode(String),
}

/// Renders `text` (typically a URL) as a black-on-white QR code PNG.
///
/// Uses the highest error-correction level (H) and a quiet zone of 4 modules. Modules are whole
/// pixels, so the image is as wide as possible without exceeding `size` (clamped to
/// [`MIN_SIZE`]`..=`[`MAX_SIZE`]), unless the code has more modules than that many pixels.
/// With a `logo`, the logo is centred on a white square covering at most 20% of the code's
/// width, which level H corrects for, so the code stays scannable.
pub fn render_png(text: &str, size: u32, logo: Option<&Logo>) -> Result<Vec<u8>, QrError> {
    let code =
        QrCode::with_error_correction_level(text.as_bytes(), EcLevel::H).map_err(|error| {
            match error {
                qrcode::types::QrError::DataTooLong => QrError::TooLong,
                other => QrError::Encode(other.to_string()),
            }
        })?;
    let modules =
        u32::try_from(code.width()).map_err(|error| QrError::Encode(error.to_string()))?;
    let size = size.clamp(MIN_SIZE, MAX_SIZE);
    let module_px = (size / (modules + 2 * QUIET_ZONE_MODULES)).max(1);
    let mut canvas = code
        .render::<Rgba<u8>>()
        .quiet_zone(false)
        .module_dimensions(module_px, module_px)
        .dark_color(BLACK)
        .light_color(WHITE)
        .build();
    if let Some(logo) = logo {
        draw_logo(&mut canvas, logo, modules, module_px);
    }
    let border = QUIET_ZONE_MODULES * module_px;
    let mut framed = RgbaImage::from_pixel(
        canvas.width() + 2 * border,
        canvas.height() + 2 * border,
        WHITE,
    );
    imageops::replace(&mut framed, &canvas, i64::from(border), i64::from(border));
    let mut png = Vec::new();
    DynamicImage::ImageRgba8(framed)
        .into_rgb8()
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|error| QrError::Encode(error.to_string()))?;
    Ok(png)
}

/// Clears a centred square of whole modules to white and draws `logo` inside it.
///
/// `canvas` holds the code without its quiet zone: `modules` × `modules` modules of `module_px`.
fn draw_logo(canvas: &mut RgbaImage, logo: &Logo, modules: u32, module_px: u32) {
    // An odd number of modules, so the square sits exactly in the middle of the odd-sized code.
    let pad_modules = modules / PAD_DIVISOR;
    let pad_modules = if pad_modules.is_multiple_of(2) {
        pad_modules.saturating_sub(1)
    } else {
        pad_modules
    };
    let pad_px = pad_modules * module_px;
    let margin = (pad_px / MARGIN_DIVISOR).max(1);
    let inner = pad_px.saturating_sub(2 * margin);
    if inner == 0 {
        return;
    }
    let pad_origin = i64::from((modules - pad_modules) / 2 * module_px);
    imageops::replace(
        canvas,
        &RgbaImage::from_pixel(pad_px, pad_px, WHITE),
        pad_origin,
        pad_origin,
    );
    let scaled = DynamicImage::ImageRgba8(logo.pixels().clone())
        .resize(inner, inner, FilterType::Lanczos3)
        .into_rgba8();
    let x = pad_origin + i64::from(pad_px.saturating_sub(scaled.width()) / 2);
    let y = pad_origin + i64::from(pad_px.saturating_sub(scaled.height()) / 2);
    imageops::overlay(canvas, &scaled, x, y);
}
