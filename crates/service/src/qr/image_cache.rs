//! Mini program codes fetched from WeChat, kept by this replica until their session expires: WeChat meters code
//! calls, and a page may load its code more than once.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

use chrono::{DateTime, Utc};

use crate::Image;

/// At most this many codes are kept; past it, expired ones are dropped, and new ones are not kept if none are.
const MAX_ENTRIES: usize = 10_000;

/// A kept code and when its session expires.
type Entry = (Image, DateTime<Utc>);

/// Codes by scene, with their expiry.
#[derive(Clone, Default)]
pub(crate) struct ImageCache(Arc<Mutex<HashMap<String, Entry>>>);

impl ImageCache {
    /// The code of `scene`, if kept and not expired.
    pub(crate) fn get(&self, scene: &str, now: DateTime<Utc>) -> Option<Image> {
        let entries = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .get(scene)
            .filter(|(_, expires_at)| now < *expires_at)
            .map(|(image, _)| image.clone())
    }

    /// Keeps the code of `scene` until `expires_at`.
    pub(crate) fn put(
        &self,
        scene: &str,
        image: &Image,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) {
        let mut entries = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, (_, expires)| now < *expires);
        }
        if entries.len() < MAX_ENTRIES {
            entries.insert(scene.to_owned(), (image.clone(), expires_at));
        }
    }
}
