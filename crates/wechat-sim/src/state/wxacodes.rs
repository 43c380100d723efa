//! Mini program codes issued by `getwxacodeunlimit`, keyed by the opaque id in the image.

use std::collections::HashMap;

use crate::ids;

/// What a generated mini program code opens.
#[derive(Debug, Clone)]
pub(crate) struct WxaCode {
    /// The mini program.
    pub(crate) appid: String,
    /// The page to open (`""` for the home page).
    pub(crate) page: String,
    /// The scene, as sent to the API.
    pub(crate) scene: String,
    /// `release`, `trial` or `develop`.
    pub(crate) env_version: String,
}

/// All generated codes. They never expire ("unlimited" codes are permanent).
#[derive(Debug, Default)]
pub(crate) struct WxaCodes {
    codes: HashMap<String, WxaCode>,
}

impl WxaCodes {
    /// Records a code and returns its opaque id.
    pub(crate) fn register(&mut self, code: WxaCode) -> String {
        let id = ids::wxacode_id();
        self.codes.insert(id.clone(), code);
        id
    }

    /// The code with this id.
    pub(crate) fn get(&self, id: &str) -> Option<&WxaCode> {
        self.codes.get(id)
    }

    /// Number of codes generated.
    pub(crate) fn count(&self) -> usize {
        self.codes.len()
    }
}
