//! `Logo::from_upload` never panics, whatever bytes it is given.

mod support;

use denglu_qr_image::{Logo, MAX_LOGO_SIDE};
use image::ImageFormat;
use proptest::prelude::*;
use support::{encode, noisy_image};

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Bytes that get past the format check often: random, or behind a PNG or JPEG signature.
fn upload_bytes() -> impl Strategy<Value = Vec<u8>> {
    let tail = proptest::collection::vec(any::<u8>(), 0..2048);
    prop_oneof![
        tail.clone(),
        tail.clone().prop_map(|tail| [PNG_MAGIC, &tail].concat()),
        tail.prop_map(|tail| [&[0xFF_u8, 0xD8, 0xFF][..], &tail].concat()),
    ]
}

/// Checks what any upload must satisfy once accepted.
fn check_accepted(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(logo) = Logo::from_upload(bytes) {
        prop_assert!(logo.png_bytes().starts_with(PNG_MAGIC));
        prop_assert!(logo.width() <= MAX_LOGO_SIDE && logo.height() <= MAX_LOGO_SIDE);
    }
    Ok(())
}

proptest! {
    #[test]
    fn random_uploads_never_panic(bytes in upload_bytes()) {
        check_accepted(&bytes)?;
    }

    #[test]
    fn damaged_real_images_never_panic(
        png in any::<bool>(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let format = if png { ImageFormat::Png } else { ImageFormat::Jpeg };
        let mut bytes = encode(&noisy_image(24, 16, 11), format);
        for (index, value) in flips {
            let at = index.index(bytes.len());
            bytes[at] = value;
        }
        check_accepted(&bytes)?;
    }
}
