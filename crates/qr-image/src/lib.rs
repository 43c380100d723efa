//! QR login images for denglu: validated logo uploads ([`Logo`]) and QR code PNGs ([`render_png`]).
//!
//! Uploaded logos are checked by content (PNG or JPEG magic bytes), bounded in bytes and in
//! declared dimensions before any pixel is decoded, then shrunk and re-encoded as a clean PNG.
//! QR codes use the highest error-correction level so a code with a centred logo still scans.

mod logo;
mod render;

pub use logo::{Logo, LogoError, MAX_LOGO_BYTES, MAX_LOGO_PIXELS, MAX_LOGO_SIDE};
pub use render::{MAX_SIZE, MIN_SIZE, QrError, render_png};
