// Reads the QR session's scene from the query the confirm page opens with.
//
// - Mini program codes (wxacode mode) carry it in `query.scene`, URL-encoded by WeChat: decode it once.
// - Plain link QR codes (url mode) open the page through WeChat's "扫普通链接二维码打开小程序" rule; the page then
//   gets the scanned link, URL-encoded, in `query.q` (plus `scancode_time`). The link is `<prefix><scene>`, so the
//   scene is its last path segment.

/** Longest scene accepted (denglu's scenes are 22 characters; WeChat's own limit is 32). */
const MAX_SCENE_LENGTH = 128;

/** decodeURIComponent that answers null instead of throwing on a malformed escape. */
function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch (error) {
    return null;
  }
}

/** A usable scene: not empty, not too long, no slash (it goes into a URL path), no spaces or control characters. */
function valid(scene) {
  return (
    typeof scene === 'string' &&
    scene.length > 0 &&
    scene.length <= MAX_SCENE_LENGTH &&
    !/[\s/\\\u0000-\u001f\u007f]/.test(scene)
  );
}

/** The last path segment of a link, without its query or fragment; null when there is none. */
function lastSegment(link) {
  const withoutFragment = link.split('#')[0];
  const withoutQuery = withoutFragment.split('?')[0];
  const path = withoutQuery.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*/, '');
  const segments = path.split('/').filter((segment) => segment.length > 0);
  return segments.length > 0 ? segments[segments.length - 1] : null;
}

/**
 * The scene in a page query, or null when the page was not opened from a login QR code (or the code is broken).
 * Returns {scene, source} with source 'scene' (mini program code) or 'link' (plain QR link).
 */
function readScene(query) {
  const options = query || {};
  if (typeof options.scene === 'string' && options.scene !== '') {
    const scene = safeDecode(options.scene);
    return valid(scene) ? { scene, source: 'scene' } : null;
  }
  if (typeof options.q === 'string' && options.q !== '') {
    const link = safeDecode(options.q);
    const segment = link === null ? null : lastSegment(link);
    const scene = segment === null ? null : safeDecode(segment);
    return valid(scene) ? { scene, source: 'link' } : null;
  }
  return null;
}

/** Whether the page was opened with anything that looks like a QR code at all. */
function hasSceneQuery(query) {
  const options = query || {};
  return Boolean(options.scene || options.q);
}

module.exports = { readScene, hasSceneQuery };
