//! Test helpers shared by the integration tests: generated images and their encodings.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};

/// A deterministic, colourful, noisy image: every pixel gets a pseudo-random colour.
pub(crate) fn noisy_image(width: u32, height: u32, seed: u32) -> DynamicImage {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let pixels = RgbaImage::from_fn(width, height, |_, _| {
        // xorshift32: cheap, deterministic noise.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let [r, g, b, _] = state.to_le_bytes();
        Rgba([r, g, b, 255])
    });
    DynamicImage::ImageRgba8(pixels)
}

/// Encodes `image` in `format` (JPEG gets its alpha dropped first, as JPEG has none).
pub(crate) fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let image = if format == ImageFormat::Jpeg {
        DynamicImage::ImageRgb8(image.to_rgb8())
    } else {
        image.clone()
    };
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), format)
        .expect("test image encodes");
    bytes
}
