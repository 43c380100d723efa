//! `getwxacodeunlimit`: the request for a mini program code and the image WeChat returns.

use serde::{Serialize, Serializer};

/// Which version of the mini program a code opens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EnvVersion {
    /// The published version.
    #[default]
    Release,
    /// The trial version.
    Trial,
    /// The development version.
    Develop,
}

/// The colour of the code's lines when `auto_color` is off. WeChat's documentation sends the channels as strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineColor {
    /// Red, 0–255.
    #[serde(serialize_with = "as_text")]
    pub r: u8,
    /// Green, 0–255.
    #[serde(serialize_with = "as_text")]
    pub g: u8,
    /// Blue, 0–255.
    #[serde(serialize_with = "as_text")]
    pub b: u8,
}

fn as_text<S: Serializer>(value: &u8, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// A request for an unlimited mini program code (`POST /wxa/getwxacodeunlimit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnlimitedCode {
    /// 1–32 characters of `[0-9A-Za-z!#$&'()*+,/:;=?@._~-]`; the page reads it from `query.scene`.
    pub scene: String,
    /// The page to open (no leading `/`, no query); the home page when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// Whether WeChat checks that `page` exists in the published version.
    pub check_path: bool,
    /// Which version the code opens.
    pub env_version: EnvVersion,
    /// Image width in pixels, 280–1280 (WeChat's default 430 when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Let WeChat choose the line colour.
    pub auto_color: bool,
    /// The line colour when `auto_color` is off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_color: Option<LineColor>,
    /// A transparent background (WeChat then answers with a PNG).
    pub is_hyaline: bool,
}

impl UnlimitedCode {
    /// A code for `scene` with WeChat's defaults: home page, path checked, release version.
    pub fn new(scene: impl Into<String>) -> Self {
        Self {
            scene: scene.into(),
            page: None,
            check_path: true,
            env_version: EnvVersion::Release,
            width: None,
            auto_color: false,
            line_color: None,
            is_hyaline: false,
        }
    }

    /// The same request opening `page`.
    pub fn page(mut self, page: impl Into<String>) -> Self {
        self.page = Some(page.into());
        self
    }
}

/// An image format WeChat returns codes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// JPEG, the default.
    Jpeg,
    /// PNG, for transparent codes.
    Png,
}

impl ImageFormat {
    /// The format of `bytes`, judged by their magic number (WeChat's `Content-Type` is not to be trusted).
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
            Some(Self::Png)
        } else {
            None
        }
    }

    /// The MIME type to serve the image with.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }
}

/// A mini program code image.
#[derive(Clone, PartialEq, Eq)]
pub struct MiniProgramCode {
    /// The image's format.
    pub format: ImageFormat,
    /// The image bytes.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for MiniProgramCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MiniProgramCode")
            .field("format", &self.format)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_serialise_as_wechat_documents_them() {
        let mut request = UnlimitedCode::new("t=abc").page("pages/qr/index");
        request.line_color = Some(LineColor {
            r: 0,
            g: 128,
            b: 255,
        });
        let json = serde_json::to_value(&request).expect("serialise");
        assert_eq!(json["scene"], "t=abc");
        assert_eq!(json["page"], "pages/qr/index");
        assert_eq!(json["env_version"], "release");
        assert_eq!(json["line_color"]["g"], "128");
        assert!(json.get("width").is_none());
    }

    #[test]
    fn formats_are_sniffed_from_magic_bytes() {
        assert_eq!(
            ImageFormat::sniff(&[0xff, 0xd8, 0xff, 0xe0]),
            Some(ImageFormat::Jpeg)
        );
        assert_eq!(
            ImageFormat::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(ImageFormat::Png)
        );
        assert_eq!(ImageFormat::sniff(b"{\"errcode\":1}"), None);
        assert_eq!(ImageFormat::sniff(&[]), None);
    }
}
