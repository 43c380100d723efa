//! Logo uploads: content sniffing, size and dimension limits, decoding and PNG re-encoding.

use std::io::Cursor;

use image::codecs::png::PngEncoder;
use image::error::LimitErrorKind;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{
    DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder, ImageError, ImageFormat,
    ImageReader, Limits, RgbaImage,
};

/// The largest accepted upload (and stored logo), in bytes: 512 KiB.
pub const MAX_LOGO_BYTES: usize = 512 * 1024;

/// The largest width and height, in pixels, an upload may declare in its header (4096×4096).
///
/// Checked from the header before any pixel is decoded, so a small file that claims a huge
/// image (a decompression bomb) is refused without allocating its buffer.
pub const MAX_LOGO_PIXELS: u32 = 4096;

/// The largest width and height, in pixels, of a [`Logo`] after re-encoding.
pub const MAX_LOGO_SIDE: u32 = 256;

/// Memory the decoder may use: one 4096×4096 image at 16-bit RGBA (8 bytes a pixel).
const DECODE_BUDGET_BYTES: u64 = MAX_LOGO_PIXELS as u64 * MAX_LOGO_PIXELS as u64 * 8;

/// The 8-byte signature every PNG file starts with.
const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The start-of-image marker and the first byte of the next marker of every JPEG file.
const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];

/// Why an uploaded or stored logo was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LogoError {
    /// The file is larger than allowed.
    #[error("the image file is too large; at most {max_bytes} bytes are allowed")]
    TooLarge {
        /// The byte limit that was exceeded.
        max_bytes: usize,
    },
    /// The content is neither a PNG nor a JPEG image (or uses an encoding that is not supported).
    #[error("the image must be a PNG or JPEG")]
    UnsupportedFormat,
    /// The image declares a width or height above the limit.
    #[error("the image is too big; at most {max_side}×{max_side} pixels are allowed")]
    TooManyPixels {
        /// The largest allowed width and height, in pixels.
        max_side: u32,
    },
    /// The content starts like a PNG or JPEG but cannot be decoded.
    #[error("the image is damaged and cannot be read")]
    Corrupt,
}

/// An uploaded logo after validation and re-encoding: a PNG at most 256×256 pixels, without
/// metadata, ready to store and to place in the middle of a QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    png: Vec<u8>,
    pixels: RgbaImage,
}

impl Logo {
    /// Validates an upload by its content, not its name or declared type.
    ///
    /// Accepts PNG and JPEG only (recognised by magic bytes), at most [`MAX_LOGO_BYTES`] bytes
    /// and [`MAX_LOGO_PIXELS`] pixels wide and high (checked from the header before decoding).
    /// The image is turned upright per its EXIF orientation, shrunk to fit 256×256 keeping its
    /// aspect ratio, and re-encoded as a PNG, which drops all metadata.
    pub fn from_upload(bytes: &[u8]) -> Result<Logo, LogoError> {
        let format = sniff_format(bytes)?;
        let image = decode(bytes, format, MAX_LOGO_PIXELS)?;
        let image = if image.width() > MAX_LOGO_SIDE || image.height() > MAX_LOGO_SIDE {
            image.resize(MAX_LOGO_SIDE, MAX_LOGO_SIDE, FilterType::Lanczos3)
        } else {
            image
        };
        let pixels = image.into_rgba8();
        let png = encode_png(&pixels)?;
        Ok(Logo { png, pixels })
    }

    /// Rebuilds a logo from PNG bytes earlier returned by [`Logo::png_bytes`].
    ///
    /// Validates again (PNG only, at most [`MAX_LOGO_SIDE`] pixels wide and high), which is
    /// cheap for such a small image; the stored bytes are kept as they are.
    pub fn from_stored_png(bytes: &[u8]) -> Result<Logo, LogoError> {
        if sniff_format(bytes)? != ImageFormat::Png {
            return Err(LogoError::UnsupportedFormat);
        }
        let pixels = decode(bytes, ImageFormat::Png, MAX_LOGO_SIDE)?.into_rgba8();
        Ok(Logo {
            png: bytes.to_vec(),
            pixels,
        })
    }

    /// The logo as PNG bytes, suitable for storing and for [`Logo::from_stored_png`].
    pub fn png_bytes(&self) -> &[u8] {
        &self.png
    }

    /// The logo's width in pixels (at most [`MAX_LOGO_SIDE`]).
    pub fn width(&self) -> u32 {
        self.pixels.width()
    }

    /// The logo's height in pixels (at most [`MAX_LOGO_SIDE`]).
    pub fn height(&self) -> u32 {
        self.pixels.height()
    }

    /// The decoded pixels, for drawing the logo.
    pub(crate) fn pixels(&self) -> &RgbaImage {
        &self.pixels
    }
}

/// Checks the byte limit and recognises PNG or JPEG by magic bytes.
fn sniff_format(bytes: &[u8]) -> Result<ImageFormat, LogoError> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(LogoError::TooLarge {
            max_bytes: MAX_LOGO_BYTES,
        });
    }
    if bytes.starts_with(PNG_MAGIC) {
        Ok(ImageFormat::Png)
    } else if bytes.starts_with(JPEG_MAGIC) {
        Ok(ImageFormat::Jpeg)
    } else {
        Err(LogoError::UnsupportedFormat)
    }
}

/// Decodes `bytes` as `format`, refusing images wider or higher than `max_side` from their header.
fn decode(bytes: &[u8], format: ImageFormat, max_side: u32) -> Result<DynamicImage, LogoError> {
    let refuse = |error| decode_error(error, max_side);
    let mut limits = Limits::default();
    limits.max_image_width = Some(max_side);
    limits.max_image_height = Some(max_side);
    limits.max_alloc = Some(DECODE_BUDGET_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refuse)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(refuse)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Maps a decoding failure to a [`LogoError`]; `max_side` is the dimension limit that was set.
fn decode_error(error: ImageError, max_side: u32) -> LogoError {
    match error {
        ImageError::Limits(limit) if limit.kind() == LimitErrorKind::DimensionError => {
            LogoError::TooManyPixels { max_side }
        }
        ImageError::Unsupported(_) => LogoError::UnsupportedFormat,
        _ => LogoError::Corrupt,
    }
}

/// Encodes RGBA pixels as a PNG with no metadata chunks.
fn encode_png(pixels: &RgbaImage) -> Result<Vec<u8>, LogoError> {
    let mut png = Vec::new();
    PngEncoder::new(&mut png)
        .write_image(
            pixels.as_raw(),
            pixels.width(),
            pixels.height(),
            ExtendedColorType::Rgba8,
        )
        .map_err(|_| LogoError::Corrupt)?;
    Ok(png)
}
