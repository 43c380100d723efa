// The denglu server's native API, over wx.request, as promises.
//
// A reply with HTTP 2xx resolves with its JSON body. Anything else rejects with an ApiError whose `code` is the
// server's documented error code (its `{code, message}` body), or NETWORK when no answer came back at all.

/** `code` of an ApiError when the server could not be reached (wx.request's fail callback). */
const NETWORK = 'network';

/** An error from the server, or the failure to reach it. */
class ApiError extends Error {
  constructor(code, message, status) {
    super(message);
    this.name = 'ApiError';
    /** The server's error code (a number), or NETWORK. */
    this.code = code;
    /** The HTTP status, or 0 without an answer. */
    this.status = status || 0;
  }
}

/** The server's error code in a reply body, or a stand-in from the HTTP status. */
function errorOf(res) {
  const body = res.data;
  if (body && typeof body === 'object' && typeof body.code === 'number') {
    return new ApiError(body.code, String(body.message || `HTTP ${res.statusCode}`), res.statusCode);
  }
  // Not denglu's error shape (a proxy's page, an old server): treat like a server fault.
  return new ApiError(1000, `HTTP ${res.statusCode}: not a denglu reply`, res.statusCode);
}

/** Percent-encodes one path segment. */
const segment = (text) => encodeURIComponent(String(text));

/**
 * A client for the denglu server at `baseUrl`, using `wx` (the mini program's global, or a stand-in).
 * `timeout` is in milliseconds.
 */
function createApi({ wx, baseUrl, timeout }) {
  const base = String(baseUrl || '').replace(/\/+$/, '');

  function call(method, path, body) {
    return new Promise((resolve, reject) => {
      wx.request({
        url: base + path,
        method,
        data: body,
        header: body === undefined ? {} : { 'content-type': 'application/json' },
        dataType: 'json',
        timeout: timeout || 15000,
        success(res) {
          const ok = res.statusCode >= 200 && res.statusCode < 300 && res.data && typeof res.data === 'object';
          if (ok) resolve(res.data);
          else reject(errorOf(res));
        },
        fail(err) {
          reject(new ApiError(NETWORK, (err && err.errMsg) || 'request:fail', 0));
        },
      });
    });
  }

  const sessionPath = (scene, action) =>
    `/api/v1/scanner/sessions/${segment(scene)}${action ? `/${action}` : ''}`;

  return {
    /** What the confirm page shows about a scanned code. */
    scannerSession: (scene) => call('GET', sessionPath(scene)),
    /** Records the scan: `{code, nickname?, avatar?}` → `{state, scanToken}`. */
    scan: (scene, body) => call('POST', sessionPath(scene, 'scan'), body),
    /** `{scanToken, phoneCode? | encryptedData?+iv?}` → `{state: 'confirmed'}`. */
    confirm: (scene, body) => call('POST', sessionPath(scene, 'confirm'), body),
    /** `{scanToken}` → `{state: 'cancelled'}`. */
    cancel: (scene, body) => call('POST', sessionPath(scene, 'cancel'), body),
    /** `{userPoolId, code, phoneCode? | encryptedData?+iv?}` → `{ticket, expiresAt}`. */
    mintTicket: (body) => call('POST', '/api/v1/app-login/tickets', body),
  };
}

module.exports = { createApi, ApiError, NETWORK };
